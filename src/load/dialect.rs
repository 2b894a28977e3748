//! Detects a corpus's dialect from the files at its root and reads its site layout: a
//! `.obsidian/` folder; a Hugo config (`hugo.{toml,yaml,json}`, `config.{toml,yaml,json}`, else
//! the `config/_default/` folder) beside `content/`, with `contentDir`, the languages' content folders, `staticDir` and the goldmark
//! heading-id settings; a `book.toml` with `[book] src`. Without one, the link forms the notes
//! use decide ([`by_link_forms`]).

use crate::dialect::{Dialect, HeadingIds, Site};
use anyhow::Context;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The site at `root`: the dialect asked for (`None`: auto) with the layout its files give, or
/// the one the markers at the root show. `None` when auto finds no marker: the notes decide.
pub fn detect(root: &Path, asked: Option<Dialect>) -> anyhow::Result<Option<Site>> {
    let hugo_config = hugo_config(root);
    let book = root.join("book.toml");
    let dialect = match asked {
        Some(dialect) => dialect,
        None if root.join(".obsidian").is_dir() => Dialect::Obsidian,
        None if hugo_config.is_some() => Dialect::Hugo,
        None if book.is_file() => Dialect::Mdbook,
        None => return Ok(None),
    };
    Ok(Some(match dialect {
        Dialect::Github | Dialect::Obsidian => Site::new(dialect),
        Dialect::Hugo => match hugo_config {
            Some(config) => hugo_layout(root, &config?),
            None => hugo_layout(root, &Value::Null),
        },
        Dialect::Mdbook => mdbook_site(&book)?,
    }))
}

/// GitHub or Obsidian, for a corpus without markers: Obsidian when its notes hold more
/// wiki-links than local Markdown links.
pub fn by_link_forms<'a>(texts: impl Iterator<Item = &'a str>) -> Site {
    let (mut wiki, mut markdown) = (0usize, 0usize);
    for text in texts {
        let bytes = text.as_bytes();
        // One pass over the brackets for both forms; `[[[` is one wiki-link opening, not two.
        let mut wiki_end = 0;
        for at in memchr::memchr2_iter(b'[', b']', bytes) {
            let next = bytes.get(at + 1);
            if bytes[at] == b'[' {
                if next == Some(&b'[') && at >= wiki_end {
                    wiki += 1;
                    wiki_end = at + 2;
                }
            } else if next == Some(&b'(') {
                let dest = &bytes[at + 2..];
                if !(dest.starts_with(b"http:")
                    || dest.starts_with(b"https:")
                    || dest.starts_with(b"mailto:"))
                {
                    markdown += 1;
                }
            }
        }
    }
    Site::new(if wiki > markdown {
        Dialect::Obsidian
    } else {
        Dialect::Github
    })
}

const HUGO_CONFIGS: [&str; 6] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.json",
];

/// Where a Hugo site keeps its configuration: a file at the root, else the `config/_default/`
/// folder (one file per top-level key, `markup.toml` holding `[goldmark]`, beside an optional
/// `hugo.toml`).
enum HugoConfig {
    File(PathBuf),
    Folder(PathBuf),
}

/// The Hugo configuration at `root`, read once (or why it cannot be), when a `content/` folder
/// is beside it.
fn hugo_config(root: &Path) -> Option<anyhow::Result<Value>> {
    let location = match HUGO_CONFIGS
        .iter()
        .map(|name| root.join(name))
        .find(|p| p.is_file())
    {
        Some(file) => HugoConfig::File(file),
        None => {
            let folder = root.join("config").join("_default");
            let has_config = std::fs::read_dir(&folder)
                .ok()?
                .flatten()
                .any(|entry| config_format(&entry.path()).is_some() && entry.path().is_file());
            if !has_config {
                return None;
            }
            HugoConfig::Folder(folder)
        }
    };
    let config = read_hugo_config(&location);
    let content_dir = config
        .as_ref()
        .ok()
        .and_then(|config| get(config, "contentDir"))
        .and_then(Value::as_str)
        .unwrap_or("content");
    let top = content_dir.split('/').next().unwrap_or("content");
    (root.join("content").is_dir() || root.join(top).is_dir()).then_some(config)
}

/// The configuration as one JSON object: the file, or the folder's files merged (`hugo.*` and
/// `config.*` at the top, each other file under the key its name gives).
fn read_hugo_config(config: &HugoConfig) -> anyhow::Result<Value> {
    let folder = match config {
        HugoConfig::File(file) => return read_config(file),
        HugoConfig::Folder(folder) => folder,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot read {}", folder.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && config_format(path).is_some())
        .collect();
    files.sort();
    let mut merged = serde_json::Map::new();
    for file in files {
        let value = read_config(&file)?;
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if matches!(stem, "hugo" | "config") {
            if let Value::Object(keys) = value {
                merged.extend(keys);
            }
        } else {
            merged.insert(stem.to_string(), value);
        }
    }
    Ok(Value::Object(merged))
}

/// The format of a config file by its extension.
fn config_format(file: &Path) -> Option<&'static str> {
    match file.extension()?.to_str()? {
        "toml" => Some("toml"),
        "json" => Some("json"),
        "yaml" | "yml" => Some("yaml"),
        _ => None,
    }
}

/// The layout a Hugo config gives (`Value::Null`: the defaults).
fn hugo_layout(root: &Path, config: &Value) -> Site {
    let mut content_dirs = vec![get(config, "contentDir")
        .and_then(Value::as_str)
        .unwrap_or("content")
        .trim_matches('/')
        .to_string()];
    if let Some(Value::Object(languages)) = get(config, "languages") {
        for language in languages.values() {
            if let Some(dir) = get(language, "contentDir").and_then(Value::as_str) {
                content_dirs.push(dir.trim_matches('/').to_string());
            }
        }
    }
    content_dirs.sort();
    content_dirs.dedup();
    let mut static_dirs: Vec<String> = match get(config, "staticDir") {
        Some(Value::String(dir)) => vec![dir.clone()],
        Some(Value::Array(dirs)) => dirs
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => vec!["static".to_string()],
    };
    static_dirs.push("assets".to_string());
    static_dirs.retain(|dir| root.join(dir).is_dir());
    let parser = ["markup", "goldmark", "parser"]
        .iter()
        .try_fold(config, |value, key| get(value, key));
    let heading_ids = parser
        .and_then(|parser| get(parser, "autoHeadingIDType"))
        .and_then(Value::as_str)
        .and_then(HeadingIds::from_name)
        .unwrap_or_default();
    let definition_term_ids = parser
        .and_then(|parser| get(parser, "autoDefinitionTermID"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let permalinks = match get(config, "permalinks") {
        Some(Value::Object(sections)) => sections
            .iter()
            .filter_map(|(section, pattern)| Some((section.clone(), pattern.as_str()?.to_string())))
            .collect(),
        _ => Vec::new(),
    };
    let redirects = static_dirs
        .iter()
        .filter_map(|dir| std::fs::read_to_string(root.join(dir).join("_redirects")).ok())
        .flat_map(|text| redirect_sources(&text))
        .collect();
    Site {
        dialect: Dialect::Hugo,
        content_dirs,
        static_dirs,
        heading_ids,
        definition_term_ids,
        permalinks,
        redirects,
        output_files: output_files(config),
        kind_outputs: kind_outputs(config),
    }
}

/// Hugo's built-in output formats with the suffix of their media type; `index` is the default
/// base name.
const OUTPUT_FORMATS: [(&str, &str); 5] = [
    ("html", "html"),
    ("rss", "xml"),
    ("json", "json"),
    ("calendar", "ics"),
    ("csv", "csv"),
];

/// Media types Hugo knows, by the suffix their files get.
const MEDIA_SUFFIXES: [(&str, &str); 8] = [
    ("text/html", "html"),
    ("application/rss+xml", "xml"),
    ("application/xml", "xml"),
    ("application/json", "json"),
    ("text/calendar", "ics"),
    ("text/csv", "csv"),
    ("text/plain", "txt"),
    ("application/manifest+json", "webmanifest"),
];

/// Each output format's file name: the built-in ones, then `[outputFormats]` (a `baseName`, or a
/// new format with a known `mediaType`).
fn output_files(config: &Value) -> Vec<(String, String)> {
    let mut formats: Vec<(String, String, String)> = OUTPUT_FORMATS
        .iter()
        .map(|(name, suffix)| (name.to_string(), "index".to_string(), suffix.to_string()))
        .collect();
    if let Some(Value::Object(custom)) = get(config, "outputFormats") {
        for (name, format) in custom {
            let name = name.to_lowercase();
            let base = get(format, "baseName").and_then(Value::as_str);
            let suffix = get(format, "mediaType")
                .and_then(Value::as_str)
                .and_then(|media| MEDIA_SUFFIXES.iter().find(|(m, _)| *m == media))
                .map(|(_, suffix)| suffix.to_string());
            match formats.iter_mut().find(|(known, _, _)| *known == name) {
                Some(known) => {
                    if let Some(base) = base {
                        known.1 = base.to_string();
                    }
                    if let Some(suffix) = suffix {
                        known.2 = suffix;
                    }
                }
                None => {
                    if let Some(suffix) = suffix {
                        formats.push((name, base.unwrap_or("index").to_string(), suffix));
                    }
                }
            }
        }
    }
    formats
        .into_iter()
        .map(|(name, base, suffix)| (name, format!("{base}.{suffix}")))
        .collect()
}

/// The site's `[outputs]`, lowercase.
fn kind_outputs(config: &Value) -> Vec<(String, Vec<String>)> {
    let Some(Value::Object(kinds)) = get(config, "outputs") else {
        return Vec::new();
    };
    kinds
        .iter()
        .map(|(kind, formats)| {
            let formats = formats
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_lowercase)
                        .collect()
                })
                .unwrap_or_default();
            (kind.to_lowercase(), formats)
        })
        .collect()
}

/// The source paths of a Netlify-style `_redirects` file: the first word of each rule, lowercase
/// without slashes around it (`:splat` and `*` both match any rest).
fn redirect_sources(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| line.starts_with('/'))
        .filter_map(|line| line.split_whitespace().next())
        .map(|from| from.replace(":splat", "*").trim_matches('/').to_lowercase())
        .collect()
}

fn mdbook_site(book: &Path) -> anyhow::Result<Site> {
    let config = if book.is_file() {
        read_config(book)?
    } else {
        Value::Null
    };
    let src = get(&config, "book")
        .and_then(|book| get(book, "src"))
        .and_then(Value::as_str)
        .unwrap_or("src")
        .trim_matches('/')
        .trim_start_matches("./")
        .to_string();
    Ok(Site {
        content_dirs: vec![src],
        ..Site::new(Dialect::Mdbook)
    })
}

/// A TOML, YAML or JSON config file as a JSON value.
fn read_config(file: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let value = match config_format(file).unwrap_or("yaml") {
        "toml" => {
            let value: toml::Value = toml::from_str(&text)
                .map_err(|err| anyhow::anyhow!("{}: {}", file.display(), err.message()))?;
            serde_json::to_value(value)?
        }
        "json" => serde_json::from_str(&text)
            .with_context(|| format!("cannot read {}", file.display()))?,
        _ => {
            crate::syntax::check_yaml_size(&text)
                .map_err(|why| anyhow::anyhow!("{}: {why}", file.display()))?;
            let docs = yaml_rust2::YamlLoader::load_from_str(&text)
                .map_err(|err| anyhow::anyhow!("{}: {err}", file.display()))?;
            docs.first().map_or(Value::Null, yaml_to_json)
        }
    };
    Ok(value)
}

fn yaml_to_json(yaml: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::String(s) | Yaml::Real(s) => Value::String(s.clone()),
        Yaml::Integer(n) => Value::from(*n),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), yaml_to_json(v))))
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// `value[key]`, the key compared ignoring case as Hugo's config keys are.
fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_sources_and_matching() {
        let sources =
            redirect_sources("# comment\n/docs/old/   /docs/new/ 301\n/guides/*  /setup/ 301!\n\n");
        assert_eq!(sources, ["docs/old", "guides/*"]);
        let site = Site {
            redirects: sources,
            ..Site::new(Dialect::Hugo)
        };
        assert!(site.redirects("docs/old/"));
        assert!(site.redirects("guides/a/b"));
        assert!(!site.redirects("docs/older"));
    }

    #[test]
    fn link_forms_decide_between_github_and_obsidian() {
        let notes = ["[[a]] [[b]] [c](c.md)", "[d](https://x.org)"];
        assert_eq!(by_link_forms(notes.into_iter()).dialect, Dialect::Obsidian);
        let notes = ["[[a]] [c](c.md) [d](d.md)"];
        assert_eq!(by_link_forms(notes.into_iter()).dialect, Dialect::Github);
        // `[[[` opens one wiki-link, `[[[[` two; a link at the very end counts.
        let notes = ["[[[a]]] [c](c.md)"];
        assert_eq!(by_link_forms(notes.into_iter()).dialect, Dialect::Github);
        let notes = ["[[[[a]] [c](c.md)"];
        assert_eq!(by_link_forms(notes.into_iter()).dialect, Dialect::Obsidian);
        let notes = ["[[a]] [[", "[c](c.md) [d](mailto:x) [e]("];
        assert_eq!(by_link_forms(notes.into_iter()).dialect, Dialect::Github);
    }
}
