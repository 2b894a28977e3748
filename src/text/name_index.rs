//! An index of names for did-you-mean: the few names [`suggest::closest`] could choose for a typo,
//! found without comparing the typo with every name, so that a broken link costs the same in a
//! folder of ten notes or of ten thousand.
//!
//! It finds a superset of the names `closest` finds close or related, and no ranking of its
//! own: the caller ranks just those with `closest`, in the order the names were given, which
//! gives the answer ranking all of them would (a test compares the two on random names).
//! A name is found when it is
//! - within the typo's edit budget: a walk of the names sorted by length and then by character,
//!   sharing the Damerau-Levenshtein rows of common prefixes and leaving a prefix once no row
//!   entry is within budget (the minimum of a row never decreases further down);
//! - a prefix of the typo: a binary search per prefix length;
//! - or sharing a segment with the typo: a map from each segment of four characters or more to
//!   the names that have it.
//!
//! Built once per set of names (a folder's notes, a pack's DCGM names) and dropped when it
//! changes; knows nothing of where the names come from.

use super::suggest::{self, MIN_SHARED_SEGMENT};
use std::collections::HashMap;

/// Where a transposition has no earlier occurrence to pair with: larger than any distance.
const FAR: u32 = u32::MAX / 4;

#[derive(Debug, Default)]
pub struct NameIndex {
    /// Every name's lowercased characters, back to back in the order of `entries`.
    chars: Vec<char>,
    /// The names sorted by (length in characters, characters), as (start in `chars`, position
    /// given).
    entries: Vec<(u32, u32)>,
    /// `lengths[len]..lengths[len + 1]` is the run of `entries` of `len` characters.
    lengths: Vec<u32>,
    /// Each segment of `MIN_SHARED_SEGMENT` characters or more to the positions of the names
    /// that have it, ascending.
    segments: HashMap<Box<str>, Vec<u32>>,
}

impl NameIndex {
    /// Indexes `names`; [`NameIndex::candidates`] answers with positions in this order.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> NameIndex {
        let mut lowered: Vec<(Vec<char>, u32)> = Vec::new();
        let mut segments: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        let mut lower = String::new();
        for (pos, name) in names.into_iter().enumerate() {
            let pos = pos as u32;
            suggest::lowercase_into(name, &mut lower);
            for segment in suggest::segments(&lower) {
                if segment.chars().count() >= MIN_SHARED_SEGMENT {
                    let positions = segments.entry(segment.into()).or_default();
                    if positions.last() != Some(&pos) {
                        positions.push(pos);
                    }
                }
            }
            lowered.push((lower.chars().collect(), pos));
        }
        lowered.sort_unstable_by(|(a, a_pos), (b, b_pos)| {
            (a.len(), a, a_pos).cmp(&(b.len(), b, b_pos))
        });
        let max_len = lowered.last().map_or(0, |(chars, _)| chars.len());
        let mut index = NameIndex {
            chars: Vec::with_capacity(lowered.iter().map(|(chars, _)| chars.len()).sum()),
            entries: Vec::with_capacity(lowered.len()),
            lengths: Vec::with_capacity(max_len + 2),
            segments,
        };
        for (chars, pos) in lowered {
            while index.lengths.len() <= chars.len() {
                index.lengths.push(index.entries.len() as u32);
            }
            index.entries.push((index.chars.len() as u32, pos));
            index.chars.extend(chars);
        }
        index.lengths.push(index.entries.len() as u32);
        index
    }

    /// The positions, ascending, of every name [`suggest::closest`] may find close to `typo`
    /// or related to it; perhaps a few more.
    pub fn candidates(&self, typo: &str) -> Vec<usize> {
        let typo_lower = typo.to_lowercase();
        let typo_chars: Vec<char> = typo_lower.chars().collect();
        let Some(max_edits) = suggest::max_edits(typo_chars.len()) else {
            return Vec::new();
        };
        let mut res: Vec<u32> = Vec::new();
        let mut walk = Walk::new(&typo_chars, max_edits as u32);
        let len_range = typo_chars.len().saturating_sub(max_edits)..=typo_chars.len() + max_edits;
        for len in len_range {
            walk.within_budget(self, len, &mut res);
        }
        let typo_segments: Vec<&str> = suggest::segments(&typo_lower).collect();
        if typo_segments.len() > 1 {
            // `closest` takes prefixes covering at least half of a compound typo.
            for len in typo_chars.len().div_ceil(2)..typo_chars.len() {
                let prefix = &typo_chars[..len];
                let names = self.names_of_len(len);
                let start = names.partition_point(|&(start, _)| self.name(start, len) < prefix);
                res.extend(
                    names[start..]
                        .iter()
                        .take_while(|&&(start, _)| self.name(start, len) == prefix)
                        .map(|&(_, pos)| pos),
                );
            }
        }
        for segment in suggest::longest_segments(&typo_segments) {
            res.extend(self.segments.get(segment).into_iter().flatten());
        }
        res.sort_unstable();
        res.dedup();
        res.into_iter().map(|pos| pos as usize).collect()
    }

    fn names_of_len(&self, len: usize) -> &[(u32, u32)] {
        match (self.lengths.get(len), self.lengths.get(len + 1)) {
            (Some(&start), Some(&end)) => &self.entries[start as usize..end as usize],
            _ => &[],
        }
    }

    fn name(&self, start: u32, len: usize) -> &[char] {
        &self.chars[start as usize..start as usize + len]
    }
}

/// The Damerau-Levenshtein rows (Lowrance and Wagner's, with unrestricted transpositions, the
/// distance `strsim::damerau_levenshtein` computes) of one name against the typo, a row per
/// character of the name, kept while the next name shares the prefix.
struct Walk<'t> {
    typo: &'t [char],
    max_edits: u32,
    /// Row `r` (the first `r - 1` characters of the name; rows 0 and 1 are the borders) at
    /// `r * (typo.len() + 2)`: entry `j + 1` is the distance to the typo's first `j` characters.
    rows: Vec<u32>,
    /// At `depth * typo.len() + j`: the last row in which the name's character equals the
    /// typo's `j`th, among its first `depth` characters (0 for none).
    last_rows: Vec<u32>,
    /// The name characters the rows are for.
    path: Vec<char>,
}

impl<'t> Walk<'t> {
    fn new(typo: &'t [char], max_edits: u32) -> Walk<'t> {
        let width = typo.len() + 2;
        let mut rows = vec![FAR; width];
        rows.push(FAR);
        rows.extend(0..=typo.len() as u32);
        Walk {
            typo,
            max_edits,
            rows,
            last_rows: vec![0; typo.len()],
            path: Vec::new(),
        }
    }

    /// Adds to `res` the position of every name of `len` characters within the edit budget.
    fn within_budget(&mut self, index: &NameIndex, len: usize, res: &mut Vec<u32>) {
        let names = index.names_of_len(len);
        let mut idx = 0;
        while let Some(&(start, pos)) = names.get(idx) {
            let name = index.name(start, len);
            let shared = self
                .path
                .iter()
                .zip(name)
                .take_while(|(a, b)| a == b)
                .count();
            self.truncate(shared);
            let mut pruned = false;
            while self.path.len() < len && !pruned {
                pruned = self.push(name[self.path.len()]) > self.max_edits;
            }
            if pruned {
                // No name that starts as this one did can be within budget.
                let depth = self.path.len();
                idx += 1 + names[idx + 1..]
                    .partition_point(|&(start, _)| index.name(start, depth) == &name[..depth]);
            } else {
                if self.distance() <= self.max_edits {
                    res.push(pos);
                }
                idx += 1;
            }
        }
    }

    fn width(&self) -> usize {
        self.typo.len() + 2
    }

    fn truncate(&mut self, depth: usize) {
        self.path.truncate(depth);
        let width = self.width();
        self.rows.truncate((depth + 2) * width);
        self.last_rows.truncate((depth + 1) * self.typo.len());
    }

    /// Adds the row of the name's next character `c`; returns the row's least entry.
    fn push(&mut self, c: char) -> u32 {
        let (width, m) = (self.width(), self.typo.len());
        // The name's first `i` characters, `c` the last; their row is `i + 1`.
        let i = self.path.len() + 1;
        let prev = i * width;
        let last_rows = (i - 1) * m;
        self.rows.push(FAR);
        self.rows.push(i as u32);
        let mut least = i as u32;
        // The last column in this row whose typo character equals `c`.
        let mut last_col = 0;
        for j in 1..=m {
            let k = self.last_rows[last_rows + j - 1] as usize;
            let equal = self.typo[j - 1] == c;
            let substitution = self.rows[prev + j] + u32::from(!equal);
            let insertion = self.rows[prev + j + 1] + 1;
            let deletion = self.rows[prev + width + j] + 1;
            let transposition = self.rows[k * width + last_col]
                + (i - k - 1) as u32
                + 1
                + (j - last_col - 1) as u32;
            if equal {
                last_col = j;
            }
            let entry = substitution.min(insertion).min(deletion).min(transposition);
            least = least.min(entry);
            self.rows.push(entry);
        }
        for j in 0..m {
            let row = if self.typo[j] == c {
                i as u32
            } else {
                self.last_rows[last_rows + j]
            };
            self.last_rows.push(row);
        }
        self.path.push(c);
        least
    }

    /// The distance of the whole name, all of whose rows are in.
    fn distance(&self) -> u32 {
        self.rows[self.rows.len() - 1]
    }
}
