// Unit tests for the extension's vscode-free modules (compiled to out/ by `npm run compile`).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { parseVersion, isAtLeast, MIN_SERVER_VERSION } = require('../out/version.js');
const { serverSettings, settingsPayload } = require('../out/settings.js');
const { backlinksParams, searchParams } = require('../out/protocol.js');
const pkg = require('../package.json');

test('parseVersion reads `kbls X.Y.Z`', () => {
  assert.deepEqual(parseVersion('kbls 0.1.0\n'), [0, 1, 0]);
  assert.deepEqual(parseVersion('kbls 1.12.3 (abc1234 2025-01-01)'), [1, 12, 3]);
  assert.equal(parseVersion('marksman 0.1.0'), undefined);
  assert.equal(parseVersion(''), undefined);
});

test('isAtLeast compares numerically, not as text', () => {
  assert.ok(isAtLeast([0, 1, 0], MIN_SERVER_VERSION));
  assert.ok(isAtLeast([0, 10, 0], '0.9.0'));
  assert.ok(isAtLeast([1, 0, 0], '0.99.99'));
  assert.ok(!isAtLeast([0, 0, 9], '0.1.0'));
});

test('settings payload has the server shape and package.json defaults', () => {
  const properties = pkg.contributes.configuration.properties;
  const settings = serverSettings((key) => properties[`kbls.${key}`].default);
  assert.deepEqual(settingsPayload(settings), { kbls: { staleAfterDays: 180, rules: {}, codeLens: true, dateHint: true, searchIndex: 'auto' } });

  const custom = serverSettings((key) => ({ staleAfterDays: 30, rules: { 'broken-link': 'error' }, codeLens: false, dateHint: false, searchIndex: 'disk' })[key]);
  assert.deepEqual(custom, { staleAfterDays: 30, rules: { 'broken-link': 'error' }, codeLens: false, dateHint: false, searchIndex: 'disk' });
});

test('every contributed command and setting is declared once', () => {
  const commands = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(commands, ['kbls.restartServer', 'kbls.searchNotes', 'kbls.showBacklinks']);
  assert.equal(pkg.engines.vscode, `^${pkg.devDependencies['@types/vscode']}`, '@types/vscode must match engines.vscode');
});

test('request params', () => {
  assert.deepEqual(searchParams('ndots'), { query: 'ndots', limit: 50 });
  assert.deepEqual(backlinksParams('file:///kb/a.md'), {
    textDocument: { uri: 'file:///kb/a.md' },
    position: { line: 0, character: 0 },
    context: { includeDeclaration: false },
  });
});
