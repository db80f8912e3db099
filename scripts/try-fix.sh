#!/usr/bin/env bash
# try-fix.sh — try `audiopreflight fix` as a user would, on recordings made here and now (held out
# from every committed corpus): speech from espeak-ng, encoded the way phones, browsers, editors
# and recorders deliver it; then judge every file fix writes with the reference harness
# (scripts/reference/decide.py: libsndfile through python-soundfile and the API's decision order).
# Prints one line per input: what fix did, and the model's verdict on the new file.
# usage: scripts/try-fix.sh [DIR]   (default: a new temporary directory)
# Needs: go, espeak-ng, sox, ffmpeg (with libmp3lame, libopus, libvorbis), opusenc, oggenc, flac,
# /usr/bin/python3 with python3-soundfile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
dir=${1:-$(mktemp -d)}
in=$dir/in
out=$dir/out
rm -rf "$in" "$out"
mkdir -p "$in"
apf=$dir/audiopreflight
(cd "$repo" && go build -o "$apf" .)

# The speech: 12 s, two voices, 22.05 kHz mono from espeak-ng.
espeak-ng -v en-us -s 150 -w "$dir/a.wav" "This recording was made on a phone, sent by a browser, and cut in an editor. It should reach the speech assessment service as sixteen kilohertz mono audio."
espeak-ng -v en-gb -s 170 -w "$dir/b.wav" "A second speaker answers, a little faster, with a different voice."
sox -V1 "$dir/a.wav" "$dir/b.wav" "$dir/speech.wav"
src=$dir/speech.wav
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y -i "$src" "$@"; }

ff -ar 44100 -ac 2 -c:a pcm_s16le "$in/editor-44k-stereo.wav"
ff -ar 48000 -ac 2 -c:a pcm_s24le "$in/recorder-48k-24bit-stereo.wav"
ff -ar 48000 -ac 1 -c:a pcm_f32le "$in/daw-48k-float.wav"
ff -ar 8000 -ac 1 -c:a pcm_mulaw "$in/telephone-8k-ulaw.wav"
ff -ar 44100 -ac 2 -c:a aac -b:a 128k "$in/phone-voice-memo.m4a"
ff -ar 48000 -ac 1 -c:a alac "$in/iphone-lossless.m4a"
ff -ar 44100 -ac 2 -c:a libmp3lame -b:a 128k "$in/podcast-44k-stereo.mp3"
ff -ar 22050 -ac 1 -c:a libmp3lame -b:a 32k "$in/voice-22k-32k.mp3"
ff -ar 48000 -ac 2 -c:a libopus -b:a 64k "$in/browser-like.webm"
ff -ar 48000 -ac 1 -c:a libvorbis "$in/game-48k.ogg"
ff -ar 44100 -ac 2 -c:a wmav2 "$in/windows.wma"
sox -V1 "$src" -r 96000 -c 2 -b 24 "$in/studio-96k-24bit.flac"
sox -V1 "$src" -r 44100 -c 2 "$dir/tmp-44k.wav"
opusenc --quiet "$dir/tmp-44k.wav" "$in/opusenc-stereo.opus"
oggenc --quiet -o "$in/oggenc-44k-stereo.ogg" "$dir/tmp-44k.wav"
sox -V1 "$src" -r 44100 -c 2 -b 16 "$in/audacity-44k.aiff"
sox -V1 "$src" -r 16000 -c 1 -b 16 "$in/already-fine.wav"
# a streaming writer's WAV: ffmpeg writing to a pipe leaves the sizes unset
ffmpeg -nostdin -hide_banner -loglevel error -i "$src" -ar 16000 -ac 1 -f wav - > "$in/piped-16k.wav"
ffmpeg -nostdin -hide_banner -loglevel error -i "$src" -ar 44100 -ac 2 -f wav - > "$in/piped-44k-stereo.wav"
# Chromium's MediaRecorder, when the capture script has made one
for f in "$repo"/testdata/mediarecorder/*.webm; do cp "$f" "$in/chrome-$(basename "$f")"; done
rm -f "$dir"/a.wav "$dir"/b.wav "$dir"/tmp-44k.wav

"$apf" fix -O "$out" -o jsonl "$in" > "$dir/fix.jsonl" || true
mapfile -t outs < <(cd "$out" && find . -maxdepth 1 -type f -printf '%P\n' | LC_ALL=C sort)
(cd "$out" && /usr/bin/python3 "$repo/scripts/reference/decide.py" --request unscripted -- "${outs[@]}") > "$dir/model.jsonl"
/usr/bin/python3 - "$dir/fix.jsonl" "$dir/model.jsonl" <<'EOF'
import json, os, sys
model = {}
for line in open(sys.argv[2]):
    v = json.loads(line)
    model[v["input"]] = v
print("| input | before | fix | the model on the new file |")
print("| --- | --- | --- | --- |")
for line in open(sys.argv[1]):
    r = json.loads(line)
    before = (r.get("before") or {}).get("exception") or {}
    was = before.get("name", "accepted") if r.get("before") else "unread"
    if r["status"] == "fixed":
        v = model[os.path.basename(r["output"])]
        s = v["sndfile"]
        verdict = v["exception"] or "accepted: %s %s, %d Hz, %d ch, %d frames read" % (s["format"], s["subtype"], s["samplerate"], s["channels"], s["frames_read"])
        how = r["method"] + (" (lossless)" if r["lossless"] else "")
    else:
        verdict = ""
        how = r["status"] + (": " + r["reason"] if r.get("reason") else "")
    print("| %s | %s | %s | %s |" % (os.path.basename(r["input"]), was, how, verdict))
EOF
