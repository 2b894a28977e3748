#!/usr/bin/env bash
# Builds a platform-specific .vsix with the kbls server inside, as rust-analyzer's `xtask dist`
# does:
#
#   editors/vscode/scripts/package.sh <rust-target-triple>
#   e.g. editors/vscode/scripts/package.sh x86_64-unknown-linux-gnu  ->  kbls-0.1.0-linux-x64.vsix
#
# It runs `cargo build --release --locked --target <triple>` in the repository, copies the binary to
# editors/vscode/server/kbls (kbls.exe on Windows), and runs `vsce package --target <vscode-target>`
# in editors/vscode. The extension starts that bundled server unless the user sets
# `kbls.server.path`.
#
# KBLS_BIN=/path/to/kbls skips the cargo build and bundles that binary instead (it must be built
# for the triple given); the editor tests use it to package the debug build they already have.
# KBLS_VSIX_OUT=/path/to/file.vsix writes the package there instead of editors/vscode/.
#
# Needs `npm ci` in editors/vscode first (for tsc and vsce); cross-compiling needs the target's
# toolchain (`rustup target add <triple>`, a linker).
set -euo pipefail

fail() {
  printf 'package.sh: %s\n' "$*" >&2
  exit 1
}

[ $# -eq 1 ] || fail "usage: package.sh <rust-target-triple>, e.g. x86_64-unknown-linux-gnu"
triple=$1

# Rust target triple -> VS Code platform (the `--target` of vsce), as rust-analyzer maps them.
case "$triple" in
  x86_64-unknown-linux-gnu) platform=linux-x64 ;;
  aarch64-unknown-linux-gnu) platform=linux-arm64 ;;
  arm-unknown-linux-gnueabihf | armv7-unknown-linux-gnueabihf) platform=linux-armhf ;;
  x86_64-unknown-linux-musl) platform=alpine-x64 ;;
  aarch64-unknown-linux-musl) platform=alpine-arm64 ;;
  x86_64-apple-darwin) platform=darwin-x64 ;;
  aarch64-apple-darwin) platform=darwin-arm64 ;;
  x86_64-pc-windows-msvc) platform=win32-x64 ;;
  aarch64-pc-windows-msvc) platform=win32-arm64 ;;
  *) fail "no VS Code platform for the Rust target '$triple' (known: x86_64/aarch64-unknown-linux-gnu, arm-unknown-linux-gnueabihf, x86_64/aarch64-unknown-linux-musl, x86_64/aarch64-apple-darwin, x86_64/aarch64-pc-windows-msvc)" ;;
esac
case "$triple" in
  *-windows-*) exe=kbls.exe ;;
  *) exe=kbls ;;
esac

extension_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$extension_dir/../.." && pwd)
version=$(node -p "require('$extension_dir/package.json').version")
out=${KBLS_VSIX_OUT:-$extension_dir/kbls-$version-$platform.vsix}

if [ -n "${KBLS_BIN:-}" ]; then
  bin=$KBLS_BIN
  [ -x "$bin" ] || fail "KBLS_BIN=$bin is not an executable file"
else
  echo "== cargo build --release --target $triple"
  (cd "$repo" && cargo build --release --locked --target "$triple")
  bin="${CARGO_TARGET_DIR:-$repo/target}/$triple/release/$exe"
  [ -x "$bin" ] || fail "cargo build did not produce $bin"
fi

[ -x "$extension_dir/node_modules/.bin/vsce" ] || fail "vsce is missing: run \`npm ci\` in $extension_dir first"

# server/ exists only while packaging, so the platform-neutral `npm run package` never ships a
# stale binary.
server_dir="$extension_dir/server"
rm -rf "$server_dir"
trap 'rm -rf "$server_dir"' EXIT
mkdir -p "$server_dir"
cp "$bin" "$server_dir/$exe"
chmod 755 "$server_dir/$exe"
# The release profile keeps line tables for profiling (`debug = 1`); the shipped server does not
# need them (a 122 MB binary strips to 14 MB). `strip` knows the host's format only, so other targets ship as built.
host=$(rustc -vV | sed -n 's/^host: //p')
if [ "$triple" = "$host" ] && command -v strip >/dev/null; then
  strip "$server_dir/$exe"
fi

cd "$extension_dir"
echo "== vsce package --target $platform ($bin)"
# `vscode:prepublish` compiles the TypeScript first.
node_modules/.bin/vsce package --target "$platform" --out "$out"
echo "wrote $out"
