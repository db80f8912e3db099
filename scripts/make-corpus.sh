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
#   MODEL_TIMEOUT           CPU seconds the model may take on one file (default 60); a file it never
#                           finishes (libsndfile's reading goes round forever) is left out of the
#                           corpus, and named on stderr.
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
timeout=${MODEL_TIMEOUT:-60}
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
    # A file whose reading libsndfile never finishes has no verdict: run-model.py leaves it
    # out (after MODEL_TIMEOUT CPU seconds without output) and lists it in .hung; it is removed.
    : > .hung
    for req in unscripted scripted; do
      {
        [ ${#audio[@]} -eq 0 ] || "$py" "$here/run-model.py" .hung "$timeout" ${#audio[@]} "$py" "$oracle" --request "$req" "${flags[@]}" -- "${audio[@]}"
        [ ${#b64[@]} -eq 0 ] || "$py" "$here/run-model.py" .hung "$timeout" ${#b64[@]} "$py" "$oracle" --request "$req" "${flags[@]}" --base64 -- "${b64[@]}"
      } > "expected-$req.jsonl"
    done
    # Some libsndfile readers print to stdout themselves, which would
    # corrupt the golden files: every line must be the model's JSON, one
    # per file, in order.
    "$py" - "${#audio[@]}" "${#b64[@]}" <<'PY'
import json, os, sys
hung = set(open(".hung").read().split("\n")) - {""}
want = int(sys.argv[1]) + int(sys.argv[2]) - len(hung)
for req in ("unscripted", "scripted"):
    lines = open("expected-%s.jsonl" % req).read().splitlines()
    kept = []
    for i, line in enumerate(lines, 1):
        try:
            name = json.loads(line)["input"]
        except (ValueError, KeyError, TypeError):
            sys.exit("make-corpus.sh: expected-%s.jsonl line %d is not the model's JSON: %.80r" % (req, i, line))
        if name not in hung:
            kept.append(line)
    if len(kept) != want:
        sys.exit("make-corpus.sh: expected-%s.jsonl has %d lines for %d files" % (req, len(kept), want))
    with open("expected-%s.jsonl" % req, "w") as f:
        f.write("".join(l + "\n" for l in kept))
for name in hung:
    os.remove(name)
if hung:
    print("make-corpus.sh: %d file(s) left out, the model never finished them: %s" % (len(hung), " ".join(sorted(hung))), file=sys.stderr)
PY
    rm -f .hung
  )
  printf 'corpus %-8s %5d files  %s\n' "$fam" "$(find "$dir" -type f ! -name 'expected-*' ! -name model-flags ! -name '*.framemd5' | wc -l)" "$(du -sh "$dir" | cut -f1)"
done
