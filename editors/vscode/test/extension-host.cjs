// Runs the compiled extension (out/extension.js) outside VS Code, to see exactly which settings it
// sends: `vscode` is replaced by a small host with a configuration store that answers `get()` and
// `inspect()` as VS Code does (package.json defaults under the user's global, workspace and
// folder values), commands and a QuickPick a test can type into, and `vscode-languageclient/node`
// by a recorder of the client options, the notifications sent and the requests (answered by the
// test's `client().answer`). `kbls --version` is answered without running anything;
// `loadExtension({ extensionPath })` says where the extension is installed (for server/kbls).
'use strict';
const Module = require('node:module');
const path = require('node:path');

const extensionDir = path.resolve(__dirname, '..');
const pkg = require('../package.json');

/** Settings levels a user can write, lowest precedence first (see src/settings.ts). */
const LEVELS = [
  'globalValue',
  'workspaceValue',
  'workspaceFolderValue',
  'globalLanguageValue',
  'workspaceLanguageValue',
  'workspaceFolderLanguageValue',
];

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(lower, higher) {
  if (!isPlainObject(lower) || !isPlainObject(higher)) {
    return higher;
  }
  const res = { ...lower };
  for (const [key, value] of Object.entries(higher)) {
    res[key] = merge(res[key], value);
  }
  return res;
}

/**
 * A stand-in for VS Code's configuration of the `kbls` section. `set(level, key, value)` writes
 * what a user would (value undefined removes it); package.json's defaults are always there.
 */
function configurationStore() {
  const written = Object.fromEntries(LEVELS.map((level) => [level, {}]));
  const defaultValue = (key) => pkg.contributes.configuration.properties[`kbls.${key}`]?.default;
  const inspect = (key) => {
    const res = { key: `kbls.${key}`, defaultValue: defaultValue(key) };
    for (const level of LEVELS) {
      if (key in written[level]) {
        res[level] = written[level][key];
      }
    }
    return res;
  };
  // As VS Code: the default, then each level on top (objects merge), null and undefined skipped.
  const get = (key) => {
    const inspected = inspect(key);
    let value = inspected.defaultValue;
    for (const level of LEVELS) {
      if (inspected[level] !== undefined && inspected[level] !== null) {
        value = merge(value, inspected[level]);
      }
    }
    return value;
  };
  // getConfiguration(name): keys of the store are relative to `kbls`; other sections are empty.
  const section = (name) => {
    const own = (key) => {
      const full = name ? `${name}.${key}` : key;
      return full.startsWith('kbls.') ? full.slice('kbls.'.length) : undefined;
    };
    return {
      get: (key, fallback) => (own(key) === undefined ? undefined : get(own(key))) ?? fallback,
      inspect: (key) => (own(key) === undefined ? undefined : inspect(own(key))),
      has: (key) => own(key) !== undefined && get(own(key)) !== undefined,
    };
  };
  const set = (level, key, value) => {
    if (!LEVELS.includes(level)) {
      throw new Error(`unknown settings level ${level}`);
    }
    if (value === undefined) {
      delete written[level][key];
    } else {
      written[level][key] = value;
    }
  };
  // The whole `kbls` section, as `getConfiguration().get('kbls')` gives it (defaults included).
  const sectionValue = () => {
    const res = {};
    for (const property of Object.keys(pkg.contributes.configuration.properties)) {
      const key = property.slice('kbls.'.length);
      const value = get(key);
      let target = res;
      const parts = key.split('.');
      for (const part of parts.slice(0, -1)) {
        target = target[part] ??= {};
      }
      target[parts.at(-1)] = value;
    }
    return res;
  };
  return { section, set, get, inspect, sectionValue };
}

class Disposable {
  dispose() {}
}

/**
 * Loads out/extension.js against the stand-ins. Returns the configuration store and the recorded
 * clients; `activate()` must be awaited before the client exists.
 */
function loadExtension({ extensionPath = path.join(extensionDir, 'no-such-install') } = {}) {
  const store = configurationStore();
  const clients = [];
  const configurationListeners = [];
  const errors = [];
  const quickPicks = [];
  const commandHandlers = new Map();
  const shown = [];

  const vscode = {
    CancellationTokenSource: class {
      constructor() {
        this.token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
      }
      cancel() {
        this.token.isCancellationRequested = true;
      }
      dispose() {}
    },
    Location: class {},
    Position: class {
      constructor(line, character) {
        Object.assign(this, { line, character });
      }
    },
    Range: class {
      constructor(start, end) {
        Object.assign(this, { start, end });
      }
    },
    commands: {
      registerCommand: (id, handler) => {
        commandHandlers.set(id, handler);
        return new Disposable();
      },
      executeCommand: async () => undefined,
    },
    window: {
      createOutputChannel: () => ({ appendLine() {}, append() {}, show() {}, dispose() {} }),
      showErrorMessage: async (message) => {
        errors.push(message);
        return undefined;
      },
      showInformationMessage: async () => undefined,
      showTextDocument: async (uri, options) => {
        shown.push({ uri: String(uri), options });
      },
      createQuickPick: () => {
        const listeners = { value: [], accept: [], hide: [] };
        const pick = {
          items: [],
          selectedItems: [],
          value: '',
          busy: false,
          onDidChangeValue: (listener) => (listeners.value.push(listener), new Disposable()),
          onDidAccept: (listener) => (listeners.accept.push(listener), new Disposable()),
          onDidHide: (listener) => (listeners.hide.push(listener), new Disposable()),
          show() {},
          hide() {
            for (const listener of listeners.hide) listener();
          },
          dispose() {},
          /** Types `value` as a user would; the listeners run as VS Code runs them. */
          type(value) {
            pick.value = value;
            for (const listener of listeners.value) listener(value);
          },
          accept(item) {
            pick.selectedItems = [item];
            for (const listener of listeners.accept) listener();
          },
        };
        quickPicks.push(pick);
        return pick;
      },
    },
    workspace: {
      workspaceFolders: undefined,
      asRelativePath: (uri) => String(uri),
      getConfiguration: (name) => store.section(name),
      onDidChangeConfiguration: (listener) => {
        configurationListeners.push(listener);
        return new Disposable();
      },
    },
  };

  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, running: false, notifications: [], requests: [] });
      /** Answers requests: set by a test, `(method, params) => result` (throw to fail the request). */
      this.answer = () => null;
      this.protocol2CodeConverter = { asUri: (uri) => uri, asRange: (range) => range };
      clients.push(this);
    }
    async sendRequest(type, params) {
      this.requests.push({ method: type.method, params });
      return this.answer(type.method, params);
    }
    async start() {
      this.running = true;
    }
    isRunning() {
      return this.running;
    }
    async sendNotification(type, params) {
      this.notifications.push({ method: type.method, params: JSON.parse(JSON.stringify(params)) });
    }
    async dispose() {
      this.running = false;
    }
  }
  const languageClient = {
    LanguageClient,
    DidChangeConfigurationNotification: { type: { method: 'workspace/didChangeConfiguration' } },
    ReferencesRequest: { type: { method: 'textDocument/references' } },
    RequestType: class {
      constructor(method) {
        this.method = method;
      }
    },
  };
  const childProcess = {
    ...require('node:child_process'),
    execFile: (command, args, options, callback) => {
      callback(null, 'kbls 0.1.0\n', '');
    },
  };

  const outDir = path.join(extensionDir, 'out') + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(outDir)) {
      delete require.cache[file]; // every load gets its own stand-ins
    }
  }
  const load = Module._load;
  Module._load = function (request, ...rest) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return languageClient;
    if (request === 'node:child_process' || request === 'child_process') return childProcess;
    return load.call(this, request, ...rest);
  };
  let extension;
  try {
    extension = require(path.join(extensionDir, 'out', 'extension.js'));
  } finally {
    Module._load = load;
  }

  const client = () => {
    const current = clients.at(-1);
    if (!current) {
      throw new Error(`the extension started no client; errors shown: ${JSON.stringify(errors)}`);
    }
    return current;
  };

  return {
    store,
    errors,
    client,
    quickPicks,
    shown,
    activate: () => extension.activate({ subscriptions: [], extensionPath }),
    /** Runs a registered command, as the command palette does. */
    command: (id, ...args) => commandHandlers.get(id)(...args),
    deactivate: () => extension.deactivate(),
    /** The `initializationOptions` the client would send now (JSON, as on the wire). */
    initializationOptions() {
      const options = client().clientOptions.initializationOptions;
      return JSON.parse(JSON.stringify(typeof options === 'function' ? options() : options));
    },
    /**
     * The client's answer to a server's `workspace/configuration` request: the extension's
     * middleware on top of the default handler, which (as vscode-languageclient's does) reads
     * `getConfiguration().get(section)`, package.json defaults included.
     */
    async configurationReply(items) {
      const next = (params) =>
        params.items.map((item) => {
          if (item.section === 'kbls') return store.sectionValue();
          if (item.section?.startsWith('kbls.')) return store.get(item.section.slice('kbls.'.length)) ?? null;
          return null;
        });
      const middleware = client().clientOptions.middleware?.workspace?.configuration;
      const params = { items };
      const token = new vscode.CancellationTokenSource().token;
      const res = middleware ? await middleware(params, token, next) : next(params);
      return JSON.parse(JSON.stringify(res));
    },
    /**
     * Tells the extension that `kbls.<key>` changed for each key, as VS Code does after the user
     * edits settings, and returns the notifications the client sent in response.
     */
    async changed(...keys) {
      const current = client();
      const before = current.notifications.length;
      const event = {
        affectsConfiguration: (section) =>
          section === 'kbls' || keys.some((key) => section === `kbls.${key}` || `kbls.${key}`.startsWith(`${section}.`)),
      };
      for (const listener of configurationListeners) {
        listener(event);
      }
      await new Promise((resolve) => setImmediate(resolve));
      return current.notifications.slice(before);
    },
  };
}

module.exports = { loadExtension, configurationStore, LEVELS };
