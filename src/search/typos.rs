//! Typo tolerance: the indexed words within a few edits of a query word, found once per query by
//! running one Levenshtein automaton over the term dictionaries of the identifier fields.
//!
//! The words found are then searched like typed ones (scored by BM25, weighted down), which is
//! both cheaper than tantivy's `FuzzyTermQuery` (one automaton instead of one per field and phase)
//! and better ranked (a misspelled title word still ranks the title first).

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use std::collections::HashMap;
use std::sync::OnceLock;
use tantivy::schema::Field;
use tantivy::Searcher;
use tantivy_fst::Automaton;

/// At most this many spellings are searched for one word, the closest and most frequent first.
const MAX_SPELLINGS: usize = 8;

/// The indexed words of `fields` at most `max_typos` edits (a swap of neighbours counts as one)
/// from `word`, other than `word` itself.
pub(crate) fn spellings(
    searcher: &Searcher,
    fields: &[Field],
    word: &str,
    max_typos: u8,
) -> Vec<String> {
    let Some(builder) = builder(max_typos) else {
        return Vec::new();
    };
    let dfa = builder.build_dfa(word);
    // Each spelling with its distance and the number of documents that have it.
    let mut found: HashMap<String, (u8, u32)> = HashMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(Typos(&dfa)).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(text) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let Distance::Exact(distance) = dfa.eval(text) else {
                    continue;
                };
                if distance == 0 {
                    continue;
                }
                let entry = found.entry(text.to_string()).or_insert((distance, 0));
                entry.1 = entry.1.saturating_add(stream.value().doc_freq);
            }
        }
    }
    let mut res: Vec<(String, (u8, u32))> = found.into_iter().collect();
    res.sort_by(|(a, (a_distance, a_freq)), (b, (b_distance, b_freq))| {
        a_distance
            .cmp(b_distance)
            .then(b_freq.cmp(a_freq))
            .then(a.cmp(b))
    });
    res.into_iter()
        .take(MAX_SPELLINGS)
        .map(|(text, _)| text)
        .collect()
}

/// Building a builder is the expensive part (tens of milliseconds for two edits), so each is
/// built once per process.
fn builder(max_typos: u8) -> Option<&'static LevenshteinAutomatonBuilder> {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    match max_typos {
        1 => Some(ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))),
        2 => Some(TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))),
        _ => None,
    }
}

/// The automaton as the term dictionary walks it.
struct Typos<'a>(&'a DFA);

impl Automaton for Typos<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}
