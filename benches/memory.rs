//! Server memory by structure: `cargo bench --bench memory`.
//!
//! Builds, in one process and in the order the language server does, what `kbls lsp` holds for a
//! corpus: the notes as read, the graph, the reverse link index, the term and mention indexes,
//! every note's diagnostics once (which builds the did-you-mean name indexes), and the full-text
//! index. A counting allocator measures the bytes each step leaves live and the peak while it
//! runs; the per-note parts of the graph are counted by cloning each part of every note and
//! counting what the clones allocate (a clone's vectors are exactly as long as the original's,
//! which `syntax` shrinks to fit). RSS (anonymous and file-backed) is read after each step.
//!
//! The corpus is `KBLS_BENCH_CORPUS` (a folder), else `KBLS_BENCH_NOTES` (default 10,000)
//! generated notes; the full-text index is built where the server would put it
//! (`KBLS_BENCH_SEARCH=disk|memory`, by default as the server's `"auto"` chooses).

#![allow(clippy::print_stdout)]

mod gen;

use kbls::graph::Graph;
use kbls::ide::diagnostics::note_diagnostics;
use kbls::lsp::DISK_INDEX_NOTES;
use kbls::search::SearchIndex;
use kbls::terms::DefText;
use kbls::text::{StoredText, TextStorage};
use kbls::workspace::{Workspace, WorkspaceSearch};
use mimalloc::MiMalloc;
use parking_lot::Mutex;
use rayon::prelude::*;
use std::alloc::{GlobalAlloc, Layout};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The binary's allocator (src/main.rs), counting the bytes live and the most ever live since the
/// last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = MiMalloc.alloc(layout);
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = MiMalloc.alloc_zeroed(layout);
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        MiMalloc.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let res = MiMalloc.realloc(ptr, layout, new_size);
        if !res.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        res
    }
}

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

unsafe extern "C" {
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Runs `step` and returns its result with the bytes it left live and its peak above the start.
fn step<T>(step: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = live();
    PEAK.store(before, Ordering::Relaxed);
    let res = step();
    let after = live();
    (
        res,
        after.saturating_sub(before),
        PEAK.load(Ordering::Relaxed).saturating_sub(before),
    )
}

/// The bytes the values `make` returns allocate, counted while they live.
fn counted<T>(make: impl FnOnce() -> T) -> usize {
    let (value, bytes, _) = step(make);
    drop(value);
    bytes
}

struct Report {
    rows: Vec<(String, usize, Option<usize>)>,
}

impl Report {
    fn row(&mut self, what: &str, bytes: usize, peak: Option<usize>) {
        self.rows.push((what.to_string(), bytes, peak));
    }

    fn print(&self) {
        println!("{:<58} {:>10} {:>12}", "structure", "live MiB", "step peak");
        for (what, bytes, peak) in &self.rows {
            let peak = peak.map_or(String::new(), |p| format!("{:.1}", mib(p)));
            println!("{what:<58} {:>10.1} {peak:>12}", mib(*bytes));
        }
    }
}

fn main() {
    // As src/main.rs sets it for the server: freed pages go back to the system at once
    // (`mi_option_purge_delay`).
    // SAFETY: no other thread exists yet.
    unsafe { mi_option_set(15, 0) };
    let (_temp, root) = corpus();
    let mut report = Report { rows: Vec::new() };
    let config = kbls::load::load_config(&root, None).expect("config");
    let (read, read_bytes, _) = step(|| Workspace::read(&root, config).expect("read"));
    let notes = read.note_count();
    println!("corpus: {} ({notes} notes)", root.display());
    report.row("notes as read (texts, paths, walk)", read_bytes, None);
    rss("read");

    let (ws, graph_bytes, graph_peak) = step(|| Workspace::from_read(read, TextStorage::Packed));
    report.row(
        "graph (parses, maps), less the notes as read",
        graph_bytes,
        Some(graph_peak),
    );
    graph_parts(ws.graph(), &mut report);
    rss("graph built");

    let ((), bytes, peak) = step(|| ws.graph().index_backlinks());
    report.row("reverse link index", bytes, Some(peak));
    let (_, bytes, peak) = step(|| {
        ws.graph().terms();
    });
    report.row("term index", bytes, Some(peak));
    term_parts(ws.graph(), &mut report);
    let (_, bytes, peak) = step(|| ws.graph().mentions());
    report.row("mention index", bytes, Some(peak));
    rss("reverse, term and mention indexes");

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
    let cfg = ws.diagnostics_config(ws.config().clone(), today);
    let (findings, bytes, peak) = step(|| {
        let graph = ws.graph();
        let ids: Vec<_> = graph.notes().map(|(id, _)| id).collect();
        ids.par_iter()
            .map(|&id| note_diagnostics(graph, id, &cfg).len())
            .sum::<usize>()
    });
    report.row(
        &format!("every note's diagnostics ({findings}), then dropped: name indexes"),
        bytes,
        Some(peak),
    );
    rss("diagnostics");
    let copy = counted(|| (**ws.graph()).clone());
    report.row(
        "a copy of the graph (an edit while a snapshot holds it)",
        copy,
        None,
    );

    let on_disk = match std::env::var("KBLS_BENCH_SEARCH").as_deref() {
        Ok("disk") => true,
        Ok("memory") => false,
        _ => notes >= DISK_INDEX_NOTES,
    };
    let cache = tempfile::tempdir().expect("cache dir");
    let search = Mutex::new(WorkspaceSearch::default());
    let (snapshot, bytes, peak) = step(|| {
        let index = if on_disk {
            SearchIndex::open_or_create(cache.path(), &root.display().to_string())
                .expect("on-disk index")
                .0
        } else {
            SearchIndex::in_memory()
        };
        WorkspaceSearch::install(&search, index, ws.graph()).expect("search index")
    });
    let where_ = if on_disk { "on disk" } else { "in memory" };
    report.row(
        &format!("full-text index ({where_}), its heap"),
        bytes,
        Some(peak),
    );
    if on_disk {
        println!(
            "full-text index on disk: {:.1} MiB",
            mib(dir_size(cache.path()))
        );
    }
    rss("full-text index");
    drop(snapshot);
    report.print();
    println!("live at the end: {:.1} MiB", mib(live()));
}

/// Each note's parts, counted by cloning them; the graph's own maps are the rest.
fn graph_parts(graph: &Graph, report: &mut Report) {
    let notes: Vec<_> = graph.notes().map(|(_, note)| note).collect();
    let texts = counted(|| {
        notes
            .iter()
            .map(|n| match n.stored_text() {
                StoredText::Plain(text) => StoredText::Plain(std::sync::Arc::from(&**text)),
                StoredText::Packed(bytes) => StoredText::Packed(std::sync::Arc::from(&**bytes)),
            })
            .collect::<Vec<_>>()
    });
    let sum = |part: &dyn Fn(&kbls::graph::Note) -> usize| -> usize {
        notes.iter().map(|note| part(note)).sum()
    };
    let paths = sum(&|n| counted(|| n.path.clone()));
    let lines = sum(&|n| counted(|| n.line_index().clone()));
    let headings = sum(&|n| counted(|| n.syntax.headings.clone()));
    let links = sum(&|n| counted(|| (n.syntax.links.clone(), n.syntax.link_defs.clone())));
    let blocks = sum(&|n| {
        let s = &n.syntax;
        counted(|| {
            (
                s.code_blocks.clone(),
                s.code_spans.clone(),
                s.text_runs.clone(),
                s.tables.clone(),
                s.list_items.clone(),
                s.paragraphs.clone(),
                s.anchors.clone(),
            )
        })
    });
    let whole = sum(&|n| counted(|| n.syntax.clone()));
    report.row("  note texts (packed)", texts, None);
    report.row("  note paths", paths, None);
    report.row("  line indexes", lines, None);
    report.row("  parses: headings", headings, None);
    report.row("  parses: links and link definitions", links, None);
    report.row(
        "  parses: blocks (code, text runs, tables, lists, paragraphs)",
        blocks,
        None,
    );
    report.row(
        "  parses: the rest (front matter, title, date, suppressions)",
        whole.saturating_sub(headings + links + blocks),
        None,
    );
}

/// What the term index holds of each note: its definitions, counted by extracting them again.
fn term_parts(graph: &Graph, report: &mut Report) {
    let notes: Vec<_> = graph.notes().map(|(_, note)| note).collect();
    let (defs, bytes, _) = step(|| {
        notes
            .iter()
            .map(|n| kbls::terms::extract(&n.text(), &n.syntax))
            .collect::<Vec<_>>()
    });
    let all = defs.iter().flatten();
    let count = all.clone().count();
    let written: usize = all
        .clone()
        .map(|d| match &d.body {
            DefText::Written(text) => text.len(),
            DefText::Span(_) => 0,
        })
        .sum();
    let names: usize = all
        .map(|d| {
            d.written_term.as_deref().map_or(0, str::len)
                + d.aliases.iter().map(|alias| alias.len()).sum::<usize>()
        })
        .sum();
    report.row(&format!("  definitions ({count})"), bytes, None);
    report.row(
        "    their definitions written out (not ranges)",
        written,
        None,
    );
    report.row(
        "    their names and aliases held apart from the note (not ranges)",
        names,
        None,
    );
}

/// The folder `KBLS_BENCH_CORPUS` names, or a generated corpus in a temporary folder.
fn corpus() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Ok(dir) = std::env::var("KBLS_BENCH_CORPUS") {
        return (None, PathBuf::from(dir));
    }
    let notes: usize = std::env::var("KBLS_BENCH_NOTES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let stats = gen::generate(dir.path(), notes, 1, gen::BROKEN_PER_MILLE);
    println!("generated {} notes", stats.notes);
    let root = dir.path().to_path_buf();
    (Some(dir), root)
}

fn rss(after: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    println!(
        "RSS after {after}: {:.1} MiB (anonymous {:.1}, file-backed {:.1}); heap live {:.1} MiB",
        field("VmRSS:"),
        field("RssAnon:"),
        field("RssFile:"),
        mib(live())
    );
}

fn dir_size(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => dir_size(&e.path()),
                _ => e.metadata().map_or(0, |m| m.len() as usize),
            })
            .sum()
    })
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
