#!/usr/bin/env bash
# bench.sh — time audiopreflight next to its anchors on the benchmark workload (the budgets:
# CONTRIBUTING.md#benchmarks).
#
# usage: scripts/bench.sh [WORKLOAD_DIR] [--big]
#   WORKLOAD_DIR  made by scripts/bench-workload.sh (default /tmp/apf-workload; made or brought up
#                 to date here, by $AUDIOPREFLIGHT_WORKLOAD_SCRIPT when set)
#   --big         also the 2 GiB WAV: wall time and peak RSS of a full check
# env: RUNS  hyperfine runs per command (default 10)
# Needs: hyperfine, flac, sox, /usr/bin/python3 with python3-soundfile, GNU time (/usr/bin/time).
# Prints a Markdown table of median wall times (warm cache).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
dir=/tmp/apf-workload
big=0
for a in "$@"; do
  case "$a" in
    --big) big=1 ;;
    -*) echo "bench.sh: unknown option $a" >&2; exit 2 ;;
    *) dir=$a ;;
  esac
done
gen=${AUDIOPREFLIGHT_WORKLOAD_SCRIPT:-$here/bench-workload.sh}
args=("$dir"); [ "$big" = 0 ] || args+=(--big)
bash "$gen" "${args[@]}" # a no-op when the workload is current
for t in hyperfine flac /usr/bin/python3; do
  command -v "$t" >/dev/null || { echo "bench.sh: missing $t" >&2; exit 1; }
done

bin=$(mktemp -d)/audiopreflight
(cd "$repo" && go build -o "$bin" .)
py=/usr/bin/python3
results=$(mktemp)

# median wall time in seconds of a command, by hyperfine
median() { # name, command...
  local name=$1; shift
  local json; json=$(mktemp)
  hyperfine --style none --warmup 2 --runs "${RUNS:-10}" --export-json "$json" -i -- "$*" >/dev/null 2>&1
  printf '%s\t%s\n' "$name" "$("$py" -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")" >> "$results"
  rm -f "$json"
}

cd "$dir"
median "small/ header-only: audiopreflight check --header-only" "$bin check --header-only -o jsonl small >/dev/null"
median "small/ header-only: python soundfile.info loop" "$py -c 'import soundfile as sf, os
for f in sorted(os.listdir(\"small\")):
    try: sf.info(\"small/\" + f)
    except Exception: pass'"
for f in wav flac opus; do
  median "speech5s-$f full: audiopreflight check" "$bin check -o jsonl speech5s-$f >/dev/null"
  median "speech5s-$f full: python soundfile.read loop" "$py -c 'import soundfile as sf, os
d = \"speech5s-$f\"
for f in sorted(os.listdir(d)):
    try: sf.read(d + \"/\" + f, dtype=\"int16\")
    except Exception: pass'"
done
median "speech5s-flac full: flac -t (one invocation)" "flac -t -s speech5s-flac/*.flac"
if [ "$big" = 1 ]; then
  # async mode: in sync mode the size alone decides (AudioTooBigForSync); the point is the full read
  RUNS=3 median "big.wav (2 GiB) full: audiopreflight check --mode async" "$bin check --mode async big.wav >/dev/null"
  rss=$( { /usr/bin/time -f '%M' "$bin" check --mode async big.wav >/dev/null || true; } 2>&1 | tail -1)
  printf 'big.wav (2 GiB) full: audiopreflight peak RSS\t%s KiB\n' "$rss" >> "$results"
fi

echo "| workload and tool | median wall time |"
echo "|---|---|"
awk -F'\t' '{printf "| %s | %s |\n", $1, $2}' "$results"
rm -f "$results" "$bin"
