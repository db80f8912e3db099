#!/usr/bin/env bash
# make-samples.sh — rebuild testdata/samples: a handful of small real recordings (synthesized
# speech) that show an accepted file and each common rejection, plus the reference model's
# verdicts on them (testdata/samples/expected-*.jsonl, used by the tests).
# Needs: espeak-ng, sox, flac, opus-tools, ffmpeg; /usr/bin/python3 with python3-soundfile for the
# reference model (AUDIOPREFLIGHT_ORACLE, default scripts/reference/decide.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)/testdata/samples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"; mkdir -p "$out"

espeak-ng -v en-us -s 175 -w "$tmp/speech.wav" "Please check the audio first."
sox -V1 -R -D "$tmp/speech.wav" -r 16000 -c 1 -b 16 "$tmp/16k.wav" trim 0 1.2
sox -V1 -R -D "$tmp/16k.wav" "$out/hello-16k-mono.wav" trim 0 0.6
flac -s -8 -f -o "$out/hello-16k-mono.flac" "$tmp/16k.wav"
opusenc --quiet --serial 7 --bitrate 16 "$tmp/16k.wav" "$out/hello-16k-mono.opus"
sox -V1 -R -D "$tmp/16k.wav" -r 44100 -c 2 "$tmp/44k.wav" remix 1 1
flac -s -8 -f -o "$out/hello-44k-stereo.flac" "$tmp/44k.wav"
ffmpeg -v error -bitexact -i "$tmp/16k.wav" -c:a libmp3lame -b:a 32k -y "$out/hello.mp3"
ffmpeg -v error -bitexact -i "$tmp/16k.wav" -c:a aac -b:a 24k -y "$out/hello.m4a"
: > "$out/empty.wav"
# a FLAC cut in the middle of its audio: the header promises more than is there
head -c $(( $(stat -c %s "$out/hello-16k-mono.flac") * 2 / 3 )) "$out/hello-16k-mono.flac" > "$out/cut-short.flac"
# the WAV header of a streaming writer that never came back to fill in the sizes, 0 bytes of audio
python3 - "$out/no-audio.wav" <<'PY'
import struct, sys
hdr = b"RIFF" + struct.pack("<I", 36) + b"WAVE" + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", 0)
open(sys.argv[1], "wb").write(hdr)
PY
mkdir -p "$out/base64"
base64 -w 76 "$out/hello-16k-mono.opus" > "$out/base64/hello-16k-mono.opus.b64"

oracle=${AUDIOPREFLIGHT_ORACLE:-$here/reference/decide.py}
oracle=$(cd "$(dirname "$oracle")" && pwd)/$(basename "$oracle")
cd "$out"
mapfile -t files < <(find . -maxdepth 1 -type f ! -name 'expected-*' -printf '%P\n' | LC_ALL=C sort)
for req in unscripted scripted; do
  {
    /usr/bin/python3 "$oracle" --request "$req" -- "${files[@]}"
    /usr/bin/python3 "$oracle" --request "$req" --base64 -- base64/*.b64
  } > "expected-$req.jsonl"
done
ls -l "$out" "$out/base64"
