//! Did-you-mean for links: the anchor, label or note a broken one most likely meant, ranked by
//! [`crate::text::suggest`]. What the linking note's other links already reach ranks first.
//!
//! Candidates come from indexes, never from a scan of every note: a missing note is matched
//! against notes with the same file stem anywhere, then against the notes of its own folder that
//! the folder's name index offers.

use crate::graph::{file_stem, parent_dir, FragmentMatch, Graph, Note, NoteId, Resolved};
use crate::syntax::LinkTarget;
use crate::text::suggest::{self, Candidate};
use foldhash::HashSet;

/// What the links of one note already reach, gathered once per note so that ranking the
/// suggestions of many broken links costs a lookup each, not a pass over every link.
#[derive(Default)]
pub(super) struct Reached {
    notes: HashSet<NoteId>,
    headings: HashSet<(NoteId, usize)>,
    labels: HashSet<usize>,
}

impl Reached {
    pub(super) fn new(note: &Note, resolved: &[Resolved]) -> Reached {
        let mut reached = Reached::default();
        for target in resolved {
            if let Resolved::Note { note, fragment } = target {
                reached.notes.insert(*note);
                if let FragmentMatch::Heading(idx) = fragment {
                    reached.headings.insert((*note, *idx));
                }
            }
        }
        for link in &note.syntax.links {
            if let LinkTarget::Reference { def: Some(idx), .. } = link.target {
                reached.labels.insert(idx);
            }
        }
        reached
    }
}

/// The heading of `target` a broken `fragment` most likely meant: its anchor, or its text for
/// wiki-links. Never one whose anchor is a guess (a Hugo heading made of a shortcode): the fix
/// would write an id the site may not have.
pub(super) fn closest_heading<'a>(
    target_id: NoteId,
    target: &'a Note,
    fragment: &str,
    is_wiki: bool,
    reached: &Reached,
) -> Option<&'a str> {
    let headings = target.syntax.headings.iter().enumerate();
    let candidates = headings.filter(|(_, h)| !h.from_shortcode).map(|(idx, h)| {
        let name = if is_wiki {
            h.text.as_str()
        } else {
            h.anchor.as_str()
        };
        Candidate::new(name, name).used(reached.headings.contains(&(target_id, idx)))
    });
    suggest::closest(fragment, candidates)
}

/// The reference definition of `note` an undefined `label` most likely meant; labels other
/// links of the note use rank first.
pub(super) fn closest_label<'a>(note: &'a Note, label: &str, reached: &Reached) -> Option<&'a str> {
    let candidates = note.syntax.link_defs.iter().enumerate().map(|(idx, def)| {
        Candidate::new(def.label.as_str(), def.label.as_str()).used(reached.labels.contains(&idx))
    });
    suggest::closest(label, candidates)
}

/// The note a link to the missing `path` most likely meant.
pub(super) fn closest_note(graph: &Graph, path: &str, reached: &Reached) -> Option<NoteId> {
    let stem = file_stem(path);
    if let [only] = graph.notes_with_stem(stem)[..] {
        return Some(only);
    }
    closest_in_dir(graph, stem, parent_dir(path), reached)
}

/// The note a wiki-link to the missing `stem` most likely meant: the same stem ignoring case and
/// separators, else the closest stem among the notes of the linking note's folder.
pub(super) fn closest_stem(
    graph: &Graph,
    stem: &str,
    from_dir: &str,
    reached: &Reached,
) -> Option<NoteId> {
    let normalized = stem.to_lowercase().replace([' ', '_'], "-");
    if let [only] = graph.notes_with_stem(&normalized)[..] {
        return Some(only);
    }
    closest_in_dir(graph, &normalized, from_dir, reached)
}

/// The note of `dir` whose stem `stem` most likely meant; notes the linking note links to
/// rank first. Only the few stems the folder's index offers are ranked.
fn closest_in_dir(graph: &Graph, stem: &str, dir: &str, reached: &Reached) -> Option<NoteId> {
    let (notes, stems) = graph.stems_in_dir(dir)?;
    let candidates = stems.candidates(stem).into_iter().map(|pos| {
        let id = notes[pos];
        Candidate::new(graph.note(id).stem(), id).used(reached.notes.contains(&id))
    });
    suggest::closest(stem, candidates)
}
