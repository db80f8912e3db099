#!/usr/bin/env bash
# make-corpus.sh — build the differential corpus and the reference model's verdicts on it.
#
# usage: scripts/make-corpus.sh [--out DIR] [--verdicts-only] FAMILY...
#   FAMILY           one of the generators in scripts/corpus/ (wav, flac, ogg, ...), or "all"
#                    (those committed under testdata/corpus), or an external corpus of
#                    scripts/corpus/external/ (flac-test-files: the FLAC decoder testbench)
#   --out            where to write (default: testdata/corpus, the committed corpus)
#   --verdicts-only  keep the files DIR/FAMILY holds and only run the reference model over them
#                    again (after a change to the model; CI does it to prove the goldens current)
#
# For each FAMILY it empties DIR/FAMILY, runs scripts/corpus/FAMILY.sh DIR/FAMILY to make the
# audio files, then runs the reference model over every file, for both request types, and writes
# DIR/FAMILY/expected-unscripted.jsonl and DIR/FAMILY/expected-scripted.jsonl (one JSON object a
# line, input names relative to DIR/FAMILY, in lexical order; README* and LICENSE* files are not
# inputs). Files named *.b64 hold the text of an audio_data field and are judged with --base64.
# A generator may write DIR/FAMILY/model-flags: its words are passed to the model for the whole
# family (e.g. --sync-limit 4096); the tests read it too.
#
# env:
#   AUDIOPREFLIGHT_ORACLE   the reference model (default: scripts/reference/decide.py, the
#                           project's harness; docs/server.md says what it models)
#   CORPUS_SCALE            passed to each generator as $2: 1 = the small committed set (default);
#                           larger values make the large mutation runs (not committed).
# Needs: /usr/bin/python3 with python3-soundfile, and each generator's tools (sox, ffmpeg, flac,
# opus-tools, vorbis-tools, espeak-ng).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=$repo/testdata/corpus
families=()
verdicts_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --verdicts-only) verdicts_only=1; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    # fix comes last: it fixes the files of the other families.
    all) for g in "$here"/corpus/*.sh; do [ "$(basename "$g")" = fix.sh ] || families+=("$(basename "$g" .sh)"); done; families+=(fix); shift ;;
    -*) echo "make-corpus.sh: unknown option $1" >&2; exit 2 ;;
    *) families+=("$1"); shift ;;
  esac
done
[ ${#families[@]} -gt 0 ] || { echo "make-corpus.sh: name at least one family (or all)" >&2; exit 2; }

oracle=${AUDIOPREFLIGHT_ORACLE:-$here/reference/decide.py}
[ -f "$oracle" ] || { echo "make-corpus.sh: reference model not found at $oracle (set AUDIOPREFLIGHT_ORACLE)" >&2; exit 1; }
oracle=$(cd "$(dirname "$oracle")" && pwd)/$(basename "$oracle")
export AUDIOPREFLIGHT_ORACLE=$oracle # the generators that sift their files with it use the same
py=/usr/bin/python3
"$py" -c 'import soundfile' 2>/dev/null || { echo "make-corpus.sh: $py cannot import soundfile (apt-get install python3-soundfile)" >&2; exit 1; }
scale=${CORPUS_SCALE:-1}
mkdir -p "$out"

for fam in "${families[@]}"; do
  gen=$here/corpus/$fam.sh
  [ -f "$gen" ] || gen=$here/corpus/external/$fam.sh
  dir=$out/$fam
  if [ "$verdicts_only" = 1 ]; then
    [ -d "$dir" ] || { echo "make-corpus.sh: --verdicts-only: no $dir" >&2; exit 2; }
  else
    [ -f "$gen" ] || { echo "make-corpus.sh: no generator for $fam in $here/corpus" >&2; exit 2; }
    rm -rf "$dir"
    mkdir -p "$dir"
    bash "$gen" "$dir" "$scale"
  fi
  (
    cd "$dir"
    flags=()
    [ ! -f model-flags ] || read -r -a flags < model-flags
    mapfile -d '' audio < <(find . -type f ! -name 'expected-*.jsonl' ! -name '*.b64' ! -name 'README*' ! -name 'LICENSE*' ! -name model-flags ! -name '*.framemd5' -printf '%P\0' | LC_ALL=C sort -z)
    mapfile -d '' b64 < <(find . -type f -name '*.b64' -printf '%P\0' | LC_ALL=C sort -z)
    for req in unscripted scripted; do
      {
        [ ${#audio[@]} -eq 0 ] || "$py" "$oracle" --request "$req" "${flags[@]}" -- "${audio[@]}"
        [ ${#b64[@]} -eq 0 ] || "$py" "$oracle" --request "$req" "${flags[@]}" --base64 -- "${b64[@]}"
      } > "expected-$req.jsonl"
    done
    # Some libsndfile readers print to stdout themselves, which would
    # corrupt the golden files: every line must be the model's JSON, one
    # per file, in order.
    "$py" - "${#audio[@]}" "${#b64[@]}" <<'PY'
import json, sys
want = int(sys.argv[1]) + int(sys.argv[2])
for req in ("unscripted", "scripted"):
    lines = open("expected-%s.jsonl" % req).read().splitlines()
    for i, line in enumerate(lines, 1):
        try:
            json.loads(line)["input"]
        except (ValueError, KeyError, TypeError):
            sys.exit("make-corpus.sh: expected-%s.jsonl line %d is not the model's JSON: %.80r" % (req, i, line))
    if len(lines) != want:
        sys.exit("make-corpus.sh: expected-%s.jsonl has %d lines for %d files" % (req, len(lines), want))
PY
  )
  printf 'corpus %-8s %5d files  %s\n' "$fam" "$(find "$dir" -type f ! -name 'expected-*' ! -name model-flags ! -name '*.framemd5' | wc -l)" "$(du -sh "$dir" | cut -f1)"
done
