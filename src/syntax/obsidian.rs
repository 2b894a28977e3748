//! Obsidian's additions to Markdown: `%%comments%%` (not content), `^block-id` markers that
//! `#^block-id` fragments name, and wiki-links in front matter properties.

use super::links::{self, Link, LinkKind};
use crate::text::TextRange;

/// The `%%…%%` comments of `text` from byte `start`, delimiters included. A comment runs across
/// lines; one never closed runs to the end, as Obsidian hides it. `%%` inside fenced code or a
/// code span opens nothing.
pub(crate) fn comments(text: &str, start: usize) -> Vec<TextRange> {
    let mut res = Vec::new();
    let bytes = text.as_bytes();
    if memchr::memmem::find(&bytes[start..], b"%%").is_none() {
        return res;
    }
    // The start of the comment being read, and the fence of the code block being read.
    let mut open: Option<usize> = None;
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = start;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        let mut pos = line_start;
        if open.is_none() {
            if let Some((ch, len)) = fence_of(&text[line_start..line_end]) {
                fence = match fence {
                    None => Some((ch, len)),
                    Some((open_ch, open_len)) if open_ch == ch && len >= open_len => None,
                    other => other,
                };
                pos = line_end;
            } else if fence.is_some() {
                pos = line_end;
            }
        }
        while pos < line_end {
            if let Some(from) = open {
                match memchr::memmem::find(&bytes[pos..line_end], b"%%") {
                    Some(i) => {
                        res.push(TextRange::new(from, pos + i + 2));
                        open = None;
                        pos += i + 2;
                    }
                    None => pos = line_end,
                }
                continue;
            }
            match bytes[pos] {
                b'`' => {
                    let run = bytes[pos..line_end]
                        .iter()
                        .take_while(|&&b| b == b'`')
                        .count();
                    let ticks = &text[pos..pos + run];
                    pos += run + text[pos + run..line_end].find(ticks).map_or(0, |i| i + run);
                }
                b'%' if bytes.get(pos + 1) == Some(&b'%') => {
                    open = Some(pos);
                    pos += 2;
                }
                _ => pos += 1,
            }
        }
        line_start = line_end + 1;
    }
    if let Some(from) = open {
        res.push(TextRange::new(from, bytes.len()));
    }
    res
}

/// The fence character and length of a fence line (```` ``` ````, `~~~`, at most 3 spaces in).
fn fence_of(line: &str) -> Option<(u8, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let ch = *trimmed.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = trimmed.bytes().take_while(|&b| b == ch).count();
    (len >= 3).then_some((ch, len))
}

/// An id a fragment can name besides a heading's: an Obsidian `^block-id`, a Hugo definition term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// What a fragment writes: `^rack-a` for a block, the term's id for a definition term.
    pub id: String,
    /// The marker, or the term.
    pub range: TextRange,
}

/// The `^block-id` markers ending a line of a block (or standing on their own line after it),
/// outside code; `is_code` tells code and front matter.
pub(crate) fn block_ids(text: &str, is_code: impl Fn(usize) -> bool) -> Vec<Anchor> {
    let mut res = Vec::new();
    let bytes = text.as_bytes();
    for caret in memchr::memchr_iter(b'^', bytes) {
        let id_len = bytes[caret + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if id_len == 0 {
            continue;
        }
        let end = caret + 1 + id_len;
        let rest = &text[end..];
        let line_rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
        // After a space, or right after an embed or link (`![[x.png]]^id`), as Obsidian reads it.
        let starts_word =
            caret == 0 || matches!(bytes[caret - 1], b' ' | b'\t' | b'\n' | b']' | b')');
        if !starts_word || !line_rest.trim().is_empty() || is_code(caret) {
            continue;
        }
        res.push(Anchor {
            id: text[caret..end].to_string(),
            range: TextRange::new(caret, end),
        });
    }
    res
}

/// The `[[wiki-links]]` written in front matter property values (`related: "[[GPU Cluster]]"`).
pub(crate) fn front_matter_links(text: &str, block: TextRange) -> Vec<Link> {
    let mut res = Vec::new();
    let content = &text[block.as_usize()];
    let mut pos = 0;
    while let Some(open) = content[pos..].find("[[") {
        let open = pos + open;
        let Some(close) = content[open + 2..].find("]]") else {
            break;
        };
        let inner = &content[open + 2..open + 2 + close];
        pos = open + 2 + close + 2;
        if inner.contains('\n') || inner.trim().is_empty() {
            continue;
        }
        let base = block.start as usize + open;
        let (text_range, target) = links::wiki_parts(inner, base + 2);
        res.push(Link {
            kind: LinkKind::Wiki,
            is_image: false,
            range: TextRange::new(base, base + 2 + close + 2),
            text: Some(text_range),
            target,
        });
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, ranges: &[TextRange]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.as_usize()]).collect()
    }

    #[test]
    fn comments_inline_block_and_in_code() {
        let text = "a %%one%% b %%two\nlines%% c %%three%%\n`%%no%%` and\n```\n%%no%%\n```\nend %%open\nto the end";
        assert_eq!(
            texts(text, &comments(text, 0)),
            [
                "%%one%%",
                "%%two\nlines%%",
                "%%three%%",
                "%%open\nto the end"
            ]
        );
        assert!(comments("no comments here", 0).is_empty());
    }

    #[test]
    fn block_ids_end_a_line() {
        let text = "A paragraph. ^rack-a\n\n- item ^item1\n\n^own-line\n\n![[x.png]]^image\n\nnot^this and ^not-end here\n";
        let ids: Vec<String> = block_ids(text, |_| false)
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(ids, ["^rack-a", "^item1", "^own-line", "^image"]);
    }

    #[test]
    fn wiki_links_in_front_matter() {
        let text = "---\nrelated: \"[[GPU Cluster]]\"\nsee:\n  - \"[[Rack#Power|power]]\"\n---\n";
        let links = front_matter_links(text, TextRange::new(0, text.len()));
        let stems: Vec<String> = links
            .iter()
            .map(|l| match &l.target {
                super::super::LinkTarget::Wiki { stem, .. } => stem.to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(stems, ["GPU Cluster", "Rack"]);
        assert_eq!(&text[links[1].text.unwrap().as_usize()], "power");
    }
}
