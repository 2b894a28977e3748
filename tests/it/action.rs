//! The composite GitHub Action (`action.yml`): its wiring, and its check step
//! (`scripts/action-check.sh`) run as the runner runs it, with the runner's environment variables,
//! on throwaway git repositories with the binary under test on `PATH`.

use crate::support::{git, repo_root, write_file as write};
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

fn action() -> Yaml {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).expect("read action.yml");
    YamlLoader::load_from_str(&text)
        .expect("action.yml is YAML")
        .remove(0)
}

#[test]
fn action_passes_every_input_to_the_check_step() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_vec().expect("steps");
    let check = steps
        .iter()
        .find(|step| step["id"].as_str() == Some("check"))
        .expect("a step with id check");
    assert_eq!(
        check["run"].as_str(),
        Some("bash \"$GITHUB_ACTION_PATH/scripts/action-check.sh\"")
    );
    let inputs = action["inputs"].as_hash().expect("inputs");
    for (name, _) in inputs {
        let name = name.as_str().expect("input name");
        if name == "upload-sarif" {
            continue; // read by the upload step's condition, not by the script
        }
        let key = format!("KBLS_{}", name.to_uppercase().replace('-', "_"));
        assert_eq!(
            check["env"][key.as_str()].as_str(),
            Some(format!("${{{{ inputs.{name} }}}}").as_str()),
            "input {name} reaches the script as {key}"
        );
    }
    let upload = steps
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.contains("upload-sarif"))
        })
        .expect("an upload step");
    assert_eq!(
        upload["with"]["sarif_file"].as_str(),
        Some("${{ inputs.sarif-file }}")
    );
}

/// What one run of the check step left: its stdout and the `exit-code` output it recorded.
struct StepRun {
    stdout: String,
    exit_code: String,
}

fn run_check_step(repo: &Path, env: &[(&str, &str)]) -> StepRun {
    let output_file = repo.join("..").join("github-output");
    std::fs::write(&output_file, "").expect("reset GITHUB_OUTPUT");
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_kbls"))
        .parent()
        .expect("binary folder")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .arg(repo_root().join("scripts/action-check.sh"))
        .current_dir(repo)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output_file)
        .env("NO_COLOR", "1")
        .env_remove("KBLS_TODAY")
        .env_remove("GITHUB_EVENT_NAME")
        .env_remove("GITHUB_BASE_REF");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run action-check.sh");
    assert!(
        output.status.success(),
        "the step itself succeeds: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let recorded = std::fs::read_to_string(&output_file).expect("read GITHUB_OUTPUT");
    let exit_code = recorded
        .lines()
        .find_map(|line| line.strip_prefix("exit-code="))
        .expect("exit-code recorded")
        .to_string();
    StepRun {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        exit_code,
    }
}

/// A repository whose `main` has clean notes, `origin/main` pointing at it, and a checked-out
/// pull-request branch that breaks a link in one new note.
fn pull_request_repo() -> tempfile::TempDir {
    let outer = tempfile::tempdir().expect("temp dir");
    let repo = outer.path().join("notes");
    std::fs::create_dir(&repo).expect("create repo");
    git(&repo, &["init", "-q", "-b", "main"]);
    write(&repo, "gpu/setup.md", "# Setup\n\n## Install\n\nSteps.\n");
    write(&repo, "old.md", "# Old\n\n[Missing](gone.md)\n");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "Notes"]);
    git(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            repo.to_str().expect("UTF-8 path"),
        ],
    );
    git(&repo, &["fetch", "-q", "origin"]);
    git(&repo, &["checkout", "-q", "-b", "topic"]);
    write(&repo, "new.md", "# New\n\n[Setup](gpu/setup.md#nope)\n");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "New note"]);
    outer
}

#[test]
fn check_step_reports_annotations_for_the_pull_request_only() {
    let outer = pull_request_repo();
    let repo = outer.path().join("notes");
    let run = run_check_step(
        &repo,
        &[
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GITHUB_BASE_REF", "main"),
        ],
    );
    assert_eq!(run.exit_code, "1", "{}", run.stdout);
    assert!(
        run.stdout.contains("--changed-since origin/main"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("::error file=new.md,line=3"),
        "the new broken anchor is annotated: {}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("file=old.md"),
        "old findings stay out of the pull request: {}",
        run.stdout
    );

    // A push checks everything; `changed-since: none` does the same on a pull request.
    for env in [
        vec![("GITHUB_EVENT_NAME", "push")],
        vec![
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GITHUB_BASE_REF", "main"),
            ("KBLS_CHANGED_SINCE", "none"),
        ],
    ] {
        let run = run_check_step(&repo, &env);
        assert_eq!(run.exit_code, "1");
        assert!(
            run.stdout.contains("::error file=old.md,line=3"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("::error file=new.md,line=3"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn check_step_fetches_a_missing_base_branch() {
    let outer = pull_request_repo();
    let repo = outer.path().join("notes");
    git(&repo, &["update-ref", "-d", "refs/remotes/origin/main"]);
    let run = run_check_step(
        &repo,
        &[
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GITHUB_BASE_REF", "main"),
        ],
    );
    assert_eq!(run.exit_code, "1", "{}", run.stdout);
    assert!(
        run.stdout.contains("::error file=new.md,line=3"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("file=old.md"), "{}", run.stdout);
}

#[test]
fn check_step_writes_sarif_and_records_the_exit_code() {
    let outer = pull_request_repo();
    let repo = outer.path().join("notes");
    let run = run_check_step(
        &repo,
        &[
            ("KBLS_FORMAT", "sarif"),
            ("KBLS_SARIF_FILE", "out/kbls.sarif"),
            ("KBLS_PATHS", "new.md"),
        ],
    );
    assert_eq!(run.exit_code, "1");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("out/kbls.sarif")).expect("SARIF written"),
    )
    .expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{sarif}");
    assert_eq!(results[0]["ruleId"], "broken-anchor");

    // Clean notes pass; a bad format is a usage failure, not a pass.
    let clean = run_check_step(&repo, &[("KBLS_PATHS", "gpu")]);
    assert_eq!(clean.exit_code, "0", "{}", clean.stdout);
    let bad = run_check_step(&repo, &[("KBLS_FORMAT", "xml")]);
    assert_eq!(bad.exit_code, "2");
}
