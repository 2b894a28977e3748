//! Measures the search index on the fixture corpus and on a synthetic corpus of many notes made
//! from it: build time, on-disk size, reuse time, query latency and the memory the index adds.
//!
//! `cargo run --release --example search_bench -- [N_NOTES]` (default 10000). Nothing is written
//! outside a temporary directory, which is removed at the end.
#![allow(clippy::print_stdout)]

use kbls::search::{content_fingerprint, note_sections, CacheState, SearchIndex};
use kbls::syntax::{parse, ParseOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let n_notes: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/kb");
    let fixtures = read_corpus(&root)?;
    println!(
        "fixture corpus: {} notes, {} KiB",
        fixtures.len(),
        total_len(&fixtures) / 1024
    );
    report("fixtures", &fixtures)?;

    let synthetic = synthesize(&fixtures, n_notes);
    println!(
        "\nsynthetic corpus: {} notes, {} KiB",
        synthetic.len(),
        total_len(&synthetic) / 1024
    );
    report("synthetic", &synthetic)?;
    Ok(())
}

fn report(label: &str, notes: &[(String, String)]) -> anyhow::Result<()> {
    let options = ParseOptions::default();

    // As the server does it: each note parsed once, its sections handed to the index, and the
    // syntax kept or dropped by the caller (dropped here, since search keeps nothing of it).
    let rss_before = rss_kib();
    let start = Instant::now();
    let mut parse_time = Duration::ZERO;
    let mut n_docs = 0;
    let mut index = SearchIndex::in_memory();
    for (path, text) in notes {
        let parse_start = Instant::now();
        let syntax = parse(text, &options);
        let docs = note_sections(path, text, &syntax);
        parse_time += parse_start.elapsed();
        n_docs += docs.len();
        index.replace_note(path, content_fingerprint(text), docs);
    }
    index.commit()?;
    let build_time = start.elapsed();
    let rss_after = rss_kib();
    println!(
        "[{label}] in-memory build {build_time:?} for {n_docs} documents (of which parse + sections {parse_time:?}); \
         RSS +{} MiB over the {} MiB of the process with the note texts loaded",
        rss_after.saturating_sub(rss_before) / 1024,
        rss_before / 1024
    );

    // One edit, as the server sees it after a debounce.
    let (path, text) = &notes[notes.len() / 2];
    let edited = format!("{text}\n\nAn added paragraph about keepalived.\n");
    let start = Instant::now();
    let syntax = parse(&edited, &options);
    index.replace_note(
        path,
        content_fingerprint(&edited),
        note_sections(path, &edited, &syntax),
    );
    index.commit()?;
    println!(
        "[{label}] one edit: parse + replace + commit {:?}",
        start.elapsed()
    );
    // Background merges finish, and the next commit lets go of the segments they replaced.
    std::thread::sleep(Duration::from_secs(5));
    let edited = format!("{text}\n\nAnother paragraph about haproxy.\n");
    let syntax = parse(&edited, &options);
    index.replace_note(
        path,
        content_fingerprint(&edited),
        note_sections(path, &edited, &syntax),
    );
    index.commit()?;
    let rss_settled = rss_kib();
    trim_heap();
    println!(
        "[{label}] after merges settle and one more edit: RSS +{} MiB; +{} MiB once freed heap is returned (malloc_trim)",
        rss_settled.saturating_sub(rss_before) / 1024,
        rss_kib().saturating_sub(rss_before) / 1024
    );

    let queries = queries(notes);
    if let Ok(traced) = std::env::var("BENCH_TRACE") {
        let snapshot = index.snapshot();
        for _ in 0..3 {
            let start = Instant::now();
            let n = snapshot.search(&traced, 20).len();
            println!("traced {traced:?}: {n} hits in {:?}", start.elapsed());
        }
    }
    for (kind, run) in [("search", true), ("symbols", false)] {
        let mut times = Vec::with_capacity(queries.len());
        let mut cpu_times = Vec::with_capacity(queries.len());
        let mut slowest = Vec::new();
        let snapshot = index.snapshot();
        for query in &queries {
            let start = Instant::now();
            let cpu_start = thread_cpu_time();
            let n = if run {
                snapshot.search(query, 20).len()
            } else {
                snapshot.symbols(query, 50).len()
            };
            cpu_times.push(thread_cpu_time().saturating_sub(cpu_start));
            times.push(start.elapsed());
            slowest.push((start.elapsed(), query.clone(), n));
            std::hint::black_box(n);
        }
        cpu_times.sort();
        println!(
            "[{label}] {kind}: CPU time per query p50 {:?}, p95 {:?}, max {:?}",
            percentile(&cpu_times, 50),
            percentile(&cpu_times, 95),
            cpu_times.last().copied().unwrap_or_default()
        );
        if std::env::var_os("BENCH_VERBOSE").is_some() {
            slowest.sort();
            for (time, query, n) in slowest.iter().rev().take(8) {
                println!("    slow {kind}: {time:?} {query:?} ({n} hits)");
            }
        }
        times.sort();
        println!(
            "[{label}] {kind}: {} queries, p50 {:?}, p95 {:?}, max {:?}",
            times.len(),
            percentile(&times, 50),
            percentile(&times, 95),
            times.last().copied().unwrap_or_default()
        );
    }
    drop(index);

    let dir = tempfile::tempdir()?;
    let start = Instant::now();
    let (mut index, state) = SearchIndex::open_or_create(dir.path(), "bench")?;
    assert!(matches!(state, CacheState::Rebuilt(_)));
    for (path, text) in notes {
        let syntax = parse(text, &options);
        index.replace_note(
            path,
            content_fingerprint(text),
            note_sections(path, text, &syntax),
        );
    }
    index.commit()?;
    let disk_build = start.elapsed();
    drop(index);
    let size = dir_size(dir.path());
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        space_report(dir.path())?;
    }

    let start = Instant::now();
    let (index, state) = SearchIndex::open_or_create(dir.path(), "bench")?;
    let n_unchanged = notes
        .iter()
        .filter(|(path, text)| index.fingerprint(path) == Some(content_fingerprint(text)))
        .count();
    let reuse_time = start.elapsed();
    println!(
        "[{label}] on disk: build {disk_build:?}, size {} KiB; reopen {state:?} + fingerprint check of {n_unchanged} unchanged notes {reuse_time:?}",
        size / 1024
    );
    Ok(())
}

/// Realistic queries: the test queries, words and identifiers from the corpus, and misspellings.
fn queries(notes: &[(String, String)]) -> Vec<String> {
    let mut res: Vec<String> = [
        "ndots",
        "golden rules",
        "MIG utilization metric",
        "force delete pod",
        "PagedAttention",
        "DCGM_FI_DEV_GPU_UTIL",
        "kube-proxy",
        "--sort-by",
        "kubernets networking",
        "pagedattenton",
        "title:dns",
        "code:nvidia-smi",
        "\"golden rules\"",
        "PCIe starvation pattern",
        "something about ndots and DNS",
        // What `workspace/symbol` sees while a name is being typed.
        "k",
        "ku",
        "kube",
        "kube-pr",
        "g",
        "gpu m",
    ]
    .map(String::from)
    .to_vec();
    let mut rng = Rng(42);
    let words: Vec<&str> = notes
        .iter()
        .flat_map(|(_, text)| text.split_whitespace())
        .filter(|w| {
            w.len() >= 4
                && w.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
        .collect();
    while res.len() < 500 && !words.is_empty() {
        let n_words = 1 + rng.below(3);
        let mut query: Vec<String> = (0..n_words)
            .map(|_| words[rng.below(words.len())].to_string())
            .collect();
        if rng.below(4) == 0 {
            // A typo: drop one character of the first word.
            let word = &mut query[0];
            let idx = rng.below(word.len());
            if word.is_char_boundary(idx) && word.is_char_boundary(idx + 1) {
                word.remove(idx);
            }
        }
        res.push(query.join(" "));
    }
    res
}

/// `n` notes made from the fixtures: each mixes the sections of two notes and adds made-up words
/// and identifiers, so the vocabulary grows the way a real knowledge base's does.
fn synthesize(fixtures: &[(String, String)], n: usize) -> Vec<(String, String)> {
    let mut rng = Rng(7);
    let mut res = Vec::with_capacity(n);
    for note_idx in 0..n {
        let (base_path, base) = &fixtures[note_idx % fixtures.len()];
        let (_, other) = &fixtures[rng.below(fixtures.len())];
        let mut text = String::new();
        let title = base
            .lines()
            .find(|l| l.starts_with("# "))
            .unwrap_or("# Note");
        text += &format!("{title} {note_idx}\n\n");
        let body: String = base
            .lines()
            .filter(|l| !l.starts_with("# "))
            .collect::<Vec<_>>()
            .join("\n");
        // The sections after the note's introduction.
        let other_sections: Vec<&str> = other.split("\n## ").collect();
        let other_sections = &other_sections[1..];
        text += &body;
        if let Some(section) = other_sections.get(rng.below(other_sections.len().max(1))) {
            text += &format!("\n\n## {section}");
        }
        text += "\n\n## Notes of the day\n\n";
        for _ in 0..(20 + rng.below(60)) {
            let word = match rng.below(10) {
                0 => format!(
                    "`{}_{}_{}`",
                    syllables(&mut rng).to_uppercase(),
                    syllables(&mut rng).to_uppercase(),
                    rng.below(100)
                ),
                1 => format!("{}-{}", syllables(&mut rng), syllables(&mut rng)),
                _ => syllables(&mut rng),
            };
            text += &word;
            text.push(' ');
        }
        text.push('\n');
        let stem = base_path.trim_end_matches(".md");
        res.push((format!("{stem}-{note_idx}.md"), text));
    }
    res
}

fn syllables(rng: &mut Rng) -> String {
    const PARTS: [&str; 24] = [
        "ka", "ro", "mi", "tel", "zu", "pan", "dor", "vi", "sek", "lo", "qua", "ner", "fi", "gam",
        "bri", "to", "ux", "sha", "lem", "cor", "yn", "pla", "dex", "mo",
    ];
    let n = 2 + rng.below(3);
    (0..n).map(|_| PARTS[rng.below(PARTS.len())]).collect()
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64*: plenty for made-up text.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }
}

fn percentile(sorted: &[Duration], pct: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() * pct / 100).min(sorted.len() - 1)]
}

fn read_corpus(root: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut res = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let rel = path
                    .strip_prefix(root)?
                    .to_string_lossy()
                    .replace('\\', "/");
                res.push((rel, std::fs::read_to_string(&path)?));
            }
        }
    }
    res.sort();
    Ok(res)
}

fn total_len(notes: &[(String, String)]) -> usize {
    notes.iter().map(|(_, text)| text.len()).sum()
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                dir_size(&path)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            }
        })
        .sum()
}

/// Resident memory of this process, in KiB (Linux; 0 elsewhere).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Bytes per component and field of the one index under `dir`.
fn space_report(dir: &Path) -> anyhow::Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.join("meta.json").exists() {
            let index = tantivy::Index::open_in_dir(&path)?;
            let schema = index.schema();
            let usage = index.reader()?.searcher().space_usage()?;
            let mut by_field: std::collections::BTreeMap<(String, &str), u64> = Default::default();
            for segment in usage.segments() {
                for (component, per_field) in [
                    ("termdict", segment.termdict()),
                    ("postings", segment.postings()),
                    ("positions", segment.positions()),
                    ("fieldnorms", segment.fieldnorms()),
                ] {
                    for (field, field_usage) in per_field.fields() {
                        *by_field
                            .entry((schema.get_field_name(*field).to_string(), component))
                            .or_default() += field_usage.total().get_bytes();
                    }
                }
                *by_field.entry(("(all)".to_string(), "store")).or_default() +=
                    segment.store().total().get_bytes();
            }
            for ((field, component), bytes) in by_field {
                if bytes > 100 * 1024 {
                    println!("    {field:>14} {component:<10} {:>7} KiB", bytes / 1024);
                }
            }
            return Ok(());
        }
        for entry in std::fs::read_dir(&path)?.flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            }
        }
    }
    Ok(())
}

/// CPU time of the calling thread: unlike wall time, not inflated when other processes compete
/// for the cores. Zero where the clock is missing.
#[cfg(target_os = "linux")]
fn thread_cpu_time() -> Duration {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the call only writes to it.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_time() -> Duration {
    Duration::ZERO
}

/// Returns the heap glibc keeps after frees to the system, to tell live memory from retained.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim_heap() {
    extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: malloc_trim only releases free memory; it has no preconditions.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim_heap() {}
