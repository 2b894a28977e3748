//! Plain-text positions: byte ranges and the line index that turns them into lines and columns;
//! and [`suggest`], the did-you-mean ranking of names.
//!
//! Knows nothing about Markdown, LSP or the file system. Everything above this module works in
//! byte offsets; only the edges (`cli` rendering, `lsp` conversion) ask for lines and columns.

mod line_index;
pub mod name_index;
mod range_list;
mod stored;
pub mod suggest;

pub use line_index::{ceil_char_boundary, floor_char_boundary, LineCol, LineIndex, WideEncoding};
pub use range_list::RangeList;
pub use stored::{StoredText, TextStorage};

/// A half-open byte range `start..end` into one note's text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        TextRange {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn empty(offset: usize) -> TextRange {
        TextRange::new(offset, offset)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` lies inside the range, counting its end (a cursor right after a link is on it).
    pub fn touches(self, offset: usize) -> bool {
        self.start as usize <= offset && offset <= self.end as usize
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The range moved right by `delta` bytes.
    pub fn shifted(self, delta: usize) -> TextRange {
        TextRange::new(self.start as usize + delta, self.end as usize + delta)
    }
}

impl std::fmt::Display for TextRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
