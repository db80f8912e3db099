#!/usr/bin/env python3
"""decide.py - what the speech-assessment API would answer for a piece of audio.

The project's reference harness. It reads each input with libsndfile through python3-soundfile,
the reader the API itself uses (docs/server.md#the-reader), and walks the API's decision order
(docs/server.md#decision-order). It is the executable form of docs/server.md: the committed
expectation files (testdata/corpus/*/expected-*.jsonl, testdata/samples/expected-*.jsonl) are its
output, and internal/oracle's TestHarnessReproducesTheGoldens keeps the two from drifting apart.

usage: decide.py [--request unscripted|scripted] [--mode sync|async] [--sync-limit BYTES]
                 [--base64] [--] FILE...

Prints one JSON object a line, one per FILE, in the order given:
  input       the FILE argument, as given
  exception   the exception the API answers with, or null when it accepts the audio
  parameters  that exception's parameters ({} when it has none)
  sndfile     what libsndfile saw, or null when the audio never reached it: format, subtype,
              samplerate, channels, frames (2**63-1: length unknown), open_error, read_error
              (libsndfile's own message), frames_read (frames delivered before the end or the
              read error)
With --base64 each FILE holds the text of an audio_data form field rather than the audio.

Set-up on Debian or Ubuntu: apt-get install python3-soundfile; run it with /usr/bin/python3.
"""
import argparse
import base64
import binascii
import io
import json
import os
import sys
import tempfile

import soundfile

SYNC_LIMIT = 10 * 1024 * 1024  # docs/server.md#sync-limit
LENGTH_UNKNOWN = 2**63 - 1  # SF_COUNT_MAX: libsndfile does not know how many frames there are
READ_BLOCK = 65536  # frames per read call in the API's read loop (docs/server.md#read-loop)

# docs/server.md#accepted-formats: libsndfile's major formats the unscripted request takes.
WAV_FAMILY = ("WAV", "WAVEX", "RF64")

# docs/server.md#audio-format-names: the audio_format of FailedToConvertAudio when decoding an
# opened file fails. Formats not listed are named by their lower-cased libsndfile name.
DECODE_FAILURE_NAMES = {"WAV": "wav", "WAVEX": "wav", "RF64": "wav", "MP3": "mp3", "MPEG": "mp3"}

# docs/server.md#audio-format-names: the audio_format of FailedToConvertAudio when libsndfile
# cannot open the audio (scripted requests), by the first bytes; first match wins.
SIGNATURES = (
    (0, b"RIFF", "wav"), (0, b"RIFX", "wav"), (0, b"RF64", "wav"),
    (0, b"fLaC", "flac"),
    (0, b"OggS", "ogg"),
    (4, b"ftyp", "m4a"),
    (0, b"\x1a\x45\xdf\xa3", "webm"),
    (0, b"#!AMR", "amr"),
    (0, b"FORM", "aiff"),
    (0, b"\x30\x26\xb2\x75", "wma"),
)


def name_by_signature(audio, input_name):
    """audio_format for audio libsndfile refused: signature, else the name's extension, else unknown."""
    head = audio[:16]
    for offset, magic, name in SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return name
    # MPEG-looking starts: an ID3v2 tag, or an 11-bit frame sync. The API's table tells ADTS
    # (layer bits 00) from MP3 by the second byte alone.
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        if len(head) >= 2 and head[1] & 0xF6 == 0xF0:
            return "aac"
        return "mp3"
    extension = os.path.splitext(input_name)[1].lstrip(".").lower()
    return extension if extension else "unknown"


class View:
    """What libsndfile reports for one piece of audio (the "sndfile" object of the output)."""

    def __init__(self):
        self.format = self.subtype = self.samplerate = self.channels = self.frames = None
        self.open_error = self.read_error = self.frames_read = None

    def as_json(self):
        return {"format": self.format, "subtype": self.subtype, "samplerate": self.samplerate,
                "channels": self.channels, "frames": self.frames, "open_error": self.open_error,
                "read_error": self.read_error, "frames_read": self.frames_read}


def error_text(exc):
    """libsndfile's message, without python-soundfile's "Error opening <file>: " prefix."""
    if isinstance(exc, soundfile.LibsndfileError):
        return exc.error_string
    return str(exc)


def read_with_libsndfile(audio):
    """Open the bytes as the API does (an in-memory file) and, when the length is known, run the
    API's read loop to the end: READ_BLOCK frames at a time as 16-bit integers, until a read
    returns nothing or fails (docs/server.md#read-loop)."""
    view = View()
    try:
        sound = soundfile.SoundFile(io.BytesIO(audio))
    except Exception as exc:  # sf_open refused it
        view.open_error = error_text(exc)
        return view
    with sound:
        view.format, view.subtype = sound.format, sound.subtype
        view.samplerate, view.channels, view.frames = sound.samplerate, sound.channels, sound.frames
        if sound.frames == LENGTH_UNKNOWN:
            return view  # the API gives up before reading (docs/server.md#decision-order)
        delivered = 0
        try:
            while True:
                block = sound.read(READ_BLOCK, dtype="int16")
                if len(block) == 0:
                    break
                delivered += len(block)
        except Exception as exc:  # the block that failed delivers nothing
            view.read_error = error_text(exc)
        view.frames_read = delivered
    return view


def decide(audio, input_name, request, mode, sync_limit, is_base64):
    """(exception, parameters, view) for one input, step by step as docs/server.md#decision-order
    lists them. view is None when the audio never reached libsndfile."""
    unscripted = request == "unscripted"

    # Step: base64 (docs/server.md#base64). Empty text is a missing parameter, not bad base64.
    if is_base64 and audio:
        try:
            audio = base64.b64decode(audio)
        except (binascii.Error, ValueError):
            return ("FailedToDecodeAudioFromBytes" if unscripted else "FailedToUseAudio"), {}, None

    # Step: missing audio.
    if not audio:
        return "MissingAudioParam", {}, None

    # Step: sync size (docs/server.md#sync-limit), on the decoded bytes.
    if unscripted and mode == "sync" and len(audio) > sync_limit:
        return "AudioTooBigForSync", {"stream_dir": input_name}, None

    view = read_with_libsndfile(audio)

    # Step: open.
    if view.open_error is not None:
        if unscripted:
            return "FailedToParseAudioHeader", {}, view
        return "FailedToConvertAudio", {"audio_format": name_by_signature(audio, input_name)}, view

    # Step: format (unscripted only; docs/server.md#accepted-formats).
    if unscripted:
        container_ok = view.format in WAV_FAMILY or view.format == "FLAC" or (
            view.format == "OGG" and view.subtype == "OPUS")
        if not (container_ok and view.samplerate == 16000 and view.channels == 1):
            return "InvalidAudioFormat", {}, view

    # Step: length.
    if view.frames == LENGTH_UNKNOWN:
        return "FailedToUseAudio", {}, view

    # Step: decode.
    if view.read_error is not None:
        name = DECODE_FAILURE_NAMES.get(view.format, view.format.lower())
        return "FailedToConvertAudio", {"audio_format": name}, view

    # Step: zero frames.
    if view.frames_read == 0:
        return "FailedToUseAudio", {}, view
    return None, {}, view


def main(argv):
    parser = argparse.ArgumentParser(prog="decide.py", description=__doc__.splitlines()[0])
    parser.add_argument("--request", choices=("unscripted", "scripted"), default="unscripted")
    parser.add_argument("--mode", choices=("sync", "async"), default="sync")
    parser.add_argument("--sync-limit", type=int, default=SYNC_LIMIT, metavar="BYTES")
    parser.add_argument("--base64", action="store_true", help="each FILE holds base64 text")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)

    inputs = []
    for name in args.files:
        with open(name, "rb") as fh:
            inputs.append((name, fh.read()))
    # libsndfile opens an in-memory file with an empty path, and looks for a Mac resource fork
    # ("._" and ".AppleDouble/") in the current directory: what lies there could change a
    # verdict (docs/server.md#resource-fork). Work from an empty directory once the inputs are read.
    with tempfile.TemporaryDirectory(prefix="decide-") as empty:
        os.chdir(empty)
        for name, audio in inputs:
            exception, parameters, view = decide(audio, name, args.request, args.mode,
                                                 args.sync_limit, args.base64)
            line = {"input": name, "exception": exception, "parameters": parameters,
                    "sndfile": view.as_json() if view is not None else None}
            print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
