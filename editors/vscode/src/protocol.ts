// Requests the extension builds itself (the rest is vscode-languageclient's). No `vscode` import
// at run time: the Node tests send these exact messages to a real server.
import type { Range, ReferenceParams } from 'vscode-languageclient';

export const SEARCH_METHOD = 'kbls/search';

/** How many hits the search picker asks for; more would not fit in a QuickPick anyway. */
export const SEARCH_LIMIT = 50;

export interface SearchParams {
  query: string;
  limit?: number;
}

export interface SearchHit {
  uri: string;
  range: Range;
  title: string;
  /** Headings above the hit, e.g. `Networking & CNI > DNS in Kubernetes`. */
  headingPath: string;
  snippet: string;
  score: number;
}

export function searchParams(query: string): SearchParams {
  return { query, limit: SEARCH_LIMIT };
}

/** Backlinks are the references to the note itself: position 0:0, declaration excluded. */
export function backlinksParams(uri: string): ReferenceParams {
  return {
    textDocument: { uri },
    position: { line: 0, character: 0 },
    context: { includeDeclaration: false },
  };
}

/** A search snippet as plain text, with the character ranges the server highlighted. */
export interface PlainSnippet {
  text: string;
  /** `[start, end)` offsets into `text` (UTF-16, as JavaScript strings count). */
  highlights: [number, number][];
}

/**
 * Reads the server's snippet Markdown: matched words are wrapped in `**`, and a literal `\`, `*`
 * or `` ` `` of the note's text is escaped with a backslash. The result has neither, so a picker
 * that shows plain text never prints the markers.
 */
export function plainSnippet(markdown: string): PlainSnippet {
  let text = '';
  const highlights: [number, number][] = [];
  let open: number | undefined;
  for (let idx = 0; idx < markdown.length; idx++) {
    const ch = markdown[idx];
    if (ch === '\\' && idx + 1 < markdown.length) {
      idx += 1;
      text += markdown[idx];
    } else if (ch === '*' && markdown[idx + 1] === '*') {
      idx += 1;
      if (open === undefined) {
        open = text.length;
      } else {
        if (text.length > open) {
          highlights.push([open, text.length]);
        }
        open = undefined;
      }
    } else {
      text += ch;
    }
  }
  return { text, highlights };
}

/**
 * The message to show for a failed `kbls/search`. While the corpus is being indexed the server
 * answers RequestFailed (-32803) with a message saying so ("kbls is still building the full-text
 * index of 3,412 notes; try again in a moment"): that message is shown as it is, never "no notes
 * match".
 */
export function searchFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return code === REQUEST_FAILED ? message : `search failed: ${message}`;
}

/** LSP's RequestFailed: the server understood the request but cannot answer it now. */
export const REQUEST_FAILED = -32803;
