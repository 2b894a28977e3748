//! Did-you-mean for links: the anchor, label or note a broken one most likely meant, ranked by
//! [`crate::text::suggest`]. What the linking note's other links already reach ranks first.
//!
//! Candidates come from indexes, never from a scan of every note: a missing note is matched
//! against notes with the same file stem anywhere, then against the notes of its own folder.

use crate::graph::{file_stem, parent_dir, FragmentMatch, Graph, Note, NoteId, Resolved};
use crate::syntax::LinkTarget;
use crate::text::suggest::{self, Candidate};

/// The heading of `target` a broken `fragment` most likely meant: its anchor, or its text for
/// wiki-links. `resolved` holds what each link of the linking note resolves to.
pub(super) fn closest_heading<'a>(
    target_id: NoteId,
    target: &'a Note,
    fragment: &str,
    is_wiki: bool,
    resolved: &[Resolved],
) -> Option<&'a str> {
    let candidates = target.syntax.headings.iter().enumerate().map(|(idx, h)| {
        let name = if is_wiki {
            h.text.as_str()
        } else {
            h.anchor.as_str()
        };
        let used = resolved.iter().any(|r| {
            *r == Resolved::Note {
                note: target_id,
                fragment: FragmentMatch::Heading(idx),
            }
        });
        Candidate::new(name, name).used(used)
    });
    suggest::closest(fragment, candidates)
}

/// The reference definition of `note` an undefined `label` most likely meant; labels other
/// links of the note use rank first.
pub(super) fn closest_label<'a>(note: &'a Note, label: &str) -> Option<&'a str> {
    let candidates = note.syntax.link_defs.iter().enumerate().map(|(idx, def)| {
        let used = note.syntax.links.iter().any(|link| {
            matches!(link.target, LinkTarget::Reference { def: Some(used), .. } if used == idx)
        });
        Candidate::new(def.label.as_str(), def.label.as_str()).used(used)
    });
    suggest::closest(label, candidates)
}

/// The note a link to the missing `path` most likely meant.
pub(super) fn closest_note(graph: &Graph, path: &str, resolved: &[Resolved]) -> Option<NoteId> {
    let stem = file_stem(path);
    if let [only] = graph.notes_with_stem(stem) {
        return Some(*only);
    }
    closest_in_dir(graph, stem, parent_dir(path), resolved)
}

/// The note a wiki-link to the missing `stem` most likely meant: the same stem ignoring case and
/// separators, else the closest stem among the notes of the linking note's folder.
pub(super) fn closest_stem(
    graph: &Graph,
    stem: &str,
    from_dir: &str,
    resolved: &[Resolved],
) -> Option<NoteId> {
    let normalized = stem.to_lowercase().replace([' ', '_'], "-");
    if let [only] = graph.notes_with_stem(&normalized) {
        return Some(*only);
    }
    closest_in_dir(graph, &normalized, from_dir, resolved)
}

/// The note of `dir` whose stem `stem` most likely meant; notes the linking note links to
/// rank first.
fn closest_in_dir(graph: &Graph, stem: &str, dir: &str, resolved: &[Resolved]) -> Option<NoteId> {
    let mut linked: Vec<NoteId> = resolved
        .iter()
        .filter_map(|r| match r {
            Resolved::Note { note, .. } => Some(*note),
            _ => None,
        })
        .collect();
    linked.sort_unstable();
    let candidates = graph.notes_in_dir(dir).iter().map(|&id| {
        Candidate::new(graph.note(id).stem(), id).used(linked.binary_search(&id).is_ok())
    });
    suggest::closest(stem, candidates)
}
