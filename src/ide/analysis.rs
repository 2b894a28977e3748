//! [`Analysis`], the API of the features: an immutable view of one corpus (its graph with the
//! term packs and indexes, the rules' configuration with today's date and the git history, and
//! the full-text index once built) with one method per feature, taking a note and a byte offset
//! and answering in plain structs, as rust-analyzer's `Analysis` does.
//!
//! The language server makes one per request from its snapshot and converts the answers to the
//! protocol; tests make one from a fixture. Nothing here knows LSP, lines in UTF-16 or URIs.

use super::actions::{self, Action};
use super::completion::{self, Completion};
use super::diagnostics::{self, Diagnostic, DiagnosticsConfig};
use super::navigation;
use super::outline::{self, CodeLens, Fold, LinkDestination, Symbol, WorkspaceSymbol};
use super::rename::{self, TextEdit};
use super::results::{HoverResult, NavTarget, NoteRange};
use crate::graph::{Graph, Note, NoteId};
use crate::search::{SearchHit, SearchSnapshot};
use crate::text::TextRange;

/// A byte offset in a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilePosition {
    pub note: NoteId,
    pub offset: usize,
}

/// One corpus as the features see it. Cheap to make: it only borrows.
#[derive(Clone, Copy)]
pub struct Analysis<'a> {
    graph: &'a Graph,
    cfg: &'a DiagnosticsConfig,
    /// `None` until the full-text index is built.
    search: Option<&'a SearchSnapshot>,
}

impl<'a> Analysis<'a> {
    pub fn new(
        graph: &'a Graph,
        cfg: &'a DiagnosticsConfig,
        search: Option<&'a SearchSnapshot>,
    ) -> Analysis<'a> {
        Analysis { graph, cfg, search }
    }

    fn note(&self, id: NoteId) -> &'a Note {
        self.graph.note(id)
    }

    /// Every finding of the note, severities and suppressions applied.
    pub fn diagnostics(&self, id: NoteId) -> Vec<Diagnostic> {
        diagnostics::note_diagnostics(self.graph, id, self.cfg)
    }

    /// The findings of a corpus file that is no readable note.
    pub fn file_diagnostics(&self, path: &str) -> Vec<Diagnostic> {
        diagnostics::file_diagnostics(self.graph, path, self.cfg)
    }

    pub fn hover(&self, pos: FilePosition) -> Option<HoverResult> {
        navigation::hover(self.graph, pos.note, pos.offset, self.cfg)
    }

    /// The range the targets are for (the link, the term) and the targets.
    pub fn goto_definition(&self, pos: FilePosition) -> Option<(TextRange, Vec<NavTarget>)> {
        navigation::goto_definition(self.graph, pos.note, pos.offset)
    }

    /// Sorted by path and range, without duplicates.
    pub fn references(&self, pos: FilePosition, include_declaration: bool) -> Vec<NoteRange> {
        navigation::references(self.graph, pos.note, pos.offset, include_declaration)
    }

    pub fn completion(&self, pos: FilePosition) -> Option<Completion> {
        completion::complete(
            self.graph,
            pos.note,
            pos.offset,
            self.cfg.today,
            &self.cfg.config.date_label,
        )
    }

    /// The range to rename and its text, or why nothing here can be renamed.
    pub fn prepare_rename(&self, pos: FilePosition) -> Result<(TextRange, String), String> {
        rename::prepare_rename(self.graph, pos.note, pos.offset)
    }

    pub fn rename(&self, pos: FilePosition, new_name: &str) -> Result<Vec<TextEdit>, String> {
        rename::rename(self.graph, pos.note, pos.offset, new_name)
    }

    /// The edits that keep links working when notes move (old path, new path; corpus-relative).
    pub fn rename_files(&self, moves: &[(String, String)]) -> Vec<TextEdit> {
        rename::rename_files(self.graph, moves)
    }

    /// The corpus paths of the notes at or below `path` (a note, or a folder).
    pub fn notes_under(&self, path: &str) -> Vec<String> {
        self.graph.paths_under(path)
    }

    pub fn document_symbols(&self, id: NoteId) -> Vec<Symbol> {
        outline::document_symbols(self.note(id))
    }

    /// Titles, headings and terms matching `query`, best first: ranked by the full-text index
    /// (fuzzy, typo tolerant, terms included) once it is built, until then a subsequence match
    /// over titles and headings.
    pub fn workspace_symbols(&self, query: &str, limit: usize) -> Vec<WorkspaceSymbol> {
        let Some(index) = self.search else {
            return outline::workspace_symbols(self.graph, query, limit);
        };
        index
            .symbols(query, limit)
            .into_iter()
            .filter_map(|hit| {
                Some(WorkspaceSymbol {
                    note: self.graph.by_path(&hit.path)?,
                    name: hit.name,
                    container: (!hit.container.is_empty()).then_some(hit.container),
                    kind: hit.kind,
                    range: hit.range,
                })
            })
            .collect()
    }

    /// Full-text search, best first, with the note of each hit; `None` until the index is built.
    pub fn search(&self, query: &str, limit: usize) -> Option<Vec<(NoteId, SearchHit)>> {
        let index = self.search?;
        Some(
            index
                .search(query, limit)
                .into_iter()
                .filter_map(|hit| Some((self.graph.by_path(&hit.path)?, hit)))
                .collect(),
        )
    }

    pub fn folding_ranges(&self, id: NoteId) -> Vec<Fold> {
        outline::folding_ranges(self.note(id))
    }

    pub fn document_links(&self, id: NoteId) -> Vec<(TextRange, LinkDestination)> {
        outline::document_links(self.graph, self.note(id))
    }

    pub fn code_lenses(&self, id: NoteId) -> Vec<CodeLens> {
        outline::code_lenses(self.graph, id)
    }

    /// The fixes and suppressions for the findings that overlap `range`, each saying which
    /// finding it fixes, and "set date to today" on the date line.
    pub fn code_actions(&self, id: NoteId, range: TextRange) -> Vec<Action> {
        let found = self.diagnostics(id);
        actions::code_actions(self.graph, id, range, &found, self.cfg.today)
    }
}
