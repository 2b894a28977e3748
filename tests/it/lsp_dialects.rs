//! The server in each dialect's fixture corpus: completion inserts the dialect's link form,
//! definition and references follow Hugo URLs and Obsidian names, willRenameFiles rewrites the
//! links in the form they were written, and a change republishes the notes linking to it in a
//! dialect form.

use crate::lsp_client::{copy_corpus, utf16_col, LspClient};
use serde_json::{json, Value};

fn start(root: &std::path::Path) -> LspClient {
    LspClient::start(root, json!({}), Value::Null).0
}

fn labels(result: &Value) -> Vec<String> {
    result["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["label"].as_str().expect("label").to_string())
        .collect()
}

/// The new texts of a workspace edit's changes to the note at `uri`, in order.
fn new_texts(edit: &Value, uri: &str) -> Vec<String> {
    edit["changes"][uri]
        .as_array()
        .unwrap_or_else(|| panic!("no changes to {uri}: {edit}"))
        .iter()
        .map(|e| e["newText"].as_str().expect("newText").to_string())
        .collect()
}

/// Whether any of the diagnostics' messages contains `text`.
fn mentions(diagnostics: &[Value], text: &str) -> bool {
    diagnostics
        .iter()
        .any(|d| d["message"].as_str().is_some_and(|m| m.contains(text)))
}

/// The position of the first `needle` on line `line` of `text`, `offset` bytes into it.
fn at(client: &LspClient, rel: &str, text: &str, line: u32, needle: &str, offset: usize) -> Value {
    let line_text = text.lines().nth(line as usize).expect("the line");
    let col = line_text.find(needle).expect("the needle") + offset;
    client.at(rel, line, utf16_col(line_text, col))
}

/// `workspace/willRenameFiles` for moving `old` to `new`.
fn will_rename(client: &mut LspClient, old: &str, new: &str) -> Value {
    let files = json!({"files": [{"oldUri": client.uri(old), "newUri": client.uri(new)}]});
    client.request("workspace/willRenameFiles", files)
}

/// Asserts that references `refs` include each of `lines` in the note at `uri`.
fn assert_lines_in(refs: &[(String, u64)], uri: &str, lines: &[u64]) {
    for &line in lines {
        assert!(
            refs.contains(&(uri.to_string(), line)),
            "line {line} not in {refs:?}"
        );
    }
}

/// Asserts that the new texts `texts` include each of `expected`.
fn assert_texts_in(texts: &[String], expected: &[&str]) {
    for expected in expected {
        assert!(
            texts.iter().any(|text| text == expected),
            "{expected} not in {texts:?}"
        );
    }
}

fn references(client: &mut LspClient, position: Value) -> Vec<(String, u64)> {
    let mut params = position;
    params["context"] = json!({"includeDeclaration": false});
    let refs = client.request("textDocument/references", params);
    refs.as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().expect("uri").to_string(),
                l["range"]["start"]["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

#[test]
fn obsidian_vault_completion_navigation_rename_and_republish() {
    let dir = copy_corpus("obsidian");
    let mut client = start(dir.path());
    let home = std::fs::read_to_string(dir.path().join("Home.md")).unwrap();
    let before = client.diagnostics_for("Home.md", |d| mentions(d, "Missing Note"));
    assert!(!before.is_empty());

    // Wiki-links complete to the shortest path that names one note: the name when unique.
    client.open_text("New.md", "# New\n\n[[GPU\n[[du\n[[GPU Cluster#\n");
    client.diagnostics_for("New.md", |_| true);
    let names = client.request("textDocument/completion", client.at("New.md", 2, 5));
    assert!(
        labels(&names).contains(&"GPU Cluster".to_string()),
        "{names}"
    );
    let dups = client.request("textDocument/completion", client.at("New.md", 3, 4));
    let dups = labels(&dups);
    assert!(dups.contains(&"a/dup".to_string()) && dups.contains(&"b/dup".to_string()));
    let fragments = client.request("textDocument/completion", client.at("New.md", 4, 14));
    let fragments = labels(&fragments);
    assert!(
        fragments.contains(&"Power budget".to_string())
            && fragments.contains(&"^rack-a".to_string()),
        "{fragments:?}"
    );

    // A wiki-link by name, case ignored, goes to the note; its references include the
    // shortest-path Markdown link.
    let def = client.request(
        "textDocument/definition",
        at(&client, "Home.md", &home, 6, "[[gpu cluster]]", 3),
    );
    assert_eq!(def[0]["targetUri"], client.uri("Projects/GPU Cluster.md"));
    let title = client.at("Projects/GPU Cluster.md", 0, 3);
    let refs = references(&mut client, title);
    let home_uri = client.uri("Home.md");
    assert_lines_in(&refs, &home_uri, &[6, 7, 13, 17, 18]);

    // Moving the note rewrites each link in its form.
    let edit = will_rename(&mut client, "Projects/GPU Cluster.md", "Archive/Cluster.md");
    let texts = new_texts(&edit, &home_uri);
    assert_texts_in(
        &texts,
        &[
            "Cluster",
            "Archive/Cluster",
            "Archive/Cluster.md",
            "Cluster.md",
        ],
    );
    assert!(!texts.iter().any(|t| t.contains("Projects")), "{texts:?}");

    // A note that appears where a Markdown link finds it by shortest path, or under the name a
    // wiki-link uses, clears the finding of a note that is not open.
    std::fs::write(
        dir.path().join("Other.md"),
        "# Other\n\n[later](Later.md)\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": client.uri("Other.md"), "type": 1}]}),
    );
    client.diagnostics_for("Other.md", |d| mentions(d, "Later.md"));
    std::fs::create_dir_all(dir.path().join("Somewhere")).unwrap();
    for name in ["Later", "Missing Note"] {
        let rel = format!("Somewhere/{name}.md");
        std::fs::write(dir.path().join(&rel), "# Found\n").unwrap();
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": client.uri(&rel), "type": 1}]}),
        );
    }
    client.diagnostics_for("Other.md", |d| !mentions(d, "Later.md"));
    client.diagnostics_for("Home.md", |d| !mentions(d, "Missing Note"));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hugo_site_completion_navigation_rename_and_republish() {
    let dir = copy_corpus("hugo");
    let mut client = start(dir.path());
    let setup_path = "content/en/docs/setup.md";
    // Not open: its findings are published again only as a dependent of a change.
    let setup = std::fs::read_to_string(dir.path().join(setup_path)).unwrap();
    client.diagnostics_for(setup_path, |d| mentions(d, "docs/missing"));

    // A link typed from `/` completes to the site's pretty URLs.
    let new_path = "content/en/docs/new.md";
    client.open_text(new_path, "# New\n\n[x](/\n");
    client.diagnostics_for(new_path, |_| true);
    let urls = client.request("textDocument/completion", client.at(new_path, 2, 5));
    let urls = labels(&urls);
    assert!(
        urls.contains(&"/docs/guide/".to_string()) && urls.contains(&"/docs/setup/".to_string()),
        "{urls:?}"
    );

    // A site URL goes to the page bundle; the page's references hold its every form.
    let link = at(&client, setup_path, &setup, 6, "/docs/guide/", 2);
    let def = client.request("textDocument/definition", link.clone());
    assert_eq!(
        def[0]["targetUri"],
        client.uri("content/en/docs/Guide/index.md")
    );
    let refs = references(&mut client, link);
    let setup_uri = client.uri(setup_path);
    assert_lines_in(&refs, &setup_uri, &[6, 9, 11]);

    // Moving the bundle rewrites URLs as URLs.
    let edit = will_rename(
        &mut client,
        "content/en/docs/Guide/index.md",
        "content/en/docs/howto/guide.md",
    );
    let texts = new_texts(&edit, &setup_uri);
    assert_texts_in(
        &texts,
        &["/docs/howto/guide/", "../howto/guide/", "howto/guide"],
    );

    // A page opened at the URL a link names clears that link's finding.
    client.open_text("content/en/docs/missing.md", "# Missing no more\n");
    client.diagnostics_for(setup_path, |d| !mentions(d, "docs/missing"));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn mdbook_completion_and_rename_keep_chapter_paths_and_html_pages() {
    let dir = copy_corpus("mdbook");
    let mut client = start(dir.path());
    client.diagnostics_for("src/ch01.md", |d| !d.is_empty());
    client.open_text("src/new.md", "# New\n\n[x](\n");
    client.diagnostics_for("src/new.md", |_| true);
    let paths = client.request("textDocument/completion", client.at("src/new.md", 2, 4));
    let paths = labels(&paths);
    assert!(
        paths.contains(&"ch01.md".to_string()) && paths.contains(&"ch01/section.md".to_string()),
        "{paths:?}"
    );
    let edit = will_rename(&mut client, "src/ch01.md", "src/part1/ch01.md");
    assert_eq!(
        new_texts(&edit, &client.uri("src/README.md")),
        ["part1/ch01.html"]
    );
    assert_eq!(
        new_texts(&edit, &client.uri("src/SUMMARY.md")),
        ["part1/ch01.md"]
    );
    assert!(new_texts(&edit, &client.uri("src/ch01.md")).contains(&"../index.html".to_string()));
    assert_eq!(client.shutdown(), 0);
}
