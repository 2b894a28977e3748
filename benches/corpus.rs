//! Whole-corpus benchmark: `cargo bench --bench corpus`.
//!
//! For each size (default 10k, 50k and 100k notes; `KBLS_BENCH_SIZES=1000,5000` to choose) and
//! each rate of broken links (default 2% and none; `KBLS_BENCH_BROKEN=20,0` in per mille, half
//! to missing notes, half to missing headings) it generates a corpus in a temporary folder, then
//! measures:
//! - `kbls check DIR --format json --quiet`: the release binary, wall time over several runs
//!   (min and median), the least CPU time (user + system) of a run, and peak RSS (from
//!   `/usr/bin/time`, else by polling `VmHWM`). On a busy machine the CPU time is the steadier
//!   figure;
//! - a bare parse for comparison: this program re-run as a child that reads every note and runs
//!   pulldown-cmark over it on 2 rayon threads, with the options kbls uses, and nothing else.
//!   Its runs take turns with kbls's (7 each at 10k, 3 above), so both see the machine alike;
//!   the last column divides their least CPU times.
//!
//! `--generate DIR NOTES PER_MILLE` only writes one corpus into DIR, to profile kbls on it.
//!
//! Every kbls run is also checked: its broken-link and broken-anchor findings must be exactly
//! the generator's intended ones.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[allow(dead_code)] // The generator's usual rate of broken links is for its other users.
mod gen;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-28";
const SEED: u64 = 1;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--bare-parse") {
        let dir = PathBuf::from(&args[pos + 1]);
        bare_parse(&dir);
        return;
    }
    if let Some(pos) = args.iter().position(|a| a == "--generate") {
        generate_only(&args[pos + 1..]);
        return;
    }
    let sizes = numbers("KBLS_BENCH_SIZES", "10000,50000,100000");
    let broken_rates = numbers("KBLS_BENCH_BROKEN", "20,0");
    let kbls = env!("CARGO_BIN_EXE_kbls");
    let time_bin = Path::new("/usr/bin/time");
    let rss_source = if time_bin.exists() {
        "/usr/bin/time"
    } else {
        "VmHWM polling"
    };
    println!("kbls corpus benchmark: binary {kbls}, peak RSS by {rss_source}, 2 cores");
    let mut rows = Vec::new();
    for (n_notes, broken_per_mille) in sizes
        .iter()
        .flat_map(|&n| broken_rates.iter().map(move |&rate| (n, rate)))
    {
        let dir = tempfile::Builder::new()
            .prefix("kbls-bench-")
            .tempdir()
            .expect("temp dir");
        let started = Instant::now();
        let stats = gen::generate(dir.path(), n_notes, SEED, broken_per_mille as u64);
        eprintln!(
            "generated {} notes ({:.1} MB, {} links, {} intended findings) in {:.1} s",
            stats.notes,
            stats.bytes as f64 / 1e6,
            stats.links,
            stats.broken.len(),
            started.elapsed().as_secs_f64()
        );
        let runs = if n_notes >= 50_000 { 3 } else { 7 };

        // The first run warms the page cache and checks the findings.
        let check_args = [
            "check", ".", "--format", "json", "--quiet", "--today", TODAY,
        ];
        let output = Command::new(kbls)
            .args(check_args)
            .current_dir(dir.path())
            .output()
            .expect("run kbls");
        // Without broken links the other rules may still find something (or not).
        assert!(
            output.status.code() == Some(1) || (stats.broken.is_empty() && output.status.success()),
            "kbls exit {:?}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        verify_findings(&output.stdout, &stats);

        let check_args: Vec<&std::ffi::OsStr> = check_args.iter().map(|a| a.as_ref()).collect();
        let this = std::env::current_exe().expect("current exe");
        let bare_args = ["--bare-parse".as_ref(), dir.path().as_os_str()];
        let [kbls_runs, bare_runs] = measure_alternately(
            [
                &Job {
                    program: Path::new(kbls),
                    args: &check_args,
                    cwd: dir.path(),
                },
                &Job {
                    program: &this,
                    args: &bare_args,
                    cwd: dir.path(),
                },
            ],
            runs,
        );

        rows.push((
            n_notes,
            broken_per_mille,
            stats.bytes,
            stats.links,
            kbls_runs,
            bare_runs,
        ));
    }
    println!();
    println!(
        "| notes | broken | MB | links | kbls min | kbls median | kbls CPU | kbls CPU/note | kbls peak RSS | bare parse min | bare parse median | bare parse CPU | bare parse peak RSS | kbls CPU ÷ bare |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (n_notes, broken_per_mille, bytes, links, kbls_runs, bare_runs) in rows {
        println!(
            "| {n_notes} | {:.1}% | {:.1} | {links} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            broken_per_mille as f64 / 10.0,
            bytes as f64 / 1e6,
            secs(kbls_runs.min()),
            secs(kbls_runs.median()),
            kbls_runs.min_cpu(),
            kbls_runs.min_cpu_per(n_notes),
            mib(kbls_runs.peak_rss_kib),
            secs(bare_runs.min()),
            secs(bare_runs.median()),
            bare_runs.min_cpu(),
            mib(bare_runs.peak_rss_kib),
            kbls_runs.cpu_ratio(&bare_runs),
        );
    }
}

/// `--generate DIR NOTES PER_MILLE`: the corpus a row of the table measures, kept in DIR.
fn generate_only(args: &[String]) {
    let [dir, notes, per_mille] = args else {
        panic!("--generate DIR NOTES PER_MILLE");
    };
    let notes = notes.parse().expect("NOTES: a whole number");
    let per_mille = per_mille.parse().expect("PER_MILLE: a whole number");
    let stats = gen::generate(Path::new(dir), notes, SEED, per_mille);
    println!(
        "generated {} notes ({:.1} MB, {} links, {} intended findings) in {dir}",
        stats.notes,
        stats.bytes as f64 / 1e6,
        stats.links,
        stats.broken.len()
    );
}

/// The comma-separated numbers of the environment variable `name`, else of `default`.
fn numbers(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .map(|n| {
            n.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name}: comma-separated whole numbers"))
        })
        .collect()
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".to_string(), |kib| {
        format!("{:.0} MiB", kib as f64 / 1024.0)
    })
}

struct Runs {
    times: Vec<Duration>,
    /// User plus system CPU time of each run, when `/usr/bin/time` tells it.
    cpu_times: Vec<Duration>,
    /// The largest peak RSS over the runs, in KiB.
    peak_rss_kib: Option<u64>,
}

impl Runs {
    fn min(&self) -> Duration {
        *self.times.iter().min().expect("at least one run")
    }

    fn median(&self) -> Duration {
        let mut times = self.times.clone();
        times.sort();
        times[times.len() / 2]
    }

    fn min_cpu(&self) -> String {
        self.cpu_times
            .iter()
            .min()
            .map_or("n/a".to_string(), |d| secs(*d))
    }

    /// The least CPU time of a run over `other`'s.
    fn cpu_ratio(&self, other: &Runs) -> String {
        match (self.cpu_times.iter().min(), other.cpu_times.iter().min()) {
            (Some(a), Some(b)) if !b.is_zero() => {
                format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64())
            }
            _ => "n/a".to_string(),
        }
    }

    /// The least CPU time of a run per note, in microseconds.
    fn min_cpu_per(&self, n_notes: usize) -> String {
        self.cpu_times.iter().min().map_or("n/a".to_string(), |d| {
            format!("{:.0} µs", d.as_secs_f64() * 1e6 / n_notes as f64)
        })
    }
}

/// A command the bench times: program, arguments and folder.
struct Job<'a> {
    program: &'a Path,
    args: &'a [&'a std::ffi::OsStr],
    cwd: &'a Path,
}

/// Runs each job `n` times, taking turns (a, b, a, b, ...) so that a change in the machine's
/// speed during the measurement falls on both alike, with the output thrown away.
fn measure_alternately<const N: usize>(jobs: [&Job<'_>; N], n: usize) -> [Runs; N] {
    let mut runs = jobs.map(|_| Runs {
        times: Vec::new(),
        cpu_times: Vec::new(),
        peak_rss_kib: None,
    });
    for _ in 0..n {
        for (job, runs) in jobs.iter().zip(&mut runs) {
            run_once(job, runs);
        }
    }
    runs
}

/// Runs `job` once and adds its wall time, CPU time and peak RSS to `runs`.
fn run_once(job: &Job<'_>, runs: &mut Runs) {
    let time_bin = Path::new("/usr/bin/time");
    let rss_file = tempfile::NamedTempFile::new().expect("temp file");
    let mut cmd = if time_bin.exists() {
        let mut cmd = Command::new(time_bin);
        cmd.arg("-f")
            .arg("%M %U %S")
            .arg("-o")
            .arg(rss_file.path())
            .arg(job.program);
        cmd
    } else {
        Command::new(job.program)
    };
    cmd.args(job.args)
        .current_dir(job.cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let mut process = cmd.spawn().expect("spawn");
    let mut polled_kib = 0;
    let status = loop {
        if let Some(status) = process.try_wait().expect("wait") {
            break status;
        }
        if !time_bin.exists() {
            polled_kib = polled_kib.max(vm_hwm_kib(process.id()).unwrap_or(0));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    runs.times.push(started.elapsed());
    assert!(status.code().is_some_and(|c| c <= 1), "{cmd:?}: {status}");
    let kib = if time_bin.exists() {
        // The last line is "%M %U %S"; a line before it may say the exit status.
        let text = std::fs::read_to_string(rss_file.path()).unwrap_or_default();
        let fields: Vec<&str> = text
            .lines()
            .last()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        if let [_, user, sys] = fields[..] {
            let user: f64 = user.parse().unwrap_or(0.0);
            let sys: f64 = sys.parse().unwrap_or(0.0);
            runs.cpu_times.push(Duration::from_secs_f64(user + sys));
        }
        fields.first().and_then(|kib| kib.parse().ok())
    } else {
        Some(polled_kib).filter(|kib| *kib > 0)
    };
    runs.peak_rss_kib = runs.peak_rss_kib.max(kib);
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The intended findings and kbls's broken-link/broken-anchor findings must be the same.
fn verify_findings(json: &[u8], stats: &gen::GenStats) {
    let report: serde_json::Value = serde_json::from_slice(json).expect("kbls JSON");
    let mut found: Vec<(String, usize)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| matches!(d["code"].as_str(), Some("broken-link" | "broken-anchor")))
        .map(|d| {
            (
                d["path"].as_str().expect("path").to_string(),
                d["line"].as_u64().expect("line") as usize,
            )
        })
        .collect();
    let mut wanted: Vec<(String, usize)> = stats
        .broken
        .iter()
        .map(|(path, line, _)| (path.clone(), *line))
        .collect();
    found.sort();
    wanted.sort();
    assert_eq!(
        found.len(),
        wanted.len(),
        "kbls found {} broken links and anchors, the generator made {}",
        found.len(),
        wanted.len()
    );
    assert!(found == wanted, "kbls and the generator disagree on where");
}

/// The comparison point: read every note and parse it with pulldown-cmark on 2 threads.
fn bare_parse(dir: &Path) {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read folder") {
            let entry = entry.expect("folder entry");
            let path = entry.path();
            if entry.file_type().expect("file type").is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                paths.push(path);
            }
        }
    }
    // The options `kbls::syntax::parse` uses.
    let options = kbls::syntax::pulldown_options(&kbls::syntax::ParseOptions::default());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    let n_links: usize = pool.install(|| {
        paths
            .par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).expect("read note");
                Parser::new_ext(&text, options)
                    .into_offset_iter()
                    .filter(|(event, _)| matches!(event, Event::Start(Tag::Link { .. })))
                    .count()
            })
            .sum()
    });
    // Printed so the parse cannot be optimized away.
    println!("{} notes, {n_links} links", paths.len());
}
