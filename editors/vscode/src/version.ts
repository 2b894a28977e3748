// Parsing and comparing the server's `kbls --version` output. No `vscode` import: the Node tests
// load the compiled module directly.

/** The oldest server this extension speaks to (it relies on `kbls/search` and willRenameFiles). */
export const MIN_SERVER_VERSION = '0.1.0';

export type Version = [major: number, minor: number, patch: number];

/** Reads `kbls X.Y.Z` (anything after the version, such as a git hash, is ignored). */
export function parseVersion(output: string): Version | undefined {
  const match = /^kbls (\d+)\.(\d+)\.(\d+)/m.exec(output.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function isAtLeast(version: Version, minimum: string): boolean {
  const min = parseVersion(`kbls ${minimum}`);
  if (!min) {
    throw new Error(`invalid minimum version ${minimum}`);
  }
  for (let i = 0; i < 3; i++) {
    if (version[i] !== min[i]) {
      return version[i] > min[i];
    }
  }
  return true;
}

export function formatVersion(version: Version): string {
  return version.join('.');
}
