//! Hugo shortcodes: `{{< name args >}}` and `{{% name args %}}`, alone or around a body.
//!
//! `ref` and `relref` are links. Every shortcode is hidden from the Markdown parser, and so is
//! the body of a `{{< >}}` pair, which Hugo hands to the shortcode's template rather than to
//! Markdown; the body of a `{{% %}}` pair is Markdown.

use super::links::{parse_destination, Link, LinkKind, LinkTarget};
use crate::text::TextRange;

/// What the parser must not read as Markdown, and the links the shortcodes make.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Shortcodes {
    /// Ranges to blank out before parsing: every shortcode and every `{{< >}}` pair's body.
    pub(crate) hidden: Vec<TextRange>,
    /// `{{< ref >}}` and `{{< relref >}}` outside hidden bodies, with the range of the path.
    pub(crate) refs: Vec<Link>,
    /// Every shortcode that stands alone (no body), with its first argument.
    pub(crate) inline: Vec<(TextRange, String)>,
    /// Shortcodes written inside a word or URL (`…/{{< param "version" >}}/#x`, `v{{< skew >}}`):
    /// Hugo puts their output there, so they are blanked to letters, not spaces, and a link
    /// destination holding one is filled in by the site (not checked).
    pub(crate) in_words: Vec<TextRange>,
}

struct Token {
    range: TextRange,
    name: String,
    /// `{{% %}}`: the body is Markdown.
    markdown: bool,
    closing: bool,
    self_closing: bool,
    /// The first argument and where it is written (for `ref`).
    arg: Option<(String, TextRange)>,
}

/// The shortcodes of `text` from byte `start`.
pub(crate) fn scan(text: &str, start: usize) -> Shortcodes {
    let mut res = Shortcodes::default();
    let tokens = tokens(text, start);
    if tokens.is_empty() {
        return res;
    }
    // Pairs by name, innermost first closed; an opener never closed stands alone.
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (idx, token) in tokens.iter().enumerate() {
        if token.closing {
            if let Some(depth) = stack.iter().rposition(|&o| tokens[o].name == token.name) {
                pairs.push((stack[depth], idx));
                stack.truncate(depth);
            }
        } else if !token.self_closing {
            stack.push(idx);
        }
    }
    let body = |(o, c): (usize, usize)| (tokens[o].range.end, tokens[c].range.start);
    let full = |(o, c): (usize, usize)| (tokens[o].range.start, tokens[c].range.end);
    // The innermost pair around a range.
    let innermost = |start: u32, end: u32| {
        pairs
            .iter()
            .copied()
            .filter(|&pair| body(pair).0 <= start && end <= body(pair).1)
            .max_by_key(|&pair| body(pair).0)
    };
    let hidden_body = |at: u32| innermost(at, at).is_some_and(|(o, _)| !tokens[o].markdown);
    for &pair in &pairs {
        if tokens[pair.0].markdown {
            continue;
        }
        // The body, less the `{{% %}}` pairs right inside it, whose bodies are Markdown again.
        let (mut from, to) = body(pair);
        let mut inside: Vec<(u32, u32)> = pairs
            .iter()
            .copied()
            .filter(|&inner| tokens[inner.0].markdown)
            .filter(|&inner| innermost(full(inner).0, full(inner).1) == Some(pair))
            .map(full)
            .collect();
        inside.sort();
        for (start, end) in inside {
            res.hidden
                .push(TextRange::new(from as usize, start as usize));
            from = end;
        }
        res.hidden.push(TextRange::new(from as usize, to as usize));
    }
    res.hidden.retain(|r| !r.is_empty());
    for token in &tokens {
        let glued = text[..token.range.as_usize().start]
            .bytes()
            .next_back()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"/.-_=?#:&".contains(&b));
        let paired = pairs
            .iter()
            .any(|&(o, c)| tokens[o].range == token.range || tokens[c].range == token.range);
        if glued && !paired && !matches!(token.name.as_str(), "ref" | "relref") {
            res.in_words.push(token.range);
            continue;
        }
        res.hidden.push(token.range);
        if let Some((arg, _)) = &token.arg {
            if !token.closing && !pairs.iter().any(|(o, _)| tokens[*o].range == token.range) {
                res.inline.push((token.range, arg.clone()));
            }
        }
        if token.closing || !matches!(token.name.as_str(), "ref" | "relref") {
            continue;
        }
        let Some((path, path_range)) = &token.arg else {
            continue;
        };
        if hidden_body(token.range.start) {
            continue;
        }
        res.refs.push(Link {
            kind: LinkKind::Shortcode,
            is_image: false,
            range: token.range,
            text: None,
            target: parse_destination(path, *path_range),
        });
    }
    res.hidden.sort_by_key(|r| r.start);
    res
}

/// A destination with a shortcode in it (`/docs/{{< param "version" >}}/x`) is the site's to fill
/// in: kbls cannot know it, so it is left unchecked as an external URL is, and the URL is the one
/// written (`parsed` is the copy with the shortcodes blanked, `text` the note).
pub(crate) fn fill_in_by_site(
    range: TextRange,
    target: &mut LinkTarget,
    in_words: &[TextRange],
    parsed: &str,
    text: &str,
) {
    let overlaps = |from: usize, to: usize| {
        in_words
            .iter()
            .any(|code| from < code.end as usize && (code.start as usize) < to)
    };
    match target {
        LinkTarget::Path {
            path_range,
            fragment,
            ..
        } => {
            let from = path_range.as_usize().start;
            let to = fragment.as_ref().map_or(path_range.end, |f| f.range.end) as usize;
            if overlaps(from, to) {
                *target = LinkTarget::External {
                    url: text[from..to].into(),
                };
            }
        }
        LinkTarget::External { url } => {
            let span = range.as_usize();
            if let Some(at) = parsed[span.clone()].find(&**url) {
                let (from, to) = (span.start + at, span.start + at + url.len());
                if overlaps(from, to) {
                    *url = text[from..to].into();
                }
            }
        }
        _ => {}
    }
}

fn tokens(text: &str, start: usize) -> Vec<Token> {
    let mut res = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = start;
    while let Some(found) = memchr::memmem::find(&bytes[pos..], b"{{") {
        let open = pos + found;
        pos = open + 2;
        let markdown = match bytes.get(open + 2) {
            Some(b'<') => false,
            Some(b'%') => true,
            _ => continue,
        };
        let closer: &[u8] = if markdown { b"%}}" } else { b">}}" };
        let Some(len) = memchr::memmem::find(&bytes[open + 3..], closer) else {
            continue;
        };
        let end = open + 3 + len + 3;
        let inner = &text[open + 3..open + 3 + len];
        // `{{</* x */>}}` is how Hugo's docs write a shortcode literally.
        if inner.trim_start().starts_with("/*") {
            pos = end;
            continue;
        }
        let inner_start = open + 3;
        let trimmed = inner.trim();
        let closing = trimmed.starts_with('/');
        let self_closing = trimmed.ends_with('/');
        let body = trimmed.trim_start_matches('/').trim_end_matches('/').trim();
        let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
        let args_at = inner_start + inner.find(name.as_str()).unwrap_or(0) + name.len();
        res.push(Token {
            range: TextRange::new(open, end),
            name,
            markdown,
            closing,
            self_closing,
            arg: first_arg(text, args_at, open + 3 + len),
        });
        pos = end;
    }
    res
}

/// The first argument between `from` and `to`: quoted, bare, or `path="..."`.
fn first_arg(text: &str, from: usize, to: usize) -> Option<(String, TextRange)> {
    let args = &text[from..to];
    let skipped = args.len() - args.trim_start().len();
    let mut at = from + skipped;
    let mut rest = &text[at..to];
    if let Some(named) = rest.strip_prefix("path=") {
        at += 5;
        rest = named;
    }
    let (value_start, value_len) = match rest.as_bytes().first()? {
        quote @ (b'"' | b'`' | b'\'') => (1, rest[1..].find(*quote as char)?),
        _ => (
            0,
            rest.find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(rest.len()),
        ),
    };
    let start = at + value_start;
    let value = &text[start..start + value_len];
    (!value.is_empty()).then(|| (value.to_string(), TextRange::new(start, start + value_len)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::LinkTarget;

    fn hidden(text: &str) -> Vec<&str> {
        scan(text, 0)
            .hidden
            .iter()
            .map(|r| &text[r.as_usize()])
            .collect()
    }

    #[test]
    fn refs_are_links_with_the_path_range() {
        let text = "[a]({{< ref \"docs/a.md#x\" >}}) and {{% relref path=\"/b/\" %}} {{< ref c >}}";
        let refs = scan(text, 0).refs;
        let paths: Vec<(String, &str)> = refs
            .iter()
            .map(|l| match &l.target {
                LinkTarget::Path {
                    path, path_range, ..
                } => (path.to_string(), &text[path_range.as_usize()]),
                _ => panic!("not a path"),
            })
            .collect();
        assert_eq!(
            paths,
            [
                ("docs/a.md".to_string(), "docs/a.md"),
                ("/b/".to_string(), "/b/"),
                ("c".to_string(), "c")
            ]
        );
        assert_eq!(&*refs[0].target.fragment().unwrap().text, "x");
    }

    #[test]
    fn angle_bodies_are_hidden_percent_bodies_are_markdown() {
        let text = "{{< code-toggle >}}[x](y.md){{< /code-toggle >}} {{% note %}}[k](k.md){{% /note %}} {{< tabs >}}{{% tab %}}md{{% /tab %}}{{< /tabs >}}";
        assert_eq!(
            hidden(text),
            [
                "{{< code-toggle >}}",
                "[x](y.md)",
                "{{< /code-toggle >}}",
                "{{% note %}}",
                "{{% /note %}}",
                "{{< tabs >}}",
                "{{% tab %}}",
                "{{% /tab %}}",
                "{{< /tabs >}}",
            ]
        );
    }

    #[test]
    fn standalone_shortcodes_keep_their_first_argument() {
        let text = "## {{% heading \"options\" %}}\n{{< note >}}x{{< /note >}}";
        let inline: Vec<String> = scan(text, 0).inline.into_iter().map(|(_, a)| a).collect();
        assert_eq!(inline, ["options"]);
    }

    #[test]
    fn refs_in_hidden_bodies_and_literal_shortcodes_are_no_links() {
        let text = "{{< highlight >}}{{< ref \"a\" >}}{{< /highlight >}} {{</* ref \"b\" */>}}";
        assert!(scan(text, 0).refs.is_empty());
    }
}
