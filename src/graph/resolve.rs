//! Resolves a link target, as written in one note, to a note and heading of the graph.
//!
//! Pure lookups in the graph's maps: nothing here walks all notes.

use super::{file_stem, Graph, Note, NoteId};
use crate::syntax::{slug, Fragment, LinkTarget, NoteSyntax};

/// The notes a link to a folder opens, in order of preference.
pub(crate) const FOLDER_INDEXES: [&str; 3] = ["index.md", "_index.md", "README.md"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A URL with a scheme: not checked.
    External,
    /// A note, and what became of the fragment.
    Note {
        note: NoteId,
        fragment: FragmentMatch,
    },
    /// A file of the corpus that is not a note (an image).
    File { path: String },
    /// Nothing at that path (`path` is the normalized path looked for).
    Missing { path: String },
    /// A folder without `index.md`, `_index.md` or `README.md`.
    FolderWithoutIndex { path: String },
    /// A relative path that climbs out of the corpus root. Never read.
    OutsideRoot,
    /// A wiki-link stem shared by several notes.
    Ambiguous { candidates: Vec<NoteId> },
    /// A reference-style link with no definition.
    UndefinedReference,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentMatch {
    /// The link has no fragment.
    None,
    /// The fragment names the heading at this index of the target's headings.
    Heading(usize),
    /// The fragment names no heading of the target.
    Missing,
}

impl Graph {
    /// Resolves `target` as written in `from` (reference links through their definitions).
    pub fn resolve(&self, from: &Note, target: &LinkTarget) -> Resolved {
        match target {
            LinkTarget::External { .. } => Resolved::External,
            LinkTarget::Reference { def, .. } => match def {
                Some(idx) => self.resolve(from, &from.syntax.link_defs[*idx].target),
                None => Resolved::UndefinedReference,
            },
            LinkTarget::Path { path, fragment, .. } => {
                self.resolve_path(from, path, fragment.as_ref())
            }
            LinkTarget::Wiki { stem, fragment, .. } => {
                let candidates: Vec<NoteId> = if stem.is_empty() {
                    self.by_path(&from.path).into_iter().collect()
                } else {
                    self.wiki_candidates(stem)
                };
                match candidates.as_slice() {
                    [] => Resolved::Missing { path: stem.clone() },
                    [note] => Resolved::Note {
                        note: *note,
                        fragment: match_wiki_fragment(&self.note(*note).syntax, fragment.as_ref()),
                    },
                    _ => Resolved::Ambiguous { candidates },
                }
            }
        }
    }

    fn resolve_path(&self, from: &Note, path: &str, fragment: Option<&Fragment>) -> Resolved {
        if path.is_empty() {
            // `#fragment` alone: the note itself.
            return match self.by_path(&from.path) {
                Some(note) => Resolved::Note {
                    note,
                    fragment: match_fragment(&from.syntax, fragment),
                },
                None => Resolved::Missing {
                    path: from.path.clone(),
                },
            };
        }
        let Ok(normalized) = normalize(from.dir(), path) else {
            return Resolved::OutsideRoot;
        };
        let note_at = |candidate: &str| {
            self.by_path(candidate).map(|note| Resolved::Note {
                note,
                fragment: match_fragment(&self.note(note).syntax, fragment),
            })
        };
        if let Some(found) = note_at(&normalized) {
            return found;
        }
        if self.has_file(&normalized) {
            return Resolved::File { path: normalized };
        }
        if self.has_dir(&normalized) {
            let prefix = if normalized.is_empty() {
                String::new()
            } else {
                format!("{normalized}/")
            };
            return FOLDER_INDEXES
                .iter()
                .find_map(|index| note_at(&format!("{prefix}{index}")))
                .unwrap_or(Resolved::FolderWithoutIndex { path: normalized });
        }
        // Extensionless links (`[x](other-note)`) name `other-note.md`, as most wikis allow.
        if !file_stem(&normalized).is_empty()
            && !normalized
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .contains('.')
        {
            if let Some(found) = note_at(&format!("{normalized}.md")) {
                return found;
            }
        }
        Resolved::Missing { path: normalized }
    }
}

impl Graph {
    /// The notes a wiki-link target names: by file stem, narrowed by the folders when the target
    /// is a path (`[[a/dup]]` is `a/dup.md`, not `b/dup.md`).
    fn wiki_candidates(&self, target: &str) -> Vec<NoteId> {
        let by_stem = self.notes_with_stem(wiki_stem(target));
        let Some(slash) = target.rfind('/') else {
            return by_stem.to_vec();
        };
        let folders = format!("/{}/", target[..slash].trim_matches('/').to_lowercase());
        by_stem
            .iter()
            .copied()
            .filter(|id| format!("/{}", self.note(*id).path.to_lowercase()).contains(&folders))
            .collect()
    }
}

/// A wiki-link may name `note` or `note.md`, or a path whose last part is the stem.
pub(crate) fn wiki_stem(stem: &str) -> &str {
    let last = stem.rsplit('/').next().unwrap_or(stem);
    last.strip_suffix(".md").unwrap_or(last)
}

/// Matches a Markdown link fragment against the target's anchors (exactly, else ignoring case).
pub fn match_fragment(syntax: &NoteSyntax, fragment: Option<&Fragment>) -> FragmentMatch {
    let Some(fragment) = fragment.filter(|f| !f.text.is_empty()) else {
        return FragmentMatch::None;
    };
    let wanted = fragment.text.as_str();
    syntax
        .headings
        .iter()
        .position(|h| h.anchor == wanted)
        .or_else(|| {
            syntax
                .headings
                .iter()
                .position(|h| h.anchor.eq_ignore_ascii_case(wanted))
        })
        .map_or(FragmentMatch::Missing, FragmentMatch::Heading)
}

/// Matches a wiki-link's `#Heading` by heading text (Obsidian) or by anchor.
fn match_wiki_fragment(syntax: &NoteSyntax, fragment: Option<&Fragment>) -> FragmentMatch {
    let Some(fragment) = fragment.filter(|f| !f.text.is_empty()) else {
        return FragmentMatch::None;
    };
    let wanted = fragment.text.trim();
    let wanted_slug = slug(wanted);
    syntax
        .headings
        .iter()
        .position(|h| {
            h.text.eq_ignore_ascii_case(wanted) || h.anchor == wanted_slug || h.anchor == wanted
        })
        .map_or(FragmentMatch::Missing, FragmentMatch::Heading)
}

/// A link path that climbs out of the corpus root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutsideRoot;

/// Joins a link path to the linking note's folder and removes `.` and `..`; `/`-rooted paths
/// start at the corpus root.
pub fn normalize(dir: &str, path: &str) -> Result<String, OutsideRoot> {
    let (base, rest) = match path.strip_prefix('/') {
        Some(rooted) => ("", rooted),
        None => (dir, path),
    };
    // The parts joined by `/` as they come (no part holds a `/`, so `..` drops the text after the
    // last one): one allocation per call, as this runs twice for every link.
    let mut res = String::with_capacity(base.len() + rest.len() + 1);
    let push = |res: &mut String, part: &str| {
        if !res.is_empty() {
            res.push('/');
        }
        res.push_str(part);
    };
    for part in base.split('/').filter(|p| !p.is_empty()) {
        push(&mut res, part);
    }
    for part in rest.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if res.is_empty() {
                    return Err(OutsideRoot);
                }
                res.truncate(res.rfind('/').unwrap_or(0));
            }
            part => push(&mut res, part),
        }
    }
    Ok(res)
}

/// The path to write in a link from a note in `from_dir` to `to`: relative, `/`-separated.
pub fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut res: Vec<&str> = vec![".."; from.len() - common];
    res.extend(&to_parts[common..]);
    res.join("/")
}

#[cfg(test)]
mod tests {
    use super::{normalize, relative_path};

    #[test]
    fn normalizes_relative_and_rooted_paths() {
        assert_eq!(normalize("a/b", "../c.md"), Ok("a/c.md".to_string()));
        assert_eq!(normalize("a/b", "./c.md"), Ok("a/b/c.md".to_string()));
        assert_eq!(normalize("a/b", "/top.md"), Ok("top.md".to_string()));
        assert_eq!(normalize("a", "../../outside.md"), Err(super::OutsideRoot));
        assert_eq!(normalize("", "dir/"), Ok("dir".to_string()));
    }

    #[test]
    fn normalize_matches_the_part_list_definition() {
        // The definition normalize implements without its intermediate Vec.
        fn reference(dir: &str, path: &str) -> Result<String, super::OutsideRoot> {
            let (base, rest) = match path.strip_prefix('/') {
                Some(rooted) => ("", rooted),
                None => (dir, path),
            };
            let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
            for part in rest.split(['/', '\\']) {
                match part {
                    "" | "." => {}
                    ".." => {
                        parts.pop().ok_or(super::OutsideRoot)?;
                    }
                    part => parts.push(part),
                }
            }
            Ok(parts.join("/"))
        }
        let dirs = ["", "a", "a/b", "a//b/", "x\\y/z"];
        let paths = [
            "",
            ".",
            "..",
            "../..",
            "c.md",
            "./c.md",
            "../c.md",
            "../../c.md",
            "/top.md",
            "//a",
            "a\\..\\b.md",
            "d/../../e",
            "d/./e/",
            "...",
            "a..b",
            "../x/../y/..",
            "é/ü.md",
        ];
        for dir in dirs {
            for path in paths {
                assert_eq!(
                    normalize(dir, path),
                    reference(dir, path),
                    "{dir:?} + {path:?}"
                );
            }
        }
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative_path("a/b", "a/c/d.md"), "../c/d.md");
        assert_eq!(relative_path("", "a/d.md"), "a/d.md");
        assert_eq!(relative_path("a", "b.md"), "../b.md");
        assert_eq!(relative_path("a", "a/x.md"), "x.md");
    }
}
