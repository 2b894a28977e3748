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
    let mut res: Vec<(TextRange, FoldKind)> = note
        .syntax
        .headings
        .iter()
        .map(|h| (trim_end(note, h.section), FoldKind::Section))
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
    let line_of = |offset: u32| note.line_index.line_of(offset as usize);
    res.into_iter()
        .filter(|(range, _)| line_of(range.end) > line_of(range.start))
        .map(|(range, kind)| Fold { range, kind })
        .collect()
}

fn trim_end(note: &Note, range: TextRange) -> TextRange {
    let text = note.text[range.as_usize()].trim_end();
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
                    crate::syntax::LinkTarget::External { url } => {
                        LinkDestination::External { url: url.clone() }
                    }
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
                                .line_index
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
