//! The rules: one function computes every finding of one note, for `kbls check` and the server alike.

mod chapters;
mod dates;
mod links;
mod suggest;

use crate::config::Config;
use crate::graph::{Graph, NoteId, PathKeys};
use crate::history::History;
use crate::text::TextRange;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::sync::Arc;

/// Stable rule codes, as users write them in `kbls.toml` and suppression comments.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Code {
    BrokenLink,
    BrokenAnchor,
    UndefinedReference,
    AmbiguousWikilink,
    StaleNote,
    InvalidDate,
    FutureDate,
    MissingDate,
    DuplicateHeading,
    LinkOutsideRoot,
    UnreadableFile,
    UnknownDcgmField,
    UnknownKubectlFlag,
    UnknownKubectlCommand,
    OutdatedDate,
    DateNotToday,
    InvalidFrontMatter,
    UnlistedChapter,
}

impl Code {
    pub const ALL: [Code; 18] = [
        Code::BrokenLink,
        Code::BrokenAnchor,
        Code::UndefinedReference,
        Code::AmbiguousWikilink,
        Code::StaleNote,
        Code::InvalidDate,
        Code::FutureDate,
        Code::MissingDate,
        Code::DuplicateHeading,
        Code::LinkOutsideRoot,
        Code::UnreadableFile,
        Code::UnknownDcgmField,
        Code::UnknownKubectlFlag,
        Code::UnknownKubectlCommand,
        Code::OutdatedDate,
        Code::DateNotToday,
        Code::InvalidFrontMatter,
        Code::UnlistedChapter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::BrokenLink => "broken-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::UndefinedReference => "undefined-reference",
            Code::AmbiguousWikilink => "ambiguous-wikilink",
            Code::StaleNote => "stale-note",
            Code::InvalidDate => "invalid-date",
            Code::FutureDate => "future-date",
            Code::MissingDate => "missing-date",
            Code::DuplicateHeading => "duplicate-heading",
            Code::LinkOutsideRoot => "link-outside-root",
            Code::UnreadableFile => "unreadable-file",
            Code::UnknownDcgmField => "unknown-dcgm-field",
            Code::UnknownKubectlFlag => "unknown-kubectl-flag",
            Code::UnknownKubectlCommand => "unknown-kubectl-command",
            Code::OutdatedDate => "outdated-date",
            Code::DateNotToday => "date-not-today",
            Code::InvalidFrontMatter => "invalid-front-matter",
            Code::UnlistedChapter => "unlisted-chapter",
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn from_str(code: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The severity a rule has unless configured; `None` for rules that are off by default.
    pub fn default_severity(self) -> Option<Severity> {
        match self {
            Code::BrokenLink
            | Code::BrokenAnchor
            | Code::UndefinedReference
            | Code::InvalidDate
            | Code::UnreadableFile => Some(Severity::Error),
            Code::AmbiguousWikilink
            | Code::StaleNote
            | Code::FutureDate
            | Code::LinkOutsideRoot
            | Code::UnknownDcgmField
            | Code::UnknownKubectlFlag
            | Code::UnknownKubectlCommand
            | Code::OutdatedDate
            | Code::InvalidFrontMatter
            | Code::UnlistedChapter => Some(Severity::Warning),
            Code::DateNotToday => Some(Severity::Hint),
            Code::MissingDate | Code::DuplicateHeading => None,
        }
    }

    /// One line on what the rule finds, for SARIF rule metadata and `--help`-style listings.
    pub fn description(self) -> &'static str {
        match self {
            Code::BrokenLink => {
                "A local link, image or wiki-link whose target file does not exist."
            }
            Code::BrokenAnchor => {
                "The target file exists but has no heading or anchor for the fragment."
            }
            Code::UndefinedReference => "A reference-style link with no matching definition.",
            Code::AmbiguousWikilink => "A wiki-link stem that matches several notes.",
            Code::StaleNote => "The note's date is older than the staleness threshold.",
            Code::InvalidDate => "A date that does not parse or does not exist.",
            Code::FutureDate => "A date after today.",
            Code::MissingDate => "A note without any date.",
            Code::DuplicateHeading => "Two headings with the same anchor in one note.",
            Code::LinkOutsideRoot => "A relative link that climbs out of the corpus root.",
            Code::UnreadableFile => "A file that is not UTF-8, is binary, or is too large.",
            Code::UnknownDcgmField => "A DCGM_FI_ identifier that is not a DCGM field.",
            Code::UnknownKubectlFlag => "A kubectl flag that the command does not have.",
            Code::UnknownKubectlCommand => "A kubectl subcommand that does not exist.",
            Code::OutdatedDate => {
                "The note's content changed in a git commit made after the date it states."
            }
            Code::DateNotToday => {
                "A note being edited whose date is not today (language server only)."
            }
            Code::InvalidFrontMatter => {
                "Front matter that does not parse, or whose YAML aliases expand too far to read."
            }
            Code::UnlistedChapter => {
                "An mdBook chapter that SUMMARY.md does not list, so mdBook does not render it."
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

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
        let delimiter = crate::text::TextRange::new(start, (start + 3).min(note.text.len()));
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
    check_terms(graph, note, &mut findings);
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

/// `unknown-dcgm-field`, `unknown-kubectl-command`, `unknown-kubectl-flag`, with their fixes.
fn check_terms(graph: &Graph, note: &crate::graph::Note, findings: &mut Vec<Finding>) {
    for found in crate::terms::check(&note.text, &note.syntax, graph.packs()) {
        let Some(code) = Code::from_str(found.code) else {
            continue;
        };
        let mut finding = Finding::new(code, found.range, found.message);
        finding.fix = found.suggestion.as_ref().map(|new_text| Fix {
            range: found.range,
            new_text: new_text.clone(),
        });
        finding.suggestion = found.suggestion;
        findings.push(finding);
    }
}

#[cfg(test)]
mod tests;
