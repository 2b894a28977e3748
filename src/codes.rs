//! Rule codes and severities: the stable names users write in `kbls.toml`, suppression comments
//! and client settings, and the levels a finding can have. Ground level: the configuration and
//! the rules both use them, and they know nothing else.

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

/// How much a finding matters, from `error` (fails `kbls check`) down to `hint`.
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

/// A rule name as users write it in `kbls.toml` and the client's settings.
impl std::str::FromStr for Code {
    /// The name is no rule's.
    type Err = ();

    fn from_str(code: &str) -> Result<Code, ()> {
        Code::ALL.into_iter().find(|c| c.as_str() == code).ok_or(())
    }
}
