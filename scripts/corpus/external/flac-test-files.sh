#!/usr/bin/env bash
# flac-test-files.sh OUTDIR SCALE — the FLAC decoder testbench as an external corpus.
#
# The testbench (Martijn van Beurden's, CC0: https://github.com/ietf-wg-cellar/flac-test-files)
# is not committed here; the tests read it from $AUDIOPREFLIGHT_CORPORA/flac-test-files when it
# is there (CONTRIBUTING.md#external-corpora). This copies its FLAC files from a clone, keeping
# their subdirectories (subset/, uncommon/, faulty/), so that make-corpus.sh can add the
# reference model's expectations:
#
#   git clone https://github.com/ietf-wg-cellar/flac-test-files /tmp/flac-test-files
#   FLAC_TESTBENCH=/tmp/flac-test-files scripts/make-corpus.sh --out ~/corpora flac-test-files
#   export AUDIOPREFLIGHT_CORPORA=~/corpora
#
# SCALE is ignored. Needs: FLAC_TESTBENCH, the clone's directory.
set -euo pipefail
out=${1:?usage: flac-test-files.sh OUTDIR SCALE}
src=${FLAC_TESTBENCH:?set FLAC_TESTBENCH to a clone of https://github.com/ietf-wg-cellar/flac-test-files}
[ -d "$src/subset" ] || { echo "flac-test-files.sh: $src has no subset/: not the FLAC decoder testbench" >&2; exit 1; }
mkdir -p "$out"
(cd "$src" && find . -path ./.git -prune -o -type f \( -name '*.flac' -o -name 'README*' -o -name 'LICENSE*' \) -print0) |
  while IFS= read -r -d '' f; do
    mkdir -p "$out/$(dirname "$f")"
    cp "$src/$f" "$out/$f"
  done
