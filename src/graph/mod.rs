//! The corpus as a cross-reference graph: notes, their headings and links, and the reverse index
//! from link targets back to the notes that link there.
//!
//! Knows nothing about LSP, the file system or the clock: notes come in as (path, text) pairs with
//! `/`-separated paths relative to the corpus root. The graph stores each note's parse and an
//! index from *target keys* (the normalized path or wiki stem a link names) to the notes whose
//! links name them. Resolution is a few hash lookups done on demand, so updating one note touches
//! only that note's entries. The reverse index is built on first use (`kbls check` never needs
//! it; the language server builds it right after loading with [`Graph::index_backlinks`]) and
//! then kept current note by note.

mod backlinks;
mod chapters;
mod dump;
mod names;
mod resolve;
mod urls;

pub use backlinks::LinkRef;
pub use resolve::{
    hugo_url_path, match_fragment, normalize, obsidian_heading_chain, relative_path,
    shortest_unique_name, FragmentMatch, Resolved,
};

use crate::dialect::{Dialect, Site};
use crate::syntax::{self, LinkTarget, NoteSyntax, ParseOptions};
use crate::terms::{self, MentionIndex, Packs, TermDef, TermIndex};
use crate::text::name_index::NameIndex;
use crate::text::{LineIndex, StoredText, TextStorage};
use names::Names;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct NoteId(pub u32);

/// One parsed note. Immutable once built; a changed note is a new `Note`.
#[derive(Debug)]
pub struct Note {
    /// Path relative to the corpus root, `/`-separated.
    pub path: String,
    /// Read with [`Note::text`].
    text: StoredText,
    pub syntax: NoteSyntax,
    /// Made on first use: `kbls check` needs the lines of the notes with findings only.
    line_index: OnceLock<LineIndex>,
}

impl Note {
    pub fn new(path: String, text: Arc<str>, options: &ParseOptions, storage: TextStorage) -> Note {
        let syntax = syntax::parse(&text, options);
        Note {
            path,
            text: StoredText::new(text, storage),
            syntax,
            line_index: OnceLock::new(),
        }
    }

    /// Where the note's lines start, to convert offsets to lines and columns.
    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text()))
    }

    /// The note's text: borrowed, or read back when the graph keeps texts packed (the server),
    /// so a caller reading it often reads it once.
    pub fn text(&self) -> Cow<'_, str> {
        self.text.read()
    }

    /// The text's length in bytes, without reading it back.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The text as the graph stores it, for an index that keeps it beside the note's parse.
    pub fn stored_text(&self) -> &StoredText {
        &self.text
    }

    /// The file name without its extension: what wiki-links name.
    pub fn stem(&self) -> &str {
        file_stem(&self.path)
    }

    /// The note's title, or its file stem when it has none.
    pub fn title(&self) -> &str {
        self.syntax.title.as_deref().unwrap_or_else(|| self.stem())
    }

    /// The folder holding the note, `""` at the root.
    pub fn dir(&self) -> &str {
        parent_dir(&self.path)
    }
}

#[derive(Clone, Debug)]
pub struct Graph {
    notes: Vec<Option<Arc<Note>>>,
    /// Each note's path and title, and the note at each path.
    names: Names,
    /// Folder to the notes directly in it, for suggestions among siblings.
    by_dir: HashMap<String, Folder>,
    /// Files in the corpus that are not notes (images, PDFs), for links to them.
    files: HashSet<String>,
    /// Every folder that holds a note or file, for folder links.
    dirs: HashSet<String>,
    /// The dialect and site layout links are resolved by.
    site: Site,
    /// Obsidian: lowercased file name to the non-note files with it, for attachments by name.
    files_by_name: HashMap<String, Vec<String>>,
    /// Hugo: lowercased path to the note and to the file there, as URLs are lowercase.
    by_lower_path: HashMap<String, NoteId>,
    /// Hugo: the pages' other URLs (front matter `url`, `aliases`, `[permalinks]`), lowercase.
    by_url: HashMap<String, NoteId>,
    lower_files: HashMap<String, String>,
    /// Files of the corpus that are no readable note (not UTF-8, binary, too large, a link out
    /// of the root), with why. They are among `files`, so links to them are not broken.
    unreadable: BTreeMap<String, String>,
    /// Target key to the notes that have at least one link naming it, built on first use and
    /// then kept current note by note.
    incoming: OnceLock<HashMap<String, Vec<NoteId>>>,
    /// The terms the notes define, built on first use (`kbls check` never needs it) and then
    /// kept current note by note; and the packs (DCGM, kubectl, the user's) terms come from.
    terms: OnceLock<TermIndex>,
    packs: Arc<Packs>,
    /// Every mention of every term across the corpus, built on first use after a change.
    mentions: OnceLock<Arc<MentionIndex>>,
    /// The notes an mdBook's SUMMARY.md lists, worked out on first use after a change.
    chapters: OnceLock<HashSet<NoteId>>,
    /// How note texts are kept, those of later edits too.
    storage: TextStorage,
}

/// The notes directly in one folder, and the index of their stems for did-you-mean, built on
/// first use and dropped when a note comes or goes.
#[derive(Clone, Debug, Default)]
struct Folder {
    notes: Vec<NoteId>,
    stems: OnceLock<Arc<NameIndex>>,
}

impl Default for Graph {
    fn default() -> Graph {
        let packs = Packs::builtin_shared();
        Graph {
            notes: Vec::new(),
            names: Names::default(),
            by_dir: HashMap::new(),
            files: HashSet::new(),
            dirs: HashSet::new(),
            site: Site::default(),
            files_by_name: HashMap::new(),
            by_lower_path: HashMap::new(),
            by_url: HashMap::new(),
            lower_files: HashMap::new(),
            unreadable: BTreeMap::new(),
            incoming: OnceLock::new(),
            terms: OnceLock::new(),
            packs,
            mentions: OnceLock::new(),
            chapters: OnceLock::new(),
            storage: TextStorage::Plain,
        }
    }
}

impl Graph {
    /// Builds the graph of `notes` (parsed in parallel) plus the non-note `files`, with the
    /// shipped term packs, keeping the texts as read.
    pub fn build(
        notes: Vec<(String, Arc<str>)>,
        files: Vec<String>,
        options: &ParseOptions,
    ) -> Graph {
        Graph::build_stored(notes, files, options, TextStorage::Plain)
    }

    /// [`Graph::build`], keeping the texts (those of later edits too) as `storage` says.
    pub fn build_stored(
        notes: Vec<(String, Arc<str>)>,
        files: Vec<String>,
        options: &ParseOptions,
        storage: TextStorage,
    ) -> Graph {
        let parsed: Vec<Note> = notes
            .into_par_iter()
            .map(|(path, text)| Note::new(path, text, options, storage))
            .collect();
        let mut graph = Graph {
            site: options.site.clone(),
            storage,
            ..Graph::default()
        };
        graph.notes.reserve(parsed.len());
        graph.names.reserve(parsed.len());
        for file in files {
            graph.add_file(file);
        }
        for note in parsed {
            graph.insert_note(Arc::new(note));
        }
        graph
    }

    /// Builds the reverse link index now rather than on the first [`Graph::dependents`] or
    /// [`Graph::backlinks`] (the language server does it while loading, off the editor's path).
    pub fn index_backlinks(&self) {
        self.incoming();
    }

    /// The reverse link index; the link keys are computed in parallel, the inserts in order.
    fn incoming(&self) -> &HashMap<String, Vec<NoteId>> {
        self.incoming.get_or_init(|| {
            let notes: Vec<(NoteId, &Note)> = self.notes().collect();
            let keys: Vec<(NoteId, Vec<String>)> = notes
                .par_iter()
                .map(|(id, note)| (*id, link_keys(&self.site, note)))
                .collect();
            let mut incoming: HashMap<String, Vec<NoteId>> = HashMap::new();
            for (id, keys) in keys {
                index_links(&mut incoming, id, keys);
            }
            incoming
        })
    }

    /// Replaces the term packs (shipped and the user's).
    pub fn set_packs(&mut self, packs: Arc<Packs>) {
        if let Some(terms) = self.terms.get_mut() {
            terms.set_packs(&packs);
        }
        self.packs = packs;
        self.mentions = OnceLock::new();
    }

    pub fn packs(&self) -> &Packs {
        &self.packs
    }

    /// The term definitions of every note (extracted in parallel on first use).
    pub fn terms(&self) -> &TermIndex {
        self.terms.get_or_init(|| {
            let notes: Vec<&Note> = self.notes().map(|(_, note)| note).collect();
            // Only the notes that define something: the others would add nothing to the index,
            // but a copy of their path each to the peak.
            let defs: Vec<(String, StoredText, Vec<TermDef>)> = notes
                .par_iter()
                .filter_map(|note| {
                    let defs = terms::extract(&note.text(), &note.syntax);
                    (!defs.is_empty()).then(|| (note.path.clone(), note.text.clone(), defs))
                })
                .collect();
            TermIndex::build(defs, &self.packs)
        })
    }

    /// Every term mention of the corpus (computed once per revision, in parallel).
    pub fn mentions(&self) -> Arc<MentionIndex> {
        self.mentions
            .get_or_init(|| {
                let notes: Vec<(NoteId, &Note)> = self.notes().collect();
                Arc::new(MentionIndex::build(
                    &notes,
                    |(id, note)| (id.0, note.text(), &note.syntax),
                    &self.packs,
                    self.terms(),
                ))
            })
            .clone()
    }

    /// Whether the term and mention indexes are built (for tests of when the server builds them).
    #[cfg(test)]
    pub fn mentions_built(&self) -> bool {
        self.terms.get().is_some() && self.mentions.get().is_some()
    }

    pub fn note(&self, id: NoteId) -> &Note {
        self.notes[id.0 as usize]
            .as_deref()
            .expect("NoteId of a removed note")
    }

    pub fn note_arc(&self, id: NoteId) -> Arc<Note> {
        self.notes[id.0 as usize]
            .clone()
            .expect("NoteId of a removed note")
    }

    pub fn get(&self, id: NoteId) -> Option<&Note> {
        self.notes.get(id.0 as usize)?.as_deref()
    }

    pub fn by_path(&self, path: &str) -> Option<NoteId> {
        self.names.get(path)
    }

    pub fn notes(&self) -> impl Iterator<Item = (NoteId, &Note)> + '_ {
        self.notes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((NoteId(i as u32), n.as_deref()?)))
    }

    pub fn note_count(&self) -> usize {
        self.names.len()
    }

    /// Every note's id, path and title (as [`Note::title`], a very long one cut), read from one
    /// dense table: for passes over every note that need no more of them.
    pub fn note_names(&self) -> impl Iterator<Item = (NoteId, &str, &str)> + '_ {
        self.names.iter()
    }

    /// The notes whose file stem is `stem`, ignoring case, by id (several make a wiki-link
    /// ambiguous).
    pub fn notes_with_stem(&self, stem: &str) -> Vec<NoteId> {
        self.names.with_stem(stem)
    }

    /// The note at `path`, or every note under the folder `path` (a file or folder moved or
    /// deleted as one), as corpus paths.
    pub fn paths_under(&self, path: &str) -> Vec<String> {
        if self.by_path(path).is_some() {
            return vec![path.to_string()];
        }
        let prefix = format!("{path}/");
        let mut res: Vec<String> = self
            .names
            .iter()
            .filter(|(_, p, _)| p.starts_with(&prefix))
            .map(|(_, p, _)| p.to_string())
            .collect();
        res.sort();
        res
    }

    /// The notes directly in folder `dir` (`""` for the root) with the index of their file stems, whose positions
    /// are those of the notes.
    pub fn stems_in_dir(&self, dir: &str) -> Option<(&[NoteId], &NameIndex)> {
        let folder = self.by_dir.get(dir)?;
        let stems = folder.stems.get_or_init(|| {
            Arc::new(NameIndex::new(
                folder.notes.iter().map(|&id| self.note(id).stem()),
            ))
        });
        Some((&folder.notes, stems))
    }

    /// The non-note files of the corpus.
    pub fn files(&self) -> impl Iterator<Item = &str> + '_ {
        self.files.iter().map(String::as_str)
    }

    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    pub fn has_dir(&self, path: &str) -> bool {
        path.is_empty() || self.dirs.contains(path)
    }

    /// The dialect and site layout the graph resolves links by.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Registers a non-note file (an image a note shows, say).
    pub fn add_file(&mut self, path: String) {
        self.add_dirs(&path);
        match self.site.dialect {
            Dialect::Obsidian => {
                let paths = self
                    .files_by_name
                    .entry(file_name(&path).to_lowercase())
                    .or_default();
                if !paths.contains(&path) {
                    paths.push(path.clone());
                }
            }
            Dialect::Hugo => {
                self.lower_files.insert(path.to_lowercase(), path.clone());
            }
            Dialect::Github | Dialect::Mdbook => {}
        }
        self.files.insert(path);
    }

    pub fn remove_file(&mut self, path: &str) {
        self.files.remove(path);
        if let Some(paths) = self.files_by_name.get_mut(&file_name(path).to_lowercase()) {
            paths.retain(|p| p != path);
        }
        self.lower_files.remove(&path.to_lowercase());
    }

    /// The file at `path`, or at `path` compared in lowercase (Hugo's URLs).
    fn file_ignoring_case(&self, path: &str) -> Option<String> {
        if self.files.contains(path) {
            return Some(path.to_string());
        }
        self.lower_files.get(&path.to_lowercase()).cloned()
    }

    /// Records that the file at `path` exists but is no readable note, and why (replacing the
    /// note there, if any); returns the notes whose findings may have changed.
    pub fn set_unreadable(&mut self, path: &str, reason: String) -> Vec<NoteId> {
        let affected = self.remove(path);
        self.add_file(path.to_string());
        self.unreadable.insert(path.to_string(), reason);
        affected
    }

    /// The unreadable files as (path, why), by path.
    pub fn unreadable(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.unreadable
            .iter()
            .map(|(path, reason)| (path.as_str(), reason.as_str()))
    }

    /// Why the file at `path` is no readable note, when it is not.
    pub fn unreadable_reason(&self, path: &str) -> Option<&str> {
        self.unreadable.get(path).map(String::as_str)
    }

    /// Forgets that `path` was unreadable (it is a note again, or gone).
    fn clear_unreadable(&mut self, path: &str) {
        if self.unreadable.remove(path).is_some() {
            self.files.remove(path);
        }
    }

    /// Adds or replaces the note at `path` and returns the notes whose findings may have changed:
    /// the note itself, notes with links that could resolve to it (in the dialect's every form),
    /// and for an mdBook's SUMMARY.md the chapters it lists or stops listing. Only this note is
    /// parsed.
    pub fn update(&mut self, path: &str, text: Arc<str>, options: &ParseOptions) -> Vec<NoteId> {
        self.insert(Arc::new(Note::new(
            path.to_string(),
            text,
            options,
            self.storage,
        )))
    }

    /// Inserts a parsed note, replacing any note at the same path.
    fn insert(&mut self, note: Arc<Note>) -> Vec<NoteId> {
        let path = note.path.clone();
        self.clear_unreadable(&path);
        let old = self.by_path(&path).map(|old| self.note(old));
        // The keys the old text answered to (a Hugo page's URLs may change) and the new ones;
        // a new note also makes its folders exist, which links to them may name. None when
        // the links into the note see no change.
        let keys = match old {
            Some(old) if same_to_links_into(&old.syntax, &note.syntax) => Vec::new(),
            Some(old) => [self.note_keys(old), self.note_keys(&note)].concat(),
            None => [folder_keys(&path), self.note_keys(&note)].concat(),
        };
        let listing = self.listing(&path);
        let id = self.insert_note(note);
        let mut affected = self.dependents_by_keys(keys);
        affected.extend(self.chapters_changed(&path, listing));
        affected.push(id);
        affected.sort();
        affected.dedup();
        affected
    }

    /// Inserts a parsed note, replacing any note at the same path; keeps the reverse index
    /// current if it is built.
    fn insert_note(&mut self, note: Arc<Note>) -> NoteId {
        let path = &note.path;
        self.chapters = OnceLock::new();
        // Read back once for the term and mention indexes, and only when they are built.
        let text = self.terms.get().map(|_| note.text());
        if let Some(text) = &text {
            self.update_terms(path, Some((&note, text)));
        }
        let id = match self.names.get(path) {
            Some(id) => {
                let old = self.notes[id.0 as usize].take().expect("indexed note");
                self.unindex_links(id, &old);
                self.unindex_urls(id, &old);
                id
            }
            None => {
                let id = NoteId(self.notes.len() as u32);
                self.notes.push(None);
                if self.site.dialect == Dialect::Hugo {
                    self.by_lower_path.insert(path.to_lowercase(), id);
                }
                self.add_dirs(path);
                let folder = match self.by_dir.get_mut(parent_dir(path)) {
                    Some(folder) => folder,
                    None => self.by_dir.entry(parent_dir(path).to_string()).or_default(),
                };
                folder.notes.push(id);
                folder.stems = OnceLock::new();
                id
            }
        };
        if let Some(incoming) = self.incoming.get_mut() {
            index_links(incoming, id, link_keys(&self.site, &note));
        }
        if self.site.dialect == Dialect::Hugo {
            for url in urls::page_urls(&note, &self.site) {
                self.by_url.entry(url).or_insert(id);
            }
        }
        // Copied if a snapshot shares it: the copy shares every list but the ones this note's
        // mentions change.
        if let (Some(mentions), Some(terms), Some(text)) =
            (self.mentions.get_mut(), self.terms.get(), &text)
        {
            Arc::make_mut(mentions).update_note(id.0, text, &note.syntax, &self.packs, terms);
        }
        drop(text);
        self.names.insert(id, &note.path, note.title());
        self.notes[id.0 as usize] = Some(note);
        id
    }

    /// Keeps the term index current with the note at `path` (`None`: removed), if it is built.
    /// The mention index is kept too while the set of recognized names stays the same (the
    /// caller updates the note's own entries); a new or vanished name can change the mentions
    /// of every note, so then it is dropped and rebuilt on next use.
    fn update_terms(&mut self, path: &str, note: Option<(&Note, &str)>) {
        let Some(terms) = self.terms.get_mut() else {
            return;
        };
        let generation = terms.generation();
        match note {
            Some((note, text)) => terms.update_note(
                path,
                note.text.clone(),
                text,
                terms::extract(text, &note.syntax),
            ),
            None => terms.remove_note(path),
        }
        if terms.generation() != generation {
            self.mentions = OnceLock::new();
        }
    }

    /// Removes the note at `path`; returns the notes whose links to it are now broken (and, for
    /// an mdBook's SUMMARY.md, the chapters no longer listed).
    pub fn remove(&mut self, path: &str) -> Vec<NoteId> {
        if self.unreadable.contains_key(path) {
            self.clear_unreadable(path);
            return self.dependents(path);
        }
        let listing = self.listing(path);
        let Some(id) = self.names.remove(path) else {
            return Vec::new();
        };
        let keys = self.note_keys(self.note(id));
        self.chapters = OnceLock::new();
        self.update_terms(path, None);
        if self.by_lower_path.get(&path.to_lowercase()) == Some(&id) {
            self.by_lower_path.remove(&path.to_lowercase());
        }
        if let Some(mentions) = self.mentions.get_mut() {
            Arc::make_mut(mentions).remove_note(id.0);
        }
        if let Some(old) = self.notes[id.0 as usize].take() {
            self.unindex_links(id, &old);
            self.unindex_urls(id, &old);
        }
        if let Some(folder) = self.by_dir.get_mut(parent_dir(path)) {
            folder.notes.retain(|&other| other != id);
            folder.stems = OnceLock::new();
        }
        let mut affected = self.dependents_by_keys(keys);
        affected.extend(self.chapters_changed(path, listing));
        affected.sort();
        affected.dedup();
        affected
    }

    /// The notes that have links whose resolution could find the note or file at `path`, in
    /// the dialect's every form (a Hugo page's URLs, an Obsidian name).
    pub fn dependents(&self, path: &str) -> Vec<NoteId> {
        self.dependents_by_keys(self.path_keys(path))
    }

    fn dependents_by_keys(&self, keys: Vec<String>) -> Vec<NoteId> {
        let mut res = Vec::new();
        let incoming = self.incoming();
        for key in keys {
            if let Some(ids) = incoming.get(&key) {
                res.extend(ids.iter().copied());
            }
        }
        res.sort();
        res.dedup();
        res
    }

    /// The reverse-index keys the note or file at `path` is found under.
    fn path_keys(&self, path: &str) -> Vec<String> {
        match self.by_path(path) {
            Some(id) => self.note_keys(self.note(id)),
            None => resolve::own_keys(path, &[]),
        }
    }

    /// The reverse-index keys `note` is found under: its path's, and a Hugo page's other URLs.
    fn note_keys(&self, note: &Note) -> Vec<String> {
        resolve::own_keys(&note.path, &self.other_urls(note))
    }

    fn add_dirs(&mut self, path: &str) {
        let mut dir = parent_dir(path);
        while !dir.is_empty() && self.dirs.insert(dir.to_string()) {
            dir = parent_dir(dir);
        }
    }

    fn unindex_urls(&mut self, id: NoteId, note: &Note) {
        if self.site.dialect != Dialect::Hugo {
            return;
        }
        for url in urls::page_urls(note, &self.site) {
            if self.by_url.get(&url) == Some(&id) {
                self.by_url.remove(&url);
            }
        }
    }

    fn unindex_links(&mut self, id: NoteId, note: &Note) {
        let Some(incoming) = self.incoming.get_mut() else {
            return;
        };
        for key in link_keys(&self.site, note) {
            if let Some(ids) = incoming.get_mut(&key) {
                ids.retain(|&other| other != id);
                if ids.is_empty() {
                    incoming.remove(&key);
                }
            }
        }
    }
}

fn index_links(incoming: &mut HashMap<String, Vec<NoteId>>, id: NoteId, keys: Vec<String>) {
    for key in keys {
        let ids = incoming.entry(key).or_default();
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
}

/// The keys under which a note's links are indexed (every key their resolution could look a
/// note up by), deduplicated.
fn link_keys(site: &Site, note: &Note) -> Vec<String> {
    let mut keys: Vec<String> = note
        .syntax
        .links
        .iter()
        .map(|link| &link.target)
        .chain(note.syntax.link_defs.iter().map(|def| &def.target))
        .flat_map(|target| resolve::lookup_keys(site, note, target))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Whether two parses of a note look the same to the links into it, so that no other note's
/// findings change: the same headings (their level, text and anchor, which fragments match and
/// did-you-mean offers), anchors, title and front matter (a Hugo page's URLs, title and outputs).
/// Typing in a paragraph then republishes the note alone, not every note linking to it.
fn same_to_links_into(old: &NoteSyntax, new: &NoteSyntax) -> bool {
    fn heading(h: &syntax::Heading) -> (u8, &str, &str, bool) {
        (h.level, &h.text, &h.anchor, h.from_shortcode)
    }
    old.title == new.title
        && old.front_matter == new.front_matter
        && old
            .headings
            .iter()
            .map(heading)
            .eq(new.headings.iter().map(heading))
        && old
            .anchors
            .iter()
            .map(|a| &a.id)
            .eq(new.anchors.iter().map(|a| &a.id))
}

/// The keys of folders a new note at `path` brings into being: a link to a folder that did not
/// exist is missing, and one to a folder without an index is not.
fn folder_keys(path: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut dir = parent_dir(path);
    while !dir.is_empty() {
        keys.push(dir.to_lowercase());
        dir = parent_dir(dir);
    }
    keys
}

/// The reverse-index keys of a set of paths, to ask of one link whether it may name one of
/// them (as [`Graph::dependents`] asks of whole notes).
#[derive(Clone, Debug, Default)]
pub struct PathKeys {
    keys: HashSet<String>,
    site: Site,
}

impl PathKeys {
    pub fn new<'a>(graph: &Graph, paths: impl IntoIterator<Item = &'a str>) -> PathKeys {
        PathKeys {
            keys: paths.into_iter().flat_map(|p| graph.path_keys(p)).collect(),
            site: graph.site.clone(),
        }
    }

    /// Whether `target`, as written in `from`, may name one of the paths (reference links
    /// through their definitions): whether its resolution looks any of them up.
    pub fn named_by(&self, from: &Note, target: &LinkTarget) -> bool {
        let target = match target {
            LinkTarget::Reference { def: Some(idx), .. } => &from.syntax.link_defs[*idx].target,
            target => target,
        };
        resolve::lookup_keys(&self.site, from, target)
            .iter()
            .any(|key| self.keys.contains(key))
    }
}

// These search bytes (`/` and `.` are ASCII): completion takes the stem of every note on each
// keystroke.

/// The last part of `path`.
pub fn file_name(path: &str) -> &str {
    &path[memchr::memrchr(b'/', path.as_bytes()).map_or(0, |i| i + 1)..]
}

pub fn file_stem(path: &str) -> &str {
    let name = file_name(path);
    memchr::memrchr(b'.', name.as_bytes())
        .filter(|&i| i > 0)
        .map_or(name, |i| &name[..i])
}

pub fn parent_dir(path: &str) -> &str {
    memchr::memrchr(b'/', path.as_bytes()).map_or("", |i| &path[..i])
}

#[cfg(test)]
mod tests;
