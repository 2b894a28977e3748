//! Test fixtures: several notes in one string (rust-analyzer's format, with texlab's marker lines).
//!
//! ```text
//! //- /notes/alpha.md
//! # Alpha
//! See [Beta](beta.md#intro) and [[gam$0ma]].
//!                               ^^^^^^^^^ broken
//! //- /notes/beta.md
//! ## Intro
//! ```
//!
//! `//- /path` starts a file (files not ending in `.md` are assets of the corpus); `$0` marks the
//! cursor (`\$0` writes a literal `$0`). A line of only spaces and runs of `^`, optionally followed
//! by a space and a label, marks ranges on the nearest line above that is not a marker line; its
//! columns count characters of that line as it reads without the `$0`. Marker lines are removed
//! before the notes are parsed: left in, they could change the structure (a line of `^` under a
//! paragraph is text of it).
//!
//! Also [`read_corpus`], the notes of a folder of `fixtures/`.

use crate::config::Config;
use crate::dialect::{Dialect, Site};
use crate::graph::{Graph, NoteId};
use crate::ide::diagnostics::DiagnosticsConfig;
use crate::ide::{Analysis, FilePosition};
use crate::syntax::ParseOptions;
use crate::text::TextRange;
use std::path::Path;
use std::sync::Arc;

pub const CURSOR: &str = "$0";

pub struct Fixture {
    pub graph: Graph,
    /// The note and byte offset of the `$0` marker, when there is one.
    pub cursor: Option<(NoteId, usize)>,
    /// The `^^^` ranges, in fixture order, with their labels (empty when none is given).
    pub marks: Vec<Mark>,
    /// The default configuration, today being [`TODAY`].
    pub cfg: DiagnosticsConfig,
}

/// "Today" in every fixture.
pub const TODAY: &str = "2026-11-28";

impl Fixture {
    /// The features over the fixture's notes (no full-text index).
    pub fn analysis(&self) -> Analysis<'_> {
        Analysis::new(&self.graph, &self.cfg, None)
    }

    /// The `$0` cursor.
    pub fn position(&self) -> FilePosition {
        let (note, offset) = self.cursor.expect("a `$0` cursor");
        FilePosition { note, offset }
    }

    /// `path start..end "text"`: a range of a note as feature tests print it.
    pub fn show(&self, note: NoteId, range: TextRange) -> String {
        let note = self.graph.note(note);
        format!(
            "{} {}..{} {:?}",
            note.path,
            range.start,
            range.end,
            &note.text()[range.as_usize()]
        )
    }

    /// The hover at the cursor as feature tests print it: the range it is for, then its
    /// Markdown; `none` when there is none.
    pub fn shown_hover(&self) -> String {
        let pos = self.position();
        match self.analysis().hover(pos) {
            None => "none".to_string(),
            Some(hover) => format!("{}\n{}", self.show(pos.note, hover.range), hover.markdown),
        }
    }

    /// Asserts that the references at the cursor are exactly the `^^^` marks, in any order.
    #[track_caller]
    pub fn assert_references_are_marks(&self, include_declaration: bool) {
        let refs = self
            .analysis()
            .references(self.position(), include_declaration);
        let mut found: Vec<String> = refs.iter().map(|r| self.show(r.note, r.range)).collect();
        let mut marked = self.shown_marks();
        found.sort();
        marked.sort();
        assert_eq!(found, marked);
    }

    /// The marks as [`Fixture::show`] prints them, in fixture order.
    pub fn shown_marks(&self) -> Vec<String> {
        self.marks
            .iter()
            .map(|m| self.show(m.note, m.range))
            .collect()
    }
}

/// A range a `^^^` line marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub note: NoteId,
    pub range: TextRange,
    pub label: String,
}

/// One file of the fixture, its markers taken out.
struct File {
    path: String,
    text: String,
    cursor: Option<usize>,
    marks: Vec<(TextRange, String)>,
}

/// The fixture's notes parsed and resolved in GitHub's dialect.
pub fn parse(fixture: &str) -> Fixture {
    parse_with(&ParseOptions::default(), fixture)
}

/// The site fixtures in `dialect` are read in: a Hugo site's pages under `content/` and its
/// static files under `static/`, an mdBook's chapters under `src/`.
pub fn site(dialect: Dialect) -> Site {
    let (content_dirs, static_dirs) = match dialect {
        Dialect::Hugo => (vec!["content".to_string()], vec!["static".to_string()]),
        Dialect::Mdbook => (vec!["src".to_string()], Vec::new()),
        Dialect::Github | Dialect::Obsidian => (Vec::new(), Vec::new()),
    };
    Site {
        content_dirs,
        static_dirs,
        ..Site::new(dialect)
    }
}

/// The fixture's notes read in `dialect` (see [`site`]).
pub fn parse_in(dialect: Dialect, fixture: &str) -> Fixture {
    parse_with(
        &ParseOptions {
            site: site(dialect),
            ..ParseOptions::default()
        },
        fixture,
    )
}

/// The fixture's notes parsed with `options` and resolved in their site's dialect.
pub fn parse_with(options: &ParseOptions, fixture: &str) -> Fixture {
    let mut sources: Vec<(String, String)> = Vec::new();
    for line in fixture.trim_start_matches('\n').split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- /") {
            sources.push((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = sources.last_mut() {
            text.push_str(line);
        } else {
            panic!("fixture must start with `//- /path`, got {line:?}");
        }
    }
    let files: Vec<File> = sources
        .into_iter()
        .map(|(path, source)| extract_markers(path, &source))
        .collect();
    assert!(
        files.iter().filter(|f| f.cursor.is_some()).count() <= 1,
        "a fixture has at most one `$0`"
    );
    let mut notes = Vec::new();
    let mut assets = Vec::new();
    for file in &files {
        if file.path.ends_with(".md") {
            notes.push((file.path.clone(), Arc::from(file.text.as_str())));
        } else {
            assets.push(file.path.clone());
        }
    }
    let graph = Graph::build(notes, assets, options);
    let note_of = |path: &str| {
        graph
            .by_path(path)
            .unwrap_or_else(|| panic!("markers in {path}, which is not a note"))
    };
    let cursor = files
        .iter()
        .find_map(|f| f.cursor.map(|offset| (note_of(&f.path), offset)));
    let marks = files
        .iter()
        .flat_map(|f| {
            f.marks.iter().map(|(range, label)| Mark {
                note: note_of(&f.path),
                range: *range,
                label: label.clone(),
            })
        })
        .collect();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("a date");
    Fixture {
        graph,
        cursor,
        marks,
        cfg: DiagnosticsConfig::new(Config::default(), today),
    }
}

/// Takes the `$0` and the marker lines out of one file's text.
fn extract_markers(path: String, source: &str) -> File {
    let mut text = String::new();
    let mut cursor = None;
    let mut marks = Vec::new();
    // Byte offset and text of the last line that was not a marker line.
    let mut last_line: Option<(usize, String)> = None;
    for line in source.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some((runs, label)) = marker(body) {
            let (line_start, line_text) = last_line
                .as_ref()
                .unwrap_or_else(|| panic!("a marker line before any text in {path}"));
            let byte_at = |col: usize| {
                line_start
                    + line_text
                        .char_indices()
                        .nth(col)
                        .map_or(line_text.len(), |(idx, _)| idx)
            };
            for carets in runs {
                marks.push((
                    TextRange::new(byte_at(carets.start), byte_at(carets.end)),
                    label.to_string(),
                ));
            }
            continue;
        }
        let line_start = text.len();
        let mut rest = line;
        while let Some(at) = rest.find(CURSOR) {
            if rest[..at].ends_with('\\') {
                text.push_str(&rest[..at - 1]);
                text.push_str(CURSOR);
            } else {
                assert!(cursor.is_none(), "two `$0` in {path}");
                text.push_str(&rest[..at]);
                cursor = Some(text.len());
            }
            rest = &rest[at + CURSOR.len()..];
        }
        text.push_str(rest);
        let written = text[line_start..]
            .trim_end_matches(['\n', '\r'])
            .to_string();
        last_line = Some((line_start, written));
    }
    File {
        path,
        text,
        cursor,
        marks,
    }
}

/// The columns of the `^` runs and the label of a marker line: spaces and runs of `^`, then
/// nothing or a space and a label, which is that of every run.
fn marker(line: &str) -> Option<(Vec<std::ops::Range<usize>>, &str)> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (col, (idx, ch)) in line.char_indices().enumerate() {
        match ch {
            '^' => match runs.last_mut() {
                Some(run) if run.end == col => run.end += 1,
                _ => runs.push(col..col + 1),
            },
            ' ' => {}
            _ if !runs.is_empty() && line[..idx].ends_with(' ') => {
                return Some((runs, &line[idx..]))
            }
            _ => return None,
        }
    }
    (!runs.is_empty()).then_some((runs, ""))
}

/// The notes of a folder (below `fixtures/`), sorted by path, as (path relative to it, text).
pub fn read_corpus(root: &Path) -> Vec<(String, String)> {
    let mut res = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    let rel = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    res.push((rel, text));
                }
            }
        }
    }
    res.sort();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_taken_out_before_parsing() {
        let fixture = parse(
            "//- /a.md\n# A🦀\n  ^^ title\nSee [b](b.md) and \\$0 lit$0eral.\n    ^^^^^^^^^     ^^\n//- /b.md\n# B\n//- /img.png\n",
        );
        let graph = &fixture.graph;
        let a = graph.by_path("a.md").expect("a.md");
        let note = graph.note(a);
        let text = note.text();
        assert_eq!(text, "# A🦀\nSee [b](b.md) and $0 literal.\n");
        assert_eq!(fixture.cursor, Some((a, text.find("literal").unwrap() + 3)));
        let marked: Vec<(&str, &str)> = fixture
            .marks
            .iter()
            .map(|m| (&text[m.range.as_usize()], m.label.as_str()))
            .collect();
        assert_eq!(marked, [("A🦀", "title"), ("[b](b.md)", ""), ("$0", "")]);
        assert_eq!(graph.files().collect::<Vec<_>>(), ["img.png"]);
    }
}
