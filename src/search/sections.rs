//! Splits one parsed note into the documents the search index holds: one for the note as a whole
//! (title, aliases, tags and the text before its first sub-heading) and one per heading section
//! (the section's own text, up to its first sub-heading).
//!
//! Pure: works on the text and the [`NoteSyntax`] the caller already has, never parses again and
//! knows nothing about tantivy.

use crate::syntax::{DateSource, NoteSyntax};
use crate::text::{LineIndex, TextRange};

/// Whether a document stands for the note as a whole or for one heading section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SectionKind {
    Title,
    Section,
}

impl SectionKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SectionKind::Title => "title",
            SectionKind::Section => "section",
        }
    }

    pub(crate) fn from_str(text: &str) -> SectionKind {
        if text == "title" {
            SectionKind::Title
        } else {
            SectionKind::Section
        }
    }
}

/// One searchable document: a note's title summary or one of its heading sections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionDoc {
    pub kind: SectionKind,
    /// The note's title: its first level-1 heading, else the front matter `title`, else the file
    /// name without its extension.
    pub title: String,
    /// The section's heading text; the title for the title document.
    pub heading: String,
    /// Ancestor headings joined with ` > `, starting with the title (`Networking > DNS > ndots`).
    pub heading_path: String,
    /// The zero-based line of `range.start`.
    pub line: u32,
    /// The heading; for the title document the title heading, else the front matter, else an
    /// empty range at the start of the note.
    pub range: TextRange,
    /// Front matter aliases (title document only).
    pub aliases: Vec<String>,
    /// The section's own prose with Markdown removed; code spans keep their text.
    pub body: String,
    /// The content of the section's code blocks.
    pub code: String,
    /// Identifier-like code spans, bold phrases and front matter terms, with where they are.
    pub terms: Vec<SectionTerm>,
    /// Front matter tags (every document of the note carries them).
    pub tags: Vec<String>,
    /// The note's date as written (`2026-03-26`), if it has one.
    pub date: Option<String>,
}

/// A term of a section: its text and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionTerm {
    pub text: String,
    pub range: TextRange,
    pub line: u32,
}

/// Code spans longer than this are commands rather than terms; they stay in the body only.
const MAX_CODE_TERM_LEN: usize = 64;
/// Bold runs longer than this are emphasis on a sentence, not a term.
const MAX_BOLD_TERM_LEN: usize = 80;

/// The documents of one note, in document order: the title document first, then one per heading
/// other than the title heading.
pub fn note_sections(path: &str, text: &str, syntax: &NoteSyntax) -> Vec<SectionDoc> {
    let line_index = LineIndex::new(text);
    let pieces = inline_pieces(text, syntax);
    let headings = &syntax.headings;
    let title_heading = headings.iter().position(|h| h.level == 1);
    let title = syntax
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| file_stem(path).to_string());
    let tags = syntax
        .front_matter
        .as_ref()
        .map(|fm| fm.tags.clone())
        .unwrap_or_default();
    let date = syntax.date.as_ref().map(|d| d.text.clone());
    let collector = Collector {
        text,
        syntax,
        line_index: &line_index,
        pieces: &pieces,
    };

    // The text a heading owns runs from its end to the start of the next heading of any level.
    let own_range = |idx: usize| {
        let start = headings[idx].range.end as usize;
        let end = headings
            .get(idx + 1)
            .map_or(text.len(), |h| h.range.start as usize);
        TextRange::new(start.min(end), end)
    };

    let mut res = Vec::with_capacity(headings.len() + 1);
    let preamble_end = headings
        .first()
        .map_or(text.len(), |h| h.range.start as usize);
    let mut title_ranges = vec![TextRange::new(0, preamble_end)];
    if let Some(idx) = title_heading {
        title_ranges.push(own_range(idx));
    }
    let title_range = match (title_heading, &syntax.front_matter) {
        (Some(idx), _) => headings[idx].range,
        (None, Some(fm)) => fm.range,
        (None, None) => TextRange::empty(0),
    };
    let mut title_doc = collector.collect(&title_ranges);
    if let Some(fm) = &syntax.front_matter {
        let line = line_index.line_of(fm.range.start as usize);
        for (term, _definition) in &fm.terms {
            push_term(&mut title_doc.terms, term, fm.range, line);
        }
    }
    res.push(SectionDoc {
        kind: SectionKind::Title,
        title: title.clone(),
        heading: title.clone(),
        heading_path: title.clone(),
        line: line_index.line_of(title_range.start as usize),
        range: title_range,
        aliases: syntax
            .front_matter
            .as_ref()
            .map(|fm| fm.aliases.clone())
            .unwrap_or_default(),
        body: title_doc.body,
        code: title_doc.code,
        terms: title_doc.terms,
        tags: tags.clone(),
        date: date.clone(),
    });

    // Ancestors of the current heading, as (level, text); the title heading is never one of them.
    let mut stack: Vec<(u8, &str)> = Vec::new();
    for (idx, heading) in headings.iter().enumerate() {
        if Some(idx) == title_heading {
            continue;
        }
        while stack
            .last()
            .is_some_and(|&(level, _)| level >= heading.level)
        {
            stack.pop();
        }
        let mut heading_path = title.clone();
        for (_, ancestor) in &stack {
            heading_path.push_str(" > ");
            heading_path.push_str(ancestor);
        }
        heading_path.push_str(" > ");
        heading_path.push_str(&heading.text);
        stack.push((heading.level, &heading.text));

        let content = collector.collect(&[own_range(idx)]);
        res.push(SectionDoc {
            kind: SectionKind::Section,
            title: title.clone(),
            heading: heading.text.clone(),
            heading_path,
            line: line_index.line_of(heading.range.start as usize),
            range: heading.range,
            aliases: Vec::new(),
            body: content.body,
            code: content.code,
            terms: content.terms,
            tags: tags.clone(),
            date: date.clone(),
        });
    }
    res
}

/// The file name of `path` without its extension.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// A piece of inline text: a prose run, or the inside of a code span.
#[derive(Clone, Copy, Debug)]
struct Piece {
    /// The text the piece contributes (for a code span, without its backticks).
    range: TextRange,
    is_code_span: bool,
}

/// Prose runs and code spans in document order, without the date line.
fn inline_pieces(text: &str, syntax: &NoteSyntax) -> Vec<Piece> {
    let date_line = syntax
        .date
        .as_ref()
        .filter(|d| d.source == DateSource::Line)
        .map(|d| d.line_range);
    let mut res: Vec<Piece> = syntax
        .text_runs
        .iter()
        .map(|range| Piece {
            range,
            is_code_span: false,
        })
        .chain(syntax.code_spans.iter().map(|&span| Piece {
            range: code_span_inner(text, span),
            is_code_span: true,
        }))
        .filter(|piece| !date_line.is_some_and(|line| line.contains_range(piece.range)))
        .collect();
    res.sort_by_key(|piece| piece.range.start);
    res
}

/// The inside of a code span: backticks removed, and one space on each side when both are there.
fn code_span_inner(text: &str, span: TextRange) -> TextRange {
    let Some(slice) = text.get(span.as_usize()) else {
        return TextRange::empty(span.start as usize);
    };
    let ticks = slice.len() - slice.trim_start_matches('`').len();
    let inner_start = ticks.min(slice.len());
    let inner_end = slice.len().saturating_sub(ticks).max(inner_start);
    let mut start = span.start as usize + inner_start;
    let mut end = span.start as usize + inner_end;
    let inner = &text[start..end];
    if inner.len() >= 2
        && inner.starts_with(' ')
        && inner.ends_with(' ')
        && !inner.trim().is_empty()
    {
        start += 1;
        end -= 1;
    }
    TextRange::new(start, end)
}

struct Collector<'a> {
    text: &'a str,
    syntax: &'a NoteSyntax,
    line_index: &'a LineIndex,
    pieces: &'a [Piece],
}

#[derive(Default)]
struct Content {
    body: String,
    code: String,
    terms: Vec<SectionTerm>,
}

impl Collector<'_> {
    /// Body, code and terms of the text inside `ranges` (sorted, not overlapping).
    fn collect(&self, ranges: &[TextRange]) -> Content {
        let mut res = Content::default();
        let mut comments = Vec::new();
        let text = self.text;
        for &range in ranges {
            let first = self.pieces.partition_point(|p| p.range.start < range.start);
            let mut prev_end: Option<usize> = None;
            for piece in &self.pieces[first..] {
                if piece.range.start >= range.end {
                    break;
                }
                let piece_text = text.get(piece.range.as_usize()).unwrap_or("");
                match prev_end {
                    // Runs split by inline markup (`**`, `](url)`) join directly; runs in different
                    // cells or lines keep a separator so words do not run together.
                    Some(prev) if prev <= piece.range.start as usize => {
                        let gap = text.get(prev..piece.range.start as usize).unwrap_or("");
                        if gap.contains('\n') {
                            res.body.push('\n');
                        } else if gap.chars().any(char::is_whitespace)
                            || gap.contains('|')
                            || (piece.is_code_span && ends_with_word_char(&res.body))
                        {
                            res.body.push(' ');
                        }
                    }
                    Some(_) => res.body.push(' '),
                    None if !res.body.is_empty() => res.body.push('\n'),
                    None => {}
                }
                res.body.push_str(piece_text);
                prev_end = Some(piece.range.end as usize);

                let line = || self.line_index.line_of(piece.range.start as usize);
                if piece.is_code_span {
                    let term = piece_text.trim();
                    if !term.is_empty()
                        && term.len() <= MAX_CODE_TERM_LEN
                        && !term.contains(char::is_whitespace)
                    {
                        push_term(&mut res.terms, term, piece.range, line());
                    }
                } else if is_bold(text, piece.range) {
                    let term = piece_text.trim();
                    if !term.is_empty() && term.len() <= MAX_BOLD_TERM_LEN {
                        push_term(&mut res.terms, term, piece.range, line());
                    }
                }
            }
            let blocks = &self.syntax.code_blocks;
            let first_block = blocks.partition_point(|b| b.range.start < range.start);
            for block in &blocks[first_block..] {
                if block.range.start >= range.end {
                    break;
                }
                if let Some(code) = text.get(block.content.as_usize()) {
                    if !res.code.is_empty() {
                        res.code.push('\n');
                    }
                    res.code.push_str(code.trim_end());
                    comments.extend(code.lines().filter_map(line_comment));
                }
            }
        }
        // Comments in code are prose ("# Force delete a pod"): they are searched as body text too.
        for comment in comments {
            res.body.push('\n');
            res.body.push_str(comment);
        }
        res.body = res.body.trim().to_string();
        res
    }
}

/// The text of a whole-line `# comment` or `// comment` of at least two words.
fn line_comment(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let rest = line
        .strip_prefix("# ")
        .or_else(|| line.strip_prefix("// "))?;
    let rest = rest.trim();
    rest.contains(' ').then_some(rest)
}

fn ends_with_word_char(text: &str) -> bool {
    text.chars().next_back().is_some_and(char::is_alphanumeric)
}

/// Whether the run at `range` is wrapped in `**` or `__` (its whole text is bold).
fn is_bold(text: &str, range: TextRange) -> bool {
    let before = text.get(..range.start as usize).unwrap_or("");
    let after = text.get(range.end as usize..).unwrap_or("");
    (before.ends_with("**") && after.starts_with("**"))
        || (before.ends_with("__") && after.starts_with("__"))
}

/// Adds a term unless the section already has it (compared without case).
fn push_term(terms: &mut Vec<SectionTerm>, text: &str, range: TextRange, line: u32) {
    if terms.iter().any(|t| t.text.eq_ignore_ascii_case(text)) {
        return;
    }
    terms.push(SectionTerm {
        text: text.to_string(),
        range,
        line,
    });
}
