//! Links found in a note: Markdown links and images of every CommonMark kind, wiki-links and
//! reference definitions, with the byte ranges of their parts.

use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    pub is_image: bool,
    /// The whole link, from `[` (or `![`, `[[`, `<`) to its end.
    pub range: TextRange,
    /// The link text or alt text as written between the brackets (`None` for autolinks).
    pub text: Option<TextRange>,
    pub target: LinkTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)` or `![alt](dest)`.
    Inline,
    /// `[text][label]`.
    ReferenceFull,
    /// `[label][]`.
    ReferenceCollapsed,
    /// `[label]`.
    ReferenceShortcut,
    /// `<https://...>` or `<me@example.org>`.
    Autolink,
    /// `[[note]]`, `[[note|alias]]`, `[[note#Heading]]`, `[[#Heading]]`.
    Wiki,
    /// mdBook's `{{#include path}}`, `{{#rustdoc_include path}}`, `{{#playground path}}`.
    Include,
    /// Hugo's `{{< ref "path" >}}` and `{{< relref "path" >}}` (and their `{{% %}}` forms).
    Shortcode,
}

/// Where a link points, split into the parts that are resolved and reported separately.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A URL with a scheme (`https:`, `mailto:`, ...), or a path a Hugo shortcode fills in:
    /// never checked.
    External { url: Box<str> },
    /// A path in the corpus, percent-decoded. `path` is empty for a same-note `#fragment` link.
    Path {
        path: Box<str>,
        path_range: TextRange,
        fragment: Option<Fragment>,
    },
    /// A wiki-link to a note by file stem (empty for `[[#Heading]]`).
    Wiki {
        stem: Box<str>,
        stem_range: TextRange,
        fragment: Option<Fragment>,
    },
    /// A reference-style link; `def` is the index of its definition in
    /// `NoteSyntax::link_defs`, `None` when undefined.
    Reference {
        label: Box<str>,
        label_range: TextRange,
        def: Option<usize>,
    },
}

/// A `#fragment` (or the `#Heading` of a wiki-link): the decoded text and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragment {
    pub text: Box<str>,
    /// The fragment without its `#`.
    pub range: TextRange,
}

/// `[label]: destination "title"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkDef {
    /// The label as written (matching is case-insensitive with collapsed whitespace).
    pub label: String,
    pub label_range: TextRange,
    pub range: TextRange,
    /// The destination parsed like an inline link's; never `Reference`.
    pub target: LinkTarget,
}

impl LinkTarget {
    pub fn fragment(&self) -> Option<&Fragment> {
        match self {
            LinkTarget::Path { fragment, .. } | LinkTarget::Wiki { fragment, .. } => {
                fragment.as_ref()
            }
            _ => None,
        }
    }
}

/// Splits the inside of `[[target#fragment|alias]]`, written from byte `inner_start`, into the
/// range of the text shown (the alias, else the target) and the target. In a table cell the
/// alias bar is escaped (`[[a\\|b]]`); the backslash is not part of the target.
pub(crate) fn wiki_parts(inner: &str, inner_start: usize) -> (TextRange, LinkTarget) {
    let bar = inner.find('|');
    let target_raw = match bar {
        Some(bar) => inner[..bar].strip_suffix('\\').unwrap_or(&inner[..bar]),
        None => inner,
    };
    let text = match bar {
        Some(bar) => TextRange::new(inner_start + bar + 1, inner_start + inner.len()),
        None => TextRange::new(inner_start, inner_start + inner.len()),
    };
    let (stem_raw, fragment) = match target_raw.find('#') {
        Some(hash) => (
            &target_raw[..hash],
            Some(Fragment {
                text: target_raw[hash + 1..].trim().into(),
                range: TextRange::new(inner_start + hash + 1, inner_start + target_raw.len()),
            }),
        ),
        None => (target_raw, None),
    };
    let target = LinkTarget::Wiki {
        stem: stem_raw.trim().into(),
        stem_range: TextRange::new(inner_start, inner_start + stem_raw.trim_end().len()),
        fragment,
    };
    (text, target)
}

/// Normalizes a reference label for matching: case-folded, inner whitespace collapsed.
pub fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a destination has a URL scheme (`http:`, `mailto:`, `vscode:`), i.e. is not a path.
/// A single letter before `:` is a Windows drive, not a scheme.
pub fn has_scheme(dest: &str) -> bool {
    let bytes = dest.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    // The scheme runs to the first character a scheme cannot hold, which must be the `:`.
    let end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')));
    end.is_some_and(|end| end > 1 && bytes[end] == b':')
}

/// Parses a raw destination written at `dest_range` (as it appears in the source, possibly
/// percent-encoded and with a `#fragment`) into a target.
pub(crate) fn parse_destination(raw: &str, dest_range: TextRange) -> LinkTarget {
    if has_scheme(raw) {
        return LinkTarget::External { url: raw.into() };
    }
    let (path_raw, fragment) = match raw.find('#') {
        Some(hash) => {
            let frag_start = dest_range.start as usize + hash + 1;
            let frag_raw = &raw[hash + 1..];
            (
                &raw[..hash],
                Some(Fragment {
                    text: percent_decode(frag_raw).into(),
                    range: TextRange::new(frag_start, frag_start + frag_raw.len()),
                }),
            )
        }
        None => (raw, None),
    };
    // Query strings are not part of the file name.
    let path_raw = path_raw.split('?').next().unwrap_or_default();
    LinkTarget::Path {
        path: percent_decode(path_raw).into(),
        path_range: TextRange::new(
            dest_range.start as usize,
            dest_range.start as usize + path_raw.len(),
        ),
        fragment,
    }
}

pub fn percent_decode(raw: &str) -> String {
    if !raw.contains('%') {
        return raw.to_string();
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// Finds the destination of an inline link in its source text `span` (which starts at `[` or
/// `![`): the part after the `](` that follows the link text, without `<...>` brackets.
/// Returns the destination's range relative to `span`.
pub(crate) fn inline_destination(span: &str, text_end: usize) -> Option<(usize, usize)> {
    // The `](` is usually right at `text_end`.
    let bytes = span.as_bytes();
    let mut close = text_end;
    let open = loop {
        close += memchr::memchr(b']', bytes.get(close..)?)?;
        if bytes.get(close + 1) == Some(&b'(') {
            break close + 2;
        }
        close += 1;
    };
    let rest = &span[open..];
    let skipped = rest.len() - rest.trim_start().len();
    let start = open + skipped;
    if bytes.get(start) == Some(&b'<') {
        let end = start + 1 + span[start + 1..].find('>')?;
        return Some((start + 1, end));
    }
    let mut depth = 0usize;
    let mut end = start;
    while end < bytes.len() {
        match bytes[end] {
            b'\\' => end += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b if b.is_ascii_whitespace() => break,
            _ => {}
        }
        end += 1;
    }
    Some((start, end.min(bytes.len())))
}

/// Finds the destination of a reference definition `[label]: dest` in its source `span`.
/// Returns (label range, destination range), relative to `span`.
pub(crate) fn definition_parts(span: &str) -> Option<((usize, usize), (usize, usize))> {
    let label_start = span.find('[')? + 1;
    let label_end = label_start + span[label_start..].find("]:")?;
    let after = label_end + 2;
    let rest = &span[after..];
    let start = after + (rest.len() - rest.trim_start().len());
    let bytes = span.as_bytes();
    if bytes.get(start) == Some(&b'<') {
        let end = start + 1 + span[start + 1..].find('>')?;
        return Some(((label_start, label_end), (start + 1, end)));
    }
    let len = span[start..]
        .find(|c: char| c.is_whitespace())
        .unwrap_or(span.len() - start);
    Some(((label_start, label_end), (start, start + len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_destinations() {
        let span = "[a (b)](path/to.md#x \"title\")";
        let (s, e) = inline_destination(span, 1).unwrap();
        assert_eq!(&span[s..e], "path/to.md#x");
        let span = "[x](<my note.md>)";
        let (s, e) = inline_destination(span, 1).unwrap();
        assert_eq!(&span[s..e], "my note.md");
        let span = "[x](wiki/Foo_(bar).md)";
        let (s, e) = inline_destination(span, 1).unwrap();
        assert_eq!(&span[s..e], "wiki/Foo_(bar).md");
        // A `]` in the text before the one that closes it.
        let span = "[a] b](c.md)";
        let (s, e) = inline_destination(span, 1).unwrap();
        assert_eq!(&span[s..e], "c.md");
        assert_eq!(inline_destination("[a]", 1), None);
    }

    #[test]
    fn schemes_are_external_but_drives_are_not() {
        assert!(has_scheme("https://example.com"));
        assert!(has_scheme("mailto:me@example.org"));
        assert!(!has_scheme("C:/notes/a.md"));
        assert!(!has_scheme("notes/a.md"));
        assert!(!has_scheme("#anchor:colon"));
        assert!(has_scheme("git+ssh.v2-x:host"));
        for not_scheme in ["", "ab", "a:b", "1ab:x", "ab/c:d", "a b:c", "é:x"] {
            assert!(!has_scheme(not_scheme), "{not_scheme:?}");
        }
    }

    #[test]
    fn decodes_paths_and_fragments() {
        let target = parse_destination("my%20note.md#caf%C3%A9", TextRange::new(10, 32));
        let LinkTarget::Path {
            path,
            path_range,
            fragment,
        } = target
        else {
            panic!("not a path")
        };
        assert_eq!(&*path, "my note.md");
        assert_eq!(path_range, TextRange::new(10, 22));
        let fragment = fragment.unwrap();
        assert_eq!(&*fragment.text, "café");
        assert_eq!(fragment.range, TextRange::new(23, 32));
    }
}
