//! Language server benchmark: `cargo bench --bench lsp` (`KBLS_BENCH_NOTES=10000` by default).
//!
//! Generates a corpus (benches/gen) plus a hub note whose heading 1,000 notes link to, starts the
//! release `kbls lsp` on it over stdio, and measures, round trip as a client sees it:
//! - `initialize` to index complete: every note's diagnostics published;
//! - hover and definition on a link, references on the hub heading (1,000 links), and
//!   completion after `](` and `[[` with every note a candidate: p50/p95 over repeated requests;
//! - edit → republished diagnostics of a dependent note, as the client receives them;
//! - rename of the hub heading (1,000 incoming links);
//! - RSS of the server (anonymous and file-backed) at index complete, after the full-text index,
//!   and at peak.
//!
//! `KBLS_BENCH_DIR=DIR` keeps the generated corpus in DIR for later runs; `KBLS_BENCH_CORPUS=DIR`
//! measures an existing corpus instead (without the hub and term measures, which need the
//! generated notes).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod gen;
// Shared with the end-to-end tests; the benchmark uses only part of it.
#[allow(dead_code)]
#[path = "../tests/it/lsp_client.rs"]
mod lsp_client;

use lsp_client::LspClient;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SAMPLES: usize = 200;
const HUB_LINKS: usize = 1000;

/// The corpus a run measures: generated (with the hub and term notes) or a folder given.
struct Corpus {
    /// The temporary folder of a generated corpus that is not kept.
    _temp: Option<tempfile::TempDir>,
    root: PathBuf,
    /// The notes, sorted by path.
    paths: Vec<String>,
    /// How many notes the server publishes diagnostics for.
    notes: usize,
    /// Whether it is the generated corpus, with the hub and term notes the later measures need.
    generated: bool,
}

/// `KBLS_BENCH_CORPUS=DIR` measures the notes in DIR as they are; otherwise `KBLS_BENCH_NOTES`
/// notes are generated, into `KBLS_BENCH_DIR` when set (and reused from there by later runs).
fn corpus() -> Corpus {
    if let Ok(dir) = std::env::var("KBLS_BENCH_CORPUS") {
        let root = PathBuf::from(dir);
        let config = kbls::load::load_config(&root, None).expect("kbls.toml");
        let read = kbls::workspace::Workspace::read(&root, config).expect("corpus");
        let storage = kbls::text::TextStorage::Plain;
        let mut paths: Vec<String> = kbls::workspace::Workspace::from_read(read, storage)
            .graph()
            .notes()
            .map(|(_, note)| note.path.clone())
            .collect();
        paths.sort();
        println!("corpus: {} ({} notes)", root.display(), paths.len());
        return Corpus {
            _temp: None,
            root,
            notes: paths.len(),
            paths,
            generated: false,
        };
    }
    let notes: usize = std::env::var("KBLS_BENCH_NOTES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let (temp, root) = match std::env::var("KBLS_BENCH_DIR") {
        Ok(dir) => (None, PathBuf::from(dir)),
        Err(_) => {
            let temp = tempfile::tempdir().expect("temp dir");
            let root = temp.path().to_path_buf();
            (Some(temp), root)
        }
    };
    // Written last: a folder without it (or made for another size) is generated again.
    let marker = root.join(".kbls-bench");
    let summary = match std::fs::read_to_string(&marker) {
        Ok(summary) if summary.starts_with(&format!("{notes} notes,")) => summary,
        _ => {
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(&root).expect("corpus dir");
            let summary = generate(&root, notes);
            std::fs::write(&marker, &summary).expect("marker");
            summary
        }
    };
    let mut paths: Vec<String> = Vec::new();
    for folder in 0.. {
        let Ok(entries) = std::fs::read_dir(root.join(format!("area-{folder:03}"))) else {
            break;
        };
        let mut names: Vec<String> = entries
            .map(|e| {
                format!(
                    "area-{folder:03}/{}",
                    e.expect("entry").file_name().to_string_lossy()
                )
            })
            .collect();
        names.sort();
        paths.extend(names);
    }
    assert_eq!(paths.len(), notes);
    println!("corpus: {summary}");
    Corpus {
        _temp: temp,
        root,
        notes: notes + 2,
        paths,
        generated: true,
    }
}

/// Generates `notes` notes in `root` plus a hub heading with 1,000 incoming links and a note of
/// terms mentioned by the same 1,000 notes; returns a line saying what was written.
fn generate(root: &Path, notes: usize) -> String {
    let stats = gen::generate(root, notes, 1, gen::BROKEN_PER_MILLE);
    std::fs::write(
        root.join("hub.md"),
        "# Hub\n\n## Hub Heading\n\nLinked from a thousand notes.\n\nLast updated: 2026-11-01\n",
    )
    .expect("hub");
    // A note defining terms, and a thousand notes mentioning them.
    std::fs::write(
        root.join("gpu.md"),
        "# GPU\n\n| Metric | DCGM Field Name | Description |\n|---|---|---|\n| GPU Utilization | `DCGM_FI_DEV_GPU_UTIL` | How busy the GPU is |\n\n- **Xid**: an error report from the NVIDIA driver.\n\n```bash\nkubectl get pods --sort-by=.metadata.name -o wide\n```\n\nLast updated: 2026-11-01\n",
    )
    .expect("gpu note");
    let mut linking = 0;
    for folder in 0..stats.folders {
        let mut names: Vec<_> = std::fs::read_dir(root.join(format!("area-{folder:03}")))
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .collect();
        names.sort();
        for full in names.into_iter().take(HUB_LINKS - linking) {
            let mut text = std::fs::read_to_string(&full).expect("note");
            text.push_str(
                "\nSee the [hub](../hub.md#hub-heading). Watch `DCGM_FI_DEV_GPU_UTIL` and every Xid.\n",
            );
            std::fs::write(full, text).expect("note");
            linking += 1;
        }
    }
    format!(
        "{} notes, {:.1} MB, {} links",
        stats.notes,
        stats.bytes as f64 / 1e6,
        stats.links + HUB_LINKS
    )
}

fn main() {
    let corpus = corpus();
    let root = corpus.root.as_path();
    let paths = &corpus.paths;
    let total_notes = corpus.notes;
    let notes = paths.len();

    // From 5,000 notes on the server keeps the full-text index on disk, in this cache folder.
    let cache = tempfile::tempdir().expect("cache dir");
    let cache_dir = cache.path().to_str().expect("UTF-8 temp path").to_string();
    let started = Instant::now();
    let (mut client, _) = LspClient::start_env(
        root,
        json!({"window": {"workDoneProgress": true}}),
        Value::Null,
        &[("KBLS_CACHE_DIR", &cache_dir)],
    );
    let peaks = sample_rss(client.pid());
    let initialized = started.elapsed();
    println!("server pid: {}", client.pid());
    // Right after `initialized`: open a note, hover a link on it (answered once the index is
    // complete, never from a partial one), then edit it while indexing may still run.
    let (first_note, first_text, (line, col)) = paths
        .iter()
        .find_map(|path| {
            let text = std::fs::read_to_string(root.join(path)).ok()?;
            let at = link_position(&text)?;
            Some((path.clone(), text, at))
        })
        .expect("a note with a local link");
    client.open_text(&first_note, &first_text);
    let first_at = client.at(&first_note, line, col);
    client.request("textDocument/hover", first_at);
    let first_answer = started.elapsed();
    let edited = format!("{first_text}\n[gone](nope-{notes}.md)\n");
    let last_line = edited.lines().count() as u32;
    let edit_sent = Instant::now();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": client.uri(&first_note), "version": 2},
               "contentChanges": [{"text": edited}]}),
    );
    let first_uri = client.uri(&first_note);
    client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == first_uri
            && m["params"]["diagnostics"].as_array().is_some_and(|d| {
                d.iter()
                    .any(|d| d["range"]["start"]["line"] == last_line - 1)
            })
    });
    let edit_published = edit_sent.elapsed();
    let mut published = HashSet::from([first_uri]);
    while published.len() < total_notes {
        let message = client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
        published.insert(
            message["params"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let indexed = started.elapsed();
    client.backlog.clear();
    println!("initialize answered: {:>8.1} ms", ms(initialized));
    println!(
        "spawn to the first hover on a link (waits for the index): {:>8.1} ms",
        ms(first_answer)
    );
    println!(
        "edit sent right after that hover → its diagnostics published: {:>8.1} ms",
        ms(edit_published)
    );
    println!(
        "index complete (all {total_notes} notes' diagnostics published): {:>8.1} ms",
        ms(indexed)
    );
    println!(
        "  that is {:.2}x the time to the first hover (the index installed)",
        indexed.as_secs_f64() / first_answer.as_secs_f64()
    );
    println!("RSS at index complete: {}", rss_mib(client.pid()));
    // The full-text index is built next, in the background; the rest is measured once it is ready.
    let word = if corpus.generated {
        "hub".to_string()
    } else {
        first_text
            .split(|c: char| !c.is_ascii_alphabetic())
            .find(|w| w.len() >= 4)
            .expect("a word in the first note")
            .to_lowercase()
    };
    loop {
        // The server gives up waiting after 60 s with an error: ask again.
        let response = client.request_raw("kbls/search", json!({"query": word, "limit": 1}));
        if response["result"].as_array().is_some_and(|h| !h.is_empty()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    println!(
        "full-text index ready: {:>8.1} ms after start; RSS {}",
        ms(started.elapsed()),
        rss_mib(client.pid())
    );
    let query = if corpus.generated {
        json!({"query": "hub heading thousand", "limit": 20})
    } else {
        json!({"query": word, "limit": 20})
    };
    report(
        "kbls/search",
        time_requests(&mut client, "kbls/search", &query),
    );

    // A link on a note that is open in the editor.
    let at = client.at(&first_note, line, col);
    report(
        "hover on a link",
        time_requests(&mut client, "textDocument/hover", &at),
    );
    report(
        "definition of a link",
        time_requests(&mut client, "textDocument/definition", &at),
    );
    if corpus.generated {
        hub_and_terms(&mut client, root);
    }
    // Completion with every note a candidate: an empty prefix after `](` and after `[[`, and a
    // typed one. `KBLS_BENCH_COMPLETIONS=FILE` writes the lists, to compare two builds' ranking.
    client.open_text("scratch.md", "# Scratch\n\n[x](\n[[\n[x](hub\n");
    let mut lists = Vec::new();
    for (what, line, col) in [("`](`", 2, 4), ("`[[`", 3, 2), ("`](hub`", 4, 7)] {
        let complete = client.at("scratch.md", line, col);
        let items = client.request("textDocument/completion", complete.clone());
        println!(
            "completion after {what}: {} items sent, incomplete={}",
            items["items"].as_array().map_or(0, Vec::len),
            items["isIncomplete"]
        );
        lists.push(items);
        report(
            &format!("completion after {what}"),
            time_requests(&mut client, "textDocument/completion", &complete),
        );
    }
    if let Some(file) = std::env::var_os("KBLS_BENCH_COMPLETIONS") {
        std::fs::write(file, serde_json::to_string_pretty(&lists).expect("JSON"))
            .expect("write the completions");
    }

    if corpus.generated {
        hub_edits(&mut client, root, paths);
    }
    println!("peak RSS: {} MiB", peak_rss_mib(client.pid()));
    let (anon, file) = peaks.stop();
    println!("peak RSS sampled every 20 ms: anonymous {anon:.1} MiB, file-backed {file:.1} MiB");
    assert_eq!(client.shutdown(), 0);
}

/// References to the hub heading and hovers on terms (the generated corpus's hub and term notes).
fn hub_and_terms(client: &mut LspClient, root: &Path) {
    let mut refs = client.at("hub.md", 2, 5);
    refs["context"] = json!({"includeDeclaration": false});
    let found = client.request("textDocument/references", refs.clone());
    assert_eq!(
        found.as_array().map(Vec::len),
        Some(HUB_LINKS),
        "references to the hub heading"
    );
    report(
        "references (1,000 links)",
        time_requests(client, "textDocument/references", &refs),
    );
    // Terms: the first hover builds the term index and the corpus-wide mention index.
    client.open_text(
        "gpu.md",
        &std::fs::read_to_string(root.join("gpu.md")).expect("gpu note"),
    );
    let on_field = client.at("gpu.md", 4, 25);
    let first = Instant::now();
    let hover = client.request("textDocument/hover", on_field.clone());
    println!(
        "first term hover (indexes built in the background after indexing): {:>8.1} ms",
        ms(first.elapsed())
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("Mentioned in 1001 notes"),
        "{hover}"
    );
    report(
        "hover on a DCGM field",
        time_requests(client, "textDocument/hover", &on_field),
    );
    let on_flag = client.at("gpu.md", 9, 20);
    report(
        "hover on a kubectl flag",
        time_requests(client, "textDocument/hover", &on_flag),
    );
    let on_term = client.at("gpu.md", 6, 4);
    report(
        "hover on a note-defined term",
        time_requests(client, "textDocument/hover", &on_term),
    );
}

/// Edits to the hub heading, each breaking or mending 1,000 links, and its rename.
fn hub_edits(client: &mut LspClient, root: &Path, paths: &[String]) {
    // Edits to the hub heading: each breaks or mends 1,000 links; wait for a dependent note.
    let hub_text = std::fs::read_to_string(root.join("hub.md")).expect("hub");
    client.open_text("hub.md", &hub_text);
    let dependent = paths[HUB_LINKS - 1].clone();
    let dependent_uri = client.uri(&dependent);
    let mut edit_times = Vec::new();
    for version in 2..42 {
        let broken = version % 2 == 0;
        let heading = if broken {
            "## Hub Heading Renamed"
        } else {
            "## Hub Heading"
        };
        client.backlog.clear();
        let sent = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": client.uri("hub.md"), "version": version}, "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 99}}, "text": heading}]}),
        );
        client.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == dependent_uri.as_str()
                && m["params"]["diagnostics"].as_array().is_some_and(|d| {
                    d.iter().any(|d| {
                        d["code"] == "broken-anchor"
                            && d["message"].as_str().unwrap_or("").contains("hub-heading")
                    }) == broken
                })
        });
        edit_times.push(sent.elapsed());
    }
    report("edit -> dependent's diagnostics", edit_times);

    let mut rename = client.at("hub.md", 2, 5);
    rename["newName"] = json!("Central Heading");
    let mut rename_times = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let edit = client.request("textDocument/rename", rename.clone());
        rename_times.push(start.elapsed());
        let edits: usize = edit["changes"].as_object().map_or(0, |c| {
            c.values().map(|v| v.as_array().map_or(0, Vec::len)).sum()
        });
        assert_eq!(edits, HUB_LINKS + 1, "rename edits");
    }
    report("rename heading (1,000 links)", rename_times);
}

/// The position just inside the destination of the first local link of `text`.
fn link_position(text: &str) -> Option<(u32, u32)> {
    text.lines().enumerate().find_map(|(i, l)| {
        l.find("](")
            .filter(|_| !l.contains("http"))
            .map(|c| (i as u32, c as u32 + 3))
    })
}

fn time_requests(client: &mut LspClient, method: &str, params: &Value) -> Vec<Duration> {
    (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            let response = client.request_raw(method, params.clone());
            assert!(response.get("error").is_none(), "{method}: {response}");
            start.elapsed()
        })
        .collect()
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what:<36} p50 {:>7.2} ms   p95 {:>7.2} ms   (n={})",
        ms(pick(0.5)),
        ms(pick(0.95)),
        times.len()
    );
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// `VmRSS` with its anonymous and file-backed (the memory-mapped full-text index) parts, and
/// `VmHWM`.
fn rss_mib(pid: u32) -> String {
    let mib = |field| status_kib(pid, field).map_or(f64::NAN, |kib| kib as f64 / 1024.0);
    format!(
        "{:.1} MiB (anonymous {:.1}, file-backed {:.1}; peak so far {:.1})",
        mib("VmRSS:"),
        mib("RssAnon:"),
        mib("RssFile:"),
        mib("VmHWM:")
    )
}

/// The highest anonymous and file-backed RSS seen so far, sampled by a thread.
struct RssPeaks {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<(f64, f64)>,
}

fn sample_rss(pid: u32) -> RssPeaks {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = stop.clone();
    let thread = std::thread::spawn(move || {
        let (mut anon, mut file) = (0u64, 0u64);
        while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
            anon = anon.max(status_kib(pid, "RssAnon:").unwrap_or(0));
            file = file.max(status_kib(pid, "RssFile:").unwrap_or(0));
            std::thread::sleep(Duration::from_millis(20));
        }
        (anon as f64 / 1024.0, file as f64 / 1024.0)
    });
    RssPeaks { stop, thread }
}

impl RssPeaks {
    fn stop(self) -> (f64, f64) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().expect("sampler")
    }
}

fn peak_rss_mib(pid: u32) -> String {
    status_kib(pid, "VmHWM:").map_or("?".to_string(), |kib| format!("{:.1}", kib as f64 / 1024.0))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
