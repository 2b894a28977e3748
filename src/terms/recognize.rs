//! Finding terms in a note's text: `DCGM_FI_*` identifiers anywhere, and the terms the corpus
//! defines (plus user pack terms) where prose mentions them.
//!
//! [`TermIndex`] is the corpus-level part: every note's definitions by name, and one
//! Aho-Corasick automaton over all term names and aliases. Updating one note's definitions
//! touches only that note's entries; the automaton is rebuilt, lazily, only when the set of
//! names changes. Knows nothing about LSP or the file system: notes are named by the caller's
//! paths, positions are byte offsets.

use super::extract::TermDef;
use super::packs::Packs;
use crate::collections::SharedMap;
use crate::syntax::NoteSyntax;
use crate::text::{RangeList, StoredText, TextRange};
use aho_corasick::{AhoCorasick, MatchKind};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// A `DCGM_FI_*` identifier in a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DcgmMention {
    pub range: TextRange,
    /// A prefix or pattern rather than one name: it ends with `_` or is followed by `*`, `<`,
    /// `{` or `…` (`DCGM_FI_PROF_*`), so it is not checked against the pack.
    pub partial: bool,
}

const DCGM_PREFIX: &[u8] = b"DCGM_FI_";

/// Every `DCGM_FI_*` identifier in `text`: prose, code spans, tables, code blocks and front matter.
pub fn dcgm_mentions(text: &str) -> Vec<DcgmMention> {
    let bytes = text.as_bytes();
    let mut res = Vec::new();
    for start in memchr::memmem::find_iter(bytes, DCGM_PREFIX) {
        if start > 0 && is_word_byte(bytes[start - 1]) {
            continue;
        }
        let mut end = start + DCGM_PREFIX.len();
        while end < bytes.len()
            && (bytes[end].is_ascii_uppercase()
                || bytes[end].is_ascii_digit()
                || bytes[end] == b'_')
        {
            end += 1;
        }
        // `DCGM_FI_Dev...` is not an identifier of this shape.
        if end < bytes.len() && bytes[end].is_ascii_lowercase() {
            continue;
        }
        let next = &text[end..];
        let partial = bytes[end - 1] == b'_'
            || next.starts_with(['*', '<', '{', '…', '$'])
            || next.starts_with("...");
        res.push(DcgmMention {
            range: TextRange::new(start, end),
            partial,
        });
    }
    res
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Identifies a term name in a [`TermIndex`] for one generation of its automaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub u32);

/// A term mentioned in a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    pub term: TermId,
    pub range: TextRange,
}

/// Where a definition lives: the caller's note path, its text and the definition.
#[derive(Clone, Copy, Debug)]
pub struct DefSite<'a> {
    pub path: &'a str,
    /// The note's text, which the definition's ranges are in: read with [`DefSite::text`].
    stored: &'a StoredText,
    pub def: &'a TermDef,
}

impl<'a> DefSite<'a> {
    /// The note's text (read back when packed: a caller using it often reads it once).
    pub fn text(&self) -> Cow<'a, str> {
        self.stored.read()
    }

    /// The definition as written (Markdown kept, blanks collapsed).
    pub fn definition(&self) -> String {
        self.def.definition(&self.text()).into_owned()
    }

    /// The term as written.
    pub fn term(&self) -> String {
        self.def.term(&self.text()).to_string()
    }
}

/// One note's definitions, with its path and text (shared with the note, not copied).
#[derive(Clone, Debug)]
struct NoteDefs {
    path: Arc<str>,
    text: StoredText,
    defs: Vec<TermDef>,
}

/// All term definitions of the corpus, by name, and the automaton that finds their mentions.
#[derive(Clone, Debug, Default)]
pub struct TermIndex {
    /// Each note's definitions; a removed note leaves a free slot. Shared, so that a copy of the
    /// index (the graph is copied on an edit while a request still reads it) copies no
    /// definitions.
    notes: Vec<Option<Arc<NoteDefs>>>,
    by_path: SharedMap<Arc<str>, u32>,
    free_slots: Vec<u32>,
    /// Lowercased name or alias to its definitions, as (note slot, definition index).
    by_name: SharedMap<String, Vec<(u32, u32)>>,
    /// Names recognized in prose (as written), with how many definitions give each.
    patterns: SharedMap<String, u32>,
    /// Pack term names and aliases, recognized like note terms.
    pack_names: Vec<String>,
    matcher: OnceLock<Arc<Matcher>>,
    generation: u64,
}

/// Built from every recognized name; sized for a corpus whose headings make hundreds of thousands
/// of names: each name is held once per role, in sorted lists searched by bisection rather than
/// hash maps.
#[derive(Debug)]
struct Matcher {
    /// One automaton over every pattern, in the order of `lowered`.
    automaton: Option<AhoCorasick>,
    /// The patterns: the ASCII-lowercased names, sorted and each once, so that a pattern's index
    /// is its position here (looked up for the shorter names inside a rejected match).
    lowered: PackedNames,
    /// The terms each pattern stands for, pattern after pattern (pattern `idx`'s end at
    /// `pattern_ends[idx]`), each with the exact spelling a match must have when case matters.
    pattern_terms: Vec<(TermId, Option<Box<str>>)>,
    pattern_ends: Vec<u32>,
    /// Term id to its lowercased name: sorted, so an id is a name's position.
    keys: PackedNames,
}

/// Sorted, distinct strings in one buffer, found by bisection: no allocation or pointer per
/// string, a fraction of what a `Vec<Box<str>>` of as many names takes.
#[derive(Debug, Default)]
struct PackedNames {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
}

impl PackedNames {
    /// Appends `name`, which must sort after every string already held.
    fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends.push(self.text.len() as u32);
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn get(&self, idx: usize) -> Option<&str> {
        let end = *self.ends.get(idx)? as usize;
        let start = match idx {
            0 => 0,
            idx => self.ends[idx - 1] as usize,
        };
        self.text.get(start..end)
    }

    fn last(&self) -> Option<&str> {
        self.get(self.len().checked_sub(1)?)
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|idx| self.get(idx))
    }

    fn position(&self, name: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.get(mid)?.cmp(name) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl Matcher {
    /// The term that pattern `idx` matched at `start..end` of `text` stands for, if the match is
    /// a whole word and has the case its name needs.
    fn accept(&self, text: &str, start: usize, end: usize, idx: usize) -> Option<TermId> {
        if !is_whole_word(text, start, end) {
            return None;
        }
        let found = &text[start..end];
        let from = match idx {
            0 => 0,
            idx => *self.pattern_ends.get(idx - 1)? as usize,
        };
        let to = *self.pattern_ends.get(idx)? as usize;
        self.pattern_terms[from..to]
            .iter()
            .find(|(_, exact)| exact.as_deref().is_none_or(|exact| exact == found))
            .map(|(term, _)| *term)
    }

    /// The pattern that is exactly `lowered`.
    fn pattern_of(&self, lowered: &str) -> Option<usize> {
        self.lowered.position(lowered)
    }

    /// The term whose lowercased name is `key`.
    fn term_of(&self, key: &str) -> Option<TermId> {
        Some(TermId(self.keys.position(key)? as u32))
    }
}

impl TermIndex {
    pub fn new() -> TermIndex {
        TermIndex::default()
    }

    /// Builds the index of all `notes` (path, text, definitions).
    pub fn build(
        notes: impl IntoIterator<Item = (String, StoredText, Vec<TermDef>)>,
        packs: &Packs,
    ) -> TermIndex {
        let mut res = TermIndex::new();
        res.set_packs(packs);
        for (path, stored, defs) in notes {
            let read = stored.clone();
            res.update_note(&path, stored, &read.read(), defs);
        }
        // Most names have one or two definitions; the lists grew by doubling.
        for entries in res.by_name.values_mut() {
            entries.shrink_to_fit();
        }
        res
    }

    /// Replaces the definitions of the note at `path` (an empty list removes it). The automaton
    /// is rebuilt (and the generation bumped) only when the set of recognized names changes, so
    /// re-saving a note with the same names keeps every cached mention valid. `text` is what
    /// `stored` holds, which the caller has read back already to extract `defs`.
    pub fn update_note(&mut self, path: &str, stored: StoredText, text: &str, defs: Vec<TermDef>) {
        let mut changed = false;
        let mut dropped: Vec<String> = Vec::new();
        let slot = match self.by_path.get(path) {
            Some(&slot) => {
                dropped = self.unindex(slot);
                slot
            }
            None if defs.is_empty() => return,
            None => {
                let path: Arc<str> = Arc::from(path);
                let slot = match self.free_slots.pop() {
                    Some(slot) => slot,
                    None => {
                        self.notes.push(None);
                        (self.notes.len() - 1) as u32
                    }
                };
                self.by_path.insert(path.clone(), slot);
                self.notes[slot as usize] = Some(Arc::new(NoteDefs {
                    path,
                    text: stored.clone(),
                    defs: Vec::new(),
                }));
                slot
            }
        };
        if defs.is_empty() {
            if let Some(note) = self.notes[slot as usize].take() {
                self.by_path.remove(&note.path);
                self.free_slots.push(slot);
            }
        } else {
            for (def_idx, def) in defs.iter().enumerate() {
                for key in lower_names(def, text) {
                    let entries = self.by_name.entry(key).or_default();
                    if entries.last() != Some(&(slot, def_idx as u32)) {
                        entries.push((slot, def_idx as u32));
                    }
                }
                for pattern in mention_names(def, text) {
                    match self.patterns.get_mut(pattern) {
                        Some(count) => *count += 1,
                        None => {
                            self.patterns.insert(pattern.to_string(), 1);
                            changed = true;
                        }
                    }
                }
            }
            if let Some(note) = &mut self.notes[slot as usize] {
                *note = Arc::new(NoteDefs {
                    path: note.path.clone(),
                    text: stored,
                    defs,
                });
            }
        }
        // Names the old definitions held alone are gone unless the new ones brought them back.
        for pattern in dropped {
            if self.patterns.get(&pattern) == Some(&0) {
                self.patterns.remove(&pattern);
                changed = true;
            }
        }
        if changed {
            self.invalidate();
        }
    }

    /// Drops the name entries of the note in `slot`; returns the recognized names whose count
    /// fell to zero (left in place at zero for the caller to settle).
    fn unindex(&mut self, slot: u32) -> Vec<String> {
        let Some(note) = self.notes[slot as usize].clone() else {
            return Vec::new();
        };
        let defs = &note.defs;
        let text = note.text.read();
        let mut dropped = Vec::new();
        for def in defs {
            for key in lower_names(def, &text) {
                if let Some(entries) = self.by_name.get_mut(&key) {
                    entries.retain(|(s, _)| *s != slot);
                    if entries.is_empty() {
                        self.by_name.remove(&key);
                    }
                }
            }
            for pattern in mention_names(def, &text) {
                if let Some(count) = self.patterns.get_mut(pattern) {
                    *count -= 1;
                    if *count == 0 {
                        dropped.push(pattern.to_string());
                    }
                }
            }
        }
        dropped
    }

    pub fn remove_note(&mut self, path: &str) {
        self.update_note(path, StoredText::Plain(Arc::from("")), "", Vec::new());
    }

    /// Makes the generic terms of `packs` recognized in prose too.
    pub fn set_packs(&mut self, packs: &Packs) {
        let mut names: Vec<String> = packs
            .packs()
            .iter()
            .flat_map(|pack| pack.terms.iter())
            .flat_map(|term| std::iter::once(&term.name).chain(&term.aliases))
            .filter(|name| is_mention_name(name))
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        if names != self.pack_names {
            self.pack_names = names;
            self.invalidate();
        }
    }

    fn invalidate(&mut self) {
        self.matcher = OnceLock::new();
        self.generation += 1;
    }

    /// Changes whenever term ids may have changed; mentions cached under another generation are stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The definitions of `name` (a term or an alias, any case), by note path then position.
    pub fn definitions(&self, name: &str) -> Vec<DefSite<'_>> {
        let mut res: Vec<DefSite<'_>> = self
            .by_name
            .get(&name.to_lowercase())
            .into_iter()
            .flatten()
            .filter_map(|&(slot, def_idx)| {
                let note = self.notes.get(slot as usize)?.as_ref()?;
                Some(DefSite {
                    path: &note.path,
                    stored: &note.text,
                    def: note.defs.get(def_idx as usize)?,
                })
            })
            .collect();
        res.sort_by(|a, b| (a.path, a.def.range.start).cmp(&(b.path, b.def.range.start)));
        res
    }

    /// How many notes define `name`.
    pub fn n_defining_notes(&self, name: &str) -> usize {
        let mut slots: Vec<u32> = self
            .by_name
            .get(&name.to_lowercase())
            .into_iter()
            .flatten()
            .map(|(slot, _)| *slot)
            .collect();
        slots.sort_unstable();
        slots.dedup();
        slots.len()
    }

    /// Every definition of the corpus, by note path then position.
    pub fn all_definitions(&self) -> Vec<DefSite<'_>> {
        let mut notes: Vec<&NoteDefs> = self.notes.iter().flatten().map(|note| &**note).collect();
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        notes
            .iter()
            .flat_map(|note| {
                note.defs.iter().map(move |def| DefSite {
                    path: &note.path,
                    stored: &note.text,
                    def,
                })
            })
            .collect()
    }

    /// The lowercased name a term id stands for.
    pub fn term_key(&self, id: TermId) -> &str {
        self.matcher().keys.get(id.0 as usize).unwrap_or_default()
    }

    /// The id of a name, if notes or packs define it and it is recognized in prose.
    pub fn term_id(&self, name: &str) -> Option<TermId> {
        self.matcher().term_of(&name.to_lowercase())
    }

    fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| Arc::new(self.build_matcher()))
    }

    fn build_matcher(&self) -> Matcher {
        let mut names: Vec<&str> = self
            .patterns
            .keys()
            .map(String::as_str)
            .chain(self.pack_names.iter().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut lowercased: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        lowercased.sort_unstable();
        lowercased.dedup();
        let mut keys = PackedNames::default();
        for key in lowercased {
            keys.push(&key);
        }
        keys.shrink_to_fit();
        // Names of several words, or that start in lowercase, are matched ignoring ASCII case
        // (`error budget` for `Error Budget`, `Kubelet` at the start of a sentence). A single
        // capitalized word (`Storage`, `GPU`) keeps its case, or every `storage` would be a mention.
        // Patterns are ASCII-lowercased names (searched in the lowercased text); each keeps the
        // names it stands for, in name order, and, for those that keep their case, the exact
        // spelling.
        let mut by_pattern: Vec<(String, &str)> = names
            .iter()
            .map(|name| (name.to_ascii_lowercase(), *name))
            .collect();
        // Stable: names with the same pattern stay in name order.
        by_pattern.sort_by(|a, b| a.0.cmp(&b.0));
        let mut lowered = PackedNames::default();
        let mut pattern_terms = Vec::with_capacity(by_pattern.len());
        let mut pattern_ends: Vec<u32> = Vec::new();
        for (lower, name) in by_pattern {
            if lowered.last() != Some(lower.as_str()) {
                if !lowered.is_empty() {
                    pattern_ends.push(pattern_terms.len() as u32);
                }
                lowered.push(&lower);
            }
            let id = TermId(
                keys.position(&name.to_lowercase())
                    .expect("every name has a key") as u32,
            );
            let ignore_case =
                name.contains(char::is_whitespace) || name.starts_with(|c: char| c.is_lowercase());
            pattern_terms.push((id, (!ignore_case).then(|| name.into())));
        }
        if !lowered.is_empty() {
            pattern_ends.push(pattern_terms.len() as u32);
        }
        lowered.shrink_to_fit();
        // One automaton for all names: searching once is what makes recognition cheap.
        let automaton = if lowered.is_empty() {
            None
        } else {
            // Leftmost-longest finds each mention with one forward search, much faster than
            // reporting every overlapping match; a rejected match falls back to shorter names.
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(lowered.iter())
                .ok()
        };
        Matcher {
            automaton,
            lowered,
            pattern_terms,
            pattern_ends,
            keys,
        }
    }

    /// The terms mentioned in a note's prose (whole words, longest first where mentions overlap),
    /// and code spans that hold exactly a term name, in document order.
    pub fn mentions(&self, text: &str, syntax: &NoteSyntax) -> Vec<Mention> {
        self.find_mentions(text, &merged_runs(&syntax.text_runs), &syntax.code_spans)
    }

    /// The mention under the cursor at `offset`, reading only the text around it.
    pub fn mention_at(&self, text: &str, syntax: &NoteSyntax, offset: usize) -> Option<Mention> {
        let runs: Vec<TextRange> = merged_runs(&syntax.text_runs)
            .into_iter()
            .filter(|r| r.touches(offset))
            .collect();
        let spans: Vec<TextRange> = syntax
            .code_spans
            .iter()
            .copied()
            .filter(|r| r.touches(offset))
            .collect();
        self.find_mentions(text, &runs, &spans)
            .into_iter()
            .find(|m| m.range.touches(offset))
    }

    fn find_mentions(
        &self,
        text: &str,
        runs: &[TextRange],
        code_spans: &[TextRange],
    ) -> Vec<Mention> {
        let matcher = self.matcher();
        let mut res = Vec::new();
        // Lowercasing ASCII keeps every byte offset, so matches in `lower` are ranges of `text`.
        let lower = if runs.is_empty() || matcher.automaton.is_none() {
            String::new()
        } else {
            text.to_ascii_lowercase()
        };
        for &run in runs {
            let Some(run_text) = lower.get(run.as_usize()) else {
                continue;
            };
            let mut candidates: Vec<(usize, usize, TermId)> = Vec::new();
            if let Some(automaton) = &matcher.automaton {
                let mut input = aho_corasick::Input::new(run_text);
                while input.start() < run_text.len() {
                    let Some(m) = automaton.find(input.clone()) else {
                        break;
                    };
                    let start = run.start as usize + m.start();
                    let end = run.start as usize + m.end();
                    match matcher.accept(text, start, end, m.pattern().as_usize()) {
                        Some(term) => {
                            candidates.push((start, end, term));
                            input.set_start(m.end());
                        }
                        None => {
                            // The longest name here is not a whole word (`GPU Util` in `GPU
                            // Utilization`); a shorter one starting at the same place may be. It
                            // cannot end inside a word, which rules out most places to cut.
                            let shorter = (m.start() + 1..m.end())
                                .rev()
                                .filter(|&cut| {
                                    run_text.is_char_boundary(cut)
                                        && !is_inside_word(text, run.start as usize + cut)
                                })
                                .find_map(|cut| {
                                    let idx = matcher.pattern_of(&run_text[m.start()..cut])?;
                                    Some((
                                        cut,
                                        matcher.accept(
                                            text,
                                            start,
                                            run.start as usize + cut,
                                            idx,
                                        )?,
                                    ))
                                });
                            match shorter {
                                Some((cut, term)) => {
                                    candidates.push((start, run.start as usize + cut, term));
                                    input.set_start(cut);
                                }
                                None => input.set_start(m.start() + 1),
                            }
                        }
                    }
                }
            }
            candidates.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
            let mut covered = 0;
            for (start, end, term) in candidates {
                if start >= covered {
                    res.push(Mention {
                        term,
                        range: TextRange::new(start, end),
                    });
                    covered = end;
                }
            }
        }
        for span in code_spans {
            let Some(raw) = text.get(span.as_usize()) else {
                continue;
            };
            let inner = raw.trim_matches('`');
            let trimmed = inner.trim();
            if let Some(term) = matcher.term_of(&trimmed.to_lowercase()) {
                let start = span.start as usize + raw.find(trimmed).unwrap_or(0);
                res.push(Mention {
                    term,
                    range: TextRange::new(start, start + trimmed.len()),
                });
            }
        }
        res.sort_by_key(|m| m.range.start);
        res
    }
}

/// The lowercased term and aliases of a definition in `text`.
fn lower_names<'a>(def: &'a TermDef, text: &'a str) -> impl Iterator<Item = String> + 'a {
    def.names(text).map(str::to_lowercase)
}

/// The names of a definition in `text` that are looked for in prose.
fn mention_names<'a>(def: &'a TermDef, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    def.names(text).filter(|name| is_mention_name(name))
}

/// Names too short or without letters (`A`, `15`, `5 bits`) would match everywhere.
fn is_mention_name(name: &str) -> bool {
    let n_letters = name.chars().filter(|c| c.is_alphabetic()).count();
    name.chars().count() >= 2
        && name.len() <= 80
        && n_letters >= 2
        && !name.starts_with(char::is_whitespace)
}

/// A match is a whole word when the characters around it are not letters, digits or `_` (a name
/// that starts or ends with punctuation, like `/proc` or `fork()`, needs no boundary there).
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let matched = &text[start..end];
    let before_ok = !matched.starts_with(is_word) || !text[..start].ends_with(is_word);
    let after_ok = !matched.ends_with(is_word) || !text[end..].starts_with(is_word);
    before_ok && after_ok
}

/// Whether the characters on both sides of byte `at` are letters, digits or `_`: no whole word
/// ends there.
fn is_inside_word(text: &str, at: usize) -> bool {
    text[..at].ends_with(is_word) && text[at..].starts_with(is_word)
}

/// Letters, digits and `_`, in any script.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Text runs that touch are one run (the parser may split a sentence at entities or escapes).
fn merged_runs(runs: &RangeList) -> Vec<TextRange> {
    let mut res: Vec<TextRange> = Vec::with_capacity(runs.len());
    for run in runs.iter() {
        match res.last_mut() {
            Some(last) if last.end == run.start => last.end = run.end,
            _ => res.push(run),
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ParseOptions};
    use crate::terms::extract::extract;
    use expect_test::{expect, Expect};

    fn index_of(notes: &[(&str, &str)]) -> TermIndex {
        TermIndex::build(
            notes.iter().map(|(path, text)| {
                (
                    path.to_string(),
                    (*text).into(),
                    extract(text, &parse(text, &ParseOptions::default())),
                )
            }),
            &Packs::empty(),
        )
    }

    fn check_mentions(index: &TermIndex, text: &str, expect: Expect) {
        let syntax = parse(text, &ParseOptions::default());
        let res: Vec<String> = index
            .mentions(text, &syntax)
            .iter()
            .map(|m| {
                format!(
                    "{:?} -> {}",
                    &text[m.range.as_usize()],
                    index.term_key(m.term)
                )
            })
            .collect();
        expect.assert_eq(&res.join("\n"));
    }

    #[test]
    fn dcgm_identifiers_everywhere() {
        let text = "Use `DCGM_FI_DEV_GPU_UTIL` or DCGM_FI_PROF_* and MY_DCGM_FI_X, DCGM_FI_DEV_NVLINK_<n>,\n```\nDCGM_FI_PROF_SM_ACTIVE\n```\nDCGM_FI_Dev and DCGM_FI_PROF_PCIE_TX_BYTES.";
        let res: Vec<String> = dcgm_mentions(text)
            .iter()
            .map(|m| {
                format!(
                    "{}{}",
                    &text[m.range.as_usize()],
                    if m.partial { " (partial)" } else { "" }
                )
            })
            .collect();
        expect![[r#"
            [
                "DCGM_FI_DEV_GPU_UTIL",
                "DCGM_FI_PROF_ (partial)",
                "DCGM_FI_DEV_NVLINK_ (partial)",
                "DCGM_FI_PROF_SM_ACTIVE",
                "DCGM_FI_PROF_PCIE_TX_BYTES",
            ]
        "#]]
        .assert_debug_eq(&res);
    }

    #[test]
    fn mentions_are_whole_words_in_prose() {
        let index = index_of(&[(
            "k8s.md",
            "### kube-apiserver\n\nThe front end of the control plane.\n\n- **Error Budget**: What may fail.\n- **Storage**: Where data lives.\n- SIGTERM (15): Polite stop.\n- **GPU**: A chip.\n- **GPU Util**: Busy time.\n",
        )]);
        check_mentions(
            &index,
            "The kube-apiserver talks to etcd; error budget and Error Budget; storage vs Storage.\nGPU Utilization, GPU Util, GPUs, SIGTERM, 15, `kube-apiserver`, `kube-apiserver --help`.\n```\nkube-apiserver in code\n```\n",
            expect![[r#"
                "kube-apiserver" -> kube-apiserver
                "error budget" -> error budget
                "Error Budget" -> error budget
                "Storage" -> storage
                "GPU" -> gpu
                "GPU Util" -> gpu util
                "SIGTERM" -> sigterm
                "kube-apiserver" -> kube-apiserver"#]],
        );
    }

    #[test]
    fn a_rejected_longest_name_falls_back_to_a_shorter_one() {
        let index = index_of(&[(
            "a.md",
            "- **GPU**: A chip.\n- **GPU Util**: Busy time.\n- **Node**: A machine.\n",
        )]);
        check_mentions(
            &index,
            "GPU Utilization on a NodeJS Node.\n",
            expect![[r#"
                "GPU" -> gpu
                "Node" -> node"#]],
        );
    }

    /// Re-saving the only note that defines a name, with the same names, is not a new set of
    /// names: the automaton and every cached mention stay valid. Dropping the name is a change.
    #[test]
    fn the_sole_definer_saved_again_keeps_the_generation() {
        let text = "- **Xid**: an error report.\n";
        let mut index = index_of(&[("gpu.md", text)]);
        let generation = index.generation();
        index.update_note(
            "gpu.md",
            text.into(),
            text,
            extract(text, &parse(text, &ParseOptions::default())),
        );
        assert_eq!(index.generation(), generation);
        check_mentions(&index, "An Xid.", expect![[r#""Xid" -> xid"#]]);
        let text = "- **Other**: something else.\n";
        index.update_note(
            "gpu.md",
            text.into(),
            text,
            extract(text, &parse(text, &ParseOptions::default())),
        );
        assert_ne!(index.generation(), generation);
        check_mentions(&index, "An Xid.", expect![[""]]);
    }

    #[test]
    fn definitions_in_stable_order_and_incremental_updates() {
        let mut index = index_of(&[
            ("b.md", "- **Pod**: Smallest unit.\n"),
            ("a.md", "- **Pod**: A group of containers.\n"),
        ]);
        let render = |index: &TermIndex| -> Vec<String> {
            index
                .definitions("pod")
                .iter()
                .map(|d| format!("{}: {}", d.path, d.definition()))
                .collect()
        };
        assert_eq!(
            render(&index),
            ["a.md: A group of containers.", "b.md: Smallest unit."]
        );
        let generation = index.generation();
        // Same names: the automaton stays.
        let text = "- **Pod**: Changed.\n";
        index.update_note(
            "b.md",
            text.into(),
            text,
            extract(text, &parse(text, &ParseOptions::default())),
        );
        assert_eq!(index.generation(), generation);
        assert_eq!(
            render(&index),
            ["a.md: A group of containers.", "b.md: Changed."]
        );
        // A new name: rebuilt, and the new term is found.
        let text = "- **Pod**: Changed.\n- **Node**: A machine.\n";
        index.update_note(
            "b.md",
            text.into(),
            text,
            extract(text, &parse(text, &ParseOptions::default())),
        );
        assert_ne!(index.generation(), generation);
        check_mentions(
            &index,
            "A Pod on a Node.",
            expect![[r#"
            "Pod" -> pod
            "Node" -> node"#]],
        );
        index.remove_note("a.md");
        index.remove_note("b.md");
        assert!(index.definitions("pod").is_empty());
        check_mentions(&index, "A Pod on a Node.", expect![[""]]);
    }
}
