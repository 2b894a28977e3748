//! Link rules: `broken-link`, `broken-anchor`, `undefined-reference`, `ambiguous-wikilink`,
//! `link-outside-root`, and `duplicate-heading`.

use super::suggest;
use super::{Finding, Fix};
use crate::codes::Code;
use crate::graph::{relative_path, FragmentMatch, Graph, Note, Resolved};
use crate::syntax::{slug, Link, LinkKind, LinkTarget};
use crate::text::TextRange;

pub(super) fn check(graph: &Graph, note: &Note, findings: &mut Vec<Finding>) {
    // What every link reaches, also to rank the suggestions for the broken ones.
    let resolved: Vec<Resolved> = note
        .syntax
        .links
        .iter()
        .map(|link| graph.resolve(note, &link.target))
        .collect();
    // Gathered on the first broken link only: most notes have none.
    let reached = std::cell::OnceCell::new();
    let reached = || reached.get_or_init(|| suggest::Reached::new(note, &resolved));
    for (link, target) in note.syntax.links.iter().zip(&resolved) {
        check_link(graph, note, link, target, &reached, findings);
    }
}

/// Checks `link`, which resolves to `resolved_link`; `reached` says what the note's links reach.
fn check_link<'r>(
    graph: &Graph,
    note: &Note,
    link: &Link,
    resolved_link: &Resolved,
    reached: &impl Fn() -> &'r suggest::Reached,
    findings: &mut Vec<Finding>,
) {
    // Reference links are checked at their definition's target, but reported at the link.
    let (target, via_def) = match &link.target {
        LinkTarget::Reference { def: Some(idx), .. } => (&note.syntax.link_defs[*idx].target, true),
        target => (target, false),
    };
    let what = if link.is_image { "image" } else { "link" };
    match resolved_link {
        Resolved::External | Resolved::File { .. } => {}
        Resolved::Note {
            note: target_id,
            fragment: FragmentMatch::Missing,
        } => {
            let target_note = graph.note(*target_id);
            let Some(fragment) = target.fragment() else {
                return;
            };
            let range = if via_def {
                reference_range(link)
            } else {
                fragment.range
            };
            let is_wiki = matches!(target, LinkTarget::Wiki { .. });
            let closest = suggest::closest_heading(
                *target_id,
                target_note,
                &fragment.text,
                is_wiki,
                reached(),
            );
            let place = if std::ptr::eq(target_note, note) {
                "this note".to_string()
            } else {
                format!("`{}`", target_note.path)
            };
            let mut message = format!("no heading `#{}` in {place}", fragment.text);
            let mut finding = Finding::new(Code::BrokenAnchor, range, String::new());
            if let Some(anchor) = closest {
                message += &format!("; did you mean `#{anchor}`?");
                finding.suggestion = Some(format!("#{anchor}"));
                if !via_def {
                    finding.fix = Some(Fix {
                        range: fragment.range,
                        new_text: anchor.to_string(),
                    });
                }
            }
            finding.message = message;
            findings.push(finding);
        }
        Resolved::Note { .. } => {}
        Resolved::Missing { path } => {
            let range = if via_def {
                reference_range(link)
            } else {
                target_range(target, link)
            };
            let mut finding = Finding::new(Code::BrokenLink, range, String::new());
            let (message, closest) = match target {
                LinkTarget::Wiki { stem, .. } => {
                    let closest = suggest::closest_stem(graph, stem, note.dir(), reached());
                    (
                        format!("no note named `{stem}` for wiki-link"),
                        closest.map(|id| graph.note(id).stem().to_string()),
                    )
                }
                _ => {
                    let closest = suggest::closest_note(graph, path, reached());
                    (
                        format!(
                            "{what} target `{}` does not exist",
                            written_path(target, path)
                        ),
                        closest.map(|id| relative_path(note.dir(), &graph.note(id).path)),
                    )
                }
            };
            finding.message = match &closest {
                Some(closest) => format!("{message}; did you mean `{closest}`?"),
                None => message,
            };
            if let Some(closest) = closest {
                if !via_def {
                    finding.fix = Some(Fix {
                        range,
                        new_text: closest.clone(),
                    });
                }
                finding.suggestion = Some(closest);
            }
            findings.push(finding);
        }
        Resolved::FolderWithoutIndex { path } => {
            let range = if via_def {
                reference_range(link)
            } else {
                target_range(target, link)
            };
            findings.push(Finding::new(
                Code::BrokenLink,
                range,
                format!(
                    "folder `{}` has no index.md, _index.md or README.md to link to",
                    written_path(target, path)
                ),
            ));
        }
        Resolved::OutsideRoot => {
            let range = if via_def {
                reference_range(link)
            } else {
                target_range(target, link)
            };
            findings.push(Finding::new(
                Code::LinkOutsideRoot,
                range,
                format!("{what} climbs out of the corpus root; kbls does not follow it"),
            ));
        }
        Resolved::Ambiguous { candidates } => {
            let mut paths: Vec<&str> = candidates
                .iter()
                .map(|id| graph.note(*id).path.as_str())
                .collect();
            paths.sort();
            findings.push(Finding::new(
                Code::AmbiguousWikilink,
                target_range(target, link),
                format!(
                    "wiki-link matches {} notes: {}; use a path to choose one",
                    paths.len(),
                    paths.join(", ")
                ),
            ));
        }
        Resolved::UndefinedReference => check_undefined_reference(note, link, reached(), findings),
    }
}

fn check_undefined_reference(
    note: &Note,
    link: &Link,
    reached: &suggest::Reached,
    findings: &mut Vec<Finding>,
) {
    let LinkTarget::Reference {
        label, label_range, ..
    } = &link.target
    else {
        return;
    };
    if is_notation(note, link, label) {
        return;
    }
    let closest = suggest::closest_label(note, label, reached).map(String::from);
    // `[x]` alone is often just text in brackets; report it only when it clearly is a link:
    // its label is a near miss of a definition, or it looks like a path.
    if link.kind == LinkKind::ReferenceShortcut && closest.is_none() && !looks_like_path(label) {
        return;
    }
    let mut finding = Finding::new(
        Code::UndefinedReference,
        *label_range,
        format!("no definition `[{label}]: ...` for this reference link"),
    );
    if let Some(closest) = closest {
        finding.message += &format!("; did you mean `[{closest}]`?");
        finding.fix = Some(Fix {
            range: *label_range,
            new_text: closest.clone(),
        });
        finding.suggestion = Some(closest);
    }
    findings.push(finding);
}

/// Brackets that are notation, not a reference: glued to the word before them (Go's
/// `map[string][]string`, `resource[/subresource]`), or a regular expression's character class
/// (`[a-z0-9][-a-z0-9]*`). An undefined reference renders as the text it is, so these read as
/// their authors meant them.
fn is_notation(note: &Note, link: &Link, label: &str) -> bool {
    let note_text = note.text();
    let glued = note_text[..link.range.as_usize().start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let text = link.text.map_or("", |range| &note_text[range.as_usize()]);
    glued || is_character_class(label) || is_character_class(text)
}

/// `0-9a-f`, `-A-Za-z0-9_.`: no spaces, and a range from the start of letters or digits to an
/// end (`a-z`, `A-F`, `0-9`, `1-7`).
fn is_character_class(label: &str) -> bool {
    let bytes = label.as_bytes();
    !label.contains(char::is_whitespace)
        && bytes.windows(3).any(|w| {
            w[1] == b'-'
                && matches!(
                    (w[0], w[2]),
                    (b'a' | b'A', b'f'..=b'z' | b'F'..=b'Z') | (b'0' | b'1', b'7'..=b'9')
                )
        })
}

fn looks_like_path(label: &str) -> bool {
    !label.contains(' ') && (label.ends_with(".md") || label.contains('/'))
}

/// The range to flag for a target: the path or stem as written, else the whole link.
fn target_range(target: &LinkTarget, link: &Link) -> TextRange {
    let range = match target {
        LinkTarget::Path { path_range, .. } => *path_range,
        LinkTarget::Wiki { stem_range, .. } => *stem_range,
        _ => link.range,
    };
    if range.is_empty() {
        link.range
    } else {
        range
    }
}

/// The path of `target` as the note writes it (percent-decoded), so a message names it the way
/// its suggestion does; `normalized` (relative to the root) when the target has no path.
fn written_path<'a>(target: &'a LinkTarget, normalized: &'a str) -> &'a str {
    match target {
        LinkTarget::Path { path, .. } if !path.is_empty() => path,
        _ => normalized,
    }
}

fn reference_range(link: &Link) -> TextRange {
    match &link.target {
        LinkTarget::Reference { label_range, .. } => *label_range,
        _ => link.range,
    }
}

pub(super) fn check_duplicate_headings(note: &Note, findings: &mut Vec<Finding>) {
    let headings = &note.syntax.headings;
    if headings.len() < 2 {
        return;
    }
    // Each heading's slug, computed once (`None` for custom ids, which never repeat a slug).
    let slugs: Vec<Option<String>> = headings
        .iter()
        .map(|h| (!h.custom_id).then(|| slug(&h.text)))
        .collect();
    // The first heading with each slug: one pass, however many headings repeat.
    let mut first_with: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for (idx, heading) in headings.iter().enumerate() {
        let Some(base) = &slugs[idx] else {
            continue;
        };
        let first = *first_with.entry(base.as_str()).or_insert(idx);
        if first != idx {
            let line = note
                .line_index()
                .line_of(headings[first].range.start as usize)
                + 1;
            findings.push(Finding::new(
                Code::DuplicateHeading,
                heading.text_range,
                format!("heading `#{base}` repeats the one on line {line}; links reach this one as `#{}`", heading.anchor),
            ));
        }
    }
}
