#!/usr/bin/env bash
# make-fix-golden.sh — rewrite testdata/fixed: the files `audiopreflight fix` writes for the inputs
# of cmd/fix_model_test.go's modelCases (browser recordings, MP3s, 48 kHz Opus, stereo FLAC, ...),
# and the reference model's verdicts on them for both request types (expected-*.jsonl), which
# TestFixModelAcceptsOutputs checks.
# Needs: go; /usr/bin/python3 with python3-soundfile for the reference harness
# (AUDIOPREFLIGHT_ORACLE, default scripts/reference/decide.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=$repo/testdata/fixed
rm -rf "$out"
mkdir -p "$out"
(cd "$repo" && go test ./cmd -run TestFixModelAcceptsOutputs -count=1 -args -update-fixed >/dev/null)
oracle=${AUDIOPREFLIGHT_ORACLE:-$here/reference/decide.py}
cd "$out"
mapfile -t files < <(find . -maxdepth 1 -type f ! -name 'expected-*' -printf '%P\n' | LC_ALL=C sort)
for req in unscripted scripted; do
  /usr/bin/python3 "$oracle" --request "$req" -- "${files[@]}" > "expected-$req.jsonl"
done
echo "testdata/fixed: ${#files[@]} files judged by the reference model"
