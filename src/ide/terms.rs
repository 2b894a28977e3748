//! Terms in the editor: hover, definition and references on DCGM names, kubectl commands and
//! flags, and the terms the notes define. The analysis lives in `crate::terms`; this module
//! finds what is under the cursor in a note of the graph and puts the corpus around it.

use super::navigation::{HoverResult, NavTarget, NoteRange};
use crate::graph::{Graph, NoteId};
use crate::terms::{self, mention_key, DefLocation, TermAt};
use crate::text::TextRange;

/// The term under the cursor, if any.
pub fn term_at(graph: &Graph, id: NoteId, offset: usize) -> Option<TermAt> {
    let note = graph.note(id);
    terms::term_at(
        &note.text,
        &note.syntax,
        offset,
        graph.packs(),
        graph.terms(),
    )
}

/// The notes' own definitions first, then the pack entry, then how many notes mention it.
pub fn hover(graph: &Graph, id: NoteId, offset: usize) -> Option<HoverResult> {
    let at = term_at(graph, id, offset)?;
    let sites = graph.terms().definitions(at.name());
    let from_dir = graph.note(id).dir().to_string();
    // Paths in the hover are links relative to the hovered note, with the line as a fragment.
    let located: Vec<(String, u32)> = sites
        .iter()
        .map(|site| {
            let line = graph
                .by_path(site.path)
                .map(|note| {
                    graph
                        .note(note)
                        .line_index
                        .line_of(site.def.term_range.start as usize)
                        + 1
                })
                .unwrap_or(1);
            (crate::graph::relative_path(&from_dir, site.path), line)
        })
        .collect();
    let defs: Vec<DefLocation<'_>> = sites
        .iter()
        .zip(&located)
        .map(|(site, (path, line))| DefLocation {
            path,
            line: *line,
            def: site.def,
        })
        .collect();
    let mentioned_in = graph
        .mentions()
        .note_count(&mention_key(&at, graph.packs()));
    // The hover suggests only DCGM names, so the note's kubectl lines are not read.
    let text = &graph.note(id).text;
    let names = terms::NoteNames::new(text, &terms::dcgm_mentions(text), &[], graph.packs());
    let markdown = terms::hover_markdown(&at, graph.packs(), &defs, Some(mentioned_in), &names);
    Some(HoverResult {
        range: at.range,
        markdown,
    })
}

/// Where the notes define the term under the cursor.
pub fn definitions(
    graph: &Graph,
    id: NoteId,
    offset: usize,
) -> Option<(TextRange, Vec<NavTarget>)> {
    let at = term_at(graph, id, offset)?;
    let targets: Vec<NavTarget> = graph
        .terms()
        .definitions(at.name())
        .iter()
        .filter_map(|site| {
            let note = graph.by_path(site.path)?;
            Some(NavTarget::Note {
                note,
                range: site.def.range,
                focus: site.def.term_range,
            })
        })
        .collect();
    (!targets.is_empty()).then_some((at.range, targets))
}

/// Every mention of the term under the cursor across the corpus.
pub fn references(graph: &Graph, id: NoteId, offset: usize) -> Option<Vec<NoteRange>> {
    let at = term_at(graph, id, offset)?;
    let mentions = graph.mentions();
    Some(
        mentions
            .mentions(&mention_key(&at, graph.packs()))
            .iter()
            .map(|(note, range)| NoteRange {
                note: NoteId(*note),
                range: *range,
            })
            .collect(),
    )
}
