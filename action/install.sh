#!/usr/bin/env bash
# Step 1 of the GitHub Action (action.yml): put the audiopreflight release
# for this runner on the PATH.
#
# The version is the `version` input; when it is empty, the Action's own
# ref when that names a release (uses: audiopreflight/audiopreflight@v1.4.2),
# else the latest release. The archive for the runner's OS and architecture
# is downloaded with checksums.txt, verified against it (a mismatch stops the
# job: nothing unverified is ever run or kept), unpacked into the runner's
# tool cache ($RUNNER_TOOL_CACHE/audiopreflight/VERSION/ARCH, the layout of
# @actions/tool-cache, with its .complete marker) and reused from there by
# every later step or job on the runner that asks for the same version.
#
# Environment (set by action.yml from the inputs and contexts):
#   INPUT_VERSION, INPUT_DOWNLOAD_URL, ACTION_REF
# and the runner's RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, RUNNER_TOOL_CACHE,
# GITHUB_OUTPUT, GITHUB_PATH.
set -euo pipefail

releases=${INPUT_DOWNLOAD_URL:-https://github.com/audiopreflight/audiopreflight/releases}
releases=${releases%/}

fail() { echo "::error title=audiopreflight::$*"; exit 1; }

# release versions: 1.4.2, v1.4.2, 1.5.0-rc.1
semver='^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$'

# Retries ride out a flaky network; --fail turns an HTTP error into one.
curl_get() { curl --fail --silent --show-error --location --retry 3 --retry-delay 2 "$@"; }

version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  if [[ "${ACTION_REF:-}" =~ $semver ]]; then
    version=$ACTION_REF
  else
    version=latest
  fi
fi
if [ "$version" = latest ]; then
  # The releases page redirects …/latest to …/tag/vX.Y.Z: no API call, so
  # no rate limit and no token needed.
  tag_url=$(curl_get --head --output /dev/null --write-out '%{url_effective}' "$releases/latest") ||
    fail "cannot find the latest release at $releases/latest"
  version=${tag_url##*/}
  echo "::notice title=audiopreflight::using the latest release, $version (set the version input, or use the Action at a release tag, to pin it)"
fi
if ! [[ "$version" =~ $semver ]]; then
  fail "version \"$version\" is not a release version (like 1.4.2 or v1.4.2, or latest)"
fi
version=${version#v}

case "${RUNNER_OS:-}" in
  Linux) os=linux ext=tar.gz exe=audiopreflight ;;
  macOS) os=darwin ext=tar.gz exe=audiopreflight ;;
  Windows) os=windows ext=zip exe=audiopreflight.exe ;;
  *) fail "runner OS \"${RUNNER_OS:-}\" has no audiopreflight release (Linux, macOS, Windows)" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) fail "runner architecture \"${RUNNER_ARCH:-}\" has no audiopreflight release (X64, ARM64)" ;;
esac

# Keep this name in step with archives.name_template in .goreleaser.yaml.
archive="audiopreflight_${version}_${os}_${arch}.${ext}"
tool_dir="$RUNNER_TOOL_CACHE/audiopreflight/$version/$arch"

if [ -f "$tool_dir.complete" ] && [ -x "$tool_dir/$exe" ]; then
  echo "audiopreflight $version: from the tool cache, $tool_dir"
else
  work=$(mktemp -d "$RUNNER_TEMP/audiopreflight-download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "audiopreflight $version: downloading $archive from $releases"
  curl_get --output "$work/$archive" "$releases/download/v$version/$archive" ||
    fail "cannot download $releases/download/v$version/$archive"
  curl_get --output "$work/checksums.txt" "$releases/download/v$version/checksums.txt" ||
    fail "cannot download $releases/download/v$version/checksums.txt"

  want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/checksums.txt")
  [ -n "$want" ] || fail "checksums.txt of $version does not list $archive"
  if command -v sha256sum >/dev/null; then
    got=$(sha256sum "$work/$archive" | awk '{ print $1 }')
  else
    got=$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')
  fi
  [ "$got" = "$want" ] || fail "$archive does not match checksums.txt (sha256 $got, listed $want): not installed"

  rm -rf "$tool_dir" "$tool_dir.complete"
  mkdir -p "$tool_dir"
  if [ "$ext" = zip ]; then
    unzip -q -o "$work/$archive" -d "$tool_dir"
  else
    tar -xzf "$work/$archive" -C "$tool_dir"
  fi
  [ -x "$tool_dir/$exe" ] || { rm -rf "$tool_dir"; fail "$archive holds no $exe"; }
  touch "$tool_dir.complete"
fi

echo "$tool_dir" >>"$GITHUB_PATH"
{
  echo "version=$version"
  echo "path=$tool_dir/$exe"
} >>"$GITHUB_OUTPUT"
