//! Writes a generated benchmark corpus:
//! `cargo run --release --example gen_corpus -- DIR N [SEED [BROKEN_PER_MILLE]]`.
//!
//! Also writes `DIR.broken.tsv` beside the corpus (not in it, so no checker reads it): one
//! intended finding per line, `path<TAB>line<TAB>destination`, paths relative to DIR.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../benches/gen/mod.rs"]
mod gen;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (dir, notes, seed, broken) = match &args[1..] {
        [dir, notes] => (dir, notes, "1", None),
        [dir, notes, seed] => (dir, notes, seed.as_str(), None),
        [dir, notes, seed, broken] => (dir, notes, seed.as_str(), Some(broken)),
        _ => {
            eprintln!("usage: gen_corpus DIR NOTES [SEED [BROKEN_PER_MILLE]]");
            return ExitCode::from(2);
        }
    };
    let broken = broken.map_or(Ok(gen::BROKEN_PER_MILLE), |broken| broken.parse::<u64>());
    let (Ok(notes), Ok(seed), Ok(broken)) = (notes.parse::<usize>(), seed.parse::<u64>(), broken)
    else {
        eprintln!("gen_corpus: NOTES, SEED and BROKEN_PER_MILLE must be whole numbers");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let started = std::time::Instant::now();
    let stats = gen::generate(&dir, notes, seed, broken);
    let mut tsv = String::new();
    for (path, line, dest) in &stats.broken {
        let _ = writeln!(tsv, "{path}\t{line}\t{dest}");
    }
    let tsv_path = PathBuf::from(format!("{}.broken.tsv", dir.display()));
    if let Err(err) = std::fs::write(&tsv_path, tsv) {
        eprintln!("gen_corpus: cannot write {}: {err}", tsv_path.display());
        return ExitCode::from(1);
    }
    println!(
        "{} notes in {} folders, {:.1} MB ({:.0} bytes/note), {} local links ({:.1}/note, {} with a fragment), \
         {} external, {} broken links, {} broken anchors; {:.1} s; intended findings in {}",
        stats.notes,
        stats.folders,
        stats.bytes as f64 / 1e6,
        stats.bytes as f64 / stats.notes.max(1) as f64,
        stats.links,
        stats.links as f64 / stats.notes.max(1) as f64,
        stats.fragment_links,
        stats.external_links,
        stats.broken_links,
        stats.broken_anchors,
        started.elapsed().as_secs_f64(),
        tsv_path.display(),
    );
    ExitCode::SUCCESS
}
