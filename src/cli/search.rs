//! `kbls search`: full-text search over the notes, with an on-disk index in a cache folder that
//! is reused when unchanged and refreshed note by note.

use super::{ListFormat, SearchArgs};
use crate::load;
use crate::search::{CacheState, SearchHit, SearchIndex};
use crate::workspace::Workspace;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn run(args: SearchArgs) -> ExitCode {
    super::finish(search(&args).map(|hits| {
        let out = match args.format {
            ListFormat::Json => render_json(&args.query, &hits),
            ListFormat::Human => render_human(&hits, super::use_color()),
        };
        // Like grep: 1 when nothing matched.
        (out, hits.is_empty())
    }))
}

/// Hits with paths relative to the current folder.
fn search(args: &SearchArgs) -> anyhow::Result<Vec<SearchHit>> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    anyhow::ensure!(path.exists(), "no such file or folder: {}", path.display());
    let root = load::find_root(&path, Some(&load::current_dir()?));
    let read = Workspace::read(&root, load::load_config(&root, None)?)?;
    let index = read.index_search(open_index(&root, args)?)?;
    let cwd = std::env::current_dir()?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let scope = std::fs::canonicalize(&path)?;
    let mut hits: Vec<SearchHit> = index
        .search(&args.query, args.limit.max(1) * 4)
        .into_iter()
        .filter(|hit| root.join(&hit.path).starts_with(&scope))
        .take(args.limit)
        .collect();
    for hit in &mut hits {
        let abs = root.join(&hit.path);
        hit.path = abs
            .strip_prefix(&cwd)
            .ok()
            .and_then(|rel| load::relative(Path::new(""), rel))
            .unwrap_or_else(|| abs.display().to_string());
    }
    Ok(hits)
}

fn open_index(root: &Path, args: &SearchArgs) -> anyhow::Result<SearchIndex> {
    if args.no_cache {
        return Ok(SearchIndex::in_memory());
    }
    let cache_dir = match &args.cache_dir {
        Some(dir) => dir.clone(),
        None => load::default_cache_dir(),
    };
    let key = root.display().to_string();
    match SearchIndex::open_or_create(&cache_dir, &key) {
        Ok((index, state)) => {
            if let CacheState::Rebuilt(reason) = state {
                if !args.quiet {
                    let _ = writeln!(
                        std::io::stderr(),
                        "kbls: building the search index in {} ({reason})",
                        cache_dir.display()
                    );
                }
            }
            Ok(index)
        }
        Err(err) => {
            // Another kbls holds the cache, or the folder is not writable: search in memory.
            let _ = writeln!(
                std::io::stderr(),
                "kbls: search cache unavailable ({err:#}); indexing in memory"
            );
            Ok(SearchIndex::in_memory())
        }
    }
}

fn render_human(hits: &[SearchHit], color: bool) -> String {
    let mut out = String::new();
    for hit in hits {
        let location = format!("{}:{}", hit.path, hit.line + 1);
        let (location, heading) = if color {
            (
                format!("\x1b[1;35m{location}\x1b[0m"),
                format!("\x1b[1m{}\x1b[0m", hit.heading_path),
            )
        } else {
            (location, hit.heading_path.clone())
        };
        out += &format!("{location}: {heading}\n");
        let snippet = &hit.snippet_plain;
        let mut line = String::new();
        let mut at = 0;
        for range in &snippet.highlights {
            let (start, end) = (range.start as usize, range.end as usize);
            line += &snippet.text[at..start];
            let word = &snippet.text[start..end];
            line += &if color {
                format!("\x1b[1;33m{word}\x1b[0m")
            } else {
                format!("[{word}]")
            };
            at = end;
        }
        line += &snippet.text[at..];
        out += &format!("    {line}\n");
    }
    out
}

/// One hit in `--format json`, fields in this order.
#[derive(Serialize)]
struct JsonHit<'a> {
    path: &'a str,
    line: u32,
    title: &'a str,
    heading_path: &'a str,
    snippet: &'a str,
    /// Byte ranges of the matched words in `snippet`.
    highlights: Vec<[u32; 2]>,
    score: f32,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    query: &'a str,
    hits: Vec<JsonHit<'a>>,
}

fn render_json(query: &str, hits: &[SearchHit]) -> String {
    let hits = hits
        .iter()
        .map(|hit| JsonHit {
            path: &hit.path,
            line: hit.line + 1,
            title: &hit.title,
            heading_path: &hit.heading_path,
            snippet: &hit.snippet_plain.text,
            highlights: hit
                .snippet_plain
                .highlights
                .iter()
                .map(|r| [r.start, r.end])
                .collect(),
            score: hit.score,
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&JsonReport {
        version: 1,
        query,
        hits,
    })
    .expect("JSON of plain values");
    out.push('\n');
    out
}
