#!/usr/bin/env bash
# Tries the release as a user gets it, without publishing anything:
#   1. goreleaser check, then a snapshot release as .goreleaser.yaml says
#      (archives, deb/rpm/apk, the Homebrew cask, checksums), all but the
#      container images, which need a Docker daemon;
#   2. each archive holds the binary, the man pages and the completions;
#   3. the .deb for this machine installs with dpkg -i: audiopreflight
#      version runs, man audiopreflight-check opens, the completions are
#      where bash, zsh and fish look; then it is removed again;
#   4. the GitHub Action's tests run against this release (go test -run
#      Action with AUDIOPREFLIGHT_RELEASE_DIST=dist).
# Needs root (dpkg -i), man-db, and GoReleaser: $GORELEASER, or goreleaser
# on the PATH, or else v2.15.1 is built into a temporary directory (a few
# minutes). Leaves dist/, manpages/ and completions/ (all ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../.."

goreleaser=${GORELEASER:-$(command -v goreleaser || true)}
if [ -z "$goreleaser" ]; then
  gobin=$(mktemp -d)
  trap 'rm -rf "$gobin"' EXIT
  echo "== building GoReleaser v2.15.1 into $gobin"
  GOBIN=$gobin GOFLAGS= go install github.com/goreleaser/goreleaser/v2@v2.15.1
  goreleaser=$gobin/goreleaser
fi

echo "== goreleaser check"
"$goreleaser" check
echo "== goreleaser release --snapshot --clean --skip=docker"
"$goreleaser" release --snapshot --clean --skip=docker >dist.log 2>&1 || { cat dist.log; exit 1; }
rm -f dist.log
version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
echo "== snapshot $version"

fail() { echo "FAIL: $*" >&2; exit 1; }

pages=$(ls manpages/*.1.gz | sort)
[ -n "$pages" ] || fail "no man pages were written"
for archive in dist/*.tar.gz dist/*.zip; do
  case $archive in *.zip) list=$(unzip -Z1 "$archive") ;; *) list=$(tar tzf "$archive") ;; esac
  for want in $pages completions/audiopreflight.bash completions/audiopreflight.zsh completions/audiopreflight.fish LICENSE README.md; do
    grep -qx "$want" <<<"$list" || fail "$archive lacks $want"
  done
  grep -qxE 'audiopreflight(\.exe)?' <<<"$list" || fail "$archive lacks the binary"
done
echo "ok: every archive holds the binary, $(wc -l <<<"$pages") man pages and the completions"

arch=$(dpkg --print-architecture)
deb=$(ls dist/*_"$arch".deb)
if dpkg -s audiopreflight >/dev/null 2>&1; then
  fail "an audiopreflight package is installed already: dpkg -r audiopreflight first"
fi
echo "== dpkg -i $deb"
dpkg -i "$deb" >/dev/null
trap 'dpkg -r audiopreflight >/dev/null; rm -rf "${gobin:-}"' EXIT
[ "$(command -v audiopreflight)" = /usr/bin/audiopreflight ] || fail "audiopreflight is not /usr/bin/audiopreflight"
/usr/bin/audiopreflight version | grep -q "^audiopreflight $version\$" || fail "audiopreflight version does not say $version"
page=$(MANPAGER=cat MANWIDTH=250 man audiopreflight-check 2>&1) || fail "man audiopreflight-check: $page"
grep -qE 'audiopreflight-check +- +Say +which +exception' <<<"$page" || fail "man audiopreflight-check: $page"
grep -q -- '--sync-limit' <<<"$page" || fail "the check page has no --sync-limit"
[ "$(man -w audiopreflight-config-verify)" = /usr/share/man/man1/audiopreflight-config-verify.1.gz ] || fail "no page for config verify"
echo "ok: man audiopreflight-check"
for f in /usr/share/bash-completion/completions/audiopreflight /usr/share/zsh/vendor-completions/_audiopreflight \
  /usr/share/fish/vendor_completions.d/audiopreflight.fish /usr/share/doc/audiopreflight/copyright; do
  [ -s "$f" ] || fail "$f was not installed"
done
bash -c 'source /usr/share/bash-completion/completions/audiopreflight && complete -p audiopreflight' >/dev/null ||
  fail "the bash completion does not register"
echo "ok: completions and copyright installed"

echo "== the GitHub Action against this release"
AUDIOPREFLIGHT_RELEASE_DIST=$PWD/dist go test -count=1 -run 'Action' .
echo "test-packages: all passed"
