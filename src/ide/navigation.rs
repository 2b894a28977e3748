//! Go to definition, find references and hover: links, headings, reference labels and dates.

use super::cursor::{item_at, label_at, CursorItem, LinkPart};
use super::diagnostics::DiagnosticsConfig;
use crate::graph::{FragmentMatch, Graph, LinkRef, Note, NoteId, Resolved};
use crate::history::NoteHistory;
use crate::syntax::{normalize_label, LinkTarget};
use crate::text::TextRange;
use std::fmt::Write;

/// A place to jump to: a range in a note, or a non-note file of the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NavTarget {
    Note {
        note: NoteId,
        range: TextRange,
        focus: TextRange,
    },
    File {
        path: String,
    },
}

/// A range in one note of the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NoteRange {
    pub note: NoteId,
    pub range: TextRange,
}

pub fn goto_definition(
    graph: &Graph,
    id: NoteId,
    offset: usize,
) -> Option<(TextRange, Vec<NavTarget>)> {
    let note = graph.note(id);
    let Some(item) = item_at(note, offset) else {
        return super::terms::definitions(graph, id, offset);
    };
    match item {
        CursorItem::Link { idx, part } => {
            let link = &note.syntax.links[idx];
            if let (
                LinkPart::Label,
                LinkTarget::Reference {
                    def: Some(def),
                    label_range,
                    ..
                },
            ) = (part, &link.target)
            {
                let def = &note.syntax.link_defs[*def];
                return Some((
                    *label_range,
                    vec![NavTarget::Note {
                        note: id,
                        range: def.range,
                        focus: def.label_range,
                    }],
                ));
            }
            let targets = target_of(graph, note, &link.target).into_iter().collect();
            Some((link.range, targets))
        }
        CursorItem::LinkDef(idx) => {
            let def = &note.syntax.link_defs[idx];
            Some((
                def.range,
                target_of(graph, note, &def.target).into_iter().collect(),
            ))
        }
        CursorItem::Heading(_) | CursorItem::Date => None,
    }
}

fn target_of(graph: &Graph, note: &Note, target: &LinkTarget) -> Option<NavTarget> {
    match graph.resolve(note, target) {
        Resolved::Note {
            note: target,
            fragment,
        } => {
            let target_note = graph.note(target);
            let (range, focus) = match fragment {
                FragmentMatch::Heading(h) => {
                    let heading = &target_note.syntax.headings[h];
                    (heading.section, heading.range)
                }
                FragmentMatch::Anchor(a) => (
                    anchor_block(target_note, a),
                    target_note.syntax.anchors[a].range,
                ),
                _ => (TextRange::empty(0), TextRange::empty(0)),
            };
            Some(NavTarget::Note {
                note: target,
                range,
                focus,
            })
        }
        Resolved::File { path } => Some(NavTarget::File { path }),
        _ => None,
    }
}

/// What the cursor's references are: links to a heading, to a note, or to the same target
/// as the link under the cursor; uses of a reference label.
pub fn references(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    include_declaration: bool,
) -> Vec<NoteRange> {
    let note = graph.note(id);
    let link_ranges = |refs: Vec<LinkRef>| -> Vec<NoteRange> {
        refs.into_iter()
            .map(|r| NoteRange {
                note: r.from,
                range: graph.note(r.from).syntax.links[r.link].range,
            })
            .collect()
    };
    let mut res = match item_at(note, offset) {
        Some(CursorItem::Heading(h)) if note.syntax.headings[h].level > 1 => {
            let mut res = link_ranges(graph.heading_backlinks(id, h));
            if include_declaration {
                res.push(NoteRange {
                    note: id,
                    range: note.syntax.headings[h].range,
                });
            }
            res
        }
        Some(
            CursorItem::Link {
                part: LinkPart::Label,
                ..
            }
            | CursorItem::LinkDef(_),
        ) => {
            let label = label_at(note, offset).unwrap_or_default();
            label_uses(id, note, &normalize_label(&label), include_declaration)
        }
        Some(CursorItem::Link { idx, .. }) => {
            let link = &note.syntax.links[idx];
            match graph.resolve(note, &link.target) {
                Resolved::Note {
                    note: target,
                    fragment,
                } => match fragment {
                    FragmentMatch::Heading(h) => link_ranges(graph.heading_backlinks(target, h)),
                    _ => link_ranges(graph.backlinks(target)),
                },
                _ => Vec::new(),
            }
        }
        // A term: its mentions across the corpus. On the title, the date or anywhere else: the
        // note's backlinks.
        None => match super::terms::references(graph, id, offset) {
            Some(mentions) => mentions,
            None => link_ranges(graph.backlinks(id)),
        },
        _ => link_ranges(graph.backlinks(id)),
    };
    res.sort_by(|a, b| {
        (graph.note(a.note).path.as_str(), a.range)
            .cmp(&(graph.note(b.note).path.as_str(), b.range))
    });
    res.dedup();
    res
}

fn label_uses(id: NoteId, note: &Note, label: &str, include_declaration: bool) -> Vec<NoteRange> {
    let mut res: Vec<NoteRange> = note
        .syntax
        .links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Reference {
                label: used,
                label_range,
                ..
            } if normalize_label(used) == label => Some(NoteRange {
                note: id,
                range: *label_range,
            }),
            _ => None,
        })
        .collect();
    if include_declaration {
        res.extend(
            note.syntax
                .link_defs
                .iter()
                .filter(|d| normalize_label(&d.label) == label)
                .map(|d| NoteRange {
                    note: id,
                    range: d.label_range,
                }),
        );
    }
    res
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    pub range: TextRange,
    pub markdown: String,
}

/// Lines of a target shown in a link preview.
const PREVIEW_LINES: usize = 12;

pub fn hover(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    cfg: &DiagnosticsConfig,
) -> Option<HoverResult> {
    let note = graph.note(id);
    let today = cfg.today;
    let Some(item) = item_at(note, offset) else {
        return super::terms::hover(graph, id, offset);
    };
    let (range, markdown) = match item {
        CursorItem::Link { idx, .. } => {
            let link = &note.syntax.links[idx];
            let mut out = String::new();
            let mut target = &link.target;
            if let LinkTarget::Reference { def, label, .. } = target {
                match def {
                    Some(def) => {
                        let def = &note.syntax.link_defs[*def];
                        let line = note.line_index.line_of(def.range.start as usize) + 1;
                        let _ = writeln!(
                            out,
                            "`{}` (definition on line {line})\n",
                            note.text[def.range.as_usize()].trim()
                        );
                        target = &def.target;
                    }
                    None => {
                        return Some(HoverResult {
                            range: link.range,
                            markdown: format!("No definition for reference `[{label}]`."),
                        })
                    }
                }
            }
            out += &link_preview(graph, note, target);
            (link.range, out)
        }
        CursorItem::LinkDef(idx) => {
            let def = &note.syntax.link_defs[idx];
            (def.range, link_preview(graph, note, &def.target))
        }
        CursorItem::Heading(h) => {
            let heading = &note.syntax.headings[h];
            let refs = if heading.level == 1 {
                graph.backlinks(id)
            } else {
                graph.heading_backlinks(id, h)
            };
            let mut out = format!("`#{}`: ", heading.anchor);
            out += &match refs.len() {
                0 => "no links point here".to_string(),
                1 => "1 link points here".to_string(),
                n => format!("{n} links point here"),
            };
            if heading.level == 1 {
                out += " (to the note)";
            }
            out += "\n";
            for r in refs.iter().take(20) {
                let from = graph.note(r.from);
                let line = from
                    .line_index
                    .line_of(from.syntax.links[r.link].range.start as usize)
                    + 1;
                let _ = writeln!(out, "- `{}:{line}` ({})", from.path, from.title());
            }
            if refs.len() > 20 {
                let _ = writeln!(out, "- and {} more", refs.len() - 20);
            }
            (heading.range, out)
        }
        CursorItem::Date => {
            let date = note.syntax.date.as_ref()?;
            let tags = note
                .syntax
                .front_matter
                .as_ref()
                .map_or(&[][..], |fm| fm.tags.as_slice());
            let stale_after_days = cfg.config.stale_after_days_for(&note.path, tags);
            let mut out = match date.value {
                Ok(value) => {
                    let age = (today - value).num_days();
                    let state = if age < 0 {
                        format!("{} days in the future", -age)
                    } else if age > i64::from(stale_after_days) {
                        format!("{age} days ago: **stale** (older than {stale_after_days} days)")
                    } else {
                        format!("{age} days ago: fresh (stale after {stale_after_days} days)")
                    };
                    format!("Last updated {value}, {state}.")
                }
                Err(_) => format!("`{}` is not a valid YYYY-MM-DD date.", date.text),
            };
            match cfg.history.as_ref().map(|h| h.of(&note.path)) {
                Some(NoteHistory::Changed(change)) => {
                    let _ = write!(
                        out,
                        "\n\nGit last changed this note's content on {} in `{}` ({}).",
                        change.date, change.short_hash, change.subject
                    );
                }
                Some(NoteHistory::TooShallow) => {
                    out += "\n\nGit history is too shallow to say when the content last changed."
                }
                Some(NoteHistory::Unknown) => {
                    out += "\n\nGit has no committed change of this note."
                }
                None => {}
            }
            (date.range, out)
        }
    };
    Some(HoverResult { range, markdown })
}

fn link_preview(graph: &Graph, note: &Note, target: &LinkTarget) -> String {
    match graph.resolve(note, target) {
        Resolved::External => match target {
            LinkTarget::External { url } => format!("External link: <{url}> (not checked)"),
            _ => String::new(),
        },
        Resolved::Note {
            note: target_id,
            fragment,
        } => {
            let target_note = graph.note(target_id);
            let backlinks = graph.backlinks(target_id).len();
            let mut out = format!("**{}** — `{}`\n\n", target_note.title(), target_note.path);
            let section = match fragment {
                FragmentMatch::Heading(h) => target_note.syntax.headings[h].section,
                FragmentMatch::Anchor(a) => anchor_block(target_note, a),
                FragmentMatch::Missing => {
                    out += "⚠ the heading this link names does not exist\n\n";
                    TextRange::new(0, target_note.text.len())
                }
                FragmentMatch::None => {
                    TextRange::new(body_start(target_note), target_note.text.len())
                }
            };
            let preview: Vec<&str> = target_note.text[section.as_usize()]
                .lines()
                .take(PREVIEW_LINES)
                .collect();
            out += &preview.join("\n");
            out += &format!(
                "\n\n---\n{backlinks} backlink{} to this note",
                if backlinks == 1 { "" } else { "s" }
            );
            out
        }
        Resolved::File { path } => format!("File `{path}`"),
        Resolved::Missing { path } => format!("Broken link: nothing at `{path}`"),
        Resolved::FolderWithoutIndex { path } => format!("Folder `{path}` has no index note"),
        Resolved::OutsideRoot => "Link outside the corpus root (not followed)".to_string(),
        Resolved::Ambiguous { candidates } => {
            let paths: Vec<String> = candidates
                .iter()
                .map(|c| format!("`{}`", graph.note(*c).path))
                .collect();
            format!("Ambiguous wiki-link: {}", paths.join(", "))
        }
        Resolved::UndefinedReference => "Undefined reference".to_string(),
    }
}

/// Where a note's content starts: after its front matter and title heading.
fn body_start(note: &Note) -> usize {
    let mut start = note
        .syntax
        .front_matter
        .as_ref()
        .map_or(0, |fm| fm.range.end as usize);
    if let Some(title) = note.syntax.headings.first().filter(|h| h.level == 1) {
        if title.range.start as usize <= start + 2
            || note.text[start..title.range.start as usize]
                .trim()
                .is_empty()
        {
            start = title.range.end as usize;
        }
    }
    start.min(note.text.len())
}

/// The block an anchor names: the innermost paragraph or list item holding its marker (an
/// Obsidian `^id` ends its block), else the marker's own text.
fn anchor_block(note: &Note, idx: usize) -> TextRange {
    let anchor = note.syntax.anchors[idx].range;
    note.syntax
        .paragraphs
        .iter()
        .chain(&note.syntax.list_items)
        .filter(|block| block.contains_range(anchor))
        .min_by_key(|block| block.len())
        .copied()
        .unwrap_or(anchor)
}
