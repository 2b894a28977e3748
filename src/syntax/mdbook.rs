//! mdBook's include directives: `{{#include path}}`, `{{#rustdoc_include path}}` and
//! `{{#playground path}}`, with an optional `:anchor` or line range after the path. mdBook
//! expands them everywhere, code blocks included, so they are found in the raw text.

use super::links::{Link, LinkKind, LinkTarget};
use crate::text::TextRange;

const DIRECTIVES: [&str; 3] = ["include", "rustdoc_include", "playground"];

/// The include directives of `text` from byte `start`, as links to the file they include.
pub(crate) fn includes(text: &str, start: usize) -> Vec<Link> {
    let mut res = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = start;
    while let Some(found) = memchr::memmem::find(&bytes[pos..], b"{{#") {
        let open = pos + found;
        pos = open + 3;
        let Some(len) = memchr::memmem::find(&bytes[pos..], b"}}") else {
            break;
        };
        let inner = &text[pos..pos + len];
        let end = pos + len + 2;
        let name_len = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        if !DIRECTIVES.contains(&&inner[..name_len]) || inner.contains('\n') {
            continue;
        }
        let args = &inner[name_len..];
        let path_start = pos + name_len + (args.len() - args.trim_start().len());
        let arg = text[path_start..pos + len]
            .split_whitespace()
            .next()
            .unwrap_or_default();
        // `path:anchor`, `path:10`, `path:10:20`, `path::20`: the file ends at the first colon.
        let path = &arg[..arg.find(':').unwrap_or(arg.len())];
        if path.is_empty() {
            continue;
        }
        res.push(Link {
            kind: LinkKind::Include,
            is_image: false,
            range: TextRange::new(open, end),
            text: None,
            target: LinkTarget::Path {
                path: path.into(),
                path_range: TextRange::new(path_start, path_start + path.len()),
                fragment: None,
            },
        });
        pos = end;
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_with_anchors_and_ranges() {
        let text = "```rust\n{{#rustdoc_include ../listings/a/src/main.rs:here}}\n```\n{{#include b.rs:10:20}} {{#playground c.rs editable}} {{#title x}} {{#include  d.rs }}";
        let paths: Vec<&str> = includes(text, 0)
            .iter()
            .map(|l| match &l.target {
                LinkTarget::Path { path_range, .. } => &text[path_range.as_usize()],
                _ => "",
            })
            .collect();
        assert_eq!(paths, ["../listings/a/src/main.rs", "b.rs", "c.rs", "d.rs"]);
    }
}
