//! Rename a heading (and every anchor pointing at it), a reference label, or whole files (and
//! every link to them and inside them). Produces edits; never writes.

use super::cursor::{item_at, label_at, CursorItem, LinkPart};
use crate::graph::{relative_path, FragmentMatch, Graph, Note, NoteId, Resolved};
use crate::syntax::{normalize_label, slug, Heading, LinkTarget};
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
    let range = match item_at(note, offset) {
        Some(CursorItem::Heading(h)) => note.syntax.headings[h].text_range,
        Some(CursorItem::Link { idx, part: LinkPart::Label }) => match &note.syntax.links[idx].target {
            LinkTarget::Reference { label_range, .. } => *label_range,
            _ => return Err("nothing to rename here".into()),
        },
        Some(CursorItem::LinkDef(idx)) => note.syntax.link_defs[idx].label_range,
        _ => return Err("only headings and reference labels can be renamed here (rename the file to move a note)".into()),
    };
    Ok((range, note.text[range.as_usize()].to_string()))
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
    if !headings[h].custom_id {
        let new_slug = slug(new_name);
        let collides = |(idx, other): &(usize, &Heading)| {
            *idx != h
                && (other.anchor == new_slug || !other.custom_id && slug(&other.text) == new_slug)
        };
        // A new spelling of the same slug changes no anchor, so it collides with nothing new.
        if new_slug != slug(&headings[h].text) {
            if let Some((_, other)) = headings.iter().enumerate().find(collides) {
                let line = note.line_index.line_of(other.range.start as usize) + 1;
                return Err(format!(
                    "the heading on line {line} already has the anchor `#{new_slug}`; links could not tell the two apart"
                ));
            }
        }
    }
    let mut renamed: Vec<Heading> = headings.clone();
    renamed[h].text = new_name.to_string();
    let new_anchors = anchors_after_rename(&renamed);
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

fn anchors_after_rename(headings: &[Heading]) -> Vec<String> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    headings
        .iter()
        .map(|heading| {
            if heading.custom_id {
                return heading.anchor.clone();
            }
            let base = slug(&heading.text);
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
    let mut sources: Vec<NoteId> = moved.keys().copied().collect();
    for id in moved.keys() {
        sources.extend(graph.backlinks(*id).into_iter().map(|r| r.from));
        sources.extend(graph.dependents(&graph.note(*id).path));
    }
    sources.sort();
    sources.dedup();
    let mut edits = Vec::new();
    for from_id in sources {
        let from = graph.note(from_id);
        let new_dir = crate::graph::parent_dir(new_path_of(from_id)).to_string();
        let targets = from
            .syntax
            .links
            .iter()
            .map(|l| &l.target)
            .chain(from.syntax.link_defs.iter().map(|d| &d.target));
        for target in targets {
            let Resolved::Note {
                note: target_id, ..
            } = graph.resolve(from, target)
            else {
                continue;
            };
            if !moved.contains_key(&target_id) && !moved.contains_key(&from_id) {
                continue;
            }
            match target {
                LinkTarget::Path {
                    path, path_range, ..
                } if !path.is_empty() && !path.starts_with('/') => {
                    let new_rel = relative_path(&new_dir, new_path_of(target_id));
                    let written = &from.text[path_range.as_usize()];
                    if crate::syntax::percent_decode(written) != new_rel {
                        edits.push(TextEdit {
                            note: from_id,
                            range: *path_range,
                            new_text: new_rel.replace(' ', "%20"),
                        });
                    }
                }
                LinkTarget::Path {
                    path, path_range, ..
                } if path.starts_with('/') => {
                    let new_abs = format!("/{}", new_path_of(target_id));
                    if *path != new_abs {
                        edits.push(TextEdit {
                            note: from_id,
                            range: *path_range,
                            new_text: new_abs.replace(' ', "%20"),
                        });
                    }
                }
                LinkTarget::Wiki {
                    stem, stem_range, ..
                } if !stem.is_empty() => {
                    let new_stem = crate::graph::file_stem(new_path_of(target_id));
                    if !stem.eq_ignore_ascii_case(new_stem) {
                        edits.push(TextEdit {
                            note: from_id,
                            range: *stem_range,
                            new_text: new_stem.to_string(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    edits.sort();
    edits.dedup();
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
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
                    let line = note.line_index.line_of(edit.range.start as usize) + 1;
                    format!(
                        "{}:{line} {:?} -> {:?}\n",
                        note.path,
                        &note.text[edit.range.as_usize()],
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
        let fixture = test_fixture::parse(fixture);
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
[a](../a.md) [c](../c.md#c)
//- /c.md
# C
"#,
            &[("k8s/b.md", "gpu/deep/b.md")],
            expect![[r#"
                a.md:2 "k8s/b.md" -> "gpu/deep/b.md"
                k8s/b.md:2 "../a.md" -> "../../a.md"
                k8s/b.md:2 "../c.md" -> "../../c.md"
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
}
