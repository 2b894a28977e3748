#!/usr/bin/env bash
# Installs what the VS Code end-to-end test (vscode.test.mjs) needs, from the package registries
# only: Debian's chromium and ripgrep (and the headers code-server's native modules build
# against), then code-server and playwright-core as pinned by package-lock.json here.
#
# code-server's own postinstall runs `npm install` in lib/vscode, where @vscode/ripgrep downloads
# ripgrep from GitHub. This machine reaches only the registries, so the download is fed from a
# cache: @vscode/ripgrep first looks for its release tarball in $TMPDIR/vscode-ripgrep-cache-<version>/,
# and we put Debian's `rg` there in a tarball of that name. Native modules (node-pty, spdlog,
# kerberos, argon2, ...) have no reachable prebuilds and are built from source by node-gyp with
# the headers of the installed Node (`nodedir`), not downloaded ones.
#
# Does nothing when the installed packages already match package-lock.json. Run as root (apt).
set -euo pipefail

e2e=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$e2e"

fail() {
  printf 'e2e/install.sh: %s\n' "$*" >&2
  exit 1
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  [ "$(id -u)" = 0 ] || fail "installing ${missing[*]} needs root (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp=node_modules/.kbls-e2e-lock
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] &&
  [ -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ]; then
  exit 0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || fail "code-server 4.100.3 needs Node 20, found $(node --version)"
node_prefix=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
[ -f "$node_prefix/include/node/node_api.h" ] ||
  fail "no Node headers in $node_prefix/include/node (node-gyp would download them, which cannot work here)"

# The @vscode/ripgrep that code-server 4.100.3 pins (its lib/vscode/npm-shrinkwrap.json).
rg_version=1.15.11
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tarball name @vscode/ripgrep 1.15.11 asks for (its lib/postinstall.js and lib/download.js).
case "$(uname -m)" in
  x86_64) rg_asset=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz ;;
  aarch64) rg_asset=ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz ;;
  *) fail "no ripgrep asset name known for $(uname -m)" ;;
esac
mkdir -p "$work/vscode-ripgrep-cache-$rg_version" "$work/rg"
cp "$(command -v rg)" "$work/rg/rg"
tar czf "$work/vscode-ripgrep-cache-$rg_version/$rg_asset" -C "$work/rg" rg

echo "== npm ci in editors/vscode/e2e (code-server builds its native modules: a few minutes)"
rm -rf node_modules
# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which must not prompt.
TMPDIR=$work npm_config_nodedir=$node_prefix npm_config_unsafe_perm=true npm_config_yes=true \
  npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1 || {
  tail -n 60 "$work/npm.log" >&2
  fail "npm ci failed (last lines above)"
}
[ -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ] ||
  fail "code-server installed without its ripgrep"
echo "$lock_hash" >"$stamp"
