// The extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) with the platform .vsix
// installed, driven through Debian's Chromium by playwright-core, on a copy of fixtures/kb.
//
//   KBLS_VSIX=kbls-0.1.0-linux-x64.vsix KBLS_BIN=path/to/kbls node --test e2e/vscode.test.mjs
//
// KBLS_VSIX is the platform .vsix (scripts/package.sh); the server that runs must be the one inside
// it: code-server gets a PATH with no kbls on it. KBLS_BIN runs `kbls check` for the expected
// Problems count. CHROMIUM overrides /usr/bin/chromium. e2e/install.sh installs what this needs
// (scripts/test.sh runs it). Nothing is skipped: a missing tool fails the test with what to do.
// On a failure the error names a folder with screenshots and code-server's log.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mostLinkedNote, noteLinks } from '../test/corpus.mjs';

const require = createRequire(import.meta.url);
const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(e2eDir, '..', '..', '..');
const pkg = require('../package.json');

/** A step that waits on the UI gives up after this long (a debug server indexes 47 notes in ~1 s). */
const WAIT_MS = 60_000;
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'kbls-vscode-e2e-'));
const screens = path.join(tmp, 'screenshots');
const kb = path.join(tmp, 'kb');
const extensionsDir = path.join(tmp, 'extensions');
let codeServer; // ChildProcess
let codeServerLog = '';
let browser;
let page;
let failed = false;

function fail(message) {
  throw new Error(`vscode e2e: ${message}`);
}

/** Runs one UI step; on failure, saves a screenshot and says where it and the logs are. */
async function step(name, fn) {
  try {
    return await fn();
  } catch (error) {
    failed = true;
    let shot = '';
    if (page) {
      fs.mkdirSync(screens, { recursive: true });
      const file = path.join(screens, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      shot = await page.screenshot({ path: file }).then(() => `screenshot ${file}; `, () => '');
    }
    fs.writeFileSync(path.join(tmp, 'code-server.log'), codeServerLog);
    error.message = `${name}: ${error.message}\n(${shot}code-server log ${path.join(tmp, 'code-server.log')})`;
    throw error;
  }
}

function requireFile(file, hint) {
  if (!file || !fs.existsSync(file)) {
    fail(`${file || '(unset)'} is missing: ${hint}`);
  }
  return path.resolve(file);
}

const vsix = requireFile(process.env.KBLS_VSIX, 'set KBLS_VSIX to the platform .vsix from editors/vscode/scripts/package.sh');
const kblsBin = requireFile(process.env.KBLS_BIN, 'set KBLS_BIN to the kbls binary (bash scripts/test-editors.sh does)');
const chromiumPath = requireFile(process.env.CHROMIUM || '/usr/bin/chromium', 'install Debian\'s chromium (`apt-get install -y chromium`; scripts/test.sh does)');
const codeServerBin = requireFile(
  path.join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  'run `bash editors/vscode/e2e/install.sh` (scripts/test.sh does)',
);
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch {
  fail('playwright-core is missing: run `bash editors/vscode/e2e/install.sh`');
}

/** PATH without any folder holding a `kbls`, so only the bundled server can start. */
function pathWithoutKbls() {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && !fs.existsSync(path.join(dir, 'kbls')));
  return dirs.join(path.delimiter);
}

function codeServerEnv() {
  return {
    ...process.env,
    PATH: pathWithoutKbls(),
    HOME: path.join(tmp, 'home'),
    XDG_CONFIG_HOME: path.join(tmp, 'home', '.config'),
    XDG_DATA_HOME: path.join(tmp, 'home', '.local', 'share'),
    XDG_CACHE_HOME: path.join(tmp, 'home', '.cache'),
    KBLS_CACHE_DIR: path.join(tmp, 'kbls-cache'),
    KBLS_BIN: '',
    KBLS_TODAY: '',
  };
}

function writeUserSettings(extra = {}) {
  const user = path.join(tmp, 'data', 'User');
  fs.mkdirSync(user, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'git.enabled': false,
    'editor.hover.delay': 100,
    'chat.disableAIFeatures': true,
    ...extra,
  };
  fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify(settings, null, 2));
}

before(async () => {
  fs.cpSync(path.join(repoRoot, 'fixtures', 'kb'), kb, { recursive: true });
  fs.mkdirSync(path.join(tmp, 'home'), { recursive: true });
  writeUserSettings();
  const env = codeServerEnv();
  const leaked = env.PATH.split(path.delimiter).find((dir) => fs.existsSync(path.join(dir, 'kbls')));
  assert.equal(leaked, undefined, 'code-server must not find a kbls on PATH');

  execFileSync(process.execPath, [codeServerBin, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(tmp, 'data'), '--install-extension', vsix], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });

  codeServer = spawn(
    process.execPath,
    [
      codeServerBin,
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--user-data-dir', path.join(tmp, 'data'),
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      kb,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in ${WAIT_MS} ms:\n${codeServerLog}`)), WAIT_MS);
    const read = (chunk) => {
      codeServerLog += chunk;
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(codeServerLog);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    codeServer.stdout.on('data', read);
    codeServer.stderr.on('data', read);
    codeServer.once('exit', (code) => reject(new Error(`code-server exited (${code}):\n${codeServerLog}`)));
  });

  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await step('open the workbench', async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(kb)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: WAIT_MS });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: WAIT_MS });
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  if (codeServer && codeServer.exitCode === null) {
    try {
      process.kill(-codeServer.pid, 'SIGTERM'); // code-server and everything it started
    } catch {
      // Already gone.
    }
  }
  if (!failed) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

const rel = (file) => path.relative(kb, file).split(path.sep).join('/');

/** Runs a command from the command palette by its title. */
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: WAIT_MS });
  await input.fill(`>${title}`);
  // Click the row itself: Enter would run whichever row is first while the list still filters.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: WAIT_MS });
  await row.click();
}

/** Opens a note with Quick Open and waits for its tab to be the active one. */
async function openNote(file) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: WAIT_MS });
  await input.fill(rel(file));
  const folder = path.dirname(rel(file));
  let row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) });
  if (folder !== '.') {
    row = row.filter({ hasText: folder });
  }
  await row.first().waitFor({ timeout: WAIT_MS });
  await row.first().click();
  await activeTab(file);
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: WAIT_MS });
}

/** Waits until the active editor tab shows `file`. */
async function activeTab(file) {
  const tab = page.locator(`.tabs-container .tab.active[aria-label^="${path.basename(file)}"]`);
  await tab.waitFor({ timeout: WAIT_MS });
  return tab;
}

/** Moves the cursor with Go to Line/Column (1-based, columns in characters). */
async function goTo(line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: WAIT_MS });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** The first `# ` heading outside code fences: the title hover shows. */
function titleOf(file) {
  let fence = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (marker) {
      fence = fence === null ? marker[1] : null;
      continue;
    }
    const title = fence === null && /^#\s+(.*?)\s*#*\s*$/.exec(line);
    if (title) {
      return title[1];
    }
  }
  fail(`${file} has no title heading`);
}

/** Where in `source` a `[text](…)` link to `target` starts: 1-based line and the column inside its text. */
function linkPosition(source, target) {
  const lines = fs.readFileSync(source, 'utf8').split('\n');
  for (let idx = 0; idx < lines.length; idx++) {
    for (const match of lines[idx].matchAll(/(?<!!)\[([^\]\n]+)\]\(<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?\)/g)) {
      if (path.resolve(path.dirname(source), decodeURI(match[2])) === target) {
        // Inside the destination: hover and F12 answer for the whole link.
        const column = [...lines[idx].slice(0, match.index + match[0].indexOf('](') + 3)].length;
        return { line: idx + 1, column };
      }
    }
  }
  fail(`no [text](path) link to ${rel(target)} in ${rel(source)}`);
}

// Targets from the corpus at run time: the most linked note and the first note linking to it.
const link = (() => {
  const { target, linkers } = mostLinkedNote(path.join(repoRoot, 'fixtures', 'kb'));
  // One in a folder with other notes: the completion test offers a sibling.
  const hasSibling = (file) => fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.md')).length > 1;
  const source = linkers.find((file) => noteLinks(file).includes(target) && hasSibling(file));
  if (!source) {
    fail(`no note linking to ${target} sits next to another note`);
  }
  const toCopy = (file) => path.join(kb, path.relative(path.join(repoRoot, 'fixtures', 'kb'), file));
  return { source: toCopy(source), target: toCopy(target) };
})();

test('the server that runs is the one bundled in the platform .vsix', async () => {
  await step('bundled server', async () => {
    await openNote(link.source);
    const installed = fs.readdirSync(extensionsDir).filter((name) => name.startsWith(`${pkg.publisher}.${pkg.name}-`));
    assert.deepEqual(installed, [`${pkg.publisher}.${pkg.name}-${pkg.version}`], `installed extensions: ${fs.readdirSync(extensionsDir)}`);
    const bundled = path.join(extensionsDir, installed[0], 'server', 'kbls');
    assert.ok(fs.existsSync(bundled), `the .vsix did not install ${bundled}`);
    const deadline = Date.now() + WAIT_MS;
    let servers;
    for (;;) {
      servers = kblsProcesses();
      if (servers.length > 0 || Date.now() > deadline) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(servers, [bundled], 'the running `kbls lsp` processes (their executables)');
  });
});

/** The executables of the `kbls lsp` processes running under code-server. */
function kblsProcesses() {
  const res = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (path.basename(args[0]) === 'kbls' && args[1] === 'lsp' && environ.includes(`KBLS_CACHE_DIR=${path.join(tmp, 'kbls-cache')}`)) {
        res.push(fs.readlinkSync(`/proc/${pid}/exe`));
      }
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return res;
}

test('the Problems count equals kbls check\'s', async () => {
  // Exit code 1: the corpus has error findings, which is what it is for.
  const check = spawnSync(kblsBin, ['check', '--format', 'json', '.'], { cwd: kb, encoding: 'utf8' });
  assert.ok(check.status === 0 || check.status === 1, `kbls check exited ${check.status}: ${check.stderr}`);
  const report = JSON.parse(check.stdout);
  const { errors, warnings, infos } = report.summary;
  assert.ok(errors + warnings + infos > 0, 'fixtures/kb has intended findings');
  await step('problems', async () => {
    await runCommand('View: Focus Problems');
    // The badge on the Problems tab counts every marker in the workspace.
    const badge = page.locator('.part.panel .composite-bar .action-item.checked .badge-content, .part.panel .composite-bar .action-item.checked .badge .badge-content');
    await page.waitForFunction(
      (expected) => {
        const el = document.querySelector('.part.panel .composite-bar .action-item.checked .badge-content');
        return el && el.textContent.trim() === String(expected);
      },
      errors + warnings + infos,
      { timeout: WAIT_MS },
    ).catch(async (error) => {
      const shown = await badge.first().textContent().catch(() => '(no badge)');
      throw new Error(`the Problems badge shows ${shown}, kbls check reports ${errors + warnings + infos} (${errors} errors, ${warnings} warnings, ${infos} infos)`, { cause: error });
    });
    const status = await page.locator('#status\\.problems').first().getAttribute('aria-label');
    assert.ok(status?.startsWith(`Errors: ${errors}, Warnings: ${warnings}`), `the status bar says ${status}`);
  });
});

test('hover on a link shows the target\'s title', async () => {
  const title = titleOf(link.target);
  await step('hover', async () => {
    await openNote(link.source);
    const { line, column } = linkPosition(link.source, link.target);
    await goTo(line, column);
    await runCommand('Show or Focus Hover');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: title });
    await hover.first().waitFor({ timeout: WAIT_MS });
    await page.keyboard.press('Escape');
  });
});

test('F12 on a link opens the target', async () => {
  await step('F12', async () => {
    await openNote(link.source);
    const { line, column } = linkPosition(link.source, link.target);
    await goTo(line, column);
    await page.keyboard.press('F12');
    await activeTab(link.target);
    // The breadcrumbs start with the path in the workspace: the right folder, not a namesake.
    const crumbs = page.locator('.editor-group-container.active .monaco-breadcrumbs .monaco-breadcrumb-item');
    const expected = rel(link.target).split('/');
    await page.waitForFunction(
      (parts) => {
        const items = [...document.querySelectorAll('.editor-group-container.active .monaco-breadcrumbs .monaco-breadcrumb-item')];
        return parts.every((part, idx) => items[idx]?.textContent.trim() === part);
      },
      expected,
      { timeout: WAIT_MS },
    ).catch(async (error) => {
      throw new Error(`breadcrumbs ${JSON.stringify(await crumbs.allTextContents())}, expected ${expected.join(' > ')}`, { cause: error });
    });
  });
});

function listedTwice(labels) {
  const counts = new Map();
  for (const label of labels) {
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([label]) => label);
}

/** The labels in the suggest widget once it shows one that contains `expect`. */
async function suggestions(expect) {
  const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  await rows.filter({ hasText: expect }).first().waitFor({ timeout: WAIT_MS });
  // aria-label: `label, kind` (e.g. `device-plugins.md, File`).
  return rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
}

test('completion after `](` lists each note once, from kbls alone', async () => {
  // A sibling of the source note: both kbls and VS Code's own Markdown path completion would offer it.
  const dir = path.dirname(link.source);
  const sibling = fs.readdirSync(dir).filter((name) => name.endsWith('.md') && path.join(dir, name) !== link.source).sort()[0];
  assert.ok(sibling, `no other note next to ${rel(link.source)}`);
  await step('completion', async () => {
    await openNote(link.source);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('See [x](', { delay: 20 });
    await page.keyboard.press('Control+Space');
    // kbls offers notes here (`../README.md`); VS Code's Markdown server would also offer this
    // note's own headings (`#addons`), which kbls offers only after `#`, and the notes again.
    let labels = await suggestions('.md');
    assert.deepEqual(listedTwice(labels), [], `completion items listed more than once: ${JSON.stringify(labels)}`);
    assert.deepEqual(labels.filter((label) => label.startsWith('#')), [], `VS Code's own Markdown completions are on: ${JSON.stringify(labels)}`);
    await page.keyboard.type(path.basename(sibling, '.md').slice(0, 6), { delay: 20 });
    labels = await suggestions(sibling);
    assert.deepEqual(listedTwice(labels), [], `completion items listed more than once: ${JSON.stringify(labels)}`);
    assert.equal(labels.filter((label) => label.startsWith(`${sibling},`)).length, 1, `${sibling} offered: ${JSON.stringify(labels)}`);
    await page.keyboard.press('Escape');
    await runCommand('File: Revert File');
  });
});

test('Search Notes shows clean text, without the server\'s ** markers', async () => {
  await step('search', async () => {
    await runCommand('kbls: Search Notes');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: WAIT_MS });
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'kbls: Search Notes' }).waitFor({ timeout: WAIT_MS });
    await input.fill('ndots');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'ndots' }).first().waitFor({ timeout: WAIT_MS });
    const texts = await rows.allTextContents();
    assert.ok(texts.length > 0);
    for (const text of texts) {
      assert.ok(!text.includes('**') && !text.includes('\\'), `a search result shows Markdown markers: ${text}`);
    }
    await page.keyboard.press('Escape');
  });
});
