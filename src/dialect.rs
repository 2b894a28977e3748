//! The publisher a corpus is written for (GitHub, Obsidian, Hugo, mdBook) and the layout of its
//! site: which folder holds the pages, where static files are served from, how heading ids are
//! made. Plain data that parsing, resolution and the rules read.
//!
//! Knows nothing of the file system: `load::dialect` detects the dialect and fills in the site.

/// How a corpus's links and headings are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// GitHub-flavoured Markdown: relative file links, GitHub heading anchors.
    #[default]
    Github,
    /// An Obsidian vault: wiki-links by name, `%%comments%%`, block references.
    Obsidian,
    /// A Hugo site: pretty URLs from the content folder, shortcodes, `static/`.
    Hugo,
    /// An mdBook: `.html` links to `.md` chapters, `{{#include}}`, SUMMARY.md.
    Mdbook,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [
        Dialect::Github,
        Dialect::Obsidian,
        Dialect::Hugo,
        Dialect::Mdbook,
    ];

    /// The name users write in `kbls.toml` and the server setting.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Github => "github",
            Dialect::Obsidian => "obsidian",
            Dialect::Hugo => "hugo",
            Dialect::Mdbook => "mdbook",
        }
    }

    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// How a heading's text becomes its id (Hugo's `markup.goldmark.parser.autoHeadingIDType`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HeadingIds {
    /// GitHub's slug: lowercase, punctuation dropped, spaces to `-`.
    #[default]
    Github,
    /// GitHub's slug of the text without its non-ASCII characters.
    GithubAscii,
    /// Blackfriday's: runs of anything but letters and digits become one `-`, none at the ends.
    Blackfriday,
}

impl HeadingIds {
    pub fn from_name(name: &str) -> Option<HeadingIds> {
        match name {
            "github" => Some(HeadingIds::Github),
            "github-ascii" => Some(HeadingIds::GithubAscii),
            "blackfriday" => Some(HeadingIds::Blackfriday),
            _ => None,
        }
    }
}

/// The dialect and, for the site generators, where pages and static files live.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub dialect: Dialect,
    /// The folders holding the pages, relative to the root (`""`: the root itself). Hugo has one
    /// per language (`content/en`, `content/fr`), mdBook its `src`.
    pub content_dirs: Vec<String>,
    /// Hugo's `static/` and `assets/`: their files are served from the site root.
    pub static_dirs: Vec<String>,
    pub heading_ids: HeadingIds,
    /// Hugo's `autoDefinitionTermID`: definition terms get ids like headings.
    pub definition_term_ids: bool,
    /// Hugo's `[permalinks]`: section to URL pattern (`blog` → `/:section/:year/:slug/`).
    pub permalinks: Vec<(String, String)>,
    /// The source paths of the host's redirects (a `_redirects` file in a static folder),
    /// lowercase without the slashes around them; a trailing `*` matches any rest.
    pub redirects: Vec<String>,
    /// Hugo's output formats: lowercase name and the file a page publishes it as (`rss` is
    /// `index.xml`, or `feed.xml` with `[outputFormats.RSS] baseName = "feed"`).
    pub output_files: Vec<(String, String)>,
    /// The site's `[outputs]`: lowercase formats per page kind (`home`, `section`, `page`).
    pub kind_outputs: Vec<(String, Vec<String>)>,
}

impl Site {
    /// Whether the host redirects the site path `path` (no leading `/`) somewhere.
    pub fn redirects(&self, path: &str) -> bool {
        let path = path.trim_matches('/').to_lowercase();
        self.redirects
            .iter()
            .any(|from| match from.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix.trim_end_matches('/')),
                None => *from == path,
            })
    }
}

impl Site {
    /// A site of `dialect` with its pages at the root.
    pub fn new(dialect: Dialect) -> Site {
        Site {
            dialect,
            ..Site::default()
        }
    }

    /// The content folder holding `path` (the longest that does), `None` outside every one.
    /// A site without content folders has its pages at the root.
    pub fn content_dir_of(&self, path: &str) -> Option<&str> {
        if self.content_dirs.is_empty() {
            return Some("");
        }
        self.content_dirs
            .iter()
            .filter(|dir| is_under(path, dir))
            .max_by_key(|dir| dir.len())
            .map(String::as_str)
    }

    /// Whether Hugo publishes the page at `path`, whose front matter lists `outputs`, as `file`
    /// beside its HTML (`index.json`, `index.xml`): Hugo's defaults (the home page and sections
    /// also as RSS), the site's `[outputs]` per kind, the page's own list.
    pub fn publishes(&self, path: &str, outputs: &[String], file: &str) -> bool {
        let in_content =
            path[self.content_dir_of(path).unwrap_or("").len()..].trim_start_matches('/');
        let kind = match in_content.rsplit_once('/') {
            _ if in_content.starts_with("_index.") => "home",
            Some((_, name)) if name.starts_with("_index.") => "section",
            _ => "page",
        };
        let published_as = |format: &str| {
            self.output_files.iter().any(|(name, published)| {
                name.eq_ignore_ascii_case(format) && published.eq_ignore_ascii_case(file)
            })
        };
        if !outputs.is_empty() {
            return outputs.iter().any(|format| published_as(format));
        }
        if let Some((_, formats)) = self.kind_outputs.iter().find(|(k, _)| k == kind) {
            return formats.iter().any(|format| published_as(format));
        }
        // Hugo's defaults: a page as HTML, the home page and sections also as RSS.
        let defaults: &[&str] = if kind == "page" {
            &["html"]
        } else {
            &["html", "rss"]
        };
        defaults.iter().any(|format| published_as(format))
    }

    /// Whether a note at `path` is a page the publisher renders.
    pub fn is_content(&self, path: &str) -> bool {
        self.content_dir_of(path).is_some()
    }
}

/// Whether `path` is `dir` or lies under it (`""` holds everything).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for dialect in Dialect::ALL {
            assert_eq!(Dialect::from_name(dialect.as_str()), Some(dialect));
        }
        assert_eq!(Dialect::from_name("auto"), None);
    }

    #[test]
    fn the_longest_content_folder_holds_a_page() {
        let site = Site {
            content_dirs: vec!["content".into(), "content/fr".into()],
            ..Site::new(Dialect::Hugo)
        };
        assert_eq!(site.content_dir_of("content/fr/a.md"), Some("content/fr"));
        assert_eq!(site.content_dir_of("content/a.md"), Some("content"));
        assert_eq!(site.content_dir_of("contents/a.md"), None);
        assert_eq!(site.content_dir_of("README.md"), None);
        assert!(Site::new(Dialect::Github).is_content("any/where.md"));
    }
}
