//! Rename a heading (and every anchor pointing at it), a reference label, or whole files (and
//! every link to them and inside them). Produces edits; never writes.

use super::cursor::{item_at, label_at, CursorItem, LinkPart};
use crate::graph::{relative_path, Graph, Note, NoteId, Resolved};
use crate::syntax::{normalize_label, slug, Heading, LinkTarget};
use crate::text::TextRange;
use std::collections::HashMap;

/// One text replacement in one note.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub note: NoteId,
    pub range: TextRange,
    pub new_text: String,
}

/// The range to rename and its current text, or why there is nothing to rename here.
pub fn prepare_rename(
    graph: &Graph,
    id: NoteId,
    offset: usize,
) -> Result<(TextRange, String), String> {
    let note = graph.note(id);
    let range = match item_at(note, offset) {
        Some(CursorItem::Heading(h)) => note.syntax.headings[h].text_range,
        Some(CursorItem::Link { idx, part: LinkPart::Label }) => match &note.syntax.links[idx].target {
            LinkTarget::Reference { label_range, .. } => *label_range,
            _ => return Err("nothing to rename here".into()),
        },
        Some(CursorItem::LinkDef(idx)) => note.syntax.link_defs[idx].label_range,
        _ => return Err("only headings and reference labels can be renamed here (rename the file to move a note)".into()),
    };
    Ok((range, note.text[range.as_usize()].to_string()))
}

pub fn rename(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    let note = graph.note(id);
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.contains('\n') {
        return Err("the new name must be one non-empty line".into());
    }
    match item_at(note, offset) {
        Some(CursorItem::Heading(h)) => Ok(rename_heading(graph, id, h, new_name)),
        Some(
            CursorItem::Link {
                part: LinkPart::Label,
                ..
            }
            | CursorItem::LinkDef(_),
        ) => {
            let old = label_at(note, offset).unwrap_or_default();
            Ok(rename_label(id, note, &old, new_name))
        }
        _ => Err("only headings and reference labels can be renamed here".into()),
    }
}

/// Renames heading `h`: its text, and every fragment that points at a heading whose anchor
/// changes (duplicates after it may shift their `-1` suffixes too).
fn rename_heading(graph: &Graph, id: NoteId, h: usize, new_name: &str) -> Vec<TextEdit> {
    let note = graph.note(id);
    let headings = &note.syntax.headings;
    let mut renamed: Vec<Heading> = headings.clone();
    renamed[h].text = new_name.to_string();
    let new_anchors = anchors_after_rename(&renamed);
    let mut edits = vec![TextEdit {
        note: id,
        range: headings[h].text_range,
        new_text: new_name.to_string(),
    }];
    for (idx, heading) in headings.iter().enumerate() {
        let changed = new_anchors[idx] != heading.anchor;
        if !changed && idx != h {
            continue;
        }
        for r in graph.heading_backlinks(id, idx) {
            let from = graph.note(r.from);
            let link = &from.syntax.links[r.link];
            let (target, fragment) = match &link.target {
                LinkTarget::Reference { def: Some(d), .. } => {
                    let def = &from.syntax.link_defs[*d];
                    (&def.target, def.target.fragment())
                }
                target => (target, target.fragment()),
            };
            let Some(fragment) = fragment else { continue };
            let new_text = if matches!(target, LinkTarget::Wiki { .. }) {
                if idx == h {
                    new_name.to_string()
                } else {
                    continue;
                }
            } else if changed {
                new_anchors[idx].clone()
            } else {
                continue;
            };
            edits.push(TextEdit {
                note: r.from,
                range: fragment.range,
                new_text,
            });
        }
    }
    edits.sort();
    edits.dedup();
    edits
}

fn anchors_after_rename(headings: &[Heading]) -> Vec<String> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    headings
        .iter()
        .map(|heading| {
            if heading.custom_id {
                return heading.anchor.clone();
            }
            let base = slug(&heading.text);
            let count = seen.entry(base.clone()).or_insert(0);
            let anchor = if *count == 0 {
                base
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            anchor
        })
        .collect()
}

fn rename_label(id: NoteId, note: &Note, old: &str, new_name: &str) -> Vec<TextEdit> {
    let old = normalize_label(old);
    let mut edits: Vec<TextEdit> = note
        .syntax
        .links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Reference {
                label, label_range, ..
            } if normalize_label(label) == old => Some(*label_range),
            _ => None,
        })
        .chain(
            note.syntax
                .link_defs
                .iter()
                .filter(|d| normalize_label(&d.label) == old)
                .map(|d| d.label_range),
        )
        .map(|range| TextEdit {
            note: id,
            range,
            new_text: new_name.to_string(),
        })
        .collect();
    edits.sort();
    edits
}

/// The edits that keep every link pointing at the same targets when the notes in `moves` (old
/// path to new path, corpus-relative) are moved: links into moved notes, and relative links inside them.
pub fn rename_files(graph: &Graph, moves: &[(String, String)]) -> Vec<TextEdit> {
    let moved: HashMap<NoteId, &str> = moves
        .iter()
        .filter_map(|(old, new)| Some((graph.by_path(old)?, new.as_str())))
        .collect();
    let new_path_of = |id: NoteId| moved.get(&id).map_or(graph.note(id).path.as_str(), |p| p);
    let mut sources: Vec<NoteId> = moved.keys().copied().collect();
    for id in moved.keys() {
        sources.extend(graph.backlinks(*id).into_iter().map(|r| r.from));
        sources.extend(graph.dependents(&graph.note(*id).path));
    }
    sources.sort();
    sources.dedup();
    let mut edits = Vec::new();
    for from_id in sources {
        let from = graph.note(from_id);
        let new_dir = crate::graph::parent_dir(new_path_of(from_id)).to_string();
        let targets = from
            .syntax
            .links
            .iter()
            .map(|l| &l.target)
            .chain(from.syntax.link_defs.iter().map(|d| &d.target));
        for target in targets {
            let Resolved::Note {
                note: target_id, ..
            } = graph.resolve(from, target)
            else {
                continue;
            };
            if !moved.contains_key(&target_id) && !moved.contains_key(&from_id) {
                continue;
            }
            match target {
                LinkTarget::Path {
                    path, path_range, ..
                } if !path.is_empty() && !path.starts_with('/') => {
                    let new_rel = relative_path(&new_dir, new_path_of(target_id));
                    let written = &from.text[path_range.as_usize()];
                    if crate::syntax::percent_decode(written) != new_rel {
                        edits.push(TextEdit {
                            note: from_id,
                            range: *path_range,
                            new_text: new_rel.replace(' ', "%20"),
                        });
                    }
                }
                LinkTarget::Path {
                    path, path_range, ..
                } if path.starts_with('/') => {
                    let new_abs = format!("/{}", new_path_of(target_id));
                    if *path != new_abs {
                        edits.push(TextEdit {
                            note: from_id,
                            range: *path_range,
                            new_text: new_abs.replace(' ', "%20"),
                        });
                    }
                }
                LinkTarget::Wiki {
                    stem, stem_range, ..
                } if !stem.is_empty() => {
                    let new_stem = crate::graph::file_stem(new_path_of(target_id));
                    if !stem.eq_ignore_ascii_case(new_stem) {
                        edits.push(TextEdit {
                            note: from_id,
                            range: *stem_range,
                            new_text: new_stem.to_string(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    edits.sort();
    edits.dedup();
    edits
}
