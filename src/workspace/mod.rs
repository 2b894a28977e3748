//! The workspace: one corpus root and everything kbls knows about it, assembled in one place for
//! `kbls check`, `kbls search`, `kbls terms` and the language server alike. It holds the root,
//! its configuration (`kbls.toml`; where a root's dialect will live too), the term packs (shipped
//! and the user's), the graph of the notes with the packs set and the unreadable files in it,
//! the git history, and the full-text index, built on demand.
//!
//! Built once from disk ([`Workspace::load`], or [`Workspace::read`] then
//! [`Workspace::from_read`] for a caller that reports between the two), then updated note by note
//! ([`Workspace::update_note`], [`Workspace::remove_note`], [`Workspace::reload`],
//! [`Workspace::set_history`]). The disk is read through `load`, git through `load::git`; the
//! rules get the result through [`Workspace::diagnostics_config`].

mod search;

pub use search::WorkspaceSearch;

use crate::config::Config;
use crate::graph::{Graph, NoteId};
use crate::history::History;
use crate::ide::diagnostics::DiagnosticsConfig;
use crate::load::{self, LoadedCorpus};
use crate::search::{SearchIndex, SearchSnapshot};
use crate::terms::Packs;
use crate::text::TextStorage;
use chrono::NaiveDate;
use parking_lot::Mutex;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Workspace {
    root: PathBuf,
    /// `kbls.toml` as read from disk (the server applies its client's settings on top when it
    /// computes diagnostics).
    config: Config,
    graph: Arc<Graph>,
    /// `None` outside a repository, or until it is read.
    history: Option<Arc<History>>,
    /// Behind its own lock, so that building or committing it never holds up an edit.
    search: Arc<Mutex<WorkspaceSearch>>,
}

/// What [`Workspace::read`] read from disk: the notes and files, and the term packs.
pub struct WorkspaceRead {
    root: PathBuf,
    config: Config,
    corpus: LoadedCorpus,
    packs: Arc<Packs>,
}

impl WorkspaceRead {
    pub fn note_count(&self) -> usize {
        self.corpus.notes.len()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What the walk could not read (a folder, with why): the notes in it are missing.
    pub fn walk_errors(&self) -> &[load::Unreadable] {
        &self.corpus.walk_errors
    }

    /// Brings `index` (opened from the on-disk cache, or in memory) up to date with the notes
    /// read, parsing only those changed since they were indexed, and returns what a query
    /// searches. `kbls search` needs no graph: parsing every note would cost it most of its run.
    pub fn index_search(&self, index: SearchIndex) -> anyhow::Result<SearchSnapshot> {
        search::index_read(index, &self.corpus.notes, &self.config.parse_options())
    }
}

impl Workspace {
    /// An empty workspace at `root` (the server's provisional one, while the notes are read).
    pub fn new(root: PathBuf, config: Config) -> Workspace {
        Workspace {
            root,
            config,
            graph: Arc::default(),
            history: None,
            search: Arc::default(),
        }
    }

    /// Reads the notes under `root` and the term packs `config` names, and builds the graph.
    pub fn load(root: &Path, config: Config) -> anyhow::Result<Workspace> {
        Ok(Workspace::from_read(
            Workspace::read(root, config)?,
            TextStorage::Plain,
        ))
    }

    /// Reads the notes under `root` and the term packs `config` names, without parsing them.
    pub fn read(root: &Path, mut config: Config) -> anyhow::Result<WorkspaceRead> {
        let corpus = load::load_corpus(root, &mut config)?;
        let packs = load::load_packs(root, &config)?;
        Ok(WorkspaceRead {
            root: root.to_path_buf(),
            config,
            corpus,
            packs,
        })
    }

    /// Parses what [`Workspace::read`] read (in parallel) into the workspace's graph, which keeps
    /// the note texts (those of later edits too) as `storage` says.
    pub fn from_read(read: WorkspaceRead, storage: TextStorage) -> Workspace {
        let WorkspaceRead {
            root,
            config,
            corpus,
            packs,
        } = read;
        let options = config.parse_options();
        let mut graph = Graph::build_stored(corpus.notes, corpus.files, &options, storage);
        graph.set_packs(packs);
        for file in corpus.unreadable {
            graph.set_unreadable(&file.path, file.reason);
        }
        Workspace {
            graph: Arc::new(graph),
            ..Workspace::new(root, config)
        }
    }

    /// Reads the git history of the repository holding `root` with the date lines `config`
    /// names; `None` outside a repository. It mostly waits on git, so callers run it beside
    /// [`Workspace::load`] and hand the result to [`Workspace::set_history`].
    pub fn read_history(root: &Path, config: &Config) -> Option<History> {
        let mut markers = vec![config.date_label.clone()];
        markers.extend(config.date_keys.iter().cloned());
        load::git::read_history(root, &markers)
    }

    pub fn set_history(&mut self, history: Option<History>) {
        self.history = history.map(Arc::new);
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn graph(&self) -> &Arc<Graph> {
        &self.graph
    }

    pub fn history(&self) -> Option<&History> {
        self.history.as_deref()
    }

    /// What the rules need: `config` (this workspace's, or the server's with its client's
    /// settings applied), today, and the git history.
    pub fn diagnostics_config(&self, config: Config, today: NaiveDate) -> DiagnosticsConfig {
        DiagnosticsConfig {
            history: self.history.clone(),
            ..DiagnosticsConfig::new(config, today)
        }
    }

    /// Replaces the graph with `other`'s (the loaded one replacing a provisional one); the
    /// history and the full-text index stay.
    pub fn install_graph(&mut self, other: Workspace) {
        self.graph = other.graph;
        // The loader settled the dialect; notes edited from now on are parsed in it.
        self.config.site = other.config.site;
    }

    /// Sets the text of the note at `rel` (parsed with the workspace's options); returns the
    /// notes whose findings may have changed (only the note itself when its text is the same).
    ///
    /// Parsing never fails by design; should it panic all the same, the note keeps its previous
    /// state (the graph is only touched after the parse) and the answer is `None`.
    pub fn update_note(&mut self, rel: &str, text: Arc<str>) -> Option<Vec<NoteId>> {
        // Opening a note, or saving it as the editor last sent it, changes nothing: only the
        // note's own findings (it may now be open) are asked for again. So the graph is not
        // copied away from a request or a publish holding it (48 MiB and up to 140 ms at 50,000
        // notes), and term indexes being built for it are not dropped.
        if let Some(id) = self.graph.by_path(rel) {
            let note = self.graph.note(id);
            if note.text_len() == text.len() && *note.text() == *text {
                return Some(vec![id]);
            }
        }
        let options = self.config.parse_options();
        let graph = Arc::make_mut(&mut self.graph);
        let affected = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            graph.update(rel, text, &options)
        }))
        .ok()?;
        self.search.lock().mark_changed(rel);
        Some(affected)
    }

    /// Removes the note (or unreadable file) at `rel`; returns the notes whose links to it broke.
    pub fn remove_note(&mut self, rel: &str) -> Vec<NoteId> {
        let affected = Arc::make_mut(&mut self.graph).remove(rel);
        self.search.lock().mark_changed(rel);
        affected
    }

    /// Reads the file at `rel` from disk again: a note, an unreadable file, or gone. `None` as
    /// for [`Workspace::update_note`].
    pub fn reload(&mut self, rel: &str) -> Option<Vec<NoteId>> {
        let path = self.root.join(rel);
        match load::reread_note(&self.root, &path, self.config.max_file_size) {
            None => Some(self.remove_note(rel)),
            Some(Ok(text)) => self.update_note(rel, text),
            Some(Err(reason)) => {
                self.search.lock().mark_changed(rel);
                Some(Arc::make_mut(&mut self.graph).set_unreadable(rel, reason))
            }
        }
    }

    /// The full-text index, for a caller that builds or refreshes it off its own thread.
    pub fn search(&self) -> &Arc<Mutex<WorkspaceSearch>> {
        &self.search
    }
}
