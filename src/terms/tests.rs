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

/// Writes what extraction finds in the fixtures to `KBLS_TERMS_DUMP`, for reviewing the heuristics.
#[test]
#[ignore]
fn dump_fixture_definitions() {
    let Some(out) = std::env::var_os("KBLS_TERMS_DUMP") else {
        return;
    };
    let notes = fixture_notes();
    let mut dump = String::new();
    for (path, text, syntax) in parsed(&notes) {
        for def in extract(text, &syntax) {
            dump.push_str(&format!(
                "{path}\t{}\t{}\t{}\t{}\n",
                def.kind.as_str(),
                def.term,
                def.aliases.join("|"),
                def.definition.chars().take(100).collect::<String>()
            ));
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
            res.push_str(&format!(
                "{path}:{line}: {} {}\n",
                finding.code, finding.message
            ));
        }
    }
    res
}

#[test]
#[ignore]
fn dump_fixture_findings() {
    let Some(out) = std::env::var_os("KBLS_TERMS_DUMP") else {
        return;
    };
    let _ = std::fs::write(out, fixture_findings(&fixture_notes()));
}

#[test]
#[ignore]
fn dump_fixture_invocations() {
    let Some(out) = std::env::var_os("KBLS_TERMS_DUMP") else {
        return;
    };
    let notes = fixture_notes();
    let mut res = String::new();
    for (path, text, syntax) in parsed(&notes) {
        for inv in note_invocations(text, &syntax, Packs::builtin()) {
            let flags: Vec<&str> = inv.flags.iter().map(|f| f.name.as_str()).collect();
            res.push_str(&format!(
                "{path}\t{}\t{}\t{}\n",
                inv.command,
                flags.join(" "),
                &text[inv.extent.as_usize()]
            ));
        }
        for mention in dcgm_mentions(text) {
            res.push_str(&format!(
                "{path}\tDCGM\t{}\n",
                &text[mention.range.as_usize()]
            ));
        }
    }
    let _ = std::fs::write(out, res);
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

/// Times term extraction, indexing, recognition and findings against parsing, on the fixtures
/// and on a 10,000-note corpus built from them (each copy adds five terms of its own, so the
/// automaton holds tens of thousands of names), plus hover latency. Run in release mode:
/// `KBLS_TERMS_DUMP=timing.txt cargo test --release --lib terms::tests::timing -- --ignored`.
#[test]
#[ignore]
fn timing() {
    use std::time::{Duration, Instant};
    let Some(out) = std::env::var_os("KBLS_TERMS_DUMP") else {
        return;
    };
    let fixtures = fixture_notes();
    let mut report = String::new();
    let mut big = Vec::new();
    for copy in 0..10_000 / fixtures.len().max(1) + 1 {
        for (path, text) in &fixtures {
            if big.len() == 10_000 {
                break;
            }
            let mut text = text.clone();
            for term in 0..5 {
                text.push_str(&format!(
                    "\n- **Term{copy}x{term} Widget**: A thing only copy {copy} defines.\n"
                ));
            }
            big.push((format!("copy{copy}/{path}"), text));
        }
    }
    let packs = Packs::builtin();
    let mut corpora = vec![
        ("fixtures/kb".to_string(), fixtures.clone()),
        ("fixtures/kb copied to 10,000 notes".to_string(), big),
    ];
    // A generated corpus, e.g. from `examples/gen_corpus.rs`.
    if let Some(dir) = std::env::var_os("KBLS_TERMS_CORPUS") {
        corpora.push((
            dir.to_string_lossy().into_owned(),
            read_notes(Path::new(&dir)),
        ));
    }
    for (name, notes) in corpora {
        let bytes: usize = notes.iter().map(|(_, t)| t.len()).sum();
        let start = Instant::now();
        let syntaxes: Vec<NoteSyntax> = notes
            .iter()
            .map(|(_, text)| parse(text, &ParseOptions::default()))
            .collect();
        let parse_time = start.elapsed();
        // Twice: the first pass also pays for growing the heap, which a long-running server does once.
        let start = Instant::now();
        let defs: Vec<Vec<TermDef>> = notes
            .iter()
            .zip(&syntaxes)
            .map(|((_, text), syntax)| extract(text, syntax))
            .collect();
        let first_extract_time = start.elapsed();
        drop(defs);
        let start = Instant::now();
        let defs: Vec<Vec<TermDef>> = notes
            .iter()
            .zip(&syntaxes)
            .map(|((_, text), syntax)| extract(text, syntax))
            .collect();
        let extract_time = start.elapsed();
        let n_defs: usize = defs.iter().map(Vec::len).sum();
        let start = Instant::now();
        let index = TermIndex::build(notes.iter().map(|(p, _)| p.clone()).zip(defs), packs);
        let maps_time = start.elapsed();
        let _ = index.term_id("warm the automaton");
        let index_time = start.elapsed();
        let start = Instant::now();
        let mut n_mentions = 0;
        let mut n_dcgm = 0;
        for ((_, text), syntax) in notes.iter().zip(&syntaxes) {
            n_mentions += index.mentions(text, syntax).len();
            n_dcgm += dcgm_mentions(text).len();
        }
        let recognize_time = start.elapsed();
        let start = Instant::now();
        let mut n_findings = 0;
        for ((_, text), syntax) in notes.iter().zip(&syntaxes) {
            n_findings += check(text, syntax, packs).len();
        }
        let check_time = start.elapsed();
        // Hover at the start of every 7th mention, up to 2,000 hovers.
        let mut hover_times: Vec<Duration> = Vec::new();
        'notes: for ((_, text), syntax) in notes.iter().zip(&syntaxes) {
            for mention in index.mentions(text, syntax).iter().step_by(7) {
                let start = Instant::now();
                if let Some(target) = term_at(
                    text,
                    syntax,
                    mention.range.start as usize + 1,
                    packs,
                    &index,
                ) {
                    let sites = index.definitions(target.name());
                    let locations: Vec<DefLocation<'_>> = sites
                        .iter()
                        .map(|s| DefLocation {
                            path: s.path,
                            line: 1,
                            def: s.def,
                        })
                        .collect();
                    let _ = hover_markdown(&target, packs, &locations, Some(3));
                }
                hover_times.push(start.elapsed());
                if hover_times.len() >= 2_000 {
                    break 'notes;
                }
            }
        }
        hover_times.sort();
        let p95 = hover_times
            .get(hover_times.len() * 95 / 100)
            .copied()
            .unwrap_or_default();
        let max = hover_times.last().copied().unwrap_or_default();
        let terms_total = extract_time + index_time + recognize_time + check_time;
        report.push_str(&format!(
            "{name}: {} notes, {:.1} MB\n  parse {parse_time:.2?}\n  extract {extract_time:.2?} (first pass {first_extract_time:.2?}; {n_defs} definitions)\n  index {index_time:.2?} (maps {maps_time:.2?}, then the automaton)\n  mentions + DCGM names {recognize_time:.2?} ({n_mentions} mentions, {n_dcgm} DCGM names)\n  findings {check_time:.2?} ({n_findings})\n  terms total {terms_total:.2?} = {:.0}% of parse\n  hover p95 {p95:.2?}, max {max:.2?} over {} hovers\n",
            notes.len(),
            bytes as f64 / 1e6,
            terms_total.as_secs_f64() / parse_time.as_secs_f64().max(1e-9) * 100.0,
            hover_times.len(),
        ));
    }
    let start = Instant::now();
    for builtin in BuiltinPack::ALL {
        let _ = parse_pack(match builtin {
            BuiltinPack::Dcgm => include_str!("../../packs/dcgm.tsv"),
            BuiltinPack::Kubectl => include_str!("../../packs/kubectl.tsv"),
        });
    }
    let pack_parse = start.elapsed();
    let start = Instant::now();
    let _ = Packs::new(&BuiltinPack::ALL, Vec::new());
    report.push_str(&format!(
        "shipped packs: parse {pack_parse:.2?}, parse + merge {:.2?}\n",
        start.elapsed()
    ));
    let _ = std::fs::write(out, report);
}

/// A loop over extraction alone, for profiling.
#[test]
#[ignore]
fn profile_extract() {
    let notes = fixture_notes();
    let syntaxes: Vec<NoteSyntax> = notes
        .iter()
        .map(|(_, text)| parse(text, &ParseOptions::default()))
        .collect();
    let mut n = 0;
    for _ in 0..2000 {
        for ((_, text), syntax) in notes.iter().zip(&syntaxes) {
            n += extract(text, syntax).len();
        }
    }
    assert!(n > 0);
}

/// A loop over mention finding alone on `KBLS_TERMS_CORPUS`, for profiling.
#[test]
#[ignore]
fn profile_mentions() {
    let Some(dir) = std::env::var_os("KBLS_TERMS_CORPUS") else {
        return;
    };
    let notes = read_notes(Path::new(&dir));
    let syntaxes: Vec<NoteSyntax> = notes
        .iter()
        .map(|(_, text)| parse(text, &ParseOptions::default()))
        .collect();
    let defs = notes
        .iter()
        .zip(&syntaxes)
        .map(|((_, text), syntax)| extract(text, syntax));
    let index = TermIndex::build(
        notes.iter().map(|(p, _)| p.clone()).zip(defs),
        Packs::builtin(),
    );
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..3 {
        for ((_, text), syntax) in notes.iter().zip(&syntaxes) {
            n += index.mentions(text, syntax).len();
        }
    }
    let _ = std::fs::write(
        "/tmp/profile_mentions.txt",
        format!("{n} mentions, {:?} for 3 passes\n", start.elapsed()),
    );
}
