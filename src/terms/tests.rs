//! Tests over the fixture corpus: every definition pattern is found in real notes, and the
//! findings on them are the genuine errors only.

use super::*;
use crate::syntax::{parse, NoteSyntax, ParseOptions};
use crate::terms::extract::DefKind;
use std::path::{Path, PathBuf};

/// The notes of `fixtures/kb` (or of `KBLS_TERMS_FIXTURES`), sorted by path, as (path, text).
fn fixture_notes() -> Vec<(String, String)> {
    let root = std::env::var_os("KBLS_TERMS_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kb"));
    read_notes(&root)
}

fn read_notes(root: &Path) -> Vec<(String, String)> {
    let root = root.to_path_buf();
    let mut res = Vec::new();
    let mut dirs = vec![root.clone()];
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
                        .strip_prefix(&root)
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

/// The findings on every fixture note, one per line: `path line: code message`.
fn fixture_findings(notes: &[(String, String)]) -> String {
    let mut res = String::new();
    for (path, text, syntax) in parsed(notes) {
        let line_index = crate::text::LineIndex::new(text);
        for finding in check(text, &syntax, Packs::builtin()) {
            let line = line_index.line_of(finding.range.start as usize) + 1;
            res.push_str(&format!(
                "{path}:{line}: {} {}\n",
                finding.code, finding.message
            ));
        }
    }
    res
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
                .or_insert((0, format!("{path}: {}", def.term)));
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

/// The findings on the fixture corpus are reviewed by hand: each must be a genuine error.
#[test]
fn findings_on_the_fixtures() {
    if std::env::var_os("KBLS_TERMS_FIXTURES").is_some() {
        return;
    }
    expect_test::expect_file!["../../fixtures/terms-findings.expected"]
        .assert_eq(&fixture_findings(&fixture_notes()));
}
