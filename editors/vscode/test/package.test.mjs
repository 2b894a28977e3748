// Checks that the .vsix will hold every file the extension loads at run time. The extension is
// not bundled: vsce copies the production node_modules, and a careless .vscodeignore line or a
// dependency moved to devDependencies would ship an extension that fails on activation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Files (relative to editors/vscode) that Node reads when VS Code loads the extension. */
function loadedFiles() {
  const Module = require('node:module');
  const { standIn } = require('./client-capabilities.cjs');
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? standIn() : load.call(this, request, ...rest);
  };
  try {
    require(path.join(extensionDir, 'out', 'extension.js'));
  } finally {
    Module._load = load;
  }
  return Object.keys(require.cache)
    .filter((file) => file.startsWith(extensionDir + path.sep) && !file.includes(`${path.sep}test${path.sep}`))
    .map((file) => path.relative(extensionDir, file).split(path.sep).join('/'));
}

test('the package contains every module the extension loads', () => {
  const vsce = path.join(extensionDir, 'node_modules', '.bin', 'vsce');
  const listed = new Set(execFileSync(vsce, ['ls'], { cwd: extensionDir, encoding: 'utf8' }).split('\n'));
  const loaded = loadedFiles();
  assert.ok(loaded.includes('out/extension.js'));
  assert.ok(loaded.some((file) => file.startsWith('node_modules/vscode-languageclient/')));
  const missing = loaded.filter((file) => !listed.has(file));
  assert.deepEqual(missing, [], 'loaded at run time but left out of the .vsix');
});

test('the platform-neutral package carries no server (only scripts/package.sh adds server/)', () => {
  const vsce = path.join(extensionDir, 'node_modules', '.bin', 'vsce');
  const listed = execFileSync(vsce, ['ls'], { cwd: extensionDir, encoding: 'utf8' }).split('\n');
  assert.deepEqual(listed.filter((file) => file.startsWith('server/') || file.startsWith('e2e/') || file.startsWith('scripts/')), []);
});
