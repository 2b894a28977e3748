//! Protocol to kbls: URIs to paths and notes, LSP positions and ranges (in the negotiated
//! encoding) to byte offsets, content changes applied to an editor's rope. With `to_proto`, the
//! only code that knows UTF-16.

use super::state::{RootSnapshot, Snapshot};
use crate::graph::{Note, NoteId};
use crate::ide::FilePosition;
use crate::load;
use crate::text::{LineCol, TextRange, WideEncoding};
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types::{
    ClientCapabilities, Position, PositionEncodingKind, Range, RenameFilesParams,
    TextDocumentPositionParams, Uri,
};

fn offset(note: &Note, position: Position, encoding: WideEncoding) -> usize {
    note.line_index().offset(
        &note.text(),
        LineCol {
            line: position.line,
            col: position.character,
        },
        encoding,
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

/// The root and note of a document; `None` for documents outside every root or not indexed.
pub fn document<'a>(snap: &'a Snapshot, uri: &Uri) -> Option<(&'a RootSnapshot, NoteId)> {
    snap.note_of(&uri_to_path(uri)?)
}

/// The root, note and byte offset of a document position.
pub fn file_position<'a>(
    snap: &'a Snapshot,
    params: &TextDocumentPositionParams,
) -> Option<(&'a RootSnapshot, FilePosition)> {
    let (root, note) = document(snap, &params.text_document.uri)?;
    let offset = offset(root.note(note), params.position, snap.encoding);
    Some((root, FilePosition { note, offset }))
}

/// The deepest root holding `path`.
fn root_of<'a>(snap: &'a Snapshot, path: &Path) -> Option<&'a RootSnapshot> {
    snap.roots
        .iter()
        .filter(|r| path.starts_with(&r.dir))
        .max_by_key(|r| r.dir.as_os_str().len())
}

/// Expands a file or folder move into the moves of the notes it covers.
pub fn expand_moves(snap: &Snapshot, old: &Path, new: &Path) -> Vec<(PathBuf, PathBuf)> {
    let Some(root) = root_of(snap, old) else {
        return Vec::new();
    };
    let Some(old_rel) = load::relative(&root.dir, old) else {
        return Vec::new();
    };
    root.analysis()
        .notes_under(&old_rel)
        .into_iter()
        .map(|path| {
            let moved = match path.strip_prefix(&format!("{old_rel}/")) {
                Some(rest) => new.join(rest),
                None => new.to_path_buf(),
            };
            (root.path_of(&path), moved)
        })
        .collect()
}

/// The note moves of `workspace/willRenameFiles`, grouped by root, as corpus-relative paths.
pub fn note_moves<'a>(
    snap: &'a Snapshot,
    params: &RenameFilesParams,
) -> Vec<(&'a RootSnapshot, Vec<(String, String)>)> {
    let mut per_root: Vec<(&RootSnapshot, Vec<(String, String)>)> = Vec::new();
    let path = |uri: &str| uri.parse::<Uri>().ok().as_ref().and_then(uri_to_path);
    for file in &params.files {
        let (Some(old), Some(new)) = (path(&file.old_uri), path(&file.new_uri)) else {
            continue;
        };
        for (old_path, new_path) in expand_moves(snap, &old, &new) {
            let Some(root) = root_of(snap, &old_path) else {
                continue;
            };
            let (Some(old_rel), Some(new_rel)) = (
                load::relative(&root.dir, &old_path),
                load::relative(&root.dir, &new_path),
            ) else {
                continue;
            };
            match per_root.iter_mut().find(|(r, _)| r.dir == root.dir) {
                Some((_, moves)) => moves.push((old_rel, new_rel)),
                None => per_root.push((root, vec![(old_rel, new_rel)])),
            }
        }
    }
    per_root
}

/// The position encoding to use: UTF-8 when the client offers it (no conversion), else the
/// protocol's default, UTF-16.
pub fn position_encoding(capabilities: &ClientCapabilities) -> WideEncoding {
    let offers_utf8 = capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8));
    if offers_utf8 {
        WideEncoding::Utf8
    } else {
        WideEncoding::Utf16
    }
}

/// `kbls/search` parameters.
#[derive(serde::Deserialize)]
pub struct SearchParams {
    pub query: String,
    pub limit: Option<usize>,
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
            super::super::to_proto::path_to_uri(&path).map(|u| u.to_string()),
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
