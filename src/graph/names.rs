//! Every note's path and title in one buffer, and the tables from a path to its note and from a
//! file stem to its notes over it.
//! A lookup (each link resolved) or a pass over every name (completion ranks them all on each
//! keystroke) reads a few dense pages instead of one allocation per note, which at 50,000 notes
//! no longer stay in the processor's cache.

use super::{file_stem, NoteId};
use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::{BuildHasher, Hasher};

/// Titles longer than this are cut here in the table: completion shows no more of them.
const TITLE_MAX: usize = 1024;

#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    buffer: Buffer,
    by_path: HashTable<NoteId>,
    /// Every note, hashed by its lowercase file stem (wiki-links name notes by it).
    by_stem: HashTable<NoteId>,
    hasher: RandomState,
}

/// Each note's path then its title, one after the other, and where they are by note id. A note
/// whose title changes is written again at the end; what it leaves behind is reclaimed when it
/// is half the buffer.
#[derive(Clone, Debug, Default)]
struct Buffer {
    text: String,
    spans: Vec<Option<Span>>,
    /// Bytes of `text` no span points at.
    unused: usize,
}

#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    path_len: u32,
    title_len: u32,
}

impl Span {
    fn len(&self) -> usize {
        self.path_len as usize + self.title_len as usize
    }
}

impl Names {
    /// Room for `notes` more notes.
    pub(crate) fn reserve(&mut self, notes: usize) {
        let (buffer, hasher) = (&self.buffer, &self.hasher);
        self.by_path
            .reserve(notes, |&id| hasher.hash_one(buffer.path(id)));
        self.by_stem
            .reserve(notes, |&id| stem_hash(hasher, buffer.path(id)));
        self.buffer.reserve(notes);
    }

    pub(crate) fn len(&self) -> usize {
        self.by_path.len()
    }

    /// The note at `path`.
    pub(crate) fn get(&self, path: &str) -> Option<NoteId> {
        self.by_path
            .find(self.hasher.hash_one(path), |&id| {
                self.buffer.path(id) == path
            })
            .copied()
    }

    /// Records note `id` at `path` with `title`: a new note, or a new title for the note `id`
    /// already is (its path does not change while it is in the table).
    pub(crate) fn insert(&mut self, id: NoteId, path: &str, title: &str) {
        if self.buffer.write(id, path, title) {
            let (buffer, hasher) = (&self.buffer, &self.hasher);
            self.by_path
                .insert_unique(hasher.hash_one(path), id, |&id| {
                    hasher.hash_one(buffer.path(id))
                });
            self.by_stem
                .insert_unique(stem_hash(hasher, path), id, |&id| {
                    stem_hash(hasher, buffer.path(id))
                });
        }
        self.buffer.compact_if_half_unused();
    }

    /// Removes the note at `path`; returns its id.
    pub(crate) fn remove(&mut self, path: &str) -> Option<NoteId> {
        let (id, _) = self
            .by_path
            .find_entry(self.hasher.hash_one(path), |&id| {
                self.buffer.path(id) == path
            })
            .ok()?
            .remove();
        if let Ok(entry) = self
            .by_stem
            .find_entry(stem_hash(&self.hasher, path), |&other| other == id)
        {
            entry.remove();
        }
        self.buffer.free(id);
        self.buffer.compact_if_half_unused();
        Some(id)
    }

    /// The notes whose file stem is `stem` ignoring case, by id.
    pub(crate) fn with_stem(&self, stem: &str) -> Vec<NoteId> {
        let wanted = stem.to_lowercase();
        let mut res: Vec<NoteId> = self
            .by_stem
            .iter_hash(lowercase_hash(&self.hasher, stem))
            .copied()
            .filter(|&id| file_stem(self.buffer.path(id)).to_lowercase() == wanted)
            .collect();
        res.sort();
        res
    }

    /// The path and the title of note `id`, if it is in the table.
    pub(crate) fn name(&self, id: NoteId) -> Option<(&str, &str)> {
        self.buffer.name(id)
    }

    /// Every note's id, path and title, by id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (NoteId, &str, &str)> + '_ {
        (0..self.buffer.spans.len()).filter_map(|slot| {
            let id = NoteId(slot as u32);
            self.name(id).map(|(path, title)| (id, path, title))
        })
    }
}

impl Buffer {
    fn reserve(&mut self, notes: usize) {
        self.spans.reserve(notes);
        // Paths and titles of generated and real notes average about 60 bytes.
        self.text.reserve(notes * 64);
    }

    /// The path and the title of note `id`, if it is written.
    fn name(&self, id: NoteId) -> Option<(&str, &str)> {
        let span = (*self.spans.get(id.0 as usize)?)?;
        let path_end = span.start + span.path_len as usize;
        let title_end = path_end + span.title_len as usize;
        Some((
            &self.text[span.start..path_end],
            &self.text[path_end..title_end],
        ))
    }

    /// The path of note `id`, `""` when it is not written.
    fn path(&self, id: NoteId) -> &str {
        self.name(id).map_or("", |(path, _)| path)
    }

    /// Writes note `id`'s path and title at the end; returns whether `id` had none written.
    fn write(&mut self, id: NoteId, path: &str, title: &str) -> bool {
        let slot = id.0 as usize;
        if self.spans.len() <= slot {
            self.spans.resize(slot + 1, None);
        }
        debug_assert!(
            self.name(id).is_none_or(|(old, _)| old == path),
            "a note keeps its path"
        );
        let is_new = !self.free(id);
        let title = cut(title, TITLE_MAX);
        let start = self.text.len();
        self.text.push_str(path);
        self.text.push_str(title);
        self.spans[slot] = Some(Span {
            start,
            path_len: path.len() as u32,
            title_len: title.len() as u32,
        });
        is_new
    }

    /// Forgets where note `id`'s name is; returns whether it had one.
    fn free(&mut self, id: NoteId) -> bool {
        match self.spans.get_mut(id.0 as usize).and_then(Option::take) {
            Some(span) => {
                self.unused += span.len();
                true
            }
            None => false,
        }
    }

    /// Writes the buffer again without what no span points at, once that is half of it.
    fn compact_if_half_unused(&mut self) {
        if self.unused < 4096 || self.unused * 2 < self.text.len() {
            return;
        }
        let mut text = String::with_capacity(self.text.len() - self.unused);
        for span in self.spans.iter_mut().flatten() {
            let start = text.len();
            text.push_str(&self.text[span.start..span.start + span.len()]);
            span.start = start;
        }
        self.text = text;
        self.unused = 0;
    }
}

/// The hash `by_stem` files the note at `path` under: of its lowercase file stem.
fn stem_hash(hasher: &RandomState, path: &str) -> u64 {
    lowercase_hash(hasher, file_stem(path))
}

/// The hash of `text.to_lowercase()`; a short ASCII text is lowercased on the stack.
fn lowercase_hash(hasher: &RandomState, text: &str) -> u64 {
    let mut state = hasher.build_hasher();
    let mut buffer = [0u8; 128];
    match buffer.get_mut(..text.len()) {
        Some(lower) if text.is_ascii() => {
            lower.copy_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            state.write(lower);
        }
        _ => state.write(text.to_lowercase().as_bytes()),
    }
    state.finish()
}

/// `text` up to `max` bytes, cut at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_follow_inserts_retitles_removals_and_compaction() {
        let mut names = Names::default();
        names.reserve(4);
        for i in 0..2000u32 {
            names.insert(NoteId(i), &format!("dir/note-{i}.md"), &format!("Note {i}"));
        }
        // New titles, then half the notes removed: the buffer is compacted on the way.
        for i in 0..2000u32 {
            names.insert(
                NoteId(i),
                &format!("dir/note-{i}.md"),
                &format!("Title {i}"),
            );
        }
        for i in (0..2000u32).step_by(2) {
            assert_eq!(names.remove(&format!("dir/note-{i}.md")), Some(NoteId(i)));
        }
        assert!(names.buffer.unused * 2 < names.buffer.text.len().max(4096 * 2));
        assert_eq!(names.len(), 1000);
        assert_eq!(names.remove("dir/note-0.md"), None);
        for i in 0..2000u32 {
            let path = format!("dir/note-{i}.md");
            if i % 2 == 0 {
                assert_eq!(names.get(&path), None);
                assert_eq!(names.name(NoteId(i)), None);
            } else {
                assert_eq!(names.get(&path), Some(NoteId(i)));
                assert_eq!(
                    names.name(NoteId(i)),
                    Some((path.as_str(), format!("Title {i}").as_str()))
                );
            }
        }
        assert_eq!(names.with_stem("NOTE-3"), [NoteId(3)]);
        assert_eq!(names.with_stem("note-4"), []);
        let listed: Vec<u32> = names.iter().map(|(id, _, _)| id.0).collect();
        assert_eq!(listed, (1..2000).step_by(2).collect::<Vec<u32>>());
        // A removed path can come back, under another id.
        names.insert(NoteId(5000), "dir/note-0.md", "Back");
        assert_eq!(names.get("dir/note-0.md"), Some(NoteId(5000)));
    }

    #[test]
    fn notes_with_one_stem_in_several_folders_and_cases() {
        let mut names = Names::default();
        names.insert(NoteId(2), "b/Dup.md", "");
        names.insert(NoteId(0), "a/dup.md", "");
        names.insert(NoteId(1), "ΟΔΟΣ.md", "");
        names.insert(NoteId(3), "c/other.md", "");
        assert_eq!(names.with_stem("dup"), [NoteId(0), NoteId(2)]);
        assert_eq!(names.with_stem("DUP"), [NoteId(0), NoteId(2)]);
        // As `str::to_lowercase` has it: a final sigma is `ς`.
        assert_eq!(names.with_stem("οδος"), [NoteId(1)]);
        names.remove("a/dup.md");
        assert_eq!(names.with_stem("dup"), [NoteId(2)]);
    }

    #[test]
    fn long_titles_are_cut_at_a_character_boundary() {
        let mut names = Names::default();
        let title = "é".repeat(TITLE_MAX);
        names.insert(NoteId(0), "a.md", &title);
        let (_, kept) = names.name(NoteId(0)).expect("a.md");
        assert!(kept.len() <= TITLE_MAX && title.starts_with(kept) && kept.len() > TITLE_MAX - 2);
    }

    #[test]
    fn a_copy_is_independent() {
        let mut names = Names::default();
        names.insert(NoteId(0), "a.md", "A");
        let copy = names.clone();
        names.insert(NoteId(0), "a.md", "A again");
        names.remove("a.md");
        assert_eq!(copy.get("a.md"), Some(NoteId(0)));
        assert_eq!(copy.name(NoteId(0)), Some(("a.md", "A")));
        assert_eq!(names.get("a.md"), None);
    }
}
