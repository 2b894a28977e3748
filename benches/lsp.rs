//! Language server benchmark: `cargo bench --bench lsp` (`KBLS_BENCH_NOTES=10000` by default).
//!
//! Generates a corpus (benches/gen) plus a hub note whose heading 1,000 notes link to, starts the
//! release `kbls lsp` on it over stdio, and measures, round trip as a client sees it:
//! - `initialize` to index complete: every note's diagnostics published;
//! - hover and definition on a link, references on the hub heading (1,000 links), and
//!   completion after `](` and `[[` with every note a candidate: p50/p95 over repeated requests;
//! - edit → republished diagnostics of a dependent note (the debounce included, and without it);
//! - rename of the hub heading (1,000 incoming links);
//! - peak RSS of the server.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod gen;
// Shared with the end-to-end tests; the benchmark uses only part of it.
#[allow(dead_code)]
#[path = "../tests/it/lsp_client.rs"]
mod lsp_client;

use lsp_client::LspClient;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const SAMPLES: usize = 200;
/// The server's diagnostics debounce (src/lsp/publish.rs).
const DEBOUNCE: Duration = Duration::from_millis(120);
const HUB_LINKS: usize = 1000;

fn main() {
    let notes: usize = std::env::var("KBLS_BENCH_NOTES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    // `KBLS_BENCH_CORPUS=DIR` keeps the corpus in DIR and reuses it on the next run of the same
    // size (generating 50,000 notes takes a while); by default it lives in a temporary folder.
    let temp = tempfile::tempdir().expect("temp dir");
    let root = match std::env::var_os("KBLS_BENCH_CORPUS") {
        Some(dir) => std::path::PathBuf::from(dir).join(notes.to_string()),
        None => temp.path().to_path_buf(),
    };
    let root = root.as_path();
    let (paths, summary) = corpus(root, notes);
    let total_notes = paths.len() + 2;
    println!("corpus: {total_notes} notes, {summary}");

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
    let initialized = started.elapsed();
    println!("server pid: {}", client.pid());
    // Right after `initialized`: open a note, hover a link on it (answered once the index is
    // complete, never from a partial one), then edit it while indexing may still run.
    let first_note = paths[0].clone();
    let first_text = std::fs::read_to_string(root.join(&first_note)).expect("note");
    client.open_text(&first_note, &first_text);
    let first_at = client.at(
        &first_note,
        link_position(&first_text).0,
        link_position(&first_text).1,
    );
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
    println!("RSS at index complete: {} MiB", rss_mib(client.pid()));
    // The full-text index is built next, in the background; the rest is measured once it is ready.
    loop {
        let hits = client.request("kbls/search", json!({"query": "hub", "limit": 1}));
        if hits.as_array().is_some_and(|h| !h.is_empty()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    println!(
        "full-text index ready: {:>8.1} ms after start; RSS {} MiB",
        ms(started.elapsed()),
        rss_mib(client.pid())
    );
    let query = json!({"query": "hub heading thousand", "limit": 20});
    report(
        "kbls/search",
        time_requests(&mut client, "kbls/search", &query),
    );

    // A link on a note that is open in the editor.
    let note = paths[0].clone();
    let text = std::fs::read_to_string(root.join(&note)).expect("note");
    client.open_text(&note, &text);
    let (line, col) = link_position(&text);
    let at = client.at(&note, line, col);
    report(
        "hover on a link",
        time_requests(&mut client, "textDocument/hover", &at),
    );
    report(
        "definition of a link",
        time_requests(&mut client, "textDocument/definition", &at),
    );
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
        time_requests(&mut client, "textDocument/references", &refs),
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
        time_requests(&mut client, "textDocument/hover", &on_field),
    );
    let on_flag = client.at("gpu.md", 9, 20);
    report(
        "hover on a kubectl flag",
        time_requests(&mut client, "textDocument/hover", &on_flag),
    );
    let on_term = client.at("gpu.md", 6, 4);
    report(
        "hover on a note-defined term",
        time_requests(&mut client, "textDocument/hover", &on_term),
    );
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
    report("edit -> dependent's diagnostics", edit_times.clone());
    report(
        "  the same, less the debounce",
        edit_times
            .iter()
            .map(|t| t.saturating_sub(DEBOUNCE))
            .collect(),
    );

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
    println!("peak RSS: {} MiB", peak_rss_mib(client.pid()));
    assert_eq!(client.shutdown(), 0);
}

/// Generates the corpus into `root` (unless a previous run left a complete one there): the
/// generated notes plus the hub and the term note, a thousand notes linking to both. Returns the
/// generated notes' paths in order and a line describing the corpus.
fn corpus(root: &std::path::Path, notes: usize) -> (Vec<String>, String) {
    let done = root.join(".kbls-bench-corpus");
    if let Ok(summary) = std::fs::read_to_string(&done) {
        return (note_paths(root), summary);
    }
    if root.exists() {
        std::fs::remove_dir_all(root).expect("clear the corpus folder");
    }
    std::fs::create_dir_all(root).expect("corpus folder");
    let stats = gen::generate(root, notes, 1, gen::BROKEN_PER_MILLE);
    let paths = note_paths(root);
    assert_eq!(paths.len(), stats.notes);
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
    for path in paths.iter().take(HUB_LINKS) {
        let full = root.join(path);
        let mut text = std::fs::read_to_string(&full).expect("note");
        text.push_str(
            "\nSee the [hub](../hub.md#hub-heading). Watch `DCGM_FI_DEV_GPU_UTIL` and every Xid.\n",
        );
        std::fs::write(full, text).expect("note");
    }
    let summary = format!(
        "{:.1} MB, {} links",
        stats.bytes as f64 / 1e6,
        stats.links + HUB_LINKS
    );
    std::fs::write(&done, &summary).expect("corpus marker");
    (paths, summary)
}

/// The generated notes (`area-NNN/*.md`), folder by folder, sorted within each.
fn note_paths(root: &std::path::Path) -> Vec<String> {
    let mut folders: Vec<String> = std::fs::read_dir(root)
        .expect("corpus folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("area-"))
        .collect();
    folders.sort();
    let mut paths = Vec::new();
    for folder in folders {
        let mut names: Vec<String> = std::fs::read_dir(root.join(&folder))
            .expect("folder")
            .map(|e| {
                format!(
                    "{folder}/{}",
                    e.expect("entry").file_name().to_string_lossy()
                )
            })
            .collect();
        names.sort();
        paths.extend(names);
    }
    paths
}

/// The position just inside the destination of the first local link of `text`.
fn link_position(text: &str) -> (u32, u32) {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("](")
                .filter(|_| !l.contains("http"))
                .map(|c| (i as u32, c as u32 + 3))
        })
        .expect("a link in the note")
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

fn rss_mib(pid: u32) -> String {
    status_kib(pid, "VmRSS:").map_or("?".to_string(), |kib| format!("{:.1}", kib as f64 / 1024.0))
}

fn peak_rss_mib(pid: u32) -> String {
    status_kib(pid, "VmHWM:").map_or("?".to_string(), |kib| format!("{:.1}", kib as f64 / 1024.0))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
