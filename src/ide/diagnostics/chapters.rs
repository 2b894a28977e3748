//! `unlisted-chapter`: an mdBook chapter that SUMMARY.md does not list is not rendered.

use super::{Code, Finding};
use crate::dialect::Dialect;
use crate::graph::{Graph, Note};
use crate::text::TextRange;

pub(super) fn check(graph: &Graph, note: &Note, findings: &mut Vec<Finding>) {
    if graph.site().dialect != Dialect::Mdbook {
        return;
    }
    let Some((summary, listed)) = graph.book_chapters() else {
        return;
    };
    let id = graph.by_path(&note.path);
    if id == Some(summary) || id.is_some_and(|id| listed.contains(&id)) {
        return;
    }
    // Reported once, on the title when there is one.
    let range = note
        .syntax
        .headings
        .first()
        .map_or(TextRange::empty(0), |h| h.text_range);
    findings.push(Finding::new(
        Code::UnlistedChapter,
        range,
        format!(
            "`{}` does not list this chapter; mdBook won't render it",
            graph.note(summary).path
        ),
    ));
}
