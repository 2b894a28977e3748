//! The command line: `kbls check`, `kbls lsp`, and friends. Argument parsing and process exit
//! codes live here; the work is done by `load`, `ide` and `lsp`.

mod check;
mod render;
mod search;
mod terms;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kbls",
    version,
    about = "The knowledge-base language server and linter for Markdown notes"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the notes for broken links and anchors, stale or wrong dates, and more.
    Check(CheckArgs),
    /// Search the notes (full text, ranked, typo tolerant).
    Search(SearchArgs),
    /// Look a term up (DCGM field, kubectl command or flag, Xid code, a term the notes define), or list
    /// the terms the notes define.
    Terms(TermsArgs),
    /// Run the language server over stdio.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Notes or folders to check (default: the current folder). The corpus root is the nearest
    /// folder with a kbls.toml, else for a folder the folder, for a note the git work tree's top or
    /// else the current folder. Links elsewhere into the notes given are checked too.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Today's date for staleness checks (default: $KBLS_TODAY, else the local date).
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<String>,
    /// Days after which a note's date is stale (overrides stale_after_days).
    #[arg(long, value_name = "DAYS")]
    stale_after: Option<u32>,
    /// Read this config file instead of the root's kbls.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Also fail (exit 1) on findings of this level.
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// Report only on notes changed between REF and the working tree (and on links into them
    /// that broke), for pull-request checks.
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// Print findings only: no summary line, no progress.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words, "phrases", and field filters: title:, heading:, code:, tag:, path:.
    query: String,
    /// The corpus (or a folder or note in it) to search; default: the current folder.
    path: Option<PathBuf>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    /// Where the on-disk index lives (default: $KBLS_CACHE_DIR, else $XDG_CACHE_HOME/kbls, else ~/.cache/kbls).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Index in memory; read and write no cache.
    #[arg(long)]
    no_cache: bool,
    /// No messages about the index on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
pub struct TermsArgs {
    /// `DCGM_FI_DEV_GPU_UTIL`, `kubectl auth can-i`, `kubectl get --sort-by`, `--tail`, `XID 79`,
    /// or a term from the notes; without it, every term the notes define.
    query: Option<String>,
    /// The corpus whose notes define terms; default: the current folder.
    #[arg(long)]
    path: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

/// The formats of `kbls search` and `kbls terms`: annotations and SARIF are for findings.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Search(args) => search::run(args),
        Command::Terms(args) => terms::run(args),
        Command::Lsp { stdio: _ } => crate::lsp::run_stdio(),
    }
}

/// Prints a command's output and turns its outcome into the exit code: 0, 1 when `failed`
/// (findings, or nothing found), 2 with a one-line reason on stderr when the command could not run.
fn finish(outcome: anyhow::Result<(String, bool)>) -> ExitCode {
    use std::io::Write;
    match outcome {
        Ok((out, failed)) => {
            let mut stdout = std::io::stdout().lock();
            if let Err(err) = stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
            {
                // A reader that went away (`| head`) is no failure; a full disk is.
                if err.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::from(u8::from(failed));
                }
                let _ = writeln!(std::io::stderr(), "kbls: cannot write the output: {err}");
                return ExitCode::from(2);
            }
            ExitCode::from(u8::from(failed))
        }
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "kbls: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Colors only on a terminal, and not when `NO_COLOR` is set.
fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// "Today": the `--today` flag, else `KBLS_TODAY`, else the machine's local date.
pub fn today(flag: Option<&str>) -> Result<chrono::NaiveDate, String> {
    let from_env = std::env::var("KBLS_TODAY").ok();
    match flag.or(from_env.as_deref()) {
        Some(text) => crate::syntax::parse_date(text)
            .map_err(|_| format!("invalid date `{text}` for today (expected YYYY-MM-DD)")),
        None => Ok(chrono::Local::now().date_naive()),
    }
}
