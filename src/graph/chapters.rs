//! The chapters of an mdBook: the notes its SUMMARY.md links to.

use super::{Graph, NoteId, Resolved};
use crate::dialect::Dialect;
use std::collections::HashSet;

impl Graph {
    /// The book's `SUMMARY.md` and the notes it lists, worked out once per revision; `None`
    /// outside an mdBook or when it has no SUMMARY.md.
    pub fn book_chapters(&self) -> Option<(NoteId, &HashSet<NoteId>)> {
        if self.site.dialect != Dialect::Mdbook {
            return None;
        }
        let src = self.site.content_dirs.first().map_or("", String::as_str);
        let path = if src.is_empty() {
            "SUMMARY.md".to_string()
        } else {
            format!("{src}/SUMMARY.md")
        };
        let summary = self.by_path(&path)?;
        let listed = self.chapters.get_or_init(|| {
            let note = self.note(summary);
            note.syntax
                .links
                .iter()
                .filter_map(|link| match self.resolve(note, &link.target) {
                    Resolved::Note { note, .. } => Some(note),
                    _ => None,
                })
                .collect()
        });
        Some((summary, listed))
    }
}
