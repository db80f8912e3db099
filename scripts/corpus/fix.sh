#!/usr/bin/env bash
# fix.sh — the lossless-fix part of the differential corpus (run by scripts/make-corpus.sh, after
# the ogg and wav families, whose rejected files it fixes too).
#
# usage: scripts/corpus/fix.sh OUTDIR [SCALE]
# Writes:
#   OUTDIR/in/    inputs the API rejects whose audio a lossless fix keeps: Chromium
#                 MediaRecorder recordings (copied from testdata/mediarecorder, see
#                 scripts/capture-mediarecorder.sh), WebM, Matroska and Ogg-Opus written by
#                 ffmpeg's libopus and opusenc at 48 and 44.1 kHz, mono and stereo, with and
#                 without video; WAVs with the headers streaming writers, BW64, Wave64 and ID3
#                 taggers leave.
#   OUTDIR/ref/   NAME.framemd5: ffmpeg's MD5 of every Opus packet of each Opus input, as its own
#                 demuxer reads it (-c copy), for the test that the fix keeps every packet.
#   OUTDIR/out/   the fixed files, written by the tool's own code:
#                 go test ./internal/fixplan -run TestFixCorpus -update -fixcorpus OUTDIR/..
#                 (out/NAME for in/NAME, out/ogg/NAME and out/wav/NAME for the ogg and wav
#                 families' files that a lossless path fixes).
# make-corpus.sh then runs the reference model over in/ and out/: every out/ file must be accepted.
# Deterministic: espeak-ng, sox -R -D, opusenc --serial, ffmpeg -bitexact (the MediaRecorder
# captures are copied as committed).
# Needs: espeak-ng, sox, opus-tools, ffmpeg, python3, go.
set -euo pipefail

out=${1:?usage: fix.sh OUTDIR [SCALE]}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
mkdir -p "$out/in" "$out/ref" "$out/out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
in=$out/in

# ---- sources: speech at 48 kHz, mono and stereo -------------------------------------------------
espeak-ng -v en-us -s 170 -w "$tmp/speech.wav" "Please fix the audio before you send it to the API."
sox -V1 -R -D "$tmp/speech.wav" -r 48000 -c 1 -b 16 "$tmp/48k-mono.wav"
sox -V1 -R -D "$tmp/speech.wav" -r 48000 -c 2 -b 16 "$tmp/48k-stereo.wav" remix 1 1v0.7
sox -V1 -R -D "$tmp/speech.wav" -r 44100 -c 2 -b 16 "$tmp/44k-stereo.wav" remix 1 1v0.7
sox -V1 -R -D "$tmp/speech.wav" -r 16000 -c 1 -b 16 "$tmp/16k-mono.wav"
ff() { ffmpeg -v error -y -bitexact "$@"; }

# ---- browser recordings --------------------------------------------------------------------------
cp "$repo"/testdata/mediarecorder/*.webm "$in/"

# ---- WebM and Matroska from ffmpeg's libopus -----------------------------------------------------
ff -i "$tmp/48k-stereo.wav" -c:a libopus -b:a 48k "$in/ffmpeg-48k-stereo.webm"
ff -i "$tmp/48k-mono.wav" -c:a libopus -b:a 24k -application voip "$in/ffmpeg-48k-mono-voip.webm"
ff -i "$tmp/44k-stereo.wav" -c:a libopus -b:a 32k "$in/ffmpeg-44k-stereo.mka"
ff -i "$tmp/16k-mono.wav" -c:a libopus -b:a 16k -frame_duration 60 "$in/ffmpeg-16k-mono-60ms.mka"
ff -f lavfi -i "color=c=blue:s=32x32:r=10" -i "$tmp/48k-mono.wav" -shortest -c:v libvpx -b:v 20k -c:a libopus -b:a 24k "$in/ffmpeg-camera.webm"
ff -f lavfi -i "color=c=red:s=32x32:r=10" -i "$tmp/48k-stereo.wav" -shortest -c:v libvpx -b:v 20k -c:a libopus -b:a 32k "$in/ffmpeg-camera.mkv"
# ---- Ogg-Opus at 48 kHz, which the API decodes at 48 kHz ----------------------------------------
opusenc --quiet --serial 501 --bitrate 24 "$tmp/48k-mono.wav" "$in/opusenc-48k-mono.opus"
opusenc --quiet --serial 502 --bitrate 32 "$tmp/48k-stereo.wav" "$in/opusenc-48k-stereo.opus"
ff -i "$tmp/44k-stereo.wav" -c:a libopus -b:a 32k "$in/ffmpeg-44k-stereo.opus"

# ---- WAVs whose header alone keeps the API from reading them ----------------------------------------
ff -i "$tmp/16k-mono.wav" -c:a pcm_s16le -f wav - > "$in/ffmpeg-pipe.wav"      # sizes never filled in
ff -i "$tmp/16k-mono.wav" -c:a pcm_s16le -rf64 always "$in/ffmpeg-rf64.wav"   # accepted: a control
sox -V1 -R -D "$tmp/16k-mono.wav" "$in/sox.w64"                               # Wave64
"$py" - "$tmp/16k-mono.wav" "$in" <<'PY'
import struct, sys
src, d = sys.argv[1], sys.argv[2]
b = open(src, "rb").read()
i = b.index(b"data")
pcm = b[i + 8 : i + 8 + struct.unpack("<I", b[i + 4 : i + 8])[0]]
fmt16 = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
def chunk(cid, body, size=None):
    c = cid + struct.pack("<I", len(body) if size is None else size) + body
    return c + (b"\0" if len(body) % 2 else b"")
def riff(*chunks, magic=b"RIFF"):
    body = b"WAVE" + b"".join(chunks)
    return magic + struct.pack("<I", len(body)) + body
def put(name, data):
    open(f"{d}/{name}", "wb").write(data)
guid = lambda tag: struct.pack("<IHH", tag, 0, 0x10) + bytes([0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71])
ext = struct.pack("<HHIIHHHHI", 0xFFFE, 1, 16000, 32000, 2, 16, 22, 16, 4) + guid(1)
# a recorder that streamed to a socket: both sizes left at 0
put("stream-sizes-0.wav", b"RIFF" + struct.pack("<I", 0) + b"WAVE" + chunk(b"fmt ", fmt16) + chunk(b"data", pcm, size=0))
# a BWF writer's BW64 with its ds64
ds64 = chunk(b"ds64", struct.pack("<QQQI", 4 + 28 + 8 + 24 + 8 + len(pcm), len(pcm), len(pcm) // 2, 0))
put("bw64.wav", b"BW64" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + ds64 + chunk(b"fmt ", fmt16) + chunk(b"data", pcm, size=0xFFFFFFFF))
# WAVE_FORMAT_EXTENSIBLE cut before its sub-format (fmt chunk of 18 bytes)
put("extensible-cut.wav", riff(chunk(b"fmt ", ext[:18]), chunk(b"data", pcm)))
# WAVE_FORMAT_EXTENSIBLE whose sub-format GUID was written with its fields big-endian
be = struct.pack(">IHH", 1, 0, 0x10) + bytes([0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71])
put("extensible-guid-swapped.wav", riff(chunk(b"fmt ", ext[:24] + be), chunk(b"data", pcm)))
# an ID3v2 tag in front, as some taggers add to any file
tag = b"ID3\x04\x00\x00" + bytes([0, 0, 2, 0]) + b"TIT2" + struct.pack(">I", 6) + b"\0\0\x03hello" + bytes(256 - 16)
put("id3-tagged.wav", tag + riff(chunk(b"fmt ", fmt16), chunk(b"data", pcm)))
# a metadata chunk with an odd size and no pad byte before the audio
put("junk-odd-nopad.wav", riff(chunk(b"fmt ", fmt16), b"JUNK" + struct.pack("<I", 3) + b"abc", chunk(b"data", pcm)))
# the fmt chunk after the data, as some editors rewrite files
put("fmt-after-data.wav", riff(chunk(b"data", pcm), chunk(b"fmt ", fmt16)))
PY

# ---- every packet of the Opus inputs, as ffmpeg's demuxers read them ------------------------------
for f in "$in"/*.webm "$in"/*.mka "$in"/*.mkv "$in"/*.opus; do
  ffmpeg -v error -bitexact -i "$f" -map 0:a:0 -c copy -f framemd5 - | grep -v '^#' > "$out/ref/$(basename "$f").framemd5"
done

# ---- the fixed files, by the tool's own code ---------------------------------------------------------
(cd "$repo" && go test ./internal/fixplan -count=1 -run '^TestFixCorpus$' -update -fixcorpus "$(cd "$out/.." && pwd)" >/dev/null)
