//! Full-text search over the notes: a tantivy index with one document per heading section and one
//! per note title, ranked queries with snippets, and fuzzy symbol lookup for `workspace/symbol`.
//!
//! Knows nothing about LSP, the CLI or how notes are found: callers hand in [`SectionDoc`]s made by
//! [`note_sections`] from a note they already parsed, and get back paths, byte ranges and lines.
//! The index lives in memory, or (for the CLI and large server roots) in a cache directory the
//! caller names; the `cache` submodule is the only code here that touches files.
//!
//! Writes are batched: [`SearchIndex::replace_note`] and [`SearchIndex::remove_note`] only queue
//! changes, and nothing is searchable until [`SearchIndex::commit`], which the server calls off the
//! typing path (after a debounce). Searches run on a [`SearchSnapshot`], which can be moved to
//! another thread and keeps seeing the state of the last commit before it was taken.

mod cache;
mod query;
mod schema;
mod sections;
mod snippet;
mod typos;

pub use cache::{CacheState, RebuildReason};
pub use sections::{note_sections, SectionDoc, SectionKind, SectionTerm};
pub use snippet::Snippet;

use crate::text::TextRange;
use schema::{Analyzers, Fields, TextField};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::indexer::IndexWriterOptions;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

/// Memory tantivy may buffer before it writes a segment. A first build of 10,000 notes makes
/// about 4 segments with this (12 with tantivy's 15 MB minimum), and every query pays per segment
/// until background merges are picked up at the next commit. Used only while documents are
/// queued; a server adding one note per commit uses a fraction of it.
const WRITER_MEMORY: usize = 64_000_000;
/// Longest snippet, in bytes of the source text.
const SNIPPET_LEN: usize = 180;
/// Larger limits are cut to this: tantivy reserves room for `limit` hits up front.
const MAX_LIMIT: usize = 10_000;

/// One search result: a section (or a note's title document) and why it matched.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub path: String,
    pub kind: SectionKind,
    /// The zero-based line of `range.start`.
    pub line: u32,
    /// The section's heading, or the note's title heading (empty at 0 when it has none).
    pub range: TextRange,
    pub title: String,
    /// `Title > H2 > H3`.
    pub heading_path: String,
    /// The snippet in Markdown, matched words in `**bold**`.
    pub snippet: String,
    /// The same snippet as plain text with the byte ranges of the matched words, for terminals.
    pub snippet_plain: Snippet,
    /// Decreases down the list; only comparable within one query.
    pub score: f32,
    /// Found only by allowing typos in a word: such hits come after all exact ones, and a client
    /// may show them dimmed or under a "did you mean" line.
    pub approximate: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Title,
    Heading,
    Term,
}

/// A title, heading or term matching a `workspace/symbol` query.
#[derive(Clone, Debug, PartialEq)]
pub struct SymbolHit {
    pub kind: SymbolKind,
    pub name: String,
    pub path: String,
    pub line: u32,
    /// Where the symbol is written: the heading, or the term itself.
    pub range: TextRange,
    /// The heading path of the section holding the symbol (for a heading, its parents').
    pub container: String,
    pub score: f32,
}

/// A stable 64-bit hash (FNV-1a) of a note's text, the fingerprint [`SearchIndex::replace_note`]
/// records; callers may use any other stable value instead, such as one made from mtime and size.
pub fn content_fingerprint(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash ^ (text.len() as u64).rotate_left(32)
}

/// The search index of one corpus, and the writer that keeps it current.
pub struct SearchIndex {
    writer: IndexWriter,
    reader: IndexReader,
    fields: Arc<Fields>,
    analyzers: Arc<Analyzers>,
    /// The fingerprint of every note in the index, pending changes included.
    fingerprints: BTreeMap<String, u64>,
    /// The notes changed since the last commit.
    pending: BTreeSet<String>,
    /// The first write that failed since the last commit; the commit reports it.
    write_error: Option<tantivy::TantivyError>,
    disk: Option<cache::DiskCache>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("notes", &self.fingerprints.len())
            .field("pending", &self.pending.len())
            .field("disk", &self.disk)
            .finish()
    }
}

impl SearchIndex {
    /// An empty index in memory, as the language server keeps.
    ///
    /// # Panics
    ///
    /// When the operating system refuses tantivy its indexing thread.
    pub fn in_memory() -> SearchIndex {
        let (schema, fields) = schema::build_schema();
        let index = Index::create_in_ram(schema);
        SearchIndex::with_index(index, fields, BTreeMap::new(), None)
            .expect("an in-memory index needs only a thread to open")
    }

    /// Opens the index of `corpus_key` (for example the corpus root's canonical path) in
    /// `cache_dir`, or creates an empty one when there is none, it is unreadable, or it was written
    /// with another schema or tantivy version. With [`CacheState::Reused`], compare
    /// [`SearchIndex::fingerprint`] with each note to find the ones to re-index, and remove the
    /// notes that are gone ([`SearchIndex::indexed_notes`]).
    ///
    /// Fails when the cache directory cannot be written, or when another process holds the index
    /// open for writing; an in-memory index is the fallback then.
    pub fn open_or_create(
        cache_dir: &Path,
        corpus_key: &str,
    ) -> anyhow::Result<(SearchIndex, CacheState)> {
        let (schema, fields) = schema::build_schema();
        let opened = cache::open(cache_dir, corpus_key, &schema)?;
        let index =
            SearchIndex::with_index(opened.index, fields, opened.fingerprints, Some(opened.disk))?;
        Ok((index, opened.state))
    }

    fn with_index(
        index: Index,
        fields: Fields,
        fingerprints: BTreeMap<String, u64>,
        disk: Option<cache::DiskCache>,
    ) -> anyhow::Result<SearchIndex> {
        let analyzers = Analyzers::new();
        analyzers.register(&index);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(1)
            .num_merge_threads(1)
            .memory_budget_per_thread(WRITER_MEMORY)
            .build();
        let writer = index
            .writer_with_options(options)
            .map_err(|err| match err {
                tantivy::TantivyError::LockFailure(..) => {
                    anyhow::format_err!("the search index is in use by another kbls process")
                }
                err => anyhow::Error::new(err).context("cannot open the search index for writing"),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            writer,
            reader,
            fields: Arc::new(fields),
            analyzers: Arc::new(analyzers),
            fingerprints,
            pending: BTreeSet::new(),
            write_error: None,
            disk,
        })
    }

    /// The fingerprint recorded with the indexed version of `path`, if it is indexed.
    pub fn fingerprint(&self, path: &str) -> Option<u64> {
        self.fingerprints.get(path).copied()
    }

    /// Every indexed note with its fingerprint, pending changes included, sorted by path.
    pub fn indexed_notes(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.fingerprints
            .iter()
            .map(|(path, &fingerprint)| (path.as_str(), fingerprint))
    }

    /// Queues replacing every document of `path` with `docs` (from [`note_sections`]); searchable
    /// after the next [`SearchIndex::commit`]. `fingerprint` identifies this version of the note
    /// (see [`content_fingerprint`]); an on-disk index keeps it to tell what changed next run.
    ///
    /// `path` is the note's key, returned in hits as given: best the path relative to the corpus
    /// root with `/` separators, since `path:` filters match its folder names and file name.
    pub fn replace_note(&mut self, path: &str, fingerprint: u64, docs: Vec<SectionDoc>) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, path));
        for doc in &docs {
            let document = to_document(&self.fields, path, doc);
            if let Err(err) = self.writer.add_document(document) {
                self.write_error.get_or_insert(err);
            }
        }
        self.fingerprints.insert(path.to_string(), fingerprint);
        self.pending.insert(path.to_string());
    }

    /// Queues removing every document of `path`.
    pub fn remove_note(&mut self, path: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, path));
        self.fingerprints.remove(path);
        self.pending.insert(path.to_string());
    }

    /// Whether changes are waiting for a commit.
    pub fn has_pending_changes(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Makes the queued changes searchable (and, on disk, durable). Cheap when nothing changed.
    ///
    /// On failure the queued changes are dropped and the notes they touched lose their
    /// fingerprint, so a caller comparing fingerprints indexes them again.
    pub fn commit(&mut self) -> anyhow::Result<()> {
        let res = self.try_commit();
        if res.is_err() {
            let _ = self.writer.rollback();
            self.write_error = None;
            for path in std::mem::take(&mut self.pending) {
                self.fingerprints.remove(&path);
            }
        }
        res
    }

    fn try_commit(&mut self) -> anyhow::Result<()> {
        if let Some(err) = self.write_error.take() {
            // Some queued documents were lost: commit none rather than half a note.
            return Err(anyhow::Error::new(err).context("cannot add to the search index"));
        }
        let needs_meta = self.disk.as_ref().is_some_and(cache::DiskCache::needs_meta);
        if self.pending.is_empty() && !needs_meta {
            return Ok(());
        }
        let mut prepared = self.writer.prepare_commit()?;
        if self.disk.is_some() {
            prepared.set_payload(&cache::DiskCache::payload(&self.fingerprints));
        }
        prepared.commit()?;
        self.pending.clear();
        self.reader.reload()?;
        if let Some(disk) = &mut self.disk {
            disk.after_commit()?;
        }
        Ok(())
    }

    /// A read-only view of the last commit, cheap to take and to send to another thread.
    pub fn snapshot(&self) -> SearchSnapshot {
        SearchSnapshot {
            searcher: self.reader.searcher(),
            fields: self.fields.clone(),
            analyzers: self.analyzers.clone(),
        }
    }

    /// Same as `self.snapshot().search(query, limit)`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        self.snapshot().search(query, limit)
    }

    /// Same as `self.snapshot().symbols(query, limit)`.
    pub fn symbols(&self, query: &str, limit: usize) -> Vec<SymbolHit> {
        self.snapshot().symbols(query, limit)
    }
}

fn to_document(fields: &Fields, path: &str, doc: &SectionDoc) -> TantivyDocument {
    let mut res = TantivyDocument::default();
    res.add_text(fields.path, path);
    res.add_text(fields.kind, doc.kind.as_str());
    res.add_text(fields.note_title, &doc.title);
    res.add_text(fields.heading_path, &doc.heading_path);
    if let Some(date) = &doc.date {
        res.add_text(fields.date, date);
    }
    res.add_u64(fields.line, u64::from(doc.line));
    res.add_u64(fields.range_start, u64::from(doc.range.start));
    res.add_u64(fields.range_end, u64::from(doc.range.end));
    let add = |res: &mut TantivyDocument, field: &TextField, text: &str| {
        if let Some(en) = field.en {
            res.add_text(en, text);
        }
        res.add_text(field.ident, text);
    };
    let path_words = path.strip_suffix(".md").unwrap_or(path);
    match doc.kind {
        SectionKind::Title => {
            add(&mut res, &fields.title, &doc.title);
            for alias in &doc.aliases {
                add(&mut res, &fields.title, alias);
            }
            let file_name = path_words.rsplit('/').next().unwrap_or(path_words);
            add(&mut res, &fields.context, &doc.tags.join(" "));
            add(&mut res, &fields.context, file_name);
        }
        SectionKind::Section => {
            add(&mut res, &fields.heading, &doc.heading);
            if let Some((context, _)) = doc.heading_path.rsplit_once(" > ") {
                add(&mut res, &fields.context, context);
            }
        }
    }
    for term in &doc.terms {
        add(&mut res, &fields.terms, &term.text);
        res.add_u64(fields.term_spans, u64::from(term.range.start));
        res.add_u64(fields.term_spans, u64::from(term.range.end));
        res.add_u64(fields.term_spans, u64::from(term.line));
    }
    add(&mut res, &fields.body, &doc.body);
    add(&mut res, &fields.code, &doc.code);
    for tag in &doc.tags {
        add(&mut res, &fields.tags, tag);
    }
    add(&mut res, &fields.path_words, path_words);
    res
}

/// The index as of one commit. Searching never fails: an internal error gives no hits.
#[derive(Clone)]
pub struct SearchSnapshot {
    searcher: Searcher,
    fields: Arc<Fields>,
    analyzers: Arc<Analyzers>,
}

/// A document found by one phase of a query.
struct Found {
    score: f32,
    doc: TantivyDocument,
    phase: query::Phase,
}

impl SearchSnapshot {
    /// The `limit` best sections for `query` (words, `"phrases"`, `title:`, `heading:`, `code:`,
    /// `tag:`, `path:` filters; see the `query` module), best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let clauses = query::prepare(&query::parse(query), &self.analyzers);
        let default_fields = self.fields.all_text();
        let found = self.run_phases(&clauses, &default_fields, false, limit);
        found
            .into_iter()
            .map(|found| {
                let matcher =
                    snippet::Matcher::new(&clauses, &self.analyzers, found.phase.fuzzy, false);
                self.hit(&found, &matcher)
            })
            .collect()
    }

    /// The `limit` titles, headings and terms best matching `query`, typos and unfinished words
    /// allowed. An empty query lists note titles.
    pub fn symbols(&self, query: &str, limit: usize) -> Vec<SymbolHit> {
        let limit = limit.min(MAX_LIMIT);
        if limit == 0 {
            return Vec::new();
        }
        let mut clauses = query::parse(query);
        for clause in &mut clauses {
            clause.filter = None;
        }
        let clauses = query::prepare(&clauses, &self.analyzers);
        if clauses.is_empty() {
            return self.titles(limit);
        }
        let fields = &self.fields;
        let found = self.run_phases(
            &clauses,
            &[fields.title, fields.heading, fields.terms],
            true,
            limit,
        );
        let mut res = Vec::new();
        for found in found {
            let matcher = snippet::Matcher::new(&clauses, &self.analyzers, found.phase.fuzzy, true);
            self.doc_symbols(&found, &matcher, clauses.len(), &mut res);
        }
        // Names that match every word first: the name is what a symbol search is about. The sort
        // is stable, so hits of earlier phases stay first among equals.
        res.sort_by(|(a_all, a), (b_all, b)| b_all.cmp(a_all).then(b.score.total_cmp(&a.score)));
        res.into_iter()
            .map(|(_, symbol)| symbol)
            .take(limit)
            .collect()
    }

    /// Runs the phases of a query in rank order until `limit` documents are found; each phase adds
    /// only documents not found before, scaled to score below them.
    fn run_phases(
        &self,
        clauses: &[query::Prepared],
        default_fields: &[TextField],
        prefix: bool,
        limit: usize,
    ) -> Vec<Found> {
        let mut res: Vec<Found> = Vec::new();
        let limit = limit.min(MAX_LIMIT);
        if limit == 0 || clauses.is_empty() {
            return res;
        }
        let mut seen: HashSet<DocAddress> = HashSet::new();
        let mut clauses = clauses.to_vec();
        let mut spelled = false;
        for phase in query::phases(&clauses, prefix) {
            if res.len() >= limit {
                break;
            }
            if phase.fuzzy {
                if !spelled {
                    self.find_spellings(&mut clauses, default_fields);
                    spelled = true;
                }
                if clauses.iter().all(|clause| clause.spellings.is_empty()) {
                    continue;
                }
            }
            let Some(tantivy_query) =
                query::phase_query(&clauses, &self.fields, default_fields, phase)
            else {
                continue;
            };
            let collector = TopDocs::with_limit(limit - res.len() + seen.len());
            let Ok(top) = self.searcher.search(&tantivy_query, &collector) else {
                continue;
            };
            let mut new: Vec<(f32, DocAddress)> = top
                .into_iter()
                .filter(|(_, address)| !seen.contains(address))
                .take(limit - res.len())
                .collect();
            if let (Some(floor), Some(&(top_score, _))) = (res.last().map(|f| f.score), new.first())
            {
                if top_score >= floor && top_score > 0.0 {
                    let factor = floor * 0.9 / top_score;
                    for (score, _) in &mut new {
                        *score *= factor;
                    }
                }
            }
            for (score, address) in new {
                seen.insert(address);
                if let Ok(doc) = self.searcher.doc::<TantivyDocument>(address) {
                    res.push(Found { score, doc, phase });
                }
            }
        }
        res
    }

    /// Fills in the spellings of each word that may have typos, from the fields that allow them.
    fn find_spellings(&self, clauses: &mut [query::Prepared], default_fields: &[TextField]) {
        let fuzzy_fields: Vec<tantivy::schema::Field> = default_fields
            .iter()
            .filter(|f| f.fuzzy)
            .map(|f| f.ident)
            .collect();
        for clause in clauses {
            if clause.max_typos == 0 {
                continue;
            }
            if let Some(word) = clause.single_ident() {
                clause.spellings =
                    typos::spellings(&self.searcher, &fuzzy_fields, word, clause.max_typos);
            }
        }
    }

    fn hit(&self, found: &Found, matcher: &snippet::Matcher<'_>) -> SearchHit {
        let fields = &self.fields;
        let doc = &found.doc;
        let body = get_str(doc, fields.body.en);
        let code = get_str(doc, fields.code.en);
        let (body_matches, _) = matcher.find(body);
        let snippet_plain = if !body_matches.is_empty() {
            snippet::cut(body, &body_matches, SNIPPET_LEN)
        } else {
            let (code_matches, _) = matcher.find(code);
            if !code_matches.is_empty() || body.is_empty() {
                snippet::cut(code, &code_matches, SNIPPET_LEN)
            } else {
                snippet::cut(body, &[], SNIPPET_LEN)
            }
        };
        SearchHit {
            path: get_str(doc, Some(fields.path)).to_string(),
            kind: SectionKind::from_str(get_str(doc, Some(fields.kind))),
            line: get_u64(doc, fields.line) as u32,
            range: stored_range(doc, fields),
            title: get_str(doc, Some(fields.note_title)).to_string(),
            heading_path: get_str(doc, Some(fields.heading_path)).to_string(),
            snippet: snippet_plain.to_markdown(),
            snippet_plain,
            score: found.score,
            approximate: found.phase.fuzzy,
        }
    }

    /// The symbols of one found document that match: its title or heading, and its terms.
    /// Pushes each symbol with whether its name matched every clause.
    fn doc_symbols(
        &self,
        found: &Found,
        matcher: &snippet::Matcher<'_>,
        n_clauses: usize,
        out: &mut Vec<(bool, SymbolHit)>,
    ) {
        let fields = &self.fields;
        let doc = &found.doc;
        let path = get_str(doc, Some(fields.path));
        let heading_path = get_str(doc, Some(fields.heading_path));
        let kind = SectionKind::from_str(get_str(doc, Some(fields.kind)));
        let (name, symbol_kind, container) = match kind {
            SectionKind::Title => (get_str(doc, Some(fields.note_title)), SymbolKind::Title, ""),
            SectionKind::Section => {
                let parent = heading_path
                    .rsplit_once(" > ")
                    .map_or("", |(parent, _)| parent);
                (get_str(doc, fields.heading.en), SymbolKind::Heading, parent)
            }
        };
        let share = |n_matched: usize| n_matched as f32 / n_clauses.max(1) as f32;
        let n_before = out.len();
        let mut heading_matched = matcher.find(name).1;
        if kind == SectionKind::Title {
            for alias in doc
                .get_all(fields.title.en.unwrap_or(fields.title.ident))
                .filter_map(|v| v.as_str())
            {
                heading_matched = heading_matched.max(matcher.find(alias).1);
            }
        }
        let mut push_heading = |score: f32| {
            out.push((
                heading_matched >= n_clauses,
                SymbolHit {
                    kind: symbol_kind,
                    name: name.to_string(),
                    path: path.to_string(),
                    line: get_u64(doc, fields.line) as u32,
                    range: stored_range(doc, fields),
                    container: container.to_string(),
                    score,
                },
            ));
        };
        if heading_matched > 0 {
            push_heading(found.score * share(heading_matched));
        }
        let spans: Vec<u64> = doc
            .get_all(fields.term_spans)
            .filter_map(|v| v.as_u64())
            .collect();
        let terms = doc
            .get_all(fields.terms.en.unwrap_or(fields.terms.ident))
            .filter_map(|v| v.as_str());
        for (term_idx, term) in terms.enumerate() {
            let n_matched = matcher.find(term).1;
            if n_matched == 0 {
                continue;
            }
            let span = spans
                .get(term_idx * 3..term_idx * 3 + 3)
                .unwrap_or(&[0, 0, 0]);
            out.push((
                n_matched >= n_clauses,
                SymbolHit {
                    kind: SymbolKind::Term,
                    name: term.to_string(),
                    path: path.to_string(),
                    line: span[2] as u32,
                    range: TextRange {
                        start: span[0] as u32,
                        end: span[1] as u32,
                    },
                    container: heading_path.to_string(),
                    // A term is a little less of a landmark than a heading with the same words.
                    score: found.score * share(n_matched) * 0.9,
                },
            ));
        }
        if out.len() == n_before {
            // Matched through a form the matcher does not see (a stem of a stem): keep the section.
            out.push((
                false,
                SymbolHit {
                    kind: symbol_kind,
                    name: name.to_string(),
                    path: path.to_string(),
                    line: get_u64(doc, fields.line) as u32,
                    range: stored_range(doc, fields),
                    container: container.to_string(),
                    score: found.score * 0.5,
                },
            ));
        }
    }

    /// Note titles in index order, for an empty symbol query.
    fn titles(&self, limit: usize) -> Vec<SymbolHit> {
        let fields = &self.fields;
        let query = TermQuery::new(
            Term::from_field_text(fields.kind, SectionKind::Title.as_str()),
            IndexRecordOption::Basic,
        );
        let Ok(top) = self
            .searcher
            .search(&query as &dyn Query, &TopDocs::with_limit(limit))
        else {
            return Vec::new();
        };
        top.into_iter()
            .filter_map(|(score, address)| {
                let doc = self.searcher.doc::<TantivyDocument>(address).ok()?;
                Some(SymbolHit {
                    kind: SymbolKind::Title,
                    name: get_str(&doc, Some(fields.note_title)).to_string(),
                    path: get_str(&doc, Some(fields.path)).to_string(),
                    line: get_u64(&doc, fields.line) as u32,
                    range: stored_range(&doc, fields),
                    container: String::new(),
                    score,
                })
            })
            .collect()
    }
}

fn get_str(doc: &TantivyDocument, field: Option<tantivy::schema::Field>) -> &str {
    field
        .and_then(|field| doc.get_first(field))
        .and_then(|v| v.as_str())
        .unwrap_or("")
}

fn get_u64(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

fn stored_range(doc: &TantivyDocument, fields: &Fields) -> TextRange {
    let start = get_u64(doc, fields.range_start) as u32;
    let end = get_u64(doc, fields.range_end) as u32;
    TextRange {
        start,
        end: end.max(start),
    }
}

#[cfg(test)]
mod tests;
