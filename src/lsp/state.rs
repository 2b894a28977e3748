//! The server's state and its single owner: every text-sync and file notification is applied
//! here, synchronously and in arrival order, before the handler awaits anything. Requests work
//! on a [`Snapshot`] (cheap `Arc` clones) and never hold the lock while computing.

use crate::config::Config;
use crate::graph::{Graph, Note, NoteId};
use crate::ide::diagnostics::DiagnosticsConfig;
use crate::ide::Analysis;
use crate::load;
use crate::search::SearchSnapshot;
use crate::text::WideEncoding;
use crate::workspace::{Workspace, WorkspaceSearch};
use chrono::NaiveDate;
use parking_lot::Mutex;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One corpus root (a workspace folder, or the root found above a loose file): its workspace
/// and how far it is read.
pub struct Root {
    /// `kbls.toml` as read from disk is its config (settings from the client are applied on
    /// top); until the initial index is installed, its graph is a provisional one holding the
    /// notes the editor opened.
    pub ws: Workspace,
    /// Why `kbls.toml` could not be read, shown to the user once.
    pub config_error: Option<String>,
    /// How far the initial index is: requests and diagnostics wait for it (see [`Need`]).
    pub status: IndexStatus,
    /// Whether the git history pass is still running: diagnostics wait for it, since
    /// `outdated-date` depends on it.
    pub history_pending: bool,
    /// Whether the first full-text index is being built: the term and mention indexes wait for
    /// it rather than being built beside it (see `publish::warm_terms`).
    pub search_pending: bool,
    /// Files changed on disk while the initial index was read, read again once it is installed
    /// (the load may have read them before the change).
    pub changed_while_loading: BTreeSet<PathBuf>,
}

/// The initial index of a root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexStatus {
    /// Being read and parsed; `notes` once the walk has counted them.
    Loading {
        notes: Option<usize>,
    },
    Ready,
    Failed(String),
}

/// What a request reads, and so what it waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// The corpus graph (hover, definition, completion, rename, symbols, …).
    Graph,
    /// The graph and git history: everything diagnostics depend on.
    Diagnostics,
    /// The graph and the full-text index.
    Search,
}

/// Whether a request can be answered now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Still indexing this many notes (`None` before they are counted).
    Waiting {
        notes: Option<usize>,
    },
    Failed(String),
}

/// An open document: the editor's text, which wins over the disk.
pub struct OpenDoc {
    pub rope: ropey::Rope,
    pub version: i32,
}

/// Settings the client sends (`initializationOptions`, `workspace/didChangeConfiguration`): only
/// what the user set. `None` means unset, and then `kbls.toml` decides, else the built-in
/// default, which lives here for the editor-only settings and in `Config::default` for the rest.
#[derive(Clone, Debug, Default)]
pub struct ClientSettings {
    pub stale_after_days: Option<u32>,
    pub rules: Vec<(String, String)>,
    pub code_lens: Option<bool>,
    /// Whether an edited note whose date is not today gets a hint (`date-not-today`).
    pub date_hint: Option<bool>,
    /// Where the full-text index lives: `"memory"`, `"disk"` (the cache folder `kbls search`
    /// uses), or `"auto"` (memory below [`DISK_INDEX_NOTES`] notes, disk from there on).
    pub search_index: Option<String>,
    /// `"dialect"`: `"auto"` (`Some(None)`) or a dialect, over `kbls.toml`'s.
    pub dialect: Option<Option<crate::dialect::Dialect>>,
}

/// From this many notes on, `"auto"` keeps the full-text index on disk: in memory it would add
/// about 12 MiB per thousand notes to the server.
pub const DISK_INDEX_NOTES: usize = 5_000;

impl ClientSettings {
    pub fn code_lens(&self) -> bool {
        self.code_lens.unwrap_or(true)
    }

    /// Whether the full-text index of a root of `notes` notes lives on disk.
    pub fn search_index_on_disk(&self, notes: usize) -> bool {
        match self.search_index.as_deref() {
            Some("disk") => true,
            Some("memory") => false,
            _ => notes >= DISK_INDEX_NOTES,
        }
    }

    /// Reads `{"kbls": {...}}` or the same object unwrapped; unknown keys are ignored, bad
    /// values reported.
    pub fn from_json(value: &serde_json::Value) -> (ClientSettings, Vec<String>) {
        let value = value.get("kbls").unwrap_or(value);
        let mut errors = Vec::new();
        let mut res = ClientSettings {
            date_hint: value.get("dateHint").and_then(|v| v.as_bool()),
            search_index: value
                .get("searchIndex")
                .and_then(|v| v.as_str())
                .map(String::from),
            ..ClientSettings::default()
        };
        if let Some(days) = value.get("staleAfterDays").filter(|v| !v.is_null()) {
            match days.as_u64() {
                Some(days) => res.stale_after_days = Some(days as u32),
                None => errors.push(format!(
                    "kbls.staleAfterDays must be a number of days, got {days}"
                )),
            }
        }
        if let Some(rules) = value.get("rules").and_then(|r| r.as_object()) {
            for (code, level) in rules {
                match level.as_str() {
                    Some(level) => res.rules.push((code.clone(), level.to_string())),
                    None => errors.push(format!("kbls.rules.{code} must be a string")),
                }
            }
        }
        if let Some(dialect) = value.get("dialect").filter(|v| !v.is_null()) {
            match dialect.as_str().map(crate::config::parse_dialect) {
                Some(Ok(dialect)) => res.dialect = Some(dialect),
                Some(Err(why)) => errors.push(format!("kbls.dialect: {why}")),
                None => errors.push(format!("kbls.dialect must be a string, got {dialect}")),
            }
        }
        res.code_lens = value.get("codeLens").and_then(|v| v.as_bool());
        (res, errors)
    }
}

pub struct State {
    pub roots: Vec<Root>,
    pub open: HashMap<PathBuf, OpenDoc>,
    pub encoding: WideEncoding,
    pub settings: ClientSettings,
    pub today: Option<NaiveDate>,
    /// Notes whose diagnostics must be recomputed, by root index.
    pub pending: BTreeSet<(usize, NoteId)>,
    /// Bumped on every change; the warm-up only runs if nothing changed since it was scheduled.
    pub generation: u64,
    /// Whether a publish of diagnostics runs (see `publish::publish`); only one does at a time.
    pub publishing: bool,
    /// Woken when a publish ends, for a caller waiting to publish.
    pub publish_done: Arc<tokio::sync::Notify>,
    /// Whether the client pulls diagnostics for open documents (then they are not pushed).
    pub pull_diagnostics: bool,
    /// Notes changed in the editor this session.
    pub edited: HashSet<PathBuf>,
    /// Errors to log, taken by the handler that caused them.
    pub failures: Vec<String>,
    /// Held while full-text indexes catch up ([`refresh_search`]), so that a search catching up
    /// first waits for one in flight instead of answering without its changes.
    pub catching_up: Arc<Mutex<()>>,
}

/// An immutable view of the state for one request.
#[derive(Clone)]
pub struct Snapshot {
    pub roots: Vec<RootSnapshot>,
    pub encoding: WideEncoding,
    pub code_lens: bool,
    pub open: Arc<Vec<PathBuf>>,
    pub pull_diagnostics: bool,
}

#[derive(Clone)]
pub struct RootSnapshot {
    pub dir: PathBuf,
    pub graph: Arc<Graph>,
    pub cfg: Arc<DiagnosticsConfig>,
    /// `None` until the full-text index is built.
    pub search: Option<SearchSnapshot>,
}

impl State {
    pub fn new() -> State {
        State {
            roots: Vec::new(),
            open: HashMap::new(),
            encoding: WideEncoding::Utf16,
            settings: ClientSettings::default(),
            today: None,
            pending: BTreeSet::new(),
            generation: 0,
            publishing: false,
            publish_done: Arc::default(),
            pull_diagnostics: false,
            edited: HashSet::new(),
            failures: Vec::new(),
            catching_up: Arc::default(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The effective configuration of a root: its `kbls.toml` plus the client's settings.
    pub fn config(&self, root: &Root) -> Config {
        let mut config = root.ws.config().clone();
        if let Some(days) = self.settings.stale_after_days {
            config.stale_after_days = days;
        }
        if let Some(dialect) = self.settings.dialect {
            config.dialect = dialect;
        }
        for (code, level) in &self.settings.rules {
            // Unknown codes or levels from the client were reported when the settings arrived.
            let _ = config.set_rule(code, level);
        }
        if self.settings.date_hint == Some(false) {
            config.rules.insert(crate::codes::Code::DateNotToday, None);
        }
        config
    }

    pub fn snapshot(&self) -> Snapshot {
        let today = self.today();
        Snapshot {
            roots: self
                .roots
                .iter()
                .map(|root| {
                    let dir = root.ws.root();
                    let cfg = DiagnosticsConfig {
                        edited: self
                            .edited
                            .iter()
                            .filter_map(|p| load::relative(dir, p))
                            .collect(),
                        ..root.ws.diagnostics_config(self.config(root), today)
                    };
                    RootSnapshot {
                        dir: dir.to_path_buf(),
                        graph: root.ws.graph().clone(),
                        cfg: Arc::new(cfg),
                        search: root.ws.search().lock().snapshot(),
                    }
                })
                .collect(),
            encoding: self.encoding,
            code_lens: self.settings.code_lens(),
            open: Arc::new(self.open.keys().cloned().collect()),
            pull_diagnostics: self.pull_diagnostics,
        }
    }

    /// The root holding `path` (the deepest one) and the path relative to it.
    pub fn locate(&self, path: &Path) -> Option<(usize, String)> {
        self.roots
            .iter()
            .enumerate()
            .filter(|(_, r)| path.starts_with(r.ws.root()))
            .max_by_key(|(_, r)| r.ws.root().as_os_str().len())
            .and_then(|(i, r)| Some((i, load::relative(r.ws.root(), path)?)))
    }

    /// Adds a root for `dir` (not yet indexed) and returns its index.
    pub fn add_root(&mut self, dir: PathBuf) -> usize {
        if let Some(idx) = self.roots.iter().position(|r| r.ws.root() == dir) {
            return idx;
        }
        let (file_config, config_error) = match load::load_config(&dir, None) {
            Ok(config) => (config, None),
            Err(err) => (Config::default(), Some(format!("{err:#}"))),
        };
        self.roots.push(Root {
            ws: Workspace::new(dir, file_config),
            config_error,
            status: IndexStatus::Loading { notes: None },
            history_pending: true,
            search_pending: true,
            changed_while_loading: BTreeSet::new(),
        });
        self.roots.len() - 1
    }

    /// Sets the text of the note at `path` (editor buffer or disk) and queues diagnostics for
    /// it and every note depending on it.
    pub fn set_note(&mut self, root: usize, rel: &str, text: Arc<str>) {
        let affected = self.roots[root].ws.update_note(rel, text);
        self.queue_changed(root, rel, affected);
    }

    pub fn remove_note(&mut self, root: usize, rel: &str) {
        let affected = self.roots[root].ws.remove_note(rel);
        self.queue(root, affected);
    }

    /// Queues the notes a change of `rel` affected, or records that its parse panicked (the
    /// note keeps its previous state) for the log.
    fn queue_changed(&mut self, root: usize, rel: &str, affected: Option<Vec<NoteId>>) {
        match affected {
            Some(affected) => self.queue(root, affected),
            None => self.failures.push(format!(
                "kbls: could not parse {rel}; keeping its previous version"
            )),
        }
    }

    /// Queues `notes` of root `root` for fresh diagnostics.
    pub fn queue(&mut self, root: usize, notes: Vec<NoteId>) {
        self.pending.extend(notes.into_iter().map(|id| (root, id)));
        self.generation += 1;
    }

    /// Queues every note of every root (settings changed, indexing finished).
    pub fn queue_all(&mut self, root: Option<usize>) {
        for (idx, r) in self.roots.iter().enumerate() {
            if root.is_some_and(|only| only != idx) {
                continue;
            }
            let ids: Vec<NoteId> = r.ws.graph().notes().map(|(id, _)| id).collect();
            self.pending.extend(ids.into_iter().map(|id| (idx, id)));
        }
        self.generation += 1;
    }

    /// Re-reads a file changed on disk (not open in the editor).
    pub fn reload_from_disk(&mut self, path: &Path) {
        if self.open.contains_key(path) || !load::is_note_path(path) {
            return;
        }
        let Some((root, rel)) = self.locate(path) else {
            return;
        };
        if self.roots[root].status != IndexStatus::Ready {
            self.roots[root]
                .changed_while_loading
                .insert(path.to_path_buf());
        }
        let affected = self.roots[root].ws.reload(&rel);
        self.queue_changed(root, &rel, affected);
    }

    /// Installs a freshly built graph for root `idx`, keeping the editor's text of open notes and
    /// what changed on disk while it was read.
    pub fn install_index(&mut self, idx: usize, loaded: Workspace) {
        self.roots[idx].ws.install_graph(loaded);
        self.roots[idx].status = IndexStatus::Ready;
        // Ids queued against the provisional graph mean nothing in the new one.
        self.pending.retain(|&(root, _)| root != idx);
        let open: Vec<(PathBuf, String)> = self
            .open
            .iter()
            .map(|(p, d)| (p.clone(), d.rope.to_string()))
            .collect();
        for (path, text) in open {
            if let Some((root, rel)) = self.locate(&path) {
                if root == idx {
                    self.set_note(root, &rel, Arc::from(text));
                }
            }
        }
        for path in std::mem::take(&mut self.roots[idx].changed_while_loading) {
            self.reload_from_disk(&path);
        }
        self.queue_all(Some(idx));
    }

    /// Whether a request needing `need` about `path` (or about every root, for `None`) can be
    /// answered: never from a root whose initial index is incomplete.
    pub fn readiness(&self, path: Option<&Path>, need: Need) -> Readiness {
        let roots: Vec<&Root> = match path {
            Some(path) => self
                .locate(path)
                .map(|(idx, _)| &self.roots[idx])
                .into_iter()
                .collect(),
            None => self.roots.iter().collect(),
        };
        for root in roots {
            let ready = match &root.status {
                IndexStatus::Failed(why) => return Readiness::Failed(why.clone()),
                IndexStatus::Loading { notes } => return Readiness::Waiting { notes: *notes },
                IndexStatus::Ready => match need {
                    Need::Graph => true,
                    Need::Diagnostics => !root.history_pending,
                    Need::Search => root.ws.search().lock().snapshot().is_some(),
                },
            };
            if !ready {
                return Readiness::Waiting {
                    notes: Some(root.ws.graph().note_count()),
                };
            }
        }
        Readiness::Ready
    }

    /// Takes the queued notes whose diagnostics can be published now: those of roots whose
    /// index and history are complete. The rest stay queued.
    pub fn take_publishable(&mut self) -> BTreeSet<(usize, NoteId)> {
        let ready: Vec<bool> = (0..self.roots.len())
            .map(|idx| self.diagnostics_ready(idx))
            .collect();
        let (now, later) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|&(root, _)| ready[root]);
        self.pending = later;
        now
    }

    /// Whether root `idx` can have its diagnostics published.
    pub fn diagnostics_ready(&self, idx: usize) -> bool {
        let root = &self.roots[idx];
        root.status == IndexStatus::Ready && !root.history_pending
    }
}

/// Brings every built full-text index up to date with the notes changed since (blocking; off the
/// async workers), without holding the state's lock meanwhile; changes made meanwhile are caught
/// up too before it returns.
pub fn refresh_search(state: &Mutex<State>) {
    let catching_up = state.lock().catching_up.clone();
    let _one_at_a_time = catching_up.lock();
    let roots = state.lock().roots.len();
    for idx in 0..roots {
        loop {
            // Under the state's lock, as edits mark their changes: each is taken with its note.
            let taken = {
                let state = state.lock();
                let ws = &state.roots[idx].ws;
                let taken = ws.search().lock().take_changes(ws.graph());
                taken.map(|taken| (ws.search().clone(), taken))
            };
            let Some((search, taken)) = taken else {
                break;
            };
            WorkspaceSearch::catch_up(&search, taken);
        }
    }
}

impl Snapshot {
    /// The root and note of a file path.
    pub fn note_of(&self, path: &Path) -> Option<(&RootSnapshot, NoteId)> {
        let root = self
            .roots
            .iter()
            .filter(|r| path.starts_with(&r.dir))
            .max_by_key(|r| r.dir.as_os_str().len())?;
        let rel = load::relative(&root.dir, path)?;
        Some((root, root.graph.by_path(&rel)?))
    }
}

impl RootSnapshot {
    /// The features over this root.
    pub fn analysis(&self) -> Analysis<'_> {
        Analysis::new(&self.graph, &self.cfg, self.search.as_ref())
    }

    pub fn note(&self, id: NoteId) -> &Note {
        self.graph.note(id)
    }

    pub fn path_of(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_with(state: &mut State, dir: &Path) -> usize {
        state.add_root(dir.to_path_buf())
    }

    /// A loaded workspace at `dir` holding `notes` (path, text).
    fn workspace_of(dir: &Path, notes: &[(&str, &str)]) -> Workspace {
        let mut ws = Workspace::new(dir.to_path_buf(), Config::default());
        for (path, text) in notes {
            ws.update_note(path, Arc::from(*text));
        }
        ws
    }

    #[test]
    fn nothing_is_ready_or_publishable_before_the_index_and_history() {
        let dir = tempfile::tempdir().expect("temp dir");
        let note = dir.path().join("a.md");
        let mut state = State::new();
        let idx = root_with(&mut state, dir.path());
        // The editor opens a note while the root is loading: a provisional graph holds it.
        state.set_note(idx, "a.md", Arc::from("# A\n\n[b](b.md)\n"));
        assert_eq!(
            state.readiness(Some(&note), Need::Graph),
            Readiness::Waiting { notes: None }
        );
        assert!(state.take_publishable().is_empty());
        assert!(!state.pending.is_empty(), "kept for after the index");

        let loaded = workspace_of(dir.path(), &[("a.md", "# A\n"), ("b.md", "# B\n")]);
        state.install_index(idx, loaded);
        assert_eq!(state.readiness(Some(&note), Need::Graph), Readiness::Ready);
        assert_eq!(
            state.readiness(Some(&note), Need::Diagnostics),
            Readiness::Waiting { notes: Some(2) }
        );
        assert!(state.take_publishable().is_empty(), "history still pending");
        state.roots[idx].history_pending = false;
        assert_eq!(state.readiness(None, Need::Diagnostics), Readiness::Ready);
        assert_eq!(
            state.readiness(None, Need::Search),
            Readiness::Waiting { notes: Some(2) }
        );
        let publishable: Vec<&str> = state
            .take_publishable()
            .iter()
            .map(|&(_, id)| state.roots[idx].ws.graph().note(id).path.as_str())
            .collect();
        assert_eq!(publishable, ["a.md", "b.md"]);
    }

    #[test]
    fn term_and_mention_indexes_wait_for_the_first_full_text_index() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = State::new();
        let idx = root_with(&mut state, dir.path());
        let notes = [
            ("a.md", "## Error budget\n\nWhat may fail.\n"),
            ("b.md", "An error budget.\n"),
        ];
        state.install_index(idx, workspace_of(dir.path(), &notes));
        state.roots[idx].history_pending = false;
        let state = Mutex::new(state);
        let built = || state.lock().roots[idx].ws.graph().mentions_built();
        super::super::publish::warm_terms(&state);
        assert!(!built(), "built beside the full-text index");
        state.lock().roots[idx].search_pending = false;
        super::super::publish::warm_terms(&state);
        assert!(built());
    }

    #[test]
    fn opening_a_note_as_it_is_on_disk_keeps_the_graph_and_its_term_indexes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = State::new();
        let idx = root_with(&mut state, dir.path());
        let notes = [
            ("a.md", "## Error budget\n\nWhat may fail.\n"),
            ("b.md", "An error budget, see [a](a.md).\n"),
        ];
        state.install_index(idx, workspace_of(dir.path(), &notes));
        let graph = state.roots[idx].ws.graph().clone();
        graph.mentions();
        state.pending.clear();
        // A snapshot holds the graph, as a request or a publish in flight does.
        state.set_note(idx, "a.md", Arc::from(notes[0].1));
        assert!(Arc::ptr_eq(&graph, state.roots[idx].ws.graph()), "copied");
        assert!(graph.mentions_built());
        let a = graph.by_path("a.md").expect("a.md");
        assert_eq!(state.pending.iter().collect::<Vec<_>>(), [&(idx, a)]);
        // A changed text is a change: b, which links to a, is asked for again too.
        state.set_note(idx, "a.md", Arc::from("## Error budgets\n"));
        assert!(!Arc::ptr_eq(&graph, state.roots[idx].ws.graph()));
        let b = graph.by_path("b.md").expect("b.md");
        assert!(state.pending.contains(&(idx, b)), "{:?}", state.pending);
    }

    #[test]
    fn the_installed_index_keeps_open_documents_and_changes_made_while_loading() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = State::new();
        let idx = root_with(&mut state, dir.path());
        let open = dir.path().join("open.md");
        state.open.insert(
            open.clone(),
            OpenDoc {
                rope: ropey::Rope::from_str("# Edited in the editor\n"),
                version: 2,
            },
        );
        // Written after the load read the folder: the watcher's notification arrives meanwhile.
        let late = dir.path().join("late.md");
        std::fs::write(&late, "# Late\n").expect("write");
        state.reload_from_disk(&late);
        state.install_index(idx, workspace_of(dir.path(), &[("open.md", "# On disk\n")]));
        let graph = state.roots[idx].ws.graph();
        let title = |path: &str| {
            graph
                .note(graph.by_path(path).expect(path))
                .title()
                .to_string()
        };
        assert_eq!(title("open.md"), "Edited in the editor");
        assert_eq!(title("late.md"), "Late");
    }

    #[test]
    fn a_failed_index_fails_requests() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = State::new();
        let idx = root_with(&mut state, dir.path());
        state.roots[idx].status = IndexStatus::Failed("permission denied".into());
        assert_eq!(
            state.readiness(None, Need::Graph),
            Readiness::Failed("permission denied".into())
        );
    }
}
