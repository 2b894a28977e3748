//! Detects a corpus's dialect from the files at its root and reads its site layout: a
//! `.obsidian/` folder; a Hugo config (`hugo.{toml,yaml,json}`, `config.{toml,yaml}`) beside
//! `content/`, with `contentDir`, the languages' content folders, `staticDir` and the goldmark
//! heading-id settings; a `book.toml` with `[book] src`. Without one, the link forms the notes
//! use decide ([`by_link_forms`]).

use crate::dialect::{Dialect, HeadingIds, Site};
use anyhow::Context;
use serde_json::Value;
use std::path::Path;

/// The site at `root`: the dialect asked for (`None`: auto) with the layout its files give, or
/// the one the markers at the root show. `None` when auto finds no marker: the notes decide.
pub fn detect(root: &Path, asked: Option<Dialect>) -> anyhow::Result<Option<Site>> {
    let hugo_config = hugo_config_file(root);
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
            Some(file) => hugo_site(root, &file)?,
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
        wiki += memchr::memmem::find_iter(bytes, b"[[").count();
        markdown += memchr::memmem::find_iter(bytes, b"](")
            .filter(|&at| {
                let dest = &bytes[at + 2..];
                !(dest.starts_with(b"http:")
                    || dest.starts_with(b"https:")
                    || dest.starts_with(b"mailto:"))
            })
            .count();
    }
    Site::new(if wiki > markdown {
        Dialect::Obsidian
    } else {
        Dialect::Github
    })
}

const HUGO_CONFIGS: [&str; 5] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
    "config.toml",
    "config.yaml",
];

/// The Hugo config file at `root`, when a `content/` folder is beside it.
fn hugo_config_file(root: &Path) -> Option<std::path::PathBuf> {
    let file = HUGO_CONFIGS
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file())?;
    let content_dir = read_config(&file)
        .ok()
        .and_then(|config| {
            get(&config, "contentDir")
                .and_then(Value::as_str)
                .map(String::from)
        })
        .unwrap_or_else(|| "content".to_string());
    let top = content_dir.split('/').next().unwrap_or("content");
    (root.join("content").is_dir() || root.join(top).is_dir()).then_some(file)
}

fn hugo_site(root: &Path, file: &Path) -> anyhow::Result<Site> {
    let config = read_config(file)?;
    Ok(hugo_layout(root, &config))
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
    }
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
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let value = match extension {
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
    }
}
