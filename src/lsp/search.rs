//! The server's full-text index, one per root, in memory: built in the background once the root
//! is indexed, then kept current from the notes that changed, committed off the typing path
//! after the diagnostics debounce. Requests search a snapshot of the last commit.

use super::state::State;
use crate::graph::{Graph, Note};
use crate::search::{content_fingerprint, note_sections, SearchIndex, SearchSnapshot};
use parking_lot::Mutex;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// One root's index and the notes changed since it last caught up.
#[derive(Default)]
pub struct RootSearch {
    index: Option<SearchIndex>,
    /// Paths changed since the index was built or last refreshed.
    pending: BTreeSet<String>,
    snapshot: Option<SearchSnapshot>,
}

impl RootSearch {
    pub fn mark_changed(&mut self, path: &str) {
        self.pending.insert(path.to_string());
    }

    /// The last committed state, once the index is built.
    pub fn snapshot(&self) -> Option<SearchSnapshot> {
        self.snapshot.clone()
    }
}

/// Builds the index of every note of `graph` (in the calling thread: run it off the async workers).
/// With `cache` (a cache folder and the corpus key) the index lives on disk, shared with
/// `kbls search` and reused across restarts (only changed notes are indexed again); it falls back
/// to memory when the cache is in use by another kbls.
pub fn build(search: &Mutex<RootSearch>, graph: &Graph, cache: Option<(PathBuf, String)>) {
    let mut index = cache
        .and_then(|(dir, key)| SearchIndex::open_or_create(&dir, &key).ok())
        .map_or_else(SearchIndex::in_memory, |(index, _)| index);
    for (_, note) in graph.notes() {
        let fingerprint = content_fingerprint(&note.text);
        if index.fingerprint(&note.path) != Some(fingerprint) {
            index.replace_note(
                &note.path,
                fingerprint,
                note_sections(&note.path, &note.text, &note.syntax),
            );
        }
    }
    let gone: Vec<String> = index
        .indexed_notes()
        .filter(|(path, _)| graph.by_path(path).is_none())
        .map(|(path, _)| path.to_string())
        .collect();
    for path in gone {
        index.remove_note(&path);
    }
    if index.has_pending_changes() && index.commit().is_err() {
        return;
    }
    let mut search = search.lock();
    search.snapshot = Some(index.snapshot());
    search.index = Some(index);
}

/// Brings every built index up to date with the notes changed since (blocking; off the workers).
pub fn refresh(state: &Mutex<State>) {
    let roots: Vec<(Arc<Mutex<RootSearch>>, Arc<Graph>)> = state
        .lock()
        .roots
        .iter()
        .map(|r| (r.search.clone(), r.graph.clone()))
        .collect();
    for (search, graph) in roots {
        let mut search = search.lock();
        if search.index.is_none() || search.pending.is_empty() {
            continue;
        }
        // Take the changed notes and let go of the graph at once: while a snapshot of it is
        // alive, the next edit has to copy the whole graph.
        let changed: Vec<(String, Option<Arc<Note>>)> = std::mem::take(&mut search.pending)
            .into_iter()
            .map(|path| {
                let note = graph.by_path(&path).map(|id| graph.note_arc(id));
                (path, note)
            })
            .collect();
        drop(graph);
        let Some(index) = search.index.as_mut() else {
            continue;
        };
        for (path, note) in changed {
            match note {
                Some(note) => {
                    let fingerprint = content_fingerprint(&note.text);
                    if index.fingerprint(&path) != Some(fingerprint) {
                        index.replace_note(
                            &path,
                            fingerprint,
                            note_sections(&path, &note.text, &note.syntax),
                        );
                    }
                }
                None => index.remove_note(&path),
            }
        }
        if index.has_pending_changes() && index.commit().is_ok() {
            search.snapshot = Some(index.snapshot());
        }
    }
}
