#!/usr/bin/env bash
# pgo-profile.sh — regenerates default.pgo, the CPU profile the Go toolchain builds the binary
# with (profile-guided optimisation: `go build` and `go install` use a main package's default.pgo
# unless -pgo=off). It is the command's own work on the benchmark workload, in process: a
# header check of the 1000 small files and a full check of the 1000 Ogg-Opus clips (cmd's
# BenchmarkCheckSmallHeaderOnly and BenchmarkCheckOpusFull), the rows where the run's per-input
# work decides. More is not better: with FLAC's decoding or JSON rendering merged in, their
# samples outweigh the rest and the compiler leaves the Opus path as it was (measured on the
# Opus row: 10.9 ms without a profile, 10.5–10.8 ms with those merged in, 9.9 ms with this one;
# FLAC and WAV the same with any).
#
# usage: scripts/pgo-profile.sh [WORKLOAD_DIR]   (default /tmp/apf-workload, made if missing)
# Regenerate it when the hot paths change (a new parser, the run loop, a renderer) and compare
# scripts/bench.sh before and after; a stale profile costs speed, never correctness.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/tmp/apf-workload}
bash "$repo/scripts/bench-workload.sh" "$dir" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$repo"
AUDIOPREFLIGHT_WORKLOAD=$dir go test ./cmd -run '^$' -bench '^BenchmarkCheck(SmallHeaderOnly|OpusFull)$' \
  -benchtime 3s -cpuprofile "$tmp/check.prof" -o "$tmp/cmd.test" >&2
cp "$tmp/check.prof" default.pgo
echo "pgo-profile.sh: wrote default.pgo ($(wc -c < default.pgo) bytes)" >&2
