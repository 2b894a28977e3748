//! The pre-commit hook of `.pre-commit-hooks.yaml`, run by the real `pre-commit` tool (PyPI;
//! `scripts/test.sh` installs it) on throwaway git repositories.
//!
//! `pre-commit try-repo` reads the hook definition from a hook repository, as it does for users.
//! The shipped hook says `language: rust`, which makes pre-commit build kbls with cargo (and
//! fetch crates from the network), so the test copies the hook file into a temporary hook
//! repository with only `language` and `entry` switched to `system` and the binary under test;
//! every other field (`types`, `pass_filenames`, `require_serial`) is the shipped one.

use crate::support::{git, git_command, repo_root, write_file as write};
use std::path::Path;
use std::process::{Command, Output};

/// `pre-commit`, or `python3 -m pre_commit` when only the module is installed.
fn pre_commit_command() -> Command {
    let works = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works("pre-commit", &[]) {
        Command::new("pre-commit")
    } else if works("python3", &["-m", "pre_commit"]) {
        let mut command = Command::new("python3");
        command.args(["-m", "pre_commit"]);
        command
    } else {
        panic!(
            "pre-commit is not installed: run scripts/test.sh, or `python3 -m pip install pre-commit==4.7.0`"
        );
    }
}

/// A hook repository holding the shipped `.pre-commit-hooks.yaml`, switched to the test binary.
fn hook_repo() -> tempfile::TempDir {
    let shipped = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml"))
        .expect("read .pre-commit-hooks.yaml");
    assert!(shipped.contains("\n  language: rust\n"), "{shipped}");
    assert!(shipped.contains("\n  entry: kbls check\n"), "{shipped}");
    let hooks = shipped
        .replace("\n  language: rust\n", "\n  language: system\n")
        .replace(
            "\n  entry: kbls check\n",
            &format!("\n  entry: {} check\n", env!("CARGO_BIN_EXE_kbls")),
        );
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".pre-commit-hooks.yaml", &hooks);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "Hook"]);
    dir
}

/// Runs `pre-commit try-repo HOOKS kbls-check EXTRA` in `notes`.
fn try_repo(hooks: &Path, notes: &Path, extra: &[&str]) -> Output {
    let cache = notes.join("..").join("pre-commit-home");
    pre_commit_command()
        .current_dir(notes)
        .env("PRE_COMMIT_HOME", cache)
        .env("NO_COLOR", "1")
        .arg("try-repo")
        .arg(hooks)
        .arg("kbls-check")
        .args(extra)
        .output()
        .expect("run pre-commit")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn pre_commit_hook_passes_clean_notes_and_fails_broken_links_and_renamed_headings() {
    let hooks = hook_repo();
    let outer = tempfile::tempdir().expect("temp dir");
    let notes = outer.path().join("notes");
    std::fs::create_dir(&notes).expect("create notes folder");
    git(&notes, &["init", "-q", "-b", "main"]);
    write(
        &notes,
        "gpu/setup.md",
        "# Setup\n\n## Install the driver\n\nSteps.\n",
    );
    write(
        &notes,
        "guides/start.md",
        "# Start\n\nFirst [install the driver](../gpu/setup.md#install-the-driver), see [[setup]].\n",
    );
    write(
        &notes,
        "readme.markdown",
        "# Notes\n\n[Start](guides/start.md)\n",
    );
    git(&notes, &["add", "-A"]);
    git(&notes, &["commit", "-q", "-m", "Notes"]);

    // A clean repository passes, every note passed at once: links across folders resolve in the
    // one root, the work tree's top.
    let output = try_repo(hooks.path(), &notes, &["--all-files"]);
    assert!(output.status.success(), "{}", text(&output));

    // A staged note with a broken link fails.
    write(
        &notes,
        "guides/new.md",
        "# New\n\n[Missing](../gpu/missing.md)\n",
    );
    git(&notes, &["add", "guides/new.md"]);
    let output = try_repo(hooks.path(), &notes, &[]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("broken-link"), "{}", text(&output));
    git(&notes, &["rm", "-q", "--cached", "guides/new.md"]);
    std::fs::remove_file(notes.join("guides/new.md")).expect("remove new.md");

    // Staging only the note whose heading was renamed fails: another note's link broke.
    write(
        &notes,
        "gpu/setup.md",
        "# Setup\n\n## Install drivers\n\nSteps.\n",
    );
    git(&notes, &["add", "gpu/setup.md"]);
    let output = try_repo(hooks.path(), &notes, &[]);
    let out = text(&output);
    assert!(!output.status.success(), "{out}");
    assert!(
        out.contains("guides/start.md") && out.contains("broken-anchor"),
        "{out}"
    );
}

/// The hook as users run it: named by `rev` in `.pre-commit-config.yaml`, installed with
/// `pre-commit install`, run by `git commit` (with git's hook environment).
#[test]
fn pre_commit_hook_installed_in_git_stops_a_commit_that_breaks_a_link() {
    let hooks = hook_repo();
    let rev = git_command(hooks.path())
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("run git");
    let rev = String::from_utf8(rev.stdout).expect("UTF-8 hash");
    let outer = tempfile::tempdir().expect("temp dir");
    let notes = outer.path().join("notes");
    std::fs::create_dir(&notes).expect("create notes folder");
    git(&notes, &["init", "-q", "-b", "main"]);
    write(
        &notes,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: kbls-check\n",
            hooks.path().display(),
            rev.trim()
        ),
    );
    write(&notes, "a.md", "# A\n\n## Part\n");
    write(&notes, "sub/b.md", "# B\n\n[Part](../a.md#part)\n");
    let cache = outer.path().join("pre-commit-home");
    let install = pre_commit_command()
        .current_dir(&notes)
        .env("PRE_COMMIT_HOME", &cache)
        .arg("install")
        .output()
        .expect("run pre-commit install");
    assert!(install.status.success(), "{}", text(&install));
    let commit = |message: &str| {
        git_command(&notes)
            .env("PRE_COMMIT_HOME", &cache)
            .args(["commit", "-q", "-m", message])
            .output()
            .expect("run git commit")
    };
    git(&notes, &["add", "-A"]);
    let output = commit("Notes");
    assert!(output.status.success(), "{}", text(&output));
    // Rename the heading `sub/b.md` links to, and stage only that note.
    write(&notes, "a.md", "# A\n\n## Section\n");
    git(&notes, &["add", "a.md"]);
    let output = commit("Rename the heading");
    let out = text(&output);
    assert!(!output.status.success(), "{out}");
    assert!(
        out.contains("sub/b.md") && out.contains("broken-anchor"),
        "{out}"
    );
}
