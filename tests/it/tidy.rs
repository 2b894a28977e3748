//! Keeps the layering of ARCHITECTURE.md honest, and checks that every module says what it owns
//! in a `//!` line.
//!
//! The layering check reads every Rust file of `src/` (comments and string literals blanked
//! out), collects every path into another top-level module (`crate::x`, the items of
//! `use crate::{x, y::{z}}`, and a `super::` chain that climbs to the crate root) and every use
//! of the outside world (`std::fs`, `std::process`, `std::net`, `std::env` in any form,
//! `use std::{fs, …}` included; the clock; tokio, the LSP crates, JSON), and checks them against
//! [`LAYERS`]. Code under `#[cfg(test)]` (inline, or a file its parent declares so) is held to
//! the same table plus [`TEST_EXTRAS`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each top-level module of `src/` may use: other top-level modules, and the outside world.
/// This table is the layering; ARCHITECTURE.md describes it.
const LAYERS: &[Layer] = &[
    layer("text", &[], &[]),
    layer("codes", &[], &[]),
    layer("collections", &[], &[]),
    layer("dialect", &[], &[]),
    layer("syntax", &["text", "dialect"], &[]),
    layer("terms", &["text", "collections", "syntax"], &[]),
    layer("graph", &["text", "dialect", "syntax", "terms"], &[]),
    // The on-disk index cache: its folder, its JSON meta file, the pid in a temp folder's name.
    layer("search", &["text", "syntax"], &[FS, PROCESS, JSON]),
    layer("config", &["codes", "dialect", "syntax", "terms"], &[]),
    layer("history", &[], &[]),
    layer(
        "ide",
        &[
            "text", "codes", "dialect", "syntax", "terms", "graph", "search", "config", "history",
        ],
        &[],
    ),
    // Site configs (Hugo's TOML, YAML or JSON) are read into JSON values.
    layer(
        "load",
        &["config", "dialect", "syntax", "terms", "history"],
        &[FS, PROCESS, ENV, JSON],
    ),
    layer(
        "workspace",
        &[
            "text", "codes", "dialect", "syntax", "terms", "graph", "search", "config", "history",
            "ide", "load",
        ],
        &[],
    ),
    layer("cli", EVERY_MODULE, &[FS, PROCESS, ENV, CLOCK, JSON]),
    layer(
        "lsp",
        &[
            "text",
            "codes",
            "dialect",
            "syntax",
            "terms",
            "graph",
            "search",
            "config",
            "history",
            "ide",
            "load",
            "workspace",
        ],
        &[FS, PROCESS, ENV, CLOCK, ASYNC, LSP, JSON],
    ),
    // Test-only: fixtures parsed into a graph, and the `ide::Analysis` over it.
    layer(
        "test_fixture",
        &["text", "dialect", "syntax", "graph", "config", "ide"],
        &[],
    ),
];

/// What test code may use besides its module's row: the fixture parser, and the file system and
/// environment to read fixture corpora and write temp folders.
const TEST_EXTRAS: Layer = layer("(tests)", &["test_fixture"], &[FS, ENV]);

const EVERY_MODULE: &[&str] = &["*"];

struct Layer {
    module: &'static str,
    modules: &'static [&'static str],
    world: &'static [World],
}

const fn layer(
    module: &'static str,
    modules: &'static [&'static str],
    world: &'static [World],
) -> Layer {
    Layer {
        module,
        modules,
        world,
    }
}

/// One way of reaching the outside world, and the paths that use it.
#[derive(PartialEq, Eq)]
struct World {
    name: &'static str,
    /// Path prefixes, as segments: `["std", "fs"]` matches `std::fs::read` and `use std::{fs}`.
    paths: &'static [&'static [&'static str]],
}

const FS: World = World {
    name: "the file system",
    paths: &[&["std", "fs"]],
};
const PROCESS: World = World {
    name: "processes",
    paths: &[&["std", "process"]],
};
const NET: World = World {
    name: "the network",
    paths: &[&["std", "net"]],
};
const ENV: World = World {
    name: "the environment",
    paths: &[&["std", "env"]],
};
const CLOCK: World = World {
    name: "the clock",
    paths: &[&["Local", "now"], &["Utc", "now"], &["SystemTime", "now"]],
};
const ASYNC: World = World {
    name: "async",
    paths: &[&["tokio"]],
};
const LSP: World = World {
    name: "LSP types",
    paths: &[&["tower_lsp_server"], &["ls_types"]],
};
const JSON: World = World {
    name: "JSON",
    paths: &[&["serde_json"]],
};
const WORLD: [&World; 8] = [&FS, &PROCESS, &NET, &ENV, &CLOCK, &ASYNC, &LSP, &JSON];

impl World {
    /// Whether `path` uses this: one of its prefixes appears in it (`chrono::Local::now` too).
    fn used_by(&self, path: &[String]) -> bool {
        self.paths
            .iter()
            .any(|p| path.windows(p.len()).any(|w| w == *p))
    }
}

/// One path found in a file: its segments (a `use` group expanded), where, and whether it sits in
/// test code.
#[derive(Debug)]
struct Found {
    segments: Vec<String>,
    line: usize,
    in_test: bool,
}

/// The source with comments and the contents of string and character literals replaced by
/// spaces (newlines kept, so lines still count).
fn strip(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && (i == 0 || !is_ident(chars[i - 1]))
            && raw_string_start(&chars, i + usize::from(c == 'b') + 1).is_some()
        {
            let start = i + usize::from(c == 'b') + 1;
            let hashes = raw_string_start(&chars, start).expect("checked");
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body = start + hashes + 1;
            out.extend(std::iter::repeat_n(' ', body - i));
            i = body;
            while i < chars.len() && !chars[i..].starts_with(&close) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.extend(std::iter::repeat_n(' ', close.len()));
            i += close.len();
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal (`'x'`, `'\n'`, `'\u{1e}'`), else a lifetime.
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.extend(std::iter::repeat_n(' ', end + 1 - i));
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The number of `#` of a raw string opening at `at` (`#…#"`), if one does.
fn raw_string_start(chars: &[char], at: usize) -> Option<usize> {
    let hashes = chars[at.min(chars.len())..]
        .iter()
        .take_while(|&&c| c == '#')
        .count();
    (chars.get(at + hashes) == Some(&'"')).then_some(hashes)
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other(char),
}

fn tokens(code: &str) -> Vec<(Token, usize)> {
    let mut res = Vec::new();
    let mut line = 1;
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            res.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            res.push((Token::PathSep, line));
            i += 2;
        } else {
            res.push((
                match c {
                    '{' => Token::Open,
                    '}' => Token::Close,
                    ',' => Token::Comma,
                    c => Token::Other(c),
                },
                line,
            ));
            i += 1;
        }
    }
    res
}

/// The paths of a `use` tree or an inline path starting at `tokens[at]` (after `prefix::`),
/// groups expanded: `{a, b::{c, d}}` gives `a`, `b::c`, `b::d`.
fn expand(tokens: &[(Token, usize)], at: usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    match tokens.get(at).map(|t| &t.0) {
        Some(Token::Ident(name)) => {
            let mut path = prefix.to_vec();
            path.push(name.clone());
            if tokens.get(at + 1).map(|t| &t.0) == Some(&Token::PathSep) {
                expand(tokens, at + 2, &path, out);
            } else {
                out.push(path);
            }
        }
        Some(Token::Open) => {
            // Each item starts after the brace or after a comma at depth one.
            let mut starts = vec![at + 1];
            let mut depth = 0;
            for (idx, (token, _)) in tokens.iter().enumerate().skip(at) {
                match token {
                    Token::Open => depth += 1,
                    Token::Close => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Token::Comma if depth == 1 => starts.push(idx + 1),
                    _ => {}
                }
            }
            for start in starts {
                if tokens.get(start).map(|t| &t.0) != Some(&Token::Close) {
                    expand(tokens, start, prefix, out);
                }
            }
        }
        _ => out.push(prefix.to_vec()),
    }
}

/// The ranges of lines (first, last) of items under `#[cfg(test)]`.
fn test_regions(tokens: &[(Token, usize)]) -> Vec<(usize, usize)> {
    let mut res = Vec::new();
    let pattern = [
        Token::Other('#'),
        Token::Other('['),
        Token::Ident("cfg".into()),
        Token::Other('('),
        Token::Ident("test".into()),
        Token::Other(')'),
        Token::Other(']'),
    ];
    for start in 0..tokens.len() {
        let matches = pattern
            .iter()
            .enumerate()
            .all(|(k, t)| tokens.get(start + k).map(|x| &x.0) == Some(t));
        if !matches {
            continue;
        }
        // The item runs to its `;` or to the brace closing its body.
        let mut depth = 0;
        for (token, line) in &tokens[start + pattern.len()..] {
            match token {
                Token::Other(';') if depth == 0 => {
                    res.push((tokens[start].1, *line));
                    break;
                }
                Token::Open => depth += 1,
                Token::Close => {
                    depth -= 1;
                    if depth == 0 {
                        res.push((tokens[start].1, *line));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    res
}

/// The modules a file declares under `#[cfg(test)]` without a body (`mod tests;`).
fn test_child_modules(tokens: &[(Token, usize)]) -> Vec<String> {
    let regions = test_regions(tokens);
    tokens
        .windows(3)
        .filter_map(|w| match (&w[0].0, &w[1].0, &w[2].0) {
            (Token::Ident(kw), Token::Ident(name), Token::Other(';'))
                if kw == "mod" && regions.iter().any(|&(a, b)| (a..=b).contains(&w[0].1)) =>
            {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Every path of interest in `source`: into other modules of the crate (as `crate::…`, with a
/// `super::` chain from `depth` levels below the root resolved) and to the outside world.
fn paths(source: &str, depth: usize, all_test: bool) -> Vec<Found> {
    let tokens = tokens(&strip(source));
    let regions = test_regions(&tokens);
    let mut res = Vec::new();
    let mut idx = 0;
    while idx < tokens.len() {
        let (token, line) = &tokens[idx];
        let preceded_by_path = idx > 0 && tokens[idx - 1].0 == Token::PathSep;
        let follows = tokens.get(idx + 1).map(|t| &t.0) == Some(&Token::PathSep);
        let mut found = Vec::new();
        if let Token::Ident(name) = token {
            if name == "crate" && follows {
                expand(&tokens, idx + 2, &["crate".to_string()], &mut found);
            } else if name == "super" && follows && !preceded_by_path {
                // `super::super::x` from `depth` levels down reaches the root after `depth`.
                let mut at = idx;
                let mut n_super = 0;
                while tokens.get(at).map(|t| &t.0) == Some(&Token::Ident("super".into()))
                    && tokens.get(at + 1).map(|t| &t.0) == Some(&Token::PathSep)
                {
                    n_super += 1;
                    at += 2;
                }
                if n_super >= depth {
                    expand(&tokens, at, &["crate".to_string()], &mut found);
                }
                idx = at;
            } else if !preceded_by_path && (follows || name == "tokio" || name == "serde_json") {
                let mut world = Vec::new();
                expand(&tokens, idx, &[], &mut world);
                found.extend(
                    world
                        .into_iter()
                        .filter(|path| WORLD.iter().any(|w| w.used_by(path))),
                );
            }
        }
        let in_test = all_test || regions.iter().any(|&(a, b)| (a..=b).contains(line));
        res.extend(found.into_iter().map(|segments| Found {
            segments,
            line: *line,
            in_test,
        }));
        idx += 1;
    }
    res
}

/// The layering violations of one file of module `module`.
fn violations(module: &str, file: &str, source: &str, depth: usize, all_test: bool) -> Vec<String> {
    let Some(row) = LAYERS.iter().find(|l| l.module == module) else {
        return vec![format!("{file}: module `{module}` has no row in LAYERS")];
    };
    let mut res = Vec::new();
    for found in paths(source, depth, all_test) {
        let allowed = |layer: &Layer| {
            if found.segments[0] == "crate" {
                let Some(target) = found.segments.get(1) else {
                    return true;
                };
                target == module
                    || layer.modules.iter().any(|m| m == target || *m == "*")
                    // Not a module: a crate-level item such as a macro.
                    || !LAYERS.iter().any(|l| l.module == target)
            } else {
                WORLD
                    .iter()
                    .filter(|w| w.used_by(&found.segments))
                    .all(|w| layer.world.contains(w))
            }
        };
        if allowed(row) || (found.in_test && allowed(&TEST_EXTRAS)) {
            continue;
        }
        let what = if found.segments[0] == "crate" {
            format!("`{}`", found.segments[1])
        } else {
            let world = WORLD
                .iter()
                .find(|w| w.used_by(&found.segments) && !row.world.contains(w))
                .map_or("?", |w| w.name);
            format!("{world} (`{}`)", found.segments.join("::"))
        };
        res.push(format!(
            "{file}:{}: `{module}`{} may not use {what}",
            found.line,
            if found.in_test { " (test code)" } else { "" },
        ));
    }
    // `use crate::x::{a, b}` is one use of `x`.
    res.dedup();
    res
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The layering violations of the crate at `src`.
fn check_crate(src: &Path) -> Vec<String> {
    let files = rust_files(src);
    // Files that are test code as a whole: declared `#[cfg(test)] mod x;` by their parent.
    let mut test_files = BTreeSet::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("read source");
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("mod.rs" | "lib.rs" | "main.rs") => file.parent().expect("folder").to_path_buf(),
            _ => file.with_extension(""),
        };
        // The module's file, or its folder (`child/mod.rs` and submodules).
        for child in test_child_modules(&tokens(&strip(&source))) {
            test_files.insert(dir.join(format!("{child}.rs")));
            test_files.insert(dir.join(&child));
        }
    }
    let mut res = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(src).expect("under src");
        let parts: Vec<&str> = rel
            .components()
            .map(|c| c.as_os_str().to_str().expect("UTF-8 path"))
            .collect();
        if parts == ["lib.rs"] || parts == ["main.rs"] {
            continue;
        }
        let module = parts[0].trim_end_matches(".rs");
        // How many `super::` reach the crate root: `a.rs` and `a/mod.rs` are one level down.
        let depth = parts.len() - usize::from(parts.last() == Some(&"mod.rs"));
        let in_test = test_files.iter().any(|t| file.starts_with(t));
        let source = std::fs::read_to_string(file).expect("read source");
        res.extend(violations(
            module,
            &format!("src/{}", parts.join("/")),
            &source,
            depth,
            in_test,
        ));
    }
    res
}

#[test]
fn modules_use_only_what_their_layer_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let violations = check_crate(&src);
    assert!(
        violations.is_empty(),
        "layering violations:\n{}",
        violations.join("\n")
    );
    // Every top-level module has a row, and every row a module.
    let mut modules: Vec<String> = std::fs::read_dir(&src)
        .expect("src")
        .flatten()
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .filter(|m| m != "lib" && m != "main")
        .collect();
    modules.sort();
    let mut rows: Vec<String> = LAYERS.iter().map(|l| l.module.to_string()).collect();
    rows.sort();
    assert_eq!(modules, rows);
}

#[test]
fn the_layering_check_sees_planted_violations() {
    let planted = r##"
//! A pure module that is not.
use crate::{text::TextRange, lsp::{self}};
use std::{collections::HashMap, fs, process::Command};
// crate::cli in a comment and "crate::cli" in a string are no uses.
const S: &str = r#"crate::cli std::net"#;
fn f<'a>(c: char) -> &'a str {
    let _ = ('"', '\'', c);
    let _ = crate::load::read_note;
    let _ = super::workspace::Workspace::new;
    std::env::var("X").ok();
    ""
}
#[cfg(test)]
mod tests {
    fn g() { let _ = std::fs::read("x"); let _ = crate::test_fixture::parse; let _ = std::net::TcpStream::connect("x"); }
}
"##;
    let found = violations("graph", "src/graph/planted.rs", planted, 2, false);
    let expected = [
        "src/graph/planted.rs:3: `graph` may not use `lsp`",
        "src/graph/planted.rs:4: `graph` may not use the file system (`std::fs`)",
        "src/graph/planted.rs:4: `graph` may not use processes (`std::process::Command`)",
        "src/graph/planted.rs:9: `graph` may not use `load`",
        "src/graph/planted.rs:11: `graph` may not use the environment (`std::env::var`)",
        "src/graph/planted.rs:16: `graph` (test code) may not use the network (`std::net::TcpStream::connect`)",
    ];
    assert_eq!(found, expected);
    // Two levels down, `super::super::` reaches the root: `super::workspace` does not.
    let climbing = "fn f() { let _ = super::super::cli::run; }\n";
    assert_eq!(
        violations("graph", "src/graph/x.rs", climbing, 2, false),
        ["src/graph/x.rs:1: `graph` may not use `cli`"]
    );

    // And the whole check fails on a copy of the crate with one planted import.
    let copy = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in rust_files(&src) {
        let to = copy
            .path()
            .join(file.strip_prefix(&src).expect("under src"));
        std::fs::create_dir_all(to.parent().expect("folder")).expect("mkdir");
        std::fs::copy(&file, &to).expect("copy");
    }
    assert!(check_crate(copy.path()).is_empty());
    let history = copy.path().join("history.rs");
    let text = std::fs::read_to_string(&history).expect("history.rs");
    std::fs::write(&history, format!("{text}\nuse crate::load::git;\n")).expect("plant");
    let found = check_crate(copy.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("src/history.rs:") && found[0].ends_with("`history` may not use `load`"),
        "{found:?}"
    );
}

#[test]
fn every_module_opens_with_a_doc_comment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing: Vec<String> = rust_files(&root.join("src"))
        .into_iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` doc comment: {missing:?}"
    );
}
