#!/usr/bin/env bash
# build-web.sh — build audiopreflight for the browser.
#
# usage: scripts/build-web.sh OUTDIR
#
# Writes into OUTDIR:
#   audiopreflight.wasm   the check (web/wasm): probe, validate and the JSONL result, no network code
#   audiopreflight-fix.wasm  the fix (web/wasmfix): the fix command's engine, loaded the first time
#                         a page calls fix, so that the check module stays small
#   wasm_exec.js          Go's runtime glue for it, from this Go's GOROOT
#   audiopreflight.js     the ES module that loads both: load() → {check(bytes, options)}
#   index.html demo.js    the demo page (drop a file or record one; nothing leaves the browser)
# and prints the modules' sizes, raw and gzipped. Serve OUTDIR over http(s) (a page loaded from
# file:// cannot fetch the module), e.g. `python3 -m http.server -d OUTDIR`.
#
# -gcflags=all=-l turns inlining off: the module is about 7 % smaller gzipped (1.46 MB against
# 1.57 MB with Go 1.26), for a check that stays well under the time a page takes to paint
# (README: Use it in the browser). -s -w leave out the symbol table and DWARF.
# Needs: go.
set -euo pipefail
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/build-web.sh OUTDIR" >&2
  exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -gcflags=all=-l -o "$out/audiopreflight.wasm" ./web/wasm
GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -gcflags=all=-l -o "$out/audiopreflight-fix.wasm" ./web/wasmfix

goroot=$(go env GOROOT)
glue=$goroot/lib/wasm/wasm_exec.js # Go 1.24 and later
[ -f "$glue" ] || glue=$goroot/misc/wasm/wasm_exec.js
cp "$glue" "$out/wasm_exec.js"
cp web/audiopreflight.js web/index.html web/demo.js "$out/"

for m in audiopreflight.wasm audiopreflight-fix.wasm; do
  raw=$(stat -c %s "$out/$m")
  gz=$(gzip -9 -c "$out/$m" | wc -c)
  echo "build-web.sh: $out/$m: $raw bytes, $gz gzipped"
done
