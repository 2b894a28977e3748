//! Git history, read once per run: for every note, the last commit that changed its content.
//!
//! Pure: this module parses what git prints, and `load::git` runs git. The input is one
//! `git log -p` pass over the Markdown files, newest first, with whitespace ignored and renames
//! followed. A commit counts only when it adds or removes a line that is neither blank nor the
//! date itself (`Last updated:` or a front matter date key), so bumping the date or reflowing
//! whitespace does not make a note look edited. Outside a repository there is no history and the
//! rule is off; in a shallow clone, notes whose only change is the shallow boundary are reported
//! as unknown rather than guessed.

use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// The last content-changing commit of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastChange {
    pub short_hash: String,
    pub date: NaiveDate,
    pub subject: String,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    /// Corpus-relative path (as the note is named now) to its last content change.
    pub changes: HashMap<String, LastChange>,
    /// Notes whose history is cut off by a shallow clone: no judgement is possible.
    pub too_shallow: HashSet<String>,
    pub shallow: bool,
}

/// What the rules need to know about one note's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteHistory {
    Changed(LastChange),
    TooShallow,
    Unknown,
}

impl History {
    pub fn of(&self, path: &str) -> NoteHistory {
        if let Some(change) = self.changes.get(path) {
            NoteHistory::Changed(change.clone())
        } else if self.too_shallow.contains(path) {
            NoteHistory::TooShallow
        } else {
            NoteHistory::Unknown
        }
    }
}

/// Re-roots `history`, whose paths are relative to the repository, at a corpus root `prefix`
/// folders below the repository's top (`""` when they are the same): paths outside it go.
pub fn under_prefix(mut history: History, prefix: &str) -> History {
    if prefix.is_empty() {
        return history;
    }
    let prefix = format!("{prefix}/");
    history.changes = std::mem::take(&mut history.changes)
        .into_iter()
        .filter_map(|(p, c)| Some((p.strip_prefix(&prefix)?.to_string(), c)))
        .collect();
    history.too_shallow = std::mem::take(&mut history.too_shallow)
        .into_iter()
        .filter_map(|p| Some(p.strip_prefix(&prefix)?.to_string()))
        .collect();
    history
}

/// Parses `git log -p` output (newest commit first) into each path's last content change.
pub fn parse_log(text: &str, date_markers: &[String], boundaries: &HashSet<String>) -> History {
    let mut res = History::default();
    // Historical name → the name the note has now, for renames seen so far (newest first).
    let mut current_name: HashMap<String, String> = HashMap::new();
    // Paths whose last change is already known.
    let mut settled: HashSet<String> = HashSet::new();
    for commit in text.split('\u{1e}').filter(|c| !c.trim().is_empty()) {
        let (header, body) = commit.split_once('\n').unwrap_or((commit, ""));
        let mut fields = header.split('\u{1f}');
        let (Some(hash), Some(short), Some(date), Some(subject)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(date) = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d") else {
            continue;
        };
        let is_boundary = boundaries.contains(hash);
        for file in body
            .split("\ndiff --git ")
            .flat_map(|s| s.strip_prefix("diff --git ").or(Some(s)))
        {
            let Some(diff) = FileDiff::parse(file) else {
                continue;
            };
            let now = current_name
                .get(&diff.new_path)
                .cloned()
                .unwrap_or_else(|| diff.new_path.clone());
            if settled.contains(&now) {
                continue;
            }
            let changed = diff
                .lines
                .iter()
                .any(|line| is_content_line(line, date_markers));
            if changed {
                if is_boundary {
                    res.too_shallow.insert(now.clone());
                } else {
                    res.changes.insert(
                        now.clone(),
                        LastChange {
                            short_hash: short.to_string(),
                            date,
                            subject: subject.trim().to_string(),
                        },
                    );
                }
                settled.insert(now);
            } else if let Some(old) = diff.renamed_from {
                // A pure rename: the note's older changes were made under its old name.
                current_name.insert(old, now);
            }
        }
    }
    res
}

struct FileDiff {
    new_path: String,
    renamed_from: Option<String>,
    /// Added and removed lines, with their `+`/`-`.
    lines: Vec<String>,
}

impl FileDiff {
    fn parse(text: &str) -> Option<FileDiff> {
        let mut new_path = None;
        let mut renamed_from = None;
        let mut lines = Vec::new();
        let mut in_hunk = false;
        for line in text.lines() {
            if in_hunk {
                if (line.starts_with('+') || line.starts_with('-'))
                    && !line.starts_with("+++")
                    && !line.starts_with("---")
                {
                    lines.push(line.to_string());
                }
                continue;
            }
            if let Some(path) = line.strip_prefix("+++ b/") {
                new_path = Some(path.to_string());
            } else if let Some(path) = line.strip_prefix("rename to ") {
                new_path = Some(path.to_string());
            } else if let Some(path) = line.strip_prefix("rename from ") {
                renamed_from = Some(path.to_string());
            } else if line.starts_with("+++ /dev/null") {
                return None;
            } else if line.starts_with("@@") {
                in_hunk = true;
            }
        }
        if new_path.is_none() {
            // A rename without changes has no `+++` line; `a/x b/y` on the first line names both.
            let first = text.lines().next()?;
            new_path = first.split(" b/").nth(1).map(str::to_string);
        }
        Some(FileDiff {
            new_path: new_path?,
            renamed_from,
            lines,
        })
    }
}

/// A changed line that is real content: not blank, not a date line.
fn is_content_line(line: &str, date_markers: &[String]) -> bool {
    let body = line[1..].trim().trim_start_matches(['*', '_', '>', ' ']);
    !body.is_empty()
        && !date_markers
            .iter()
            .any(|m| body.to_lowercase().starts_with(&m.to_lowercase()))
}

/// The paths of `git diff --name-status` output (`M\tpath`, `D\tpath`, `R100\told\tnew`): both
/// of a rename, only the new one of a copy (whose source did not change).
pub fn changed_paths(name_status: &str) -> HashSet<String> {
    let mut res = HashSet::new();
    for line in name_status.lines() {
        let mut fields = line.split('\t');
        let is_rename = fields.next().is_some_and(|status| status.starts_with('R'));
        let paths: Vec<&str> = fields.collect();
        let changed = if is_rename {
            &paths[..]
        } else {
            &paths[paths.len().saturating_sub(1)..]
        };
        res.extend(changed.iter().map(|path| path.to_string()));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_count_at_both_paths() {
        let mut paths: Vec<String> =
            changed_paths("M\ta.md\nD\tgone.md\nR087\told/b.md\tb.md\nC100\tsrc.md\tcopy.md\nA\tnotes/new note.md\n")
                .into_iter()
                .collect();
        paths.sort();
        assert_eq!(
            paths,
            [
                "a.md",
                "b.md",
                "copy.md",
                "gone.md",
                "notes/new note.md",
                "old/b.md"
            ]
        );
    }

    const LOG: &str = "\u{1e}c3\u{1f}c3s\u{1f}2026-05-01\u{1f}Bump dates\n\ndiff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ -9 +9 @@\n-Last updated: 2026-01-01\n+Last updated: 2026-05-01\n\u{1e}c2\u{1f}c2s\u{1f}2026-04-01\u{1f}Move b\n\ndiff --git a/old/b.md b/b.md\nsimilarity index 100%\nrename from old/b.md\nrename to b.md\n\u{1e}c1\u{1f}c1s\u{1f}2026-03-01\u{1f}Write notes\n\ndiff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n-old text\n+new text\ndiff --git a/old/b.md b/old/b.md\n--- a/old/b.md\n+++ b/old/b.md\n@@ -2 +2 @@\n+real change\n";

    #[test]
    fn date_only_changes_do_not_count_and_renames_are_followed() {
        let history = parse_log(LOG, &["Last updated".to_string()], &HashSet::new());
        assert_eq!(history.changes["a.md"].short_hash, "c1s");
        assert_eq!(history.changes["b.md"].short_hash, "c1s");
        assert_eq!(history.changes["b.md"].subject, "Write notes");
        assert!(!history.changes.contains_key("old/b.md"));
    }

    #[test]
    fn changes_at_a_shallow_boundary_are_unknown() {
        let boundaries: HashSet<String> = ["c1".to_string()].into();
        let history = parse_log(LOG, &["Last updated".to_string()], &boundaries);
        assert_eq!(history.of("a.md"), NoteHistory::TooShallow);
    }
}
