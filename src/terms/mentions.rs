//! Every mention of every term across the corpus: DCGM names, kubectl commands and flags, and the
//! terms the notes define. Built in parallel in one pass; serves "mentioned in N notes" and
//! find-references on a term.

use super::{dcgm_mentions, note_invocations, FlagScope, Packs, TermAt, TermAtKind, TermIndex};
use crate::syntax::NoteSyntax;
use crate::text::TextRange;
use rayon::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct MentionIndex {
    /// Mention key (see [`mention_key`]) to (note id, range), in note order.
    by_key: HashMap<String, Vec<(u32, TextRange)>>,
}

impl MentionIndex {
    /// Builds the index from `(note id, text, syntax)` for every note.
    pub fn build<'a>(
        notes: impl ParallelIterator<Item = (u32, &'a str, &'a NoteSyntax)>,
        packs: &Packs,
        terms: &TermIndex,
    ) -> MentionIndex {
        let per_note: Vec<Vec<(String, u32, TextRange)>> = notes
            .map(|(id, text, syntax)| note_mentions(id, text, syntax, packs, terms))
            .collect();
        let mut by_key: HashMap<String, Vec<(u32, TextRange)>> = HashMap::new();
        for (key, id, range) in per_note.into_iter().flatten() {
            by_key.entry(key).or_default().push((id, range));
        }
        for mentions in by_key.values_mut() {
            mentions.sort();
        }
        MentionIndex { by_key }
    }

    /// Every mention of the term with `key`.
    pub fn mentions(&self, key: &str) -> &[(u32, TextRange)] {
        self.by_key.get(key).map_or(&[], |m| m.as_slice())
    }

    /// How many notes mention the term with `key`.
    pub fn note_count(&self, key: &str) -> usize {
        let mut notes: Vec<u32> = self.mentions(key).iter().map(|(id, _)| *id).collect();
        notes.dedup();
        notes.len()
    }
}

fn note_mentions(
    id: u32,
    text: &str,
    syntax: &NoteSyntax,
    packs: &Packs,
    terms: &TermIndex,
) -> Vec<(String, u32, TextRange)> {
    let mut res = Vec::new();
    for mention in dcgm_mentions(text).into_iter().filter(|m| !m.partial) {
        res.push((
            format!("dcgm:{}", &text[mention.range.as_usize()]),
            id,
            mention.range,
        ));
    }
    for invocation in note_invocations(text, syntax, packs) {
        let command_key = format!("cmd:{}", invocation.command);
        res.push((command_key.clone(), id, invocation.kubectl));
        for word in &invocation.path {
            res.push((command_key.clone(), id, word.range));
        }
        for flag in &invocation.flags {
            res.push((
                flag_key(packs, invocation.flag_scope(), &flag.name),
                id,
                flag.range,
            ));
        }
    }
    for mention in terms.mentions(text, syntax) {
        res.push((
            format!("term:{}", terms.term_key(mention.term)),
            id,
            mention.range,
        ));
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
pub fn mention_key(at: &TermAt, packs: &Packs) -> String {
    match &at.kind {
        TermAtKind::Dcgm { name } => format!("dcgm:{name}"),
        TermAtKind::KubectlCommand { path } => format!("cmd:{path}"),
        TermAtKind::KubectlFlag {
            command,
            flag,
            subcommands,
        } => {
            let scope = FlagScope {
                command,
                subcommands: *subcommands,
            };
            flag_key(packs, scope, flag)
        }
        TermAtKind::Term { name } => format!("term:{}", name.to_lowercase()),
    }
}
