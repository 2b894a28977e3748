//! Git history benchmark: `cargo bench --bench history`.
//!
//! Builds a repository of 10,000 notes and 20,000 commits with `git fast-import` (seconds, not
//! the minutes 20,000 `git commit` runs would take): one commit adds every note, then each commit
//! edits one note (some only its date, some only whitespace, some renamed), with commit dates
//! spread over two years. Then it times the one-pass history read `outdated-date` uses
//! (`kbls::load::git::read_history`), and `kbls check` with the rule on and off.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOTES: usize = 10_000;
const COMMITS: usize = 20_000;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let started = Instant::now();
    build_repo(root);
    println!(
        "built a repository of {NOTES} notes and {} commits in {:.1} s",
        COMMITS + 1,
        started.elapsed().as_secs_f64()
    );

    let markers = vec!["Last updated".to_string(), "lastmod".to_string()];
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let history = kbls::load::git::read_history(root, &markers).expect("a repository");
        times.push(start.elapsed());
        found = history.changes.len();
    }
    times.sort();
    println!("history pass (git log -p + parse): min {:.3} s, median {:.3} s; {found} notes with a content change", secs(times[0]), secs(times[2]));

    let kbls = env!("CARGO_BIN_EXE_kbls");
    for (label, config) in [
        ("outdated-date on", ""),
        ("outdated-date off", "[rules]\noutdated-date = \"off\"\n"),
    ] {
        std::fs::write(
            root.join("kbls.toml"),
            format!("stale_after_days = 3650\n{config}"),
        )
        .expect("config");
        let mut runs = Vec::new();
        let mut outdated = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let output = Command::new(kbls)
                .args([
                    "check",
                    "--format",
                    "json",
                    "--quiet",
                    "--today",
                    "2026-11-28",
                ])
                .current_dir(root)
                .output()
                .expect("run kbls");
            runs.push(start.elapsed());
            outdated = String::from_utf8_lossy(&output.stdout)
                .matches("\"outdated-date\"")
                .count();
        }
        runs.sort();
        println!(
            "kbls check, {label}: min {:.3} s ({outdated} outdated-date findings)",
            secs(runs[0])
        );
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Writes the whole history as one `git fast-import` stream.
fn build_repo(root: &Path) {
    let status = Command::new("git")
        .args(["init", "-q", "-b", "main"])
        .current_dir(root)
        .status()
        .expect("git init");
    assert!(status.success());
    let mut stream = String::new();
    let base = 1_700_000_000u64; // Commit times, seconds since the epoch.
    let day = 86_400u64;
    let note = |i: usize, version: usize, date: &str| {
        format!("# Note {i}\n\n## Details\n\nVersion {version} of note {i}, with a [link](note-{:05}.md).\n\nLast updated: {date}\n", (i + 1) % NOTES)
    };
    let mut names: Vec<String> = (0..NOTES)
        .map(|i| format!("area-{:03}/note-{i:05}.md", i / 100))
        .collect();
    let commit = |stream: &mut String,
                  mark: usize,
                  when: u64,
                  message: &str,
                  files: &[(String, String)],
                  renames: &[(String, String)]| {
        let _ = write!(stream, "commit refs/heads/main\nmark :{mark}\ncommitter Bench <bench@example.com> {when} +0000\ndata {}\n{message}\n", message.len() + 1);
        if mark > 1 {
            let _ = writeln!(stream, "from :{}", mark - 1);
        }
        for (from, to) in renames {
            let _ = writeln!(stream, "R {from} {to}");
        }
        for (path, text) in files {
            let _ = write!(
                stream,
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            );
        }
    };
    let initial: Vec<(String, String)> = (0..NOTES)
        .map(|i| (names[i].clone(), note(i, 0, "2024-01-01")))
        .collect();
    commit(&mut stream, 1, base, "Add notes", &initial, &[]);
    let mut versions = vec![0usize; NOTES];
    for c in 0..COMMITS {
        let i = (c * 7919) % NOTES;
        let when = base + (c as u64 * 730 * day) / COMMITS as u64;
        let date = chrono::DateTime::from_timestamp(when as i64, 0)
            .expect("date")
            .format("%Y-%m-%d")
            .to_string();
        let mark = c + 2;
        match c % 10 {
            // A rename without changes.
            0 => {
                let to = names[i].replace(".md", "-moved.md");
                let from = std::mem::replace(&mut names[i], to.clone());
                commit(
                    &mut stream,
                    mark,
                    when,
                    &format!("Move note {i}"),
                    &[],
                    &[(from, to)],
                );
            }
            // Only the date.
            1 | 2 => {
                let text = note(i, versions[i], &date);
                commit(
                    &mut stream,
                    mark,
                    when,
                    &format!("Bump note {i}"),
                    &[(names[i].clone(), text)],
                    &[],
                );
            }
            // Real edits, half of them without bumping the date.
            _ => {
                versions[i] += 1;
                let stated = if c % 2 == 0 {
                    date.clone()
                } else {
                    "2024-01-01".to_string()
                };
                let text = note(i, versions[i], &stated);
                commit(
                    &mut stream,
                    mark,
                    when,
                    &format!("Edit note {i}"),
                    &[(names[i].clone(), text)],
                    &[],
                );
            }
        }
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("write stream");
    assert!(child.wait().expect("fast-import").success());
    let status = Command::new("git")
        .args(["checkout", "-q", "main"])
        .current_dir(root)
        .status()
        .expect("checkout");
    assert!(status.success());
}
