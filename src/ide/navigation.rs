//! Go to definition, find references and hover: links, headings, reference labels and dates.

use super::cursor::{item_at, label_at, CursorItem, LinkPart};
use super::diagnostics::DiagnosticsConfig;
use super::results::{HoverResult, NavTarget, NoteRange};
use crate::graph::{FragmentMatch, Graph, LinkRef, Note, NoteId, Resolved};
use crate::history::NoteHistory;
use crate::syntax::{normalize_label, LinkTarget};
use crate::text::TextRange;
use std::fmt::Write;

pub fn goto_definition(
    graph: &Graph,
    id: NoteId,
    offset: usize,
) -> Option<(TextRange, Vec<NavTarget>)> {
    let note = graph.note(id);
    let Some(item) = item_at(note, offset) else {
        return super::terms::definitions(graph, id, offset);
    };
    match item {
        CursorItem::Link { idx, part } => {
            let link = &note.syntax.links[idx];
            if let (
                LinkPart::Label,
                LinkTarget::Reference {
                    def: Some(def),
                    label_range,
                    ..
                },
            ) = (part, &link.target)
            {
                let def = &note.syntax.link_defs[*def];
                return Some((
                    *label_range,
                    vec![NavTarget::Note {
                        note: id,
                        range: def.range,
                        focus: def.label_range,
                    }],
                ));
            }
            let targets = target_of(graph, note, &link.target).into_iter().collect();
            Some((link.range, targets))
        }
        CursorItem::LinkDef(idx) => {
            let def = &note.syntax.link_defs[idx];
            Some((
                def.range,
                target_of(graph, note, &def.target).into_iter().collect(),
            ))
        }
        CursorItem::Heading(_) | CursorItem::Date => None,
    }
}

fn target_of(graph: &Graph, note: &Note, target: &LinkTarget) -> Option<NavTarget> {
    match graph.resolve(note, target) {
        Resolved::Note {
            note: target,
            fragment,
        } => {
            let target_note = graph.note(target);
            let (range, focus) = match fragment {
                FragmentMatch::Heading(h) => {
                    let heading = &target_note.syntax.headings[h];
                    (heading.section, heading.range)
                }
                FragmentMatch::Anchor(a) => (
                    anchor_block(target_note, a),
                    target_note.syntax.anchors[a].range,
                ),
                _ => (TextRange::empty(0), TextRange::empty(0)),
            };
            Some(NavTarget::Note {
                note: target,
                range,
                focus,
            })
        }
        Resolved::File { path } => Some(NavTarget::File { path }),
        _ => None,
    }
}

/// What the cursor's references are: links to a heading, to a note, or to the same target
/// as the link under the cursor; uses of a reference label.
pub fn references(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    include_declaration: bool,
) -> Vec<NoteRange> {
    let note = graph.note(id);
    let link_ranges = |refs: Vec<LinkRef>| -> Vec<NoteRange> {
        refs.into_iter()
            .map(|r| NoteRange {
                note: r.from,
                range: graph.note(r.from).syntax.links[r.link].range,
            })
            .collect()
    };
    let mut res = match item_at(note, offset) {
        Some(CursorItem::Heading(h)) if note.syntax.headings[h].level > 1 => {
            let mut res = link_ranges(graph.heading_backlinks(id, h));
            if include_declaration {
                res.push(NoteRange {
                    note: id,
                    range: note.syntax.headings[h].range,
                });
            }
            res
        }
        Some(
            CursorItem::Link {
                part: LinkPart::Label,
                ..
            }
            | CursorItem::LinkDef(_),
        ) => {
            let label = label_at(note, offset).unwrap_or_default();
            label_uses(id, note, &normalize_label(&label), include_declaration)
        }
        Some(CursorItem::Link { idx, .. }) => {
            let link = &note.syntax.links[idx];
            match graph.resolve(note, &link.target) {
                Resolved::Note {
                    note: target,
                    fragment,
                } => match fragment {
                    FragmentMatch::Heading(h) => link_ranges(graph.heading_backlinks(target, h)),
                    _ => link_ranges(graph.backlinks(target)),
                },
                _ => Vec::new(),
            }
        }
        // A term: its mentions across the corpus. On the title, the date or anywhere else: the
        // note's backlinks.
        None => match super::terms::references(graph, id, offset) {
            Some(mentions) => mentions,
            None => link_ranges(graph.backlinks(id)),
        },
        _ => link_ranges(graph.backlinks(id)),
    };
    res.sort_by(|a, b| {
        (graph.note(a.note).path.as_str(), a.range)
            .cmp(&(graph.note(b.note).path.as_str(), b.range))
    });
    res.dedup();
    res
}

fn label_uses(id: NoteId, note: &Note, label: &str, include_declaration: bool) -> Vec<NoteRange> {
    let mut res: Vec<NoteRange> = note
        .syntax
        .links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Reference {
                label: used,
                label_range,
                ..
            } if normalize_label(used) == label => Some(NoteRange {
                note: id,
                range: *label_range,
            }),
            _ => None,
        })
        .collect();
    if include_declaration {
        res.extend(
            note.syntax
                .link_defs
                .iter()
                .filter(|d| normalize_label(&d.label) == label)
                .map(|d| NoteRange {
                    note: id,
                    range: d.label_range,
                }),
        );
    }
    res
}

/// Lines of a target shown in a link preview.
const PREVIEW_LINES: usize = 12;

pub fn hover(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    cfg: &DiagnosticsConfig,
) -> Option<HoverResult> {
    let note = graph.note(id);
    let today = cfg.today;
    let Some(item) = item_at(note, offset) else {
        return super::terms::hover::hover(graph, id, offset);
    };
    let (range, markdown) = match item {
        CursorItem::Link { idx, .. } => {
            let link = &note.syntax.links[idx];
            let mut out = String::new();
            let mut target = &link.target;
            if let LinkTarget::Reference { def, label, .. } = target {
                match def {
                    Some(def) => {
                        let def = &note.syntax.link_defs[*def];
                        let line = note.line_index().line_of(def.range.start as usize) + 1;
                        let _ = writeln!(
                            out,
                            "`{}` (definition on line {line})\n",
                            note.text()[def.range.as_usize()].trim()
                        );
                        target = &def.target;
                    }
                    None => {
                        return Some(HoverResult {
                            range: link.range,
                            markdown: format!("No definition for reference `[{label}]`."),
                        })
                    }
                }
            }
            out += &link_preview(graph, note, target);
            (link.range, out)
        }
        CursorItem::LinkDef(idx) => {
            let def = &note.syntax.link_defs[idx];
            (def.range, link_preview(graph, note, &def.target))
        }
        CursorItem::Heading(h) => {
            let heading = &note.syntax.headings[h];
            let refs = if heading.level == 1 {
                graph.backlinks(id)
            } else {
                graph.heading_backlinks(id, h)
            };
            let mut out = format!("`#{}`: ", heading.anchor);
            out += &match refs.len() {
                0 => "no links point here".to_string(),
                1 => "1 link points here".to_string(),
                n => format!("{n} links point here"),
            };
            if heading.level == 1 {
                out += " (to the note)";
            }
            out += "\n";
            for r in refs.iter().take(20) {
                let from = graph.note(r.from);
                let line = from
                    .line_index()
                    .line_of(from.syntax.links[r.link].range.start as usize)
                    + 1;
                let _ = writeln!(out, "- `{}:{line}` ({})", from.path, from.title());
            }
            if refs.len() > 20 {
                let _ = writeln!(out, "- and {} more", refs.len() - 20);
            }
            (heading.range, out)
        }
        CursorItem::Date => {
            let date = note.syntax.date.as_ref()?;
            let tags = note
                .syntax
                .front_matter
                .as_ref()
                .map_or(&[][..], |fm| fm.tags.as_slice());
            let stale_after_days = cfg.config.stale_after_days_for(&note.path, tags);
            let mut out = match date.value {
                Ok(value) => {
                    let age = (today - value).num_days();
                    let state = if age < 0 {
                        format!("{} days in the future", -age)
                    } else if age > i64::from(stale_after_days) {
                        format!("{age} days ago: **stale** (older than {stale_after_days} days)")
                    } else {
                        format!("{age} days ago: fresh (stale after {stale_after_days} days)")
                    };
                    format!("Last updated {value}, {state}.")
                }
                Err(_) => format!("`{}` is not a valid YYYY-MM-DD date.", date.text),
            };
            match cfg.history.as_ref().map(|h| h.of(&note.path)) {
                Some(NoteHistory::Changed(change)) => {
                    let _ = write!(
                        out,
                        "\n\nGit last changed this note's content on {} in `{}` ({}).",
                        change.date, change.short_hash, change.subject
                    );
                }
                Some(NoteHistory::TooShallow) => {
                    out += "\n\nGit history is too shallow to say when the content last changed."
                }
                Some(NoteHistory::Unknown) => {
                    out += "\n\nGit has no committed change of this note."
                }
                None => {}
            }
            (date.range, out)
        }
    };
    Some(HoverResult { range, markdown })
}

fn link_preview(graph: &Graph, note: &Note, target: &LinkTarget) -> String {
    match graph.resolve(note, target) {
        Resolved::External => match target {
            LinkTarget::External { url } => format!("External link: <{url}> (not checked)"),
            _ => String::new(),
        },
        Resolved::Note {
            note: target_id,
            fragment,
        } => {
            let target_note = graph.note(target_id);
            let text = target_note.text();
            let backlinks = graph.backlinks(target_id).len();
            let mut out = format!("**{}** — `{}`\n\n", target_note.title(), target_note.path);
            let section = match fragment {
                FragmentMatch::Heading(h) => target_note.syntax.headings[h].section,
                FragmentMatch::Anchor(a) => anchor_block(target_note, a),
                FragmentMatch::Missing => {
                    out += "⚠ the heading this link names does not exist\n\n";
                    TextRange::new(0, text.len())
                }
                FragmentMatch::None | FragmentMatch::Title => {
                    TextRange::new(body_start(target_note, &text), text.len())
                }
            };
            let preview: Vec<&str> = text[section.as_usize()]
                .lines()
                .take(PREVIEW_LINES)
                .collect();
            out += &preview.join("\n");
            out += &format!(
                "\n\n---\n{backlinks} backlink{} to this note",
                if backlinks == 1 { "" } else { "s" }
            );
            out
        }
        Resolved::File { path } => format!("File `{path}`"),
        Resolved::Missing { path } => format!("Broken link: nothing at `{path}`"),
        Resolved::FolderWithoutIndex { path } => format!("Folder `{path}` has no index note"),
        Resolved::OutsideRoot => "Link outside the corpus root (not followed)".to_string(),
        Resolved::Ambiguous { candidates } => {
            let paths: Vec<String> = candidates
                .iter()
                .map(|c| format!("`{}`", graph.note(*c).path))
                .collect();
            format!("Ambiguous wiki-link: {}", paths.join(", "))
        }
        Resolved::UndefinedReference => "Undefined reference".to_string(),
    }
}

/// Where a note's content starts (`text` is its text): after its front matter and title heading.
fn body_start(note: &Note, text: &str) -> usize {
    let mut start = note
        .syntax
        .front_matter
        .as_ref()
        .map_or(0, |fm| fm.range.end as usize);
    if let Some(title) = note.syntax.headings.first().filter(|h| h.level == 1) {
        if title.range.start as usize <= start + 2
            || text[start..title.range.start as usize].trim().is_empty()
        {
            start = title.range.end as usize;
        }
    }
    start.min(text.len())
}

/// The block an anchor names: the innermost paragraph or list item holding its marker (an
/// Obsidian `^id` ends its block), else the marker's own text.
fn anchor_block(note: &Note, idx: usize) -> TextRange {
    let anchor = note.syntax.anchors[idx].range;
    note.syntax
        .paragraphs
        .iter()
        .chain(&note.syntax.list_items)
        .filter(|block| block.contains_range(anchor))
        .min_by_key(|block| block.len())
        .copied()
        .unwrap_or(anchor)
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::ide::results::NavTarget;
    use crate::test_fixture::{self, Fixture};
    use expect_test::{expect, Expect};

    fn show_targets(fixture: &Fixture, targets: &[NavTarget]) -> Vec<String> {
        targets
            .iter()
            .map(|target| match target {
                NavTarget::Note { note, focus, .. } => fixture.show(*note, *focus),
                NavTarget::File { path } => format!("file {path}"),
            })
            .collect()
    }

    /// The range the answer is for, then each target's focus range.
    #[track_caller]
    fn check_definition(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let pos = fixture.position();
        let res = match fixture.analysis().goto_definition(pos) {
            None => "none".to_string(),
            Some((origin, targets)) => {
                let mut lines = vec![fixture.show(pos.note, origin)];
                lines.extend(
                    show_targets(&fixture, &targets)
                        .into_iter()
                        .map(|t| format!("-> {t}")),
                );
                lines.join("\n")
            }
        };
        expect.assert_eq(&res);
    }

    /// The references must be exactly the `^^^` marks.
    #[track_caller]
    fn check_references(fixture: &str, include_declaration: bool) {
        test_fixture::parse(fixture).assert_references_are_marks(include_declaration);
    }

    #[track_caller]
    fn check_hover(fixture: &str, expect: Expect) {
        expect.assert_eq(&test_fixture::parse(fixture).shown_hover());
    }

    #[test]
    fn definition_of_links_to_headings_notes_and_files() {
        check_definition(
            r#"
//- /a.md
# A
[pods](k8s/po$0ds.md#limits) ![img](pic.png)
//- /k8s/pods.md
# Pods
## Limits
//- /pic.png
"#,
            expect![[r###"
                a.md 4..30 "[pods](k8s/pods.md#limits)"
                -> k8s/pods.md 7..16 "## Limits""###]],
        );
        check_definition(
            r#"
//- /a.md
# A
![img](pi$0c.png)
//- /pic.png
"#,
            expect![[r#"
                a.md 4..19 "![img](pic.png)"
                -> file pic.png"#]],
        );
        check_definition(
            r#"
//- /a.md
# A
[[po$0ds]]
//- /k8s/pods.md
# Pods
"#,
            expect![[r#"
                a.md 4..12 "[[pods]]"
                -> k8s/pods.md 0..0 """#]],
        );
    }

    #[test]
    fn definition_of_a_reference_label_is_its_definition() {
        check_definition(
            r#"
//- /a.md
# A
See [the pods][p$0ods].

[pods]: k8s/pods.md
//- /k8s/pods.md
# Pods
"#,
            expect![[r#"
                a.md 19..23 "pods"
                -> a.md 28..32 "pods""#]],
        );
    }

    #[test]
    fn no_definition_on_headings_and_no_target_for_broken_links() {
        check_definition("//- /a.md\n# A$0\n", expect!["none"]);
        check_definition(
            "//- /a.md\n# A\n[x](go$0ne.md)\n",
            expect![[r#"a.md 4..16 "[x](gone.md)""#]],
        );
    }

    #[test]
    fn references_of_a_heading_are_the_links_to_it() {
        check_references(
            r#"
//- /k8s/pods.md
# Pods
## Lim$0its
^^^^^^^^^
[self](#limits)
^^^^^^^^^^^^^^^
//- /a.md
# A
[l](k8s/pods.md#limits) [p](k8s/pods.md) [[pods#Limits]]
^^^^^^^^^^^^^^^^^^^^^^^                  ^^^^^^^^^^^^^^^
"#,
            true,
        );
    }

    #[test]
    fn references_of_a_title_or_a_link_to_a_note_are_its_backlinks() {
        let fixture = r#"
//- /k8s/pods.md
# Po$0ds
//- /a.md
# A
[l](k8s/pods.md#pods) [p](k8s/pods.md) [[pods]] [[a]]
^^^^^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^ ^^^^^^^^
"#;
        check_references(fixture, false);
        check_references(
            r#"
//- /k8s/pods.md
# Pods
//- /a.md
# A
[l](k8s/pods.md#pods) [p](k8s/po$0ds.md) [[pods]] [[a]]
^^^^^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^ ^^^^^^^^
"#,
            false,
        );
    }

    #[test]
    fn references_of_a_label_are_its_uses_and_definition() {
        let fixture = r#"
//- /a.md
# A
[one][lb$0l] and [two][LBL] and [three][other]
      ^^^            ^^^
[lbl]: b.md
 ^^^
[other]: b.md
"#;
        check_references(fixture, true);
    }

    #[test]
    fn hover_on_a_link_previews_its_target() {
        check_hover(
            r#"
//- /a.md
# A
[pods](k8s/po$0ds.md#limits)
//- /k8s/pods.md
# Pods
Intro.
## Limits
Set them.
"#,
            expect![[r#"
                a.md 4..30 "[pods](k8s/pods.md#limits)"
                **Pods** — `k8s/pods.md`

                ## Limits
                Set them.

                ---
                1 backlink to this note"#]],
        );
        check_hover(
            "//- /a.md\n# A\n[x](go$0ne.md)\n",
            expect![[r#"
            a.md 4..16 "[x](gone.md)"
            Broken link: nothing at `gone.md`"#]],
        );
        check_hover(
            "//- /a.md\n# A\n[y][no$0pe]\n",
            expect![[r#"
            a.md 4..13 "[y][nope]"
            No definition for reference `[nope]`."#]],
        );
    }

    #[test]
    fn hover_on_a_heading_lists_the_links_to_it() {
        check_hover(
            r#"
//- /k8s/pods.md
# Pods
## Lim$0its
//- /a.md
# A
[l](k8s/pods.md#limits)
"#,
            expect![[r###"
                k8s/pods.md 7..16 "## Limits"
                `#limits`: 1 link points here
                - `a.md:2` (A)
            "###]],
        );
    }

    #[test]
    fn hover_on_the_date_says_its_age() {
        check_hover(
            "//- /a.md\n# A\n\nLast updated: 2026-0$01-01\n",
            expect![[r#"
                a.md 19..29 "2026-01-01"
                Last updated 2026-01-01, 331 days ago: **stale** (older than 180 days)."#]],
        );
        check_hover(
            "//- /a.md\n# A\n\nLast updated: 2026-0$02-30\n",
            expect![[r#"
                a.md 19..29 "2026-02-30"
                `2026-02-30` is not a valid YYYY-MM-DD date."#]],
        );
    }

    #[test]
    fn references_find_links_in_the_dialects_forms() {
        test_fixture::parse_in(
            Dialect::Hugo,
            r#"
//- /content/docs/setup.md
# Set$0up
//- /content/docs/guide/index.md
# Guide
[s](/docs/setup/) [s](../setup/) [s]({{< relref "/docs/setup.md" >}}) [s](../setup.md) [n](/docs/nope/)
^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^
"#,
        )
        .assert_references_are_marks(false);
        test_fixture::parse_in(
            Dialect::Obsidian,
            r#"
//- /Projects/GPU Cluster.md
# GPU$0 Cluster
//- /Home.md
[[gpu cluster]] [[GPU Cluster|the cluster]] [x](GPU%20Cluster.md) ![[Home]]
^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^^^^^^
"#,
        )
        .assert_references_are_marks(false);
    }
}
