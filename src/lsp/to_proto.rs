//! kbls to protocol: byte ranges to LSP ranges (in the negotiated encoding) with the line index
//! of the snapshot that computed them, corpus paths to URIs, and `ide`'s plain results to LSP
//! types. With `from_proto`, the only code that knows UTF-16.

use super::state::{RootSnapshot, Snapshot};
use crate::codes::Severity;
use crate::graph::{Note, NoteId};
use crate::ide::actions::Action;
use crate::ide::completion::{Completion, CompletionKind};
use crate::ide::diagnostics::Diagnostic as KblsDiagnostic;
use crate::ide::outline::{self, FoldKind, LinkDestination};
use crate::ide::rename::TextEdit as KblsTextEdit;
use crate::ide::results::{HoverResult, NavTarget, NoteRange};
use crate::search::SearchHit as KblsSearchHit;
use crate::text::{TextRange, WideEncoding};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;
use tower_lsp_server::ls_types::*;

/// Positions in one note. Most lines are ASCII, and their columns need no text; the text, which
/// the server keeps packed, is read for the first position on another line, and only once.
struct Positions<'a> {
    note: &'a Note,
    text: OnceCell<Cow<'a, str>>,
}

impl<'a> Positions<'a> {
    fn new(note: &'a Note) -> Positions<'a> {
        Positions {
            note,
            text: OnceCell::new(),
        }
    }

    fn position(&self, offset: usize, encoding: WideEncoding) -> Position {
        let lines = self.note.line_index();
        let lc = lines.ascii_line_col(offset).unwrap_or_else(|| {
            let text = self.text.get_or_init(|| self.note.text());
            lines.line_col(text, offset, encoding)
        });
        Position::new(lc.line, lc.col)
    }

    fn range(&self, range: TextRange, encoding: WideEncoding) -> Range {
        Range::new(
            self.position(range.start as usize, encoding),
            self.position(range.end as usize, encoding),
        )
    }
}

/// One range of `note`; [`Positions`] for many.
fn range(note: &Note, range: TextRange, encoding: WideEncoding) -> Range {
    Positions::new(note).range(range, encoding)
}

pub fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// The URI of a corpus path of `root`.
fn uri(root: &RootSnapshot, rel: &str) -> Option<Uri> {
    path_to_uri(&root.path_of(rel))
}

fn location(snap: &Snapshot, root: &RootSnapshot, id: NoteId, at: TextRange) -> Option<Location> {
    let note = root.note(id);
    Some(Location {
        uri: uri(root, &note.path)?,
        range: range(note, at, snap.encoding),
    })
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

pub fn hover(snap: &Snapshot, root: &RootSnapshot, id: NoteId, res: HoverResult) -> Hover {
    Hover {
        contents: HoverContents::Markup(markdown(res.markdown)),
        range: Some(range(root.note(id), res.range, snap.encoding)),
    }
}

/// Location links from `origin` in note `id`; `None` when no target is left.
pub fn goto_definition_response(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    (origin, targets): (TextRange, Vec<NavTarget>),
) -> Option<GotoDefinitionResponse> {
    let origin = range(root.note(id), origin, snap.encoding);
    let links: Vec<LocationLink> = targets
        .into_iter()
        .filter_map(|target| match target {
            NavTarget::Note {
                note,
                range: whole,
                focus,
            } => {
                let target_note = root.note(note);
                Some(LocationLink {
                    origin_selection_range: Some(origin),
                    target_uri: uri(root, &target_note.path)?,
                    target_range: range(target_note, whole, snap.encoding),
                    target_selection_range: range(target_note, focus, snap.encoding),
                })
            }
            NavTarget::File { path } => Some(LocationLink {
                origin_selection_range: Some(origin),
                target_uri: uri(root, &path)?,
                target_range: Range::default(),
                target_selection_range: Range::default(),
            }),
        })
        .collect();
    (!links.is_empty()).then_some(GotoDefinitionResponse::Link(links))
}

pub fn locations(snap: &Snapshot, root: &RootSnapshot, refs: Vec<NoteRange>) -> Vec<Location> {
    refs.into_iter()
        .filter_map(|r| location(snap, root, r.note, r.range))
        .collect()
}

fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::File => CompletionItemKind::FILE,
        CompletionKind::Heading => CompletionItemKind::REFERENCE,
        CompletionKind::Reference => CompletionItemKind::REFERENCE,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Constant => CompletionItemKind::CONSTANT,
        CompletionKind::Command => CompletionItemKind::FUNCTION,
        CompletionKind::Flag => CompletionItemKind::PROPERTY,
    }
}

/// Items keep `ide`'s order (`sortText` is their index); each replaces the typed prefix.
pub fn completion_response(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    res: Completion,
) -> CompletionResponse {
    let replace = range(root.note(id), res.replace, snap.encoding);
    let items = res
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| CompletionItem {
            label: item.label,
            kind: Some(completion_kind(item.kind)),
            detail: item.detail,
            documentation: item
                .documentation
                .map(|value| Documentation::MarkupContent(markdown(value))),
            filter_text: item.filter,
            sort_text: Some(format!("{i:05}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: replace,
                new_text: item.insert,
            })),
            ..CompletionItem::default()
        })
        .collect();
    CompletionResponse::List(CompletionList {
        is_incomplete: res.incomplete,
        items,
    })
}

pub fn prepare_rename_response(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    (at, placeholder): (TextRange, String),
) -> PrepareRenameResponse {
    PrepareRenameResponse::RangeWithPlaceholder {
        range: range(root.note(id), at, snap.encoding),
        placeholder,
    }
}

pub fn workspace_edit(
    snap: &Snapshot,
    root: &RootSnapshot,
    edits: Vec<KblsTextEdit>,
) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in edits {
        let note = root.note(edit.note);
        let Some(uri) = uri(root, &note.path) else {
            continue;
        };
        changes.entry(uri).or_default().push(TextEdit {
            range: range(note, edit.range, snap.encoding),
            new_text: edit.new_text,
        });
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the struct.
fn document_symbol(
    note: &Positions<'_>,
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
        range: note.range(symbol.range, encoding),
        selection_range: note.range(symbol.selection, encoding),
        children: Some(
            symbol
                .children
                .into_iter()
                .map(|child| document_symbol(note, child, encoding))
                .collect(),
        ),
    }
}

pub fn document_symbols(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    symbols: Vec<outline::Symbol>,
) -> DocumentSymbolResponse {
    let note = Positions::new(root.note(id));
    DocumentSymbolResponse::Nested(
        symbols
            .into_iter()
            .map(|symbol| document_symbol(&note, symbol, snap.encoding))
            .collect(),
    )
}

/// The stand-in response for a document-symbol result serialized ahead
/// ([`super::transport::RawResults`]): one symbol named `marker`.
#[allow(deprecated)] // `deprecated` is a required field of the struct.
pub fn raw_stand_in(marker: String) -> Option<DocumentSymbolResponse> {
    Some(DocumentSymbolResponse::Flat(vec![SymbolInformation {
        name: marker,
        kind: SymbolKind::FILE,
        tags: None,
        deprecated: None,
        location: Location {
            uri: "file:///".parse().ok()?,
            range: Range::default(),
        },
        container_name: None,
    }]))
}

#[allow(deprecated)] // `deprecated` is a required field of the struct.
pub fn workspace_symbols(
    snap: &Snapshot,
    root: &RootSnapshot,
    symbols: Vec<outline::WorkspaceSymbol>,
) -> Vec<SymbolInformation> {
    symbols
        .into_iter()
        .filter_map(|symbol| {
            Some(SymbolInformation {
                name: symbol.name,
                kind: match symbol.kind {
                    outline::SymbolKind::Title => SymbolKind::FILE,
                    outline::SymbolKind::Heading => SymbolKind::STRING,
                    outline::SymbolKind::Term => SymbolKind::CONSTANT,
                },
                tags: None,
                deprecated: None,
                location: location(snap, root, symbol.note, symbol.range)?,
                container_name: symbol.container,
            })
        })
        .collect()
}

/// Links to a heading point at its line with a `#L` fragment (1-based), as editors open them.
pub fn document_links(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    links: Vec<(TextRange, LinkDestination)>,
) -> Vec<DocumentLink> {
    let note = Positions::new(root.note(id));
    links
        .into_iter()
        .filter_map(|(at, destination)| {
            let target = match destination {
                LinkDestination::Note { note: target, line } => {
                    let uri = uri(root, &root.note(target).path)?;
                    match line {
                        Some(line) => format!("{}#L{}", uri.as_str(), line + 1).parse().ok()?,
                        None => uri,
                    }
                }
                LinkDestination::File { path } => uri(root, &path)?,
                LinkDestination::External { url } => url.parse().ok()?,
            };
            Some(DocumentLink {
                range: note.range(at, snap.encoding),
                target: Some(target),
                tooltip: None,
                data: None,
            })
        })
        .collect()
}

pub fn folding_ranges(
    root: &RootSnapshot,
    id: NoteId,
    folds: Vec<outline::Fold>,
) -> Vec<FoldingRange> {
    let note = root.note(id);
    folds
        .into_iter()
        .map(|fold| FoldingRange {
            start_line: note.line_index().line_of(fold.range.start as usize),
            end_line: note.line_index().line_of(fold.range.end as usize),
            kind: Some(match fold.kind {
                FoldKind::Section | FoldKind::Code => FoldingRangeKind::Region,
                FoldKind::FrontMatter => FoldingRangeKind::Comment,
            }),
            ..FoldingRange::default()
        })
        .collect()
}

/// Lenses that show a count and run nothing.
pub fn code_lenses(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    lenses: Vec<outline::CodeLens>,
) -> Vec<CodeLens> {
    let note = Positions::new(root.note(id));
    lenses
        .into_iter()
        .map(|lens| CodeLens {
            range: note.range(lens.range, snap.encoding),
            command: Some(Command {
                title: lens.title(),
                command: String::new(),
                arguments: None,
            }),
            data: None,
        })
        .collect()
}

/// Quick fixes; one that creates a note does so without overwriting an existing file.
pub fn code_actions(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    actions: Vec<Action>,
) -> Vec<CodeActionOrCommand> {
    let note = root.note(id);
    actions
        .into_iter()
        .filter_map(|action| {
            let edit = match action.create {
                Some((path, text)) => create_note(root, &path, text)?,
                None => workspace_edit(snap, root, action.edits),
            };
            let fixed = action
                .fixes
                .map(|d| vec![diagnostic(&Positions::new(note), d, snap.encoding)]);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: fixed,
                edit: Some(edit),
                is_preferred: action.preferred.then_some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// Creates the note at corpus path `path` with `text`, leaving an existing file alone.
fn create_note(root: &RootSnapshot, path: &str, text: String) -> Option<WorkspaceEdit> {
    let uri = uri(root, path)?;
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
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(vec![create, insert])),
        ..WorkspaceEdit::default()
    })
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// A finding, its fix's replacement text in `data` for clients that apply it without asking.
fn diagnostic(note: &Positions<'_>, d: KblsDiagnostic, encoding: WideEncoding) -> Diagnostic {
    let at = note.range(d.range, encoding);
    diagnostic_at(d, at)
}

fn diagnostic_at(d: KblsDiagnostic, range: Range) -> Diagnostic {
    let data = d
        .fix
        .as_ref()
        .map(|fix| serde_json::json!({"fix": fix.new_text}));
    Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.as_str().into())),
        source: Some("kbls".into()),
        message: d.message,
        data,
        ..Diagnostic::default()
    }
}

pub fn diagnostics(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    found: Vec<KblsDiagnostic>,
) -> Vec<Diagnostic> {
    let note = Positions::new(root.note(id));
    found
        .into_iter()
        .map(|d| diagnostic(&note, d, snap.encoding))
        .collect()
}

/// The findings of a file that is no note: with no text to convert positions in, at its start.
pub fn file_diagnostics(found: Vec<KblsDiagnostic>) -> Vec<Diagnostic> {
    found
        .into_iter()
        .map(|d| diagnostic_at(d, Range::default()))
        .collect()
}

pub fn full_diagnostic_report(items: Vec<Diagnostic>) -> DocumentDiagnosticReportResult {
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

pub fn search_hit(
    snap: &Snapshot,
    root: &RootSnapshot,
    id: NoteId,
    hit: KblsSearchHit,
) -> Option<SearchHit> {
    Some(SearchHit {
        uri: uri(root, &hit.path)?,
        range: range(root.note(id), hit.range, snap.encoding),
        title: hit.title,
        heading_path: hit.heading_path,
        snippet: hit.snippet,
        score: hit.score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;
    use crate::lsp::from_proto;
    use std::sync::Arc;

    /// In a graph that keeps its texts packed, as the server's does: the non-ASCII lines are read
    /// back from the packed text, the ASCII ones converted without it.
    #[test]
    fn ranges_after_emoji_and_crlf_count_the_negotiated_units() {
        let text = format!(
            "a🦀b\r\ncafé\n{}",
            "Plain ASCII prose, packed away.\n".repeat(20)
        );
        let text = text.as_str();
        let graph = Graph::build_stored(
            vec![("a.md".into(), Arc::from(text))],
            Vec::new(),
            &Default::default(),
            crate::text::TextStorage::Packed,
        );
        let note = graph.note(graph.by_path("a.md").expect("a.md"));
        assert!(matches!(
            note.stored_text(),
            crate::text::StoredText::Packed(_)
        ));
        let plain = TextRange::new(text.len() - 10, text.len() - 1);
        assert_eq!(
            range(note, plain, WideEncoding::Utf16),
            Range::new(Position::new(21, 22), Position::new(21, 31))
        );
        // "b" is bytes 5..6, UTF-16 columns 3..4; "é" ends line 1 at byte 13.
        let b = TextRange::new(5, 6);
        let e_at = text.find('é').unwrap();
        let e = TextRange::new(e_at, e_at + 'é'.len_utf8());
        for (encoding, b_cols, e_cols) in [
            (WideEncoding::Utf16, (3, 4), (3, 4)),
            (WideEncoding::Utf8, (5, 6), (3, 5)),
            (WideEncoding::Chars, (2, 3), (3, 4)),
        ] {
            let got = range(note, b, encoding);
            assert_eq!(
                got,
                Range::new(Position::new(0, b_cols.0), Position::new(0, b_cols.1))
            );
            assert_eq!(from_proto::text_range(note, got, encoding), b);
            let got = range(note, e, encoding);
            assert_eq!(
                got,
                Range::new(Position::new(1, e_cols.0), Position::new(1, e_cols.1))
            );
            assert_eq!(from_proto::text_range(note, got, encoding), e);
        }
    }
}
