//! Rename a heading (and every anchor pointing at it), a reference label, or whole files (and
//! every link to them and inside them). Produces edits; never writes.

use super::cursor::{item_at, label_at, CursorItem, LinkPart};
use crate::dialect::{Dialect, HeadingIds};
use crate::graph::{
    file_stem, hugo_url_path, obsidian_heading_chain, parent_dir, relative_path,
    shortest_unique_name, FragmentMatch, Graph, Note, NoteId, Resolved,
};
use crate::syntax::{
    heading_id, normalize_label, percent_decode, Heading, Link, LinkTarget, NoteSyntax,
};
use crate::text::TextRange;
use std::collections::HashMap;

/// One text replacement in one note.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub note: NoteId,
    pub range: TextRange,
    pub new_text: String,
}

/// The range to rename and its current text, or why there is nothing to rename here.
pub fn prepare_rename(
    graph: &Graph,
    id: NoteId,
    offset: usize,
) -> Result<(TextRange, String), String> {
    let note = graph.note(id);
    if let Some((block_note, idx)) = block_at(graph, id, offset) {
        // The id without its `^`, on the marker or in the link's fragment.
        let range = match block_note == id && note.syntax.anchors[idx].range.touches(offset) {
            true => note.syntax.anchors[idx].range,
            false => match item_at(note, offset) {
                Some(CursorItem::Link { idx: link, .. }) => {
                    match note.syntax.links[link].target.fragment() {
                        Some(fragment) => fragment.range,
                        None => return Err("nothing to rename here".into()),
                    }
                }
                _ => return Err("nothing to rename here".into()),
            },
        };
        let range = TextRange::new(range.start as usize + 1, range.end as usize);
        return Ok((range, note.text()[range.as_usize()].to_string()));
    }
    let range = match item_at(note, offset) {
        Some(CursorItem::Heading(h)) => note.syntax.headings[h].text_range,
        Some(CursorItem::Link { idx, part: LinkPart::Label }) => match &note.syntax.links[idx].target {
            LinkTarget::Reference { label_range, .. } => *label_range,
            _ => return Err("nothing to rename here".into()),
        },
        Some(CursorItem::LinkDef(idx)) => note.syntax.link_defs[idx].label_range,
        _ => return Err("only headings and reference labels can be renamed here (rename the file to move a note)".into()),
    };
    Ok((range, note.text()[range.as_usize()].to_string()))
}

pub fn rename(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    let note = graph.note(id);
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.contains('\n') {
        return Err("the new name must be one non-empty line".into());
    }
    if let Some((block_note, idx)) = block_at(graph, id, offset) {
        return rename_block(graph, block_note, idx, new_name);
    }
    match item_at(note, offset) {
        Some(CursorItem::Heading(h)) => rename_heading(graph, id, h, new_name),
        Some(
            CursorItem::Link {
                part: LinkPart::Label,
                ..
            }
            | CursorItem::LinkDef(_),
        ) => {
            let old = label_at(note, offset).unwrap_or_default();
            Ok(rename_label(id, note, &old, new_name))
        }
        _ => Err("only headings and reference labels can be renamed here".into()),
    }
}

/// Renames heading `h`: its text, and every link that points at a heading whose anchor changes
/// (duplicates after it may shift their `-1` suffixes too): same-note `(#a)` and `[[#Heading]]`,
/// reference definitions, and other notes' links. Refuses a name whose anchor another heading of
/// the note already has.
fn rename_heading(
    graph: &Graph,
    id: NoteId,
    h: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    let note = graph.note(id);
    let headings = &note.syntax.headings;
    let ids = graph.site().heading_ids;
    let slug = |text: &str| heading_id(text, ids);
    if !headings[h].custom_id {
        let new_slug = slug(new_name);
        let collides = |(idx, other): &(usize, &Heading)| {
            *idx != h
                && (other.anchor == new_slug || !other.custom_id && slug(&other.text) == new_slug)
        };
        // A new spelling of the same slug changes no anchor, so it collides with nothing new.
        if new_slug != slug(&headings[h].text) {
            if let Some((_, other)) = headings.iter().enumerate().find(collides) {
                let line = note.line_index().line_of(other.range.start as usize) + 1;
                return Err(format!(
                    "the heading on line {line} already has the anchor `#{new_slug}`; links could not tell the two apart"
                ));
            }
        }
    }
    let mut renamed: Vec<Heading> = headings.clone();
    renamed[h].text = new_name.to_string();
    let new_anchors = anchors_after_rename(&renamed, ids);
    let mut edits = vec![TextEdit {
        note: id,
        range: headings[h].text_range,
        new_text: new_name.to_string(),
    }];
    for from_id in graph.dependents(&note.path) {
        let from = graph.note(from_id);
        // A reference link is edited at its definition, which may serve several links or none.
        let targets = from
            .syntax
            .links
            .iter()
            .map(|link| &link.target)
            .filter(|target| !matches!(target, LinkTarget::Reference { .. }))
            .chain(from.syntax.link_defs.iter().map(|def| &def.target));
        for target in targets {
            let Resolved::Note {
                note: target_id,
                fragment: FragmentMatch::Heading(idx),
            } = graph.resolve(from, target)
            else {
                continue;
            };
            let Some(fragment) = target.fragment().filter(|_| target_id == id) else {
                continue;
            };
            if graph.site().dialect == Dialect::Obsidian {
                let encode = matches!(target, LinkTarget::Path { .. });
                edits.extend(
                    obsidian_chain_edits(from, fragment.range, &note.syntax, h, new_name, encode)
                        .into_iter()
                        .map(|(range, new_text)| TextEdit {
                            note: from_id,
                            range,
                            new_text,
                        }),
                );
                continue;
            }
            // Wiki-links name a heading by its text, the others by its anchor.
            let new_text = match target {
                LinkTarget::Wiki { .. } if idx == h => new_name.to_string(),
                LinkTarget::Path { .. } if new_anchors[idx] != headings[idx].anchor => {
                    new_anchors[idx].clone()
                }
                _ => continue,
            };
            edits.push(TextEdit {
                note: from_id,
                range: fragment.range,
                new_text,
            });
        }
    }
    edits.sort();
    edits.dedup();
    Ok(edits)
}

/// The Obsidian block (`^id` marker) at `offset` of note `id`: the marker itself, or the one a
/// link's `#^id` fragment there names; as (note, index into its `anchors`).
fn block_at(graph: &Graph, id: NoteId, offset: usize) -> Option<(NoteId, usize)> {
    if graph.site().dialect != Dialect::Obsidian {
        return None;
    }
    let note = graph.note(id);
    let is_block = |syntax: &NoteSyntax, idx: usize| syntax.anchors[idx].id.starts_with('^');
    if let Some(idx) = (0..note.syntax.anchors.len())
        .find(|&idx| is_block(&note.syntax, idx) && note.syntax.anchors[idx].range.touches(offset))
    {
        return Some((id, idx));
    }
    let Some(CursorItem::Link { idx, .. }) = item_at(note, offset) else {
        return None;
    };
    match graph.resolve(note, &note.syntax.links[idx].target) {
        Resolved::Note {
            note: target,
            fragment: FragmentMatch::Anchor(anchor),
        } if is_block(&graph.note(target).syntax, anchor) => Some((target, anchor)),
        _ => None,
    }
}

/// Renames the block id at `idx` of `id`'s anchors: the marker and every `#^id` naming it.
fn rename_block(
    graph: &Graph,
    id: NoteId,
    idx: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    let new_id = new_name.strip_prefix('^').unwrap_or(new_name);
    if new_id.is_empty()
        || !new_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err("a block id is letters, digits and `-`".into());
    }
    let note = graph.note(id);
    let new_text = format!("^{new_id}");
    if note
        .syntax
        .anchors
        .iter()
        .enumerate()
        .any(|(other, a)| other != idx && a.id.eq_ignore_ascii_case(&new_text))
    {
        return Err(format!("the note already has the block `{new_text}`"));
    }
    let mut edits = vec![TextEdit {
        note: id,
        range: note.syntax.anchors[idx].range,
        new_text: new_text.clone(),
    }];
    for from_id in graph.dependents(&note.path) {
        let from = graph.note(from_id);
        let targets = from
            .syntax
            .links
            .iter()
            .map(|link| &link.target)
            .filter(|target| !matches!(target, LinkTarget::Reference { .. }))
            .chain(from.syntax.link_defs.iter().map(|def| &def.target));
        for target in targets {
            if graph.resolve(from, target)
                == (Resolved::Note {
                    note: id,
                    fragment: FragmentMatch::Anchor(idx),
                })
            {
                if let Some(fragment) = target.fragment() {
                    edits.push(TextEdit {
                        note: from_id,
                        range: fragment.range,
                        new_text: new_text.clone(),
                    });
                }
            }
        }
    }
    edits.sort();
    edits.dedup();
    Ok(edits)
}

/// The edits to a fragment written at `range` in `from` (Obsidian's heading text, a chain
/// `#A#B` of them) whose parts name heading `h` of `target`: each becomes `new_name` (spaces
/// `%20` in a Markdown link).
fn obsidian_chain_edits(
    from: &Note,
    range: TextRange,
    target: &NoteSyntax,
    h: usize,
    new_name: &str,
    encode: bool,
) -> Vec<(TextRange, String)> {
    let written = &from.text()[range.as_usize()];
    let mut parts: Vec<(TextRange, String)> = Vec::new();
    let mut start = range.start as usize;
    for part in written.split('#') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let lead = part.len() - part.trim_start().len();
            let at = start + lead;
            parts.push((
                TextRange::new(at, at + trimmed.len()),
                percent_decode(trimmed),
            ));
        }
        start += part.len() + 1;
    }
    let Some(chain) = obsidian_heading_chain(target, parts.iter().map(|(_, text)| text.as_str()))
    else {
        return Vec::new();
    };
    let new_text = if encode {
        new_name.replace(' ', "%20")
    } else {
        new_name.to_string()
    };
    parts
        .iter()
        .zip(chain)
        .filter(|(_, idx)| *idx == h)
        .map(|((range, _), _)| (*range, new_text.clone()))
        .collect()
}

fn anchors_after_rename(headings: &[Heading], ids: HeadingIds) -> Vec<String> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    headings
        .iter()
        .map(|heading| {
            if heading.custom_id {
                return heading.anchor.clone();
            }
            let base = heading_id(&heading.text, ids);
            let count = seen.entry(base.clone()).or_insert(0);
            let anchor = if *count == 0 {
                base
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            anchor
        })
        .collect()
}

fn rename_label(id: NoteId, note: &Note, old: &str, new_name: &str) -> Vec<TextEdit> {
    let old = normalize_label(old);
    let mut edits: Vec<TextEdit> = note
        .syntax
        .links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Reference {
                label, label_range, ..
            } if normalize_label(label) == old => Some(*label_range),
            _ => None,
        })
        .chain(
            note.syntax
                .link_defs
                .iter()
                .filter(|d| normalize_label(&d.label) == old)
                .map(|d| d.label_range),
        )
        .map(|range| TextEdit {
            note: id,
            range,
            new_text: new_name.to_string(),
        })
        .collect();
    edits.sort();
    edits
}

/// The edits that keep every link pointing at the same targets when the notes in `moves` (old
/// path to new path, corpus-relative) are moved: links into moved notes, and relative links inside them.
pub fn rename_files(graph: &Graph, moves: &[(String, String)]) -> Vec<TextEdit> {
    let moved: HashMap<NoteId, &str> = moves
        .iter()
        .filter_map(|(old, new)| Some((graph.by_path(old)?, new.as_str())))
        .collect();
    let new_path_of = |id: NoteId| moved.get(&id).map_or(graph.note(id).path.as_str(), |p| p);
    // In a vault, the notes a moved note comes to share its name with: their links by name would
    // now find the note Obsidian prefers, so they lengthen too.
    let mut clashing: Vec<NoteId> = Vec::new();
    if graph.site().dialect == Dialect::Obsidian {
        for new in moved.values() {
            clashing.extend(
                graph
                    .notes_with_stem(file_stem(new))
                    .iter()
                    .filter(|id| !moved.contains_key(id)),
            );
        }
    }
    let mut sources: Vec<NoteId> = moved.keys().copied().collect();
    for id in moved.keys() {
        sources.extend(graph.backlinks(*id).into_iter().map(|r| r.from));
        sources.extend(graph.dependents(&graph.note(*id).path));
    }
    for id in &clashing {
        sources.extend(graph.backlinks(*id).into_iter().map(|r| r.from));
    }
    sources.sort();
    sources.dedup();
    let mut edits = Vec::new();
    for from_id in sources {
        let from = graph.note(from_id);
        let from_text = from.text();
        // A Hugo shortcode, alone or as a link's destination (`[x]({{< ref "a" >}})`), names a
        // page from the page's folder; other links as written.
        let hugo = graph.site().dialect == Dialect::Hugo;
        let in_shortcode = |link: &Link| match &link.target {
            LinkTarget::Path { path_range, .. } if hugo => from_text
                .get(link.range.start as usize..path_range.start as usize)
                .is_some_and(|before| before.contains("{{")),
            _ => false,
        };
        let targets = from
            .syntax
            .links
            .iter()
            .map(|l| (&l.target, in_shortcode(l)))
            .chain(from.syntax.link_defs.iter().map(|d| (&d.target, false)));
        for (target, shortcode) in targets {
            // A file (an image, an included listing) stays; a moved note's relative path to it
            // changes.
            let (target_note, old_target, new_target) = match graph.resolve(from, target) {
                Resolved::Note {
                    note: target_id, ..
                } if moved.contains_key(&target_id)
                    || moved.contains_key(&from_id)
                    || clashing.contains(&target_id) =>
                {
                    let note = graph.note(target_id);
                    (
                        Some(note),
                        note.path.clone(),
                        new_path_of(target_id).to_string(),
                    )
                }
                Resolved::File { path } if moved.contains_key(&from_id) => {
                    (None, path.clone(), path)
                }
                _ => continue,
            };
            let mv = Move {
                graph,
                moved: &moved,
                from,
                from_text: &from_text,
                new_from: new_path_of(from_id),
                target: target_note,
                old_target: &old_target,
                new_target: &new_target,
                // Neither end moves: only a link by name can have become ambiguous.
                names_only: !moved.contains_key(&from_id)
                    && target_note.is_some()
                    && new_target == old_target,
            };
            if let Some((range, new_text)) = mv.relink(target, shortcode) {
                edits.push(TextEdit {
                    note: from_id,
                    range,
                    new_text,
                });
            }
        }
    }
    edits.sort();
    edits.dedup();
    edits
}

/// One link whose source or target moves: the text to write so that it names the target at
/// its new path in the form it was written in.
struct Move<'a> {
    graph: &'a Graph,
    moved: &'a HashMap<NoteId, &'a str>,
    from: &'a Note,
    /// `from`'s text.
    from_text: &'a str,
    new_from: &'a str,
    /// The target note; `None` for a file, which only a relative path names by location.
    target: Option<&'a Note>,
    old_target: &'a str,
    /// Only links by name are rewritten (the target is a note the moved one now shares its name
    /// with).
    names_only: bool,
    new_target: &'a str,
}

impl Move<'_> {
    /// The range to replace and its new text, `None` when the link still reads right.
    fn relink(&self, target: &LinkTarget, shortcode: bool) -> Option<(TextRange, String)> {
        let dialect = self.graph.site().dialect;
        let relative_file_path = matches!(target, LinkTarget::Path { path, .. }
            if !path.starts_with('/') && self.names_file(path));
        if self.target.is_none() && !relative_file_path {
            return None;
        }
        let by_name = match target {
            LinkTarget::Wiki { stem, .. } => !stem.contains('/'),
            LinkTarget::Path { path, .. } => !self.names_file(path),
            _ => false,
        };
        if self.names_only && !by_name {
            return None;
        }
        let new_dir = parent_dir(self.new_from);
        match target {
            LinkTarget::Wiki {
                stem, stem_range, ..
            } if !stem.is_empty() => {
                // A path form stays a path from the root; a name lengthens to the shortest
                // unique path only when the new name is shared (Obsidian picks one silently).
                let new_text = if stem.contains('/') {
                    without_md(self.new_target).to_string()
                } else if dialect == Dialect::Obsidian {
                    without_md(&self.shortest_unique(self.new_target)).to_string()
                } else {
                    file_stem(self.new_target).to_string()
                };
                (!stem.eq_ignore_ascii_case(&new_text)).then_some((*stem_range, new_text))
            }
            LinkTarget::Path {
                path, path_range, ..
            } if !path.is_empty() => {
                let written = &self.from_text[path_range.as_usize()];
                let new_text = if self.names_file(path) && !shortcode {
                    if path.starts_with('/') {
                        format!("/{}", self.new_target)
                    } else {
                        relative_path(new_dir, self.new_target)
                    }
                } else {
                    match dialect {
                        Dialect::Obsidian => self.shortest_unique(self.new_target),
                        Dialect::Mdbook => mdbook_page(&relative_path(new_dir, self.new_target)),
                        Dialect::Hugo => self.hugo_link(path, shortcode)?,
                        Dialect::Github => relative_path(new_dir, self.new_target),
                    }
                };
                (percent_decode(written) != new_text)
                    .then(|| (*path_range, new_text.replace(' ', "%20")))
            }
            _ => None,
        }
    }

    /// Whether `path` names the target as a file system reads it (GitHub's rules): its path,
    /// without `.md`, or its folder when it is the folder's index.
    fn names_file(&self, path: &str) -> bool {
        let Ok(normalized) = crate::graph::normalize(self.from.dir(), path) else {
            return false;
        };
        let old = self.old_target;
        // Hugo reads `a/` and `a` as URLs, never as the file `a.md` or the folder's index.
        normalized == old
            || self.graph.site().dialect != Dialect::Hugo
                && (without_md(old) == normalized || parent_dir(old) == normalized)
    }

    /// A Hugo link in its form: a site URL (`/docs/a/`), a URL relative to the page's URL
    /// (`../a/`), a shortcode's path from the page's folder or the content folder; `.md` kept
    /// where it was written. `None` when the link names a URL the page keeps (`url`, `aliases`).
    fn hugo_link(&self, path: &str, shortcode: bool) -> Option<String> {
        let site = self.graph.site();
        let trimmed = path.trim_matches('/').to_lowercase();
        if self
            .target
            .is_some_and(|note| self.graph.other_urls(note).contains(&trimmed))
        {
            return None;
        }
        let with_md = path.trim_end_matches('/').ends_with(".md");
        let slash = if path.ends_with('/') { "/" } else { "" };
        let new_page = if with_md {
            self.new_target.to_string()
        } else {
            hugo_url_path(self.new_target)
        };
        let url = if path.starts_with('/') {
            let content_dir = site.content_dir_of(self.new_target).unwrap_or("");
            format!("/{}", new_page[content_dir.len()..].trim_start_matches('/'))
        } else if shortcode || with_md {
            relative_path(parent_dir(self.new_from), &new_page)
        } else {
            relative_path(&hugo_url_path(self.new_from), &new_page)
        };
        // A URL is lowercase, as Hugo publishes it; a path to a file keeps the file's case.
        Some(if shortcode || with_md {
            format!("{url}{slash}")
        } else {
            format!("{}{slash}", url.to_lowercase())
        })
    }

    /// The shortest path suffix (the file name when it is unique) that names the note at
    /// `new_path` alone among the notes as they are after the move, with its extension.
    fn shortest_unique(&self, new_path: &str) -> String {
        let stem = file_stem(new_path);
        let same_stem = self.graph.notes_with_stem(stem);
        let others = same_stem
            .iter()
            .filter(|id| !self.moved.contains_key(id))
            .map(|id| self.graph.note(*id).path.as_str())
            .chain(
                self.moved
                    .values()
                    .copied()
                    .filter(|p| file_stem(p).eq_ignore_ascii_case(stem)),
            );
        let name = shortest_unique_name(new_path, others);
        match new_path.strip_suffix(".md") {
            Some(_) => format!("{name}.md"),
            None => name,
        }
    }
}

fn without_md(path: &str) -> &str {
    path.strip_suffix(".md").unwrap_or(path)
}

/// The page mdBook renders the chapter at `path` to: `.html` for `.md`, `index.html` for
/// `README.md`.
fn mdbook_page(path: &str) -> String {
    match path.strip_suffix("README.md") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index.html"),
        _ => format!("{}.html", without_md(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Site;
    use crate::test_fixture;
    use expect_test::{expect, Expect};

    /// Renames what is at `$0` to `new_name`; prints each edit as `path:line "old" -> "new"`.
    fn check(fixture: &str, new_name: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let res = fixture.analysis().rename(fixture.position(), new_name);
        expect.assert_eq(&show_edits(&fixture.graph, res));
    }

    /// Each edit as `path:line "old" -> "new"`, or the error.
    fn show_edits(graph: &Graph, res: Result<Vec<TextEdit>, String>) -> String {
        match res {
            Ok(edits) => edits
                .iter()
                .map(|edit| {
                    let note = graph.note(edit.note);
                    let line = note.line_index().line_of(edit.range.start as usize) + 1;
                    format!(
                        "{}:{line} {:?} -> {:?}\n",
                        note.path,
                        &note.text()[edit.range.as_usize()],
                        edit.new_text
                    )
                })
                .collect(),
            Err(why) => format!("error: {why}\n"),
        }
    }

    /// What a rename at the cursor would replace: the `^^^` mark, or the error.
    #[track_caller]
    fn check_prepare(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let pos = fixture.position();
        let res = match fixture.analysis().prepare_rename(pos) {
            Ok((range, text)) => {
                assert_eq!(fixture.shown_marks(), [fixture.show(pos.note, range)]);
                text
            }
            Err(why) => format!("error: {why}"),
        };
        expect.assert_eq(&res);
    }

    #[track_caller]
    fn check_moves(fixture: &str, moves: &[(&str, &str)], expect: Expect) {
        check_moves_in(Site::default(), fixture, moves, expect);
    }

    fn parse_in(site: Site, fixture: &str) -> test_fixture::Fixture {
        let options = crate::syntax::ParseOptions {
            site,
            ..Default::default()
        };
        test_fixture::parse_with(&options, fixture)
    }

    fn check_in(site: Site, fixture: &str, new_name: &str, expect: Expect) {
        let fixture = parse_in(site, fixture);
        let res = fixture.analysis().rename(fixture.position(), new_name);
        expect.assert_eq(&show_edits(&fixture.graph, res));
    }

    #[track_caller]
    fn check_moves_in(site: Site, fixture: &str, moves: &[(&str, &str)], expect: Expect) {
        let fixture = parse_in(site, fixture);
        let moves: Vec<(String, String)> = moves
            .iter()
            .map(|(old, new)| (old.to_string(), new.to_string()))
            .collect();
        let edits = fixture.analysis().rename_files(&moves);
        expect.assert_eq(&show_edits(&fixture.graph, Ok(edits)));
    }

    #[test]
    fn prepare_rename_finds_heading_text_and_labels() {
        check_prepare("//- /a.md\n# A\n## Set$0up\n   ^^^^^\n", expect!["Setup"]);
        check_prepare(
            "//- /a.md\n# A\n[x][lb$0l]\n    ^^^\n\n[lbl]: b.md\n",
            expect!["lbl"],
        );
        check_prepare(
            "//- /a.md\n# A\n[x](b$0.md)\n",
            expect!["error: only headings and reference labels can be renamed here (rename the file to move a note)"],
        );
    }

    #[test]
    fn moving_notes_keeps_links_in_and_out_working() {
        check_moves(
            r#"
//- /a.md
# A
[b](k8s/b.md) [[b]] [c](c.md)
//- /k8s/b.md
# B
[a](../a.md) [c](../c.md#c) ![p](../img/p.png) ![q](/img/p.png)
//- /c.md
# C
//- /img/p.png
"#,
            &[("k8s/b.md", "gpu/deep/b.md")],
            expect![[r#"
                a.md:2 "k8s/b.md" -> "gpu/deep/b.md"
                k8s/b.md:2 "../a.md" -> "../../a.md"
                k8s/b.md:2 "../c.md" -> "../../c.md"
                k8s/b.md:2 "../img/p.png" -> "../../img/p.png"
            "#]],
        );
    }

    #[test]
    fn heading_rename_edits_same_note_anchor_links() {
        check(
            r#"
//- /k8s.md
# K8s
See [x](#requests-vs-limits) and ![img](#requests-vs-limits).
### Requests vs $0Limits
"#,
            "Requests and Limits",
            expect![[r#"
                k8s.md:2 "requests-vs-limits" -> "requests-and-limits"
                k8s.md:2 "requests-vs-limits" -> "requests-and-limits"
                k8s.md:3 "Requests vs Limits" -> "Requests and Limits"
            "#]],
        );
    }

    #[test]
    fn heading_rename_edits_same_note_wiki_links() {
        check(
            r#"
//- /k8s.md
# K8s
See [[#Requests vs Limits]] and [[k8s#Requests vs Limits|the limits]].
### Requests vs $0Limits
"#,
            "Requests and Limits",
            expect![[r#"
                k8s.md:2 "Requests vs Limits" -> "Requests and Limits"
                k8s.md:2 "Requests vs Limits" -> "Requests and Limits"
                k8s.md:3 "Requests vs Limits" -> "Requests and Limits"
            "#]],
        );
    }

    #[test]
    fn heading_rename_edits_reference_definitions() {
        // Used or not, in this note or another, each definition is edited once.
        check(
            r#"
//- /k8s.md
# K8s
See [one][r] and [two][r].
### Requests vs $0Limits

[r]: #requests-vs-limits
[unused]: k8s.md#requests-vs-limits
//- /notes/pods.md
# Pods
[Limits][lim]

[lim]: ../k8s.md#requests-vs-limits "Title"
"#,
            "Requests and Limits",
            expect![[r#"
                k8s.md:3 "Requests vs Limits" -> "Requests and Limits"
                k8s.md:5 "requests-vs-limits" -> "requests-and-limits"
                k8s.md:6 "requests-vs-limits" -> "requests-and-limits"
                notes/pods.md:4 "requests-vs-limits" -> "requests-and-limits"
            "#]],
        );
    }

    #[test]
    fn heading_rename_edits_other_notes_links() {
        check(
            r#"
//- /k8s.md
# K8s
### Requests vs $0Limits
//- /notes/pods.md
# Pods
[a](../k8s.md#requests-vs-limits) [b](/k8s.md#requests-vs-limits) [c](../k8s.md)
[[k8s#Requests vs Limits]] [[k8s]] [d](../k8s.md#k8s)
"#,
            "Requests and Limits",
            expect![[r#"
                k8s.md:2 "Requests vs Limits" -> "Requests and Limits"
                notes/pods.md:2 "requests-vs-limits" -> "requests-and-limits"
                notes/pods.md:2 "requests-vs-limits" -> "requests-and-limits"
                notes/pods.md:3 "Requests vs Limits" -> "Requests and Limits"
            "#]],
        );
    }

    #[test]
    fn heading_rename_shifts_the_suffixes_of_later_duplicates() {
        check(
            r#"
//- /a.md
# A
[first](#setup) [second](#setup-1) [[#Setup]]
## Set$0up
## Setup
"#,
            "Install",
            expect![[r#"
                a.md:2 "setup" -> "install"
                a.md:2 "setup-1" -> "setup"
                a.md:2 "Setup" -> "Install"
                a.md:3 "Setup" -> "Install"
            "#]],
        );
    }

    #[test]
    fn heading_rename_to_another_headings_anchor_is_refused() {
        let fixture = r#"
//- /a.md
# A
## Install {#setup-guide}
## Setup
## Requests vs $0Limits
"#;
        check(
            fixture,
            "setup",
            expect![[r#"
                error: the heading on line 3 already has the anchor `#setup`; links could not tell the two apart
            "#]],
        );
        check(
            fixture,
            "Setup Guide",
            expect![[r#"
                error: the heading on line 2 already has the anchor `#setup-guide`; links could not tell the two apart
            "#]],
        );
        // A new spelling of its own anchor is no collision.
        check(
            fixture,
            "Requests VS Limits",
            expect![[r#"
                a.md:4 "Requests vs Limits" -> "Requests VS Limits"
            "#]],
        );
    }

    const VAULT: &str = r#"
//- /Home.md
# Home
[[GPU Cluster]] [[gpu cluster#Power|power]] [[Projects/GPU Cluster]] [x](GPU%20Cluster.md)
[y](Projects/GPU%20Cluster.md#Power) [[Rack]]
//- /Projects/GPU Cluster.md
# GPU Cluster
## Power
[[Rack#Front]] [r](../Other/Rack.md)
//- /Other/Rack.md
# Rack
## Front
"#;

    #[test]
    fn moving_a_note_in_a_vault_keeps_each_link_form() {
        // Names stay names, paths stay paths from the root, a shortest-path Markdown link stays
        // the shortest; aliases and fragments are kept.
        check_moves_in(
            test_fixture::site(Dialect::Obsidian),
            VAULT,
            &[("Projects/GPU Cluster.md", "Archive/Cluster.md")],
            expect![[r#"
                Home.md:2 "GPU Cluster" -> "Cluster"
                Home.md:2 "gpu cluster" -> "Cluster"
                Home.md:2 "Projects/GPU Cluster" -> "Archive/Cluster"
                Home.md:2 "GPU%20Cluster.md" -> "Cluster.md"
                Home.md:3 "Projects/GPU%20Cluster.md" -> "Archive/Cluster.md"
            "#]],
        );
    }

    /// The moved note's own `[[Rack]]` would now name itself (Obsidian prefers the linking
    /// note's folder), and `[[Rack]]` elsewhere could pick either: links by the shared name, to
    /// either note, lengthen.
    #[test]
    fn a_name_that_becomes_shared_lengthens_to_the_shortest_unique_path() {
        check_moves_in(
            test_fixture::site(Dialect::Obsidian),
            VAULT,
            &[("Projects/GPU Cluster.md", "Archive/Rack.md")],
            expect![[r#"
                Home.md:2 "GPU Cluster" -> "Archive/Rack"
                Home.md:2 "gpu cluster" -> "Archive/Rack"
                Home.md:2 "Projects/GPU Cluster" -> "Archive/Rack"
                Home.md:2 "GPU%20Cluster.md" -> "Archive/Rack.md"
                Home.md:3 "Projects/GPU%20Cluster.md" -> "Archive/Rack.md"
                Home.md:3 "Rack" -> "Other/Rack"
                Projects/GPU Cluster.md:3 "Rack" -> "Other/Rack"
            "#]],
        );
    }

    #[test]
    fn moving_a_hugo_page_rewrites_urls_as_urls() {
        check_moves_in(
            test_fixture::site(Dialect::Hugo),
            r#"
//- /content/docs/setup.md
# Setup
[a](/docs/guide/) [b](../guide/#install) [c]({{< ref "guide" >}}) [d](guide/index.md)
[e]({{< relref "/docs/guide/index.md" >}}) [f](/old/)
//- /content/docs/guide/index.md
---
aliases: [/old/]
---
# Guide
## Install
[s](../setup/)
"#,
            &[("content/docs/guide/index.md", "content/docs/howto/guide.md")],
            expect![[r#"
                content/docs/setup.md:2 "/docs/guide/" -> "/docs/howto/guide/"
                content/docs/setup.md:2 "../guide/" -> "../howto/guide/"
                content/docs/setup.md:2 "guide" -> "howto/guide"
                content/docs/setup.md:2 "guide/index.md" -> "howto/guide.md"
                content/docs/setup.md:3 "/docs/guide/index.md" -> "/docs/howto/guide.md"
                content/docs/guide/index.md:6 "../setup/" -> "../../setup/"
            "#]],
        );
    }

    #[test]
    fn moving_an_mdbook_chapter_keeps_html_links_html() {
        check_moves_in(
            test_fixture::site(Dialect::Mdbook),
            r#"
//- /src/SUMMARY.md
- [Intro](README.md)
- [Ch1](ch01.md)
//- /src/README.md
# Intro
[c](ch01.html#setup) [i](index.html)
//- /src/ch01.md
# Ch1
## Setup
[home](index.html) [c](ch01.html)

{{#include ../listings/hello.rs:main}}
//- /listings/hello.rs
"#,
            &[("src/ch01.md", "src/part1/ch01.md")],
            expect![[r#"
                src/SUMMARY.md:2 "ch01.md" -> "part1/ch01.md"
                src/README.md:2 "ch01.html" -> "part1/ch01.html"
                src/ch01.md:3 "index.html" -> "../index.html"
                src/ch01.md:5 "../listings/hello.rs" -> "../../listings/hello.rs"
            "#]],
        );
    }

    #[test]
    fn renaming_a_heading_in_a_vault_rewrites_heading_text_fragments_and_chains() {
        check_in(
            test_fixture::site(Dialect::Obsidian),
            r#"
//- /Rack.md
# Rack
## Hard$0ware
### Power budget
[[#Hardware]] [[#Hardware#Power budget]] [x](#Hardware)
//- /Home.md
[[Rack#hardware|hw]] [y](Rack.md#Hardware#Power%20budget) [[Rack#Power budget]]
"#,
            "Rack parts",
            expect![[r#"
                Rack.md:2 "Hardware" -> "Rack parts"
                Rack.md:4 "Hardware" -> "Rack parts"
                Rack.md:4 "Hardware" -> "Rack parts"
                Rack.md:4 "Hardware" -> "Rack%20parts"
                Home.md:1 "hardware" -> "Rack parts"
                Home.md:1 "Hardware" -> "Rack%20parts"
            "#]],
        );
    }

    #[test]
    fn renaming_a_heading_in_hugo_writes_the_sites_ids() {
        let site = Site {
            heading_ids: HeadingIds::Blackfriday,
            ..test_fixture::site(Dialect::Hugo)
        };
        check_in(
            site,
            r#"
//- /content/a.md
# A
## What's $0new?
[x](#what-s-new)
//- /content/b.md
[y](/a/#what-s-new)
"#,
            "It's v2.0",
            expect![[r#"
                content/a.md:2 "What's new?" -> "It's v2.0"
                content/a.md:3 "what-s-new" -> "it-s-v2-0"
                content/b.md:1 "what-s-new" -> "it-s-v2-0"
            "#]],
        );
    }

    #[test]
    fn renaming_a_block_id_rewrites_its_references() {
        let fixture = r#"
//- /Rack.md
# Rack
Rack A draws 40 kW. ^rack-a
[[#^rack-a]]
//- /Home.md
[[Rack#^rack-a|the rack]] [x](Rack.md#^rack-a) [[Rack#^other]]
"#;
        // On the marker and on a link naming it.
        check_in(
            test_fixture::site(Dialect::Obsidian),
            &fixture.replace("^rack-a\n[[", "^rack$0-a\n[["),
            "^rack-b",
            expect![[r#"
                Rack.md:2 "^rack-a" -> "^rack-b"
                Rack.md:3 "^rack-a" -> "^rack-b"
                Home.md:1 "^rack-a" -> "^rack-b"
                Home.md:1 "^rack-a" -> "^rack-b"
            "#]],
        );
        let on_link = fixture.replace("[x](Rack.md#^rack-a)", "[x](Rack.md#^ra$0ck-a)");
        check_in(
            test_fixture::site(Dialect::Obsidian),
            &on_link,
            "rack-b",
            expect![[r#"
                Rack.md:2 "^rack-a" -> "^rack-b"
                Rack.md:3 "^rack-a" -> "^rack-b"
                Home.md:1 "^rack-a" -> "^rack-b"
                Home.md:1 "^rack-a" -> "^rack-b"
            "#]],
        );
        let fixture = parse_in(test_fixture::site(Dialect::Obsidian), &on_link);
        let pos = fixture.position();
        assert_eq!(
            fixture.analysis().prepare_rename(pos).map(|(_, text)| text),
            Ok("rack-a".to_string())
        );
    }
}
