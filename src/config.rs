//! `kbls.toml`: the corpus configuration, parsed from text. Unknown keys and bad values are errors
//! that name the file, line and key; nothing is silently ignored.

use crate::ide::diagnostics::{Code, Severity};
use crate::syntax::ParseOptions;
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
        }
    }
}

impl Config {
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            date_label: self.date_label.clone(),
            date_keys: self.date_keys.clone(),
            wikilinks: self.wikilinks,
        }
    }

    /// The severity of `code` after overrides; `None` when the rule is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.rules.get(&code) {
            Some(level) => *level,
            None => code.default_severity(),
        }
    }

    /// Sets the severity of a rule from its config spelling (`"error"`, ..., `"off"`).
    pub fn set_rule(&mut self, code: &str, level: &str) -> Result<(), String> {
        let code = Code::from_str(code).ok_or_else(|| format!("unknown rule `{code}`"))?;
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    stale_after_days: Option<u32>,
    date_label: Option<String>,
    date_keys: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    wikilinks: Option<bool>,
    max_file_size: Option<u64>,
    rules: Option<toml::Spanned<HashMap<toml::Spanned<String>, toml::Spanned<String>>>>,
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
    if let Some(exclude) = raw.exclude {
        config.exclude = exclude;
    }
    if let Some(wikilinks) = raw.wikilinks {
        config.wikilinks = wikilinks;
    }
    if let Some(size) = raw.max_file_size {
        config.max_file_size = size;
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
            "kbls.toml:2:15: [rules] invalid severity `fatal` (expected \"error\", \"warning\", \"info\", \"hint\" or \"off\")"
        );
        let err = parse("[rules]\nbroken-lnk = \"error\"\n", "kbls.toml").unwrap_err();
        assert_eq!(err, "kbls.toml:2:1: [rules] unknown rule `broken-lnk`");
        let err = parse("stale_after_days = \"soon\"\n", "kbls.toml").unwrap_err();
        assert!(err.starts_with("kbls.toml:1:20: invalid type"), "{err}");
    }
}
