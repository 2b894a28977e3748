// The settings object sent to the server: only what the user set in VS Code. No `vscode` import
// at run time: the Node tests build the same payload from a stand-in configuration.
//
// Precedence is the server's: its built-in defaults < the corpus's kbls.toml < what the user set
// in the editor. So a key the user did not set must not be sent at all; package.json's `default`s
// are there for the settings UI only and never reach the server (they would override kbls.toml).

/** Configuration keys (under `kbls.`) that the server reads; `server.path` and `trace.server` stay client-side. */
export const SERVER_SETTING_KEYS = ['staleAfterDays', 'rules', 'codeLens', 'dateHint', 'searchIndex'] as const;

export type ServerSettingKey = (typeof SERVER_SETTING_KEYS)[number];

export type Severity = 'error' | 'warning' | 'info' | 'hint' | 'off';

export type SearchIndex = 'auto' | 'memory' | 'disk';

/**
 * The settings the server understands. Every key is optional: an absent key is "not set by the
 * user", and the server then uses kbls.toml or its own default. Values are passed on as the user
 * wrote them; the server checks them and logs what it cannot use.
 */
export interface ServerSettings {
  staleAfterDays?: number;
  rules?: Record<string, Severity>;
  codeLens?: boolean;
  dateHint?: boolean;
  searchIndex?: SearchIndex;
}

/** The part of `WorkspaceConfiguration.inspect()`'s answer read here. */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  defaultLanguageValue?: unknown;
  globalLanguageValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

/** What `workspace.getConfiguration('kbls')` offers that this module needs. */
export interface SettingsSource {
  inspect(key: string): InspectedSetting | undefined;
}

/**
 * The levels a user writes settings at, lowest precedence first, as VS Code orders them
 * (language-specific values beat all others). `defaultValue` and `defaultLanguageValue` come from
 * extensions, not from the user, and are left out.
 */
const USER_LEVELS = [
  'globalValue',
  'workspaceValue',
  'workspaceFolderValue',
  'globalLanguageValue',
  'workspaceLanguageValue',
  'workspaceFolderLanguageValue',
] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key across levels, as VS Code's own `get()` does; anything else is replaced. */
function merge(lower: unknown, higher: unknown): unknown {
  if (!isPlainObject(lower) || !isPlainObject(higher)) {
    return higher;
  }
  const res: Record<string, unknown> = { ...lower };
  for (const [key, value] of Object.entries(higher)) {
    res[key] = merge(res[key], value);
  }
  return res;
}

/** The value the user set for one key at any level, or undefined when they set none (null counts as none). */
export function userValue(inspected: InspectedSetting | undefined): unknown {
  let value: unknown;
  for (const level of USER_LEVELS) {
    const set = inspected?.[level];
    if (set !== undefined && set !== null) {
      // A JSON copy: VS Code hands out frozen proxies, and the wire carries data only.
      value = merge(value, JSON.parse(JSON.stringify(set)));
    }
  }
  return value;
}

/** The server settings the user set explicitly, and no other key. */
export function userSettings(config: SettingsSource): ServerSettings {
  const res: Record<string, unknown> = {};
  for (const key of SERVER_SETTING_KEYS) {
    const value = userValue(config.inspect(key));
    if (value !== undefined) {
      res[key] = value;
    }
  }
  return res as ServerSettings;
}

/** The shape used for `initializationOptions`, `workspace/didChangeConfiguration` and `workspace/configuration`. */
export function settingsPayload(settings: ServerSettings): { kbls: ServerSettings } {
  return { kbls: settings };
}
