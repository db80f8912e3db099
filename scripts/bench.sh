#!/usr/bin/env bash
# bench.sh — audiopreflight next to its peers on the benchmark workload, side by side in one run,
# and the goals each comparison has (CONTRIBUTING.md#benchmarks). Prints a Markdown table.
#
# usage: scripts/bench.sh [WORKLOAD_DIR] [--big] [--memory] [--runs N]
#   WORKLOAD_DIR  made by scripts/bench-workload.sh (default /tmp/apf-workload; made or brought up
#                 to date here, by $AUDIOPREFLIGHT_WORKLOAD_SCRIPT when set)
#   --big         also a 2 GiB sparse WAV, fully checked, against sox: wall time and peak RSS
#   --memory      also peak RSS for 1M inputs (--files-from, header-only) in every output format,
#                 with standard output drained and stalled, and a walk of 100k files
#   --memory-only the --memory rows alone
#   --runs N      measured runs of each command (default 7, or $RUNS; at least 31 for the rows
#                 whose runs take a few ms: the small files, Ogg-Opus, WAV)
# env: BENCH_CACHE  where the built tools and the file lists are kept (default /tmp/apf-bench);
#      BENCH_SHM    where --memory makes its inputs (default /dev/shm/apf-bench, a tmpfs)
#      BENCH_INPUTS inputs of the --memory rows (default 1000000; fewer to try the rows quickly)
#
# How it measures: every row runs audiopreflight and its peer alternately (run k of each, then run
# k+1 of each: scripts/bench/alternate), after one unmeasured warm-up each (warm page cache), and
# takes the medians of wall time and of CPU time (user + system, children included). The goals
# are judged on wall time; the CPU ratio beside it says what a loaded machine does not blur. On a machine
# with more than 2 CPUs every command is pinned to CPUs 0 and 1 (taskset), the machine the goals
# are for. The peers:
#   python soundfile.info  one python3 process calling soundfile.info on every file (libsndfile)
#   Go floor               scripts/bench/gofloor: the floor the goal is stated against (the
#                          workload's own anchor): in Go, os.Open, ReadAt 4 KiB, Close per file,
#                          on 2 goroutines, deciding nothing
#   C floor                scripts/bench/floor/floor.c: open, fstat, pread 4 KiB, close per file,
#                          on 2 threads, deciding nothing — no header check can be cheaper
#   flac -t                xargs -P2 -n 250 flac -t -s: 2 processes of 250 files each, twice
#   opusinfo               xargs -P2 -n 250 opusinfo -q: reads and checks every page, no decode
#   sox                    xargs -P2 -n 500 sox FILE... -n: 2 processes, each reading 500 files
#                          as one concatenated input (the fastest sox form: a process per file, or
#                          the stat effect, costs more)
# Takes about 5 minutes on an idle 2-core machine (the --memory rows another 10 or more).
# Needs: go, cc, flac, opusinfo (opus-tools), sox, /usr/bin/python3 with python3-soundfile, GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
dir=/tmp/apf-workload
big=0
memory=0
runs=${RUNS:-7}
while [ $# -gt 0 ]; do
  case "$1" in
    --big) big=1 ;;
    --memory) memory=1 ;;
    --memory-only) memory=2 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
    -*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    *) dir=$1 ;;
  esac
  shift
done
py=/usr/bin/python3
missing=()
for t in go cc flac opusinfo sox xargs "$py" /usr/bin/time; do
  command -v "$t" >/dev/null || missing+=("$t")
done
[ ! -x "$py" ] || "$py" -c 'import soundfile' 2>/dev/null || missing+=("python3-soundfile (import soundfile in $py)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'bench.sh: missing: %s\n' "${missing[*]}" >&2
  exit 1
fi

gen=${AUDIOPREFLIGHT_WORKLOAD_SCRIPT:-$here/bench-workload.sh}
bash "$gen" "$dir" >&2 # a no-op when the workload is current
dir=$(cd "$dir" && pwd)

cache=${BENCH_CACHE:-/tmp/apf-bench}
mkdir -p "$cache"
bin=$cache/audiopreflight
# Built as releases are (.goreleaser.yaml): a static binary without cgo. A
# plain `go build` links the C library for package net's resolver, and the
# dynamic loader costs every run about 0.6 ms of its start.
(cd "$repo" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin" . && go build -o "$cache/alternate" ./scripts/bench/alternate &&
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$cache/gofloor" ./scripts/bench/gofloor)
floor=$cache/floor
if [ ! -x "$floor" ] || [ "$here/bench/floor/floor.c" -nt "$floor" ]; then
  cc -O2 -pthread -o "$floor" "$here/bench/floor/floor.c"
fi
commit=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(cd "$repo" && git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit+changes"

pin=()
if [ "$(nproc)" -gt 2 ] && command -v taskset >/dev/null; then pin=(taskset -c 0,1); fi
for d in flac opus wav; do
  (cd "$dir" && find "speech5s-$d" -type f | LC_ALL=C sort) > "$cache/speech5s-$d.list"
done

cd "$dir"
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
if [ "$memory" != 2 ]; then

# compare TITLE GOALS -- @audiopreflight CMD... @peer CMD... [@peer2 CMD...]
#   GOALS: one per peer, comma-separated: "faster N" (peer wall / ours wall ≥ N), "floor N"
#   (ours wall / peer wall ≤ N) or "shown" (no goal: a reference beside the others)
compare() {
  local title=$1 goals=$2; shift 3
  local args=() a
  for a in "$@"; do
    case "$a" in @*) args+=("$a" "${pin[@]}") ;; *) args+=("$a") ;; esac
  done
  echo "bench.sh: $title" >&2
  "$cache/alternate" -runs "${COMPARE_RUNS:-$runs}" -warmup 1 -- "${args[@]}" | awk -F'\t' -v title="$title" -v goals="$goals" '
    function t(x) { return x < 0.01 ? sprintf("%.2f ms", x * 1000) : x < 1 ? sprintf("%.1f ms", x * 1000) : sprintf("%.3f s", x) }
    BEGIN { split(goals, gs, ",") }
    NR == 1 { ow = $2; oc = $3; next }
    {
      split(gs[NR - 1], g, " "); pw = $2; pc = $3
      met = ""
      if (g[1] == "shown") { r = ow / pw; txt = sprintf("%.2f× its time (CPU %.2f×)", r, oc / pc); met = "—"; want = "(reference)" }
      else if (g[1] == "floor") { r = ow / pw; txt = sprintf("%.2f× the floor (CPU %.2f×)", r, oc / pc); ok = r <= g[2]; want = sprintf("≤ %s× the floor", g[2]) }
      else { r = pw / ow; txt = sprintf("%.2f× %s (CPU %.2f×)", r, (r >= 1 ? "faster" : "(slower)"), pc / oc); ok = r >= g[2]; want = sprintf("≥ %s× faster", g[2]) }
      printf "| %s | %s (%s CPU) | %s %s (%s CPU) | %s | %s | %s |\n", title, t(ow), t(oc), $1, t(pw), t(pc), txt, want, (met != "" ? met : ok ? "yes" : "**no**")
      title = "″ (same runs)"
    }' >> "$rows"
}

small_info='import os, soundfile
for name in sorted(os.listdir("small")):
    try:
        soundfile.info("small/" + name)
    except Exception:
        pass'

# The floors are timed in runs of their own, alternating with audiopreflight alone: a command
# that runs right after python's 60 ms leaves the caches cold for whatever runs next, and took
# about 1.3 ms (30%) longer there, which favoured whichever command came second. A run of
# these is 3-6 ms, so they take at least 31 runs: with 7, the median of a 5 ms run moved by a
# fifth from one batch to the next (1.36-1.66x the floor in four batches); with 31, by 3%. So do
# the Ogg-Opus and WAV rows (about 10 ms a run; the FLAC row's runs are 0.1-0.4 s).
small_runs=$(( runs < 31 ? 31 : runs ))
COMPARE_RUNS=$small_runs compare "1000 small files, \`check --header-only\`" "faster 6" -- \
  @audiopreflight "$bin" check --header-only small \
  @"python soundfile.info loop" "$py" -c "$small_info"
COMPARE_RUNS=$small_runs compare "1000 small files, \`check --header-only\` (with the floors alone)" "floor 1.5,shown" -- \
  @audiopreflight "$bin" check --header-only small \
  @"Go floor (os.Open, ReadAt 4 KiB, Close; 2 goroutines)" "$cache/gofloor" small \
  @"C floor (open, fstat, pread 4 KiB, close; 2 threads)" "$floor" small
compare "1000 × 5 s FLAC, full \`check\`" "faster 2" -- \
  @audiopreflight "$bin" check speech5s-flac \
  @"\`flac -t\` on 2 processes" xargs -a "$cache/speech5s-flac.list" -P2 -n 250 flac -t -s
COMPARE_RUNS=$small_runs compare "1000 × 5 s Ogg-Opus, full \`check\`" "faster 1" -- \
  @audiopreflight "$bin" check speech5s-opus \
  @"\`opusinfo\` on 2 processes" xargs -a "$cache/speech5s-opus.list" -P2 -n 250 opusinfo -q
COMPARE_RUNS=$small_runs compare "1000 × 5 s WAV, full \`check\`" "faster 6" -- \
  @audiopreflight "$bin" check speech5s-wav \
  @"sox on 2 processes" xargs -a "$cache/speech5s-wav.list" -P2 -n 500 sh -c 'exec sox -V1 "$@" -n' sox

if [ "$big" = 1 ]; then
  # sparse: 2 GiB of PCM that takes no disk; the check must still account for every byte of it
  sparse=$cache/sparse-2g.wav
  if [ ! -f "$sparse" ]; then
    "$py" - "$sparse" <<'PY'
import struct, sys
n = 2 << 30
with open(sys.argv[1], "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", (36 + n) & 0xFFFFFFFF) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
            + b"data" + struct.pack("<I", n & 0xFFFFFFFF))
    f.truncate(44 + n)
PY
  fi
  # async mode: in sync mode the size alone decides (AudioTooBigForSync); the point is the full read
  bigruns=$runs
  [ "$bigruns" -le 3 ] || bigruns=3
  echo "bench.sh: 2 GiB sparse WAV" >&2
  "$cache/alternate" -runs "$bigruns" -warmup 1 -- \
    @audiopreflight "${pin[@]}" "$bin" check --mode async "$sparse" \
    @sox "${pin[@]}" sox -V1 "$sparse" -n |
    awk -F'\t' 'NR == 1 { ow = $2; oc = $3; om = $4; next }
      { printf "| 2 GiB sparse WAV, full `check --mode async` | %.3f s (%.3f s CPU), %.1f MiB peak RSS | %s %.3f s (%.3f s CPU), %.1f MiB | %.0f× faster | keep (≤ 64 MiB) | %s |\n", ow, oc, om / 1024, $1, $2, $3, $4 / 1024, $2 / ow, (om <= 65536 ? "yes" : "**no**") }' >> "$rows"
fi

fi

echo
echo "audiopreflight $commit, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs${pin:+ (pinned to 2)}, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;"
if [ "$memory" != 2 ]; then
  echo "medians of $runs alternating runs ($small_runs for the rows of runs under 20 ms) after one warm-up each (wall, and CPU = user + system):"
  echo
  echo "| workload | audiopreflight | peer, same run | ratio | goal | met |"
  echo "|---|---|---|---|---|---|"
  cat "$rows"
fi

[ "$memory" != 0 ] || exit 0

# --- memory: 1M inputs, every output format, standard output drained or stalled ---------------
shm=${BENCH_SHM:-/dev/shm/apf-bench}
mkdir -p "$shm"
one=$shm/one.wav
cp small/0000.wav "$one"
n=${BENCH_INPUTS:-1000000}
list=$shm/inputs.list
[ "$(wc -l 2>/dev/null < "$list" || echo 0)" = "$n" ] || "$py" -c 'import sys; sys.stdout.write((sys.argv[1] + "\n") * int(sys.argv[2]))' "$one" "$n" > "$list"

# stalled_reader PIDFILE STATEFILE: the reader of a checker's standard output that reads nothing
# until the checker can make no more progress — its CPU time has not advanced for 2 s: every
# result it may hold while the reader stalls is then held (with backpressure, once its ordered
# window and the pipe are full; without, once every input is checked) — or until 40 s have
# passed; then it drains. STATEFILE gets the seconds waited and 1 when the checker ended first
# (its output fits in the pipe).
stalled_reader() {
  local tpid cpid='' t=0 hist=() cpu i ended=0
  while [ ! -s "$1" ]; do sleep 0.05; done
  tpid=$(cat "$1")
  for i in $(seq 200); do
    cpid=$(awk '{print $1}' "/proc/$tpid/task/$tpid/children" 2>/dev/null || true)
    [ -z "$cpid" ] || break
    sleep 0.05
  done
  while [ "$t" -lt 80 ]; do
    sleep 0.5
    t=$((t + 1))
    cpu=$(awk '{print $14 + $15}' "/proc/$cpid/stat" 2>/dev/null || true)
    [ -n "$cpu" ] || { ended=1; break; }
    hist+=("$cpu")
    # stalled: at most one clock tick in the last 2 s (the Go runtime's own timers)
    if [ ${#hist[@]} -gt 4 ] && [ $((cpu - hist[${#hist[@]} - 5])) -le 1 ]; then break; fi
  done
  echo "$((t / 2)) $ended" > "$2"
  cat > /dev/null
}

memrows=$(mktemp)
trap 'rm -f "$rows" "$memrows"' EXIT
tf=$(mktemp) pidf=$(mktemp) state=$(mktemp)
trap 'rm -f "$rows" "$memrows" "$tf" "$pidf" "$state"' EXIT
peak() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$1"; }
for fmt in text jsonl json junit github markdown; do
  echo "bench.sh: $n inputs, -o $fmt, drained" >&2
  "${pin[@]}" /usr/bin/time -v -o "$tf" "$bin" check --header-only --files-from "$list" -o "$fmt" > /dev/null || true
  fast_rss=$(peak "$tf") fast_wall=$(wall "$tf")
  echo "bench.sh: $n inputs, -o $fmt, stalled" >&2
  : > "$pidf"
  (echo "$BASHPID" > "$pidf"; exec "${pin[@]}" /usr/bin/time -v -o "$tf" "$bin" check --header-only --files-from "$list" -o "$fmt") |
    stalled_reader "$pidf" "$state" || true
  read -r waited ended < "$state"
  slow_rss=$(peak "$tf")
  if [ "$ended" = 1 ]; then how="ended unread after ${waited} s: its output fits in the pipe"
  elif [ "$waited" -ge 40 ]; then how="still checking after 40 s: drained then"
  else how="stalled after ${waited} s"; fi
  awk -v f="$fmt" -v a="$fast_rss" -v w="$fast_wall" -v b="$slow_rss" -v how="$how" 'BEGIN {
    printf "| `-o %s` | %.1f MiB (%s s) | %.1f MiB (%s) | %s |\n", f, a, w, b, how, (a <= 64 && b <= 64 ? "yes" : "**no**") }' >> "$memrows"
done

walk=$shm/walk100k
if [ ! -f "$walk/.complete" ]; then
  rm -rf "$walk"
  "$py" - "$one" "$walk" <<'PY'
import os, sys
one, walk = sys.argv[1], sys.argv[2]
for d in range(100):
    sub = os.path.join(walk, "%02d" % d)
    os.makedirs(sub)
    for i in range(1000):
        os.link(one, os.path.join(sub, "%03d.wav" % i))
open(os.path.join(walk, ".complete"), "w").close()
PY
fi
echo "bench.sh: walk of 100k files" >&2
walkline=$("$cache/alternate" -runs 3 -warmup 1 -- @walk "${pin[@]}" "$bin" check --header-only -o jsonl "$walk")

echo
echo "Peak RSS (GNU time), $n inputs: one 16 kHz WAV named $n times in a --files-from list on"
echo "tmpfs, \`check --header-only\`; standard output to /dev/null, or to a reader that reads nothing"
echo "until the checker's CPU time stops advancing for 2 s (at most 40 s):"
echo
echo "| output | drained (wall) | stalled reader | ≤ 64 MiB |"
echo "|---|---|---|---|"
cat "$memrows"
echo
echo "$walkline" | awk -F'\t' '{printf "Walk of 100k files (100 directories of 1000 hard links, tmpfs), `check --header-only -o jsonl`: %.2f s (%.2f s CPU), %.1f MiB peak RSS (median of 3).\n", $2, $3, $4 / 1024}'
