//! `outdated-date` and `--changed-since` on real git repositories built in temp dirs.

use crate::support::write_file as write;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str], date: &str) {
    let stamp = format!("{date}T12:00:00Z");
    crate::support::git_with_env(
        dir,
        args,
        &[("GIT_AUTHOR_DATE", &stamp), ("GIT_COMMITTER_DATE", &stamp)],
    );
}

fn commit_all(dir: &Path, message: &str, date: &str) {
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "-m", message], date);
}

fn check(dir: &Path, extra: &[&str]) -> (Vec<(String, String, String)>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kbls"))
        .current_dir(dir)
        .args(["check", "--format", "json", "--today", "2026-11-28"])
        .args(extra)
        .output()
        .expect("run kbls");
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("json: {}", String::from_utf8_lossy(&output.stderr)));
    let findings = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().into(),
                d["code"].as_str().unwrap().into(),
                d["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    (
        findings,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"], "2026-01-01");
    write(dir.path(), "kbls.toml", "stale_after_days = 3650\n");
    write(
        dir.path(),
        "a.md",
        "# A\n\nFirst text.\n\nLast updated: 2026-03-01\n",
    );
    write(
        dir.path(),
        "b.md",
        "# B\n\nSee [A](a.md).\n\nLast updated: 2026-03-01\n",
    );
    write(
        dir.path(),
        "old/c.md",
        "# C\n\nText.\n\nLast updated: 2026-03-01\n",
    );
    commit_all(dir.path(), "Write notes", "2026-03-01");
    dir
}

#[test]
fn content_changes_after_the_stated_date_are_outdated() {
    let dir = repo();
    let root = dir.path();
    // Real edit without bumping the date: outdated.
    write(
        root,
        "a.md",
        "# A\n\nFirst text, corrected.\n\nLast updated: 2026-03-01\n",
    );
    commit_all(root, "Fix A", "2026-05-02");
    // Whitespace-only and date-only changes do not count.
    write(
        root,
        "b.md",
        "# B\n\nSee  [A](a.md).\n\n\nLast updated: 2026-04-01\n",
    );
    commit_all(root, "Reflow B", "2026-06-01");
    // A pure rename keeps the old history: not outdated.
    git(root, &["mv", "old/c.md", "c.md"], "2026-07-01");
    commit_all(root, "Move C", "2026-07-01");
    let (findings, _) = check(root, &[]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let (path, code, message) = &findings[0];
    assert_eq!((path.as_str(), code.as_str()), ("a.md", "outdated-date"));
    assert!(
        message.contains("on 2026-05-02 (\"Fix A\")")
            && message.contains("after the date 2026-03-01"),
        "{message}"
    );
}

#[test]
fn one_day_of_grace_by_default() {
    let dir = repo();
    write(
        dir.path(),
        "a.md",
        "# A\n\nEdited the next day.\n\nLast updated: 2026-03-01\n",
    );
    commit_all(dir.path(), "Next day", "2026-03-02");
    assert!(check(dir.path(), &[]).0.is_empty());
}

#[test]
fn shallow_clones_say_so_and_skip_the_rule() {
    let dir = repo();
    write(
        dir.path(),
        "a.md",
        "# A\n\nChanged.\n\nLast updated: 2026-03-01\n",
    );
    commit_all(dir.path(), "Change A", "2026-05-02");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.path().display());
    let target = clone.path().join("c");
    git(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            target.to_str().unwrap(),
        ],
        "2026-06-01",
    );
    let (findings, stderr) = check(&target, &[]);
    assert!(findings.is_empty(), "{findings:?}");
    assert!(
        stderr.contains("too shallow to judge 3 note(s)"),
        "{stderr}"
    );
}

#[test]
fn outside_a_repository_the_rule_is_silently_off() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kbls.toml", "stale_after_days = 3650\n");
    write(dir.path(), "a.md", "# A\n\nLast updated: 2026-03-01\n");
    let (findings, stderr) = check(dir.path(), &[]);
    assert!(
        findings.is_empty() && stderr.is_empty(),
        "{findings:?} {stderr}"
    );
}

#[test]
fn changed_since_reports_changed_notes_and_links_into_them_that_broke() {
    let dir = repo();
    let root = dir.path();
    git(root, &["branch", "base"], "2026-03-01");
    // Untouched but broken: not reported in pull-request mode.
    write(
        root,
        "old/c.md",
        "# C\n\n[gone](nowhere.md)\n\nLast updated: 2026-03-01\n",
    );
    commit_all(root, "Break C on main", "2026-03-02");
    git(root, &["branch", "-f", "base"], "2026-03-02");
    // The change under review: rename A's title heading target away and add a broken link.
    std::fs::remove_file(root.join("a.md")).unwrap();
    write(
        root,
        "new.md",
        "# New\n\n[missing](missing.md)\n\nLast updated: 2026-11-28\n",
    );
    let (findings, _) = check(root, &["--changed-since", "base"]);
    let found: Vec<(&str, &str)> = findings
        .iter()
        .map(|(p, c, _)| (p.as_str(), c.as_str()))
        .collect();
    assert_eq!(found, [("b.md", "broken-link"), ("new.md", "broken-link")]);
    let (all, _) = check(root, &[]);
    assert_eq!(all.len(), 3, "{all:?}");
}

/// `repo()` plus a note `b.md` that links into `a.md` and has an old broken link of its own, and a
/// note `d.md` that links to `old/c.md`, committed and marked as branch `base`.
fn repo_with_dependents() -> tempfile::TempDir {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "b.md",
        "# B\n\nSee [A](a.md) and [its title](a.md#a).\n\nAn old mistake: [old](nowhere.md).\n\nLast updated: 2026-03-01\n",
    );
    write(
        root,
        "d.md",
        "# D\n\nSee [C](old/c.md) and [[c]].\n\nLast updated: 2026-03-01\n",
    );
    commit_all(root, "Link the notes", "2026-03-02");
    git(root, &["branch", "base"], "2026-03-02");
    dir
}

/// The `(path, code, message)` of each finding of `kbls check --changed-since base`.
fn changed_since_base(root: &Path) -> Vec<(String, String, String)> {
    check(root, &["--changed-since", "base"]).0
}

#[test]
fn changed_since_leaves_out_old_findings_of_notes_that_link_into_changed_ones() {
    let dir = repo_with_dependents();
    let root = dir.path();
    // `b.md` links into `a.md`, which changes; its own old broken link is not the change's doing.
    write(
        root,
        "a.md",
        "# A\n\nFirst text, edited.\n\nLast updated: 2026-11-28\n",
    );
    assert_eq!(changed_since_base(root), []);
    let (all, _) = check(root, &[]);
    let all: Vec<(&str, &str)> = all
        .iter()
        .map(|(p, c, _)| (p.as_str(), c.as_str()))
        .collect();
    assert_eq!(all, [("b.md", "broken-link")]);
}

#[test]
fn changed_since_reports_a_link_into_a_changed_note_that_broke() {
    let dir = repo_with_dependents();
    let root = dir.path();
    // The title heading `#a` that `b.md` links to is renamed.
    write(
        root,
        "a.md",
        "# Alpha\n\nFirst text.\n\nLast updated: 2026-11-28\n",
    );
    let found = changed_since_base(root);
    assert_eq!(found.len(), 1, "{found:?}");
    let (path, code, message) = &found[0];
    assert_eq!((path.as_str(), code.as_str()), ("b.md", "broken-anchor"));
    assert!(message.contains("#a"), "{message}");
}

#[test]
fn changed_since_reports_links_to_a_renamed_or_deleted_note() {
    let dir = repo_with_dependents();
    let root = dir.path();
    git(root, &["mv", "a.md", "alpha.md"], "2026-11-01");
    commit_all(root, "Rename A", "2026-11-01");
    // Deleted in the working tree, not committed.
    std::fs::remove_file(root.join("old/c.md")).unwrap();
    let found: Vec<(String, String)> = changed_since_base(root)
        .into_iter()
        .map(|(path, code, message)| (path, format!("{code}: {message}")))
        .collect();
    let found: Vec<(&str, &str)> = found
        .iter()
        .map(|(p, m)| (p.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("b.md", "broken-link: link target `a.md` does not exist"),
            ("b.md", "broken-link: link target `a.md` does not exist"),
            ("d.md", "broken-link: link target `old/c.md` does not exist"),
            ("d.md", "broken-link: no note named `c` for wiki-link"),
        ]
    );
}

#[test]
fn changed_since_an_unknown_ref_is_a_usage_error() {
    let dir = repo();
    let output = Command::new(env!("CARGO_BIN_EXE_kbls"))
        .current_dir(dir.path())
        .args(["check", "--changed-since", "no-such-ref"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-ref"));
}

#[test]
fn file_arguments_in_a_repository_without_a_config_use_its_top_as_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"], "2026-01-01");
    write(root, "gpu/a.md", "# A\n\n## Setup\n");
    write(
        root,
        "notes/sub/b.md",
        "# B\n\n[A](../../gpu/a.md#setup) [bad](../../gpu/a.md#nope)\n",
    );
    write(
        root,
        "notes/c.md",
        "# C\n\n[A](../gpu/a.md#gone) [x](x.md)\n",
    );
    commit_all(root, "Write notes", "2026-03-01");
    // From a subfolder, naming files in two folders: the work tree's top is the root.
    let (found, _) = check(&root.join("notes/sub"), &["b.md", "../../gpu/a.md"]);
    // Outside the current folder a path is shown absolute.
    let found: Vec<(&str, &str)> = found
        .iter()
        .map(|(p, c, _)| (p.rsplit('/').next().unwrap(), c.as_str()))
        .collect();
    // `c.md` links into `a.md`: that link is reported, its own broken `x.md` is not.
    assert_eq!(
        found,
        [("c.md", "broken-anchor"), ("b.md", "broken-anchor")]
    );
}

/// `--changed-since` outside a repository, or with a commit that does not exist, says so in one
/// line (never git's usage text) and exits 2.
#[test]
fn changed_since_errors_are_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "kbls.toml", "");
    write(dir.path(), "a.md", "# A\n");
    let run = crate::support::kbls(dir.path(), &["check", "--changed-since", "HEAD~1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("kbls: --changed-since needs a git repository"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    git(dir.path(), &["init", "-q"], "2026-11-01");
    commit_all(dir.path(), "first", "2026-11-01");
    let run = crate::support::kbls(dir.path(), &["check", "--changed-since", "no-such-ref"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "kbls: --changed-since: no commit `no-such-ref` in this repository\n"
    );
}

/// `date_grace_days` holds for the server as for `kbls check`: both build their rules'
/// configuration through the same workspace code, before and after an edit.
#[test]
fn the_grace_period_holds_in_check_and_in_the_server() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "kbls.toml",
        "stale_after_days = 3650\ndate_grace_days = 5\n",
    );
    // Three days after its date: within the grace period.
    write(
        root,
        "a.md",
        "# A\n\nEdited three days later.\n\nLast updated: 2026-03-01\n",
    );
    commit_all(root, "Edit A", "2026-03-04");
    // Ten days after: beyond it.
    write(
        root,
        "b.md",
        "# B\n\nSee [A](a.md), edited ten days later.\n\nLast updated: 2026-03-01\n",
    );
    commit_all(root, "Edit B", "2026-03-11");
    let found: Vec<(String, String)> = check(root, &[])
        .0
        .into_iter()
        .map(|(path, code, _)| (path, code))
        .collect();
    assert_eq!(found, [("b.md".to_string(), "outdated-date".to_string())]);

    let mut client =
        crate::lsp_client::LspClient::start(root, serde_json::json!({}), serde_json::Value::Null).0;
    let codes = |diagnostics: &[Value]| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let b = client.diagnostics_for("b.md", |d| !d.is_empty());
    assert_eq!(codes(&b), ["outdated-date"]);
    // A note's first publish is its settled state (history read).
    let a = client.diagnostics_for("a.md", |_| true);
    assert_eq!(codes(&a), Vec::<String>::new());
    // Edited in the editor, the note is checked again: still within the grace period.
    let text = client.open("a.md");
    client.notify(
        "textDocument/didChange",
        serde_json::json!({
            "textDocument": {"uri": client.uri("a.md"), "version": 2},
            "contentChanges": [{"text": text.replace("three days", "3 days")}],
        }),
    );
    let a = client.diagnostics_for("a.md", |d| !d.is_empty());
    assert_eq!(codes(&a), ["date-not-today"]);
    assert_eq!(client.shutdown(), 0);
}
