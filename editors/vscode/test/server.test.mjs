// Talks to the real kbls server over stdio the way the extension does: the same initialize
// capabilities (computed by vscode-languageclient), the same settings (those the compiled extension
// sends for a fresh profile, see extension-host.cjs) and the same custom requests (built by the
// extension's compiled src/protocol.ts).
//
// The server binary: $KBLS_BIN, else ../../target/debug/kbls, else `kbls` on PATH (test/server-bin.cjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node.js';
import { mostLinkedNote, notesContaining } from './corpus.mjs';

const require = createRequire(import.meta.url);
const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(extensionDir, '../..');
const kbRoot = path.join(repoRoot, 'fixtures', 'kb');
const { serverBin: findServerBin } = require('./server-bin.cjs');
let serverBin; // resolved in before(), so a missing binary fails the tests with its message

/** The server may index the corpus in the background after `initialized`; allow it this long. */
const INDEX_DEADLINE_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;

const { vscodeClientCapabilities, VSCODE_VERSION } = require('./client-capabilities.cjs');
const { loadExtension } = require('./extension-host.cjs');

function compiled(name) {
  const file = path.join(extensionDir, 'out', `${name}.js`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run compile\` in editors/vscode first (npm test does)`);
  }
  return file;
}
const loadCompiled = (name) => require(compiled(name));
const { SEARCH_METHOD, backlinksParams, searchParams } = loadCompiled('protocol');
compiled('extension'); // loaded by extension-host.cjs, with a stand-in `vscode`

/** The extension as loaded in a fresh VS Code profile: the user has set nothing. */
const extension = loadExtension();

const uriOf = (file) => pathToFileURL(file).href;
const pathOf = (uri) => fileURLToPath(uri);
const rel = (file) => path.relative(kbRoot, file);

let server; // ChildProcess
let serverExited; // Promise that rejects when the server process ends
let connection; // rpc.MessageConnection
let stderr = '';
let initializeResult;
const registrations = [];
const unexpectedRequests = [];

/** Runs a request, failing with the method name instead of hanging if the server never answers. */
async function request(method, params) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  try {
    // VS Code sends parameterless requests (shutdown) without `params`, as vscode-jsonrpc does for
    // a call with no argument.
    const sent = params === undefined ? connection.sendRequest(method) : connection.sendRequest(method, params);
    return await Promise.race([sent, timeout, serverExited]);
  } catch (error) {
    // A write to a dead server fails (EPIPE) before its exit is seen; say why it died instead.
    await Promise.race([serverExited, new Promise((resolve) => setTimeout(resolve, 200))]).catch(() => {});
    const exit = server.exitCode !== null || server.signalCode !== null
      ? `kbls lsp exited (code ${server.exitCode}, signal ${server.signalCode})`
      : error.message;
    throw new Error(`${method}: ${exit}\nserver stderr:\n${stderr}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Repeats `attempt` until it returns a truthy value or the index deadline passes; returns the last value. */
async function eventually(attempt) {
  const deadline = Date.now() + INDEX_DEADLINE_MS;
  for (;;) {
    const res = await attempt();
    if (res || Date.now() > deadline) {
      return res;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function openNote(file) {
  connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: uriOf(file), languageId: 'markdown', version: 1, text: fs.readFileSync(file, 'utf8') },
  });
}

/** Paths of the documents a WorkspaceEdit changes, in either of its two shapes. */
function editedFiles(edit) {
  const uris = Object.keys(edit?.changes ?? {});
  for (const change of edit?.documentChanges ?? []) {
    if (change.textDocument) {
      uris.push(change.textDocument.uri);
    }
  }
  return uris.map(pathOf);
}

function allNewTexts(edit) {
  const edits = Object.values(edit?.changes ?? {}).flat();
  for (const change of edit?.documentChanges ?? []) {
    edits.push(...(change.edits ?? []));
  }
  return edits.map((e) => e.newText);
}

before(async () => {
  serverBin = findServerBin();
  assert.ok(fs.existsSync(kbRoot), `fixture corpus ${kbRoot} is missing`);

  server = spawn(serverBin, ['lsp'], { cwd: kbRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  server.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  serverExited = new Promise((_, reject) => {
    server.once('exit', (code, signal) => reject(new Error(`kbls lsp exited (code ${code}, signal ${signal})`)));
  });
  serverExited.catch(() => {}); // only an error while a request is waiting
  // EPIPE on a dead server's stdin is reported through the exit above.
  server.stdin.on('error', () => {});
  connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout),
    new rpc.StreamMessageWriter(server.stdin),
  );

  await extension.activate();
  // Server-to-client requests, answered as vscode-languageclient would (with the extension's middleware).
  connection.onRequest('workspace/configuration', (params) => extension.configurationReply(params.items));
  connection.onRequest('client/registerCapability', (params) => {
    registrations.push(...params.registrations);
    return null;
  });
  for (const method of [
    'client/unregisterCapability',
    'window/workDoneProgress/create',
    'window/showMessageRequest',
    'workspace/codeLens/refresh',
    'workspace/diagnostic/refresh',
    'workspace/inlayHint/refresh',
    'workspace/semanticTokens/refresh',
  ]) {
    connection.onRequest(method, () => null);
  }
  connection.onRequest((method) => {
    unexpectedRequests.push(method);
    return new rpc.ResponseError(rpc.ErrorCodes.MethodNotFound, `test client does not handle ${method}`);
  });
  connection.onNotification(() => {}); // diagnostics, logs and progress are not checked here
  connection.listen();

  const rootUri = uriOf(kbRoot);
  initializeResult = await request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: VSCODE_VERSION },
    locale: 'en',
    rootPath: kbRoot,
    rootUri,
    capabilities: vscodeClientCapabilities(),
    initializationOptions: extension.initializationOptions(),
    trace: 'off',
    workspaceFolders: [{ uri: rootUri, name: path.basename(kbRoot) }],
  });
  connection.sendNotification('initialized', {});
});

after(() => {
  connection?.dispose();
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill();
  }
});

test('initialize: the server advertises what the extension uses', () => {
  const caps = initializeResult.capabilities;
  assert.ok(caps.hoverProvider, 'hoverProvider');
  assert.ok(caps.definitionProvider, 'definitionProvider');
  assert.ok(caps.referencesProvider, 'referencesProvider');
  assert.ok(caps.completionProvider, 'completionProvider');
  if (caps.positionEncoding !== undefined) {
    assert.equal(caps.positionEncoding, 'utf-16', 'VS Code only speaks UTF-16 positions');
  }
});

test('willRenameFiles is registered for Markdown files, so VS Code sends it on explorer renames', async () => {
  const staticFilters = initializeResult.capabilities.workspace?.fileOperations?.willRename?.filters ?? [];
  // Dynamic registration arrives as a request after `initialized`; give it a moment.
  const dynamicFilters = await eventually(() =>
    staticFilters.length > 0
      ? staticFilters
      : registrations.find((r) => r.method === 'workspace/willRenameFiles')?.registerOptions?.filters,
  );
  const filters = staticFilters.length > 0 ? staticFilters : dynamicFilters ?? [];
  assert.ok(
    filters.some((filter) => filter.pattern?.glob?.includes('.md')),
    `expected a willRename filter for **/*.md, got ${JSON.stringify(filters)}`,
  );
});

test(`${SEARCH_METHOD} finds ndots in the networking note`, async () => {
  const expected = notesContaining(kbRoot, 'ndots');
  assert.ok(expected.length > 0, 'no fixture note mentions ndots');

  const hits = await eventually(async () => {
    const res = await request(SEARCH_METHOD, searchParams('ndots'));
    return Array.isArray(res) && res.length > 0 ? res : undefined;
  });
  assert.ok(hits, `no search hits for ndots (expected one in ${expected.map(rel).join(', ')})`);

  for (const hit of hits) {
    assert.equal(typeof hit.uri, 'string');
    assert.equal(typeof hit.title, 'string');
    assert.equal(typeof hit.headingPath, 'string');
    assert.equal(typeof hit.snippet, 'string');
    assert.equal(typeof hit.score, 'number');
    assert.ok(Number.isInteger(hit.range?.start?.line) && Number.isInteger(hit.range?.start?.character), `LSP range: ${JSON.stringify(hit.range)}`);
  }
  const hit = hits.find((h) => expected.includes(pathOf(h.uri)));
  assert.ok(hit, `hits ${hits.map((h) => h.uri).join(', ')} miss ${expected.map(rel).join(', ')}`);
  assert.ok(hit.title.length > 0, 'hit has a title');
  // The range must point at a line of the note that exists (the picker opens the note there).
  const lines = fs.readFileSync(pathOf(hit.uri), 'utf8').split('\n');
  assert.ok(hit.range.start.line < lines.length, `hit line ${hit.range.start.line} is past the end of ${rel(pathOf(hit.uri))}`);
});

test('backlinks: references at 0:0 list the notes linking to a note', async () => {
  const { target, linkers } = mostLinkedNote(kbRoot);
  openNote(target); // the command runs on the active editor, which VS Code has opened

  const locations = await eventually(async () => {
    const res = await request('textDocument/references', backlinksParams(uriOf(target)));
    return Array.isArray(res) && res.length > 0 ? res : undefined;
  });
  assert.ok(locations, `no backlinks for ${rel(target)}; expected links from ${linkers.map(rel).join(', ')}`);
  const sources = new Set(locations.map((loc) => pathOf(loc.uri)));
  assert.ok(
    linkers.some((file) => sources.has(file)),
    `backlinks of ${rel(target)} come from ${[...sources].map(rel).join(', ')}, none of ${linkers.map(rel).join(', ')}`,
  );
  assert.ok(!sources.has(target), 'with includeDeclaration=false the note itself is not a backlink');

  connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(target) } });
});

test('workspace/willRenameFiles rewrites the links to a renamed note', async () => {
  const { target, linkers } = mostLinkedNote(kbRoot);
  const newName = `${path.basename(target, '.md')}-renamed.md`;
  const params = { files: [{ oldUri: uriOf(target), newUri: uriOf(path.join(path.dirname(target), newName)) }] };

  const edit = await eventually(async () => {
    const res = await request('workspace/willRenameFiles', params);
    return editedFiles(res).length > 0 ? res : undefined;
  });
  assert.ok(edit, `willRenameFiles for ${rel(target)} returned no edits; expected edits in ${linkers.map(rel).join(', ')}`);
  const edited = new Set(editedFiles(edit));
  assert.ok(
    linkers.some((file) => edited.has(file)),
    `edits touch ${[...edited].map(rel).join(', ')}, none of the linking notes ${linkers.map(rel).join(', ')}`,
  );
  assert.ok(
    allNewTexts(edit).some((text) => text.includes(newName) || text.includes(path.basename(newName, '.md'))),
    `no edit mentions ${newName}: ${JSON.stringify(allNewTexts(edit))}`,
  );
});

test('shutdown and exit end the server cleanly', async () => {
  assert.deepEqual(unexpectedRequests, [], 'server sent requests VS Code would reject');
  assert.equal(server.exitCode, null, `server exited early\nstderr:\n${stderr}`);
  await request('shutdown');
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  connection.sendNotification('exit');
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ code: 'no exit within 5 s' }), 5_000);
  });
  const res = await Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
  assert.deepEqual(res, { code: 0, signal: null }, `server exit after shutdown+exit\nstderr:\n${stderr}`);
});
