//! The term pack format: one text file of tab-separated rows, each naming its kind, read into a
//! [`Pack`]. The shipped DCGM and kubectl packs and users' own packs use the same format, which
//! `packs/README.md` documents for users.
//!
//! Knows nothing about notes or the file system: a pack comes in as text.
//!
//! ```text
//! # kbls term pack v1
//! # name: ops
//! # version: 2025 edition
//! # license: CC0-1.0
//! term<TAB>SLO<TAB>service level objective<TAB>A target for a service level indicator.
//! ```

use std::fmt;

/// The first line a pack may start with; another version number is an error.
const FORMAT_PREFIX: &str = "# kbls term pack v";
const FORMAT_VERSION: &str = "1";

/// One parsed pack. Rows keep their file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pack {
    /// From the `# name:` header line, else empty (the caller may name it after its file).
    pub name: String,
    /// From `# title:`.
    pub title: String,
    /// From `# version:`: what the rows describe (`kubectl v1.33.1`), so that a reader on another
    /// version knows why a name is missing.
    pub version: String,
    /// The `# source:` lines joined with spaces.
    pub source: String,
    /// From `# license:`.
    pub license: String,
    pub dcgm_fields: Vec<DcgmField>,
    pub kubectl_commands: Vec<KubectlCommand>,
    pub kubectl_flags: Vec<KubectlFlag>,
    pub terms: Vec<PackTerm>,
}

/// A kind of row, so that [`Packs::pack_of`](super::Packs::pack_of) can tell which pack a row
/// came from.
pub trait PackRow: Sized {
    /// The pack's rows of this kind.
    fn rows(pack: &Pack) -> &[Self];
}

impl PackRow for DcgmField {
    fn rows(pack: &Pack) -> &[DcgmField] {
        &pack.dcgm_fields
    }
}

impl PackRow for KubectlCommand {
    fn rows(pack: &Pack) -> &[KubectlCommand] {
        &pack.kubectl_commands
    }
}

impl PackRow for KubectlFlag {
    fn rows(pack: &Pack) -> &[KubectlFlag] {
        &pack.kubectl_flags
    }
}

impl PackRow for PackTerm {
    fn rows(pack: &Pack) -> &[PackTerm] {
        &pack.terms
    }
}

/// A `DCGM_FI_*` field identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DcgmField {
    pub name: String,
    /// The numeric field id; an alias has the id of its target, a marker may have none.
    pub id: Option<u32>,
    /// `int64`, `double`, `string`, `binary`, `timestamp` or empty.
    pub value_type: String,
    pub unit: String,
    pub status: DcgmStatus,
    /// For a deprecated alias (`#define OLD NEW`), the current name it stands for.
    pub alias_of: Option<String>,
    /// Short provenance remarks (`removed after DCGM v2.4.7`, `dcgm-exporter gauge`).
    pub note: String,
    pub description: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DcgmStatus {
    Current,
    /// An old name kept as an alias, or a field its header comment calls deprecated.
    Deprecated,
    /// A range bound such as `DCGM_FI_MAX_FIELDS`, not a field.
    Marker,
    /// In an older DCGM release, not in the current one.
    Removed,
}

impl DcgmStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DcgmStatus::Current => "current",
            DcgmStatus::Deprecated => "deprecated",
            DcgmStatus::Marker => "marker",
            DcgmStatus::Removed => "removed",
        }
    }

    fn parse(text: &str) -> Option<DcgmStatus> {
        Some(match text {
            "" | "current" => DcgmStatus::Current,
            "deprecated" => DcgmStatus::Deprecated,
            "marker" => DcgmStatus::Marker,
            "removed" => DcgmStatus::Removed,
            _ => return None,
        })
    }
}

/// A kubectl command or subcommand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubectlCommand {
    /// The full path, `kubectl auth can-i`.
    pub path: String,
    /// Other names of the last word (`deploy` for `kubectl create deployment`).
    pub aliases: Vec<String>,
    pub synopsis: String,
    pub usage: String,
    pub description: String,
}

impl KubectlCommand {
    /// The last word of the path (`can-i`), or `kubectl` for the root.
    pub fn name(&self) -> &str {
        self.path.rsplit(' ').next().unwrap_or(&self.path)
    }

    /// The parent's path, `None` for the root.
    pub fn parent(&self) -> Option<&str> {
        self.path.rsplit_once(' ').map(|(parent, _)| parent)
    }
}

/// A kubectl flag of one or more commands. Flags of the root command `kubectl` are global: they
/// apply to every command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubectlFlag {
    /// Paths of the commands that have this flag, with this description.
    pub commands: Vec<String>,
    /// The long name with its dashes, `--sort-by`.
    pub long: String,
    pub short: Option<char>,
    pub value_type: FlagType,
    pub default: String,
    pub description: String,
}

impl KubectlFlag {
    /// Whether `name` is this flag as written: `--output`, `-o` or `o` (a letter of `-it`).
    pub fn is_written(&self, name: &str) -> bool {
        if name.starts_with("--") {
            return self.long == name;
        }
        let mut chars = name.trim_start_matches('-').chars();
        chars.next().is_some_and(|short| self.short == Some(short)) && chars.next().is_none()
    }

    /// `-o, --output` or `--sort-by`.
    pub fn display_name(&self) -> String {
        match self.short {
            Some(short) => format!("-{short}, {}", self.long),
            None => self.long.clone(),
        }
    }
}

/// The type of a flag's value, as far as kubectl's help shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagType {
    Bool,
    String,
    List,
    Int,
    Duration,
    /// Any other type; it takes a value.
    Other,
}

impl FlagType {
    /// Whether the flag consumes a value (`--output wide`); a bool flag takes one only as `--flag=false`.
    pub fn takes_value(self) -> bool {
        self != FlagType::Bool
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FlagType::Bool => "bool",
            FlagType::String => "string",
            FlagType::List => "list",
            FlagType::Int => "int",
            FlagType::Duration => "duration",
            FlagType::Other => "other",
        }
    }

    fn parse(text: &str) -> FlagType {
        match text {
            "bool" => FlagType::Bool,
            "string" | "" => FlagType::String,
            "list" => FlagType::List,
            "int" => FlagType::Int,
            "duration" => FlagType::Duration,
            _ => FlagType::Other,
        }
    }
}

/// A generic term of a user pack: a name, its other names and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackTerm {
    pub name: String,
    pub aliases: Vec<String>,
    pub definition: String,
    /// An optional URL for more.
    pub link: String,
}

/// Why a pack could not be read: the first bad line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for PackError {}

/// Columns of each kind, after the kind itself; the first is required, trailing ones may be left out.
const TERM_COLUMNS: &[&str] = &["name", "aliases", "definition", "link"];
const DCGM_COLUMNS: &[&str] = &[
    "name",
    "id",
    "type",
    "unit",
    "status",
    "alias_of",
    "note",
    "description",
];
const COMMAND_COLUMNS: &[&str] = &["path", "aliases", "synopsis", "usage", "description"];
const FLAG_COLUMNS: &[&str] = &[
    "commands",
    "flag",
    "shorthand",
    "type",
    "default",
    "description",
];

/// Reads a pack. Blank lines and lines starting with `#` are skipped; `# key: value` lines before
/// the first row fill the pack's name, title, version, source and license.
pub fn parse_pack(text: &str) -> Result<Pack, PackError> {
    let mut pack = Pack::default();
    let mut in_header = true;
    for (line_idx, line) in text.lines().enumerate() {
        let line_no = line_idx + 1;
        let err = |message: String| PackError {
            line: line_no,
            message,
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(version) = line.strip_prefix(FORMAT_PREFIX) {
            if version.trim() != FORMAT_VERSION {
                return Err(err(format!(
                    "unsupported pack version `{}` (this kbls reads v{FORMAT_VERSION})",
                    version.trim()
                )));
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if in_header {
                read_header_line(comment, &mut pack);
            }
            continue;
        }
        in_header = false;
        let mut fields = line.split('\t');
        let kind = fields.next().unwrap_or_default().trim();
        let columns = match kind {
            "term" => TERM_COLUMNS,
            "dcgm-field" => DCGM_COLUMNS,
            "kubectl-command" => COMMAND_COLUMNS,
            "kubectl-flag" => FLAG_COLUMNS,
            _ => {
                return Err(err(format!(
                    "unknown row kind `{kind}` (expected term, dcgm-field, kubectl-command or kubectl-flag, then a tab)"
                )))
            }
        };
        let values: Vec<String> = fields.map(unescape).collect();
        if values.len() > columns.len() {
            return Err(err(format!(
                "a `{kind}` row has at most {} columns after the kind ({}), found {}",
                columns.len(),
                columns.join(", "),
                values.len()
            )));
        }
        let get = |idx: usize| values.get(idx).map(|v| v.trim()).unwrap_or_default();
        if get(0).is_empty() {
            return Err(err(format!(
                "the `{}` column of a `{kind}` row is empty",
                columns[0]
            )));
        }
        match kind {
            "term" => pack.terms.push(PackTerm {
                name: get(0).to_string(),
                aliases: split_list(get(1), &['|', ',']),
                definition: get(2).to_string(),
                link: get(3).to_string(),
            }),
            "dcgm-field" => {
                let id = match get(1) {
                    "" => None,
                    id => Some(
                        id.parse::<u32>()
                            .map_err(|_| err(format!("field id `{id}` is not a number")))?,
                    ),
                };
                let status = DcgmStatus::parse(get(4)).ok_or_else(|| {
                    err(format!(
                        "unknown status `{}` (expected current, deprecated, marker or removed)",
                        get(4)
                    ))
                })?;
                pack.dcgm_fields.push(DcgmField {
                    name: get(0).to_string(),
                    id,
                    value_type: get(2).to_string(),
                    unit: get(3).to_string(),
                    status,
                    alias_of: Some(get(5).to_string()).filter(|s| !s.is_empty()),
                    note: get(6).to_string(),
                    description: get(7).to_string(),
                });
            }
            "kubectl-command" => {
                let path = get(0).split_whitespace().collect::<Vec<_>>().join(" ");
                if path != "kubectl" && !path.starts_with("kubectl ") {
                    return Err(err(format!(
                        "command path `{path}` does not start with `kubectl`"
                    )));
                }
                pack.kubectl_commands.push(KubectlCommand {
                    path,
                    aliases: split_list(get(1), &[',']),
                    synopsis: get(2).to_string(),
                    usage: get(3).to_string(),
                    description: get(4).to_string(),
                });
            }
            _ => {
                let commands: Vec<String> = split_list(get(0), &[','])
                    .iter()
                    .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect();
                if let Some(bad) = commands
                    .iter()
                    .find(|c| *c != "kubectl" && !c.starts_with("kubectl "))
                {
                    return Err(err(format!(
                        "command path `{bad}` does not start with `kubectl`"
                    )));
                }
                let long = get(1);
                if !long.starts_with("--") || long.len() < 3 || long.contains(char::is_whitespace) {
                    return Err(err(format!(
                        "flag `{long}` is not a long flag like `--output`"
                    )));
                }
                let short = match get(2) {
                    "" => None,
                    short => {
                        let mut chars = short.chars();
                        match (chars.next(), chars.next(), chars.next()) {
                            (Some('-'), Some(ch), None) if ch != '-' => Some(ch),
                            _ => {
                                return Err(err(format!(
                                    "shorthand `{short}` is not a dash and one character like `-o`"
                                )))
                            }
                        }
                    }
                };
                pack.kubectl_flags.push(KubectlFlag {
                    commands,
                    long: long.to_string(),
                    short,
                    value_type: FlagType::parse(get(3)),
                    default: get(4).to_string(),
                    description: get(5).to_string(),
                });
            }
        }
    }
    fill_alias_descriptions(&mut pack.dcgm_fields);
    Ok(pack)
}

fn read_header_line(comment: &str, pack: &mut Pack) {
    let Some((key, value)) = comment.split_once(':') else {
        return;
    };
    let value = value.trim();
    match key.trim() {
        "name" => pack.name = value.to_string(),
        "title" => pack.title = value.to_string(),
        "version" => pack.version = value.to_string(),
        "license" => pack.license = value.to_string(),
        "source" => {
            if !pack.source.is_empty() {
                pack.source.push(' ');
            }
            pack.source.push_str(value);
        }
        _ => {}
    }
}

/// Aliases are written without the description they share with their target, to keep packs small.
fn fill_alias_descriptions(fields: &mut [DcgmField]) {
    let by_name: std::collections::HashMap<&str, usize> = fields
        .iter()
        .enumerate()
        .map(|(idx, f)| (f.name.as_str(), idx))
        .collect();
    let fills: Vec<(usize, usize)> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.description.is_empty())
        .filter_map(|(idx, f)| Some((idx, *by_name.get(f.alias_of.as_deref()?)?)))
        .collect();
    for (idx, target) in fills {
        fields[idx].description = fields[target].description.clone();
    }
}

fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Undoes the pack escapes `\\`, `\t`, `\n` and `\r`; any other backslash stays as written.
fn unescape(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_string();
    }
    let mut res = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            res.push(ch);
            continue;
        }
        match chars.next() {
            Some('\\') => res.push('\\'),
            Some('t') => res.push('\t'),
            Some('n') => res.push('\n'),
            Some('r') => res.push('\r'),
            Some(other) => {
                res.push('\\');
                res.push(other);
            }
            None => res.push('\\'),
        }
    }
    res
}

/// The inverse of the reader's unescaping, for writing packs.
pub fn escape_field(field: &str) -> String {
    field
        .replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(text: &str, expect: Expect) {
        let res = match parse_pack(text) {
            Ok(pack) => format!("{pack:#?}"),
            Err(err) => format!("error: {err}"),
        };
        expect.assert_eq(&res);
    }

    #[test]
    fn user_pack_with_terms() {
        check(
            "# kbls term pack v1\n# name: ops\n# version: 2025 edition\n# source: our wiki\n# license: CC0-1.0\n\nterm\tSLO\tservice level objective|SLOs\tA target for an SLI.\\nSee the handbook.\nterm\tMTTR\n",
            expect![[r#"
                Pack {
                    name: "ops",
                    title: "",
                    version: "2025 edition",
                    source: "our wiki",
                    license: "CC0-1.0",
                    dcgm_fields: [],
                    kubectl_commands: [],
                    kubectl_flags: [],
                    terms: [
                        PackTerm {
                            name: "SLO",
                            aliases: [
                                "service level objective",
                                "SLOs",
                            ],
                            definition: "A target for an SLI.\nSee the handbook.",
                            link: "",
                        },
                        PackTerm {
                            name: "MTTR",
                            aliases: [],
                            definition: "",
                            link: "",
                        },
                    ],
                }"#]],
        );
    }

    #[test]
    fn dcgm_alias_gets_target_description() {
        check(
            "dcgm-field\tDCGM_FI_DEV_GPU_UTIL_RATIO\t203\tint64\t\tcurrent\t\t\tGPU Utilization\ndcgm-field\tDCGM_FI_DEV_GPU_UTIL\t203\tint64\t%\tdeprecated\tDCGM_FI_DEV_GPU_UTIL_RATIO\n",
            expect![[r#"
                Pack {
                    name: "",
                    title: "",
                    version: "",
                    source: "",
                    license: "",
                    dcgm_fields: [
                        DcgmField {
                            name: "DCGM_FI_DEV_GPU_UTIL_RATIO",
                            id: Some(
                                203,
                            ),
                            value_type: "int64",
                            unit: "",
                            status: Current,
                            alias_of: None,
                            note: "",
                            description: "GPU Utilization",
                        },
                        DcgmField {
                            name: "DCGM_FI_DEV_GPU_UTIL",
                            id: Some(
                                203,
                            ),
                            value_type: "int64",
                            unit: "%",
                            status: Deprecated,
                            alias_of: Some(
                                "DCGM_FI_DEV_GPU_UTIL_RATIO",
                            ),
                            note: "",
                            description: "GPU Utilization",
                        },
                    ],
                    kubectl_commands: [],
                    kubectl_flags: [],
                    terms: [],
                }"#]],
        );
    }

    #[test]
    fn kubectl_flag_shared_by_commands() {
        check(
            "kubectl-flag\tkubectl get,kubectl describe\t--selector\t-l\tstring\t\tSelector (label query) to filter on.\n",
            expect![[r#"
                Pack {
                    name: "",
                    title: "",
                    version: "",
                    source: "",
                    license: "",
                    dcgm_fields: [],
                    kubectl_commands: [],
                    kubectl_flags: [
                        KubectlFlag {
                            commands: [
                                "kubectl get",
                                "kubectl describe",
                            ],
                            long: "--selector",
                            short: Some(
                                'l',
                            ),
                            value_type: String,
                            default: "",
                            description: "Selector (label query) to filter on.",
                        },
                    ],
                    terms: [],
                }"#]],
        );
    }

    #[test]
    fn errors_name_the_line() {
        check(
            "# kbls term pack v2\n",
            expect!["error: line 1: unsupported pack version `2` (this kbls reads v1)"],
        );
        check("\nterms\tSLO\n", expect!["error: line 2: unknown row kind `terms` (expected term, dcgm-field, kubectl-command or kubectl-flag, then a tab)"]);
        check(
            "term\t\tdef\n",
            expect!["error: line 1: the `name` column of a `term` row is empty"],
        );
        check("term\ta\tb\tc\td\te\n", expect!["error: line 1: a `term` row has at most 4 columns after the kind (name, aliases, definition, link), found 5"]);
        check(
            "dcgm-field\tDCGM_FI_X\tabc\n",
            expect!["error: line 1: field id `abc` is not a number"],
        );
        check("dcgm-field\tDCGM_FI_X\t1\t\t\tgone\n", expect!["error: line 1: unknown status `gone` (expected current, deprecated, marker or removed)"]);
        check(
            "kubectl-flag\tkubectl get\t-o\n",
            expect!["error: line 1: flag `-o` is not a long flag like `--output`"],
        );
        check(
            "kubectl-flag\tkubectl get\t--output\to\n",
            expect!["error: line 1: shorthand `o` is not a dash and one character like `-o`"],
        );
        check(
            "kubectl-command\tget\n",
            expect!["error: line 1: command path `get` does not start with `kubectl`"],
        );
    }

    #[test]
    fn escapes_round_trip() {
        for field in [
            "plain",
            "tab\there",
            "line\nbreak",
            "back\\slash",
            "\\t literally",
            "end\\",
        ] {
            assert_eq!(unescape(&escape_field(field)), field);
        }
        assert_eq!(unescape(r"^127\.0\.0\.1$"), r"^127\.0\.0\.1$");
    }
}
