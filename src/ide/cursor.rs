//! What is under the cursor: a link (and which part of it), a heading, a reference definition,
//! the date, or nothing.

use crate::graph::Note;
use crate::syntax::LinkTarget;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CursorItem {
    /// The link at this index of `syntax.links`.
    Link {
        idx: usize,
        part: LinkPart,
    },
    /// The heading at this index of `syntax.headings`.
    Heading(usize),
    /// The reference definition at this index of `syntax.link_defs`.
    LinkDef(usize),
    Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPart {
    /// The path, wiki stem or URL.
    Target,
    /// The `#fragment`.
    Fragment,
    /// The label of a reference link.
    Label,
    /// Anywhere else on the link (its text, brackets).
    Other,
}

pub fn item_at(note: &Note, offset: usize) -> Option<CursorItem> {
    let syntax = &note.syntax;
    let links = &syntax.links;
    let idx = links.partition_point(|l| (l.range.end as usize) < offset);
    if let Some(link) = links.get(idx).filter(|l| l.range.touches(offset)) {
        let part = match &link.target {
            LinkTarget::Path {
                path_range,
                fragment,
                ..
            }
            | LinkTarget::Wiki {
                stem_range: path_range,
                fragment,
                ..
            } => {
                if fragment.as_ref().is_some_and(|f| f.range.touches(offset)) {
                    LinkPart::Fragment
                } else if path_range.touches(offset) && !path_range.is_empty() {
                    LinkPart::Target
                } else {
                    LinkPart::Other
                }
            }
            LinkTarget::Reference { label_range, .. } if label_range.touches(offset) => {
                LinkPart::Label
            }
            _ => LinkPart::Other,
        };
        return Some(CursorItem::Link { idx, part });
    }
    if let Some(idx) = syntax.headings.iter().position(|h| h.range.touches(offset)) {
        return Some(CursorItem::Heading(idx));
    }
    if let Some(idx) = syntax
        .link_defs
        .iter()
        .position(|d| d.range.touches(offset))
    {
        return Some(CursorItem::LinkDef(idx));
    }
    if syntax
        .date
        .as_ref()
        .is_some_and(|d| d.line_range.touches(offset))
    {
        return Some(CursorItem::Date);
    }
    None
}

/// The reference label under the cursor, on a reference link's label or on a definition.
pub fn label_at(note: &Note, offset: usize) -> Option<String> {
    match item_at(note, offset)? {
        CursorItem::Link {
            idx,
            part: LinkPart::Label,
        } => match &note.syntax.links[idx].target {
            LinkTarget::Reference { label, .. } => Some(label.to_string()),
            _ => None,
        },
        CursorItem::LinkDef(idx) => Some(note.syntax.link_defs[idx].label.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{item_at, label_at};
    use crate::test_fixture;
    use expect_test::{expect, Expect};

    /// What is at the cursor, and the reference label there.
    #[track_caller]
    fn check(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let pos = fixture.position();
        let note = fixture.graph.note(pos.note);
        let res = format!(
            "{:?} label {:?}",
            item_at(note, pos.offset),
            label_at(note, pos.offset)
        );
        expect.assert_eq(&res);
    }

    #[test]
    fn parts_of_links() {
        check(
            "//- /a.md\n[te$0xt](b.md#c)\n",
            expect!["Some(Link { idx: 0, part: Other }) label None"],
        );
        check(
            "//- /a.md\n[text](b$0.md#c)\n",
            expect!["Some(Link { idx: 0, part: Target }) label None"],
        );
        check(
            "//- /a.md\n[text](b.md#$0c)\n",
            expect!["Some(Link { idx: 0, part: Fragment }) label None"],
        );
        check(
            "//- /a.md\n[[st$0em#frag|alias]]\n",
            expect!["Some(Link { idx: 0, part: Target }) label None"],
        );
        check(
            "//- /a.md\n[[stem#frag|ali$0as]]\n",
            expect!["Some(Link { idx: 0, part: Other }) label None"],
        );
        check(
            "//- /a.md\n[text][la$0bel]\n\n[label]: b.md\n",
            expect![[r#"Some(Link { idx: 0, part: Label }) label Some("label")"#]],
        );
        // Touching the end of a link still counts.
        check(
            "//- /a.md\n[text](b.md)$0 and\n",
            expect!["Some(Link { idx: 0, part: Other }) label None"],
        );
    }

    #[test]
    fn headings_definitions_dates_and_nothing() {
        check(
            "//- /a.md\n# A\n## B$0\n",
            expect!["Some(Heading(1)) label None"],
        );
        check(
            "//- /a.md\n# A\n\n[lab$0el]: b.md\n",
            expect![[r#"Some(LinkDef(0)) label Some("label")"#]],
        );
        check(
            "//- /a.md\n# A\n\nLast upd$0ated: 2026-01-01\n",
            expect!["Some(Date) label None"],
        );
        check(
            "//- /a.md\n# A\n\nPla$0in text.\n",
            expect!["None label None"],
        );
    }
}
