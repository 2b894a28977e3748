//! Line starts of a text and conversions between byte offsets and (line, column) pairs.
//!
//! Columns come in three flavours: UTF-8 bytes, UTF-16 code units (LSP's default) and Unicode
//! scalar values (what `kbls check` prints). Out-of-range input is clamped, never a panic: an editor
//! may send a position past the end of a line or of the file.

use super::TextRange;

/// A zero-based line and a column in the unit the caller asked for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The column units a position can be counted in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WideEncoding {
    Utf8,
    Utf16,
    /// Unicode scalar values, as editors and humans count "characters".
    Chars,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset at which each line starts; the first is always 0.
    line_starts: Vec<u32>,
    /// The lines holding a non-ASCII character, ascending. On every other line a column is a
    /// byte count in every encoding, so converting is O(1) however long the line.
    non_ascii_lines: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(newline_offsets(text).map(|i| i as u32 + 1));
        line_starts.shrink_to_fit();
        let non_ascii_lines = if text.is_ascii() {
            Vec::new()
        } else {
            let bytes = text.as_bytes();
            (0..line_starts.len())
                .filter(|&line| {
                    let start = line_starts[line] as usize;
                    let end = line_starts
                        .get(line + 1)
                        .map_or(bytes.len(), |&e| e as usize);
                    !bytes[start..end].is_ascii()
                })
                .map(|line| line as u32)
                .collect()
        };
        LineIndex {
            line_starts,
            non_ascii_lines,
            len: text.len() as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The zero-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.len as usize) as u32;
        (self.line_starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    /// Byte range of `line` without its line terminator (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: u32) -> TextRange {
        let line = (line as usize).min(self.line_starts.len() - 1);
        let start = self.line_starts[line] as usize;
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.len as usize, |&next| next as usize - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end.max(start))
    }

    /// Converts a byte offset into a line and a column counted in `encoding` units.
    pub fn line_col(&self, text: &str, offset: usize, encoding: WideEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let line_start = self.line_starts[line as usize] as usize;
        let prefix = &text[line_start..offset];
        let col = if self.is_ascii_line(line) {
            prefix.len() as u32
        } else {
            column_width(prefix, encoding)
        };
        LineCol { line, col }
    }

    /// [`LineIndex::line_col`] without the text, for an offset on a line of ASCII only (where
    /// every encoding counts bytes); `None` elsewhere.
    pub fn ascii_line_col(&self, offset: usize) -> Option<LineCol> {
        if offset > self.len as usize {
            return None;
        }
        let line = self.line_of(offset);
        let col = offset as u32 - self.line_starts[line as usize];
        self.is_ascii_line(line).then_some(LineCol { line, col })
    }

    /// Converts a line and column into a byte offset. A column past the end of its line lands on
    /// the line's end, a line past the end of the text on the text's end, and a column that falls
    /// inside a character (half of a surrogate pair) on that character's start.
    pub fn offset(&self, text: &str, line_col: LineCol, encoding: WideEncoding) -> usize {
        if line_col.line as usize >= self.line_starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line_col.line);
        if self.is_ascii_line(line_col.line) {
            return range.start as usize + (line_col.col as usize).min(range.len());
        }
        let line_text = &text[range.as_usize()];
        let mut units = 0u32;
        for (idx, ch) in line_text.char_indices() {
            let width = char_width(ch, encoding);
            if units + width > line_col.col {
                return range.start as usize + idx;
            }
            units += width;
        }
        range.end as usize
    }
}

impl LineIndex {
    fn is_ascii_line(&self, line: u32) -> bool {
        self.non_ascii_lines.binary_search(&line).is_err()
    }
}

/// Where lines end: at every `\n`, and at a `\r` not followed by one (LSP's three line endings).
fn newline_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&at| bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n'))
}

fn char_width(ch: char, encoding: WideEncoding) -> u32 {
    match encoding {
        WideEncoding::Utf8 => ch.len_utf8() as u32,
        WideEncoding::Utf16 => ch.len_utf16() as u32,
        WideEncoding::Chars => 1,
    }
}

/// Width of `text` in `encoding` units.
pub fn column_width(text: &str, encoding: WideEncoding) -> u32 {
    match encoding {
        WideEncoding::Utf8 => text.len() as u32,
        WideEncoding::Utf16 => text.chars().map(|ch| ch.len_utf16() as u32).sum(),
        WideEncoding::Chars => text.chars().count() as u32,
    }
}

/// The char boundary at or before `offset` (`str::floor_char_boundary`, newer than our MSRV).
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The char boundary at or after `offset`, at most the text's end.
pub fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a🦀b\r\ncafé\nlast";

    #[test]
    fn lone_cr_crlf_and_lf_all_end_lines() {
        let text = "a\rbb\r\nc\n\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 5);
        let lines: Vec<&str> = (0..5)
            .map(|line| &text[index.line_range(text, line).as_usize()])
            .collect();
        assert_eq!(lines, ["a", "bb", "c", "", "d"]);
        let at_d = text.len() - 1;
        assert_eq!(
            index.line_col(text, at_d, WideEncoding::Utf16),
            LineCol { line: 4, col: 0 }
        );
        assert_eq!(
            index.offset(text, LineCol { line: 1, col: 1 }, WideEncoding::Utf16),
            3
        );
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let index = LineIndex::new(TEXT);
        // 'b' is at byte 5: 1 + 4 bytes, 1 + 2 UTF-16 units, 2 chars.
        assert_eq!(
            index.line_col(TEXT, 5, WideEncoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            index.line_col(TEXT, 5, WideEncoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            index.line_col(TEXT, 5, WideEncoding::Chars),
            LineCol { line: 0, col: 2 }
        );
        assert_eq!(
            index.offset(TEXT, LineCol { line: 0, col: 3 }, WideEncoding::Utf16),
            5
        );
    }

    #[test]
    fn round_trips_every_char_boundary() {
        let index = LineIndex::new(TEXT);
        for encoding in [WideEncoding::Utf8, WideEncoding::Utf16, WideEncoding::Chars] {
            for (offset, _) in TEXT.char_indices() {
                if TEXT.as_bytes()[offset] == b'\n' {
                    continue; // "\r\n" ends the line at '\r'; the '\n' has no column of its own.
                }
                let line_col = index.line_col(TEXT, offset, encoding);
                assert_eq!(
                    index.offset(TEXT, line_col, encoding),
                    offset,
                    "{encoding:?} {offset}"
                );
            }
        }
    }

    #[test]
    fn clamps_out_of_range_positions() {
        let index = LineIndex::new(TEXT);
        // Past the end of line 0 lands before its "\r\n".
        assert_eq!(
            index.offset(TEXT, LineCol { line: 0, col: 99 }, WideEncoding::Utf16),
            6
        );
        // Inside the crab's surrogate pair lands on the crab.
        assert_eq!(
            index.offset(TEXT, LineCol { line: 0, col: 2 }, WideEncoding::Utf16),
            1
        );
        assert_eq!(
            index.offset(TEXT, LineCol { line: 42, col: 0 }, WideEncoding::Utf16),
            TEXT.len()
        );
        assert_eq!(
            index.line_col(TEXT, 10_000, WideEncoding::Utf16),
            LineCol { line: 2, col: 4 }
        );
    }

    #[test]
    fn line_ranges_exclude_terminators() {
        let index = LineIndex::new(TEXT);
        assert_eq!(&TEXT[index.line_range(TEXT, 0).as_usize()], "a🦀b");
        assert_eq!(&TEXT[index.line_range(TEXT, 1).as_usize()], "café");
        assert_eq!(&TEXT[index.line_range(TEXT, 2).as_usize()], "last");
    }
}
