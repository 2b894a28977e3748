//! Conversions between LSP positions, ranges and URIs and kbls's byte offsets and paths.
//! The only place that knows about UTF-16.

use crate::graph::Note;
use crate::text::{LineCol, TextRange, WideEncoding};
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types::{Position, Range, Uri};

pub fn offset(note: &Note, position: Position, encoding: WideEncoding) -> usize {
    note.line_index.offset(
        &note.text,
        LineCol {
            line: position.line,
            col: position.character,
        },
        encoding,
    )
}

pub fn position(note: &Note, offset: usize, encoding: WideEncoding) -> Position {
    let lc = note.line_index.line_col(&note.text, offset, encoding);
    Position::new(lc.line, lc.col)
}

pub fn range(note: &Note, range: TextRange, encoding: WideEncoding) -> Range {
    Range::new(
        position(note, range.start as usize, encoding),
        position(note, range.end as usize, encoding),
    )
}

pub fn text_range(note: &Note, range: Range, encoding: WideEncoding) -> TextRange {
    let start = offset(note, range.start, encoding);
    let end = offset(note, range.end, encoding).max(start);
    TextRange::new(start, end)
}

/// The path of a `file:` URI, percent-decoded and with `.` and `..` segments resolved, so that
/// every URI naming a note leads to the same path.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let path = uri.to_file_path()?;
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    Some(normal)
}

pub fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// Applies one LSP content change to a rope; `None` range replaces everything. Positions past
/// the end of a line or the text are clamped, as the protocol asks.
pub fn apply_change(
    rope: &mut ropey::Rope,
    range: Option<Range>,
    text: &str,
    encoding: WideEncoding,
) {
    let Some(range) = range else {
        *rope = ropey::Rope::from_str(text);
        return;
    };
    let start = rope_char(rope, range.start, encoding);
    let end = rope_char(rope, range.end, encoding).max(start);
    rope.remove(start..end);
    rope.insert(start, text);
}

/// The char index of an LSP position in a rope whose lines end at `\n`, `\r\n` or `\r`.
fn rope_char(rope: &ropey::Rope, position: Position, encoding: WideEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let mut units = 0u32;
    for (i, ch) in rope.line(line).chars().enumerate() {
        if ch == '\n' || ch == '\r' {
            return line_start + i;
        }
        let width = match encoding {
            WideEncoding::Utf8 => ch.len_utf8() as u32,
            WideEncoding::Utf16 => ch.len_utf16() as u32,
            WideEncoding::Chars => 1,
        };
        if units + width > position.character {
            return line_start + i;
        }
        units += width;
    }
    rope.line_to_char(line) + rope.line(line).len_chars()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_normalised() {
        let uri: Uri = "file:///kb/a/../b/./dot%20note.md".parse().expect("uri");
        assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/kb/b/dot note.md")));
        let uri: Uri = "file:///kb/never-saved.md".parse().expect("uri");
        let path = uri_to_path(&uri).expect("path");
        assert_eq!(
            path_to_uri(&path).map(|u| u.to_string()),
            Some("file:///kb/never-saved.md".into())
        );
    }

    #[test]
    fn edits_after_emoji_land_in_utf16_units() {
        let mut rope = ropey::Rope::from_str("a🦀b\r\ncafé\n");
        // Replace "b" (UTF-16 column 3) with "B".
        apply_change(
            &mut rope,
            Some(Range::new(Position::new(0, 3), Position::new(0, 4))),
            "B",
            WideEncoding::Utf16,
        );
        assert_eq!(rope.to_string(), "a🦀B\r\ncafé\n");
        // UTF-8 columns: "é" ends at byte 5 of line 1.
        apply_change(
            &mut rope,
            Some(Range::new(Position::new(1, 5), Position::new(1, 5))),
            "!",
            WideEncoding::Utf8,
        );
        assert_eq!(rope.to_string(), "a🦀B\r\ncafé!\n");
        // Past the end of a line clamps before its "\r\n"; past the end of the text appends.
        apply_change(
            &mut rope,
            Some(Range::new(Position::new(0, 99), Position::new(0, 99))),
            "?",
            WideEncoding::Utf16,
        );
        apply_change(
            &mut rope,
            Some(Range::new(Position::new(9, 0), Position::new(9, 0))),
            "end",
            WideEncoding::Utf16,
        );
        assert_eq!(rope.to_string(), "a🦀B?\r\ncafé!\nend");
    }
}
