//! `kbls.toml`: the corpus configuration, parsed from text. Unknown keys and bad values are errors
//! that name the file, line and key; nothing is silently ignored.

use crate::codes::{Code, Severity};
use crate::dialect::{Dialect, Site};
use crate::syntax::ParseOptions;
use crate::terms::BuiltinPack;
use serde::Deserialize;
use std::collections::HashMap;

pub const FILE_NAME: &str = "kbls.toml";

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub stale_after_days: u32,
    pub date_label: String,
    pub date_keys: Vec<String>,
    /// Glob patterns (gitignore syntax) of paths to leave out of the corpus.
    pub exclude: Vec<String>,
    pub wikilinks: bool,
    /// Files larger than this are reported as `unreadable-file` and not parsed.
    pub max_file_size: u64,
    /// Severity overrides by rule; `None` turns a rule off.
    pub rules: HashMap<Code, Option<Severity>>,
    /// Days a git commit may come after a note's date before `outdated-date` reports it.
    pub date_grace_days: u32,
    /// Staleness thresholds for some folders or tags, first match wins over `stale_after_days`.
    pub staleness: Vec<StalenessRule>,
    /// `[terms]`: which term packs are in use.
    pub terms: TermsConfig,
    /// `dialect = "..."`: the one asked for, `None` for `"auto"` (detected).
    pub dialect: Option<Dialect>,
    /// The dialect in use and its site layout, settled by the loader.
    pub site: Site,
}

/// `[terms] packs = ["ops-terms.tsv"]`, `builtin = ["dcgm", "kubectl", "xid"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermsConfig {
    /// The user's packs, paths relative to the corpus root.
    pub packs: Vec<String>,
    /// The shipped packs in use (all of them unless the config names fewer).
    pub builtin: Vec<BuiltinPack>,
}

impl Default for TermsConfig {
    fn default() -> Self {
        TermsConfig {
            packs: Vec::new(),
            builtin: BuiltinPack::ALL.to_vec(),
        }
    }
}

/// `[[staleness]]`: notes under `path` (a glob) or tagged `tag` go stale after `after_days`.
#[derive(Clone, Debug)]
pub struct StalenessRule {
    pub path: Option<globset::GlobMatcher>,
    pub tag: Option<String>,
    pub after_days: u32,
}

impl PartialEq for StalenessRule {
    fn eq(&self, other: &Self) -> bool {
        self.path.as_ref().map(|g| g.glob().glob()) == other.path.as_ref().map(|g| g.glob().glob())
            && self.tag == other.tag
            && self.after_days == other.after_days
    }
}

impl Default for Config {
    fn default() -> Self {
        let parse = ParseOptions::default();
        Config {
            stale_after_days: 180,
            date_label: parse.date_label,
            date_keys: parse.date_keys,
            exclude: Vec::new(),
            wikilinks: parse.wikilinks,
            max_file_size: 8 * 1024 * 1024,
            rules: HashMap::new(),
            date_grace_days: 1,
            staleness: Vec::new(),
            terms: TermsConfig::default(),
            dialect: None,
            site: Site::default(),
        }
    }
}

impl Config {
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            date_label: self.date_label.clone(),
            date_keys: self.date_keys.clone(),
            // Hugo and mdBook render `[[x]]` as brackets around text, not as a link.
            wikilinks: self.wikilinks
                && !matches!(self.site.dialect, Dialect::Hugo | Dialect::Mdbook),
            site: self.site.clone(),
        }
    }

    /// The severity of `code` after overrides; `None` when the rule is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.rules.get(&code) {
            Some(level) => *level,
            // Obsidian opens a duplicate name the way the resolver does, so it is no mistake.
            None if code == Code::AmbiguousWikilink && self.site.dialect == Dialect::Obsidian => {
                None
            }
            None => code.default_severity(),
        }
    }

    /// The staleness threshold of a note at `path` with `tags`.
    pub fn stale_after_days_for(&self, path: &str, tags: &[String]) -> u32 {
        self.staleness
            .iter()
            .find(|rule| {
                rule.path.as_ref().is_some_and(|glob| glob.is_match(path))
                    || rule
                        .tag
                        .as_ref()
                        .is_some_and(|tag| tags.iter().any(|t| t == tag))
            })
            .map_or(self.stale_after_days, |rule| rule.after_days)
    }

    /// Sets the severity of a rule from its config spelling (`"error"`, ..., `"off"`).
    pub fn set_rule(&mut self, code: &str, level: &str) -> Result<(), String> {
        let code: Code = code
            .parse()
            .map_err(|()| format!("unknown rule `{code}`"))?;
        let level = parse_level(level)?;
        self.rules.insert(code, level);
        Ok(())
    }
}

fn parse_level(level: &str) -> Result<Option<Severity>, String> {
    match level {
        "error" => Ok(Some(Severity::Error)),
        "warning" => Ok(Some(Severity::Warning)),
        "info" => Ok(Some(Severity::Info)),
        "hint" => Ok(Some(Severity::Hint)),
        "off" => Ok(None),
        other => Err(format!(
            "invalid severity `{other}` (expected \"error\", \"warning\", \"info\", \"hint\" or \"off\")"
        )),
    }
}

/// `"auto"` (`None`) or a dialect's name, as `kbls.toml` and the server setting spell it.
pub fn parse_dialect(name: &str) -> Result<Option<Dialect>, String> {
    if name == "auto" {
        return Ok(None);
    }
    Dialect::from_name(name).map(Some).ok_or_else(|| {
        format!("unknown dialect `{name}` (expected \"auto\", \"github\", \"obsidian\", \"hugo\" or \"mdbook\")")
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    stale_after_days: Option<u32>,
    date_label: Option<String>,
    date_keys: Option<Vec<String>>,
    exclude: Option<Vec<toml::Spanned<String>>>,
    wikilinks: Option<bool>,
    max_file_size: Option<u64>,
    rules: Option<toml::Spanned<HashMap<toml::Spanned<String>, toml::Spanned<String>>>>,
    date_grace_days: Option<u32>,
    staleness: Option<Vec<toml::Spanned<RawStaleness>>>,
    terms: Option<RawTerms>,
    dialect: Option<toml::Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerms {
    packs: Option<Vec<String>>,
    builtin: Option<toml::Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStaleness {
    path: Option<String>,
    tag: Option<String>,
    after_days: u32,
}

/// Parses the text of a `kbls.toml`; `file` names it in error messages.
pub fn parse(text: &str, file: &str) -> Result<Config, String> {
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let location = err
            .span()
            .map(|span| format_location(text, span.start))
            .unwrap_or_default();
        format!("{file}{location}: {}", err.message().trim())
    })?;
    let mut config = Config::default();
    if let Some(days) = raw.stale_after_days {
        config.stale_after_days = days;
    }
    if let Some(label) = raw.date_label {
        if label.trim().is_empty() {
            return Err(format!("{file}: `date_label` must not be empty"));
        }
        config.date_label = label;
    }
    if let Some(keys) = raw.date_keys {
        config.date_keys = keys;
    }
    for pattern in raw.exclude.unwrap_or_default() {
        let location = format_location(text, pattern.span().start);
        let pattern = pattern.into_inner();
        // Patterns have gitignore syntax: a leading `!` re-includes, a leading `/` anchors.
        let glob = pattern.strip_prefix('!').unwrap_or(&pattern);
        if let Err(err) = globset::Glob::new(glob.strip_prefix('/').unwrap_or(glob)) {
            return Err(format!(
                "{file}{location}: `exclude`: invalid pattern `{pattern}`: {}",
                err.kind()
            ));
        }
        config.exclude.push(pattern);
    }
    if let Some(wikilinks) = raw.wikilinks {
        config.wikilinks = wikilinks;
    }
    if let Some(size) = raw.max_file_size {
        config.max_file_size = size;
    }
    if let Some(days) = raw.date_grace_days {
        config.date_grace_days = days;
    }
    for rule in raw.staleness.unwrap_or_default() {
        let location = format_location(text, rule.span().start);
        let rule = rule.into_inner();
        if rule.path.is_none() && rule.tag.is_none() {
            return Err(format!(
                "{file}{location}: [[staleness]] needs a `path` or a `tag`"
            ));
        }
        let path = match rule.path {
            Some(pattern) => Some(
                globset::Glob::new(&pattern)
                    .map_err(|err| format!("{file}{location}: [[staleness]] invalid path pattern `{pattern}`: {err}"))?
                    .compile_matcher(),
            ),
            None => None,
        };
        config.staleness.push(StalenessRule {
            path,
            tag: rule.tag,
            after_days: rule.after_days,
        });
    }
    if let Some(terms) = raw.terms {
        config.terms.packs = terms.packs.unwrap_or_default();
        if let Some(builtin) = terms.builtin {
            let location = format_location(text, builtin.span().start);
            config.terms.builtin = builtin
                .into_inner()
                .iter()
                .map(|name| {
                    BuiltinPack::from_name(name).ok_or_else(|| {
                        format!("{file}{location}: [terms] unknown shipped pack `{name}` (expected \"dcgm\", \"kubectl\" or \"xid\")")
                    })
                })
                .collect::<Result<_, _>>()?;
        }
    }
    if let Some(dialect) = raw.dialect {
        let location = format_location(text, dialect.span().start);
        config.dialect = parse_dialect(dialect.get_ref())
            .map_err(|why| format!("{file}{location}: `dialect`: {why}"))?;
    }
    if let Some(rules) = raw.rules {
        for (code, level) in rules.into_inner() {
            config
                .set_rule(code.get_ref(), level.get_ref())
                .map_err(|why| {
                    let span = if why.starts_with("unknown rule") {
                        code.span()
                    } else {
                        level.span()
                    };
                    let why = if why.starts_with("unknown rule") {
                        why
                    } else {
                        format!("`{}`: {why}", code.get_ref())
                    };
                    format!("{file}{}: [rules] {why}", format_location(text, span.start))
                })?;
        }
    }
    Ok(config)
}

fn format_location(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!(":{line}:{col}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let config = parse(
            "stale_after_days = 30\ndate_label = \"Updated\"\nexclude = [\"drafts/**\"]\nwikilinks = false\n[rules]\nmissing-date = \"warning\"\nbroken-link = \"off\"\n",
            "kbls.toml",
        )
        .unwrap();
        assert_eq!(config.stale_after_days, 30);
        assert_eq!(config.date_label, "Updated");
        assert!(!config.wikilinks);
        assert_eq!(config.severity(Code::MissingDate), Some(Severity::Warning));
        assert_eq!(config.severity(Code::BrokenLink), None);
        assert_eq!(config.severity(Code::BrokenAnchor), Some(Severity::Error));
    }

    #[test]
    fn dialect_is_auto_or_a_name() {
        assert_eq!(parse("", "kbls.toml").unwrap().dialect, None);
        assert_eq!(
            parse("dialect = \"auto\"\n", "kbls.toml").unwrap().dialect,
            None
        );
        assert_eq!(
            parse("dialect = \"hugo\"\n", "kbls.toml").unwrap().dialect,
            Some(Dialect::Hugo)
        );
        let err = parse("dialect = \"jekyll\"\n", "kbls.toml").unwrap_err();
        assert_eq!(err, "kbls.toml:1:11: `dialect`: unknown dialect `jekyll` (expected \"auto\", \"github\", \"obsidian\", \"hugo\" or \"mdbook\")");
    }

    #[test]
    fn ambiguous_wikilinks_are_off_by_default_in_obsidian() {
        let mut config = Config::default();
        assert_eq!(
            config.severity(Code::AmbiguousWikilink),
            Some(Severity::Warning)
        );
        config.site = Site::new(Dialect::Obsidian);
        assert_eq!(config.severity(Code::AmbiguousWikilink), None);
        config.set_rule("ambiguous-wikilink", "error").unwrap();
        assert_eq!(
            config.severity(Code::AmbiguousWikilink),
            Some(Severity::Error)
        );
    }

    #[test]
    fn staleness_thresholds_by_folder_and_tag() {
        let config = parse(
            "stale_after_days = 180\n[[staleness]]\npath = \"gpu/**\"\nafter_days = 90\n[[staleness]]\ntag = \"evergreen\"\nafter_days = 3650\n",
            "kbls.toml",
        )
        .unwrap();
        assert_eq!(config.stale_after_days_for("gpu/dcgm.md", &[]), 90);
        assert_eq!(
            config.stale_after_days_for("linux/boot.md", &["evergreen".into()]),
            3650
        );
        assert_eq!(config.stale_after_days_for("linux/boot.md", &[]), 180);
        let err = parse("[[staleness]]\nafter_days = 3\n", "kbls.toml").unwrap_err();
        assert_eq!(
            err,
            "kbls.toml:1:1: [[staleness]] needs a `path` or a `tag`"
        );
    }

    #[test]
    fn terms_packs() {
        let config = parse(
            "[terms]\npacks = [\"ops.tsv\"]\nbuiltin = [\"dcgm\"]\n",
            "kbls.toml",
        )
        .unwrap();
        assert_eq!(config.terms.packs, ["ops.tsv"]);
        assert_eq!(config.terms.builtin, [BuiltinPack::Dcgm]);
        let config = parse("[terms]\nbuiltin = [\"xid\", \"kubectl\"]\n", "kbls.toml").unwrap();
        assert_eq!(
            config.terms.builtin,
            [BuiltinPack::Xid, BuiltinPack::Kubectl]
        );
        let err = parse("[terms]\nbuiltin = [\"helm\"]\n", "kbls.toml").unwrap_err();
        assert_eq!(err, "kbls.toml:2:11: [terms] unknown shipped pack `helm` (expected \"dcgm\", \"kubectl\" or \"xid\")");
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let err = parse(
            "stale_after_days = 3\nstale_after_dayz = 3\n",
            "kb/kbls.toml",
        )
        .unwrap_err();
        assert!(
            err.starts_with("kb/kbls.toml:2:1: unknown field `stale_after_dayz`"),
            "{err}"
        );
        let err = parse("[rules]\nbroken-link = \"fatal\"\n", "kbls.toml").unwrap_err();
        assert_eq!(
            err,
            "kbls.toml:2:15: [rules] `broken-link`: invalid severity `fatal` (expected \"error\", \"warning\", \"info\", \"hint\" or \"off\")"
        );
        let err = parse("[rules]\nbroken-lnk = \"error\"\n", "kbls.toml").unwrap_err();
        assert_eq!(err, "kbls.toml:2:1: [rules] unknown rule `broken-lnk`");
        let err = parse("stale_after_days = \"soon\"\n", "kbls.toml").unwrap_err();
        assert!(err.starts_with("kbls.toml:1:20: invalid type"), "{err}");
        let err = parse("exclude = [\"drafts/**\",\n  \"![[[**\"]\n", "kbls.toml").unwrap_err();
        assert_eq!(
            err,
            "kbls.toml:2:3: `exclude`: invalid pattern `![[[**`: unclosed character class; missing ']'"
        );
    }
}
