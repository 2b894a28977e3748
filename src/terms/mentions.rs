//! Every mention of every term across the corpus: DCGM names, kubectl commands and flags, and the
//! terms the notes define. Built in parallel in one pass; serves "mentioned in N notes" and
//! find-references on a term.

use super::{
    dcgm_mentions, note_invocations, FlagScope, Packs, TermAt, TermAtKind, TermId, TermIndex,
};
use crate::syntax::NoteSyntax;
use crate::text::TextRange;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// How many notes [`MentionIndex::build`] reads before adding their mentions.
const BUILD_CHUNK: usize = 4096;

#[derive(Clone, Debug, Default)]
pub struct MentionIndex {
    /// The key of a DCGM name, kubectl command or flag (see [`MentionKey::Other`]) to its slot in
    /// `by_key`.
    key_ids: HashMap<Box<str>, u32>,
    /// Per key: (note id, range), sorted.
    /// Each list behind its own `Arc`: a copy of the index (the graph is copied on an edit while a
    /// request still reads it) shares every list, and an edit copies only those it changes.
    by_key: Vec<Arc<Vec<(u32, TextRange)>>>,
    /// Per note id: the keys it mentions, so a changed note's entries are found without a scan.
    by_note: Vec<Arc<[u32]>>,
    /// Per note term (by id, for the term index's generation the index is built for): its slot
    /// in `by_key`, `u32::MAX` until it is mentioned. Terms are found by id, not by a key
    /// string: a corpus can define hundreds of thousands.
    term_slots: Vec<u32>,
}

/// What a mention is of, as [`MentionIndex`] looks it up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MentionKey {
    /// A term the notes or the packs define, by its lowercased name.
    Term(String),
    /// A DCGM name (`dcgm:NAME`), kubectl command (`cmd:kubectl get`) or flag
    /// (`flag:kubectl get --output`).
    Other(String),
}

/// A mention's key as a note yields it: a note term by its id (most mentions, and no string to
/// make for each), or the key's text.
enum Key {
    Term(TermId),
    Text(String),
}

impl MentionIndex {
    /// Builds the index over `notes`, `read` giving each one's id, text and syntax. The notes'
    /// mentions are found in parallel a few thousand notes at a time and added in order, so the
    /// mentions waiting to be added are one chunk's, not the whole corpus's.
    pub fn build<'a, N: Sync>(
        notes: &'a [N],
        read: impl Fn(&'a N) -> (u32, Cow<'a, str>, &'a NoteSyntax) + Sync,
        packs: &Packs,
        terms: &TermIndex,
    ) -> MentionIndex {
        let mut index = MentionIndex::default();
        for chunk in notes.chunks(BUILD_CHUNK) {
            let per_note: Vec<(u32, Vec<(Key, TextRange)>)> = chunk
                .par_iter()
                .map(|note| {
                    let (id, text, syntax) = read(note);
                    (id, note_mentions(&text, syntax, packs, terms))
                })
                .collect();
            for (id, mentions) in per_note {
                index.add(id, mentions, Order::Append);
            }
        }
        for mentions in &mut index.by_key {
            let mentions = Arc::make_mut(mentions);
            mentions.sort();
            mentions.shrink_to_fit();
        }
        index
    }

    /// Brings the entries of note `id` up to date with its new `text`. Exact as long as the set of
    /// recognized names did not change (the term index's generation); otherwise rebuild.
    pub fn update_note(
        &mut self,
        id: u32,
        text: &str,
        syntax: &NoteSyntax,
        packs: &Packs,
        terms: &TermIndex,
    ) {
        self.remove_note(id);
        self.add(id, note_mentions(text, syntax, packs, terms), Order::Keep);
    }

    pub fn remove_note(&mut self, id: u32) {
        let Some(keys) = self.by_note.get_mut(id as usize) else {
            return;
        };
        for key in std::mem::take(keys).iter() {
            let mentions = Arc::make_mut(&mut self.by_key[*key as usize]);
            let start = mentions.partition_point(|(note, _)| *note < id);
            let end = mentions.partition_point(|(note, _)| *note <= id);
            mentions.drain(start..end);
        }
    }

    /// Adds note `id`'s mentions and records the keys they went under.
    fn add(&mut self, id: u32, mentions: Vec<(Key, TextRange)>, order: Order) {
        let mut keys = Vec::new();
        for (key, range) in mentions {
            let slot = match key {
                Key::Term(term) => {
                    let at = term.0 as usize;
                    if self.term_slots.len() <= at {
                        self.term_slots.resize(at + 1, u32::MAX);
                    }
                    if self.term_slots[at] == u32::MAX {
                        self.term_slots[at] = self.by_key.len() as u32;
                        self.by_key.push(Arc::default());
                    }
                    self.term_slots[at]
                }
                Key::Text(key) => self.slot(key),
            };
            let entries = Arc::make_mut(&mut self.by_key[slot as usize]);
            match order {
                Order::Append => entries.push((id, range)),
                Order::Keep => {
                    let at = entries.partition_point(|entry| *entry < (id, range));
                    entries.insert(at, (id, range));
                }
            }
            keys.push(slot);
        }
        keys.sort_unstable();
        keys.dedup();
        if self.by_note.len() <= id as usize {
            self.by_note.resize(id as usize + 1, Arc::default());
        }
        self.by_note[id as usize] = keys.into();
    }

    /// The slot of `key` in `by_key`, made if it has none.
    fn slot(&mut self, key: String) -> u32 {
        match self.key_ids.get(key.as_str()) {
            Some(&slot) => slot,
            None => {
                let slot = self.by_key.len() as u32;
                self.key_ids.insert(key.into(), slot);
                self.by_key.push(Arc::default());
                slot
            }
        }
    }

    /// Every mention of the term with `key`; `terms` is the term index this was built with.
    pub fn mentions(&self, key: &MentionKey, terms: &TermIndex) -> &[(u32, TextRange)] {
        let slot = match key {
            MentionKey::Term(name) => terms
                .term_id(name)
                .and_then(|id| self.term_slots.get(id.0 as usize)),
            MentionKey::Other(key) => self.key_ids.get(key.as_str()),
        };
        slot.and_then(|&slot| self.by_key.get(slot as usize))
            .map_or(&[], |mentions| mentions.as_slice())
    }

    /// How many notes mention the term with `key`.
    pub fn note_count(&self, key: &MentionKey, terms: &TermIndex) -> usize {
        // Sorted by note: one run per note.
        self.mentions(key, terms)
            .chunk_by(|a, b| a.0 == b.0)
            .count()
    }

    /// Every key with at least one mention (`term:NAME` for a term), with its mentions, in key
    /// order; `terms` is the term index this was built with.
    #[cfg(test)]
    pub fn entries<'a>(&'a self, terms: &'a TermIndex) -> Vec<(String, &'a [(u32, TextRange)])> {
        let others = self
            .key_ids
            .iter()
            .map(|(key, &slot)| (key.to_string(), slot));
        let term_keys = self
            .term_slots
            .iter()
            .enumerate()
            .filter(|(_, &slot)| slot != u32::MAX)
            .map(|(id, &slot)| (format!("term:{}", terms.term_key(TermId(id as u32))), slot));
        let mut res: Vec<(String, &[(u32, TextRange)])> = others
            .chain(term_keys)
            .map(|(key, slot)| (key, self.by_key[slot as usize].as_slice()))
            .filter(|(_, mentions)| !mentions.is_empty())
            .collect();
        res.sort();
        res
    }
}

/// How [`MentionIndex::add`] places new entries: appended (the caller sorts every list once) or
/// inserted where they keep each list sorted.
enum Order {
    Append,
    Keep,
}

fn note_mentions(
    text: &str,
    syntax: &NoteSyntax,
    packs: &Packs,
    terms: &TermIndex,
) -> Vec<(Key, TextRange)> {
    let mut res = Vec::new();
    for mention in dcgm_mentions(text).into_iter().filter(|m| !m.partial) {
        res.push((
            Key::Text(format!("dcgm:{}", &text[mention.range.as_usize()])),
            mention.range,
        ));
    }
    for invocation in note_invocations(text, syntax, packs) {
        let command_key = format!("cmd:{}", invocation.command);
        res.push((Key::Text(command_key.clone()), invocation.kubectl));
        for word in &invocation.path {
            res.push((Key::Text(command_key.clone()), word.range));
        }
        for flag in &invocation.flags {
            res.push((
                Key::Text(flag_key(packs, invocation.flag_scope(), &flag.name)),
                flag.range,
            ));
        }
    }
    for mention in terms.mentions(text, syntax) {
        res.push((Key::Term(mention.term), mention.range));
    }
    res
}

/// A flag's key names the command that has it (a subcommand, on a line that leaves its group
/// open) and its long name.
fn flag_key(packs: &Packs, scope: FlagScope<'_>, flag: &str) -> String {
    match packs.scope_flag(scope, flag) {
        Some((owner, found)) => format!("flag:{owner} {}", found.long),
        None => format!("flag:{} {flag}", scope.command),
    }
}

/// The key under which the name at the cursor is indexed.
pub fn mention_key(at: &TermAt, packs: &Packs) -> MentionKey {
    match &at.kind {
        TermAtKind::Dcgm { name } => MentionKey::Other(format!("dcgm:{name}")),
        TermAtKind::KubectlCommand { path } => MentionKey::Other(format!("cmd:{path}")),
        TermAtKind::KubectlFlag {
            command,
            flag,
            subcommands,
        } => {
            let scope = FlagScope {
                command,
                subcommands: *subcommands,
            };
            MentionKey::Other(flag_key(packs, scope, flag))
        }
        TermAtKind::Term { name } => MentionKey::Term(name.to_lowercase()),
    }
}
