//! Document symbols (the heading outline), workspace symbols, folding ranges, document links and
//! code lenses (how many links point at each heading).

use super::completion::subsequence_score;
use crate::graph::{FragmentMatch, Graph, Note, NoteId, Resolved};
pub use crate::search::SymbolKind;
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub level: u8,
    /// The whole section.
    pub range: TextRange,
    /// The heading line.
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// The heading outline of a note, nested by level.
pub fn document_symbols(note: &Note) -> Vec<Symbol> {
    let mut roots: Vec<Symbol> = Vec::new();
    for heading in &note.syntax.headings {
        let symbol = Symbol {
            name: heading.text.clone(),
            level: heading.level,
            range: heading.section,
            selection: heading.range,
            children: Vec::new(),
        };
        insert(&mut roots, symbol);
    }
    roots
}

fn insert(siblings: &mut Vec<Symbol>, symbol: Symbol) {
    match siblings.last_mut() {
        Some(last) if last.level < symbol.level => insert(&mut last.children, symbol),
        _ => siblings.push(symbol),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub note: NoteId,
    pub name: String,
    /// What holds it: the note's title, or the heading path of the section.
    pub container: Option<String>,
    pub kind: SymbolKind,
    pub range: TextRange,
}

/// Titles and headings across the corpus matching `query` fuzzily, best first.
pub fn workspace_symbols(graph: &Graph, query: &str, limit: usize) -> Vec<WorkspaceSymbol> {
    let query = query.to_lowercase();
    let mut scored: Vec<(usize, WorkspaceSymbol)> = Vec::new();
    for (id, note) in graph.notes() {
        for heading in &note.syntax.headings {
            let Some(score) = subsequence_score(&heading.text.to_lowercase(), &query) else {
                continue;
            };
            let is_title = heading.level == 1;
            scored.push((
                score + usize::from(!is_title),
                WorkspaceSymbol {
                    note: id,
                    name: heading.text.clone(),
                    container: (!is_title).then(|| note.title().to_string()),
                    kind: if is_title {
                        SymbolKind::Title
                    } else {
                        SymbolKind::Heading
                    },
                    range: heading.range,
                },
            ));
        }
    }
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.name.len().cmp(&b.1.name.len()))
            .then_with(|| a.1.name.cmp(&b.1.name))
    });
    scored.truncate(limit);
    scored.into_iter().map(|(_, s)| s).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Section,
    Code,
    FrontMatter,
}

/// A foldable region, from the line of `range.start` to the line of `range.end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// The foldable regions that span more than one line: sections, code blocks, front matter.
pub fn folding_ranges(note: &Note) -> Vec<Fold> {
    let text = note.text();
    let mut res: Vec<(TextRange, FoldKind)> = note
        .syntax
        .headings
        .iter()
        .map(|h| (trim_end(&text, h.section), FoldKind::Section))
        .collect();
    res.extend(
        note.syntax
            .code_blocks
            .iter()
            .map(|b| (b.range, FoldKind::Code)),
    );
    if let Some(fm) = &note.syntax.front_matter {
        res.push((fm.range, FoldKind::FrontMatter));
    }
    let line_of = |offset: u32| note.line_index().line_of(offset as usize);
    res.into_iter()
        .filter(|(range, _)| line_of(range.end) > line_of(range.start))
        .map(|(range, kind)| Fold { range, kind })
        .collect()
}

/// `range` of `text` without its trailing blanks.
fn trim_end(text: &str, range: TextRange) -> TextRange {
    let text = text[range.as_usize()].trim_end();
    TextRange::new(range.start as usize, range.start as usize + text.len())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkDestination {
    /// A note, with the 0-based line of the heading the fragment names.
    Note {
        note: NoteId,
        line: Option<u32>,
    },
    File {
        path: String,
    },
    External {
        url: String,
    },
}

/// Every link of a note whose target exists, with where it leads.
pub fn document_links(graph: &Graph, note: &Note) -> Vec<(TextRange, LinkDestination)> {
    note.syntax
        .links
        .iter()
        .filter_map(|link| {
            let destination = match graph.resolve(note, &link.target) {
                Resolved::External => match &link.target {
                    crate::syntax::LinkTarget::External { url } => LinkDestination::External {
                        url: url.to_string(),
                    },
                    _ => return None,
                },
                Resolved::Note {
                    note: target,
                    fragment,
                } => {
                    let target_note = graph.note(target);
                    let line = match fragment {
                        FragmentMatch::Heading(h) => Some(
                            target_note
                                .line_index()
                                .line_of(target_note.syntax.headings[h].range.start as usize),
                        ),
                        _ => None,
                    };
                    LinkDestination::Note { note: target, line }
                }
                Resolved::File { path } => LinkDestination::File { path },
                _ => return None,
            };
            Some((link.range, destination))
        })
        .collect()
}

/// A count shown above a heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeLens {
    /// The heading.
    pub range: TextRange,
    /// Links to the heading's section; for the title, to the note.
    pub references: usize,
}

impl CodeLens {
    pub fn title(&self) -> String {
        let n = self.references;
        format!("{n} reference{}", if n == 1 { "" } else { "s" })
    }
}

/// One lens per heading of note `id`.
pub fn code_lenses(graph: &Graph, id: NoteId) -> Vec<CodeLens> {
    graph
        .note(id)
        .syntax
        .headings
        .iter()
        .enumerate()
        .map(|(h, heading)| CodeLens {
            range: heading.range,
            references: if heading.level == 1 {
                graph.backlinks(id).len()
            } else {
                graph.heading_backlinks(id, h).len()
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{FoldKind, LinkDestination, Symbol};
    use crate::dialect::Dialect;
    use crate::test_fixture::{self, Fixture};
    use expect_test::{expect, Expect};

    /// The fixture's first note (`a.md`).
    fn note_a(fixture: &Fixture) -> crate::graph::NoteId {
        fixture.graph.by_path("a.md").expect("a.md")
    }

    fn show_symbols(fixture: &Fixture, symbols: &[Symbol], depth: usize, out: &mut String) {
        let id = note_a(fixture);
        for symbol in symbols {
            let section = &fixture.graph.note(id).text()[symbol.range.as_usize()];
            out.push_str(&format!(
                "{}{} {:?} {}..{} ({} lines)\n",
                "  ".repeat(depth),
                "#".repeat(symbol.level as usize),
                symbol.name,
                symbol.selection.start,
                symbol.selection.end,
                section.lines().count()
            ));
            show_symbols(fixture, &symbol.children, depth + 1, out);
        }
    }

    #[track_caller]
    fn check_symbols(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let mut out = String::new();
        let symbols = fixture.analysis().document_symbols(note_a(&fixture));
        show_symbols(&fixture, &symbols, 0, &mut out);
        expect.assert_eq(&out);
    }

    #[track_caller]
    fn check_workspace_symbols(fixture: &str, query: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let res: Vec<String> = fixture
            .analysis()
            .workspace_symbols(query, 10)
            .into_iter()
            .map(|s| {
                format!(
                    "{:?} {} in {:?}",
                    s.kind,
                    fixture.show(s.note, s.range),
                    s.container.unwrap_or_default()
                )
            })
            .collect();
        expect.assert_eq(&res.join("\n"));
    }

    /// Each fold as `kind first-line..last-line` (0-based).
    #[track_caller]
    fn check_folding(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let id = note_a(&fixture);
        let note = fixture.graph.note(id);
        let res: Vec<String> = fixture
            .analysis()
            .folding_ranges(id)
            .into_iter()
            .map(|fold| {
                let kind = match fold.kind {
                    FoldKind::Section => "section",
                    FoldKind::Code => "code",
                    FoldKind::FrontMatter => "front matter",
                };
                format!(
                    "{kind} {}..{}",
                    note.line_index().line_of(fold.range.start as usize),
                    note.line_index().line_of(fold.range.end as usize)
                )
            })
            .collect();
        expect.assert_eq(&res.join("\n"));
    }

    #[track_caller]
    fn check_links(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let id = note_a(&fixture);
        let res: Vec<String> = fixture
            .analysis()
            .document_links(id)
            .into_iter()
            .map(|(range, destination)| {
                let to = match destination {
                    LinkDestination::Note { note, line } => {
                        format!("{} line {line:?}", fixture.graph.note(note).path)
                    }
                    LinkDestination::File { path } => format!("file {path}"),
                    LinkDestination::External { url } => format!("url {url}"),
                };
                format!("{} -> {to}", fixture.show(id, range))
            })
            .collect();
        expect.assert_eq(&res.join("\n"));
    }

    /// Each lens must sit on a `^^^` mark whose label is its title.
    #[track_caller]
    fn check_lenses(fixture: &str) {
        check_lenses_of(&test_fixture::parse(fixture), "a.md");
    }

    /// The lenses of the note at `path` are its marks, labelled with their titles.
    #[track_caller]
    fn check_lenses_of(fixture: &Fixture, path: &str) {
        let id = fixture.graph.by_path(path).expect("the note");
        let lenses: Vec<String> = fixture
            .analysis()
            .code_lenses(id)
            .iter()
            .map(|lens| format!("{} {}", fixture.show(id, lens.range), lens.title()))
            .collect();
        let marked: Vec<String> = fixture
            .marks
            .iter()
            .map(|m| format!("{} {}", fixture.show(m.note, m.range), m.label))
            .collect();
        assert_eq!(lenses, marked);
    }

    #[test]
    fn symbols_nest_by_level() {
        check_symbols(
            r#"
//- /a.md
# Title
## One
### One and a half
## Two
#### Deep
##
"#,
            expect![[r##"
                # "Title" 0..7 (6 lines)
                  ## "One" 8..14 (2 lines)
                    ### "One and a half" 15..33 (1 lines)
                  ## "Two" 34..40 (2 lines)
                    #### "Deep" 41..50 (1 lines)
                  ## "" 51..53 (1 lines)
            "##]],
        );
    }

    #[test]
    fn workspace_symbols_without_the_index_match_titles_and_headings() {
        let fixture = r#"
//- /a.md
# Pods
## Requests vs Limits
//- /b.md
# Limits of nodes
"#;
        check_workspace_symbols(
            fixture,
            "lim",
            expect![[r###"
            Title b.md 0..17 "# Limits of nodes" in ""
            Heading a.md 7..28 "## Requests vs Limits" in "Pods""###]],
        );
        check_workspace_symbols(
            fixture,
            "rvl",
            expect![[r###"Heading a.md 7..28 "## Requests vs Limits" in "Pods""###]],
        );
    }

    #[test]
    fn folding_ranges_span_more_than_one_line() {
        check_folding(
            r#"
//- /a.md
---
title: A
---
# A
Text.
## Empty
## B
```sh
ls
```
"#,
            expect![[r#"
                section 3..9
                section 6..9
                code 7..9
                front matter 0..2"#]],
        );
    }

    #[test]
    fn document_links_lead_to_notes_headings_files_and_urls() {
        check_links(
            r#"
//- /a.md
# A
[b](b.md) [h](b.md#two) [[b]] ![p](p.png) <https://example.com> [gone](gone.md)
//- /b.md
# B
## Two
//- /p.png
"#,
            expect![[r#"
                a.md 4..13 "[b](b.md)" -> b.md line None
                a.md 14..27 "[h](b.md#two)" -> b.md line Some(1)
                a.md 28..33 "[[b]]" -> b.md line None
                a.md 34..45 "![p](p.png)" -> file p.png
                a.md 46..67 "<https://example.com>" -> url https://example.com"#]],
        );
    }

    #[test]
    fn lenses_count_the_links_to_each_heading() {
        check_lenses(
            r#"
//- /a.md
# A
^^^ 2 references
## Setup
^^^^^^^^ 1 reference
## Unused
^^^^^^^^^ 0 references
//- /b.md
# B
[a](a.md) [[a#Setup]]
"#,
        );
    }

    #[test]
    fn lenses_count_links_in_the_dialects_forms() {
        let hugo = test_fixture::parse_in(
            Dialect::Hugo,
            r#"
//- /content/docs/a/_index.md
# A
^^^ 3 references
## What's new?
^^^^^^^^^^^^^^ 1 reference
//- /content/docs/b.md
# B
[a](/docs/a/) [a](../a/#whats-new) {{< ref "a" >}}
"#,
        );
        check_lenses_of(&hugo, "content/docs/a/_index.md");
        let vault = test_fixture::parse_in(
            Dialect::Obsidian,
            r#"
//- /Projects/GPU Cluster.md
# GPU Cluster
^^^^^^^^^^^^^ 3 references
## Power budget
^^^^^^^^^^^^^^^ 2 references
//- /Home.md
[[gpu cluster#Power Budget]] [x](GPU%20Cluster.md#power%20budget) [[Projects/GPU Cluster]]
"#,
        );
        check_lenses_of(&vault, "Projects/GPU Cluster.md");
    }
}
