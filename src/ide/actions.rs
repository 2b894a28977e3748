//! Code actions: apply a finding's fix, create a missing note, add a missing reference
//! definition, set the date to today, or silence a finding with a suppression comment.

use super::diagnostics::Diagnostic;
use super::rename::TextEdit;
use crate::codes::Code;
use crate::graph::{normalize, Graph, NoteId};
use crate::syntax::LinkTarget;
use crate::text::TextRange;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    /// The finding the action fixes, if any.
    pub fixes: Option<Diagnostic>,
    pub preferred: bool,
    /// A note to create first (corpus-relative path) with its initial text.
    pub create: Option<(String, String)>,
    pub edits: Vec<TextEdit>,
}

/// Actions for the findings of note `id` that overlap `range`, plus "set date to today".
pub fn code_actions(
    graph: &Graph,
    id: NoteId,
    range: TextRange,
    diagnostics: &[Diagnostic],
    today: NaiveDate,
) -> Vec<Action> {
    let note = graph.note(id);
    let mut res = Vec::new();
    let today_text = today.format("%Y-%m-%d").to_string();
    for d in diagnostics.iter().filter(|d| overlaps(d.range, range)) {
        if let Some(fix) = &d.fix {
            let title = match d.code {
                Code::StaleNote | Code::InvalidDate | Code::FutureDate | Code::DateNotToday => {
                    format!("Set date to today ({today_text})")
                }
                Code::OutdatedDate => {
                    format!("Set date to {} (the last content change)", fix.new_text)
                }
                _ => format!("Change to `{}`", fix.new_text),
            };
            res.push(Action {
                title,
                fixes: Some(d.clone()),
                preferred: true,
                create: None,
                edits: vec![TextEdit {
                    note: id,
                    range: fix.range,
                    new_text: fix.new_text.clone(),
                }],
            });
        }
        if d.code == Code::BrokenLink {
            if let Some(path) = missing_note_path(graph, id, d.range) {
                let title = crate::graph::file_stem(&path).replace(['-', '_'], " ");
                res.push(Action {
                    title: format!("Create note `{path}`"),
                    fixes: Some(d.clone()),
                    preferred: false,
                    create: Some((path, format!("# {title}\n\nLast updated: {today_text}\n"))),
                    edits: Vec::new(),
                });
            }
        }
        if d.code == Code::UndefinedReference {
            let text = note.text();
            let label = &text[d.range.as_usize()];
            let end = text.len();
            let sep = if text.ends_with("\n\n") {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            res.push(Action {
                title: format!("Add a definition for `[{label}]`"),
                fixes: Some(d.clone()),
                preferred: false,
                create: None,
                edits: vec![TextEdit {
                    note: id,
                    range: TextRange::empty(end),
                    new_text: format!("{sep}[{label}]: <>\n"),
                }],
            });
        }
        let line_start = note
            .line_index()
            .line_range(
                &note.text(),
                note.line_index().line_of(d.range.start as usize),
            )
            .start;
        res.push(Action {
            title: format!("Suppress `{}` on this line", d.code.as_str()),
            fixes: None,
            preferred: false,
            create: None,
            edits: vec![TextEdit {
                note: id,
                range: TextRange::empty(line_start as usize),
                new_text: format!("<!-- kbls-disable-next-line {} -->\n", d.code.as_str()),
            }],
        });
    }
    if let Some(date) = &note.syntax.date {
        let already_offered = res.iter().any(|a| {
            matches!(
                a.fixes.as_ref().map(|d| d.code),
                Some(Code::StaleNote | Code::InvalidDate | Code::FutureDate | Code::DateNotToday)
            )
        });
        if overlaps(date.line_range, range) && date.text != today_text && !already_offered {
            res.push(Action {
                title: format!("Set date to today ({today_text})"),
                fixes: None,
                preferred: false,
                create: None,
                edits: vec![TextEdit {
                    note: id,
                    range: date.range,
                    new_text: today_text,
                }],
            });
        }
    }
    res
}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The corpus path a broken Markdown link at `range` names, when it names a Markdown note.
fn missing_note_path(graph: &Graph, id: NoteId, range: TextRange) -> Option<String> {
    let note = graph.note(id);
    let link = note
        .syntax
        .links
        .iter()
        .find(|l| l.range.contains_range(range))?;
    match &link.target {
        LinkTarget::Path { path, .. } if path.ends_with(".md") => normalize(note.dir(), path).ok(),
        LinkTarget::Wiki { stem, .. } if !stem.is_empty() => Some(format!(
            "{}{stem}.md",
            if note.dir().is_empty() {
                String::new()
            } else {
                format!("{}/", note.dir())
            }
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_fixture;
    use crate::text::TextRange;
    use expect_test::{expect, Expect};

    /// The actions at the `$0` cursor: the title, the finding it fixes, then its edits as
    /// `path "old" -> "new"` and the note it creates.
    #[track_caller]
    fn check_actions(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let pos = fixture.position();
        let actions = fixture
            .analysis()
            .code_actions(pos.note, TextRange::empty(pos.offset));
        let mut out = String::new();
        for action in actions {
            let fixes = action
                .fixes
                .map(|d| {
                    format!(
                        " (fixes {} at {}..{})",
                        d.code.as_str(),
                        d.range.start,
                        d.range.end
                    )
                })
                .unwrap_or_default();
            let preferred = if action.preferred { " [preferred]" } else { "" };
            out.push_str(&format!("{}{fixes}{preferred}\n", action.title));
            for edit in &action.edits {
                let note = fixture.graph.note(edit.note);
                out.push_str(&format!(
                    "  {} {:?} -> {:?}\n",
                    note.path,
                    &note.text()[edit.range.as_usize()],
                    edit.new_text
                ));
            }
            if let Some((path, text)) = &action.create {
                out.push_str(&format!("  create {path} {text:?}\n"));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn broken_links_offer_the_fix_a_new_note_and_a_suppression() {
        check_actions(
            r#"
//- /notes/a.md
# A
See [pods](pod$0.md).
//- /notes/pods.md
# Pods
"#,
            expect![[r##"
                Change to `pods.md` (fixes broken-link at 15..21) [preferred]
                  notes/a.md "pod.md" -> "pods.md"
                Create note `notes/pod.md` (fixes broken-link at 15..21)
                  create notes/pod.md "# pod\n\nLast updated: 2026-11-28\n"
                Suppress `broken-link` on this line
                  notes/a.md "" -> "<!-- kbls-disable-next-line broken-link -->\n"
            "##]],
        );
        check_actions(
            "//- /a.md\n# A\n[[new-no$0te]]\n",
            expect![[r##"
                Create note `new-note.md` (fixes broken-link at 6..14)
                  create new-note.md "# new note\n\nLast updated: 2026-11-28\n"
                Suppress `broken-link` on this line
                  a.md "" -> "<!-- kbls-disable-next-line broken-link -->\n"
            "##]],
        );
    }

    #[test]
    fn undefined_references_offer_a_definition() {
        check_actions(
            "//- /a.md\n# A\n[x][lb$0l]",
            expect![[r#"
            Add a definition for `[lbl]` (fixes undefined-reference at 8..11)
              a.md "" -> "\n\n[lbl]: <>\n"
            Suppress `undefined-reference` on this line
              a.md "" -> "<!-- kbls-disable-next-line undefined-reference -->\n"
        "#]],
        );
    }

    #[test]
    fn dates_offer_today() {
        check_actions(
            "//- /a.md\n# A\n\nLast updated: 2024-0$01-01\n",
            expect![[r#"
                Set date to today (2026-11-28) (fixes stale-note at 19..29) [preferred]
                  a.md "2024-01-01" -> "2026-11-28"
                Suppress `stale-note` on this line
                  a.md "" -> "<!-- kbls-disable-next-line stale-note -->\n"
            "#]],
        );
        // A fresh date that is not today: no finding, still the action.
        check_actions(
            "//- /a.md\n# A\n\nLast updated: 2026-11-2$00\n",
            expect![[r#"
                Set date to today (2026-11-28)
                  a.md "2026-11-20" -> "2026-11-28"
            "#]],
        );
    }

    #[test]
    fn term_findings_offer_their_suggestion() {
        check_actions(
            "//- /a.md\n# A\nWatch DCGM_FI_DEV_GPU_UT$0ILZ.\n",
            expect![[r#"
                Change to `DCGM_FI_DEV_GPU_UTIL` (fixes unknown-dcgm-field at 10..31) [preferred]
                  a.md "DCGM_FI_DEV_GPU_UTILZ" -> "DCGM_FI_DEV_GPU_UTIL"
                Suppress `unknown-dcgm-field` on this line
                  a.md "" -> "<!-- kbls-disable-next-line unknown-dcgm-field -->\n"
            "#]],
        );
    }
}
