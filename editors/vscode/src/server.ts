// Finds the `kbls` binary and checks that it is new enough before the client starts it.
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { workspace } from 'vscode';
import { MIN_SERVER_VERSION, formatVersion, isAtLeast, parseVersion } from './version';

export const INSTALL_HINT =
  'Install it with `cargo install --path .` in a checkout of the kbls repository ' +
  '(this puts `kbls` in ~/.cargo/bin, which must be on PATH), or set `kbls.server.path` to the binary.';

export type ServerCheck = { ok: true; version: string } | { ok: false; message: string };

/**
 * Turns the `kbls.server.path` setting into a command: a bare name stays as is (PATH lookup),
 * `~` expands to the home directory and a relative path is taken from the first workspace folder.
 */
export function resolveServerPath(setting: string | undefined): string {
  let command = (setting ?? '').trim() || 'kbls';
  if (command === '~' || command.startsWith('~/')) {
    command = path.join(os.homedir(), command.slice(1));
  }
  const isBareName = !command.includes('/') && !command.includes(path.sep);
  const folder = workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!isBareName && !path.isAbsolute(command) && folder) {
    command = path.resolve(folder, command);
  }
  return command;
}

/** Runs `<command> --version` and checks it against MIN_SERVER_VERSION. */
export function checkServer(command: string): Promise<ServerCheck> {
  return new Promise((resolve) => {
    execFile(command, ['--version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) {
        const notFound = (error as NodeJS.ErrnoException).code === 'ENOENT';
        resolve({
          ok: false,
          message: notFound
            ? `kbls: the language server \`${command}\` was not found. ${INSTALL_HINT}`
            : `kbls: \`${command} --version\` failed (${error.message.trim()}). ${INSTALL_HINT}`,
        });
        return;
      }
      const version = parseVersion(stdout);
      if (!version) {
        resolve({
          ok: false,
          message: `kbls: \`${command} --version\` printed "${stdout.trim()}", not "kbls X.Y.Z"; is this the kbls language server? ${INSTALL_HINT}`,
        });
      } else if (!isAtLeast(version, MIN_SERVER_VERSION)) {
        resolve({
          ok: false,
          message: `kbls: the language server at \`${command}\` is version ${formatVersion(version)}, but this extension needs ${MIN_SERVER_VERSION} or newer. Update it: ${INSTALL_HINT}`,
        });
      } else {
        resolve({ ok: true, version: formatVersion(version) });
      }
    });
  });
}
