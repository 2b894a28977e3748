//! The on-disk search index: where it lives in the cache directory, when it can be reused, and how
//! it is switched to atomically. The only file I/O of the search module.
//!
//! Layout, under `<cache_dir>/search-<hash of the corpus key>/`:
//! - `kbls-search.json`: schema version, engine version, corpus key and the name of the live
//!   index directory. Written last, to a temporary file renamed over the old one, and only after
//!   the index it names has a commit; a crash at any point leaves the previous meta file (naming
//!   the previous, complete index) or none, never one naming a half-written index.
//! - `index-<n>-<pid>/`: tantivy indexes. Only the one the meta file names is ever opened; the
//!   others are leftovers of rebuilds and are removed once a new meta file is in place.
//!
//! Which version of each note an index holds (its fingerprint) is saved in the payload of each
//! tantivy commit, so it is atomic with the documents themselves.

use super::schema::SCHEMA_VERSION;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use tantivy::schema::Schema;
use tantivy::Index;

const META_FILE: &str = "kbls-search.json";
const INDEX_DIR_PREFIX: &str = "index-";

/// What `SearchIndex::open_or_create` found in the cache directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheState {
    /// The index of an earlier run was opened; `SearchIndex::fingerprint` says which version of
    /// each note it holds, so only changed notes need indexing.
    Reused,
    /// A new, empty index was created: every note needs indexing.
    Rebuilt(RebuildReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RebuildReason {
    /// No index yet.
    Missing,
    /// The meta file or the index could not be read.
    Corrupt,
    /// The index was written by another schema version of kbls.
    SchemaChanged,
    /// The index was written by another version of the search engine.
    EngineChanged,
}

impl std::fmt::Display for RebuildReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            RebuildReason::Missing => "no index yet",
            RebuildReason::Corrupt => "the index could not be read",
            RebuildReason::SchemaChanged => "the index has another schema version",
            RebuildReason::EngineChanged => "the index was written by another tantivy version",
        };
        f.write_str(text)
    }
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct Meta {
    schema_version: u32,
    engine: String,
    corpus_key: String,
    index_dir: String,
}

/// What each commit stores alongside its documents: `F` is the fingerprints, owned when read
/// back, borrowed when written (no copy of a map with an entry per note on each commit).
#[derive(Serialize, Deserialize, Debug, Default)]
pub(crate) struct Payload<F = BTreeMap<String, u64>> {
    pub(crate) schema_version: u32,
    pub(crate) fingerprints: F,
}

/// The on-disk side of an index: enough to finish a commit.
#[derive(Debug)]
pub(crate) struct DiskCache {
    root: PathBuf,
    corpus_key: String,
    index_dir: String,
    /// Whether the meta file already names `index_dir`.
    meta_written: bool,
}

/// An index opened from, or created in, the cache directory.
pub(crate) struct Opened {
    pub(crate) index: Index,
    pub(crate) disk: DiskCache,
    pub(crate) state: CacheState,
    pub(crate) fingerprints: BTreeMap<String, u64>,
}

fn engine_version() -> String {
    tantivy::version_string().to_string()
}

/// The directory of one corpus in the cache directory.
fn corpus_root(cache_dir: &Path, corpus_key: &str) -> PathBuf {
    cache_dir.join(format!(
        "search-{:016x}",
        super::content_fingerprint(corpus_key)
    ))
}

pub(crate) fn open(cache_dir: &Path, corpus_key: &str, schema: &Schema) -> anyhow::Result<Opened> {
    let root = corpus_root(cache_dir, corpus_key);
    fs::create_dir_all(&root)
        .with_context(|| format!("cannot create the search cache {}", root.display()))?;
    let reason = match read_meta(&root) {
        Err(reason) => reason,
        Ok(meta) if meta.schema_version != SCHEMA_VERSION => RebuildReason::SchemaChanged,
        Ok(meta) if meta.engine != engine_version() => RebuildReason::EngineChanged,
        Ok(meta) if meta.corpus_key != corpus_key => RebuildReason::Corrupt,
        Ok(meta) => match open_existing(&root, &meta, schema) {
            Ok((index, fingerprints)) => {
                let disk = DiskCache {
                    root,
                    corpus_key: corpus_key.to_string(),
                    index_dir: meta.index_dir,
                    meta_written: true,
                };
                return Ok(Opened {
                    index,
                    disk,
                    state: CacheState::Reused,
                    fingerprints,
                });
            }
            Err(reason) => reason,
        },
    };
    let index_dir = new_index_dir_name(&root);
    let path = root.join(&index_dir);
    fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let index = Index::create_in_dir(&path, schema.clone())
        .with_context(|| format!("cannot create a search index in {}", path.display()))?;
    let disk = DiskCache {
        root,
        corpus_key: corpus_key.to_string(),
        index_dir,
        meta_written: false,
    };
    Ok(Opened {
        index,
        disk,
        state: CacheState::Rebuilt(reason),
        fingerprints: BTreeMap::new(),
    })
}

fn read_meta(root: &Path) -> Result<Meta, RebuildReason> {
    let bytes = match fs::read(root.join(META_FILE)) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(RebuildReason::Missing)
        }
        Err(_) => return Err(RebuildReason::Corrupt),
    };
    let meta: Meta = serde_json::from_slice(&bytes).map_err(|_| RebuildReason::Corrupt)?;
    let is_plain_name =
        meta.index_dir.starts_with(INDEX_DIR_PREFIX) && !meta.index_dir.contains(['/', '\\']);
    if !is_plain_name {
        return Err(RebuildReason::Corrupt);
    }
    Ok(meta)
}

fn open_existing(
    root: &Path,
    meta: &Meta,
    schema: &Schema,
) -> Result<(Index, BTreeMap<String, u64>), RebuildReason> {
    let index =
        Index::open_in_dir(root.join(&meta.index_dir)).map_err(|_| RebuildReason::Corrupt)?;
    let same_schema =
        serde_json::to_string(&index.schema()).ok() == serde_json::to_string(schema).ok();
    if !same_schema {
        return Err(RebuildReason::SchemaChanged);
    }
    let metas = index.load_metas().map_err(|_| RebuildReason::Corrupt)?;
    let payload: Payload = metas
        .payload
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or(RebuildReason::Corrupt)?;
    if payload.schema_version != SCHEMA_VERSION {
        return Err(RebuildReason::SchemaChanged);
    }
    Ok((index, payload.fingerprints))
}

/// A directory name no earlier run used: one past the highest generation, plus the process id so
/// two processes rebuilding at once never share one.
fn new_index_dir_name(root: &Path) -> String {
    let highest = index_dirs(root)
        .iter()
        .filter_map(|name| {
            name.strip_prefix(INDEX_DIR_PREFIX)?
                .split('-')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    format!("{INDEX_DIR_PREFIX}{}-{}", highest + 1, std::process::id())
}

fn index_dirs(root: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(INDEX_DIR_PREFIX))
        .collect()
}

impl DiskCache {
    /// The commit payload recording which note versions the index now holds.
    pub(crate) fn payload(fingerprints: &BTreeMap<String, u64>) -> String {
        let payload = Payload {
            schema_version: SCHEMA_VERSION,
            fingerprints,
        };
        serde_json::to_string(&payload).unwrap_or_default()
    }

    /// Whether the next commit must happen even with nothing to write, to put the meta file in place.
    pub(crate) fn needs_meta(&self) -> bool {
        !self.meta_written
    }

    /// After a tantivy commit: points the meta file at this index if it does not yet, then removes
    /// the indexes of earlier runs.
    pub(crate) fn after_commit(&mut self) -> anyhow::Result<()> {
        if self.meta_written {
            return Ok(());
        }
        let meta = Meta {
            schema_version: SCHEMA_VERSION,
            engine: engine_version(),
            corpus_key: self.corpus_key.clone(),
            index_dir: self.index_dir.clone(),
        };
        let bytes =
            serde_json::to_vec_pretty(&meta).context("cannot serialize the search meta file")?;
        write_atomic(&self.root.join(META_FILE), &bytes)?;
        self.meta_written = true;
        for name in index_dirs(&self.root) {
            if name != self.index_dir {
                // Best effort: a leftover directory is only wasted space.
                let _ = fs::remove_dir_all(self.root.join(name));
            }
        }
        Ok(())
    }
}

/// Writes `bytes` to a temporary file, flushes it and renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let mut file =
        fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    file.sync_all()
        .with_context(|| format!("cannot flush {}", tmp.display()))?;
    drop(file);
    fs::rename(&tmp, path).with_context(|| format!("cannot move {} into place", tmp.display()))?;
    if let Some(dir) = path.parent() {
        // Makes the rename itself durable; not every platform can open a directory, so best effort.
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}
