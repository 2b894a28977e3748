//! `kbls check`: load the corpus once, run every rule on every note in parallel, print, exit.

use super::render::{self, Report, ReportItem};
use super::{CheckArgs, Deny};
use crate::codes::{Code, Severity};
use crate::graph::PathKeys;
use crate::ide::diagnostics::{
    file_diagnostics, link_diagnostics_into, note_diagnostics, Diagnostic,
};
use crate::load;
use crate::text::TextStorage;
use crate::workspace::Workspace;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn run(args: CheckArgs) -> ExitCode {
    super::finish(check(&args).map(|report| {
        let out = render::render(&report, args.format, args.quiet);
        let failing = report.count(Severity::Error) > 0
            || (args.deny == Some(Deny::Warnings) && report.count(Severity::Warning) > 0);
        (out, failing)
    }))
}

fn check(args: &CheckArgs) -> anyhow::Result<Report> {
    let today = super::today(args.today.as_deref()).map_err(anyhow::Error::msg)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        anyhow::ensure!(path.exists(), "no such file or folder: {}", path.display());
        anyhow::ensure!(
            path.is_dir() || load::is_note_path(path),
            "{} is not a Markdown note (*.md, *.markdown) or a folder",
            path.display()
        );
    }
    let cwd = load::current_dir()?;
    // Paths under the same root share one load of that corpus.
    let mut roots: Vec<(PathBuf, Selection)> = Vec::new();
    for path in paths {
        let root = load::find_root(&path, Some(&cwd));
        let abs = std::fs::canonicalize(&path)?;
        let idx = match roots.iter().position(|(r, _)| *r == root) {
            Some(idx) => idx,
            None => {
                roots.push((root, Selection::default()));
                roots.len() - 1
            }
        };
        let (root, selection) = &mut roots[idx];
        if !abs.is_dir() {
            selection.files.extend(load::relative(root, &abs));
        }
        selection.paths.push(abs);
    }
    let mut report = Report::default();
    for (root, selected) in roots {
        check_root(&root, &selected, args, today, &cwd, &mut report)?;
    }
    report.items.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.code).cmp(&(&b.path, b.line, b.column, b.code))
    });
    Ok(report)
}

/// What was asked for under one root: the paths given (files and folders, absolute) and, of
/// those, the files (relative to the root).
#[derive(Default)]
struct Selection {
    paths: Vec<PathBuf>,
    files: Vec<String>,
}

fn check_root(
    root: &Path,
    selection: &Selection,
    args: &CheckArgs,
    today: chrono::NaiveDate,
    cwd: &Path,
    report: &mut Report,
) -> anyhow::Result<()> {
    let mut config = load::load_config(root, args.config.as_deref())?;
    if let Some(days) = args.stale_after {
        config.stale_after_days = days;
    }
    // The git history pass runs beside the corpus load and parse; it mostly waits on git.
    let history_thread = config.severity(Code::OutdatedDate).is_some().then(|| {
        let (root, config) = (root.to_path_buf(), config.clone());
        std::thread::spawn(move || Workspace::read_history(&root, &config))
    });
    let read = Workspace::read(root, config)?;
    for error in read.walk_errors() {
        let _ = writeln!(
            std::io::stderr(),
            "kbls: warning: cannot read {}: {}; the notes in it are not checked",
            display_path(cwd, &root.join(&error.path)),
            error.reason
        );
    }
    let mut workspace = Workspace::from_read(read, TextStorage::Plain);
    let dialect = workspace.config().site.dialect;
    if !report.dialects.contains(&dialect) {
        report.dialects.push(dialect);
    }
    let changed = match &args.changed_since {
        Some(reference) => {
            Some(load::git::changed_since(root, reference).map_err(anyhow::Error::msg)?)
        }
        None => None,
    };
    let is_selected = |rel: &str| {
        let abs = root.join(rel);
        selection.paths.iter().any(|s| abs.starts_with(s))
            && changed.as_ref().is_none_or(|changed| changed.contains(rel))
    };
    let display = |rel: &str| display_path(cwd, &root.join(rel));
    workspace.set_history(history_thread.and_then(|thread| thread.join().ok().flatten()));
    if let Some(history) = workspace.history().filter(|h| !h.too_shallow.is_empty()) {
        let _ = writeln!(
            std::io::stderr(),
            "kbls: git history is too shallow to judge {} note(s); outdated-date skipped for them (fetch more with `git fetch --deepen` or `--unshallow`)",
            history.too_shallow.len()
        );
    }
    let cfg = workspace.diagnostics_config(workspace.config().clone(), today);
    let graph = workspace.graph();
    let unreadable: Vec<&str> = graph
        .unreadable()
        .map(|(path, _)| path)
        .filter(|path| is_selected(path))
        .collect();
    for path in &unreadable {
        report.items.extend(
            file_diagnostics(graph, path, &cfg)
                .into_iter()
                .map(|d| ReportItem::of_file(display(path), d)),
        );
    }
    let mut notes: Vec<_> = graph
        .notes()
        .filter(|(_, n)| is_selected(&n.path))
        .collect();
    // The notes that link into the changed ones (in pull-request mode, also to where a deleted or
    // renamed one was), or else into the files given, are reported too, for those links only.
    let targets: Option<Vec<&str>> = match &changed {
        Some(changed) => Some(changed.iter().map(String::as_str).collect()),
        None if !selection.files.is_empty() => {
            Some(selection.files.iter().map(String::as_str).collect())
        }
        None => None,
    };
    let mut dependents = HashSet::new();
    let target_keys = targets
        .as_ref()
        .map(|targets| PathKeys::new(graph, targets.iter().copied()));
    for path in targets.iter().flatten() {
        dependents.extend(
            graph
                .dependents(path)
                .into_iter()
                .filter(|id| !notes.iter().any(|(n, _)| n == id)),
        );
    }
    notes.extend(dependents.iter().map(|id| (*id, graph.note(*id))));
    report.files += notes.len() + unreadable.len();
    let progress = render::Progress::new(notes.len(), args.quiet);
    let items: Vec<ReportItem> = notes
        .par_iter()
        .flat_map_iter(|(id, note)| {
            let diagnostics: Vec<Diagnostic> = match &target_keys {
                Some(keys) if dependents.contains(id) => {
                    link_diagnostics_into(graph, *id, &cfg, keys)
                }
                _ => note_diagnostics(graph, *id, &cfg),
            };
            progress.tick();
            let path = display(&note.path);
            diagnostics
                .into_iter()
                .map(move |d| ReportItem::new(path.clone(), note, d))
        })
        .collect();
    progress.finish();
    report.items.extend(items);
    // The process exits soon after: freeing every note's allocations one by one would cost about
    // a tenth of the run (single-threaded), so leave that to the operating system.
    std::mem::forget(workspace);
    Ok(())
}

/// `path` relative to the current folder with `/` separators when under it, else absolute.
fn display_path(cwd: &Path, path: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) => load::relative(Path::new(""), rel).unwrap_or_else(|| rel.display().to_string()),
        Err(_) => path.display().to_string().replace('\\', "/"),
    }
}
