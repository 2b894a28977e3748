//! Request handlers: LSP params → byte offsets and paths → `ide` → LSP result. No analysis here.

use super::convert;
use super::publish;
use super::state::{RootSnapshot, Snapshot};
use crate::graph::{Note, NoteId};
use crate::ide::{actions, completion, diagnostics, navigation, outline, rename};
use crate::load;
use crate::text::{TextRange, WideEncoding};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

pub fn initialize_result(encoding: WideEncoding, pull_diagnostics: bool) -> InitializeResult {
    let file = |glob: &str| FileOperationFilter {
        scheme: Some("file".into()),
        pattern: FileOperationPattern {
            glob: glob.into(),
            matches: Some(FileOperationPatternKind::File),
            options: None,
        },
    };
    let folders = FileOperationFilter {
        scheme: Some("file".into()),
        pattern: FileOperationPattern {
            glob: "**".into(),
            matches: Some(FileOperationPatternKind::Folder),
            options: None,
        },
    };
    let md_files = FileOperationRegistrationOptions {
        filters: vec![file("**/*.md"), file("**/*.markdown"), folders],
    };
    let capabilities = ServerCapabilities {
        position_encoding: Some(match encoding {
            WideEncoding::Utf8 => PositionEncodingKind::UTF8,
            _ => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: None,
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["(", "#", "[", "/", " ", "!"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        diagnostic_provider: pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("kbls".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: None,
            }),
            file_operations: Some(WorkspaceFileOperationsServerCapabilities {
                did_create: Some(md_files.clone()),
                did_rename: Some(md_files.clone()),
                did_delete: Some(md_files.clone()),
                will_rename: Some(md_files),
                will_create: None,
                will_delete: None,
            }),
        }),
        ..ServerCapabilities::default()
    };
    InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "kbls".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        offset_encoding: None,
    }
}

/// The root, note and byte offset of a document position; `None` for unknown documents.
fn locate<'a>(
    snap: &'a Snapshot,
    doc: &TextDocumentPositionParams,
) -> Option<(&'a RootSnapshot, NoteId, usize)> {
    let (root, id) = document(snap, &doc.text_document.uri)?;
    let offset = convert::offset(root.note(id), doc.position, snap.encoding);
    Some((root, id, offset))
}

fn document<'a>(snap: &'a Snapshot, uri: &Uri) -> Option<(&'a RootSnapshot, NoteId)> {
    snap.note_of(&convert::uri_to_path(uri)?)
}

fn location(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    range: TextRange,
) -> Option<Location> {
    let note = root.note(id);
    Some(Location {
        uri: convert::path_to_uri(&root.path_of(&note.path))?,
        range: convert::range(note, range, snap.encoding),
    })
}

pub fn hover(snap: &Snapshot, params: HoverParams) -> Option<Hover> {
    let (root, id, offset) = locate(snap, &params.text_document_position_params)?;
    let res = navigation::hover(&root.graph, id, offset, &root.cfg)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: res.markdown,
        }),
        range: Some(convert::range(root.note(id), res.range, snap.encoding)),
    })
}

pub fn goto_definition(
    snap: &Snapshot,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let (root, id, offset) = locate(snap, &params.text_document_position_params)?;
    let (origin, targets) = navigation::goto_definition(&root.graph, id, offset)?;
    let origin = convert::range(root.note(id), origin, snap.encoding);
    let links: Vec<LocationLink> = targets
        .into_iter()
        .filter_map(|target| match target {
            crate::ide::results::NavTarget::Note { note, range, focus } => {
                let target_note = root.note(note);
                Some(LocationLink {
                    origin_selection_range: Some(origin),
                    target_uri: convert::path_to_uri(&root.path_of(&target_note.path))?,
                    target_range: convert::range(target_note, range, snap.encoding),
                    target_selection_range: convert::range(target_note, focus, snap.encoding),
                })
            }
            crate::ide::results::NavTarget::File { path } => Some(LocationLink {
                origin_selection_range: Some(origin),
                target_uri: convert::path_to_uri(&root.path_of(&path))?,
                target_range: Range::default(),
                target_selection_range: Range::default(),
            }),
        })
        .collect();
    (!links.is_empty()).then_some(GotoDefinitionResponse::Link(links))
}

pub fn references(snap: &Snapshot, params: ReferenceParams) -> Option<Vec<Location>> {
    let (root, id, offset) = locate(snap, &params.text_document_position)?;
    let refs = navigation::references(&root.graph, id, offset, params.context.include_declaration);
    Some(
        refs.into_iter()
            .filter_map(|r| location(snap, root, r.note, r.range))
            .collect(),
    )
}

pub fn completion(snap: &Snapshot, params: CompletionParams) -> Option<CompletionResponse> {
    let (root, id, offset) = locate(snap, &params.text_document_position)?;
    let res = completion::complete(
        &root.graph,
        id,
        offset,
        root.cfg.today,
        &root.cfg.config.date_label,
    )?;
    let note = root.note(id);
    let replace = convert::range(note, res.replace, snap.encoding);
    let items = res
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| CompletionItem {
            label: item.label,
            kind: Some(match item.kind {
                completion::CompletionKind::File => CompletionItemKind::FILE,
                completion::CompletionKind::Heading => CompletionItemKind::REFERENCE,
                completion::CompletionKind::Reference => CompletionItemKind::REFERENCE,
                completion::CompletionKind::Value => CompletionItemKind::VALUE,
                completion::CompletionKind::Constant => CompletionItemKind::CONSTANT,
                completion::CompletionKind::Command => CompletionItemKind::FUNCTION,
                completion::CompletionKind::Flag => CompletionItemKind::PROPERTY,
            }),
            detail: item.detail,
            documentation: item.documentation.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            filter_text: item.filter,
            sort_text: Some(format!("{i:05}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: replace,
                new_text: item.insert,
            })),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: res.incomplete,
        items,
    }))
}

pub fn prepare_rename(
    snap: &Snapshot,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((root, id, offset)) = locate(snap, &params) else {
        return Ok(None);
    };
    match rename::prepare_rename(&root.graph, id, offset) {
        Ok((range, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: convert::range(root.note(id), range, snap.encoding),
            placeholder,
        })),
        Err(why) => Err(Error::invalid_params(why)),
    }
}

pub fn rename(snap: &Snapshot, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let Some((root, id, offset)) = locate(snap, &params.text_document_position) else {
        return Ok(None);
    };
    match rename::rename(&root.graph, id, offset, &params.new_name) {
        Ok(edits) => Ok(Some(workspace_edit(snap, root, edits))),
        Err(why) => Err(Error::invalid_params(why)),
    }
}

fn workspace_edit(
    snap: &Snapshot,
    root: &RootSnapshot,
    edits: Vec<rename::TextEdit>,
) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in edits {
        let note = root.note(edit.note);
        let Some(uri) = convert::path_to_uri(&root.path_of(&note.path)) else {
            continue;
        };
        changes.entry(uri).or_default().push(TextEdit {
            range: convert::range(note, edit.range, snap.encoding),
            new_text: edit.new_text,
        });
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

/// Expands a file or folder move into the moves of the notes it covers.
pub fn expand_moves(snap: &Snapshot, old: &Path, new: &Path) -> Vec<(PathBuf, PathBuf)> {
    let Some(root) = snap
        .roots
        .iter()
        .filter(|r| old.starts_with(&r.dir))
        .max_by_key(|r| r.dir.as_os_str().len())
    else {
        return Vec::new();
    };
    let Some(old_rel) = load::relative(&root.dir, old) else {
        return Vec::new();
    };
    root.graph
        .paths_under(&old_rel)
        .into_iter()
        .map(|path| {
            let moved = match path.strip_prefix(&format!("{old_rel}/")) {
                Some(rest) => new.join(rest),
                None => new.to_path_buf(),
            };
            (root.path_of(&path), moved)
        })
        .collect()
}

pub fn will_rename_files(snap: &Snapshot, params: RenameFilesParams) -> Option<WorkspaceEdit> {
    let mut per_root: Vec<(&RootSnapshot, Vec<(String, String)>)> = Vec::new();
    for file in &params.files {
        let (Some(old), Some(new)) = (
            file.old_uri
                .parse::<Uri>()
                .ok()
                .as_ref()
                .and_then(convert::uri_to_path),
            file.new_uri
                .parse::<Uri>()
                .ok()
                .as_ref()
                .and_then(convert::uri_to_path),
        ) else {
            continue;
        };
        for (old_path, new_path) in expand_moves(snap, &old, &new) {
            let Some(root) = snap
                .roots
                .iter()
                .filter(|r| old_path.starts_with(&r.dir))
                .max_by_key(|r| r.dir.as_os_str().len())
            else {
                continue;
            };
            let (Some(old_rel), Some(new_rel)) = (
                load::relative(&root.dir, &old_path),
                load::relative(&root.dir, &new_path),
            ) else {
                continue;
            };
            match per_root.iter_mut().find(|(r, _)| r.dir == root.dir) {
                Some((_, moves)) => moves.push((old_rel, new_rel)),
                None => per_root.push((root, vec![(old_rel, new_rel)])),
            }
        }
    }
    let mut res = WorkspaceEdit {
        changes: Some(HashMap::new()),
        ..WorkspaceEdit::default()
    };
    for (root, moves) in per_root {
        let edit = workspace_edit(snap, root, rename::rename_files(&root.graph, &moves));
        res.changes
            .get_or_insert_with(HashMap::new)
            .extend(edit.changes.unwrap_or_default());
    }
    Some(res)
}

pub fn document_symbol(
    snap: &Snapshot,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let (root, id) = document(snap, &params.text_document.uri)?;
    let note = root.note(id);
    #[allow(deprecated)] // `deprecated` is a required field of the struct.
    fn convert_symbol(
        note: &Note,
        symbol: outline::Symbol,
        encoding: WideEncoding,
    ) -> DocumentSymbol {
        DocumentSymbol {
            name: if symbol.name.is_empty() {
                "(empty heading)".into()
            } else {
                symbol.name
            },
            detail: Some("#".repeat(symbol.level as usize)),
            kind: if symbol.level == 1 {
                SymbolKind::FILE
            } else {
                SymbolKind::STRING
            },
            tags: None,
            deprecated: None,
            range: convert::range(note, symbol.range, encoding),
            selection_range: convert::range(note, symbol.selection, encoding),
            children: Some(
                symbol
                    .children
                    .into_iter()
                    .map(|c| convert_symbol(note, c, encoding))
                    .collect(),
            ),
        }
    }
    let symbols = outline::document_symbols(note)
        .into_iter()
        .map(|s| convert_symbol(note, s, snap.encoding))
        .collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

pub fn workspace_symbol(
    snap: &Snapshot,
    params: WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    const LIMIT: usize = 200;
    #[allow(deprecated)] // `deprecated` is a required field of the struct.
    let symbol = |name: String, kind: SymbolKind, location: Location, container: Option<String>| {
        SymbolInformation {
            name,
            kind,
            tags: None,
            deprecated: None,
            location,
            container_name: container,
        }
    };
    let mut res = Vec::new();
    for root in &snap.roots {
        match &root.search {
            // Ranked through the full-text index: fuzzy and typo tolerant, terms included.
            Some(index) => {
                for hit in index.symbols(&params.query, LIMIT) {
                    let Some(id) = root.graph.by_path(&hit.path) else {
                        continue;
                    };
                    let Some(location) = location(snap, root, id, hit.range) else {
                        continue;
                    };
                    let kind = match hit.kind {
                        crate::search::SymbolKind::Title => SymbolKind::FILE,
                        crate::search::SymbolKind::Heading => SymbolKind::STRING,
                        crate::search::SymbolKind::Term => SymbolKind::CONSTANT,
                    };
                    let container = (!hit.container.is_empty()).then_some(hit.container);
                    res.push(symbol(hit.name, kind, location, container));
                }
            }
            // Until the index is built: a subsequence match over titles and headings.
            None => {
                for found in outline::workspace_symbols(&root.graph, &params.query, LIMIT) {
                    let Some(location) = location(snap, root, found.note, found.range) else {
                        continue;
                    };
                    let kind = if found.is_title {
                        SymbolKind::FILE
                    } else {
                        SymbolKind::STRING
                    };
                    res.push(symbol(found.name, kind, location, found.container));
                }
            }
        }
    }
    Some(WorkspaceSymbolResponse::Flat(res))
}

pub fn document_link(snap: &Snapshot, params: DocumentLinkParams) -> Option<Vec<DocumentLink>> {
    let (root, id) = document(snap, &params.text_document.uri)?;
    let note = root.note(id);
    let links = outline::document_links(&root.graph, note)
        .into_iter()
        .filter_map(|(range, destination)| {
            let target = match destination {
                outline::LinkDestination::Note { note: target, line } => {
                    let uri = convert::path_to_uri(&root.path_of(&root.note(target).path))?;
                    match line {
                        Some(line) => format!("{}#L{}", uri.as_str(), line + 1).parse().ok()?,
                        None => uri,
                    }
                }
                outline::LinkDestination::File { path } => {
                    convert::path_to_uri(&root.path_of(&path))?
                }
                outline::LinkDestination::External { url } => url.parse().ok()?,
            };
            Some(DocumentLink {
                range: convert::range(note, range, snap.encoding),
                target: Some(target),
                tooltip: None,
                data: None,
            })
        })
        .collect();
    Some(links)
}

pub fn folding_range(snap: &Snapshot, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let (root, id) = document(snap, &params.text_document.uri)?;
    let note = root.note(id);
    let ranges = outline::folding_ranges(note)
        .into_iter()
        .filter_map(|(range, kind)| {
            let start = note.line_index.line_of(range.start as usize);
            let end = note.line_index.line_of(range.end as usize);
            (end > start).then(|| FoldingRange {
                start_line: start,
                end_line: end,
                kind: Some(match kind {
                    outline::FoldKind::Section => FoldingRangeKind::Region,
                    outline::FoldKind::Code => FoldingRangeKind::Region,
                    outline::FoldKind::FrontMatter => FoldingRangeKind::Comment,
                }),
                ..FoldingRange::default()
            })
        })
        .collect();
    Some(ranges)
}

pub fn code_action(snap: &Snapshot, params: CodeActionParams) -> Option<CodeActionResponse> {
    let (root, id) = document(snap, &params.text_document.uri)?;
    let note = root.note(id);
    let range = convert::text_range(note, params.range, snap.encoding);
    let found = diagnostics::note_diagnostics(&root.graph, id, &root.cfg);
    let lsp_diagnostics =
        publish::to_lsp_diagnostics(snap, snap.roots.iter().position(|r| r.dir == root.dir)?, id);
    let actions = actions::code_actions(&root.graph, id, range, &found, root.cfg.today);
    let res = actions
        .into_iter()
        .filter_map(|action| {
            let mut edit = workspace_edit(snap, root, action.edits);
            if let Some((path, text)) = action.create {
                let uri = convert::path_to_uri(&root.path_of(&path))?;
                let create = DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                    uri: uri.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                }));
                let insert = DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                    edits: vec![OneOf::Left(TextEdit {
                        range: Range::default(),
                        new_text: text,
                    })],
                });
                edit = WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Operations(vec![create, insert])),
                    ..WorkspaceEdit::default()
                };
            }
            let fixed: Vec<Diagnostic> = match action.fixes {
                Some(code) => lsp_diagnostics
                    .iter()
                    .filter(|d| {
                        d.code == Some(NumberOrString::String(code.as_str().into()))
                            && d.range.start <= params.range.end
                            && params.range.start <= d.range.end
                    })
                    .cloned()
                    .collect(),
                None => Vec::new(),
            };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: (!fixed.is_empty()).then_some(fixed),
                edit: Some(edit),
                is_preferred: action.preferred.then_some(true),
                ..CodeAction::default()
            }))
        })
        .collect();
    Some(res)
}

pub fn code_lens(snap: &Snapshot, params: CodeLensParams) -> Option<Vec<CodeLens>> {
    if !snap.code_lens {
        return Some(Vec::new());
    }
    let (root, id) = document(snap, &params.text_document.uri)?;
    let note = root.note(id);
    let lenses = note
        .syntax
        .headings
        .iter()
        .enumerate()
        .map(|(h, heading)| {
            let count = if heading.level == 1 {
                root.graph.backlinks(id).len()
            } else {
                root.graph.heading_backlinks(id, h).len()
            };
            CodeLens {
                range: convert::range(note, heading.range, snap.encoding),
                command: Some(Command {
                    title: format!("{count} reference{}", if count == 1 { "" } else { "s" }),
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            }
        })
        .collect();
    Some(lenses)
}

pub fn document_diagnostic(
    snap: &Snapshot,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let items = convert::uri_to_path(&params.text_document.uri)
        .and_then(|path| {
            let (root, id) = snap.note_of(&path)?;
            let root_idx = snap.roots.iter().position(|r| r.dir == root.dir)?;
            Some(publish::to_lsp_diagnostics(snap, root_idx, id))
        })
        .unwrap_or_default();
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}

/// `kbls/search` parameters.
#[derive(serde::Deserialize)]
pub struct SearchParams {
    pub query: String,
    pub limit: Option<usize>,
}

/// One `kbls/search` result.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub uri: Uri,
    pub range: Range,
    pub title: String,
    pub heading_path: String,
    /// Markdown, matched words in bold.
    pub snippet: String,
    pub score: f32,
}

pub fn search(snap: &Snapshot, params: SearchParams) -> Vec<SearchHit> {
    let limit = params.limit.unwrap_or(20).clamp(1, 1000);
    let mut hits: Vec<SearchHit> = snap
        .roots
        .iter()
        .filter_map(|root| Some((root, root.search.as_ref()?)))
        .flat_map(|(root, index)| {
            index
                .search(&params.query, limit)
                .into_iter()
                .filter_map(move |hit| {
                    let id = root.graph.by_path(&hit.path)?;
                    Some(SearchHit {
                        uri: convert::path_to_uri(&root.path_of(&hit.path))?,
                        range: convert::range(root.note(id), hit.range, snap.encoding),
                        title: hit.title,
                        heading_path: hit.heading_path,
                        snippet: hit.snippet,
                        score: hit.score,
                    })
                })
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(limit);
    hits
}
