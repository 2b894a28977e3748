//! `impl LanguageServer`: each method hands its work to `state` (notifications, synchronously and
//! in order) or to `handlers` (requests, on a snapshot, off the async workers).

use super::convert;
use super::handlers;
use super::publish;
use super::state::{ClientSettings, OpenDoc, Snapshot, State};
use crate::graph::Graph;
use crate::load;
use crate::text::WideEncoding;
use parking_lot::Mutex;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

pub struct Backend {
    pub client: Client,
    pub state: Arc<Mutex<State>>,
    pub shutdown_requested: Arc<AtomicBool>,
    work_done_progress: AtomicBool,
    dynamic_watch: AtomicBool,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::new())),
            shutdown_requested: Arc::new(AtomicBool::new(false)),
            work_done_progress: AtomicBool::new(false),
            dynamic_watch: AtomicBool::new(false),
        }
    }

    fn snapshot(&self) -> Snapshot {
        self.state.lock().snapshot()
    }

    /// Runs a request on a snapshot in the blocking pool; a panic becomes an error reply and a
    /// log message, and the server keeps serving.
    async fn run<T: Send + 'static>(
        &self,
        name: &'static str,
        f: impl FnOnce(Snapshot) -> T + Send + 'static,
    ) -> Result<T> {
        let snap = self.snapshot();
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

    /// Logs what went wrong while applying a notification, then schedules the debounced
    /// recomputation of queued diagnostics.
    async fn schedule_diagnostics(&self) {
        let failures = std::mem::take(&mut self.state.lock().failures);
        for failure in failures {
            self.client.log_message(MessageType::ERROR, failure).await;
        }
        publish::schedule(self.client.clone(), self.state.clone());
    }

    pub async fn search(&self, params: handlers::SearchParams) -> Result<Vec<handlers::SearchHit>> {
        self.run("kbls/search", move |snap| handlers::search(&snap, params))
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
            let mut indexed = Vec::new();
            for idx in roots {
                let (dir, config) = {
                    let state = state.lock();
                    let root = &state.roots[idx];
                    (root.dir.clone(), state.config(root))
                };
                // Read the notes, say how many, then parse them: both off the async workers.
                let read = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                    let packs = load::load_packs(&dir, &config)?;
                    Ok((load::load_corpus(&dir, &config)?, packs, config))
                })
                .await;
                let (corpus, packs, config) = match read {
                    Ok(Ok(read)) => read,
                    Ok(Err(err)) => {
                        client
                            .show_message(
                                MessageType::ERROR,
                                format!("kbls: cannot index: {err:#}"),
                            )
                            .await;
                        continue;
                    }
                    Err(err) => {
                        client
                            .log_message(
                                MessageType::ERROR,
                                format!("kbls: indexing panicked: {err}"),
                            )
                            .await;
                        continue;
                    }
                };
                total += corpus.notes.len();
                if let Some(progress) = &progress {
                    progress
                        .report(format!("Indexing {} notes", group_thousands(total)))
                        .await;
                }
                let built = tokio::task::spawn_blocking(move || {
                    let mut graph =
                        Graph::build(corpus.notes, corpus.files, &config.parse_options());
                    graph.set_packs(packs);
                    // Edits and backlinks need the reverse index: build it now, not on a keystroke.
                    graph.index_backlinks();
                    (graph, corpus.unreadable)
                })
                .await;
                match built {
                    Ok((graph, unreadable)) => {
                        state.lock().install_index(idx, graph, unreadable);
                        indexed.push(idx);
                    }
                    Err(err) => {
                        client
                            .log_message(
                                MessageType::ERROR,
                                format!("kbls: indexing panicked: {err}"),
                            )
                            .await
                    }
                }
            }
            if let Some(progress) = progress {
                progress
                    .finish_with_message(format!("Indexed {} notes", group_thousands(total)))
                    .await;
            }
            // Diagnostics first (the problems panel fills at once), then the slower extras:
            // git history (it requeues the diagnostics it affects) and the full-text index.
            publish::flush(client.clone(), state.clone()).await;
            for idx in indexed {
                if read_history(&state, idx).await {
                    publish::schedule(client.clone(), state.clone());
                }
                build_search_index(&state, idx);
            }
        });
    }

    fn open_path(&self, uri: &Uri) -> Option<PathBuf> {
        convert::uri_to_path(uri)
    }
}

/// Builds root `idx`'s full-text index in the background (it takes seconds on a large corpus).
fn build_search_index(state: &Arc<Mutex<State>>, idx: usize) {
    let (search, graph, on_disk) = {
        let state = state.lock();
        let root = &state.roots[idx];
        let on_disk = match state.settings.search_index.as_deref() {
            Some("disk") => true,
            Some("memory") => false,
            _ => root.graph.note_count() >= super::state::DISK_INDEX_NOTES,
        };
        (
            root.search.clone(),
            root.graph.clone(),
            on_disk.then(|| root.dir.display().to_string()),
        )
    };
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let cache = on_disk.map(|key| (load::default_cache_dir(), key));
        super::search::build(&search, &graph, cache);
        // Notes edited while it was built.
        super::search::refresh(&state);
    });
}

/// Reads the git history of root `idx` off the async workers and requeues its diagnostics;
/// says whether there was history to read.
async fn read_history(state: &Arc<Mutex<State>>, idx: usize) -> bool {
    let (dir, markers) = {
        let state = state.lock();
        let config = state.config(&state.roots[idx]);
        let mut markers = vec![config.date_label.clone()];
        markers.extend(config.date_keys.iter().cloned());
        (state.roots[idx].dir.clone(), markers)
    };
    let Ok(Some(history)) =
        tokio::task::spawn_blocking(move || crate::history::read(&dir, &markers)).await
    else {
        return false;
    };
    let mut state = state.lock();
    // Only notes git saw change after their stated date can gain an `outdated-date`.
    let affected: Vec<crate::graph::NoteId> = state.roots[idx]
        .graph
        .notes()
        .filter(|(_, note)| {
            let stated = note.syntax.date.as_ref().and_then(|d| d.value.ok());
            match (history.of(&note.path), stated) {
                (crate::history::NoteHistory::Changed(change), Some(stated)) => {
                    change.date > stated
                }
                _ => false,
            }
        })
        .map(|(id, _)| id)
        .collect();
    state.roots[idx].history = Some(Arc::new(history));
    state.queue(idx, affected);
    true
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
        let offers_utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8));
        let encoding = if offers_utf8 {
            WideEncoding::Utf8
        } else {
            WideEncoding::Utf16
        };
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
            .filter_map(|f| convert::uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)] // Older clients send only `rootUri`.
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(convert::uri_to_path));
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
        Ok(handlers::initialize_result(encoding, pull))
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
                    let dir = load::find_root(&path);
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
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
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
                    convert::apply_change(&mut doc.rope, change.range, &change.text, encoding);
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
                if let Some(path) = convert::uri_to_path(&change.uri) {
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
                    .and_then(convert::uri_to_path)
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
                    .and_then(convert::uri_to_path)
                {
                    let under: Vec<String> = state
                        .locate(&path)
                        .map(|(root, rel)| state.roots[root].graph.paths_under(&rel))
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
                    .and_then(convert::uri_to_path);
                let new = file
                    .new_uri
                    .parse::<Uri>()
                    .ok()
                    .as_ref()
                    .and_then(convert::uri_to_path);
                let (Some(old), Some(new)) = (old, new) else {
                    continue;
                };
                for (old_path, new_path) in handlers::expand_moves(&state.snapshot(), &old, &new) {
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
        self.run("willRenameFiles", move |snap| {
            handlers::will_rename_files(&snap, params)
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.run("hover", move |snap| handlers::hover(&snap, params))
            .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.run("definition", move |snap| {
            handlers::goto_definition(&snap, params)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.run("references", move |snap| {
            handlers::references(&snap, params)
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.run("completion", move |snap| {
            handlers::completion(&snap, params)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.run("prepareRename", move |snap| {
            handlers::prepare_rename(&snap, params)
        })
        .await?
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.run("rename", move |snap| handlers::rename(&snap, params))
            .await?
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.run("documentSymbol", move |snap| {
            handlers::document_symbol(&snap, params)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.run("workspace/symbol", move |snap| {
            handlers::workspace_symbol(&snap, params)
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.run("documentLink", move |snap| {
            handlers::document_link(&snap, params)
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.run("foldingRange", move |snap| {
            handlers::folding_range(&snap, params)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.run("codeAction", move |snap| {
            handlers::code_action(&snap, params)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.run("codeLens", move |snap| handlers::code_lens(&snap, params))
            .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.run("diagnostic", move |snap| {
            handlers::document_diagnostic(&snap, params)
        })
        .await
    }
}
