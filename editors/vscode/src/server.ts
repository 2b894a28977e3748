// Checks that the `kbls` binary is new enough (`kbls --version`) before the client starts it.
import { execFile } from 'node:child_process';
import { MIN_SERVER_VERSION, formatVersion, isAtLeast, parseVersion } from './version';

export const INSTALL_HINT =
  'Install the .vsix for your platform (it carries the server), or install kbls with ' +
  '`cargo install --path . --locked` in a checkout of the kbls repository (this puts `kbls` in ' +
  '~/.cargo/bin, which must be on PATH), or set `kbls.server.path` to the binary.';

export type ServerCheck = { ok: true; version: string } | { ok: false; message: string };

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
