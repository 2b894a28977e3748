// Which `kbls` binary the extension starts. No `vscode` import at run time: the Node tests call
// this directly.
import * as os from 'node:os';
import * as path from 'node:path';

/** Where a platform-specific .vsix carries the server (see scripts/package.sh). */
export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(extensionPath, 'server', platform === 'win32' ? 'kbls.exe' : 'kbls');
}

export interface ServerChoice {
  command: string;
  /** Where the command came from, for the log line. */
  source: 'setting' | 'bundled' | 'path';
}

/**
 * The server to run: `kbls.server.path` when the user set it, else the binary bundled in the
 * extension when there is one, else `kbls` on PATH (the platform-neutral .vsix has no server).
 * In the setting, `~` expands to the home directory and a relative path is taken from the first
 * workspace folder; a bare name is looked up on PATH.
 */
export function chooseServer(options: {
  setting: string | undefined;
  bundled: string | undefined;
  folder: string | undefined;
}): ServerChoice {
  let command = (options.setting ?? '').trim();
  if (!command) {
    return options.bundled ? { command: options.bundled, source: 'bundled' } : { command: 'kbls', source: 'path' };
  }
  if (command === '~' || command.startsWith('~/')) {
    command = path.join(os.homedir(), command.slice(1));
  }
  const isBareName = !command.includes('/') && !command.includes(path.sep);
  if (!isBareName && !path.isAbsolute(command) && options.folder) {
    command = path.resolve(options.folder, command);
  }
  return { command, source: 'setting' };
}
