//! The plain results of the navigation features, which the server converts to the protocol's
//! types: places to jump to, ranges in notes, hover text.

use crate::graph::NoteId;
use crate::text::TextRange;

/// A place to jump to: a range in a note, or a non-note file of the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NavTarget {
    Note {
        note: NoteId,
        range: TextRange,
        focus: TextRange,
    },
    File {
        path: String,
    },
}

/// A range in one note of the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NoteRange {
    pub note: NoteId,
    pub range: TextRange,
}

/// Hover text (Markdown) for the item at `range`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    pub range: TextRange,
    pub markdown: String,
}
