#!/usr/bin/env bash
# Writes what release archives and packages ship beside the binary, from
# the binary's own command tree, so they describe exactly that build:
#   manpages/*.1.gz                     scripts/release/manpages, one page a command
#   completions/audiopreflight.{bash,zsh,fish}   `audiopreflight completion SHELL`
# GoReleaser runs it before the builds (.goreleaser.yaml, before.hooks) with
# the release's version; by hand: scripts/release/docs.sh [VERSION].
# The pages are dated SOURCE_DATE_EPOCH, by default the last commit's time,
# and gzip leaves out names and times: the same commit gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=${1:-dev}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The page writer is a program of its own, so that audiopreflight does not
# link its Markdown renderer; it builds the same command tree, and the same
# -X flag gives it the release's version for the pages' header.
ldflags="-X github.com/audiopreflight/audiopreflight/internal/version.version=$version"
go build -trimpath -o "$tmp/audiopreflight" -ldflags "$ldflags" .
go build -trimpath -o "$tmp/manpages" -ldflags "$ldflags" ./scripts/release/manpages

rm -rf manpages completions
mkdir -p manpages completions
"$tmp/manpages" "$tmp/man"
for page in "$tmp"/man/*.1; do
  gzip -9 -n -c "$page" >"manpages/$(basename "$page").gz"
done
for shell in bash zsh fish; do
  "$tmp/audiopreflight" completion "$shell" >"completions/audiopreflight.$shell"
done
