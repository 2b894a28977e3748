//! Resolves a link target, as written in one note, to a note and heading of the graph.
//!
//! Pure lookups in the graph's maps: nothing here walks all notes.

use super::{file_name, file_stem, parent_dir, Graph, Note, NoteId};
use crate::dialect::{Dialect, Site};
use crate::syntax::{slug, Fragment, LinkTarget, NoteSyntax};

/// The notes a link to a folder opens, in order of preference.
const FOLDER_INDEXES: [&str; 3] = ["index.md", "_index.md", "README.md"];

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
    /// The fragment names the anchor (block id, definition term) at this index of the target's
    /// `anchors`.
    Anchor(usize),
    /// The fragment is the target page's front-matter title (Hugo): themes render the title as
    /// the page's top heading, so the link lands where it means to (Kubernetes' API reference
    /// links `object-meta#ObjectMeta` to the page titled `ObjectMeta`).
    Title,
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
                let obsidian = self.site.dialect == Dialect::Obsidian;
                // A template's placeholder (Templater's `<% %>`, core's `{{date}}`) becomes a
                // name only when the template is used.
                if obsidian && (stem.contains("<%") || stem.contains("{{")) {
                    return Resolved::External;
                }
                let candidates: Vec<NoteId> = if stem.is_empty() {
                    self.by_path(&from.path).into_iter().collect()
                } else {
                    self.wiki_candidates(stem)
                };
                let chosen = match candidates.as_slice() {
                    [] if obsidian => return self.attachment(stem),
                    [] => {
                        return Resolved::Missing {
                            path: stem.to_string(),
                        }
                    }
                    [note] => *note,
                    _ if obsidian => self.obsidian_choice(from, &candidates),
                    _ => return Resolved::Ambiguous { candidates },
                };
                let fragment = if obsidian {
                    match_obsidian_fragment(&self.note(chosen).syntax, fragment.as_ref())
                } else {
                    match_wiki_fragment(&self.note(chosen).syntax, fragment.as_ref())
                };
                Resolved::Note {
                    note: chosen,
                    fragment,
                }
            }
        }
    }

    /// Of several notes sharing a name, the one Obsidian opens: in the linking note's folder,
    /// else the one with the shortest path.
    fn obsidian_choice(&self, from: &Note, candidates: &[NoteId]) -> NoteId {
        let dir = from.dir();
        candidates
            .iter()
            .copied()
            .min_by_key(|id| {
                let path = &self.note(*id).path;
                (
                    parent_dir(path) != dir,
                    path.matches('/').count(),
                    path.len(),
                    path.clone(),
                )
            })
            .expect("several candidates")
    }

    /// An Obsidian embed or link to a file that is not a note, by its file name with extension
    /// (`![[rack.png]]`), or by a path from the vault root when the name has folders.
    fn attachment(&self, target: &str) -> Resolved {
        let name = file_name(target).to_lowercase();
        let suffix = format!("/{}", target.trim_start_matches('/').to_lowercase());
        let mut paths: Vec<&String> = self
            .files_by_name
            .get(&name)
            .into_iter()
            .flatten()
            .filter(|path| {
                !target.contains('/') || format!("/{}", path.to_lowercase()).ends_with(&suffix)
            })
            .collect();
        paths.sort_by_key(|path| (path.matches('/').count(), path.len()));
        match paths.first() {
            Some(path) => Resolved::File {
                path: (*path).clone(),
            },
            None => Resolved::Missing {
                path: target.to_string(),
            },
        }
    }

    fn resolve_path(&self, from: &Note, path: &str, fragment: Option<&Fragment>) -> Resolved {
        match self.site.dialect {
            Dialect::Github => self.resolve_file_path(from, path, fragment),
            Dialect::Obsidian => self.resolve_obsidian_path(from, path, fragment),
            Dialect::Hugo => self.resolve_hugo_path(from, path, fragment),
            Dialect::Mdbook => self.resolve_mdbook_path(from, path, fragment),
        }
    }

    /// A Markdown link in a vault: the relative path, else the note or attachment of that name
    /// anywhere (Obsidian's shortest-path form).
    fn resolve_obsidian_path(
        &self,
        from: &Note,
        path: &str,
        fragment: Option<&Fragment>,
    ) -> Resolved {
        let res = self.resolve_file_path(from, path, fragment);
        if !matches!(
            res,
            Resolved::Missing { .. } | Resolved::FolderWithoutIndex { .. }
        ) {
            return res;
        }
        let target = obsidian_name(path);
        let candidates = self.wiki_candidates(target);
        let chosen = match candidates.as_slice() {
            [] => {
                return match self.attachment(target) {
                    found @ Resolved::File { .. } => found,
                    _ => res,
                }
            }
            [note] => *note,
            _ => self.obsidian_choice(from, &candidates),
        };
        Resolved::Note {
            note: chosen,
            fragment: match_obsidian_fragment(&self.note(chosen).syntax, fragment),
        }
    }

    /// An mdBook link: the chapter file, or the `.md` chapter an `.html` page is rendered from
    /// (`index.html` is the folder's `README.md`).
    fn resolve_mdbook_path(
        &self,
        from: &Note,
        path: &str,
        fragment: Option<&Fragment>,
    ) -> Resolved {
        let res = self.resolve_file_path(from, path, fragment);
        if !matches!(res, Resolved::Missing { .. }) {
            return res;
        }
        let Some(page) = path.strip_suffix(".html") else {
            return res;
        };
        // A page outside the book's source folder belongs to another book or site served
        // beside it (the Rust book's `../std/index.html`): a URL on the host, as an external
        // one is, which cannot be checked here.
        if let Resolved::Missing { path: missing } = &res {
            let src = self.site.content_dirs.first().map_or("", String::as_str);
            if !crate::dialect::is_under(missing, src) {
                return Resolved::External;
            }
        }
        match self.resolve_file_path(from, &mdbook_chapter(page), fragment) {
            found @ Resolved::Note { .. } => found,
            _ => res,
        }
    }

    /// A Hugo link: a site path (`/docs/a/`) from the page's content folder or the static
    /// folders; a relative one from the page's published URL (`content/docs/a.md` is
    /// `/docs/a/`), or from its file when it names one (`../b.md`). URLs are lowercase.
    fn resolve_hugo_path(&self, from: &Note, path: &str, fragment: Option<&Fragment>) -> Resolved {
        let res = self.resolve_file_path(from, path, fragment);
        if !matches!(
            res,
            Resolved::Missing { .. } | Resolved::FolderWithoutIndex { .. }
        ) {
            return res;
        }
        for base in &hugo_bases(&self.site, from, path) {
            if let Some(note) = self.hugo_page(base) {
                return Resolved::Note {
                    note,
                    fragment: self.match_fragment(&self.note(note).syntax, fragment),
                };
            }
            // Another output of a page (`feed/index.json`, a section's `index.xml`).
            if let Some((page, file)) = base.rsplit_once('/') {
                if let Some(note) = self.hugo_page(page) {
                    let syntax = &self.note(note).syntax;
                    let outputs = syntax
                        .front_matter
                        .as_ref()
                        .map_or(&[][..], |fm| &fm.outputs);
                    if self.site.publishes(&self.note(note).path, outputs, file) {
                        return Resolved::Note {
                            note,
                            fragment: FragmentMatch::None,
                        };
                    }
                }
            }
            // A static page (`kubectl-commands` is `kubectl-commands.html`) or a file; HTML
            // content files (`_index.html`) are pages too, though no notes.
            let file = [
                base.to_string(),
                format!("{base}.html"),
                format!("{base}/index.html"),
                format!("{base}/_index.html"),
            ]
            .iter()
            .find_map(|candidate| self.file_ignoring_case(candidate.trim_start_matches('/')));
            if let Some(file) = file {
                return Resolved::File { path: file };
            }
        }
        // The host sends the path elsewhere: the page moved, the link works.
        if let Some(rooted) = path.strip_prefix('/') {
            if self.site.redirects(rooted) {
                return Resolved::External;
            }
        }
        res
    }

    /// The page Hugo publishes at `base` (a path from the root, no trailing slash), compared
    /// in lowercase: `base.md`, `base/index.md`, `base/_index.md` (or `.html`, or the file).
    fn hugo_page(&self, base: &str) -> Option<NoteId> {
        let lower = base.to_lowercase();
        if let Some(id) = self.by_url.get(&lower) {
            return Some(*id);
        }
        let exact = lower.strip_suffix(".md").map(|_| lower.clone());
        exact
            .into_iter()
            .chain([
                format!("{lower}.md"),
                format!("{lower}/index.md"),
                format!("{lower}/_index.md"),
                format!("{lower}.html"),
                format!("{lower}/index.html"),
                format!("{lower}/_index.html"),
            ])
            .find_map(|candidate| self.by_lower_path.get(&candidate).copied())
    }

    /// A path as a file system reads it, from the linking note's folder (GitHub's rules, which
    /// every dialect starts from).
    fn resolve_file_path(&self, from: &Note, path: &str, fragment: Option<&Fragment>) -> Resolved {
        if path.is_empty() {
            // `#fragment` alone: the note itself.
            return match self.by_path(&from.path) {
                Some(note) => Resolved::Note {
                    note,
                    fragment: self.match_fragment(&from.syntax, fragment),
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
                fragment: self.match_fragment(&self.note(note).syntax, fragment),
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
        // Extensionless links (`[x](other-note)`) name `other-note.md`, as most wikis allow;
        // so does a name with a dot (`kube-proxy-config.v1alpha1/`) when no file has it.
        if !file_stem(&normalized).is_empty() {
            if let Some(found) = note_at(&format!("{normalized}.md")) {
                return found;
            }
        }
        Resolved::Missing { path: normalized }
    }

    /// Matches a Markdown link fragment: against heading anchors, then other anchors; in a
    /// vault, by heading text as Obsidian does; in a Hugo site, the page's title names its top.
    fn match_fragment(&self, syntax: &NoteSyntax, fragment: Option<&Fragment>) -> FragmentMatch {
        match self.site.dialect {
            Dialect::Obsidian => match_obsidian_fragment(syntax, fragment),
            Dialect::Hugo => match match_fragment(syntax, fragment) {
                FragmentMatch::Missing if names_title(syntax, fragment) => FragmentMatch::Title,
                found => found,
            },
            _ => match_fragment(syntax, fragment),
        }
    }
}

impl Graph {
    /// The notes a wiki-link target names: by file stem, narrowed by the folders when the target
    /// is a path (`[[a/dup]]` is `a/dup.md`, not `b/dup.md`).
    fn wiki_candidates(&self, target: &str) -> Vec<NoteId> {
        let by_stem = self.notes_with_stem(wiki_stem(target));
        let Some(slash) = target.rfind('/') else {
            return by_stem;
        };
        let folders = format!("/{}/", target[..slash].trim_matches('/').to_lowercase());
        by_stem
            .into_iter()
            .filter(|id| format!("/{}", self.note(*id).path.to_lowercase()).contains(&folders))
            .collect()
    }
}

/// The paths a Hugo link may name a page or file at, in order of preference, without slashes
/// around them: a site path (`/docs/a/`) as a page's other URL, from the page's content folder
/// and from the static folders; a relative one from the page's published URL (`content/docs/a.md`
/// is `/docs/a/`), from its folder and from the content folder (`ref` and `relref`).
fn hugo_bases(site: &Site, from: &Note, path: &str) -> Vec<String> {
    let content_dir = site.content_dir_of(&from.path).unwrap_or("");
    let mut bases: Vec<String> = Vec::new();
    if let Some(rooted) = path.strip_prefix('/') {
        bases.push(rooted.to_string());
        bases.push(join(content_dir, rooted));
        bases.extend(site.static_dirs.iter().map(|dir| join(dir, rooted)));
    } else {
        bases.extend(normalize(&hugo_url_path(&from.path), path).ok());
        bases.extend(normalize(from.dir(), path).ok());
        bases.extend(normalize(content_dir, path).ok());
    }
    for base in &mut bases {
        base.truncate(base.trim_end_matches('/').len());
    }
    bases
}

/// The path Hugo publishes the page at `path` under, as a corpus path (content folder kept):
/// its folder for an index page, else its path without extension (`docs/a.md` is `docs/a`).
pub fn hugo_url_path(path: &str) -> String {
    let name = file_name(path);
    if matches!(name, "index.md" | "_index.md") {
        parent_dir(path).to_string()
    } else {
        join(parent_dir(path), file_stem(path))
    }
}

/// The `.md` chapter an mdBook page `page` (its `.html` taken off) is rendered from:
/// `index.html` is the folder's `README.md`.
fn mdbook_chapter(page: &str) -> String {
    match page.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}README.md"),
        _ => format!("{page}.md"),
    }
}

/// The name an Obsidian Markdown link looks for across the vault when its relative path names
/// nothing.
fn obsidian_name(path: &str) -> &str {
    path.trim_start_matches("./").trim_end_matches('/')
}

/// Every key of the reverse index (see [`own_keys`]) under which a note or file that the
/// resolution of `target`, written in `from`, may look up is found, whatever the graph holds:
/// the lowercase paths it probes and `[[name]]` for lookups by name. Links are indexed under
/// these, so that a change to any note a link could resolve to finds the link.
pub(crate) fn lookup_keys(site: &Site, from: &Note, target: &LinkTarget) -> Vec<String> {
    let mut keys = Vec::new();
    match target {
        LinkTarget::Path { path, .. } | LinkTarget::Wiki { stem: path, .. } if path.is_empty() => {
            keys.push(from.path.to_lowercase())
        }
        LinkTarget::Wiki { stem, .. } => keys.push(name_key(wiki_stem(stem))),
        LinkTarget::Path { path, .. } => {
            keys.extend(normalize(from.dir(), path).ok().map(|p| p.to_lowercase()));
            match site.dialect {
                Dialect::Github => {}
                Dialect::Obsidian => {
                    let name = obsidian_name(path);
                    keys.push(name_key(wiki_stem(name)));
                    keys.push(name_key(file_name(name)));
                }
                Dialect::Hugo => {
                    for base in hugo_bases(site, from, path) {
                        let base = base.trim_matches('/').to_lowercase();
                        // `docs/a/index.json` is also an output of the page `docs/a`.
                        if let Some((page, file)) = base.rsplit_once('/') {
                            if file.contains('.') {
                                keys.push(page.to_string());
                            }
                        }
                        keys.push(base);
                    }
                }
                Dialect::Mdbook => keys.extend(
                    path.strip_suffix(".html")
                        .and_then(|page| normalize(from.dir(), &mdbook_chapter(page)).ok())
                        .map(|p| p.to_lowercase()),
                ),
            }
        }
        LinkTarget::External { .. } | LinkTarget::Reference { .. } => {}
    }
    keys
}

/// The keys a link's lookups find the note or file at `path` under (see [`lookup_keys`]), all
/// lowercase: its path, the path without extension (extensionless links, Hugo's `/docs/a/`),
/// its folder when it is the folder's index, `[[stem]]` and `[[file name]]` for lookups by name;
/// and a Hugo page's other URLs (`urls`).
pub(crate) fn own_keys(path: &str, urls: &[String]) -> Vec<String> {
    let lower = path.to_lowercase();
    let stem = file_stem(&lower);
    let mut keys = vec![name_key(stem), name_key(file_name(&lower))];
    let dir = parent_dir(&lower);
    let without_ext = join(dir, stem);
    if matches!(stem, "index" | "_index" | "readme") {
        keys.push(dir.to_string());
    }
    if without_ext != lower {
        keys.push(without_ext);
    }
    keys.push(lower);
    keys.extend(urls.iter().cloned());
    keys
}

fn name_key(name: &str) -> String {
    format!("[[{}]]", name.to_lowercase())
}

/// The shortest path suffix of `path` (its file name when no other note shares it), without
/// `.md`, that names it alone among the notes at `others` (paths that may share its name):
/// Obsidian's "shortest path when possible", read back by [`Graph::resolve`]'s narrowing by
/// folders.
pub fn shortest_unique_name<'a>(path: &str, others: impl IntoIterator<Item = &'a str>) -> String {
    let others: Vec<String> = others
        .into_iter()
        .map(|p| format!("/{}", p.strip_suffix(".md").unwrap_or(p).to_lowercase()))
        .filter(|p| p[1..] != path.strip_suffix(".md").unwrap_or(path).to_lowercase())
        .collect();
    let path = path.strip_suffix(".md").unwrap_or(path);
    let parts: Vec<&str> = path.split('/').collect();
    (1..parts.len())
        .map(|n| parts[parts.len() - n..].join("/"))
        .find(|suffix| {
            let suffix = format!("/{}", suffix.to_lowercase());
            !others.iter().any(|p| p.ends_with(&suffix))
        })
        .unwrap_or_else(|| path.to_string())
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
    let wanted = &*fragment.text;
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
        .map(FragmentMatch::Heading)
        .or_else(|| {
            syntax
                .anchors
                .iter()
                .position(|a| a.id == wanted)
                .map(FragmentMatch::Anchor)
        })
        .unwrap_or(FragmentMatch::Missing)
}

/// Whether the fragment is, exactly, the front-matter title.
fn names_title(syntax: &NoteSyntax, fragment: Option<&Fragment>) -> bool {
    let title = syntax
        .front_matter
        .as_ref()
        .and_then(|fm| fm.title.as_deref());
    fragment.is_some_and(|f| title == Some(&*f.text))
}

/// Matches a fragment as Obsidian does: `^block-id` against the block markers, else heading
/// text, ignoring case and punctuation, where `#A#B` names a heading `B` under a heading `A`.
pub(crate) fn match_obsidian_fragment(
    syntax: &NoteSyntax,
    fragment: Option<&Fragment>,
) -> FragmentMatch {
    let Some(fragment) = fragment.filter(|f| !f.text.trim().is_empty()) else {
        return FragmentMatch::None;
    };
    let wanted = fragment.text.trim();
    if wanted.starts_with('^') {
        return syntax
            .anchors
            .iter()
            .position(|a| a.id.eq_ignore_ascii_case(wanted))
            .map_or(FragmentMatch::Missing, FragmentMatch::Anchor);
    }
    obsidian_heading_chain(syntax, wanted.split('#'))
        .and_then(|chain| chain.last().copied())
        .map_or(FragmentMatch::Missing, FragmentMatch::Heading)
}

/// The headings a chain of fragment parts (`A`, `B` of `#A#B`) names, one per part that is not
/// blank, as Obsidian matches them: each part names a deeper heading after the one before it.
/// `None` when a part names none.
pub fn obsidian_heading_chain<'a>(
    syntax: &NoteSyntax,
    parts: impl Iterator<Item = &'a str>,
) -> Option<Vec<usize>> {
    let mut res: Vec<usize> = Vec::new();
    for part in parts.map(str::trim).filter(|p| !p.is_empty()) {
        let part = heading_words(part);
        let (from, level) = res
            .last()
            .map_or((0, 0), |&idx| (idx + 1, syntax.headings[idx].level));
        let next = syntax.headings[from..].iter().position(|h| {
            h.level > level && (heading_words(&h.text) == part || h.anchor == part)
        })?;
        res.push(from + next);
    }
    Some(res)
}

/// A heading's words for Obsidian's matching: lowercase letters and digits, every run of other
/// characters one space (a link cannot hold `:`, `|`, `#` or `^`, so Obsidian writes spaces).
fn heading_words(text: &str) -> String {
    crate::syntax::words_joined(text, ' ')
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

/// `dir/rest`, or `rest` at the root.
fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
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
