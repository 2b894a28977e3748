//! The only module that reads the corpus from disk: finds the root and its `kbls.toml`, walks the
//! folders (honoring `.gitignore`, `.ignore` and config excludes, skipping hidden folders, safe
//! against symlink loops) and reads the notes in parallel. A file that can't be read as a note is
//! reported, never fatal. Its `git` module is the one place that runs git.

pub mod git;

pub mod dialect;

use crate::config::{self, Config};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The note extensions kbls reads.
pub const NOTE_EXTENSIONS: [&str; 2] = ["md", "markdown"];

pub struct LoadedCorpus {
    pub root: PathBuf,
    /// Notes as (path relative to root with `/`, text).
    pub notes: Vec<(String, Arc<str>)>,
    /// Other files under the root (link targets such as images).
    pub files: Vec<String>,
    pub unreadable: Vec<Unreadable>,
    /// Folders (or other entries) the walk could not read, with why: their notes are missing.
    pub walk_errors: Vec<Unreadable>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub path: String,
    pub reason: String,
}

/// The corpus root for `path`. For a folder: the nearest folder at or above it holding a
/// `kbls.toml`, else the folder itself. For a file (or a note not saved yet): the nearest
/// `kbls.toml` above it, else the top of the git work tree holding it, else `fallback` when that
/// holds the file (the CLI passes the current folder), else the file's folder.
pub fn find_root(path: &Path, fallback: Option<&Path>) -> PathBuf {
    // Canonicalize first: the parent of a bare `note.md` is the empty path, not the folder.
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let is_dir = path.is_dir();
    let start = if is_dir {
        path.clone()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    if let Some(dir) = start
        .ancestors()
        .find(|dir| dir.join(config::FILE_NAME).is_file())
    {
        return dir.to_path_buf();
    }
    if is_dir {
        return start;
    }
    if let Some(top) = git::toplevel(&start).filter(|top| path.starts_with(top)) {
        return top;
    }
    fallback
        .map(|dir| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
        .filter(|dir| path.starts_with(dir))
        .unwrap_or(start)
}

/// The current folder, symbolic links resolved.
pub fn current_dir() -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    Ok(std::fs::canonicalize(&cwd).unwrap_or(cwd))
}

/// Reads `explicit` or else the root's `kbls.toml`; a missing file means defaults.
pub fn load_config(root: &Path, explicit: Option<&Path>) -> anyhow::Result<Config> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => root.join(config::FILE_NAME),
    };
    if explicit.is_none() && !path.is_file() {
        return Ok(Config::default());
    }
    // Errors name the file as the user would: as given, or relative to the current folder.
    let shown = match explicit {
        Some(path) => path.display().to_string(),
        None => display_path(&path),
    };
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("cannot read config {shown}"))?;
    config::parse(&text, &shown).map_err(anyhow::Error::msg)
}

/// `path` relative to the current folder with `/` separators when under it, else as it is.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.map(|cwd| std::fs::canonicalize(&cwd).unwrap_or(cwd));
    cwd.and_then(|cwd| relative(&cwd, path))
        .filter(|rel| !rel.is_empty())
        .unwrap_or_else(|| path.display().to_string().replace('\\', "/"))
}

pub fn is_note_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| NOTE_EXTENSIONS.contains(&ext))
}

/// The term packs `config` names: the shipped ones it keeps and the user's packs (paths relative
/// to `root`). A pack that can't be read or parsed is an error naming the file and line.
pub fn load_packs(root: &Path, config: &Config) -> anyhow::Result<Arc<crate::terms::Packs>> {
    if config.terms.packs.is_empty()
        && config.terms.builtin.len() == crate::terms::BuiltinPack::ALL.len()
    {
        return Ok(crate::terms::Packs::builtin_shared());
    }
    let mut user = Vec::new();
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for rel in &config.terms.packs {
        let path = root.join(rel);
        // A kbls.toml (say, in a pull request) must not make kbls read files elsewhere.
        anyhow::ensure!(
            !path.exists() || is_inside(&real_root, &path),
            "term pack `{rel}` is outside the corpus root {}",
            root.display()
        );
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read term pack {}", path.display()))?;
        let pack = crate::terms::parse_pack(&text)
            .map_err(|err| anyhow::anyhow!("{}:{}: {}", path.display(), err.line, err.message))?;
        user.push(pack);
    }
    Ok(Arc::new(crate::terms::Packs::new(
        &config.terms.builtin,
        user,
    )))
}

/// Walks `root` and reads every note in parallel, and settles the dialect (`config.site`): the
/// one asked for or shown by the files at the root, else the one the notes' link forms show.
/// A site generator's notes outside its content folders are not pages: they are kept as files.
pub fn load_corpus(root: &Path, config: &mut Config) -> anyhow::Result<LoadedCorpus> {
    let detected = dialect::detect(root, config.dialect)?;
    let site = detected.clone().unwrap_or_default();
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for pattern in &config.exclude {
        overrides
            .add(&format!("!{pattern}"))
            .with_context(|| format!("invalid exclude pattern `{pattern}`"))?;
    }
    let overrides = overrides.build()?;
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .ignore(true)
        .require_git(false)
        .follow_links(true)
        .overrides(overrides)
        .build_parallel();
    let collected = Mutex::new(LoadedCorpus {
        root: root.to_path_buf(),
        notes: Vec::new(),
        files: Vec::new(),
        unreadable: Vec::new(),
        walk_errors: Vec::new(),
    });
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    walker.run(|| {
        Box::new(|entry| {
            // Walk errors (a symlink loop, a folder we may not read) skip that entry only; all but
            // loops (the walk is safe against them by design) are reported.
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    if let Some(error) = walk_error(root, &err) {
                        collected
                            .lock()
                            .expect("loader lock")
                            .walk_errors
                            .push(error);
                    }
                    return ignore::WalkState::Continue;
                }
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            // The root is a wall: a symbolic link out of it is never followed.
            let escapes = entry.path_is_symlink() && !is_inside(&real_root, entry.path());
            if escapes && !is_file {
                return ignore::WalkState::Skip;
            }
            if !is_file {
                return ignore::WalkState::Continue;
            }
            let Some(rel) = relative(root, entry.path()) else {
                return ignore::WalkState::Continue;
            };
            if escapes {
                let mut collected = collected.lock().expect("loader lock");
                collected.files.push(rel.clone());
                collected.unreadable.push(Unreadable {
                    path: rel,
                    reason: OUTSIDE_ROOT.to_string(),
                });
                return ignore::WalkState::Continue;
            }
            if rel == config::FILE_NAME {
                return ignore::WalkState::Continue;
            }
            if !is_note_path(entry.path()) || !site.is_content(&rel) {
                collected.lock().expect("loader lock").files.push(rel);
                return ignore::WalkState::Continue;
            }
            let read = read_note(entry.path(), config.max_file_size);
            let mut collected = collected.lock().expect("loader lock");
            match read {
                Ok(text) => collected.notes.push((rel, text)),
                Err(reason) => {
                    // The file exists, so links to it are not broken even though it is no note.
                    collected.files.push(rel.clone());
                    collected.unreadable.push(Unreadable { path: rel, reason });
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut corpus = collected.into_inner().expect("loader lock");
    // The parallel walk finishes in any order; the corpus must not.
    corpus.notes.sort_by(|a, b| a.0.cmp(&b.0));
    corpus.files.sort();
    corpus.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    corpus.walk_errors.sort_by(|a, b| a.path.cmp(&b.path));
    corpus.walk_errors.dedup_by(|a, b| a.path == b.path);
    config.site = match detected {
        Some(site) => site,
        None => dialect::by_link_forms(corpus.notes.iter().map(|(_, text)| &**text)),
    };
    Ok(corpus)
}

/// `ELOOP`, "too many levels of symbolic links": 40 on Linux, 62 on macOS and the BSDs.
const ELOOP: i32 = if cfg!(target_os = "linux") { 40 } else { 62 };

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
}

/// What the walk could not read and why, with its path relative to `root` (`.` for the root
/// itself); `None` for a symbolic link loop, which the walk skips by design.
fn walk_error(root: &Path, err: &ignore::Error) -> Option<Unreadable> {
    let mut path: Option<PathBuf> = None;
    let mut err = err;
    loop {
        match err {
            ignore::Error::WithPath {
                path: at,
                err: inner,
            } => {
                path.get_or_insert(at.clone());
                err = inner;
            }
            ignore::Error::WithDepth { err: inner, .. }
            | ignore::Error::WithLineNumber { err: inner, .. } => {
                err = inner;
            }
            ignore::Error::Loop { .. } => return None,
            _ => break,
        }
    }
    let rel = path
        .as_deref()
        .and_then(|path| relative(root, path))
        .filter(|rel| !rel.is_empty())
        .unwrap_or_else(|| ".".to_string());
    let reason = match err {
        ignore::Error::Io(io) => {
            // A symbolic link to nothing, or in a loop of links: skipped as links out of the
            // root are, without a word.
            let dead_link =
                io.kind() == std::io::ErrorKind::NotFound || io.raw_os_error() == Some(ELOOP);
            if dead_link && path.as_deref().is_some_and(is_symlink) {
                return None;
            }
            io.to_string()
        }
        other => other.to_string(),
    };
    Some(Unreadable { path: rel, reason })
}

/// Why a symbolic link to a file outside the corpus root is not read.
const OUTSIDE_ROOT: &str =
    "symbolic link to a file outside the corpus root; kbls does not follow it";

/// Whether `path`, symbolic links resolved, lies inside `real_root` (itself resolved).
fn is_inside(real_root: &Path, path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| real.starts_with(real_root))
}

/// Reads the note at `path` under `real_root` (resolved) again after a change: `None` when it
/// is gone, else its text or why it is no readable note. As in the walk, a symbolic link out of
/// the root is not followed.
pub fn reread_note(
    real_root: &Path,
    path: &Path,
    max_size: u64,
) -> Option<Result<Arc<str>, String>> {
    if !path.exists() {
        return None;
    }
    Some(if is_inside(real_root, path) {
        read_note(path, max_size)
    } else {
        Err(OUTSIDE_ROOT.to_string())
    })
}

/// Reads one note, or says why it is not a readable note.
fn read_note(path: &Path, max_size: u64) -> Result<Arc<str>, String> {
    use std::io::Read;
    let too_big = |size: u64| {
        format!(
            "file is {} bytes, over the limit of {max_size} bytes (`max_file_size` in kbls.toml)",
            size
        )
    };
    // One open and one fstat per note; a file we may not open still gets its size judged first.
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(open_err) => {
            let size = std::fs::metadata(path)
                .map_err(|e| format!("cannot read file: {e}"))?
                .len();
            if size > max_size {
                return Err(too_big(size));
            }
            return Err(format!("cannot read file: {open_err}"));
        }
    };
    let size = file
        .metadata()
        .map_err(|e| format!("cannot read file: {e}"))?
        .len();
    if size > max_size {
        return Err(too_big(size));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    note_text(bytes)
}

/// Turns file contents into note text, rejecting binary and non-UTF-8 data.
pub fn note_text(bytes: Vec<u8>) -> Result<Arc<str>, String> {
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err("file is binary (contains NUL bytes), not a Markdown note".to_string());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text))),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            Err(format!(
                "file is not valid UTF-8 (invalid byte at offset {offset})"
            ))
        }
    }
}

/// Where kbls keeps its caches (the search index):
/// `$KBLS_CACHE_DIR`, else `$XDG_CACHE_HOME/kbls`, else `~/.cache/kbls`, else a temp folder.
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KBLS_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("kbls");
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(home) => PathBuf::from(home).join(".cache").join("kbls"),
        None => std::env::temp_dir().join("kbls-cache"),
    }
}

/// `path` relative to `root` with `/` separators, `None` when outside it.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    // The paths the walker gives are clean (`root/a/b.md`): there the text is the answer.
    if let Some(text) = rel.to_str() {
        let clean = text.split('/').all(|part| !part.is_empty() && part != ".");
        if std::path::MAIN_SEPARATOR == '/' && clean {
            return Some(text.to_string());
        }
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_slash_separated_and_clean() {
        let root = Path::new("/kb");
        assert_eq!(
            relative(root, Path::new("/kb/a/b.md")).as_deref(),
            Some("a/b.md")
        );
        assert_eq!(
            relative(root, Path::new("/kb/a/./b//c.md")).as_deref(),
            Some("a/b/c.md")
        );
        assert_eq!(relative(root, Path::new("/kb")).as_deref(), Some(""));
        assert_eq!(relative(root, Path::new("/other/a.md")), None);
    }

    fn io_error(path: &Path, kind: std::io::ErrorKind) -> ignore::Error {
        ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: path.to_path_buf(),
                err: Box::new(ignore::Error::Io(std::io::Error::from(kind))),
            }),
        }
    }

    #[test]
    fn a_folder_the_walk_cannot_read_is_reported_with_why() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("locked")).expect("mkdir");
        let err = io_error(
            &dir.path().join("locked"),
            std::io::ErrorKind::PermissionDenied,
        );
        let error = walk_error(dir.path(), &err).expect("reported");
        assert_eq!(error.path, "locked");
        assert_eq!(error.reason, "permission denied");
        // A folder removed during the walk.
        let err = io_error(&dir.path().join("gone"), std::io::ErrorKind::NotFound);
        assert_eq!(walk_error(dir.path(), &err).expect("reported").path, "gone");
        // The root itself, or an error without a path.
        let err = io_error(dir.path(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(walk_error(dir.path(), &err).expect("reported").path, ".");
    }

    #[test]
    fn dead_and_looping_links_stay_silent() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink("nowhere", dir.path().join("dead")).expect("symlink");
        let err = io_error(&dir.path().join("dead"), std::io::ErrorKind::NotFound);
        assert_eq!(walk_error(dir.path(), &err), None);
        let err = ignore::Error::Loop {
            ancestor: dir.path().to_path_buf(),
            child: dir.path().join("up"),
        };
        assert_eq!(walk_error(dir.path(), &err), None);
    }

    #[test]
    fn load_corpus_collects_walk_errors_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.md"), "# A\n").expect("write");
        std::os::unix::fs::symlink("b", dir.path().join("a-link")).expect("symlink");
        std::os::unix::fs::symlink("a-link", dir.path().join("b")).expect("symlink");
        let corpus = load_corpus(dir.path(), &mut Config::default()).expect("load");
        assert_eq!(corpus.notes.len(), 1);
        assert_eq!(corpus.walk_errors, []);
    }
}
