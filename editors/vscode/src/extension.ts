// The kbls VS Code extension: a thin client that starts `kbls lsp` and adds three commands.
// All analysis lives in the server; this file only wires VS Code to it.
import {
  CancellationTokenSource,
  ConfigurationChangeEvent,
  ExtensionContext,
  Location,
  OutputChannel,
  Position,
  QuickPickItem,
  Range,
  commands,
  window,
  workspace,
} from 'vscode';
import {
  DidChangeConfigurationNotification,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ReferencesRequest,
  RequestType,
} from 'vscode-languageclient/node';
import * as fs from 'node:fs';
import { SEARCH_METHOD, SearchHit, SearchParams, backlinksParams, plainSnippet, searchFailure, searchParams } from './protocol';
import { checkServer } from './server';
import { bundledServerPath, chooseServer } from './serverpath';
import { SERVER_SETTING_KEYS, ServerSettings, settingsPayload, userSettings, userValue } from './settings';

const SearchRequest = new RequestType<SearchParams, SearchHit[] | null, void>(SEARCH_METHOD);

/** Wait this long after the last keystroke before querying, so typing doesn't flood the server. */
const SEARCH_DEBOUNCE_MS = 120;

let client: LanguageClient | undefined;
let output: OutputChannel;
/** The installed extension's folder: a platform-specific .vsix has the server in `server/`. */
let extensionPath: string | undefined;
// Start/stop/restart run one at a time: a settings change during startup must not race it.
let lifecycle: Promise<void> = Promise.resolve();

export async function activate(context: ExtensionContext): Promise<void> {
  // One channel for the whole session, so restarts don't leave a trail of dead channels.
  output = window.createOutputChannel('kbls');
  extensionPath = context.extensionPath;
  context.subscriptions.push(
    output,
    commands.registerCommand('kbls.searchNotes', searchNotes),
    commands.registerCommand('kbls.showBacklinks', showBacklinks),
    commands.registerCommand('kbls.restartServer', () => serialize(restart)),
    workspace.onDidChangeConfiguration(onDidChangeConfiguration),
  );
  await serialize(start);
}

export function deactivate(): Promise<void> {
  return serialize(stop);
}

function serialize(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

/**
 * What the user set for the server, never package.json's defaults: an unset key lets the
 * corpus's kbls.toml (or else the server's default) decide.
 */
function readSettings(): ServerSettings {
  return userSettings(workspace.getConfiguration('kbls'));
}

/** The answer to a `workspace/configuration` item, or undefined when it is not a server setting. */
function configurationItem(section: string | undefined): unknown {
  if (section === 'kbls') {
    return readSettings();
  }
  const key = section?.startsWith('kbls.') ? section.slice('kbls.'.length) : undefined;
  if (key && (SERVER_SETTING_KEYS as readonly string[]).includes(key)) {
    // null, not the default: "not set" (the server then reads kbls.toml).
    return userValue(workspace.getConfiguration('kbls').inspect(key)) ?? null;
  }
  return undefined;
}

async function start(): Promise<void> {
  const { command, source } = serverCommand();
  const check = await checkServer(command);
  if (!check.ok) {
    output.appendLine(check.message);
    void showServerError(check.message);
    return;
  }
  const from = { setting: 'kbls.server.path', bundled: 'bundled with the extension', path: 'found on PATH' }[source];
  output.appendLine(`Starting kbls ${check.version} (${command} lsp, ${from})`);

  // No `transport`: with TransportKind.stdio vscode-languageclient would append `--stdio`.
  const serverOptions: Executable = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    // A function, so that every (re)start sends the settings as they are now.
    initializationOptions: () => settingsPayload(readSettings()),
    outputChannel: output,
    middleware: {
      workspace: {
        // If the server pulls settings, answer for `kbls` with the same shape we push: only
        // what the user set (the default handler would fill in package.json's defaults).
        configuration: async (params, token, next) => {
          const res = await next(params, token);
          if (!Array.isArray(res)) {
            return res;
          }
          return params.items.map((item, idx) => {
            const answer = configurationItem(item.section);
            return answer === undefined ? res[idx] : answer;
          });
        },
      },
    },
    // File renames reach the server as workspace/willRenameFiles through the client's built-in
    // file-operations feature, which turns on when the server registers `**/*.md`; nothing here
    // may disable it (no `willRenameFiles` middleware).
  };

  const next = new LanguageClient('kbls', 'kbls', serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (error) {
    client = undefined;
    const message = `kbls: the language server failed to start: ${errorMessage(error)}`;
    output.appendLine(message);
    void window.showErrorMessage(message, 'Show Output').then((choice) => {
      if (choice) {
        output.show();
      }
    });
  }
}

/**
 * `kbls.server.path` when the user set it (its default is empty, and `get()` honours workspace
 * trust: in an untrusted workspace only the user's own settings count), else the bundled server.
 */
function serverCommand(): ReturnType<typeof chooseServer> {
  const bundled = extensionPath ? bundledServerPath(extensionPath) : undefined;
  return chooseServer({
    setting: workspace.getConfiguration('kbls').get<string>('server.path'),
    bundled: bundled && fs.existsSync(bundled) ? bundled : undefined,
    folder: workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
}

async function stop(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) {
    // Our output channel survives: the client only disposes channels it created.
    await current.dispose();
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function showServerError(message: string): Promise<void> {
  const choice = await window.showErrorMessage(message, 'Open Settings', 'Retry');
  if (choice === 'Open Settings') {
    await commands.executeCommand('workbench.action.openSettings', 'kbls.server.path');
  } else if (choice === 'Retry') {
    await serialize(restart);
  }
}

function onDidChangeConfiguration(event: ConfigurationChangeEvent): void {
  if (event.affectsConfiguration('kbls.server.path')) {
    void serialize(restart);
    return;
  }
  // `kbls.trace.server` is handled by the client itself (its id is `kbls`).
  const settingsChanged = SERVER_SETTING_KEYS.some((key) => event.affectsConfiguration(`kbls.${key}`));
  if (settingsChanged && client?.isRunning()) {
    void client
      .sendNotification(DidChangeConfigurationNotification.type, { settings: settingsPayload(readSettings()) })
      .catch((error) => output.appendLine(`kbls: sending settings failed: ${errorMessage(error)}`));
  }
}

/** The running client, or undefined after telling the user why there is none. */
function runningClient(): LanguageClient | undefined {
  if (client?.isRunning()) {
    return client;
  }
  void window.showErrorMessage('kbls: the language server is not running. Run "kbls: Restart Server" after fixing the error above.');
  return undefined;
}

/** A search hit, or a line that only says something (no hit: the server's message, "no notes match"). */
interface HitItem extends QuickPickItem {
  hit?: SearchHit;
}

async function searchNotes(): Promise<void> {
  const lc = runningClient();
  if (!lc) {
    return;
  }
  const pick = window.createQuickPick<HitItem>();
  pick.title = 'kbls: Search Notes';
  pick.placeholder = 'Search titles, headings and text of all notes';
  // The server ranks the hits; VS Code's own fuzzy filter would hide most of them.
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;

  let pending: CancellationTokenSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const runQuery = async (query: string): Promise<void> => {
    pending?.cancel();
    if (!query.trim()) {
      pick.items = [];
      pick.busy = false;
      return;
    }
    const cts = new CancellationTokenSource();
    pending = cts;
    pick.busy = true;
    try {
      const hits = (await lc.sendRequest(SearchRequest, searchParams(query), cts.token)) ?? [];
      if (!cts.token.isCancellationRequested) {
        pick.items = hits.length > 0 ? hits.map(toQuickPickItem) : [messageItem(`No notes match "${query}".`)];
      }
    } catch (error) {
      if (!cts.token.isCancellationRequested) {
        // While indexing, the server says so ("kbls is still building the full-text index of …").
        const message = searchFailure(error);
        output.appendLine(`kbls: search for "${query}": ${message}`);
        pick.items = [messageItem(message, 'Press Enter to search again.')];
      }
    } finally {
      if (pending === cts) {
        pick.busy = false;
      }
    }
  };

  pick.onDidChangeValue((value) => {
    clearTimeout(timer);
    timer = setTimeout(() => void runQuery(value), SEARCH_DEBOUNCE_MS);
  });
  pick.onDidAccept(async () => {
    const item = pick.selectedItems[0];
    if (!item) {
      return;
    }
    if (!item.hit) {
      void runQuery(pick.value);
      return;
    }
    pick.hide();
    const uri = lc.protocol2CodeConverter.asUri(item.hit.uri);
    const start = lc.protocol2CodeConverter.asRange(item.hit.range).start;
    await window.showTextDocument(uri, { selection: new Range(start, start) });
  });
  pick.onDidHide(() => {
    clearTimeout(timer);
    pending?.cancel();
    pick.dispose();
  });

  // Start from the selected text, if any: "search for this" is the common case.
  const editor = window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
  pick.value = selected.includes('\n') ? '' : selected;
  pick.show();
  if (pick.value) {
    void runQuery(pick.value);
  }
}

function toQuickPickItem(hit: SearchHit): HitItem {
  const relative = workspace.asRelativePath(client?.protocol2CodeConverter.asUri(hit.uri) ?? hit.uri, false);
  // The heading path starts with the title, which is the label already.
  const headings = hit.headingPath.startsWith(`${hit.title} > `) ? hit.headingPath.slice(hit.title.length + 3) : hit.headingPath;
  return {
    label: hit.title,
    description: headings && headings !== hit.title ? headings : relative,
    // The snippet is Markdown with the matches in `**`; a QuickPick shows plain text (its
    // `highlights` are not public API), so the markers and escapes go.
    detail: plainSnippet(hit.snippet).text.replace(/\s+/g, ' ').trim(),
    // Keep every hit visible whatever the typed text: the filtering is the server's job.
    alwaysShow: true,
    hit,
  };
}

function messageItem(label: string, detail?: string): HitItem {
  return { label, detail, alwaysShow: true };
}

async function showBacklinks(): Promise<void> {
  const editor = window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'markdown') {
    void window.showInformationMessage('kbls: open a Markdown note to see its backlinks.');
    return;
  }
  const lc = runningClient();
  if (!lc) {
    return;
  }
  const document = editor.document;
  const params = backlinksParams(lc.code2ProtocolConverter.asUri(document.uri));
  let locations: Location[];
  try {
    const res = await lc.sendRequest(ReferencesRequest.type, params);
    locations = (await lc.protocol2CodeConverter.asReferences(res)) ?? [];
  } catch (error) {
    void window.showErrorMessage(`kbls: finding backlinks failed: ${errorMessage(error)}`);
    return;
  }
  if (locations.length === 0) {
    void window.showInformationMessage(`kbls: no notes link to ${workspace.asRelativePath(document.uri)}.`);
    return;
  }
  await commands.executeCommand('editor.action.showReferences', document.uri, new Position(0, 0), locations);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
