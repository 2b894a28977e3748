// Reads the fixture corpus to choose test targets at run time, so the tests keep working as
// notes are added or reworded. This is a rough scan, not a Markdown parser: it only has to find
// plain relative links that any reasonable server resolves.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every `.md` file under `root`, as absolute paths, in a stable order. */
export function listNotes(root) {
  const notes = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) {
        continue;
      }
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.md')) {
        notes.push(full);
      }
    }
  };
  walk(root);
  return notes;
}

/** Blanks fenced code blocks (keeping line count), since links in code are not links. */
function withoutCodeFences(text) {
  let fence = null;
  return text
    .split('\n')
    .map((line) => {
      const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence === null && marker) {
        fence = marker[1];
        return '';
      }
      if (fence !== null) {
        if (marker && marker[1][0] === fence[0] && marker[1].length >= fence.length) {
          fence = null;
        }
        return '';
      }
      return line;
    })
    .join('\n');
}

/** Relative `[text](target.md#anchor)` links of one note, resolved to absolute paths of existing notes. */
export function noteLinks(file) {
  const text = withoutCodeFences(fs.readFileSync(file, 'utf8'));
  const targets = [];
  for (const match of text.matchAll(/(?<!!)\[[^\]\n]*\]\(<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+"[^"]*")?\)/g)) {
    const raw = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('/')) {
      continue; // URLs and root-relative links resolve differently per server; skip them
    }
    const target = path.resolve(path.dirname(file), decodeURI(raw));
    if (target !== file && fs.existsSync(target)) {
      targets.push(target);
    }
  }
  return targets;
}

/**
 * The note linked from the most other notes, with those notes. Throws when the corpus has no
 * note-to-note links at all: the tests need one.
 */
export function mostLinkedNote(root) {
  const linkers = new Map();
  for (const source of listNotes(root)) {
    for (const target of noteLinks(source)) {
      if (!linkers.has(target)) {
        linkers.set(target, new Set());
      }
      linkers.get(target).add(source);
    }
  }
  const ranked = [...linkers.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]));
  if (ranked.length === 0) {
    throw new Error(`no note in ${root} links to another note with a relative [text](path.md) link`);
  }
  const [target, sources] = ranked[0];
  return { target, linkers: [...sources].sort() };
}

/** Notes whose text contains `word` (case-insensitive). */
export function notesContaining(root, word) {
  const needle = word.toLowerCase();
  return listNotes(root).filter((file) => fs.readFileSync(file, 'utf8').toLowerCase().includes(needle));
}
