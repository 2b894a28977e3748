//! A workspace's full-text index: brought up to date with the notes once (on disk, only the notes
//! whose text changed since the cached index are indexed again), then kept current from the notes
//! changed since, off the typing path. Queries search a snapshot of the last commit.

use crate::graph::{Graph, Note};
use crate::search::{content_fingerprint, note_sections, SearchIndex, SearchSnapshot, SectionDoc};
use crate::syntax::{self, ParseOptions};
use parking_lot::Mutex;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// The index, once built, and the notes changed since it last caught up.
#[derive(Default)]
pub struct WorkspaceSearch {
    index: Option<SearchIndex>,
    /// Paths changed since the index was built or last refreshed.
    pending: BTreeSet<String>,
    snapshot: Option<SearchSnapshot>,
}

impl WorkspaceSearch {
    pub fn mark_changed(&mut self, path: &str) {
        self.pending.insert(path.to_string());
    }

    /// The last committed state, once the index is built.
    pub fn snapshot(&self) -> Option<SearchSnapshot> {
        self.snapshot.clone()
    }

    /// Brings `index` up to date with every note of `graph` and installs it (blocking: run it
    /// off the async workers). The lock is taken only to install it, so edits meanwhile are
    /// marked as usual and caught up by the next [`WorkspaceSearch::take_changes`].
    pub fn install(
        search: &Mutex<WorkspaceSearch>,
        mut index: SearchIndex,
        graph: &Graph,
    ) -> anyhow::Result<SearchSnapshot> {
        let mut changes: Vec<(String, Option<Source>)> = graph
            .notes()
            .map(|(id, note)| (note.path.clone(), Some(Source::Parsed(graph.note_arc(id)))))
            .collect();
        changes.extend(
            index
                .indexed_notes()
                .filter(|(path, _)| graph.by_path(path).is_none())
                .map(|(path, _)| (path.to_string(), None)),
        );
        sync(&mut index, changes)?;
        let snapshot = index.snapshot();
        let mut search = search.lock();
        search.snapshot = Some(snapshot.clone());
        search.index = Some(index);
        Ok(snapshot)
    }

    /// Takes the index out, with the notes of `graph` changed since it last caught up, for
    /// [`WorkspaceSearch::catch_up`], which puts it back; `None` when nothing changed, before the
    /// index is built, or while a catch-up has it (callers take turns). The caller holds what
    /// keeps `graph` and the marks together (the server's state lock), so each change is taken
    /// with its note's current version.
    pub fn take_changes(&mut self, graph: &Graph) -> Option<CatchUp> {
        if self.pending.is_empty() {
            return None;
        }
        let index = self.index.take()?;
        // Only the changed notes are kept, not the graph: while a snapshot of it is alive, the
        // next edit has to copy the whole graph.
        let changes = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|path| {
                let note = graph.by_path(&path).map(|id| graph.note_arc(id));
                (path, note.map(Source::Parsed))
            })
            .collect();
        Some(CatchUp { index, changes })
    }

    /// Applies what [`WorkspaceSearch::take_changes`] took, commits (blocking: run it off the
    /// async workers) and puts the index back. The lock is not held while the commit writes (on
    /// disk it syncs files), so edits and snapshots meanwhile do not wait for it.
    pub fn catch_up(search: &Mutex<WorkspaceSearch>, catch_up: CatchUp) {
        let CatchUp { mut index, changes } = catch_up;
        let synced = sync(&mut index, changes).is_ok();
        let mut search = search.lock();
        if synced {
            search.snapshot = Some(index.snapshot());
        }
        search.index = Some(index);
    }
}

/// The index taken out of a [`WorkspaceSearch`] and the notes it is behind on.
pub struct CatchUp {
    index: SearchIndex,
    changes: Vec<(String, Option<Source<'static>>)>,
}

/// Brings `index` up to date with `notes` (path, text) as read from disk, parsing only those
/// whose text changed since they were indexed: what `kbls search` needs of a corpus whose cached
/// index is mostly current, without parsing it all.
pub(super) fn index_read(
    mut index: SearchIndex,
    notes: &[(String, Arc<str>)],
    options: &ParseOptions,
) -> anyhow::Result<SearchSnapshot> {
    let present: HashSet<&str> = notes.iter().map(|(path, _)| path.as_str()).collect();
    let mut changes: Vec<(String, Option<Source>)> = notes
        .iter()
        .map(|(path, text)| (path.clone(), Some(Source::Read(text.clone(), options))))
        .collect();
    changes.extend(
        index
            .indexed_notes()
            .filter(|(path, _)| !present.contains(path))
            .map(|(path, _)| (path.to_string(), None)),
    );
    sync(&mut index, changes)?;
    Ok(index.snapshot())
}

/// A note as the index reads it: parsed already (the graph's), or only read, to be parsed if its
/// text changed since it was indexed.
enum Source<'a> {
    Parsed(Arc<Note>),
    Read(Arc<str>, &'a ParseOptions),
}

impl Source<'_> {
    fn text(&self) -> Cow<'_, str> {
        match self {
            Source::Parsed(note) => note.text(),
            Source::Read(text, _) => Cow::Borrowed(text),
        }
    }

    fn sections(&self, path: &str) -> Vec<SectionDoc> {
        match self {
            Source::Parsed(note) => note_sections(path, &note.text(), &note.syntax),
            Source::Read(text, options) => note_sections(path, text, &syntax::parse(text, options)),
        }
    }
}

/// What becomes of one path in the index.
enum Step<T> {
    /// Index it again: its text has this fingerprint, and `T` is the note or its sections.
    Replace {
        fingerprint: u64,
        with: T,
    },
    Remove,
}

/// How many notes' sections are computed (in parallel) and handed to the index at a time: all of
/// them at once would hold a copy of the whole corpus's text, several hundred megabytes at 50,000
/// notes, for the length of a first build.
const SYNC_CHUNK: usize = 256;

/// Applies `changes` (a path and its note now, `None` when gone) to `index` and commits: a note
/// whose text has the indexed fingerprint is left alone, the sections of the others are computed
/// in parallel, a chunk of notes at a time.
fn sync(index: &mut SearchIndex, changes: Vec<(String, Option<Source>)>) -> anyhow::Result<()> {
    let steps: Vec<(String, Step<Source>)> = changes
        .into_iter()
        .filter_map(|(path, note)| match note {
            Some(note) => {
                let fingerprint = content_fingerprint(&note.text());
                (index.fingerprint(&path) != Some(fingerprint)).then_some((
                    path,
                    Step::Replace {
                        fingerprint,
                        with: note,
                    },
                ))
            }
            None => Some((path, Step::Remove)),
        })
        .collect();
    let mut steps = steps.into_iter();
    loop {
        let chunk: Vec<(String, Step<Source>)> = steps.by_ref().take(SYNC_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let chunk: Vec<(String, Step<Vec<SectionDoc>>)> = chunk
            .into_par_iter()
            .map(|(path, step)| {
                let step = match step {
                    Step::Replace { fingerprint, with } => Step::Replace {
                        fingerprint,
                        with: with.sections(&path),
                    },
                    Step::Remove => Step::Remove,
                };
                (path, step)
            })
            .collect();
        for (path, step) in chunk {
            match step {
                Step::Replace { fingerprint, with } => index.replace_note(&path, fingerprint, with),
                Step::Remove => index.remove_note(&path),
            }
        }
    }
    if index.has_pending_changes() {
        index.commit()?;
    }
    Ok(())
}
