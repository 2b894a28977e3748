//! Tests over the fixture corpus: every definition pattern is found in real notes.

use super::*;
use crate::syntax::{parse, NoteSyntax, ParseOptions};
use crate::terms::extract::DefKind;
use std::path::{Path, PathBuf};

/// The notes of `fixtures/kb` (or of `KBLS_TERMS_FIXTURES`), sorted by path, as (path, text).
fn fixture_notes() -> Vec<(String, String)> {
    let root = std::env::var_os("KBLS_TERMS_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kb"));
    crate::test_fixture::read_corpus(&root)
}

fn parsed(notes: &[(String, String)]) -> Vec<(String, &str, NoteSyntax)> {
    notes
        .iter()
        .map(|(path, text)| {
            (
                path.clone(),
                text.as_str(),
                parse(text, &ParseOptions::default()),
            )
        })
        .collect()
}

/// The definition patterns of the issue, told apart by how the term is written.
fn pattern_of(text: &str, def: &TermDef) -> &'static str {
    let before = &text[..def.term_range.start as usize];
    match def.kind {
        DefKind::TableRow => "table row",
        DefKind::Heading => "heading",
        DefKind::FrontMatterAlias => "front matter aliases",
        DefKind::FrontMatterTerm => "front matter terms",
        DefKind::ListItem if !def.aliases.is_empty() && !before.ends_with(['*', '_', '`']) => {
            "list `- Term (Alias): text`"
        }
        DefKind::ListItem
            if before.ends_with("**") || before.ends_with("__") || before.ends_with("**`") =>
        {
            "list `- **Term**: text`"
        }
        DefKind::ListItem if before.ends_with('`') => "list `- `term`: text`",
        DefKind::ListItem => "list `- Term: text`",
    }
}

#[test]
fn every_definition_pattern_is_found_in_the_fixtures() {
    let notes = fixture_notes();
    assert!(!notes.is_empty(), "no fixture notes found");
    let mut found: std::collections::BTreeMap<&'static str, (usize, String)> =
        std::collections::BTreeMap::new();
    for (path, text, syntax) in parsed(&notes) {
        for def in extract(text, &syntax) {
            let entry = found
                .entry(pattern_of(text, &def))
                .or_insert((0, format!("{path}: {}", def.term(text))));
            entry.0 += 1;
        }
    }
    let expected = [
        "front matter aliases",
        "front matter terms",
        "heading",
        "list `- **Term**: text`",
        "list `- Term (Alias): text`",
        "list `- Term: text`",
        "list `- `term`: text`",
        "table row",
    ];
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|p| !found.contains_key(p))
        .collect();
    assert!(
        missing.is_empty(),
        "patterns not found in the fixtures: {missing:?}; found: {found:#?}"
    );
}
