//! Completion of link paths, anchors, wiki-links, reference labels, dates and admonitions.
//!
//! Every list replaces the prefix typed so far (`replace`), so clients insert exactly once.

use crate::graph::{relative_path, Graph, NoteId, Resolved};
use crate::syntax::LinkTarget;
use crate::text::TextRange;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The typed prefix the chosen item replaces.
    pub replace: TextRange,
    pub items: Vec<CompletionItem>,
    /// More items exist than were sent; the client should ask again as the user types.
    pub incomplete: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown shown beside the list (a term's description).
    pub documentation: Option<String>,
    pub insert: String,
    /// Extra text the client may match the typed prefix against (a note's title).
    pub filter: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    File,
    Heading,
    Reference,
    Value,
    /// A DCGM field.
    Constant,
    /// A kubectl command.
    Command,
    /// A kubectl flag.
    Flag,
}

/// Above this many candidates, only those matching the typed prefix are sent, up to the cap.
const MAX_ITEMS: usize = 200;

const ADMONITIONS: [&str; 5] = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

/// Completion at `offset`: Markdown syntax (paths, anchors, wiki-links, labels, dates,
/// admonitions) first, else terms (DCGM names, kubectl subcommands and flags).
pub fn complete(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    today: NaiveDate,
    date_label: &str,
) -> Option<Completion> {
    complete_markdown(graph, id, offset, today, date_label)
        .or_else(|| complete_term(graph, id, offset))
}

fn complete_term(graph: &Graph, id: NoteId, offset: usize) -> Option<Completion> {
    let note = graph.note(id);
    let res = crate::terms::complete(&note.text, &note.syntax, offset, graph.packs())?;
    let items = res
        .items
        .into_iter()
        .map(|item| CompletionItem {
            label: item.label,
            kind: match item.kind {
                crate::terms::CompletionKind::DcgmField => CompletionKind::Constant,
                crate::terms::CompletionKind::KubectlCommand => CompletionKind::Command,
                crate::terms::CompletionKind::KubectlFlag => CompletionKind::Flag,
            },
            detail: Some(item.detail),
            documentation: Some(item.documentation),
            insert: item.insert_text,
            filter: None,
        })
        .collect();
    Some(Completion {
        replace: res.replace_range,
        items,
        incomplete: res.incomplete,
    })
}

fn complete_markdown(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    today: NaiveDate,
    date_label: &str,
) -> Option<Completion> {
    let note = graph.note(id);
    let text = &note.text;
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset)
        || note.syntax.is_code(offset.saturating_sub(1)) && !note.syntax.is_code(offset)
    {
        return None;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];

    if let Some(open) = before.rfind("[[").filter(|&i| !before[i..].contains("]]")) {
        let typed_start = line_start + open + 2;
        return Some(wiki(
            graph,
            id,
            &text[typed_start..offset],
            typed_start,
            offset,
        ));
    }
    if let Some(open) = before
        .rfind("](")
        .filter(|&i| !before[i + 2..].contains([')', ' ']))
    {
        let typed_start = line_start + open + 2;
        let is_image = before[..open]
            .rfind("![")
            .is_some_and(|bang| !before[bang..open].contains("]("));
        return Some(path_or_anchor(
            graph,
            id,
            &text[typed_start..offset],
            typed_start,
            offset,
            is_image,
        ));
    }
    if let Some(open) = before
        .rfind("][")
        .filter(|&i| !before[i + 2..].contains(']'))
    {
        let typed_start = line_start + open + 2;
        let items = note
            .syntax
            .link_defs
            .iter()
            .map(|d| CompletionItem {
                documentation: None,
                label: d.label.clone(),
                kind: CompletionKind::Reference,
                detail: Some(note.text[d.range.as_usize()].trim().to_string()),
                insert: d.label.clone(),
                filter: None,
            })
            .collect();
        return Some(Completion {
            replace: TextRange::new(typed_start, offset),
            items,
            incomplete: false,
        });
    }
    let trimmed = before.trim_start_matches(['>', ' ', '*', '_']);
    if let Some(rest) = trimmed
        .strip_prefix(date_label)
        .and_then(|r| r.strip_prefix(':'))
    {
        let typed = rest.trim_start();
        let today = today.format("%Y-%m-%d").to_string();
        return Some(Completion {
            replace: TextRange::new(offset - typed.len(), offset),
            items: vec![CompletionItem {
                documentation: None,
                label: today.clone(),
                kind: CompletionKind::Value,
                detail: Some("today".into()),
                insert: today,
                filter: None,
            }],
            incomplete: false,
        });
    }
    if let Some(open) = before
        .rfind("[!")
        .filter(|&i| before[..i].trim_end().ends_with('>') && !before[i..].contains(']'))
    {
        let typed_start = line_start + open + 2;
        let items = ADMONITIONS
            .iter()
            .map(|kind| CompletionItem {
                documentation: None,
                label: kind.to_string(),
                kind: CompletionKind::Value,
                detail: Some("admonition".into()),
                insert: format!("{kind}]"),
                filter: None,
            })
            .collect();
        return Some(Completion {
            replace: TextRange::new(typed_start, offset),
            items,
            incomplete: false,
        });
    }
    None
}

fn path_or_anchor(
    graph: &Graph,
    id: NoteId,
    typed: &str,
    typed_start: usize,
    offset: usize,
    is_image: bool,
) -> Completion {
    let note = graph.note(id);
    if let Some(hash) = typed.find('#') {
        // Anchors of the note the path names (or of this note for `](#`).
        let path = &typed[..hash];
        let target = if path.is_empty() {
            Some(id)
        } else {
            let target = LinkTarget::Path {
                path: crate::syntax::percent_decode(path),
                path_range: TextRange::empty(0),
                fragment: None,
            };
            match graph.resolve(note, &target) {
                Resolved::Note { note, .. } => Some(note),
                _ => None,
            }
        };
        let items = target
            .map(|t| {
                graph
                    .note(t)
                    .syntax
                    .headings
                    .iter()
                    .map(|h| CompletionItem {
                        documentation: None,
                        label: h.anchor.clone(),
                        kind: CompletionKind::Heading,
                        detail: Some(format!("{} {}", "#".repeat(h.level as usize), h.text)),
                        insert: h.anchor.clone(),
                        filter: Some(h.text.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Completion {
            replace: TextRange::new(typed_start + hash + 1, offset),
            items,
            incomplete: false,
        };
    }
    let mut candidates: Vec<(String, Option<String>)> = graph
        .notes()
        .filter(|(other, _)| *other != id)
        .map(|(_, n)| {
            (
                relative_path(note.dir(), &n.path),
                Some(n.title().to_string()),
            )
        })
        .collect();
    if is_image {
        candidates.extend(graph.files().map(|f| (relative_path(note.dir(), f), None)));
    }
    let (candidates, incomplete) = cap(candidates, typed);
    let items = candidates
        .into_iter()
        .map(|(path, title)| CompletionItem {
            documentation: None,
            label: path.clone(),
            kind: CompletionKind::File,
            insert: encode_path(&path),
            filter: title.as_ref().map(|t| format!("{path} {t}")),
            detail: title,
        })
        .collect();
    Completion {
        replace: TextRange::new(typed_start, offset),
        items,
        incomplete,
    }
}

fn wiki(graph: &Graph, id: NoteId, typed: &str, typed_start: usize, offset: usize) -> Completion {
    if let Some(hash) = typed.find('#') {
        let stem = &typed[..hash];
        let target = if stem.is_empty() {
            Some(id)
        } else {
            graph.notes_with_stem(stem).first().copied()
        };
        let items = target
            .map(|t| {
                graph
                    .note(t)
                    .syntax
                    .headings
                    .iter()
                    .map(|h| CompletionItem {
                        documentation: None,
                        label: h.text.clone(),
                        kind: CompletionKind::Heading,
                        detail: Some(format!("#{}", h.anchor)),
                        insert: h.text.clone(),
                        filter: None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Completion {
            replace: TextRange::new(typed_start + hash + 1, offset),
            items,
            incomplete: false,
        };
    }
    let candidates: Vec<(String, Option<String>)> = graph
        .notes()
        .filter(|(other, _)| *other != id)
        .map(|(_, n)| (n.stem().to_string(), Some(n.title().to_string())))
        .collect();
    let (candidates, incomplete) = cap(candidates, typed);
    let items = candidates
        .into_iter()
        .map(|(stem, title)| CompletionItem {
            documentation: None,
            label: stem.clone(),
            kind: CompletionKind::File,
            insert: stem.clone(),
            filter: title.as_ref().map(|t| format!("{stem} {t}")),
            detail: title,
        })
        .collect();
    Completion {
        replace: TextRange::new(typed_start, offset),
        items,
        incomplete,
    }
}

/// Keeps every candidate when there are few; else those whose label or title contains the typed
/// characters in order, best first, up to [`MAX_ITEMS`].
fn cap(
    mut candidates: Vec<(String, Option<String>)>,
    typed: &str,
) -> (Vec<(String, Option<String>)>, bool) {
    candidates.sort();
    if candidates.len() <= MAX_ITEMS {
        return (candidates, false);
    }
    let typed = typed.to_lowercase();
    let mut scored: Vec<(usize, (String, Option<String>))> = candidates
        .into_iter()
        .filter_map(|c| {
            let haystack = format!("{} {}", c.0, c.1.as_deref().unwrap_or_default()).to_lowercase();
            subsequence_score(&haystack, &typed).map(|s| (s, c))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(MAX_ITEMS);
    (scored.into_iter().map(|(_, c)| c).collect(), true)
}

/// Lower is better: the span over which `needle`'s characters appear in order, `None` if they don't.
pub(crate) fn subsequence_score(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if let Some(pos) = haystack.find(needle) {
        return Some(pos.min(50));
    }
    let mut chars = needle.chars();
    let mut want = chars.next();
    let mut first = None;
    for (i, c) in haystack.char_indices() {
        if Some(c) == want {
            first.get_or_insert(i);
            want = chars.next();
            if want.is_none() {
                return Some(100 + i - first.unwrap_or(0));
            }
        }
    }
    None
}

/// Paths with spaces need `<...>` or `%20` in a link; kbls writes `%20`.
fn encode_path(path: &str) -> String {
    path.replace(' ', "%20")
}
