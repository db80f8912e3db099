#!/usr/bin/env bash
# make-convert-golden.sh — rewrite internal/convert/testdata/model: the outputs of a handful of
# conversions (one per decoder family, WAV and FLAC), and the reference model's verdicts on them
# (expected-unscripted.jsonl), which TestModelAcceptsOutputs checks.
# Needs: go; /usr/bin/python3 with python3-soundfile for the reference harness
# (AUDIOPREFLIGHT_ORACLE, default scripts/reference/decide.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=$repo/internal/convert/testdata/model
rm -rf "$out"
(cd "$repo" && go test ./internal/convert -run TestModelAcceptsOutputs -update >/dev/null)
oracle=${AUDIOPREFLIGHT_ORACLE:-$here/reference/decide.py}
cd "$out"
mapfile -t files < <(find . -maxdepth 1 -type f ! -name 'expected-*' -printf '%P\n' | LC_ALL=C sort)
/usr/bin/python3 "$oracle" --request unscripted -- "${files[@]}" > expected-unscripted.jsonl
