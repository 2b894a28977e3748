// Unit tests for the extension's vscode-free modules (compiled to out/ by `npm run compile`).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { parseVersion, isAtLeast, MIN_SERVER_VERSION } = require('../out/version.js');
const { SERVER_SETTING_KEYS, settingsPayload, userSettings, userValue } = require('../out/settings.js');
const { configurationStore, loadExtension } = require('./extension-host.cjs');
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

test('settings: nothing the user did not set, package.json defaults included, is sent', () => {
  const store = configurationStore();
  // The stand-in answers like VS Code: get() gives the defaults, inspect() shows where they come from.
  assert.equal(store.section('kbls').get('staleAfterDays'), 180);
  assert.equal(store.section('kbls').inspect('staleAfterDays').defaultValue, 180);
  assert.deepEqual(userSettings(store.section('kbls')), {});
  assert.deepEqual(settingsPayload(userSettings(store.section('kbls'))), { kbls: {} });
  // The JSON on the wire, too: no key with an undefined or null value.
  assert.equal(JSON.stringify(settingsPayload(userSettings(store.section('kbls')))), '{"kbls":{}}');
});

test('settings: each key the user set is sent as set, and only those keys', () => {
  const store = configurationStore();
  store.set('globalValue', 'staleAfterDays', 30);
  assert.deepEqual(userSettings(store.section('kbls')), { staleAfterDays: 30 });
  store.set('workspaceValue', 'codeLens', false);
  store.set('workspaceFolderValue', 'searchIndex', 'disk');
  store.set('globalValue', 'dateHint', true); // equal to the default, but set: sent
  store.set('globalValue', 'rules', { 'broken-link': 'error' });
  assert.deepEqual(userSettings(store.section('kbls')), {
    staleAfterDays: 30,
    codeLens: false,
    searchIndex: 'disk',
    dateHint: true,
    rules: { 'broken-link': 'error' },
  });
  // Settings the server does not read stay in the client.
  store.set('globalValue', 'server.path', '/opt/kbls');
  store.set('globalValue', 'trace.server', 'verbose');
  assert.deepEqual(Object.keys(userSettings(store.section('kbls'))).sort(), ['codeLens', 'dateHint', 'rules', 'searchIndex', 'staleAfterDays']);
});

test('settings: VS Code precedence between the levels the user writes', () => {
  // Folder > workspace > user, and a language-specific value beats all of them.
  assert.equal(userValue({ defaultValue: 180, globalValue: 30, workspaceValue: 60 }), 60);
  assert.equal(userValue({ globalValue: 30, workspaceValue: 60, workspaceFolderValue: 90 }), 90);
  assert.equal(userValue({ workspaceFolderValue: 90, globalLanguageValue: 10 }), 10);
  assert.equal(userValue({ globalLanguageValue: 10, workspaceFolderLanguageValue: 11 }), 11);
  // Defaults, also language-specific ones from extensions, are not the user's.
  assert.equal(userValue({ defaultValue: 180 }), undefined);
  assert.equal(userValue({ defaultValue: 180, defaultLanguageValue: 90 }), undefined);
  assert.equal(userValue(undefined), undefined);
  // null is "not set": the lower level stays; null alone sends nothing.
  assert.equal(userValue({ globalValue: 30, workspaceValue: null }), 30);
  assert.equal(userValue({ globalValue: null }), undefined);
  // Objects merge key by key, the higher level winning per key (as VS Code's get() does).
  assert.deepEqual(
    userValue({ defaultValue: {}, globalValue: { 'broken-link': 'error', 'stale-note': 'off' }, workspaceValue: { 'stale-note': 'hint' } }),
    { 'broken-link': 'error', 'stale-note': 'hint' },
  );
  // An empty object the user wrote is still set (and turns nothing on or off).
  assert.deepEqual(userSettings({ inspect: (key) => (key === 'rules' ? { defaultValue: {}, globalValue: {} } : undefined) }), { rules: {} });
});

test('settings: SERVER_SETTING_KEYS are package.json\'s settings minus the client-side ones', () => {
  const contributed = Object.keys(pkg.contributes.configuration.properties).map((key) => key.slice('kbls.'.length));
  const clientSide = ['server.path', 'trace.server'];
  assert.deepEqual([...SERVER_SETTING_KEYS].sort(), contributed.filter((key) => !clientSide.includes(key)).sort());
});

test('extension: initializationOptions, workspace/configuration and didChangeConfiguration carry only what the user set', async () => {
  const ext = loadExtension();
  await ext.activate();
  const configItems = [{ section: 'kbls' }, { section: 'kbls.staleAfterDays' }, { section: 'kbls.codeLens' }, { section: 'editor' }];

  // A fresh profile: nothing set, so nothing is sent (kbls.toml and the server's defaults decide).
  assert.deepEqual(ext.initializationOptions(), { kbls: {} });
  assert.deepEqual(await ext.configurationReply(configItems), [{}, null, null, null]);

  // The user sets two values: the notification carries exactly those.
  ext.store.set('globalValue', 'staleAfterDays', 365);
  ext.store.set('workspaceValue', 'rules', { 'broken-link': 'error' });
  const sent = await ext.changed('staleAfterDays', 'rules');
  assert.deepEqual(sent, [
    { method: 'workspace/didChangeConfiguration', params: { settings: { kbls: { staleAfterDays: 365, rules: { 'broken-link': 'error' } } } } },
  ]);
  assert.deepEqual(ext.initializationOptions(), { kbls: { staleAfterDays: 365, rules: { 'broken-link': 'error' } } });
  assert.deepEqual(await ext.configurationReply(configItems), [
    { staleAfterDays: 365, rules: { 'broken-link': 'error' } },
    365,
    null,
    null,
  ]);

  // Removing the value from settings.json unsets it again, rather than sending the default.
  ext.store.set('globalValue', 'staleAfterDays', undefined);
  assert.deepEqual(await ext.changed('staleAfterDays'), [
    { method: 'workspace/didChangeConfiguration', params: { settings: { kbls: { rules: { 'broken-link': 'error' } } } } },
  ]);

  // Client-side settings are not sent to the server.
  ext.store.set('globalValue', 'trace.server', 'verbose');
  assert.deepEqual(await ext.changed('trace.server'), []);
  await ext.deactivate();
  assert.deepEqual(ext.errors, []);
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

const { plainSnippet, searchFailure, REQUEST_FAILED } = require('../out/protocol.js');
const { bundledServerPath, chooseServer } = require('../out/serverpath.js');

test('plainSnippet drops the highlight markers and escapes, and keeps where the matches were', () => {
  const res = plainSnippet('The "**ndots**:5" Trap: **ndots** \\*is\\* `x` \\`y\\` a\\\\b');
  assert.equal(res.text, 'The "ndots:5" Trap: ndots *is* `x` `y` a\\b');
  assert.deepEqual(res.highlights.map(([start, end]) => res.text.slice(start, end)), ['ndots', 'ndots']);
  assert.deepEqual(plainSnippet('no match'), { text: 'no match', highlights: [] });
  // A marker left open (a cut snippet) never leaks into the text.
  assert.equal(plainSnippet('…a **b').text, '…a b');
  assert.equal(plainSnippet('🦀 **crab**').highlights[0][0], 3);
});

test('searchFailure shows the server\'s own words while it is indexing', () => {
  const indexing = Object.assign(new Error('kbls is still building the full-text index of 3,412 notes; try again in a moment'), {
    code: REQUEST_FAILED,
  });
  assert.equal(searchFailure(indexing), indexing.message);
  assert.equal(searchFailure(Object.assign(new Error('boom'), { code: -32603 })), 'search failed: boom');
});

test('chooseServer: the user\'s kbls.server.path, else the bundled server, else kbls on PATH', () => {
  const bundled = bundledServerPath('/ext', 'linux');
  assert.equal(bundled, '/ext/server/kbls');
  assert.equal(bundledServerPath('C:\\ext', 'win32').endsWith('kbls.exe'), true);
  assert.deepEqual(chooseServer({ setting: '', bundled, folder: '/kb' }), { command: bundled, source: 'bundled' });
  assert.deepEqual(chooseServer({ setting: undefined, bundled, folder: '/kb' }), { command: bundled, source: 'bundled' });
  assert.deepEqual(chooseServer({ setting: '  ', bundled: undefined, folder: '/kb' }), { command: 'kbls', source: 'path' });
  assert.deepEqual(chooseServer({ setting: '/opt/kbls', bundled, folder: '/kb' }), { command: '/opt/kbls', source: 'setting' });
  assert.deepEqual(chooseServer({ setting: 'kbls', bundled, folder: '/kb' }), { command: 'kbls', source: 'setting' });
  assert.deepEqual(chooseServer({ setting: 'bin/kbls', bundled, folder: '/kb' }), { command: '/kb/bin/kbls', source: 'setting' });
  assert.equal(chooseServer({ setting: '~/bin/kbls', bundled, folder: '/kb' }).command, path.join(os.homedir(), 'bin/kbls'));
});

test('extension: starts the bundled server unless the user set kbls.server.path', async () => {
  const install = fs.mkdtempSync(path.join(os.tmpdir(), 'kbls-ext-'));
  try {
    fs.mkdirSync(path.join(install, 'server'));
    fs.writeFileSync(path.join(install, 'server', 'kbls'), '', { mode: 0o755 });
    let ext = loadExtension({ extensionPath: install });
    await ext.activate();
    assert.equal(ext.client().serverOptions.command, path.join(install, 'server', 'kbls'));
    await ext.deactivate();

    ext = loadExtension({ extensionPath: install });
    ext.store.set('globalValue', 'server.path', '/opt/kbls/kbls');
    await ext.activate();
    assert.equal(ext.client().serverOptions.command, '/opt/kbls/kbls');
    await ext.deactivate();

    // The platform-neutral .vsix has no server/: kbls on PATH.
    ext = loadExtension();
    await ext.activate();
    assert.equal(ext.client().serverOptions.command, 'kbls');
    await ext.deactivate();
    assert.equal(pkg.contributes.configuration.properties['kbls.server.path'].default, '', 'an empty default means "not set"');
  } finally {
    fs.rmSync(install, { recursive: true, force: true });
  }
});

/** Runs "kbls: Search Notes", types `query` and returns the picker once the answer is shown. */
async function searchFor(ext, query) {
  await ext.command('kbls.searchNotes');
  const pick = ext.quickPicks.at(-1);
  const sent = ext.client().requests.length;
  pick.type(query);
  const deadline = Date.now() + 5_000;
  while (ext.client().requests.length === sent || pick.busy) {
    assert.ok(Date.now() < deadline, 'the search was never sent');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return pick;
}

test('Search Notes shows clean snippets, the server\'s message while indexing, and "No notes match" only for no hits', async () => {
  const ext = loadExtension();
  await ext.activate();
  const hit = {
    uri: 'file:///kb/networking.md',
    range: { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } },
    title: 'Kubernetes Networking',
    headingPath: 'Kubernetes Networking > The "ndots:5" Trap',
    snippet: 'The "**ndots**:5" Trap: every name with fewer than 5 dots \\*is\\* tried',
    score: 3,
  };
  ext.client().answer = (method, params) => {
    assert.equal(method, 'kbls/search');
    return params.query === 'ndots' ? [hit] : [];
  };
  let pick = await searchFor(ext, 'ndots');
  assert.deepEqual(ext.client().requests.at(-1).params, { query: 'ndots', limit: 50 });
  assert.equal(pick.items.length, 1);
  assert.equal(pick.items[0].detail, 'The "ndots:5" Trap: every name with fewer than 5 dots *is* tried');
  assert.equal(pick.items[0].description, 'The "ndots:5" Trap', 'the heading path without the title, which is the label');
  pick.accept(pick.items[0]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(ext.shown.map((s) => s.uri), [hit.uri]);

  pick = await searchFor(ext, 'nothing');
  assert.deepEqual(pick.items.map((item) => [item.label, item.hit]), [['No notes match "nothing".', undefined]]);

  // While the index is built the server answers RequestFailed with why; that is what the user reads.
  const indexing = 'kbls is still building the full-text index of 47 notes; try again in a moment';
  ext.client().answer = () => {
    throw Object.assign(new Error(indexing), { code: REQUEST_FAILED });
  };
  pick = await searchFor(ext, 'ndots');
  assert.deepEqual(pick.items.map((item) => item.label), [indexing]);
  assert.ok(!pick.items.some((item) => /no notes match/i.test(item.label)));
  // Enter on the message searches again instead of opening anything.
  ext.client().answer = () => [hit];
  const before = ext.client().requests.length;
  pick.accept(pick.items[0]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(ext.client().requests.length, before + 1);
  assert.equal(pick.items[0].hit, hit);
  await ext.deactivate();
});
