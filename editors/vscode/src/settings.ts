// The settings object sent to the server, built from the `kbls.*` configuration. No `vscode`
// import: the Node tests build the same payload from package.json's defaults.

/** Configuration keys (under `kbls.`) that the server reads; `server.path` and `trace.server` stay client-side. */
export const SERVER_SETTING_KEYS = ['staleAfterDays', 'rules', 'codeLens', 'dateHint', 'searchIndex'] as const;

export type Severity = 'error' | 'warning' | 'info' | 'hint' | 'off';

export type SearchIndex = 'auto' | 'memory' | 'disk';

export interface ServerSettings {
  staleAfterDays: number;
  rules: Record<string, Severity>;
  codeLens: boolean;
  dateHint: boolean;
  searchIndex: SearchIndex;
}

/** Reads one `kbls.<key>` value; VS Code fills in package.json defaults. */
export type ConfigReader = (key: (typeof SERVER_SETTING_KEYS)[number]) => unknown;

export function serverSettings(read: ConfigReader): ServerSettings {
  const staleAfterDays = read('staleAfterDays');
  const rules = read('rules');
  const codeLens = read('codeLens');
  const dateHint = read('dateHint');
  const searchIndex = read('searchIndex');
  return {
    staleAfterDays: typeof staleAfterDays === 'number' ? staleAfterDays : 180,
    // Copy: VS Code hands out frozen proxies that serialize fine but are awkward to inspect.
    rules: rules && typeof rules === 'object' ? { ...(rules as Record<string, Severity>) } : {},
    codeLens: typeof codeLens === 'boolean' ? codeLens : true,
    dateHint: typeof dateHint === 'boolean' ? dateHint : true,
    searchIndex: searchIndex === 'memory' || searchIndex === 'disk' ? searchIndex : 'auto',
  };
}

/** The shape used for both `initializationOptions` and `workspace/didChangeConfiguration`. */
export function settingsPayload(settings: ServerSettings): { kbls: ServerSettings } {
  return { kbls: settings };
}
