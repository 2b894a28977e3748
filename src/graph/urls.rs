//! The URLs Hugo publishes a page at besides the one its path gives: the front matter's `url`
//! and `aliases`, and the site's `[permalinks]` pattern for the page's section.

use super::{file_stem, Note};
use crate::dialect::Site;
use unicode_normalization::char::is_combining_mark;

/// The page's other URLs, lowercase, without leading or trailing `/`.
pub(crate) fn page_urls(note: &Note, site: &Site) -> Vec<String> {
    let Some(front_matter) = &note.syntax.front_matter else {
        return Vec::new();
    };
    let scalar = |key: &str| {
        front_matter
            .scalars
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.value.trim().to_string())
    };
    let mut res: Vec<String> = front_matter
        .aliases
        .iter()
        .cloned()
        .chain(scalar("url"))
        .collect();
    let content_dir = site.content_dir_of(&note.path).unwrap_or("");
    let in_content = note.path[content_dir.len()..].trim_start_matches('/');
    let section = in_content.split('/').next().unwrap_or_default();
    if let Some((_, pattern)) = site.permalinks.iter().find(|(s, _)| s == section) {
        let date = scalar("date").unwrap_or_default();
        let mut parts = date.get(..10).unwrap_or_default().split('-');
        let (year, month, day) = (
            parts.next().unwrap_or_default().to_string(),
            parts.next().unwrap_or_default().to_string(),
            parts.next().unwrap_or_default().to_string(),
        );
        let slug = scalar("slug").unwrap_or_else(|| {
            urlize(&scalar("title").unwrap_or_else(|| file_stem(&note.path).to_string()))
        });
        let url = pattern
            .replace(":section", section)
            .replace(":year", &year)
            .replace(":month", &month)
            .replace(":day", &day)
            .replace(":slug", &slug)
            .replace(":filename", file_stem(&note.path))
            .replace(":title", &urlize(&scalar("title").unwrap_or_default()));
        res.push(url);
    }
    res.iter()
        .map(|url| url.trim().trim_matches('/').to_lowercase())
        .filter(|url| !url.is_empty() && !url.contains("://"))
        .collect()
}

/// Hugo's `urlize` of a title (`MakePathSanitized`): letters, digits, marks, `%XX` escapes and
/// `. / \ _ # + ~ - @` kept, a run of spaces one `-` (none next to a `-` written), everything
/// else dropped; lowercase.
fn urlize(title: &str) -> String {
    let chars: Vec<char> = title.trim().chars().collect();
    let mut res = String::with_capacity(title.len());
    let (mut space, mut hyphen) = (false, false);
    for (at, &ch) in chars.iter().enumerate() {
        let escape = ch == '%'
            && chars.get(at + 1).is_some_and(char::is_ascii_hexdigit)
            && chars.get(at + 2).is_some_and(char::is_ascii_hexdigit);
        let kept =
            ch.is_alphanumeric() || is_combining_mark(ch) || "./\\_#+~-@".contains(ch) || escape;
        if kept {
            hyphen = ch == '-';
            if space && !hyphen {
                res.push('-');
            }
            space = false;
            res.extend(ch.to_lowercase());
        } else if !res.is_empty() && !hyphen && ch.is_whitespace() {
            space = true;
        }
    }
    res
}

impl super::Graph {
    /// A Hugo page's URLs besides the one its path gives (front matter `url`, `aliases`,
    /// `[permalinks]`), lowercase, without the slashes around them; none in other dialects.
    pub fn other_urls(&self, note: &Note) -> Vec<String> {
        match self.site.dialect {
            crate::dialect::Dialect::Hugo => page_urls(note, &self.site),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::urlize;

    #[test]
    fn urlize_as_hugo() {
        let cases = [
            (
                "Running Kubernetes locally on Linux with Minikube - now with Kubernetes 1.14 support",
                "running-kubernetes-locally-on-linux-with-minikube-now-with-kubernetes-1.14-support",
            ),
            (
                "The History of Kubernetes & the Community Behind It",
                "the-history-of-kubernetes-the-community-behind-it",
            ),
            (
                "Hardware Accelerated SSL/TLS Termination",
                "hardware-accelerated-ssl/tls-termination",
            ),
            ("C# and F#: 100% (50%20off)", "c#-and-f#-100-50%20off"),
            ("  Café  au lait ", "café-au-lait"),
        ];
        for (title, url) in cases {
            assert_eq!(urlize(title), url, "{title:?}");
        }
    }
}
