//! Finds where a query's words occur in a stored text and cuts a short snippet around the densest
//! run of them, with the matched words' byte ranges.
//!
//! Matching mirrors the index: a word matches a token whose English stem or whole identifier is
//! the same, and, for hits found by a fuzzy or prefix phase, a token within its typo budget or
//! starting with it.

use super::query::Prepared;
use super::schema::{analyze, Analyzed, Analyzers};
use crate::text::TextRange;
use std::ops::Range;

/// A snippet in plain text and the byte ranges of its highlighted words.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Snippet {
    /// Whitespace collapsed to single spaces; `…` marks text cut at either end.
    pub text: String,
    /// Sorted, non-overlapping byte ranges into `text`.
    pub highlights: Vec<TextRange>,
}

impl Snippet {
    /// The snippet as Markdown, highlighted words in `**bold**`.
    pub fn to_markdown(&self) -> String {
        let mut res = String::with_capacity(self.text.len() + 4 * self.highlights.len());
        let mut last = 0;
        for range in &self.highlights {
            let (start, end) = (range.start as usize, range.end as usize);
            let (Some(before), Some(word)) =
                (self.text.get(last..start), self.text.get(start..end))
            else {
                continue;
            };
            escape_markdown(before, &mut res);
            res.push_str("**");
            escape_markdown(word, &mut res);
            res.push_str("**");
            last = end;
        }
        escape_markdown(self.text.get(last..).unwrap_or(""), &mut res);
        res
    }
}

fn escape_markdown(text: &str, out: &mut String) {
    for ch in text.chars() {
        if matches!(ch, '\\' | '*' | '`') {
            out.push('\\');
        }
        out.push(ch);
    }
}

/// How the words of one query are recognized in a text.
pub(crate) struct Matcher<'a> {
    clauses: &'a [Prepared],
    analyzers: &'a Analyzers,
    fuzzy: bool,
    prefix: bool,
}

impl<'a> Matcher<'a> {
    pub(crate) fn new(
        clauses: &'a [Prepared],
        analyzers: &'a Analyzers,
        fuzzy: bool,
        prefix: bool,
    ) -> Matcher<'a> {
        Matcher {
            clauses,
            analyzers,
            fuzzy,
            prefix,
        }
    }

    /// The byte ranges in `text` matched by any clause, sorted and merged, and how many clauses
    /// matched at least once.
    pub(crate) fn find(&self, text: &str) -> (Vec<Range<usize>>, usize) {
        if text.is_empty() {
            return (Vec::new(), 0);
        }
        let en_tokens = analyze(&self.analyzers.en, text);
        let ident_tokens = analyze(&self.analyzers.ident, text);
        let mut ranges = Vec::new();
        let mut n_matched = 0;
        for clause in self.clauses {
            let before = ranges.len();
            if clause.matches_stems() {
                find_sequence(&en_tokens, &clause.en, &mut ranges);
                if let (true, [stem]) = (self.prefix, clause.en.as_slice()) {
                    let starts = en_tokens.iter().filter(|t| t.text.starts_with(&stem.text));
                    ranges.extend(starts.map(|t| t.from..t.to));
                }
            }
            find_sequence(&ident_tokens, &clause.ident, &mut ranges);
            if let Some(word) = clause.single_ident() {
                let typos = if self.fuzzy {
                    clause.max_typos as usize
                } else {
                    0
                };
                for token in &ident_tokens {
                    let is_match = (typos > 0 && within_typos(&token.text, word, typos))
                        || (self.prefix && token.text.starts_with(word));
                    if is_match {
                        ranges.push(token.from..token.to);
                    }
                }
            }
            if ranges.len() > before {
                n_matched += 1;
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        (merged, n_matched)
    }
}

/// Pushes the span of every occurrence of `wanted` (tokens at the same relative positions).
fn find_sequence(tokens: &[Analyzed], wanted: &[Analyzed], out: &mut Vec<Range<usize>>) {
    let Some(first) = wanted.first() else { return };
    for (idx, token) in tokens.iter().enumerate() {
        if token.text != first.text {
            continue;
        }
        let mut end = token.to;
        let all_there = wanted[1..].iter().all(|want| {
            let position = token
                .position
                .wrapping_add(want.position.wrapping_sub(first.position));
            match tokens[idx + 1..].iter().find(|t| t.position >= position) {
                Some(t) if t.position == position && t.text == want.text => {
                    end = end.max(t.to);
                    true
                }
                _ => false,
            }
        });
        if all_there {
            out.push(token.from..end);
        }
    }
}

/// Whether `a` and `b` are at most `max` edits apart (a swap of neighbours counts as one).
pub(crate) fn within_typos(a: &str, b: &str, max: usize) -> bool {
    let (n_a, n_b) = (a.chars().count(), b.chars().count());
    n_a.abs_diff(n_b) <= max && strsim::osa_distance(a, b) <= max
}

/// Cuts about `max_len` bytes of `text` around its densest cluster of `matches`.
pub(crate) fn cut(text: &str, matches: &[Range<usize>], max_len: usize) -> Snippet {
    let (start, end) = window(text, matches, max_len);
    let mut res = Snippet::default();
    if start > 0 {
        res.text.push('…');
    }
    // Byte offset in `res.text` of each char start of the window, to move the highlights.
    let mut offsets: Vec<(usize, usize)> = Vec::new();
    let mut in_space = false;
    for (idx, ch) in text[start..end].char_indices() {
        let orig = start + idx;
        offsets.push((orig, res.text.len()));
        if ch.is_whitespace() {
            if !in_space && !res.text.is_empty() && !res.text.ends_with('…') {
                res.text.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        res.text.push(ch);
    }
    offsets.push((end, res.text.len()));
    let at = |orig: usize| {
        let idx = offsets.partition_point(|&(o, _)| o < orig);
        offsets.get(idx).map_or(res.text.len(), |&(_, out)| out)
    };
    let trimmed_len = res.text.trim_end().len();
    for range in matches {
        if range.start >= start && range.end <= end {
            let (from, to) = (at(range.start), at(range.end).min(trimmed_len));
            if from < to {
                res.highlights.push(TextRange::new(from, to));
            }
        }
    }
    res.text.truncate(trimmed_len);
    if end < text.len() {
        res.text.push('…');
    }
    res
}

/// The byte window of the snippet: on char boundaries, preferably on word boundaries.
fn window(text: &str, matches: &[Range<usize>], max_len: usize) -> (usize, usize) {
    if text.len() <= max_len {
        return (0, text.len());
    }
    // Lead-in kept before the first highlighted word, so it reads in context.
    let lead = max_len / 5;
    let mut best = (0usize, 0usize);
    for (idx, m) in matches.iter().enumerate() {
        let window_start = m.start.saturating_sub(lead);
        let window_end = window_start + max_len;
        let n_inside = matches[idx..]
            .iter()
            .take_while(|other| other.end <= window_end)
            .count();
        if n_inside > best.1 {
            best = (window_start, n_inside);
        }
    }
    let mut start = floor_char_boundary(text, best.0);
    if start > 0 {
        // Start at a word: skip the rest of a word cut in half, unless that skips a match.
        let first_match = matches
            .iter()
            .find(|m| m.start >= start)
            .map_or(text.len(), |m| m.start);
        let next_space = text[start..]
            .char_indices()
            .find(|(_, ch)| ch.is_whitespace());
        if let Some((space, ch)) = next_space {
            if start + space < first_match {
                start += space + ch.len_utf8();
            }
        }
    }
    let mut end = floor_char_boundary(text, (start + max_len).min(text.len()));
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(char::is_whitespace) {
            if space > max_len / 2 {
                end = start + space;
            }
        }
    }
    (start, end.max(start))
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
