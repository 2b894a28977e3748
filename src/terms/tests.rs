//! Tests over the fixture corpus: every definition pattern is found in real notes, and the
//! findings on them are the genuine errors only.

use super::*;
use crate::syntax::{parse, NoteSyntax, ParseOptions};
use std::path::{Path, PathBuf};

/// The notes of `fixtures/kb` (or of `KBLS_TERMS_FIXTURES`), sorted by path, as (path, text).
fn fixture_notes() -> Vec<(String, String)> {
    let root = std::env::var_os("KBLS_TERMS_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kb"));
    let mut res = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    let rel = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    res.push((rel, text));
                }
            }
        }
    }
    res.sort();
    res
}

fn parsed(notes: &[(String, String)]) -> Vec<(String, &str, NoteSyntax)> {
    notes.iter().map(|(path, text)| (path.clone(), text.as_str(), parse(text, &ParseOptions::default()))).collect()
}

/// Writes what extraction finds in the fixtures to `KBLS_TERMS_DUMP`, for reviewing the heuristics.
#[test]
#[ignore]
fn dump_fixture_definitions() {
    let Some(out) = std::env::var_os("KBLS_TERMS_DUMP") else { return };
    let notes = fixture_notes();
    let mut dump = String::new();
    for (path, text, syntax) in parsed(&notes) {
        for def in extract(text, &syntax) {
            dump.push_str(&format!("{path}\t{}\t{}\t{}\t{}\n", def.kind.as_str(), def.term, def.aliases.join("|"), def.definition.chars().take(100).collect::<String>()));
        }
    }
    let _ = std::fs::write(out, dump);
}

/// The findings on every fixture note, one per line: `path line: code message`.
fn fixture_findings(notes: &[(String, String)]) -> String {
    let mut res = String::new();
    for (path, text, syntax) in parsed(notes) {
        let line_index = crate::text::LineIndex::new(text);
        for finding in check(text, &syntax, Packs::builtin()) {
            let line = line_index.line_of(finding.range.start as usize) + 1;
            res.push_str(&format!("{path}:{line}: {} {}\n", finding.code, finding.message));
        }
    }
    res
}

#[test]
#[ignore]
fn dump_fixture_findings() {
    let Some(out) = std::env::var_os("KBLS_TERMS_DUMP") else { return };
    let _ = std::fs::write(out, fixture_findings(&fixture_notes()));
}

#[test]
#[ignore]
fn dump_fixture_invocations() {
    let Some(out) = std::env::var_os("KBLS_TERMS_DUMP") else { return };
    let notes = fixture_notes();
    let mut res = String::new();
    for (path, text, syntax) in parsed(&notes) {
        for inv in note_invocations(text, &syntax, Packs::builtin()) {
            let flags: Vec<&str> = inv.flags.iter().map(|f| f.name.as_str()).collect();
            res.push_str(&format!("{path}\t{}\t{}\t{}\n", inv.command, flags.join(" "), &text[inv.extent.as_usize()]));
        }
        for mention in dcgm_mentions(text) {
            res.push_str(&format!("{path}\tDCGM\t{}\n", &text[mention.range.as_usize()]));
        }
    }
    let _ = std::fs::write(out, res);
}
