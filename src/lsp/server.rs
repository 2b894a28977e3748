//! `impl LanguageServer`: each method hands its work to `state` (notifications, synchronously and
//! in order) or to `handlers` (requests, on a snapshot, off the async workers).

use super::capabilities;
use super::from_proto;
use super::handlers;
use super::publish;
use super::state::{
    refresh_search, ClientSettings, IndexStatus, Need, OpenDoc, Readiness, Snapshot, State,
};
use super::to_proto;
use crate::load;
use crate::search::SearchIndex;
use crate::text::TextStorage;
use crate::workspace::{Workspace, WorkspaceRead, WorkspaceSearch};
use parking_lot::Mutex;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// How long a request waits for the initial index of its root before it fails.
const INDEX_WAIT: Duration = Duration::from_secs(60);

pub struct Backend {
    pub client: Client,
    /// The output stream, for notifications too large to go through tower-lsp-server's `Value`s.
    outbox: super::transport::Outbox,
    /// Large results serialized here, written in place of a stand-in tower-lsp-server sends.
    raw: super::transport::RawResults,
    pub state: Arc<Mutex<State>>,
    /// Bumped whenever a root's index, history or full-text index becomes ready (or fails):
    /// requests waiting for one look again.
    ready: Arc<watch::Sender<u64>>,
    pub shutdown_requested: Arc<AtomicBool>,
    work_done_progress: AtomicBool,
    dynamic_watch: AtomicBool,
}

impl Backend {
    pub fn new(
        client: Client,
        outbox: super::transport::Outbox,
        raw: super::transport::RawResults,
    ) -> Backend {
        Backend {
            client,
            outbox,
            raw,
            state: Arc::new(Mutex::new(State::new())),
            ready: Arc::new(watch::Sender::new(0)),
            shutdown_requested: Arc::new(AtomicBool::new(false)),
            work_done_progress: AtomicBool::new(false),
            dynamic_watch: AtomicBool::new(false),
        }
    }

    /// Runs a request on a snapshot in the blocking pool, once what it needs of the root holding
    /// `uri` (every root for `None`) is indexed; a panic becomes an error reply and a log
    /// message, and the server keeps serving.
    async fn run<T: Send + 'static>(
        &self,
        name: &'static str,
        uri: Option<&Uri>,
        need: Need,
        f: impl FnOnce(Snapshot) -> T + Send + 'static,
    ) -> Result<T> {
        self.wait_ready(uri.and_then(from_proto::uri_to_path), need)
            .await?;
        let snap = self.state.lock().snapshot();
        match tokio::task::spawn_blocking(move || f(snap)).await {
            Ok(res) => Ok(res),
            Err(err) => {
                let why = if err.is_panic() {
                    "panicked"
                } else {
                    "was cancelled"
                };
                self.client
                    .log_message(MessageType::ERROR, format!("kbls: {name} {why}: {err}"))
                    .await;
                Err(Error {
                    code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
                    message: format!("{name} {why}").into(),
                    data: None,
                })
            }
        }
    }

    /// Brings the full-text indexes up to date with the edits (otherwise caught up once typing
    /// pauses), for a request that reads them.
    async fn catch_up_search(&self) {
        let state = self.state.clone();
        let _ = tokio::task::spawn_blocking(move || refresh_search(&state)).await;
    }

    /// Waits until the request can be answered from complete data, for at most [`INDEX_WAIT`].
    async fn wait_ready(&self, path: Option<PathBuf>, need: Need) -> Result<()> {
        let deadline = tokio::time::Instant::now() + INDEX_WAIT;
        loop {
            // Subscribing before looking means no change between the look and the wait is missed.
            let mut changed = self.ready.subscribe();
            let notes = match self.state.lock().readiness(path.as_deref(), need) {
                Readiness::Ready => return Ok(()),
                Readiness::Failed(why) => {
                    return Err(request_failed(format!("kbls cannot index: {why}")))
                }
                Readiness::Waiting { notes } => notes,
            };
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                return Err(request_failed(still_indexing(notes, need)));
            }
        }
    }
    /// Logs what went wrong while applying a notification, then schedules the debounced
    /// recomputation of queued diagnostics.
    async fn schedule_diagnostics(&self) {
        let failures = std::mem::take(&mut self.state.lock().failures);
        for failure in failures {
            self.client.log_message(MessageType::ERROR, failure).await;
        }
        publish::schedule(self.client.clone(), self.outbox.clone(), self.state.clone());
    }

    pub async fn search(
        &self,
        params: from_proto::SearchParams,
    ) -> Result<Vec<to_proto::SearchHit>> {
        self.catch_up_search().await;
        self.run("kbls/search", None, Need::Search, move |snap| {
            handlers::search(&snap, params)
        })
        .await
    }

    pub async fn malformed_message(&self, params: serde_json::Value) {
        let reason = params["reason"]
            .as_str()
            .unwrap_or("unknown reason")
            .to_string();
        self.client
            .log_message(
                MessageType::ERROR,
                format!("kbls: dropped a malformed message: {reason}"),
            )
            .await;
    }

    fn index_in_background(&self, roots: Vec<usize>) {
        let state = self.state.clone();
        let client = self.client.clone();
        let outbox = self.outbox.clone();
        let ready = self.ready.clone();
        let progress = self.work_done_progress.load(Ordering::SeqCst);
        tokio::spawn(async move {
            let token = ProgressToken::String("kbls/indexing".into());
            let progress = if progress
                && client
                    .create_work_done_progress(token.clone())
                    .await
                    .is_ok()
            {
                Some(
                    client
                        .progress(token, "kbls")
                        .with_message("Indexing notes")
                        .begin()
                        .await,
                )
            } else {
                None
            };
            let mut total = 0;
            for idx in roots {
                let (dir, config) = {
                    let state = state.lock();
                    let root = &state.roots[idx];
                    // The client's settings (the dialect among them) over `kbls.toml`.
                    (root.ws.root().to_path_buf(), state.config(root))
                };
                // The git history pass mostly waits on git: it runs beside the load and parse.
                let history = tokio::task::spawn_blocking({
                    let (dir, config) = (dir.clone(), config.clone());
                    move || Workspace::read_history(&dir, &config)
                });
                let indexed = match read_root(dir, config).await {
                    Ok(read) => {
                        for error in read.walk_errors() {
                            client
                                .log_message(
                                    MessageType::WARNING,
                                    format!(
                                        "kbls: cannot read `{}` under {}: {}; its notes are not indexed",
                                        error.path,
                                        read.root().display(),
                                        error.reason
                                    ),
                                )
                                .await;
                        }
                        total += read.note_count();
                        state.lock().roots[idx].status = IndexStatus::Loading {
                            notes: Some(read.note_count()),
                        };
                        if let Some(progress) = &progress {
                            progress
                                .report(format!("Indexing {} notes", group_thousands(total)))
                                .await;
                        }
                        build_root(&state, idx, read).await
                    }
                    Err(why) => Err(why),
                };
                if let Err(why) = indexed {
                    client
                        .show_message(MessageType::ERROR, format!("kbls: cannot index: {why}"))
                        .await;
                    {
                        let mut state = state.lock();
                        state.roots[idx].status = IndexStatus::Failed(why);
                        state.roots[idx].history_pending = false;
                    }
                    ready.send_modify(|n| *n += 1);
                    continue;
                }
                ready.send_modify(|n| *n += 1);
                let (dir, dialect) = {
                    let state = state.lock();
                    let ws = &state.roots[idx].ws;
                    (ws.root().display().to_string(), ws.config().site.dialect)
                };
                client
                    .log_message(
                        MessageType::INFO,
                        format!("kbls: {dir}: dialect {}", dialect.as_str()),
                    )
                    .await;
                let history = history.await.ok().flatten();
                {
                    let mut state = state.lock();
                    state.roots[idx].ws.set_history(history);
                    state.roots[idx].history_pending = false;
                }
                ready.send_modify(|n| *n += 1);
                // Diagnostics first (the problems panel fills at once), then the full-text index,
                // then the term and mention indexes.
                publish::publish(&client, &outbox, &state, true).await;
                build_search_index(&state, idx, &ready);
            }
            if let Some(progress) = progress {
                progress
                    .finish_with_message(format!("Indexed {} notes", group_thousands(total)))
                    .await;
            }
        });
    }

    fn open_path(&self, uri: &Uri) -> Option<PathBuf> {
        from_proto::uri_to_path(uri)
    }
}

/// Reads a root's notes and term packs off the async workers, or says why it cannot.
async fn read_root(
    dir: PathBuf,
    config: crate::config::Config,
) -> std::result::Result<WorkspaceRead, String> {
    match tokio::task::spawn_blocking(move || Workspace::read(&dir, config)).await {
        Ok(Ok(read)) => Ok(read),
        Ok(Err(err)) => Err(format!("{err:#}")),
        Err(err) => Err(format!("reading the notes panicked: {err}")),
    }
}

/// Parses what was read into root `idx`'s graph off the async workers and installs it.
async fn build_root(
    state: &Arc<Mutex<State>>,
    idx: usize,
    read: WorkspaceRead,
) -> std::result::Result<(), String> {
    let built = tokio::task::spawn_blocking(move || {
        // Kept for the session and read a note at a time: packed.
        let loaded = Workspace::from_read(read, TextStorage::Packed);
        // Edits and backlinks need the reverse index: build it now, not on a keystroke.
        loaded.graph().index_backlinks();
        loaded
    })
    .await;
    match built {
        Ok(loaded) => {
            state.lock().install_index(idx, loaded);
            Ok(())
        }
        Err(err) => Err(format!("parsing the notes panicked: {err}")),
    }
}

/// Builds root `idx`'s full-text index in the background (it takes seconds on a large corpus),
/// then its term and mention indexes: one after the other, since each build's transient memory
/// (tantivy's writer buffer; the term automaton) comes on top of what the server holds.
fn build_search_index(state: &Arc<Mutex<State>>, idx: usize, ready: &Arc<watch::Sender<u64>>) {
    let (search, graph, on_disk) = {
        let state = state.lock();
        let ws = &state.roots[idx].ws;
        let on_disk = state.settings.search_index_on_disk(ws.graph().note_count());
        (
            ws.search().clone(),
            ws.graph().clone(),
            on_disk.then(|| ws.root().display().to_string()),
        )
    };
    let state = state.clone();
    let ready = ready.clone();
    tokio::task::spawn_blocking(move || {
        // On disk, the index is shared with `kbls search` and reused across restarts; it falls
        // back to memory when another kbls holds the cache.
        let index = on_disk
            .and_then(|key| SearchIndex::open_or_create(&load::default_cache_dir(), &key).ok())
            .map_or_else(SearchIndex::in_memory, |(index, _)| index);
        let _ = WorkspaceSearch::install(&search, index, &graph);
        drop(graph);
        state.lock().roots[idx].search_pending = false;
        // Notes edited while it was built.
        refresh_search(&state);
        ready.send_modify(|n| *n += 1);
        publish::warm_terms(&state);
    });
}

fn request_failed(message: String) -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

/// Why a request gave up waiting.
fn still_indexing(notes: Option<usize>, need: Need) -> String {
    match (notes, need) {
        (None, _) => "kbls is still reading the notes; try again in a moment".to_string(),
        (Some(n), Need::Search) => format!(
            "kbls is still building the full-text index of {} notes; try again in a moment",
            group_thousands(n)
        ),
        (Some(n), Need::Graph | Need::Diagnostics) => format!(
            "kbls is still indexing {} notes; try again in a moment",
            group_thousands(n)
        ),
    }
}

/// `3412` → `3,412`.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = from_proto::position_encoding(&params.capabilities);
        // Open documents' diagnostics are pulled only from clients that can also be told to pull
        // again (`workspace/diagnostic/refresh`) when another note's change affects them;
        // everything else is pushed.
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_some()
            && params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
        self.work_done_progress.store(
            params
                .capabilities
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        self.dynamic_watch.store(
            params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .unwrap_or_default()
            .iter()
            .filter_map(|f| from_proto::uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)] // Older clients send only `rootUri`.
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(from_proto::uri_to_path));
        }
        let settings_errors = {
            let mut state = self.state.lock();
            state.encoding = encoding;
            state.pull_diagnostics = pull;
            state.today = std::env::var("KBLS_TODAY")
                .ok()
                .and_then(|t| crate::syntax::parse_date(&t).ok());
            for folder in folders {
                state.add_root(std::fs::canonicalize(&folder).unwrap_or(folder));
            }
            match &params.initialization_options {
                Some(options) => {
                    let (settings, errors) = ClientSettings::from_json(options);
                    state.settings = settings;
                    errors
                }
                None => Vec::new(),
            }
        };
        for error in settings_errors {
            self.client.log_message(MessageType::WARNING, error).await;
        }
        Ok(capabilities::initialize_result(encoding, pull))
    }

    async fn initialized(&self, _: InitializedParams) {
        let (roots, config_errors): (Vec<usize>, Vec<String>) = {
            let state = self.state.lock();
            (
                (0..state.roots.len()).collect(),
                state
                    .roots
                    .iter()
                    .filter_map(|r| r.config_error.clone())
                    .collect(),
            )
        };
        for error in config_errors {
            self.client
                .show_message(MessageType::ERROR, format!("kbls: {error}"))
                .await;
        }
        if self.dynamic_watch.load(Ordering::SeqCst) {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String("**/*.{md,markdown}".into()),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "kbls-watch-notes".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            let _ = self.client.register_capability(vec![registration]).await;
        }
        self.index_in_background(roots);
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let Some(path) = self.open_path(&params.text_document.uri) else {
            return;
        };
        // A folder (`file:///`) or another file is not a note: it never becomes a root to crawl.
        if !load::is_note_path(&path) || path.is_dir() {
            return;
        }
        let uri = params.text_document.uri.clone();
        let new_root = {
            let mut state = self.state.lock();
            let text = params.text_document.text;
            state.open.insert(
                path.clone(),
                OpenDoc {
                    rope: ropey::Rope::from_str(&text),
                    version: params.text_document.version,
                },
            );
            let (root, new_root) = match state.locate(&path) {
                Some((root, _)) => (root, None),
                None => {
                    let dir = load::find_root(&path, None);
                    let idx = state.add_root(dir);
                    (idx, Some(idx))
                }
            };
            if let Some(rel) = state.locate(&path).map(|(_, rel)| rel) {
                state.set_note(root, &rel, Arc::from(text));
            }
            new_root
        };
        if let Some(root) = new_root {
            self.index_in_background(vec![root]);
        }
        if self.state.lock().pull_diagnostics {
            // The client pulls an open document's diagnostics; drop what was pushed for it.
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics: Vec::new(),
                version: None,
            };
            // The same path as every other publish, so they reach the client in order.
            super::transport::notify(&self.outbox, "textDocument/publishDiagnostics", &params);
        }
        self.schedule_diagnostics().await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = self.open_path(&params.text_document.uri) else {
            return;
        };
        let stale = {
            let mut state = self.state.lock();
            let encoding = state.encoding;
            let Some(doc) = state.open.get_mut(&path) else {
                return;
            };
            if params.text_document.version <= doc.version {
                true
            } else {
                doc.version = params.text_document.version;
                for change in &params.content_changes {
                    from_proto::apply_change(&mut doc.rope, change.range, &change.text, encoding);
                }
                let text: Arc<str> = Arc::from(doc.rope.to_string());
                state.edited.insert(path.clone());
                if let Some((root, rel)) = state.locate(&path) {
                    state.set_note(root, &rel, text);
                }
                false
            }
        };
        if stale {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!("kbls: ignored an out-of-order change to {}", path.display()),
                )
                .await;
        }
        self.schedule_diagnostics().await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = self.open_path(&params.text_document.uri) else {
            return;
        };
        {
            let mut state = self.state.lock();
            state.open.remove(&path);
            // The disk is the truth again for a closed note.
            state.reload_from_disk(&path);
        }
        self.schedule_diagnostics().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        {
            let mut state = self.state.lock();
            for change in &params.changes {
                if let Some(path) = from_proto::uri_to_path(&change.uri) {
                    state.reload_from_disk(&path);
                }
            }
        }
        self.schedule_diagnostics().await;
    }

    async fn did_create_files(&self, params: CreateFilesParams) {
        {
            let mut state = self.state.lock();
            for file in &params.files {
                if let Some(path) = file
                    .uri
                    .parse::<Uri>()
                    .ok()
                    .as_ref()
                    .and_then(from_proto::uri_to_path)
                {
                    state.reload_from_disk(&path);
                }
            }
        }
        self.schedule_diagnostics().await;
    }

    async fn did_delete_files(&self, params: DeleteFilesParams) {
        {
            let mut state = self.state.lock();
            for file in &params.files {
                if let Some(path) = file
                    .uri
                    .parse::<Uri>()
                    .ok()
                    .as_ref()
                    .and_then(from_proto::uri_to_path)
                {
                    let under: Vec<String> = state
                        .locate(&path)
                        .map(|(root, rel)| state.roots[root].ws.graph().paths_under(&rel))
                        .unwrap_or_default();
                    if let Some((root, _)) = state.locate(&path) {
                        for rel in under {
                            state.remove_note(root, &rel);
                        }
                    }
                }
            }
        }
        self.schedule_diagnostics().await;
    }

    async fn did_rename_files(&self, params: RenameFilesParams) {
        {
            let mut state = self.state.lock();
            for file in &params.files {
                let old = file
                    .old_uri
                    .parse::<Uri>()
                    .ok()
                    .as_ref()
                    .and_then(from_proto::uri_to_path);
                let new = file
                    .new_uri
                    .parse::<Uri>()
                    .ok()
                    .as_ref()
                    .and_then(from_proto::uri_to_path);
                let (Some(old), Some(new)) = (old, new) else {
                    continue;
                };
                for (old_path, new_path) in from_proto::expand_moves(&state.snapshot(), &old, &new)
                {
                    if let Some(doc) = state.open.remove(&old_path) {
                        state.open.insert(new_path.clone(), doc);
                    }
                    if let Some((root, rel)) = state.locate(&old_path) {
                        state.remove_note(root, &rel);
                    }
                    state.reload_from_disk(&new_path);
                }
            }
        }
        self.schedule_diagnostics().await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (settings, errors) = ClientSettings::from_json(&params.settings);
        {
            let mut state = self.state.lock();
            state.settings = settings;
            state.queue_all(None);
        }
        for error in errors {
            self.client.log_message(MessageType::WARNING, error).await;
        }
        self.schedule_diagnostics().await;
    }

    async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        self.run("willRenameFiles", None, Need::Graph, move |snap| {
            handlers::will_rename_files(&snap, params)
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        self.run("hover", Some(&uri), Need::Graph, move |snap| {
            handlers::hover(&snap, params)
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        self.run("definition", Some(&uri), Need::Graph, move |snap| {
            handlers::goto_definition(&snap, params)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri.clone();
        self.run("references", Some(&uri), Need::Graph, move |snap| {
            handlers::references(&snap, params)
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri.clone();
        self.run("completion", Some(&uri), Need::Graph, move |snap| {
            handlers::completion(&snap, params)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = params.text_document.uri.clone();
        self.run("prepareRename", Some(&uri), Need::Graph, move |snap| {
            handlers::prepare_rename(&snap, params)
        })
        .await?
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = params.text_document_position.text_document.uri.clone();
        self.run("rename", Some(&uri), Need::Graph, move |snap| {
            handlers::rename(&snap, params)
        })
        .await?
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri.clone();
        let result = self
            .run("documentSymbol", Some(&uri), Need::Graph, move |snap| {
                serde_json::to_vec(&handlers::document_symbol(&snap, params))
            })
            .await?;
        // No await from here on: once the bytes are stored, the stand-in is written.
        match result {
            Ok(bytes) => Ok(to_proto::raw_stand_in(self.raw.stand_in(bytes))),
            Err(err) => Err(Error {
                code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
                message: format!("documentSymbol: {err}").into(),
                data: None,
            }),
        }
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.catch_up_search().await;
        self.run("workspace/symbol", None, Need::Graph, move |snap| {
            handlers::workspace_symbol(&snap, params)
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri.clone();
        self.run("documentLink", Some(&uri), Need::Graph, move |snap| {
            handlers::document_link(&snap, params)
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = params.text_document.uri.clone();
        self.run("foldingRange", Some(&uri), Need::Graph, move |snap| {
            handlers::folding_range(&snap, params)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.run("codeAction", Some(&uri), Need::Diagnostics, move |snap| {
            handlers::code_action(&snap, params)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri.clone();
        self.run("codeLens", Some(&uri), Need::Graph, move |snap| {
            handlers::code_lens(&snap, params)
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri.clone();
        self.run("diagnostic", Some(&uri), Need::Diagnostics, move |snap| {
            handlers::document_diagnostic(&snap, params)
        })
        .await
    }
}
