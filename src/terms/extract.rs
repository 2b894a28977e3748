//! Term definitions written in one note, found in the shapes notes use for them:
//!
//! - table rows: in a column where at least half the cells are a code span or bold text, such a
//!   cell is a term, and the row's other cells, labelled by the header, are its definition
//!   (`| **Memory Used** | `DCGM_FI_DEV_FB_USED` | Amount of frame buffer memory used |`);
//! - list items `- **Term**: text`, `- **Term:** text`, `` - `term`: text ``, `- Term: text` and
//!   `- Term (Alias): text`, the alias also written inside the bold or after it;
//! - headings of level 2 and deeper with a paragraph right under them (`### kube-apiserver`);
//! - front matter: `aliases:` name the note's title, and a `terms:` map defines terms.
//!
//! Headings, list labels and plain `Term:` items are guesses, so a few rules keep section titles
//! and field labels out (see [`GENERIC_LABELS`], [`LABEL_REPEATS`] and the filters in each
//! reader). Knows nothing about other notes, packs or LSP; ranges are byte offsets in the note.

use crate::syntax::{NoteSyntax, Table};
use crate::text::TextRange;
use std::borrow::Cow;

/// One definition of a term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermDef {
    /// The term when it is not exactly the text at `term_range` (markup or a leading `The `
    /// dropped): read it with [`TermDef::term`]. Most terms are, and hold no copy: the term index
    /// holds hundreds of thousands of definitions (so names are boxed, not `String`s).
    pub written_term: Option<Box<str>>,
    /// Other names given with it: `(Alias)` or front matter aliases.
    pub aliases: Box<[Box<str>]>,
    /// The definition: read it with [`TermDef::definition`].
    pub body: DefText,
    /// Where the term itself is written.
    pub term_range: TextRange,
    /// The whole defining row, item, heading plus paragraph, or front matter entry.
    pub range: TextRange,
    pub kind: DefKind,
}

/// Where a definition's text is. Most are one stretch of the note, kept as its range so that the
/// term index holds no second copy of the corpus (at 50,000 generated notes the copies were
/// 90 MB); the others are put together from several places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefText {
    /// This range of the note's text, blanks collapsed when read.
    Span(TextRange),
    /// Put together: a table row's cells with their headers, a front matter value, the start of
    /// nested items.
    Written(Box<str>),
}

impl TermDef {
    /// The term; `text` is the note's text.
    pub fn term<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.written_term {
            Some(term) => term,
            None => text.get(self.term_range.as_usize()).unwrap_or_default(),
        }
    }

    /// The term, then its aliases.
    pub fn names<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        std::iter::once(self.term(text)).chain(self.aliases.iter().map(|alias| &**alias))
    }

    /// The definition as written (Markdown kept, blanks collapsed); `text` is the note's text.
    pub fn definition<'a>(&'a self, text: &'a str) -> Cow<'a, str> {
        match &self.body {
            DefText::Span(range) => collapse(text.get(range.as_usize()).unwrap_or_default()),
            DefText::Written(written) => Cow::Borrowed(written),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DefKind {
    TableRow,
    ListItem,
    Heading,
    /// The note's title, named by its front matter `aliases:`.
    FrontMatterAlias,
    /// An entry of the front matter `terms:` map.
    FrontMatterTerm,
}

impl DefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DefKind::TableRow => "table row",
            DefKind::ListItem => "list item",
            DefKind::Heading => "heading",
            DefKind::FrontMatterAlias => "front matter aliases",
            DefKind::FrontMatterTerm => "front matter terms",
        }
    }
}

/// Labels that notes use to structure an item or a section rather than to define a term
/// (`- **Action**: ...`, `## Overview`). Lowercase, sorted, at most 20 bytes each.
pub const GENERIC_LABELS: &[&str] = &[
    "action",
    "actions",
    "advantage",
    "advantages",
    "analysis",
    "answer",
    "architecture",
    "background",
    "behavior",
    "behaviour",
    "benefit",
    "benefits",
    "best practices",
    "cause",
    "causes",
    "caution",
    "challenges",
    "check",
    "command",
    "commands",
    "common issues",
    "comparison",
    "comparison table",
    "concepts",
    "conclusion",
    "cons",
    "contents",
    "core concepts",
    "criteria",
    "date",
    "default",
    "definition",
    "description",
    "details",
    "disadvantage",
    "disadvantages",
    "e.g.",
    "effect",
    "example",
    "examples",
    "faq",
    "fix",
    "further reading",
    "goal",
    "goals",
    "how",
    "how it works",
    "i.e.",
    "impact",
    "important",
    "input",
    "intro",
    "introduction",
    "issue",
    "issues",
    "key concepts",
    "key points",
    "key takeaways",
    "limitation",
    "limitations",
    "links",
    "mitigation",
    "note",
    "notes",
    "output",
    "overview",
    "owner",
    "prerequisites",
    "problem",
    "pros",
    "purpose",
    "question",
    "reason",
    "references",
    "related",
    "requirement",
    "requirements",
    "resolution",
    "resources",
    "result",
    "results",
    "risk",
    "risks",
    "root cause",
    "see also",
    "setup",
    "solution",
    "solutions",
    "source",
    "sources",
    "status",
    "step",
    "steps",
    "summary",
    "symptom",
    "symptoms",
    "table of contents",
    "takeaways",
    "tip",
    "tips",
    "tl;dr",
    "trade-off",
    "trade-offs",
    "tradeoff",
    "tradeoffs",
    "troubleshooting",
    "usage",
    "use case",
    "use cases",
    "verify",
    "warning",
    "what",
    "when",
    "where",
    "why",
    "workaround",
];

/// A list label used this many times in one note is a field label (`Action`, `Criteria`), not a term.
pub const LABEL_REPEATS: usize = 3;

/// Sections whose list items are citations, not definitions.
const CITATION_SECTIONS: &[&str] = &[
    "references",
    "see also",
    "further reading",
    "links",
    "sources",
    "resources",
    "bibliography",
];

/// Words a plain `Term:` label does not end with: `Persist configuration in: ...` is a sentence.
const TRAILING_FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or",
    "the", "to", "with", "was", "were", "be",
];

/// Words a plain `Term:` label does not start with: `To add an element: ...` is a step.
const LEADING_FUNCTION_WORDS: &[&str] = &[
    "to", "if", "when", "then", "for", "in", "on", "at", "by", "with", "this", "that", "it", "we",
    "you", "i", "a", "an", "and", "or", "but", "so", "note", "run", "use", "see",
];

/// Column headers under which bold cells are the rows of a comparison (`| Feature | NFS | Lustre |`),
/// not terms.
const COMPARISON_HEADERS: &[&str] = &[
    "",
    "feature",
    "features",
    "aspect",
    "aspects",
    "criteria",
    "criterion",
    "characteristic",
    "characteristics",
    "property",
    "properties",
    "dimension",
    "attribute",
    "comparison",
    "factor",
    "category",
];

/// Longest definition text kept for a nested item or section.
const MAX_DEFINITION: usize = 600;

/// All term definitions of one note, in document order.
pub fn extract(text: &str, syntax: &NoteSyntax) -> Vec<TermDef> {
    let mut res = Vec::new();
    front_matter_defs(text, syntax, &mut res);
    for table in &syntax.tables {
        table_defs(text, table, &mut res);
    }
    list_defs(text, syntax, &mut res);
    heading_defs(text, syntax, &mut res);
    res.sort_by_key(|def| (def.range.start, def.term_range.start));
    // Kept in the term index for as long as the note is unchanged.
    res.shrink_to_fit();
    res
}

/// `term` for [`TermDef::written_term`]: `None` when it is the text at `term_range`.
fn written_term(text: &str, term: &str, term_range: TextRange) -> Option<Box<str>> {
    (text.get(term_range.as_usize()) != Some(term)).then(|| term.into())
}

fn is_generic(term: &str) -> bool {
    let term = term.trim().as_bytes();
    // No generic label is longer, and all are ASCII: lowercase on the stack, then search.
    let mut lower = [0u8; 20];
    if term.len() > lower.len() {
        return false;
    }
    for (dst, src) in lower.iter_mut().zip(term) {
        *dst = src.to_ascii_lowercase();
    }
    let lower = &lower[..term.len()];
    GENERIC_LABELS
        .binary_search_by(|label| label.as_bytes().cmp(lower))
        .is_ok()
}

// Front matter.

fn front_matter_defs(text: &str, syntax: &NoteSyntax, res: &mut Vec<TermDef>) {
    let Some(front_matter) = &syntax.front_matter else {
        return;
    };
    let fm_range = front_matter.range;
    let fm_text = text.get(fm_range.as_usize()).unwrap_or_default();
    let find_in_fm = |needle: &str, from: usize| -> Option<TextRange> {
        let at = fm_text.get(from..)?.find(needle)? + from;
        Some(TextRange::new(
            fm_range.start as usize + at,
            fm_range.start as usize + at + needle.len(),
        ))
    };
    if !front_matter.aliases.is_empty() {
        let title_heading = syntax.headings.iter().find(|h| h.level == 1);
        let term = syntax
            .title
            .clone()
            .or_else(|| front_matter.aliases.first().cloned());
        if let Some(term) = term {
            let aliases_at = fm_text
                .find("aliases")
                .or_else(|| fm_text.find("alias"))
                .unwrap_or(0);
            let first_alias_range = front_matter
                .aliases
                .first()
                .and_then(|a| find_in_fm(a, aliases_at));
            let term_range = match title_heading {
                Some(heading) if syntax.title.as_deref() == Some(heading.text.as_str()) => {
                    heading.text_range
                }
                _ => find_in_fm(&term, 0)
                    .or(first_alias_range)
                    .unwrap_or(fm_range),
            };
            let definition = title_heading
                .and_then(|h| paragraph_right_after(text, syntax, h.range.end as usize, text.len()))
                .or_else(|| syntax.paragraphs.first().copied())
                .map_or(DefText::Written(Box::default()), DefText::Span);
            res.push(TermDef {
                aliases: front_matter
                    .aliases
                    .iter()
                    .filter(|a| **a != term)
                    .map(|a| a.as_str().into())
                    .collect(),
                written_term: written_term(text, &term, term_range),
                body: definition,
                term_range,
                range: fm_range,
                kind: DefKind::FrontMatterAlias,
            });
        }
    }
    let terms_at = fm_text.find("terms").unwrap_or(0);
    for (term, definition) in &front_matter.terms {
        let key_range = find_in_fm(term, terms_at).unwrap_or(fm_range);
        let line = line_range(text, key_range);
        let (term_name, alias) = split_alias(term);
        let term_range = if key_range == fm_range {
            fm_range
        } else {
            TextRange::new(
                key_range.start as usize,
                key_range.start as usize + term_name.len(),
            )
        };
        res.push(TermDef {
            written_term: written_term(text, term_name, term_range),
            aliases: alias.into_iter().map(Box::from).collect(),
            body: DefText::Written(collapse(definition).into()),
            term_range,
            range: line,
            kind: DefKind::FrontMatterTerm,
        });
    }
}

// Tables.

fn table_defs(text: &str, table: &Table, res: &mut Vec<TermDef>) {
    let cell_text = |range: &TextRange| text.get(range.as_usize()).unwrap_or_default();
    let n_columns = table.header.len();
    let term_cells: Vec<Vec<Option<(String, TextRange)>>> = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| term_cell(cell_text(cell), *cell))
                .collect()
        })
        .collect();
    let term_columns: Vec<usize> = (0..n_columns)
        .filter(|&col| {
            let header = table
                .header
                .get(col)
                .map(|h| collapse(cell_text(h)).to_lowercase())
                .unwrap_or_default();
            if COMPARISON_HEADERS.contains(&header.trim_matches('*')) {
                return false;
            }
            let n_terms = term_cells
                .iter()
                .filter(|row| matches!(row.get(col), Some(Some(_))))
                .count();
            n_terms > 0 && n_terms * 2 >= table.rows.len()
        })
        .collect();
    for (row, cells) in table.rows.iter().zip(&term_cells) {
        for &col in &term_columns {
            let Some(Some((term, term_range))) = cells.get(col) else {
                continue;
            };
            let definition: Vec<String> = row
                .iter()
                .enumerate()
                .filter(|(idx, cell)| *idx != col && !cell_text(cell).trim().is_empty())
                .map(|(idx, cell)| {
                    let value = collapse(cell_text(cell));
                    match table
                        .header
                        .get(idx)
                        .map(|h| collapse(cell_text(h)))
                        .filter(|h| !h.is_empty())
                    {
                        Some(header) => format!("{header}: {value}"),
                        None => value.into_owned(),
                    }
                })
                .collect();
            if definition.is_empty() || is_generic(term) {
                continue;
            }
            let (Some(first), Some(last)) = (row.first(), row.last()) else {
                continue;
            };
            res.push(TermDef {
                written_term: written_term(text, term, *term_range),
                aliases: Box::default(),
                body: DefText::Written(definition.join("; ").into()),
                term_range: *term_range,
                range: line_range(
                    text,
                    TextRange::new(first.start as usize, last.end as usize),
                ),
                kind: DefKind::TableRow,
            });
        }
    }
}

/// A table cell that is only a code span or only bold text (possibly around a code span), with
/// the term and its range.
fn term_cell(cell: &str, range: TextRange) -> Option<(String, TextRange)> {
    let (inner, offset) = strip_bold(cell).or_else(|| strip_code(cell))?;
    let (inner, extra) = strip_code(inner).unwrap_or((inner, 0));
    let inner_trimmed = inner.trim_end_matches(':').trim();
    let start = range.start as usize + offset + extra + (inner.len() - inner.trim_start().len());
    let term_range = TextRange::new(start, start + inner_trimmed.len());
    is_term_like(inner_trimmed, cell.starts_with('`'))
        .then(|| (inner_trimmed.to_string(), term_range))
}

/// `**x**` or `__x__` covering the whole text: the inside and its offset.
fn strip_bold(text: &str) -> Option<(&str, usize)> {
    for delim in ["**", "__"] {
        if let Some(inner) = text.strip_prefix(delim).and_then(|t| t.strip_suffix(delim)) {
            if !inner.is_empty() && !inner.contains(delim) {
                return Some((inner, 2));
            }
        }
    }
    None
}

/// A code span covering the whole text: the inside (padding trimmed) and its offset.
fn strip_code(text: &str) -> Option<(&str, usize)> {
    let ticks = text.len() - text.trim_start_matches('`').len();
    if ticks == 0 || text.len() < 2 * ticks + 1 {
        return None;
    }
    let inner = text.get(ticks..text.len() - ticks)?;
    if !text.ends_with(&"`".repeat(ticks))
        || inner.contains(&"`".repeat(ticks))
        || inner.ends_with('`')
    {
        return None;
    }
    let trimmed_start = inner.len() - inner.trim_start().len();
    Some((inner.trim(), ticks + trimmed_start))
}

/// Whether a code or bold label looks like a term: short, one line, not a command with
/// placeholders or flags.
fn is_term_like(term: &str, is_code: bool) -> bool {
    let n_words = term.split_whitespace().count();
    let max_words = if is_code { 4 } else { 6 };
    !term.is_empty()
        && term.len() <= 64
        && n_words <= max_words
        && !term.contains(['\n', '<', '>', '|', '[', ']'])
        && (!is_code || !term.contains(" -"))
        && !term.ends_with("...")
        && term.chars().any(char::is_alphanumeric)
}

// List items.

fn list_defs(text: &str, syntax: &NoteSyntax, res: &mut Vec<TermDef>) {
    let citation_headings: Vec<bool> = syntax
        .headings
        .iter()
        .map(|h| {
            CITATION_SECTIONS
                .iter()
                .any(|c| c.eq_ignore_ascii_case(h.text.trim()))
        })
        .collect();
    let mut found = Vec::new();
    for (idx, item) in syntax.list_items.iter().enumerate() {
        // Headings are in document order: the last one before the item names its section.
        let heading_idx = syntax
            .headings
            .partition_point(|h| h.range.start < item.start);
        if heading_idx > 0 && citation_headings[heading_idx - 1] {
            continue;
        }
        // The item's own text stops where its first nested item or code block begins (items and
        // blocks are in document order, so the first candidates are the next ones).
        let block_idx = syntax
            .code_blocks
            .partition_point(|b| b.range.start <= item.start);
        let nested_start = [
            syntax.list_items.get(idx + 1).map(|r| r.start),
            syntax.code_blocks.get(block_idx).map(|b| b.range.start),
        ]
        .into_iter()
        .flatten()
        .filter(|&start| start > item.start && start < item.end)
        .min()
        .unwrap_or(item.end);
        if let Some(def) = list_item_def(text, *item, nested_start as usize) {
            found.push(def);
        }
    }
    // Labels repeated across a note (`Action:` under every step) are structure, not terms.
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for def in &found {
        *counts.entry(def.term(text).to_lowercase()).or_default() += 1;
    }
    res.extend(
        found
            .into_iter()
            .filter(|def| counts[&def.term(text).to_lowercase()] < LABEL_REPEATS),
    );
}

fn list_item_def(text: &str, item: TextRange, own_end: usize) -> Option<TermDef> {
    let item_text = text.get(item.start as usize..own_end)?;
    let marker_len = list_marker_len(item_text)?;
    let body_start = item.start as usize + marker_len;
    let body = &text[body_start..own_end];
    let line = body.split('\n').next().unwrap_or_default();
    let (term, alias, term_range, after) = if let Some(bold) = strip_bold_prefix(line) {
        bold
    } else if let Some(code) = strip_code_prefix(line) {
        code
    } else {
        plain_label(line)?
    };
    let term_range = term_range.shifted(body_start);
    // `after` is where the definition starts, relative to the body.
    let definition = if body[after..].trim_ascii().is_empty() {
        // `- **Speed Generations**:` with the definition in nested items.
        DefText::Written(
            truncate(
                &collapse(text.get(own_end..item.end as usize).unwrap_or_default()),
                MAX_DEFINITION,
            )
            .into(),
        )
    } else {
        DefText::Span(TextRange::new(body_start + after, own_end))
    };
    if definition == DefText::Written(Box::default()) || is_generic(&term) {
        return None;
    }
    Some(TermDef {
        written_term: written_term(text, &term, term_range),
        aliases: alias.into_iter().map(Box::from).collect(),
        body: definition,
        term_range,
        range: TextRange::new(
            item.start as usize,
            trim_end_blank(text, own_end).max(item.start as usize),
        ),
        kind: DefKind::ListItem,
    })
}

/// The length of `- `, `* `, `+ `, `1. ` or `1) ` and an optional task box, with the blanks.
fn list_marker_len(item: &str) -> Option<usize> {
    let trimmed = item.trim_start();
    let indent = item.len() - trimmed.len();
    let marker = if trimmed.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    };
    let after = &trimmed[marker..];
    let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
    let mut len = indent + marker + blanks;
    for task in ["[ ] ", "[x] ", "[X] "] {
        if item[len..].starts_with(task) {
            len += task.len();
        }
    }
    Some(len)
}

/// A label, its alias, the label's range in `line`, and where the definition starts.
type Label = (String, Option<String>, TextRange, usize);

/// `**Term**: ...`, `**Term:** ...`, `**Term (Alias)**: ...`, `**Term** (Alias): ...`.
fn strip_bold_prefix(line: &str) -> Option<Label> {
    let delim = if line.starts_with("**") {
        "**"
    } else if line.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let close = 2 + line[2..].find(delim)?;
    let inner = &line[2..close];
    let (inner, colon_inside) = match inner.trim_end().strip_suffix(':') {
        Some(stripped) => (stripped, true),
        None => (inner, false),
    };
    let (inner_code, code_offset) = strip_code(inner.trim()).unwrap_or((inner.trim(), 0));
    let lead = inner.len() - inner.trim_start().len();
    let (term, alias) = split_alias(inner_code);
    let term = strip_code(term).map_or(term, |(t, _)| t);
    let after_close = close + 2;
    let (alias, after) = label_tail(line, after_close, alias.map(String::from), colon_inside)?;
    if !is_term_like(term, false) {
        return None;
    }
    let start = 2 + lead + code_offset + inner_code.find(term).unwrap_or(0);
    Some((
        term.to_string(),
        alias,
        TextRange::new(start, start + term.len()),
        after,
    ))
}

/// `` `term`: ... `` and `` `term` (`alias`): ... ``.
fn strip_code_prefix(line: &str) -> Option<Label> {
    let ticks = line.len() - line.trim_start_matches('`').len();
    if ticks == 0 {
        return None;
    }
    let fence = "`".repeat(ticks);
    let close = ticks + line[ticks..].find(&fence)?;
    let span = &line[..close + ticks];
    let (term, offset) = strip_code(span)?;
    let (alias, after) = label_tail(line, close + ticks, None, false)?;
    if !is_term_like(term, true) {
        return None;
    }
    Some((
        term.to_string(),
        alias,
        TextRange::new(offset, offset + term.len()),
        after,
    ))
}

/// After a bold or code label: an optional `(Alias)`, then the `:` unless it was inside the
/// label. Returns the alias and where the definition starts.
fn label_tail(
    line: &str,
    mut pos: usize,
    mut alias: Option<String>,
    colon_inside: bool,
) -> Option<(Option<String>, usize)> {
    let rest = &line[pos..];
    let trimmed = rest.trim_start();
    if !colon_inside && trimmed.starts_with('(') {
        let close = trimmed.find(')')?;
        let inside = trimmed[1..close].trim();
        let inside = strip_code(inside).map_or(inside, |(t, _)| t);
        if !inside.is_empty() && alias.is_none() {
            alias = Some(inside.to_string());
        }
        pos += rest.len() - trimmed.len() + close + 1;
    }
    if colon_inside {
        return Some((alias, pos));
    }
    let rest = &line[pos..];
    let trimmed = rest.trim_start();
    let colon = trimmed.strip_prefix(':')?;
    if !(colon.is_empty() || colon.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((alias, pos + (rest.len() - trimmed.len()) + 1))
}

/// `Term: ...` and `Term (Alias): ...` without markup.
fn plain_label(line: &str) -> Option<Label> {
    let colon = line.find(':')?;
    let after = &line[colon + 1..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let label = &line[..colon];
    if label.ends_with(char::is_whitespace)
        || label.contains(['*', '`', '[', ']', '<', '>', '|', '"'])
    {
        return None;
    }
    let (term, alias) = split_alias(label.trim());
    let words: Vec<&str> = term.split_whitespace().collect();
    let last = words.last()?.to_lowercase();
    let first_ok = term.chars().next().is_some_and(char::is_alphanumeric)
        && !LEADING_FUNCTION_WORDS.contains(&words.first()?.to_lowercase().as_str());
    if words.len() > 5
        || term.len() > 60
        || !first_ok
        || TRAILING_FUNCTION_WORDS.contains(&last.as_str())
        || !term.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some((
        term.to_string(),
        alias.map(String::from),
        TextRange::new(0, term.len()),
        colon + 1,
    ))
}

/// `Term (Alias)` into its parts; anything else is all term. A parenthesis that gives an
/// example (`(e.g., runc)`) is dropped rather than taken as an alias.
fn split_alias(label: &str) -> (&str, Option<&str>) {
    let label = label.trim();
    if let Some(body) = label.strip_suffix(')') {
        if let Some(open) = body.rfind('(') {
            let term = body[..open].trim_end();
            let alias = body[open + 1..].trim();
            let alias = strip_code(alias).map_or(alias, |(inner, _)| inner);
            if !term.is_empty() && !alias.is_empty() && !alias.contains('(') {
                let lower = alias.to_lowercase();
                let is_example = ["e.g.", "eg ", "e.g ", "i.e.", "see ", "like ", "such as "]
                    .iter()
                    .any(|p| lower.starts_with(p));
                return (term, (!is_example).then_some(alias));
            }
        }
    }
    (label, None)
}

/// Whether a heading's parenthesis names the same thing (`Tensor Parallelism (TP)`, `NVIDIA MIG
/// (Multi-Instance GPU)`, `Control Groups (cgroups)`) rather than adding a subtitle
/// (`B-Trees (Read-Optimized)`): the alias's letters, in order, are found in the first or last
/// words of the term, or those words' letters in the alias, starting with the same letter.
fn is_abbreviation_pair(term: &str, alias: &str) -> bool {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let is_subsequence = |short: &str, long: &str| {
        let mut long_chars = long.chars();
        short.chars().next().is_some()
            && short.chars().next() == long.chars().next()
            && short.chars().all(|c| long_chars.any(|l| l == c))
    };
    let word_runs = |s: &str| -> Vec<String> {
        let words: Vec<&str> = s.split_whitespace().collect();
        let mut runs = Vec::new();
        for start in 0..words.len() {
            runs.push(letters(&words[start..].join(" ")));
            runs.push(letters(&words[..words.len() - start].join(" ")));
        }
        runs
    };
    let alias_letters = letters(alias);
    word_runs(term)
        .iter()
        .any(|run| is_subsequence(run, &alias_letters) || is_subsequence(&alias_letters, run))
}

// Headings.

fn heading_defs(text: &str, syntax: &NoteSyntax, res: &mut Vec<TermDef>) {
    for heading in &syntax.headings {
        if heading.level < 2 || !heading_is_term(&heading.text) {
            continue;
        }
        let Some(paragraph) = paragraph_right_after(
            text,
            syntax,
            heading.range.end as usize,
            heading.section.end as usize,
        ) else {
            continue;
        };
        let (term, alias) = split_alias(&heading.text);
        // `The Dockerfile` defines `Dockerfile`; quotes around a name are not part of it.
        let term = term
            .strip_prefix("The ")
            .unwrap_or(term)
            .trim_matches(['"', '\'', '“', '”']);
        let alias = alias.filter(|alias| is_abbreviation_pair(term, alias));
        let raw = text.get(heading.text_range.as_usize()).unwrap_or_default();
        let term_range = match raw.find(term) {
            Some(at) => TextRange::new(
                heading.text_range.start as usize + at,
                heading.text_range.start as usize + at + term.len(),
            ),
            None => heading.text_range,
        };
        res.push(TermDef {
            written_term: written_term(text, term, term_range),
            aliases: alias.into_iter().map(Box::from).collect(),
            body: DefText::Span(paragraph),
            term_range,
            range: TextRange::new(heading.range.start as usize, paragraph.end as usize),
            kind: DefKind::Heading,
        });
    }
}

/// Headings that name a thing: short, not a question or a step, not a generic section title.
fn heading_is_term(text: &str) -> bool {
    let (term, _) = split_alias(text);
    let first_word = term
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let numbered = term.starts_with(|c: char| c.is_ascii_digit())
        || (["step", "case", "phase", "part", "stage", "level", "layer"]
            .contains(&first_word.as_str())
            && term
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit())));
    !term.is_empty()
        && term.split_whitespace().count() <= 5
        && term.len() <= 60
        && !numbered
        && !term.ends_with(['?', ':', '!'])
        && !term.contains(':')
        && !is_generic(term)
}

/// The paragraph that directly follows `offset` (only blank lines between), ending before `limit`.
fn paragraph_right_after(
    text: &str,
    syntax: &NoteSyntax,
    offset: usize,
    limit: usize,
) -> Option<TextRange> {
    let idx = syntax
        .paragraphs
        .partition_point(|p| (p.start as usize) < offset);
    let paragraph = *syntax.paragraphs.get(idx)?;
    let gap = text.get(offset..paragraph.start as usize)?;
    (gap.trim().is_empty() && (paragraph.end as usize) <= limit).then_some(paragraph)
}

// Helpers.

/// Collapses runs of ASCII whitespace (line breaks included) into one space and trims.
fn collapse(text: &str) -> Cow<'_, str> {
    let text = text.trim_ascii();
    let bytes = text.as_bytes();
    // Most definitions are one line with single spaces: nothing to collapse.
    if memchr::memchr3(b'\n', b'\t', b'\r', bytes).is_none()
        && memchr::memmem::find(bytes, b"  ").is_none()
    {
        return Cow::Borrowed(text);
    }
    let mut res: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut pending_space = false;
    for &byte in bytes {
        if byte.is_ascii_whitespace() {
            pending_space = !res.is_empty();
        } else {
            if pending_space {
                res.push(b' ');
                pending_space = false;
            }
            res.push(byte);
        }
    }
    // Only ASCII bytes were dropped or added, so the bytes are still UTF-8.
    Cow::Owned(String::from_utf8(res).unwrap_or_default())
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text[..end].trim_end())
}

fn trim_end_blank(text: &str, mut end: usize) -> usize {
    while end > 0 && text.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// The whole line(s) `range` is on, without the line break.
fn line_range(text: &str, range: TextRange) -> TextRange {
    let start = text[..range.start as usize]
        .rfind('\n')
        .map_or(0, |n| n + 1);
    let end = text[range.end as usize..]
        .find('\n')
        .map_or(text.len(), |n| range.end as usize + n);
    TextRange::new(start, end)
}

#[cfg(test)]
mod tests;
