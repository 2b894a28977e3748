//! Headings and their anchors, computed with GitHub's slug algorithm.

use crate::dialect::HeadingIds;
use crate::text::TextRange;
// Combining marks (Unicode category M) are kept by GitHub.
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    /// The rendered heading text (Markdown markup removed), as the anchor is computed from it.
    pub text: String,
    /// The anchor a link fragment must match: the `{#custom-id}` when given, else the GitHub slug
    /// with its duplicate suffix (`setup`, `setup-1`, ...).
    pub anchor: String,
    /// Whether the anchor comes from a `{#custom-id}` attribute.
    pub custom_id: bool,
    /// Hugo: the heading is a shortcode (`## {{% heading "whatsnext" %}}`) and `text` its
    /// argument, not what the site renders (`What's next`): the anchor is a guess.
    pub from_shortcode: bool,
    /// The whole heading, markers included (both lines of a setext heading).
    pub range: TextRange,
    /// The heading's text without `#` markers, trailing `#`s or the attribute block.
    pub text_range: TextRange,
    /// From the heading's start to the start of the next heading of the same or a higher level.
    pub section: TextRange,
}

/// The GitHub anchor of a heading text: lowercase, punctuation other than `-` and `_` dropped,
/// spaces turned into `-`. Letters and digits of every script are kept; emoji are dropped.
pub fn slug(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        // Most headings: byte by byte.
        let bytes = text.bytes().filter_map(ascii_slug_byte).collect();
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let mut res = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii() {
            if let Some(byte) = ascii_slug_byte(ch as u8) {
                res.push(char::from(byte));
            }
        } else if ch.is_alphanumeric() || is_combining_mark(ch) {
            res.extend(ch.to_lowercase());
        }
    }
    res
}

/// What [`slug`] makes of an ASCII character, without the Unicode tables: a space is `-`, a
/// letter or digit is kept lowercased, so are `-` and `_`, and the rest is dropped.
fn ascii_slug_byte(byte: u8) -> Option<u8> {
    match byte {
        b' ' => Some(b'-'),
        b'-' | b'_' => Some(byte),
        _ if byte.is_ascii_alphanumeric() => Some(byte.to_ascii_lowercase()),
        _ => None,
    }
}

/// The id a heading's text gets under `algorithm` (before any duplicate suffix).
pub fn heading_id(text: &str, algorithm: HeadingIds) -> String {
    match algorithm {
        HeadingIds::Github => slug(text),
        // Hugo's: accents removed (decomposed, so `é` is `e` and a mark), then everything not
        // ASCII.
        HeadingIds::GithubAscii => slug(&text.nfd().filter(char::is_ascii).collect::<String>()),
        HeadingIds::Blackfriday => blackfriday_id(text),
    }
}

/// Blackfriday's `SanitizedAnchorName`: letters and digits lowercased, every run of other
/// characters between two of them one `-`.
fn blackfriday_id(text: &str) -> String {
    words_joined(text, '-')
}

/// The letters and digits of `text`, lowercased, every run of other characters between two of
/// them one `separator` (Blackfriday's ids with `-`, Obsidian's heading matching with a space).
pub(crate) fn words_joined(text: &str, separator: char) -> String {
    let mut res = String::with_capacity(text.len());
    let mut between = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if between && !res.is_empty() {
                res.push(separator);
            }
            between = false;
            res.extend(ch.to_lowercase());
        } else {
            between = true;
        }
    }
    res
}

/// Gives every heading its anchor: custom ids win, and repeated slugs get `-1`, `-2`, ... in
/// document order, as GitHub renders them.
pub(crate) fn assign_anchors(
    headings: &mut [Heading],
    custom_ids: &[Option<String>],
    algorithm: HeadingIds,
) {
    // Slugs first, then the number of earlier headings with the same slug (counted on borrowed
    // slugs), then the anchors: one String per heading.
    let slugs: Vec<Option<String>> = headings
        .iter()
        .zip(custom_ids)
        .map(|(heading, custom)| {
            custom
                .is_none()
                .then(|| heading_id(&heading.text, algorithm))
        })
        .collect();
    let mut seen: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let counts: Vec<u32> = slugs
        .iter()
        .map(|base| {
            let Some(base) = base else { return 0 };
            let count = seen.entry(base.as_str()).or_insert(0);
            *count += 1;
            *count - 1
        })
        .collect();
    drop(seen);
    for (((heading, custom), base), count) in
        headings.iter_mut().zip(custom_ids).zip(slugs).zip(counts)
    {
        if let Some(id) = custom {
            heading.anchor = id.clone();
            heading.custom_id = true;
            continue;
        }
        let base = base.unwrap_or_default();
        heading.anchor = if count == 0 {
            base
        } else {
            format!("{base}-{count}")
        };
    }
}

#[cfg(test)]
mod tests {
    use super::{heading_id, slug, HeadingIds};

    #[test]
    fn hugo_heading_id_types() {
        let cases = [
            ("kubectl apply -f", "kubectl-apply--f", "kubectl-apply-f"),
            ("What's new? (v1.2)", "whats-new-v12", "what-s-new-v1-2"),
            ("Café ☕ Notes", "cafe--notes", "café-notes"),
            (
                "Ångström über naïve",
                "angstrom-uber-naive",
                "ångström-über-naïve",
            ),
            ("CPU & Memory", "cpu--memory", "cpu-memory"),
        ];
        for (text, ascii, blackfriday) in cases {
            assert_eq!(heading_id(text, HeadingIds::GithubAscii), ascii, "{text:?}");
            assert_eq!(
                heading_id(text, HeadingIds::Blackfriday),
                blackfriday,
                "{text:?}"
            );
            assert_eq!(heading_id(text, HeadingIds::Github), slug(text));
        }
    }

    #[test]
    fn github_slug_cases() {
        let cases = [
            ("CPU & Memory", "cpu--memory"),
            ("Requests vs Limits", "requests-vs-limits"),
            ("Hello, World!", "hello-world"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Café ☕ Notes", "café--notes"),
            ("🦀 Rust", "-rust"),
            ("Übersicht der Größen", "übersicht-der-größen"),
            ("日本語の見出し", "日本語の見出し"),
            ("What's new? (v1.2)", "whats-new-v12"),
            ("DCGM_FI_DEV_GPU_UTIL", "dcgm_fi_dev_gpu_util"),
            ("  Trimmed  ", "trimmed"),
            ("kube-apiserver", "kube-apiserver"),
            ("Q&A: `kubectl get`", "qa-kubectl-get"),
        ];
        for (text, expected) in cases {
            assert_eq!(slug(text), expected, "slug({text:?})");
        }
    }
}
