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
