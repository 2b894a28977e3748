//! Did-you-mean: the closest existing anchor, label or note for a broken one.
//!
//! Candidates come from indexes, never from a scan of every note: a missing note is matched
//! against notes with the same file stem anywhere, then against the notes of its own folder.

use crate::graph::{file_stem, parent_dir, Graph, NoteId};

/// Below this similarity a candidate is no suggestion at all.
const MIN_SIMILARITY: f64 = 0.7;

/// The most similar of `candidates` to `wanted`, if any is similar enough.
pub(super) fn closest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= MIN_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The note a link to the missing `path` most likely meant.
pub(super) fn closest_note(graph: &Graph, path: &str) -> Option<NoteId> {
    let stem = file_stem(path);
    if let [only] = graph.notes_with_stem(stem) {
        return Some(*only);
    }
    let dir = parent_dir(path);
    let siblings = graph.notes_in_dir(dir);
    let names = siblings.iter().map(|id| graph.note(*id).stem());
    let best = closest(stem, names)?;
    siblings
        .iter()
        .copied()
        .find(|id| graph.note(*id).stem() == best)
}

/// The note a wiki-link to the missing `stem` most likely meant: the same stem ignoring case and
/// separators, else the closest stem among the notes of the linking note's folder.
pub(super) fn closest_stem(graph: &Graph, stem: &str, from_dir: &str) -> Option<NoteId> {
    let normalized = stem.to_lowercase().replace([' ', '_'], "-");
    if let [only] = graph.notes_with_stem(&normalized) {
        return Some(*only);
    }
    let candidates = graph.notes_in_dir(from_dir);
    let names = candidates.iter().map(|id| graph.note(*id).stem());
    let best = closest(&normalized, names)?;
    candidates
        .iter()
        .copied()
        .find(|id| graph.note(*id).stem() == best)
}
