//! The rules: one function computes every finding of one note, for `kbls check` and the server alike.

mod chapters;
mod dates;
mod links;
mod suggest;
mod terms;

use crate::codes::{Code, Severity};
use crate::config::Config;
use crate::graph::{Graph, NoteId, PathKeys};
use crate::history::History;
use crate::text::TextRange;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    /// The closest fix as the user would write it (`#requests-vs-limits`, `../gpu/dcgm.md`).
    pub suggestion: Option<String>,
    /// The edit that applies the suggestion: replace `range` with `new_text`.
    pub fix: Option<Fix>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub range: TextRange,
    pub new_text: String,
}

/// What the rules need from outside: the configuration, today's date, the git history (when the
/// corpus is in a repository) and the notes being edited in an editor.
#[derive(Clone, Debug)]
pub struct DiagnosticsConfig {
    pub config: Config,
    pub today: NaiveDate,
    pub history: Option<Arc<History>>,
    /// Paths of notes changed in the editor this session (for `date-not-today`).
    pub edited: HashSet<String>,
}

impl DiagnosticsConfig {
    pub fn new(config: Config, today: NaiveDate) -> DiagnosticsConfig {
        DiagnosticsConfig {
            config,
            today,
            history: None,
            edited: HashSet::new(),
        }
    }
}

/// A finding before its severity is looked up.
pub(crate) struct Finding {
    pub code: Code,
    pub range: TextRange,
    pub message: String,
    pub suggestion: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(code: Code, range: TextRange, message: String) -> Finding {
        Finding {
            code,
            range,
            message,
            suggestion: None,
            fix: None,
        }
    }
}

/// Every finding of one note, sorted by position, with suppressions and severities applied.
/// Front matter kbls could not read: its title, tags, terms and date keys are then unknown.
fn check_front_matter(note: &crate::graph::Note, findings: &mut Vec<Finding>) {
    let Some(front_matter) = &note.syntax.front_matter else {
        return;
    };
    if let Some(error) = &front_matter.error {
        let start = front_matter.range.start as usize;
        let delimiter = crate::text::TextRange::new(start, (start + 3).min(note.text_len()));
        findings.push(Finding::new(
            Code::InvalidFrontMatter,
            delimiter,
            format!("front matter is not valid: {error}"),
        ));
    }
}

pub fn note_diagnostics(graph: &Graph, id: NoteId, cfg: &DiagnosticsConfig) -> Vec<Diagnostic> {
    let note = graph.note(id);
    let mut findings = Vec::new();
    links::check(graph, note, &mut findings);
    dates::check(note, cfg, &mut findings);
    links::check_duplicate_headings(note, &mut findings);
    findings.extend(terms::check(&note.text(), &note.syntax, graph.packs()));
    check_front_matter(note, &mut findings);
    chapters::check(graph, note, &mut findings);
    let mut res: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|f| {
            !note
                .syntax
                .suppressions
                .is_suppressed(f.code.as_str(), f.range.start as usize)
        })
        .filter_map(|f| {
            Some(Diagnostic {
                severity: cfg.config.severity(f.code)?,
                code: f.code,
                range: f.range,
                message: f.message,
                suggestion: f.suggestion,
                fix: f.fix,
            })
        })
        .collect();
    res.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    res
}

/// The findings of a corpus file that is no readable note (`unreadable-file`, at its start): the
/// one other kind of file with findings, so that the CLI and the server report it alike.
pub fn file_diagnostics(graph: &Graph, path: &str, cfg: &DiagnosticsConfig) -> Vec<Diagnostic> {
    let Some(reason) = graph.unreadable_reason(path) else {
        return Vec::new();
    };
    let code = Code::UnreadableFile;
    cfg.config
        .severity(code)
        .map(|severity| Diagnostic {
            code,
            severity,
            range: TextRange::new(0, 0),
            message: reason.to_string(),
            suggestion: None,
            fix: None,
        })
        .into_iter()
        .collect()
}

/// The findings of note `id` on its links that name one of the paths of `keys` (or a heading in
/// one): broken links and anchors, ambiguous wiki-links. Pull-request mode reports these for the
/// notes that link into the changed ones, and nothing else of theirs.
pub fn link_diagnostics_into(
    graph: &Graph,
    id: NoteId,
    cfg: &DiagnosticsConfig,
    keys: &PathKeys,
) -> Vec<Diagnostic> {
    let note = graph.note(id);
    let mut res = note_diagnostics(graph, id, cfg);
    res.retain(|d| {
        matches!(
            d.code,
            Code::BrokenLink | Code::BrokenAnchor | Code::AmbiguousWikilink
        ) && note
            .syntax
            .links
            .iter()
            .filter(|link| link.range.contains_range(d.range))
            // The innermost link: an image inside a link has findings of its own.
            .min_by_key(|link| link.range.len())
            .is_some_and(|link| keys.named_by(note, &link.target))
    });
    res
}

#[cfg(test)]
mod tests;
