#!/usr/bin/env bash
# bench-fix.sh — time the fix command's re-encoding path against sox on one hour of 44.1 kHz
# stereo WAV (made here once, from espeak-ng speech over pink noise, in $BENCH_DIR), and record
# wall time, CPU time and peak RSS side by side:
#   sox in.wav -r 16000 -c 1 out.wav            (sox's default rate quality)
#   sox in.wav -r 16000 -c 1 out.wav rate -v    (sox's very high quality)
#   fixbench in.wav out.wav                     (scripts/fixbench: decode, downmix, resample,
#                                                dither, encode WAV; then the check of the output)
#   audiopreflight fix --mode async -O DIR in.wav  (the command: the check of the input, the plan,
#                                                the conversion, the check of the output)
# usage: scripts/bench-fix.sh [RUNS]   (default 3 runs each, alternating)
# Needs: sox, espeak-ng, GNU time (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
runs=${1:-3}
dir=${BENCH_DIR:-/tmp/apf-fixbench}
mkdir -p "$dir"
in=$dir/hour-44k-stereo.wav
if [ ! -f "$in" ]; then
  espeak-ng -v en-us -s 160 -w "$dir/speech.wav" "This hour of audio checks how fast a recording converts to sixteen kilohertz mono."
  sox -V1 -R "$dir/speech.wav" -r 44100 -c 2 "$dir/speech44.wav"
  len=$(soxi -D "$dir/speech44.wav")
  reps=$(awk -v l="$len" 'BEGIN { print int(3600 / l) + 1 }')
  sox -V1 -R "$dir/speech44.wav" "$dir/rep.wav" repeat "$reps"
  sox -V1 -R -n -r 44100 -c 2 "$dir/noise.wav" synth 3600 pinknoise vol 0.02
  sox -V1 -R -m "$dir/rep.wav" "$dir/noise.wav" -b 16 "$in" trim 0 3600
  rm -f "$dir/speech.wav" "$dir/speech44.wav" "$dir/rep.wav" "$dir/noise.wav"
fi
bin=$dir/fixbench
(cd "$repo" && go build -o "$bin" ./scripts/fixbench)
apf=$dir/audiopreflight
(cd "$repo" && go build -o "$apf" .)

measure() { # label, command...
  local label=$1; shift
  local t; t=$(mktemp)
  /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null
  read -r wall user sys rss < "$t"
  printf '| %s | %s | %.2f | %d |\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
  rm -f "$t"
}
echo "| command | wall s | CPU s | peak RSS MiB |"
echo "| --- | --- | --- | --- |"
for _ in $(seq "$runs"); do
  measure "sox -r 16000 -c 1" sox "$in" -r 16000 -c 1 "$dir/sox.wav"
  measure "sox -r 16000 -c 1 rate -v" sox "$in" -r 16000 -c 1 "$dir/soxv.wav" rate -v
  measure "fixbench" "$bin" -no-check "$in" "$dir/fix.wav"
  measure "fixbench -workers 2" "$bin" -no-check -workers 2 "$in" "$dir/fix2.wav"
  rm -rf "$dir/fixed"
  measure "audiopreflight fix --mode async" "$apf" fix --mode async -O "$dir/fixed" "$in"
done
"$bin" "$in" "$dir/fix.wav" | tail -1
