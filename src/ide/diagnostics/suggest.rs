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
    // One buffer for the lowercased candidates: this runs over every sibling of a broken link.
    let mut lower = String::new();
    candidates
        .map(|c| (similarity(&wanted_lower, c, &mut lower), c))
        .filter(|(score, _)| *score >= MIN_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// `strsim::jaro_winkler(wanted_lower, &candidate.to_lowercase())`, computed on bytes (the same
/// thing, as every character is one byte) when both are ASCII.
fn similarity(wanted_lower: &str, candidate: &str, lower: &mut String) -> f64 {
    if !(wanted_lower.is_ascii() && candidate.is_ascii()) {
        return strsim::jaro_winkler(wanted_lower, &candidate.to_lowercase());
    }
    lower.clear();
    lower.push_str(candidate);
    lower.make_ascii_lowercase();
    jaro_winkler_bytes(wanted_lower.as_bytes(), lower.as_bytes())
}

/// Jaro-Winkler similarity of two byte strings: strsim's algorithm step for step (so the same
/// `f64`), with the match flags on the stack for short strings.
fn jaro_winkler_bytes(a: &[u8], b: &[u8]) -> f64 {
    let sim = jaro_bytes(a, b);
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

fn jaro_bytes(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    } else if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let search_range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut stack = [false; 128];
    let mut heap = Vec::new();
    let flags: &mut [bool] = if a.len() + b.len() <= stack.len() {
        &mut stack[..a.len() + b.len()]
    } else {
        heap.resize(a.len() + b.len(), false);
        &mut heap
    };
    let (a_flags, b_flags) = flags.split_at_mut(a.len());
    let mut matches = 0_usize;
    for (i, &x) in a.iter().enumerate() {
        let lo = i.saturating_sub(search_range);
        let hi = b.len().min(i + search_range + 1);
        for j in lo..hi {
            if x == b[j] && !b_flags[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0_usize;
    let mut b_matched = b
        .iter()
        .zip(b_flags.iter())
        .filter(|(_, &f)| f)
        .map(|(y, _)| y);
    for (x, _) in a.iter().zip(a_flags.iter()).filter(|(_, &f)| f) {
        if b_matched.next().is_some_and(|y| x != y) {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a.len() as f64)
        + (matches as f64 / b.len() as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
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

#[cfg(test)]
mod tests {
    use super::{closest, jaro_winkler_bytes};

    #[test]
    fn byte_jaro_winkler_equals_strsim() {
        // Deterministic pseudo-random ASCII strings over a small alphabet (so they share letters),
        // plus hand-picked edge cases.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut words: Vec<String> = ["", "a", "ab", "ba", "martha", "marhta", "dixon", "dicksonx"]
            .map(String::from)
            .to_vec();
        for _ in 0..400 {
            let len = (next() % 40) as usize;
            words.push(
                (0..len)
                    .map(|_| char::from(b"abcde-_xy"[(next() % 9) as usize]))
                    .collect(),
            );
        }
        words.push("x".repeat(100));
        words.push("xy".repeat(70));
        for a in &words {
            for b in words.iter().step_by(7) {
                assert_eq!(
                    jaro_winkler_bytes(a.as_bytes(), b.as_bytes()).to_bits(),
                    strsim::jaro_winkler(a, b).to_bits(),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn closest_ignores_case_and_handles_non_ascii() {
        assert_eq!(
            closest("Setup", ["setpu", "other"].into_iter()),
            Some("setpu")
        );
        assert_eq!(
            closest("größen", ["Grössen", "GRÖSSEN"].into_iter()),
            Some("GRÖSSEN")
        );
    }
}
