//! Test fixtures: several notes in one string, each starting with a `//- /path` line, and an
//! optional `$0` cursor marker (rust-analyzer's format).

use crate::graph::{Graph, NoteId};
use crate::syntax::ParseOptions;
use std::sync::Arc;

pub const CURSOR: &str = "$0";

pub struct Fixture {
    pub graph: Graph,
    /// The note and byte offset of the `$0` marker, when there is one.
    pub cursor: Option<(NoteId, usize)>,
}

pub fn parse(fixture: &str) -> Fixture {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.trim_start_matches('\n').split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- /") {
            files.push((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = files.last_mut() {
            text.push_str(line);
        } else {
            panic!("fixture must start with `//- /path`, got {line:?}");
        }
    }
    let mut cursor_at = None;
    let mut notes = Vec::new();
    let mut assets = Vec::new();
    for (path, text) in files {
        let text = match text.find(CURSOR) {
            Some(offset) => {
                cursor_at = Some((path.clone(), offset));
                text.replacen(CURSOR, "", 1)
            }
            None => text,
        };
        if path.ends_with(".md") {
            notes.push((path, Arc::from(text.as_str())));
        } else {
            assets.push(path);
        }
    }
    let graph = Graph::build(notes, assets, &ParseOptions::default());
    let cursor =
        cursor_at.map(|(path, offset)| (graph.by_path(&path).expect("cursor note"), offset));
    Fixture { graph, cursor }
}
