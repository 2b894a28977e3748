//! Runs git for the loader: the top of the work tree holding a folder, the one `git log -p -w`
//! pass that `history` turns into each note's last content change, and the files changed since a
//! commit (`--changed-since`). The only module that starts a process; what git prints is parsed
//! in `history`, which stays pure.

use crate::history::{self, History};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `git -C dir args…`; its standard output when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = git_command(dir).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// The top of the git work tree holding `dir`, symbolic links resolved; `None` outside one, or
/// without git.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let top = top.trim_end_matches(['\n', '\r']);
    (!top.is_empty()).then(|| std::fs::canonicalize(top).unwrap_or_else(|_| PathBuf::from(top)))
}

/// Reads the history of the repository holding `root`; `None` outside a repository (or without
/// git). `date_markers` are the line prefixes of date lines (`Last updated:`, `lastmod:`).
pub fn read_history(root: &Path, date_markers: &[String]) -> Option<History> {
    let toplevel = toplevel(root)?;
    let root = std::fs::canonicalize(root).ok()?;
    let prefix = super::relative(&toplevel, &root)?;
    let shallow =
        git(&root, &["rev-parse", "--is-shallow-repository"]).is_some_and(|s| s.trim() == "true");
    let boundaries: HashSet<String> = if shallow {
        git(&root, &["rev-parse", "--git-path", "shallow"])
            .and_then(|p| std::fs::read_to_string(root.join(p.trim())).ok())
            .map(|s| s.lines().map(str::to_string).collect())
            .unwrap_or_default()
    } else {
        HashSet::new()
    };
    let log = git_command(&toplevel)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "-p",
            "-w",
            "-U0",
            "-M",
            "--no-color",
            "--no-ext-diff",
            "--no-merges",
        ])
        .args([
            "--format=%x1e%H%x1f%h%x1f%cs%x1f%s",
            "--",
            "*.md",
            "*.markdown",
        ])
        .output()
        .ok()?;
    if !log.status.success() {
        // A repository without commits has no history yet.
        return Some(History {
            shallow,
            ..History::default()
        });
    }
    let text = String::from_utf8_lossy(&log.stdout);
    let mut res = history::parse_log(&text, date_markers, &boundaries);
    res.shallow = shallow;
    // Paths in git are relative to the repository; notes are relative to the corpus root.
    Some(history::under_prefix(res, &prefix))
}

/// Files changed between `reference` and the working tree (committed, staged, unstaged and
/// untracked), relative to the corpus root: added, modified and deleted ones, and both the old and
/// the new path of a renamed one (links to the old path broke). `Err` with git's message when the
/// reference is unknown.
pub fn changed_since(root: &Path, reference: &str) -> Result<HashSet<String>, String> {
    // One line each, not git's usage text, when there is no repository or no such commit.
    if git(root, &["rev-parse", "--is-inside-work-tree"]).is_none() {
        return Err(format!(
            "--changed-since needs a git repository, and {} is not in one",
            root.display()
        ));
    }
    if git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
    .is_none()
    {
        return Err(format!(
            "--changed-since: no commit `{reference}` in this repository"
        ));
    }
    let output = git_command(root)
        .args([
            "-c",
            "core.quotepath=off",
            "diff",
            "--name-status",
            "--relative",
            "-M",
            reference,
            "--",
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git diff {reference}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let mut res = history::changed_paths(&String::from_utf8_lossy(&output.stdout));
    if let Some(untracked) = git(
        root,
        &[
            "-c",
            "core.quotepath=off",
            "ls-files",
            "--others",
            "--exclude-standard",
        ],
    ) {
        res.extend(untracked.lines().map(str::to_string));
    }
    Ok(res)
}
