//! YAML (`---`) and TOML (`+++`) front matter: the few keys kbls reads, with their ranges.

use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrontMatterKind {
    Yaml,
    Toml,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub kind: Option<FrontMatterKind>,
    /// The whole block, delimiters included.
    pub range: TextRange,
    pub title: Option<String>,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// Hugo's `outputs`: the formats the page is published in (`html`, `json`, `rss`), as written.
    pub outputs: Vec<String>,
    /// The `terms:` map: term and its definition, in written order.
    pub terms: Vec<(String, String)>,
    /// Top-level scalar values by key, with the range of the value, for date lookup.
    pub scalars: Vec<FrontMatterScalar>,
    /// Why the block could not be read as YAML/TOML, if it could not.
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatterScalar {
    pub key: String,
    pub value: String,
    pub value_range: TextRange,
}

/// Where the front matter block at the start of a note lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) kind: FrontMatterKind,
    /// From the opening delimiter to the end of the closing one.
    pub(crate) range: TextRange,
    /// The lines between the delimiters.
    pub(crate) content: TextRange,
    /// Where the body starts: after the closing delimiter's line break.
    pub(crate) end: usize,
}

/// The front matter block that opens `text` at byte `start` (0, or 3 after a byte order mark).
///
/// Only the start of a note can hold front matter: anywhere else a `---` line is a thematic break
/// or a setext underline, as CommonMark says. The block is a `---` (YAML) or `+++` (TOML) line, a
/// first line that is neither blank nor a delimiter, and a closing `---` or `...` (YAML) or `+++`
/// (TOML) line; trailing spaces are allowed on both delimiter lines.
pub(crate) fn find(text: &str, start: usize) -> Option<Block> {
    let mut lines = text[start..]
        .split_inclusive('\n')
        .scan(start, |offset, line| {
            let line_start = *offset;
            *offset += line.len();
            Some((line_start, line))
        });
    let (_, opening) = lines.next()?;
    let kind = match opening.trim_end() {
        "---" => FrontMatterKind::Yaml,
        "+++" => FrontMatterKind::Toml,
        _ => return None,
    };
    let is_closing = |line: &str| {
        let delimiter = line.trim_end_matches(['\n', '\r']).trim_end_matches(' ');
        match kind {
            FrontMatterKind::Yaml => delimiter == "---" || delimiter == "...",
            FrontMatterKind::Toml => delimiter == "+++",
        }
    };
    let content_start = start + opening.len();
    let (_, first) = lines.next()?;
    if is_closing(first) || first.trim().is_empty() {
        return None;
    }
    let (closing_start, closing) = lines.find(|(_, line)| is_closing(line))?;
    let delimiter_len = closing.trim_end_matches(['\n', '\r']).len();
    Some(Block {
        kind,
        range: TextRange::new(start, closing_start + delimiter_len),
        content: TextRange::new(content_start, closing_start),
        end: closing_start + closing.len(),
    })
}

/// Reads the front matter `block` of the note `text`.
pub(crate) fn parse(text: &str, block: Block) -> FrontMatter {
    let kind = block.kind;
    let content = &text[block.content.as_usize()];
    let mut res = FrontMatter {
        kind: Some(kind),
        range: block.range,
        scalars: top_level_scalars(kind, content, block.content.start as usize),
        ..FrontMatter::default()
    };
    match kind {
        FrontMatterKind::Yaml => read_yaml(content, &mut res),
        FrontMatterKind::Toml => read_toml(content, &mut res),
    }
    res
}

/// Line-based scan for `key: value` (YAML) or `key = value` (TOML) at the top level, kept
/// separately from the structured parse because diagnostics need the value's exact range.
fn top_level_scalars(
    kind: FrontMatterKind,
    content: &str,
    content_start: usize,
) -> Vec<FrontMatterScalar> {
    let separator = match kind {
        FrontMatterKind::Yaml => ':',
        FrontMatterKind::Toml => '=',
    };
    let mut res = Vec::new();
    let mut line_start = 0;
    for line in content.split_inclusive('\n') {
        let offset = line_start;
        line_start += line.len();
        if line.starts_with(|c: char| c.is_whitespace() || c == '#' || c == '-') {
            continue;
        }
        let Some(sep) = line.find(separator) else {
            continue;
        };
        let key = line[..sep].trim().trim_matches('"');
        let raw_value = &line[sep + 1..];
        let leading = raw_value.len() - raw_value.trim_start().len();
        let mut value = raw_value.trim();
        if value.len() >= 2
            && (value.starts_with('"') && value.ends_with('"')
                || value.starts_with('\'') && value.ends_with('\''))
        {
            value = &value[1..value.len() - 1];
        }
        let value_offset = content_start
            + offset
            + sep
            + 1
            + leading
            + raw_value.trim_start().find(value).unwrap_or(0);
        res.push(FrontMatterScalar {
            key: key.to_string(),
            value: value.to_string(),
            value_range: TextRange::new(value_offset, value_offset + value.len()),
        });
    }
    res
}

/// Whether `content` can neither expand nor nest past the limits, read without parsing (most
/// front matter; the event walk costs as much as loading it): no `*`, so no alias; a node takes
/// at least half a byte of text; and a collection opens only at `[`, `{`, `-`, `:` or `?`, so it
/// nests no deeper than their count.
fn is_plainly_small(content: &str) -> bool {
    content.len() < YAML_NODE_BUDGET as usize / 2
        && !content.contains('*')
        && content
            .bytes()
            .filter(|b| matches!(b, b'[' | b'{' | b'-' | b':' | b'?'))
            .count()
            <= YAML_MAX_DEPTH
}

/// Most YAML nodes front matter may stand for once its aliases are expanded, and how deep it may
/// nest: a few hundred bytes of `&a [x,x,…]`, `&b [*a,*a,…]`, … stand for billions of nodes.
const YAML_NODE_BUDGET: u64 = 100_000;
const YAML_MAX_DEPTH: usize = 64;

/// Walks the YAML events (no tree is built) and counts the nodes the document expands to.
pub fn check_yaml_size(content: &str) -> Result<(), String> {
    if is_plainly_small(content) {
        return Ok(());
    }
    use std::collections::HashMap;
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(content);
    // Expanded size of each anchored node, and of each open collection (with its anchor).
    let mut anchors: HashMap<usize, u64> = HashMap::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut total: u64 = 0;
    loop {
        // Syntax errors are left to the loader, which words them better.
        let Ok((event, _)) = parser.next_token() else {
            return Ok(());
        };
        let (anchor, size) = match event {
            Event::StreamEnd => return Ok(()),
            Event::Scalar(_, _, anchor, _) => (anchor, 1),
            Event::Alias(anchor) => (0, anchors.get(&anchor).copied().unwrap_or(1)),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, 1));
                if open.len() > YAML_MAX_DEPTH {
                    return Err(format!(
                        "front matter nests deeper than {YAML_MAX_DEPTH} levels"
                    ));
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some(closed) => closed,
                None => continue,
            },
            _ => continue,
        };
        if anchor != 0 {
            anchors.insert(anchor, size);
        }
        match open.last_mut() {
            Some((_, parent)) => *parent = parent.saturating_add(size),
            None => total = total.saturating_add(size),
        }
        let pending: u64 = open
            .iter()
            .map(|(_, size)| *size)
            .fold(total, u64::saturating_add);
        if pending > YAML_NODE_BUDGET {
            return Err(format!(
                "front matter expands to more than {YAML_NODE_BUDGET} YAML nodes (aliases of aliases); kbls does not read it"
            ));
        }
    }
}

fn read_yaml(content: &str, res: &mut FrontMatter) {
    match flat_yaml(content) {
        Some(pairs) => read_yaml_pairs(pairs.iter().map(|(key, value)| (key, value)), res),
        None => read_yaml_loaded(content, res),
    }
}

/// Reads YAML front matter with the loader, once its size is known to be safe.
fn read_yaml_loaded(content: &str, res: &mut FrontMatter) {
    use yaml_rust2::{Yaml, YamlLoader};
    if let Err(why) = check_yaml_size(content) {
        res.error = Some(why);
        return;
    }
    let docs = match YamlLoader::load_from_str(content) {
        Ok(docs) => docs,
        Err(err) => {
            res.error = Some(err.to_string());
            return;
        }
    };
    if let Some(Yaml::Hash(map)) = docs.into_iter().next() {
        read_yaml_pairs(map.iter(), res);
    }
}

/// Takes what kbls reads from the top-level mapping of YAML front matter.
fn read_yaml_pairs<'y>(
    pairs: impl Iterator<Item = (&'y yaml_rust2::Yaml, &'y yaml_rust2::Yaml)>,
    res: &mut FrontMatter,
) {
    use yaml_rust2::Yaml;
    let scalar = |value: &Yaml| match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    };
    let list = |value: &Yaml| match value {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other)
            .map(|s| {
                s.split(',')
                    .map(|part| part.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
    };
    for (key, value) in pairs {
        match key.as_str() {
            Some("title") => res.title = scalar(value),
            Some("aliases" | "alias") => res.aliases = list(value),
            Some("tags") => res.tags = list(value),
            Some("outputs") => res.outputs = list(value),
            Some("terms") => {
                if let Yaml::Hash(terms) = value {
                    res.terms = terms
                        .iter()
                        .filter_map(|(term, def)| Some((scalar(term)?, scalar(def)?)))
                        .collect();
                }
            }
            _ => {}
        }
    }
}

/// The top-level pairs of front matter written the way most is, read without the YAML loader
/// (whose setup costs more than three lines are worth): each line blank or `key: value`, the key
/// at the start of the line, the value empty, a plain ASCII scalar or a flow list of them
/// (`[a, b]`). `None` for anything else (quotes, comments, nesting, continued lines, non-ASCII,
/// repeated keys), which the loader reads. Scalars resolve through yaml-rust2's own
/// `Yaml::from_str`, as the loader resolves plain scalars, so the pairs are the loader's.
fn flat_yaml(content: &str) -> Option<Vec<(yaml_rust2::Yaml, yaml_rust2::Yaml)>> {
    use yaml_rust2::Yaml;
    let mut pairs: Vec<(Yaml, Yaml)> = Vec::new();
    for line in content.split_inclusive('\n') {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
        if !key_ok || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let value = rest.trim_matches(' ');
        let value = if let Some(items) = value.strip_prefix('[') {
            let items = items.strip_suffix(']')?.trim_matches(' ');
            let items = if items.is_empty() {
                Vec::new()
            } else {
                items
                    .split(',')
                    .map(|item| {
                        let item = item.trim_matches(' ');
                        is_plain(item, true).then(|| Yaml::from_str(item))
                    })
                    .collect::<Option<Vec<_>>>()?
            };
            Yaml::Array(items)
        } else if value.is_empty() {
            Yaml::Null
        } else if is_plain(value, false) {
            Yaml::from_str(value)
        } else {
            return None;
        };
        let key = Yaml::from_str(key);
        if pairs.iter().any(|(seen, _)| *seen == key) {
            return None;
        }
        pairs.push((key, value));
    }
    Some(pairs)
}

/// Whether `text` is certainly a plain YAML scalar as it stands: it starts with a letter or a
/// digit (no indicator) and holds only letters, digits, spaces and punctuation that neither ends
/// nor changes one (no `:`, `#`, `"`, brackets or tab; in a flow list no `,` or `'` either), and
/// nothing outside ASCII.
fn is_plain(text: &str, in_flow: bool) -> bool {
    const PLAIN: &[u8] = b" _./+()-!?&=@%$";
    text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || PLAIN.contains(&b)
                || (!in_flow && matches!(b, b',' | b'\''))
        })
}

fn read_toml(content: &str, res: &mut FrontMatter) {
    let table: toml::Table = match content.parse() {
        Ok(table) => table,
        Err(err) => {
            res.error = Some(err.message().to_string());
            return;
        }
    };
    let strings = |value: &toml::Value| -> Vec<String> {
        match value {
            toml::Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            toml::Value::String(s) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    res.title = table
        .get("title")
        .and_then(|v| v.as_str())
        .map(String::from);
    res.aliases = table.get("aliases").map(strings).unwrap_or_default();
    res.tags = table.get("tags").map(strings).unwrap_or_default();
    res.outputs = table.get("outputs").map(strings).unwrap_or_default();
    if let Some(toml::Value::Table(terms)) = table.get("terms") {
        res.terms = terms
            .iter()
            .filter_map(|(term, def)| Some((term.clone(), def.as_str()?.to_string())))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the loader reads from `content`, without the flat reading.
    fn loaded(content: &str) -> FrontMatter {
        let mut res = FrontMatter::default();
        read_yaml_loaded(content, &mut res);
        res
    }

    fn read(content: &str) -> FrontMatter {
        let mut res = FrontMatter::default();
        read_yaml(content, &mut res);
        res
    }

    #[test]
    fn flat_front_matter_is_read_as_the_loader_reads_it() {
        // Read flat, then not.
        let flat = [
            "title: Kernel Trace 4091\ntags: [failover, load]\nupdated: 2025-05-21\n",
            "title: 1.50\naliases: [a, b c, 0x1F, true, null]\n",
            "title: True\ntags: a, b,, c\r\noutputs: []\n\nweight: 007\n",
            "title:\ntags: [ x ]\nalias: one\n",
            "title: it's (mostly) fine!\n_draft: false\nlast-updated: 12\n",
            "null: x\ntitle: inf\n",
        ];
        let not_flat = [
            "title: \"Quoted\"\n",
            "title: a # comment\n",
            "tags:\n  - a\n",
            "tags:\n- a\n",
            "title: a long\n  title\n",
            "title: Über\n",
            "title: a: b\n",
            "title: x\ntitle: y\n",
            "true: x\nTrue: y\n",
            "tags: [a, [b]]\n",
            "tags: [a] b\n",
            "terms:\n  GPU: a chip\n",
            "title:x\n",
            "title : x\n",
            "title: *x\n",
            "title:\tx\n",
            "tags: ['a']\n",
        ];
        let cases = flat.map(|c| (c, true)).into_iter();
        for (content, is_flat) in cases.chain(not_flat.map(|c| (c, false))) {
            assert_eq!(flat_yaml(content).is_some(), is_flat, "{content:?}");
            assert_eq!(read(content), loaded(content), "{content:?}");
        }
    }

    #[test]
    fn random_flat_looking_front_matter_reads_as_the_loader_reads_it() {
        let keys = [
            "title", "tags", "aliases", "alias", "outputs", "x", "true", "1a",
        ];
        let words = [
            "a", "b c", "0x1F", "007", "1.5", "1e5", "true", "False", "null", "~", "inf", "it's",
            "a,b", "(x)", "-x", "x:", "x #y", "#x", "é", "[a]", "'q'", "a\tb", "", " ",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        let mut flat = 0;
        for _ in 0..5000 {
            let mut content = String::new();
            for _ in 0..rng.usize(1..5) {
                let key = keys[rng.usize(..keys.len())];
                let value = match rng.u8(..3) {
                    0 => words[rng.usize(..words.len())].to_string(),
                    1 => format!(
                        "[{}]",
                        (0..rng.usize(0..4))
                            .map(|_| words[rng.usize(..words.len())])
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => format!(
                        "{} {}",
                        words[rng.usize(..words.len())],
                        words[rng.usize(..words.len())]
                    ),
                };
                content += &format!("{key}: {value}\n");
            }
            flat += usize::from(flat_yaml(&content).is_some());
            assert_eq!(read(&content), loaded(&content), "{content:?}");
        }
        // Both readings were compared, not only the loader's.
        assert!(flat > 500, "{flat} of 5000 flat");
    }

    #[test]
    fn yaml_size_and_depth_are_bounded() {
        assert_eq!(check_yaml_size("title: A\ntags: [a, b]\n"), Ok(()));
        // Aliases within the budget are fine.
        assert_eq!(check_yaml_size("a: &a [x, y]\nb: [*a, *a]\n"), Ok(()));
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e"]
            .iter()
            .zip(["b", "c", "d", "e", "f"])
        {
            bomb += &format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(",")
            );
        }
        assert!(check_yaml_size(&bomb)
            .unwrap_err()
            .contains("more than 100000"));
        let deep = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(check_yaml_size(&deep)
            .unwrap_err()
            .contains("deeper than 64"));
        // Nesting without brackets: block sequences on one line, block mappings by indentation.
        let sequences = format!("{}x\n", "- ".repeat(100));
        let mappings: String = (0..100)
            .map(|depth| format!("{}k:\n", " ".repeat(depth)))
            .collect();
        for deep in [sequences, mappings] {
            assert!(check_yaml_size(&deep)
                .unwrap_err()
                .contains("deeper than 64"));
        }
    }
}
