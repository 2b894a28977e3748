//! Request handlers, each three steps: `from_proto` (URI and position to note and byte offset),
//! the feature on the root's [`Analysis`](crate::ide::Analysis), `to_proto`. No analysis here.

use super::from_proto::{self, SearchParams};
use super::state::Snapshot;
use super::to_proto::{self, SearchHit};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// Workspace symbols listed per root.
const SYMBOL_LIMIT: usize = 200;

pub fn hover(snap: &Snapshot, params: HoverParams) -> Option<Hover> {
    let (root, pos) = from_proto::file_position(snap, &params.text_document_position_params)?;
    let res = root.analysis().hover(pos)?;
    Some(to_proto::hover(snap, root, pos.note, res))
}

pub fn goto_definition(
    snap: &Snapshot,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let (root, pos) = from_proto::file_position(snap, &params.text_document_position_params)?;
    let res = root.analysis().goto_definition(pos)?;
    to_proto::goto_definition_response(snap, root, pos.note, res)
}

pub fn references(snap: &Snapshot, params: ReferenceParams) -> Option<Vec<Location>> {
    let (root, pos) = from_proto::file_position(snap, &params.text_document_position)?;
    let refs = root
        .analysis()
        .references(pos, params.context.include_declaration);
    Some(to_proto::locations(snap, root, refs))
}

pub fn completion(snap: &Snapshot, params: CompletionParams) -> Option<CompletionResponse> {
    let (root, pos) = from_proto::file_position(snap, &params.text_document_position)?;
    let res = root.analysis().completion(pos)?;
    Some(to_proto::completion_response(snap, root, pos.note, res))
}

pub fn prepare_rename(
    snap: &Snapshot,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((root, pos)) = from_proto::file_position(snap, &params) else {
        return Ok(None);
    };
    let res = root
        .analysis()
        .prepare_rename(pos)
        .map_err(Error::invalid_params)?;
    Ok(Some(to_proto::prepare_rename_response(
        snap, root, pos.note, res,
    )))
}

pub fn rename(snap: &Snapshot, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let Some((root, pos)) = from_proto::file_position(snap, &params.text_document_position) else {
        return Ok(None);
    };
    let edits = root
        .analysis()
        .rename(pos, &params.new_name)
        .map_err(Error::invalid_params)?;
    Ok(Some(to_proto::workspace_edit(snap, root, edits)))
}

pub fn will_rename_files(snap: &Snapshot, params: RenameFilesParams) -> Option<WorkspaceEdit> {
    let mut changes = std::collections::HashMap::new();
    for (root, moves) in from_proto::note_moves(snap, &params) {
        let edits = root.analysis().rename_files(&moves);
        let edit = to_proto::workspace_edit(snap, root, edits);
        changes.extend(edit.changes.unwrap_or_default());
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

pub fn document_symbol(
    snap: &Snapshot,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let (root, id) = from_proto::document(snap, &params.text_document.uri)?;
    let symbols = root.analysis().document_symbols(id);
    Some(to_proto::document_symbols(snap, root, id, symbols))
}

pub fn workspace_symbol(
    snap: &Snapshot,
    params: WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    let mut res = Vec::new();
    for root in &snap.roots {
        let symbols = root
            .analysis()
            .workspace_symbols(&params.query, SYMBOL_LIMIT);
        res.extend(to_proto::workspace_symbols(snap, root, symbols));
    }
    Some(WorkspaceSymbolResponse::Flat(res))
}

pub fn document_link(snap: &Snapshot, params: DocumentLinkParams) -> Option<Vec<DocumentLink>> {
    let (root, id) = from_proto::document(snap, &params.text_document.uri)?;
    let links = root.analysis().document_links(id);
    Some(to_proto::document_links(snap, root, id, links))
}

pub fn folding_range(snap: &Snapshot, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let (root, id) = from_proto::document(snap, &params.text_document.uri)?;
    let folds = root.analysis().folding_ranges(id);
    Some(to_proto::folding_ranges(root, id, folds))
}

pub fn code_action(snap: &Snapshot, params: CodeActionParams) -> Option<CodeActionResponse> {
    let (root, id) = from_proto::document(snap, &params.text_document.uri)?;
    let range = from_proto::text_range(root.note(id), params.range, snap.encoding);
    let actions = root.analysis().code_actions(id, range);
    Some(to_proto::code_actions(snap, root, id, actions))
}

pub fn code_lens(snap: &Snapshot, params: CodeLensParams) -> Option<Vec<CodeLens>> {
    if !snap.code_lens {
        return Some(Vec::new());
    }
    let (root, id) = from_proto::document(snap, &params.text_document.uri)?;
    let lenses = root.analysis().code_lenses(id);
    Some(to_proto::code_lenses(snap, root, id, lenses))
}

pub fn document_diagnostic(
    snap: &Snapshot,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let items = from_proto::document(snap, &params.text_document.uri)
        .map(|(root, id)| to_proto::diagnostics(snap, root, id, root.analysis().diagnostics(id)))
        .unwrap_or_default();
    to_proto::full_diagnostic_report(items)
}

/// The best hits of every root whose full-text index is built.
pub fn search(snap: &Snapshot, params: SearchParams) -> Vec<SearchHit> {
    let limit = params.limit.unwrap_or(20).clamp(1, 1000);
    let mut hits: Vec<SearchHit> = Vec::new();
    for root in &snap.roots {
        let found = root
            .analysis()
            .search(&params.query, limit)
            .unwrap_or_default();
        hits.extend(
            found
                .into_iter()
                .filter_map(|(id, hit)| to_proto::search_hit(snap, root, id, hit)),
        );
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(limit);
    hits
}
