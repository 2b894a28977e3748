//! The search query language and its translation into tantivy queries.
//!
//! A query is words, `"exact phrases"` and field filters (`title:`, `heading:`, `terms:`,
//! `body:`, `code:`, `tag:`, `path:`, each followed by a word or a quoted phrase). Anything else is
//! a word: `ndots:5` and `--sort-by` search for themselves. Parsing never fails: an unbalanced quote
//! runs to the end, and a filter with nothing after it is dropped.
//!
//! Ranking runs in phases (see [`Phase`]): every word required and spelled exactly, then every word
//! required with typos allowed, then all words but one (exactly, then with typos), all but two,
//! and finally any one word. Each later phase only adds hits below those of the earlier ones, so
//! a misspelling never outranks an exact match and a section with more of the words never ranks
//! below one with fewer.

use super::schema::{analyze, Analyzed, Analyzers, Fields, TextField};
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Words past this many are ignored, which bounds the cost of a pasted paragraph.
const MAX_CLAUSES: usize = 16;
/// A fuzzy match counts this fraction of an exact one in the same field.
const FUZZY_WEIGHT: f32 = 0.3;
/// An identifier found whole counts this much more than its parts found as a phrase.
const IDENTIFIER_BOOST: f32 = 2.0;
/// Words of a query found within this many positions of each other, in order, earn a bonus.
const PROXIMITY_SLOP: u32 = 3;
/// The proximity bonus, relative to the field's boost.
const PROXIMITY_WEIGHT: f32 = 1.0;
/// A prefix match (symbols only) counts this fraction of an exact one in the same field.
const PREFIX_WEIGHT: f32 = 0.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldFilter {
    Title,
    Heading,
    Terms,
    Body,
    Code,
    Tag,
    Path,
}

impl FieldFilter {
    fn from_name(name: &str) -> Option<FieldFilter> {
        let res = match name.to_ascii_lowercase().as_str() {
            "title" => FieldFilter::Title,
            "heading" => FieldFilter::Heading,
            "term" | "terms" => FieldFilter::Terms,
            "body" => FieldFilter::Body,
            "code" => FieldFilter::Code,
            "tag" | "tags" => FieldFilter::Tag,
            "path" => FieldFilter::Path,
            _ => return None,
        };
        Some(res)
    }

    fn fields(self, fields: &Fields) -> Vec<TextField> {
        match self {
            FieldFilter::Title => vec![fields.title],
            // The title is the note's top heading.
            FieldFilter::Heading => vec![fields.heading, fields.title],
            FieldFilter::Terms => vec![fields.terms],
            FieldFilter::Body => vec![fields.body],
            FieldFilter::Code => vec![fields.code],
            FieldFilter::Tag => vec![fields.tags],
            FieldFilter::Path => vec![fields.path_words],
        }
    }
}

/// One word or phrase of a query, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clause {
    pub(crate) filter: Option<FieldFilter>,
    pub(crate) text: String,
    pub(crate) phrase: bool,
}

/// Splits a query into clauses. Never fails.
pub(crate) fn parse(input: &str) -> Vec<Clause> {
    let mut res = Vec::new();
    let mut push = |filter: Option<FieldFilter>, text: &str, phrase: bool| {
        let text = text.trim();
        if !text.is_empty() && res.len() < MAX_CLAUSES {
            res.push(Clause {
                filter,
                text: text.to_string(),
                phrase,
            });
        }
    };
    let mut rest = input;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('"') {
            let (phrase, next) = read_phrase(after);
            push(None, phrase, true);
            rest = next;
            continue;
        }
        let end = rest
            .find(|ch: char| ch.is_whitespace() || ch == '"')
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        if let Some((name, value)) = word.split_once(':') {
            if let Some(filter) = FieldFilter::from_name(name) {
                if !value.is_empty() {
                    let value = if filter == FieldFilter::Tag {
                        value.trim_start_matches('#')
                    } else {
                        value
                    };
                    push(Some(filter), value, false);
                } else if let Some(after) = rest.strip_prefix('"') {
                    let (phrase, next) = read_phrase(after);
                    push(Some(filter), phrase, true);
                    rest = next;
                }
                // A filter with nothing after it filters nothing.
                continue;
            }
        }
        push(None, word, false);
    }
    res
}

/// Reads a phrase up to its closing quote, or to the end when it has none.
fn read_phrase(after_quote: &str) -> (&str, &str) {
    match after_quote.find('"') {
        Some(close) => (&after_quote[..close], &after_quote[close + 1..]),
        None => (after_quote, ""),
    }
}

/// A clause with its text analyzed both ways.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) filter: Option<FieldFilter>,
    pub(crate) phrase: bool,
    pub(crate) en: Vec<Analyzed>,
    pub(crate) ident: Vec<Analyzed>,
    /// How many edits a misspelling of this word may have: 0 for short words, numbers and phrases.
    pub(crate) max_typos: u8,
    /// Whether the word is one identifier joined by `_`, `-` or `.` (`kube-proxy`, `--sort-by`):
    /// it must then match whole, or its parts as a phrase, never one part alone.
    pub(crate) identifier: bool,
    /// Indexed words a few typos away, filled in before the first fuzzy phase runs.
    pub(crate) spellings: Vec<String>,
}

impl Prepared {
    /// Whether the English stems may match: not for an identifier with one stem (`sort` of
    /// `--sort-by` says too little).
    pub(crate) fn matches_stems(&self) -> bool {
        !(self.identifier && self.en.len() < 2)
    }

    /// The identifier token of a one-token word, the form fuzzy and prefix matching work on.
    pub(crate) fn single_ident(&self) -> Option<&str> {
        match self.ident.as_slice() {
            [token] if !self.phrase => Some(&token.text),
            _ => None,
        }
    }
}

/// Analyzes the clauses, dropping those with nothing searchable (punctuation, lone stop words).
pub(crate) fn prepare(clauses: &[Clause], analyzers: &Analyzers) -> Vec<Prepared> {
    clauses
        .iter()
        .filter_map(|clause| {
            let en = analyze(&analyzers.en, &clause.text);
            let ident = analyze(&analyzers.ident, &clause.text);
            let is_stop_word = en.is_empty() && clause.filter.is_none() && !clause.phrase;
            if ident.is_empty() || is_stop_word {
                return None;
            }
            let max_typos = match ident.as_slice() {
                [token] if !clause.phrase && !token.text.chars().any(|ch| ch.is_ascii_digit()) => {
                    match token.text.chars().count() {
                        n if n >= 8 => 2,
                        n if n >= 4 => 1,
                        _ => 0,
                    }
                }
                _ => 0,
            };
            let identifier = !clause.phrase
                && matches!(ident.as_slice(), [token] if token.text.contains(['_', '-', '.']));
            Some(Prepared {
                filter: clause.filter,
                phrase: clause.phrase,
                en,
                ident,
                max_typos,
                identifier,
                spellings: Vec::new(),
            })
        })
        .collect()
}

/// What a phase allows besides exact matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Phase {
    /// How many of the free words (those without a field filter) must match; filters always must.
    pub(crate) min_free: usize,
    /// Misspelled words match through their `spellings`.
    pub(crate) fuzzy: bool,
    /// Words also match as the start of a longer word (symbols, typed as you go).
    pub(crate) prefix: bool,
}

/// The phases worth running for these clauses, in rank order: all free words, then one fewer,
/// two fewer, and finally any one; each first spelled exactly, then with typos allowed.
pub(crate) fn phases(prepared: &[Prepared], prefix: bool) -> Vec<Phase> {
    let can_fuzz = prepared.iter().any(|p| p.max_typos > 0);
    let n_free = prepared.iter().filter(|p| p.filter.is_none()).count();
    let mut levels = vec![n_free];
    for level in [n_free.saturating_sub(1), n_free.saturating_sub(2), 1] {
        if level >= 1 && level < n_free && !levels.contains(&level) {
            levels.push(level);
        }
    }
    let mut res = Vec::new();
    for min_free in levels {
        res.push(Phase {
            min_free,
            fuzzy: false,
            prefix,
        });
        if can_fuzz {
            res.push(Phase {
                min_free,
                fuzzy: true,
                prefix,
            });
        }
    }
    res
}

/// The tantivy query of one phase; `default_fields` are searched by clauses without a filter.
pub(crate) fn phase_query(
    prepared: &[Prepared],
    fields: &Fields,
    default_fields: &[TextField],
    phase: Phase,
) -> Option<Box<dyn Query>> {
    let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut optional: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in prepared {
        let clause_fields = match clause.filter {
            Some(filter) => filter.fields(fields),
            None => default_fields.to_vec(),
        };
        let query = clause_query(clause, &clause_fields, phase);
        match (query, clause.filter) {
            (Some(query), Some(_)) => required.push((Occur::Must, query)),
            (Some(query), None) => optional.push((Occur::Should, query)),
            (None, Some(_)) => return None,
            (None, None) => {}
        }
    }
    if phase.min_free > optional.len() {
        return None;
    }
    if phase.min_free == optional.len() {
        required.extend(optional.into_iter().map(|(_, query)| (Occur::Must, query)));
    } else if phase.min_free > 0 {
        let some = BooleanQuery::with_minimum_required_clauses(optional, phase.min_free);
        required.push((Occur::Must, Box::new(some)));
    }
    if required.is_empty() {
        return None;
    }
    if let Some(query) = proximity_query(prepared, default_fields) {
        required.push((Occur::Should, query));
    }
    Some(Box::new(BooleanQuery::new(required)))
}

/// A bonus for sections where the free words stand close together, in the order typed:
/// "force delete pod" ranks `# Force delete a pod` above a paragraph that merely has all three.
fn proximity_query(prepared: &[Prepared], fields: &[TextField]) -> Option<Box<dyn Query>> {
    let free: Vec<&Prepared> = prepared
        .iter()
        .filter(|p| p.filter.is_none() && !p.phrase)
        .collect();
    if free.len() < 2 {
        return None;
    }
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for field in fields {
        let Some(en) = field.en else { continue };
        let mut terms = Vec::new();
        let mut next_position = 0;
        for clause in &free {
            let Some(first) = clause.en.first() else {
                continue;
            };
            for token in &clause.en {
                let position = next_position + token.position.wrapping_sub(first.position);
                terms.push((position, Term::from_field_text(en, &token.text)));
                next_position = position + 1;
            }
        }
        if terms.len() < 2 {
            continue;
        }
        let phrase = PhraseQuery::new_with_offset_and_slop(terms, PROXIMITY_SLOP);
        should.push((
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(phrase),
                field.boost * PROXIMITY_WEIGHT,
            )),
        ));
    }
    if should.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(should)))
}

/// Matches of one clause in any of `fields`, summed.
fn clause_query(clause: &Prepared, fields: &[TextField], phase: Phase) -> Option<Box<dyn Query>> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut push = |query: Box<dyn Query>, boost: f32| {
        should.push((Occur::Should, Box::new(BoostQuery::new(query, boost))))
    };
    let use_en = clause.matches_stems();
    let ident_boost = if clause.identifier {
        IDENTIFIER_BOOST
    } else {
        1.0
    };
    for field in fields {
        if let Some(en) = field.en.filter(|_| use_en) {
            if let Some(query) = tokens_query(en, &clause.en) {
                push(query, field.boost);
            }
        }
        if let Some(query) = tokens_query(field.ident, &clause.ident) {
            push(query, field.boost * ident_boost);
        }
        if !field.fuzzy {
            continue;
        }
        if phase.fuzzy {
            for spelling in &clause.spellings {
                let term = Term::from_field_text(field.ident, spelling);
                push(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    field.boost * FUZZY_WEIGHT,
                );
            }
        }
        if !phase.prefix {
            continue;
        }
        if let (Some(en), [stem], true) = (field.en, clause.en.as_slice(), use_en) {
            // Prefixes of stems: `prox` finds `kube-proxy` through its part `proxi`.
            let term = Term::from_field_text(en, &stem.text);
            push(
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                field.boost * PREFIX_WEIGHT,
            );
        }
        if let Some(word) = clause.single_ident() {
            let term = Term::from_field_text(field.ident, word);
            push(
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                field.boost * PREFIX_WEIGHT,
            );
        }
    }
    if should.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(should)))
}

/// A term query for one token, a phrase query for several.
fn tokens_query(field: tantivy::schema::Field, tokens: &[Analyzed]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [token] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, &token.text),
            IndexRecordOption::WithFreqs,
        ))),
        [first, ..] => {
            let terms = tokens
                .iter()
                .map(|t| {
                    (
                        t.position.wrapping_sub(first.position),
                        Term::from_field_text(field, &t.text),
                    )
                })
                .collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let clauses = parse(input);
        let res: Vec<String> = clauses
            .iter()
            .map(|c| {
                let filter = c.filter.map(|f| format!("{f:?}:")).unwrap_or_default();
                if c.phrase {
                    format!("{filter}\"{}\"", c.text)
                } else {
                    format!("{filter}{}", c.text)
                }
            })
            .collect();
        expect.assert_eq(&res.join(" | "));
    }

    #[test]
    fn parses_words_phrases_and_filters() {
        check(
            r#"ndots "golden rules" title:dns"#,
            expect![[r#"ndots | "golden rules" | Title:dns"#]],
        );
        check(
            r#"heading:"resolution process" code:--force"#,
            expect![[r#"Heading:"resolution process" | Code:--force"#]],
        );
        check(
            "tag:#gpu path:kubernetes",
            expect!["Tag:gpu | Path:kubernetes"],
        );
        check(
            "ndots:5 --sort-by https://x.io/a",
            expect!["ndots:5 | --sort-by | https://x.io/a"],
        );
    }

    #[test]
    fn malformed_queries_parse_to_what_is_there() {
        check(r#""unbalanced quote"#, expect![[r#""unbalanced quote""#]]);
        check("title:", expect![""]);
        check("title: dns", expect!["dns"]);
        check(r#"title:"open"#, expect![[r#"Title:"open""#]]);
        check(r#"a"b"c"#, expect![[r#"a | "b" | c"#]]);
        check("\"\" :: \" ", expect!["::"]);
        check("", expect![""]);
    }
}
