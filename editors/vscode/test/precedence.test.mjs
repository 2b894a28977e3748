// Settings precedence end to end: built-in defaults < kbls.toml < what the user set in VS Code.
//
// A corpus whose kbls.toml says `stale_after_days = 20` holds a note dated 40 days before
// KBLS_TODAY. The note is stale only if kbls.toml beats the server's default (180) and
// package.json's `default` (180, which the extension must never send); it is fresh again when
// the user sets `kbls.staleAfterDays` to 365. The settings sent are exactly those the compiled
// extension sends (test/extension-host.cjs runs out/extension.js against a stand-in `vscode`),
// and the real server (test/server-bin.cjs: $KBLS_BIN, target/debug/kbls or `kbls` on PATH) answers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node.js';

const require = createRequire(import.meta.url);
const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(extensionDir, '../..');
const { serverBin: findServerBin } = require('./server-bin.cjs');
let serverBin; // resolved in before(), so a missing binary fails the tests with its message
const { vscodeClientCapabilities, VSCODE_VERSION } = require('./client-capabilities.cjs');
const { loadExtension } = require('./extension-host.cjs');

const TODAY = '2026-11-28';
const NOTE_DATE = '2026-10-19'; // 40 days before TODAY: stale after 20 days, fresh under 180 or 365
const DEADLINE_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;

let kb; // the corpus root (a temporary directory)
let note; // its one note, which the editor has open

before(() => {
  serverBin = findServerBin();
  assert.ok(
    fs.existsSync(path.join(extensionDir, 'out', 'extension.js')),
    'out/extension.js is missing: run `npm run compile` in editors/vscode first (npm test does)',
  );
  kb = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'kbls-precedence-'));
  fs.writeFileSync(path.join(kb, 'kbls.toml'), 'stale_after_days = 20\n');
  note = path.join(kb, 'old.md');
  // The broken link is a witness: once it is reported, the note's diagnostics have been computed.
  fs.writeFileSync(note, `# Old\n\nLast updated: ${NOTE_DATE}\n\nSee [gone](missing.md).\n`);
});

after(() => {
  if (kb) {
    fs.rmSync(kb, { recursive: true, force: true });
  }
});

/** `kbls lsp` on the corpus, initialized as VS Code would with the extension's settings. */
async function startServer(extension) {
  const server = spawn(serverBin, ['lsp'], {
    cwd: kb,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, KBLS_TODAY: TODAY },
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  server.stdin.on('error', () => {}); // a dead server shows up as a failed request
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout),
    new rpc.StreamMessageWriter(server.stdin),
  );
  const logs = [];
  connection.onRequest('workspace/configuration', (params) => extension.configurationReply(params.items));
  connection.onRequest(() => null); // registrations, progress, refreshes
  connection.onNotification('window/logMessage', (params) => logs.push(params.message));
  connection.onNotification(() => {});
  connection.listen();

  const request = async (method, params) => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method}: no answer in ${REQUEST_TIMEOUT_MS} ms\nstderr:\n${stderr}`)), REQUEST_TIMEOUT_MS);
    });
    try {
      const sent = params === undefined ? connection.sendRequest(method) : connection.sendRequest(method, params);
      return await Promise.race([sent, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const rootUri = pathToFileURL(kb).href;
  const initializationOptions = extension.initializationOptions();
  await request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: VSCODE_VERSION },
    rootPath: kb,
    rootUri,
    capabilities: vscodeClientCapabilities(),
    initializationOptions,
    workspaceFolders: [{ uri: rootUri, name: path.basename(kb) }],
  });
  connection.sendNotification('initialized', {});
  connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: pathToFileURL(note).href, languageId: 'markdown', version: 1, text: fs.readFileSync(note, 'utf8') },
  });

  return {
    initializationOptions,
    logs,
    /** Sends what the extension sent, as it was sent. */
    forward(notifications) {
      for (const { method, params } of notifications) {
        connection.sendNotification(method, params);
      }
    },
    /** The note's diagnostics once `accept` holds for them (pulled, as VS Code does), or the last ones seen. */
    async diagnosticsUntil(accept) {
      const deadline = Date.now() + DEADLINE_MS;
      for (;;) {
        const report = await request('textDocument/diagnostic', { textDocument: { uri: pathToFileURL(note).href } });
        const items = report?.items ?? [];
        if (accept(items) || Date.now() > deadline) {
          return items;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    /** shutdown and exit; the process is killed whatever happens, so a failure cannot hang the test run. */
    async stop() {
      let res;
      try {
        // Without `params`, as vscode-jsonrpc sends a parameterless request.
        await request('shutdown');
        connection.sendNotification('exit');
        let timer;
        const late = new Promise((resolve) => {
          timer = setTimeout(() => resolve('no exit within 5 s'), 5_000);
        });
        res = await Promise.race([exited, late]).finally(() => clearTimeout(timer));
      } finally {
        connection.dispose();
        if (server.exitCode === null && server.signalCode === null) {
          server.kill();
        }
      }
      assert.deepEqual(res, { code: 0, signal: null }, `server exit after shutdown+exit\nstderr:\n${stderr}`);
    },
  };
}

const codes = (items) => items.map((d) => d.code).sort();
const has = (items, code) => items.some((d) => d.code === code);
const stale = (items) => items.find((d) => d.code === 'stale-note');

test('kbls.toml beats the defaults, a value the user set beats kbls.toml, and unsetting it hands back to kbls.toml', async () => {
  const extension = loadExtension(); // a fresh profile: package.json defaults only
  await extension.activate();
  const server = await startServer(extension);
  try {
    assert.deepEqual(server.initializationOptions, { kbls: {} }, 'nothing set, nothing sent');

    let items = await server.diagnosticsUntil((d) => has(d, 'stale-note'));
    assert.ok(stale(items), `kbls.toml's stale_after_days = 20 must win over the default 180; got ${codes(items)}`);
    assert.match(stale(items).message, /more than the 20 days allowed/);

    // The user sets kbls.staleAfterDays = 365 in their settings.json.
    extension.store.set('globalValue', 'staleAfterDays', 365);
    const sent = await extension.changed('staleAfterDays');
    assert.deepEqual(sent.map((n) => n.params), [{ settings: { kbls: { staleAfterDays: 365 } } }]);
    server.forward(sent);
    items = await server.diagnosticsUntil((d) => has(d, 'broken-link') && !has(d, 'stale-note'));
    assert.ok(has(items, 'broken-link') && !stale(items), `the user's 365 must win over kbls.toml's 20; got ${codes(items)}`);

    // And removes it again: kbls.toml decides once more (the default 180 would not flag the note).
    extension.store.set('globalValue', 'staleAfterDays', undefined);
    const unset = await extension.changed('staleAfterDays');
    assert.deepEqual(unset.map((n) => n.params), [{ settings: { kbls: {} } }]);
    server.forward(unset);
    items = await server.diagnosticsUntil((d) => has(d, 'stale-note'));
    assert.ok(stale(items), `after unsetting, kbls.toml's 20 applies again; got ${codes(items)}`);
    assert.deepEqual(server.logs.filter((m) => /staleAfterDays|settings/i.test(m)), [], 'no settings warnings');
  } finally {
    await server.stop();
    await extension.deactivate();
  }
});

test('a value the user set before the server starts beats kbls.toml from the first diagnostics on', async () => {
  const extension = loadExtension();
  extension.store.set('workspaceValue', 'staleAfterDays', 365); // .vscode/settings.json
  await extension.activate();
  const server = await startServer(extension);
  try {
    assert.deepEqual(server.initializationOptions, { kbls: { staleAfterDays: 365 } });
    const items = await server.diagnosticsUntil((d) => has(d, 'broken-link'));
    assert.ok(has(items, 'broken-link'), `the note was never diagnosed; got ${codes(items)}`);
    assert.ok(!stale(items), `the user's 365 must win over kbls.toml's 20; got ${stale(items)?.message}`);
  } finally {
    await server.stop();
    await extension.deactivate();
  }
});
