// The kbls binary the Node tests run: $KBLS_BIN, else the checkout's debug build
// (../../target/debug/kbls, or under $CARGO_TARGET_DIR), else `kbls` on PATH (as
// `cargo install --path . --locked` leaves it). Throws with all three places when none exists.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir || '.', name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) {
        return file;
      }
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function serverBin() {
  if (process.env.KBLS_BIN) {
    const bin = path.resolve(process.env.KBLS_BIN);
    if (!fs.existsSync(bin)) {
      throw new Error(`KBLS_BIN=${process.env.KBLS_BIN}: no such file`);
    }
    return bin;
  }
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(repoRoot, 'target');
  const debug = path.join(targetDir, 'debug', 'kbls');
  if (fs.existsSync(debug)) {
    return debug;
  }
  const installed = onPath('kbls');
  if (installed) {
    return installed;
  }
  throw new Error(
    `no kbls binary: set KBLS_BIN, or run \`cargo build\` in ${repoRoot} (for ${debug}), ` +
      'or `cargo install --path . --locked` (puts kbls on PATH)',
  );
}

module.exports = { serverBin, onPath };
