//! The chapters of an mdBook: the notes its SUMMARY.md links to.

use super::{Graph, NoteId, Resolved};
use crate::dialect::Dialect;
use std::collections::HashSet;

impl Graph {
    /// The path of the book's `SUMMARY.md` (which may not exist); `None` outside an mdBook.
    fn summary_path(&self) -> Option<String> {
        if self.site.dialect != Dialect::Mdbook {
            return None;
        }
        let src = self.site.content_dirs.first().map_or("", String::as_str);
        Some(if src.is_empty() {
            "SUMMARY.md".to_string()
        } else {
            format!("{src}/SUMMARY.md")
        })
    }

    /// When `path` is the book's `SUMMARY.md`: whether each note is listed (`None` for every
    /// note while there is no SUMMARY.md), to tell after a change which chapters' findings
    /// changed (see [`Graph::chapters_changed`]).
    pub(super) fn listing(&self, path: &str) -> Option<Option<HashSet<NoteId>>> {
        (self.summary_path().as_deref() == Some(path))
            .then(|| self.book_chapters().map(|(_, listed)| listed.clone()))
    }

    /// The notes whose listing changed from `before` (taken with [`Graph::listing`]) to now.
    pub(super) fn chapters_changed(
        &self,
        path: &str,
        before: Option<Option<HashSet<NoteId>>>,
    ) -> Vec<NoteId> {
        let (Some(before), Some(after)) = (before, self.listing(path)) else {
            return Vec::new();
        };
        // A note is reported unlisted while a SUMMARY.md exists that does not list it.
        let unlisted = |listing: &Option<HashSet<NoteId>>, id: NoteId| {
            listing.as_ref().is_some_and(|listed| !listed.contains(&id))
        };
        self.notes()
            .map(|(id, _)| id)
            .filter(|&id| unlisted(&before, id) != unlisted(&after, id))
            .collect()
    }

    /// The book's `SUMMARY.md` and the notes it lists, worked out once per revision; `None`
    /// outside an mdBook or when it has no SUMMARY.md.
    pub fn book_chapters(&self) -> Option<(NoteId, &HashSet<NoteId>)> {
        let summary = self.by_path(&self.summary_path()?)?;
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
