#!/usr/bin/env bash
# fuzz-all.sh — fuzz every fuzz target of the module, a few at a time, and print what each did
# (CONTRIBUTING.md#fuzzing).
#
# usage: scripts/fuzz-all.sh [DURATION] [JOBS] [PATTERN]
#   DURATION  -fuzztime of each target (default 1m)
#   JOBS      targets fuzzed at once, each with one worker process (default 1)
#   PATTERN   only the targets whose name matches this extended regexp (default: all)
# env: FUZZ_LOGS  directory for the per-target logs and summary.tsv (default: a new temp dir)
# Prints a table: target, package, start, end, execs, new interesting inputs, outcome.
# Exit status 1 when a target failed: a failing input written to the package's
# testdata/fuzz/<Target>/, or any other failure but the coordinator's deadline race.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
dur=${1:-1m}
jobs=${2:-1}
pattern=${3:-.}
logs=${FUZZ_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/fuzz-all.XXXXXX")}
mkdir -p "$logs"
summary=$logs/summary.tsv
printf 'target\tpackage\tstart\tend\texecs\tnew\toutcome\n' >"$summary"

cd "$repo"
# Targets are found in the sources, so that a new one is fuzzed without being listed here.
mapfile -t targets < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . |
  sed -E 's#^\./(.*)/[^/]*:[0-9]+:func (Fuzz[A-Za-z0-9_]*)\(.*#\2 \1#' |
  grep -E "^[^ ]*($pattern)[^ ]* " | sort -k2,2 -k1,1)
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz-all.sh: no fuzz target matches $pattern" >&2
  exit 2
fi

fuzz_one() {
  local target=$1 pkg=$2 log=$logs/$1.log start end rc=0 last outcome
  start=$(date -u +%H:%M:%S)
  go test -run '^$' -fuzz "^$target\$" -fuzztime "$dur" -parallel 1 "./$pkg" >"$log" 2>&1 || rc=$?
  end=$(date -u +%H:%M:%S)
  last=$(grep -E 'fuzz: elapsed: .*execs: ' "$log" | tail -n 1 || true)
  if [ "$rc" -eq 0 ]; then
    outcome=ok
  elif grep -q 'Failing input written to' "$log"; then
    outcome="failing input: $pkg/$(grep -o 'testdata/fuzz/[^ ]*' "$log" | head -n 1)"
  elif grep -q '^    context deadline exceeded' "$log"; then
    # Go 1.26's coordinator can report its own -fuzztime deadline as a failure
    # (CONTRIBUTING.md#fuzzing): no input is to blame.
    outcome="deadline race, no failing input"
  else
    outcome="failed (exit $rc), see $log"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$pkg" "$start" "$end" \
    "$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")" \
    "$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")" "$outcome" >>"$summary"
}

echo "fuzzing ${#targets[@]} targets for $dur each, $jobs at a time; logs in $logs" >&2
# One instrumented build per package first, so that targets fuzzed at once do not compile the
# same package side by side, and compiling takes none of a target's -fuzztime.
for p in $(printf '%s\n' "${targets[@]}" | cut -d' ' -f2 | sort -u); do
  t=$(printf '%s\n' "${targets[@]}" | awk -v p="$p" '$2 == p { print $1; exit }')
  go test -c -fuzz "^$t\$" -o "$logs/build.test" "./$p" || exit 1
done
rm -f "$logs/build.test"
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "${t% *}" "${t#* }" &
  running=$((running + 1))
done
wait

column -t -s $'\t' "$summary"
! cut -f7 "$summary" | grep -qE '^(failing input|failed)'
