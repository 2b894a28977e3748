//! End-to-end tests of `kbls lsp`: the real binary, JSON-RPC over stdio.

use crate::lsp_client::{copy_corpus, utf16_col, LspClient};
use serde_json::{json, Value};
use std::path::Path;

fn corpus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn start(root: &Path) -> LspClient {
    LspClient::start(
        root,
        json!({"window": {"workDoneProgress": true}}),
        Value::Null,
    )
    .0
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn indexes_the_fixture_corpus_with_progress_and_diagnostics_for_every_note() {
    let kb = copy_corpus("kb");
    let (mut client, init) = LspClient::start(
        kb.path(),
        json!({"window": {"workDoneProgress": true}}),
        Value::Null,
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "kbls");
    let progress = client
        .wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "report");
    assert!(
        progress["params"]["value"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Indexing "),
        "{progress}"
    );
    // Diagnostics for notes that are not open, so the problems panel lists every broken link.
    let broken = client.diagnostics_for("kubernetes/device-plugins.md", |d| !d.is_empty());
    assert_eq!(codes(&broken), ["broken-link"]);
    assert_eq!(broken[0]["source"], "kbls");
    let anchor = client.diagnostics_for("linux/linux-internals.md", |d| !d.is_empty());
    assert_eq!(codes(&anchor), ["broken-anchor"]);
    assert!(anchor[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `#resource-requests-vs-limits`"));
    let stale = client.diagnostics_for("devops/git-internals.md", |d| !d.is_empty());
    assert_eq!(codes(&stale), ["stale-note"]);
    client.diagnostics_for("networking/dns.md", |d| d.is_empty());
    assert_eq!(client.shutdown(), 0);
}

const NOTES: &[(&str, &str)] = &[
    ("a.md", "# Alpha 🦀 café\n\nSee [Beta intro](b/beta.md#intro-section) and [[beta]] and [missing](gone.md).\n[ref link][lbl]\n\n[lbl]: b/beta.md\n\nLast updated: 2026-11-01\n"),
    ("b/beta.md", "# Beta\n\n## Intro Section\n\nBeta text.\n\n## Other\n\n[back](../a.md)\n"),
    ("c.md", "# Gamma\n\n[to intro](b/beta.md#intro-section)\n"),
];

#[test]
fn hover_definition_and_references_with_utf16_positions() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    let text = client.open("a.md");
    client.diagnostics_for("a.md", |d| !d.is_empty());
    let line = text.lines().nth(2).unwrap();
    // Hover on the link destination; the line has no emoji, but line 0 does (below).
    let col = utf16_col(line, line.find("b/beta.md").unwrap());
    let hover = client.request("textDocument/hover", client.at("a.md", 2, col + 2));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("**Beta**")
            && value.contains("## Intro Section")
            && value.contains("backlink"),
        "{value}"
    );

    let def = client.request("textDocument/definition", client.at("a.md", 2, col + 2));
    assert_eq!(def[0]["targetUri"], client.uri("b/beta.md"));
    assert_eq!(def[0]["targetSelectionRange"]["start"]["line"], 2);

    // References on a heading: every link to it across the corpus.
    let refs = client.request("textDocument/references", json!({"textDocument": {"uri": client.uri("b/beta.md")}, "position": {"line": 2, "character": 5}, "context": {"includeDeclaration": false}}));
    let from: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(from, [client.uri("a.md"), client.uri("c.md")]);
    // On the title: backlinks to the note (the three links in a.md count separately).
    let backlinks = client.request("textDocument/references", json!({"textDocument": {"uri": client.uri("b/beta.md")}, "position": {"line": 0, "character": 0}, "context": {"includeDeclaration": false}}));
    assert_eq!(backlinks.as_array().unwrap().len(), 4, "{backlinks}");

    // The heading "# Alpha 🦀 café": hover on "café" after the emoji (UTF-16 col 10).
    let hover = client.request("textDocument/hover", client.at("a.md", 0, 12));
    assert_eq!(hover["range"]["end"]["character"], 15, "{hover}");
    // A position far past the end of a line or file is clamped, not an error.
    let far = client.request_raw("textDocument/hover", client.at("a.md", 999, 999));
    assert!(far.get("error").is_none(), "{far}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn utf8_clients_get_byte_columns() {
    let dir = corpus(&[
        ("a.md", "# 🦀 x\n\n🦀 [b](b.md) [gone](gone.md)\n"),
        ("b.md", "# B\n"),
    ]);
    let (mut client, init) = LspClient::start(
        dir.path(),
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        Value::Null,
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let diagnostics = client.diagnostics_for("a.md", |d| !d.is_empty());
    // "🦀 [b](b.md) [" is 4 + 1 + 10 + 1 + 6 = 22 bytes before "gone.md".
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 2, "character": 22})
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_burst_of_edits_ends_in_the_same_state_as_a_fresh_parse() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.open("c.md");
    client.diagnostics_for("c.md", |d| d.is_empty());
    let uri = client.uri("c.md");
    let mut expected = std::fs::read_to_string(dir.path().join("c.md")).unwrap();
    // 500 edits, each appending on the last line; every tenth adds a broken link.
    for version in 2..502 {
        let insert = if version % 10 == 0 {
            format!(" [x{version}](nope{version}.md)")
        } else {
            "é🦀".to_string()
        };
        let lines = expected.split('\n').count() as u32 - 1;
        let last_line = expected.rsplit('\n').next().unwrap();
        let col = last_line.encode_utf16().count() as u32;
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": {"line": lines, "character": col}, "end": {"line": lines, "character": col}}, "text": insert}]}));
        expected.push_str(&insert);
    }
    let diagnostics = client.diagnostics_for("c.md", |d| d.len() == 50);
    assert!(diagnostics.iter().all(|d| d["code"] == "broken-link"));
    // The server's text equals ours: a fresh server on the final text reports the same.
    std::fs::write(dir.path().join("c.md"), &expected).unwrap();
    let mut fresh = start(dir.path());
    let fresh_diagnostics = fresh.diagnostics_for("c.md", |d| !d.is_empty());
    assert_eq!(diagnostics, fresh_diagnostics);
    assert_eq!(fresh.shutdown(), 0);
    assert_eq!(client.shutdown(), 0);
}

/// Edits that come faster than their 300 dependents are published: every dependent ends in the
/// final state, and no findings computed before it arrive after it.
#[test]
fn a_burst_of_heading_edits_leaves_every_dependent_in_the_final_state() {
    let dependents: Vec<(String, String)> = (0..300)
        .map(|i| {
            (
                format!("d/{i:03}.md"),
                format!("# D{i}\n\n[hub](../hub.md#a)\n"),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![("hub.md", "# Hub\n\n## A\n")];
    files.extend(dependents.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let dir = corpus(&files);
    let mut client = start(dir.path());
    client.open("hub.md");
    client.diagnostics_for("d/299.md", |d| d.is_empty());
    let hub = client.uri("hub.md");
    // 40 edits back to back, renaming the heading to `B` and back; the last one breaks the links.
    for version in 2..42 {
        let heading = if version % 2 == 1 { "## B" } else { "## A" };
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": hub, "version": version}, "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 4}}, "text": heading}]}));
    }
    let uris: std::collections::HashSet<String> =
        dependents.iter().map(|(p, _)| client.uri(p)).collect();
    let broken = |m: &Value| {
        m["params"]["diagnostics"]
            .as_array()
            .is_some_and(|d| codes(d) == ["broken-anchor"])
    };
    let mut latest: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    while uris.iter().any(|uri| latest.get(uri) != Some(&true)) {
        let message = client.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"]
                    .as_str()
                    .is_some_and(|u| uris.contains(u))
        });
        let uri = message["params"]["uri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        latest.insert(uri, broken(&message));
    }
    let later = client.messages_within(std::time::Duration::from_millis(500));
    for message in later.iter().filter(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"]
                .as_str()
                .is_some_and(|u| uris.contains(u))
    }) {
        assert!(broken(message), "an older state arrived last: {message}");
    }
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn deleting_a_heading_breaks_links_in_other_notes_and_restoring_it_clears_them() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.open("b/beta.md");
    client.diagnostics_for("c.md", |d| d.is_empty());
    let uri = client.uri("b/beta.md");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 2, "character": 3}, "end": {"line": 2, "character": 16}}, "text": "Renamed"}]}));
    let broken = client.diagnostics_for("c.md", |d| !d.is_empty());
    assert_eq!(codes(&broken), ["broken-anchor"]);
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": NOTES[1].1}]}));
    client.diagnostics_for("c.md", |d| d.is_empty());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn files_changed_on_disk_update_only_what_depends_on_them() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    let before = client.diagnostics_for("a.md", |d| !d.is_empty());
    assert_eq!(codes(&before), ["broken-link"]);
    std::fs::write(dir.path().join("gone.md"), "# Gone no more\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": client.uri("gone.md"), "type": 1}]}),
    );
    client.diagnostics_for("a.md", |d| d.is_empty());
    std::fs::remove_file(dir.path().join("b/beta.md")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": client.uri("b/beta.md"), "type": 3}]}),
    );
    let after = client.diagnostics_for("c.md", |d| !d.is_empty());
    assert_eq!(codes(&after), ["broken-link"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn will_rename_files_keeps_links_into_and_out_of_the_moved_note() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.diagnostics_for("c.md", |d| d.is_empty());
    let edit = client.request("workspace/willRenameFiles", json!({"files": [{"oldUri": client.uri("b/beta.md"), "newUri": client.uri("archive/old/beta2.md")}]}));
    let changes = &edit["changes"];
    let a = changes[client.uri("a.md")].as_array().unwrap();
    let new_texts: Vec<&str> = a.iter().map(|e| e["newText"].as_str().unwrap()).collect();
    assert_eq!(
        new_texts,
        ["archive/old/beta2.md", "beta2", "archive/old/beta2.md"]
    );
    assert_eq!(
        changes[client.uri("c.md")][0]["newText"],
        "archive/old/beta2.md"
    );
    // The moved note's own relative link must still reach a.md from its new folder.
    assert_eq!(changes[client.uri("b/beta.md")][0]["newText"], "../../a.md");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn rename_a_heading_updates_every_anchor() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.open("b/beta.md");
    client.diagnostics_for("c.md", |d| d.is_empty());
    let prepare = client.request("textDocument/prepareRename", client.at("b/beta.md", 2, 5));
    assert_eq!(prepare["placeholder"], "Intro Section");
    let mut params = client.at("b/beta.md", 2, 5);
    params["newName"] = json!("Getting Started");
    let edit = client.request("textDocument/rename", params);
    assert_eq!(
        edit["changes"][client.uri("c.md")][0]["newText"],
        "getting-started"
    );
    assert_eq!(
        edit["changes"][client.uri("a.md")][0]["newText"],
        "getting-started"
    );
    assert_eq!(
        edit["changes"][client.uri("b/beta.md")][0]["newText"],
        "Getting Started"
    );
    // A name whose anchor another heading of the note has is refused, with the reason.
    let mut params = client.at("b/beta.md", 2, 5);
    params["newName"] = json!("Other");
    let refused = client.request_raw("textDocument/rename", params);
    assert_eq!(refused["error"]["code"], -32602, "{refused}");
    assert_eq!(
        refused["error"]["message"],
        "the heading on line 7 already has the anchor `#other`; links could not tell the two apart"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn completion_of_paths_anchors_wikilinks_dates_and_admonitions() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.diagnostics_for("c.md", |d| d.is_empty());
    let text = "# New\n\n[x](b/\n[y](b/beta.md#\n[[be\nLast updated: \n> [!\n";
    client.open_text("new.md", text);
    client.diagnostics_for("new.md", |_| true);
    let labels = |result: &Value| -> Vec<String> {
        result["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let paths = client.request("textDocument/completion", client.at("new.md", 2, 6));
    assert!(labels(&paths).contains(&"b/beta.md".to_string()), "{paths}");
    let item = paths["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "b/beta.md")
        .unwrap();
    assert_eq!(item["detail"], "Beta");
    assert_eq!(
        item["textEdit"]["range"]["start"],
        json!({"line": 2, "character": 4})
    );
    let anchors = client.request("textDocument/completion", client.at("new.md", 3, 14));
    assert_eq!(labels(&anchors), ["beta", "intro-section", "other"]);
    let wiki = client.request("textDocument/completion", client.at("new.md", 4, 4));
    assert!(labels(&wiki).contains(&"beta".to_string()));
    let date = client.request("textDocument/completion", client.at("new.md", 5, 14));
    assert_eq!(labels(&date), ["2026-11-28"]);
    let admonitions = client.request("textDocument/completion", client.at("new.md", 6, 4));
    assert_eq!(
        labels(&admonitions),
        ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"]
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn symbols_folding_links_code_actions_and_lenses() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.open("a.md");
    client.diagnostics_for("a.md", |d| !d.is_empty());
    let doc = json!({"textDocument": {"uri": client.uri("b/beta.md")}});
    let symbols = client.request("textDocument/documentSymbol", doc.clone());
    assert_eq!(symbols[0]["name"], "Beta");
    let children: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["Intro Section", "Other"]);
    search_when_ready(&mut client, "intro");
    let workspace = client.request("workspace/symbol", json!({"query": "intro"}));
    assert_eq!(workspace[0]["name"], "Intro Section");
    let folds = client.request("textDocument/foldingRange", doc.clone());
    assert!(folds.as_array().unwrap().len() >= 2);
    let links = client.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": client.uri("a.md")}}),
    );
    assert!(
        links[0]["target"]
            .as_str()
            .unwrap()
            .ends_with("b/beta.md#L3"),
        "{links}"
    );
    let lenses = client.request("textDocument/codeLens", doc);
    assert_eq!(lenses[1]["command"]["title"], "2 references");
    // Quick fixes for the broken link: create the note, suppress it.
    let actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": client.uri("a.md")}, "range": {"start": {"line": 2, "character": 72}, "end": {"line": 2, "character": 72}}, "context": {"diagnostics": []}}));
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Create note `gone.md`"), "{titles:?}");
    assert!(
        titles.contains(&"Suppress `broken-link` on this line"),
        "{titles:?}"
    );
    let date_actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": client.uri("a.md")}, "range": {"start": {"line": 7, "character": 16}, "end": {"line": 7, "character": 16}}, "context": {"diagnostics": []}}));
    assert_eq!(date_actions[0]["title"], "Set date to today (2026-11-28)");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn settings_from_the_client_override_kbls_toml() {
    let dir = corpus(&[("a.md", "# A\n\n[x](gone.md)\n\nLast updated: 2026-10-01\n")]);
    let (mut client, _) = LspClient::start(
        dir.path(),
        json!({}),
        json!({"kbls": {"staleAfterDays": 10, "rules": {"broken-link": "off"}}}),
    );
    let diagnostics = client.diagnostics_for("a.md", |d| !d.is_empty());
    assert_eq!(codes(&diagnostics), ["stale-note"]);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kbls": {"staleAfterDays": 365}}}),
    );
    let diagnostics = client.diagnostics_for("a.md", |d| codes(d) == ["broken-link"]);
    assert_eq!(diagnostics[0]["severity"], 1);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn survives_bad_input() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.diagnostics_for("c.md", |d| d.is_empty());
    // Unknown methods, malformed JSON, unknown documents, cancellation.
    let unknown = client.request_raw("kbls/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    client.send_raw("{this is not json");
    let parse_error = client.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    client.send_raw(
        r#"{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":{"bogus":true}}"#,
    );
    let bad_params = client.wait_for(|m| m["id"] == 99);
    assert!(bad_params.get("error").is_some());
    let nowhere = client.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere/x.md"}, "position": {"line": 0, "character": 0}}));
    assert!(nowhere.is_null());
    client.notify("$/cancelRequest", json!({"id": 12345}));
    // A link climbing out of the workspace is reported, never read.
    client.open_text("out.md", "# Out\n\n[x](../../../../etc/passwd)\n");
    let out = client.diagnostics_for("out.md", |d| !d.is_empty());
    assert_eq!(codes(&out), ["link-outside-root"]);
    // Still serving.
    let hover = client.request("textDocument/hover", client.at("c.md", 2, 5));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Beta"));
    assert_eq!(client.shutdown(), 0);
}

/// Every framing and message defect a client has sent, each followed by a valid hover: each is
/// answered as JSON-RPC asks (or logged), the hover is answered right, and the server lives until
/// `exit`.
#[test]
fn survives_every_transport_input() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.diagnostics_for("c.md", |d| d.is_empty());
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
    // Each input, and the error reply it must get (id, code), if any.
    type Expected = Option<(Value, i64)>;
    let inputs: Vec<(Vec<u8>, Expected)> = vec![
        (frame("{}"), Some((Value::Null, -32600))),
        (
            frame(r#"{"jsonrpc":"1.0","id":501,"method":"textDocument/hover"}"#),
            Some((json!(501), -32600)),
        ),
        (
            frame(r#"{"id":502,"method":"textDocument/hover"}"#),
            Some((json!(502), -32600)),
        ),
        (
            frame(r#"{"jsonrpc":"2.0","id":503,"method":5}"#),
            Some((json!(503), -32600)),
        ),
        (
            frame(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            Some((Value::Null, -32600)),
        ),
        (
            frame(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#),
            Some((Value::Null, -32600)),
        ),
        (
            frame(r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"x"}"#),
            Some((Value::Null, -32600)),
        ),
        (
            frame(r#"{"jsonrpc":"2.0","id":504,"method":"$/foo"}"#),
            Some((json!(504), -32601)),
        ),
        (frame("{not json"), Some((Value::Null, -32700))),
        (b"X-A: \xff\r\n".to_vec(), None),
        (b"Content-Type: x\r\n\r\n{}".to_vec(), None),
        (b"Content-Length: abc\r\n\r\n{}".to_vec(), None),
        (b"Content-Length: -5\r\n\r\n{}".to_vec(), None),
        (
            b"Content-Length: 99999999999999999999\r\n\r\n{}".to_vec(),
            None,
        ),
        (b"Content-Length: 4294967296\r\n\r\n{}".to_vec(), None),
        // Bodies shorter and longer than their declared length.
        (b"Content-Length: 300\r\n\r\n{}".to_vec(), None),
        (
            b"Content-Length: 3\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_vec(),
            None,
        ),
    ];
    for (n, (input, reply)) in inputs.into_iter().enumerate() {
        client.send_bytes(&input);
        let hover = client.request_raw("textDocument/hover", client.at("c.md", 2, 5));
        assert!(
            hover["result"]["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.contains("Beta")),
            "input {n}: {hover}"
        );
        if let Some((id, code)) = reply {
            let answer = client.wait_for(|m| {
                m.get("method").is_none() && m["error"]["code"] == code && m["id"] == id
            });
            assert!(
                answer["error"]["message"].is_string(),
                "input {n}: {answer}"
            );
        }
    }
    assert_eq!(client.shutdown(), 0);
}

/// Documents are files: a folder URI never starts a crawl, a note that was never saved gets its
/// diagnostics at its own URI, and dot segments in a URI name the same note.
#[test]
fn folder_uris_unsaved_notes_and_dot_segments() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.diagnostics_for("c.md", |d| d.is_empty());
    for folder in ["file:///", "file:///usr/"] {
        client.notify("textDocument/didOpen", json!({"textDocument": {"uri": folder, "languageId": "markdown", "version": 1, "text": "# Folder\n"}}));
    }
    let symbols = client.request("workspace/symbol", json!({"query": ""}));
    let root_uri = client.uri("");
    assert!(
        symbols
            .as_array()
            .expect("symbols")
            .iter()
            .all(|s| s["location"]["uri"]
                .as_str()
                .is_some_and(|u| u.starts_with(&root_uri))),
        "{symbols}"
    );
    // A note outside the workspace that was never saved.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::write(elsewhere.path().join("kbls.toml"), "").expect("config");
    let elsewhere = std::fs::canonicalize(elsewhere.path()).expect("canonical");
    let unsaved = format!("file://{}/never-saved.md", elsewhere.display());
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": unsaved, "languageId": "markdown", "version": 1, "text": "# New\n\n[x](nope.md)\n"}}));
    let published = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"]
                .as_str()
                .is_some_and(|u| u.contains("never-saved.md"))
    });
    assert_eq!(published["params"]["uri"], unsaved.as_str());
    // `b/../c.md` is `c.md`: its link resolves.
    let dotted = format!("{root_uri}/b/../c.md");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": dotted}, "position": {"line": 2, "character": 5}}),
    );
    let text = hover["contents"]["value"].as_str().expect("hover");
    assert!(text.contains("Beta") && !text.contains("Broken"), "{text}");
    assert_eq!(client.shutdown(), 0);
}

/// A note opened outside every workspace folder, in a git repository without `kbls.toml`, gets
/// the work tree's top as its root, as `kbls check` does: links across folders resolve.
#[test]
fn a_note_outside_the_workspace_gets_its_git_work_tree_as_root() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.diagnostics_for("c.md", |d| d.is_empty());
    let repo = corpus(&[
        ("gpu/a.md", "# A\n\n## Setup\n"),
        (
            "notes/sub/b.md",
            "# B\n\n[A](../../gpu/a.md#setup) [bad](../../gpu/a.md#nope)\n",
        ),
    ]);
    let status = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo.path())
        .status()
        .expect("run git");
    assert!(status.success());
    let repo = std::fs::canonicalize(repo.path()).expect("canonical");
    let uri = format!("file://{}/notes/sub/b.md", repo.display());
    let text = std::fs::read_to_string(repo.join("notes/sub/b.md")).expect("read b.md");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let published = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
    });
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert_eq!(codes(diagnostics), ["broken-anchor"], "{published}");
    assert_eq!(client.shutdown(), 0);
}

/// An editor document is read like the file on disk: a BOM before front matter keeps the front
/// matter, so its date is seen.
#[test]
fn an_open_document_with_a_bom_keeps_its_front_matter() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.diagnostics_for("c.md", |d| d.is_empty());
    client.open_text(
        "bom.md",
        "\u{feff}---\nlast_updated: 2020-01-01\n---\n# Bom\n",
    );
    let published = client.diagnostics_for("bom.md", |d| !d.is_empty());
    assert_eq!(codes(&published), ["stale-note"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_exits_with_code_1() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.notify("exit", Value::Null);
    let status = client_wait(&mut client);
    assert_eq!(status, 1);
}

fn client_wait(client: &mut LspClient) -> i32 {
    // Give the server a moment to exit on its own.
    for _ in 0..200 {
        if let Some(code) = client.try_exit_code() {
            return code;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("server did not exit")
}

#[test]
fn editing_a_note_whose_date_is_not_today_gets_a_hint_with_a_fix() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.open("a.md");
    client.diagnostics_for("a.md", |d| !d.is_empty());
    let uri = client.uri("a.md");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "More text.\n"}]}));
    let diagnostics =
        client.diagnostics_for("a.md", |d| codes(d).contains(&"date-not-today".to_string()));
    let hint = diagnostics
        .iter()
        .find(|d| d["code"] == "date-not-today")
        .unwrap();
    assert_eq!(hint["severity"], 4);
    assert_eq!(hint["range"]["start"], json!({"line": 8, "character": 14}));
    let actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": hint["range"], "context": {"diagnostics": [hint]}}));
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Set date to today (2026-11-28)")
        .expect("set-to-today action");
    assert_eq!(fix["edit"]["changes"][&uri][0]["newText"], "2026-11-28");
    assert_eq!(client.shutdown(), 0);
}

/// Waits until the server's full-text index answers `query` (it is built in the background).
fn search_when_ready(client: &mut LspClient, query: &str) -> Vec<Value> {
    for _ in 0..400 {
        let hits = client.request("kbls/search", json!({"query": query, "limit": 5}));
        if let Some(hits) = hits.as_array().filter(|h| !h.is_empty()) {
            return hits.clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("no search results for {query:?}");
}

#[test]
fn search_requests_and_workspace_symbols_go_through_the_index_and_follow_edits() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    let hits = search_when_ready(&mut client, "beta text");
    assert_eq!(hits[0]["uri"], client.uri("b/beta.md"));
    assert_eq!(hits[0]["headingPath"], "Beta > Intro Section");
    assert_eq!(
        hits[0]["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    assert!(
        hits[0]["snippet"].as_str().unwrap().contains("**Beta**"),
        "{}",
        hits[0]
    );
    // A typo still finds it.
    let typo = client.request("kbls/search", json!({"query": "gamma"}));
    assert_eq!(typo[0]["uri"], client.uri("c.md"));
    // An edit is searchable after the debounce.
    client.open("c.md");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": client.uri("c.md"), "version": 2}, "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "Zeppelin airships.\n"}]}));
    let found = search_when_ready(&mut client, "zeppelin");
    assert_eq!(found[0]["uri"], client.uri("c.md"));
    let symbols = client.request("workspace/symbol", json!({"query": "intro sectoin"}));
    assert_eq!(symbols[0]["name"], "Intro Section", "{symbols}");
    assert_eq!(client.shutdown(), 0);
}

const GPU_NOTES: &[(&str, &str)] = &[
    ("gpu/metrics.md", "# GPU Metrics\n\n| Metric | DCGM Field Name | Description |\n|---|---|---|\n| GPU Utilization | `DCGM_FI_DEV_GPU_UTIL` | How busy the GPU is |\n\n- **Xid**: an error report from the NVIDIA driver.\n\nWatch DCGM_FI_DEV_GPU_UTILZ and DCGM_FI_DEV_GPU_T\n\n```bash\nkubectl get pods --sort-by=.metadata.name -o wide\nkubectl get pods --sort\n```\n"),
    ("ops/runbook.md", "# Runbook\n\nCheck every Xid in the logs; `DCGM_FI_DEV_GPU_UTIL` near zero means idle.\n"),
];

#[test]
fn terms_hover_definition_references_completion_and_fixes() {
    let dir = corpus(GPU_NOTES);
    let mut client = start(dir.path());
    let diagnostics = client.diagnostics_for("gpu/metrics.md", |d| !d.is_empty());
    assert_eq!(
        codes(&diagnostics),
        [
            "unknown-dcgm-field",
            "unknown-dcgm-field",
            "unknown-kubectl-flag"
        ],
        "{diagnostics:?}"
    );
    client.open("gpu/metrics.md");
    // Hover on the DCGM field in the runbook: the notes' definition, the pack entry, mentions.
    let hover = client.request("textDocument/hover", client.at("ops/runbook.md", 2, 40));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("In your notes") && text.contains("GPU Utilization"),
        "{text}"
    );
    assert!(text.contains("Mentioned in 2 notes"), "{text}");
    // A kubectl flag, command-aware.
    let flag = client.request("textDocument/hover", client.at("gpu/metrics.md", 11, 20));
    assert!(
        flag["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("--sort-by"),
        "{flag}"
    );
    // Definition of a note-defined term from its mention.
    let def = client.request(
        "textDocument/definition",
        client.at("ops/runbook.md", 2, 13),
    );
    assert_eq!(def[0]["targetUri"], client.uri("gpu/metrics.md"));
    assert_eq!(def[0]["targetSelectionRange"]["start"]["line"], 6);
    let refs = client.request("textDocument/references", json!({"textDocument": {"uri": client.uri("ops/runbook.md")}, "position": {"line": 2, "character": 40}, "context": {"includeDeclaration": true}}));
    assert_eq!(refs.as_array().unwrap().len(), 2, "{refs}");
    // Completion of DCGM names and of flags for the command at hand.
    let dcgm = client.request(
        "textDocument/completion",
        client.at("gpu/metrics.md", 8, 49),
    );
    let labels: Vec<&str> = dcgm["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"DCGM_FI_DEV_GPU_TEMP"), "{labels:?}");
    let flags = client.request(
        "textDocument/completion",
        client.at("gpu/metrics.md", 12, 22),
    );
    let labels: Vec<&str> = flags["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.iter().any(|l| l.contains("--sort-by")), "{labels:?}");
    // The quick fix for the misspelled field.
    let wrong = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("UTILZ"))
        .unwrap();
    let actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": client.uri("gpu/metrics.md")}, "range": wrong["range"], "context": {"diagnostics": [wrong]}}));
    assert_eq!(actions[0]["title"], "Change to `DCGM_FI_DEV_GPU_UTIL`");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn clients_that_pull_get_open_documents_by_pull_and_the_rest_pushed() {
    let dir = corpus(NOTES);
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}, "workspace": {"diagnostics": {"refreshSupport": true}}});
    let (mut client, init) = LspClient::start(dir.path(), capabilities, Value::Null);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    // Not open: pushed.
    client.diagnostics_for("a.md", |d| !d.is_empty());
    client.open("a.md");
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": client.uri("a.md")}}),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(codes(report["items"].as_array().unwrap()), ["broken-link"]);
    // A change elsewhere that affects an open note asks the client to pull again.
    std::fs::write(dir.path().join("gone.md"), "# Back\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": client.uri("gone.md"), "type": 1}]}),
    );
    client.wait_for(|m| m["method"] == "workspace/diagnostic/refresh");
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": client.uri("a.md")}}),
    );
    assert!(report["items"].as_array().unwrap().is_empty(), "{report}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn rename_a_reference_label_and_files_renamed_on_disk() {
    let dir = corpus(NOTES);
    let mut client = start(dir.path());
    client.open("a.md");
    client.diagnostics_for("a.md", |d| !d.is_empty());
    // The label in `[ref link][lbl]` (line 3) and its definition (line 5).
    let mut params = client.at("a.md", 3, 12);
    params["newName"] = json!("beta-ref");
    let edit = client.request("textDocument/rename", params);
    let edits = edit["changes"][client.uri("a.md")].as_array().unwrap();
    let lines: Vec<u64> = edits
        .iter()
        .map(|e| e["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 5]);
    assert!(edits.iter().all(|e| e["newText"] == "beta-ref"));
    // A note renamed outside the editor: links to the old path break, to the new one work.
    std::fs::rename(dir.path().join("c.md"), dir.path().join("gamma.md")).unwrap();
    client.notify(
        "workspace/didRenameFiles",
        json!({"files": [{"oldUri": client.uri("c.md"), "newUri": client.uri("gamma.md")}]}),
    );
    let refs = client.request("textDocument/references", json!({"textDocument": {"uri": client.uri("b/beta.md")}, "position": {"line": 2, "character": 5}, "context": {"includeDeclaration": false}}));
    let from: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(from, [client.uri("a.md"), client.uri("gamma.md")]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn several_workspace_folders_are_separate_corpora() {
    let one = corpus(&[("a.md", "# One\n\n[x](b.md)\n")]);
    let two = corpus(&[("b.md", "# Two\n")]);
    let (mut client, _) = LspClient::start(one.path(), json!({}), Value::Null);
    // A second root arrives with a note opened from it.
    let b = std::fs::canonicalize(two.path().join("b.md")).unwrap();
    let b_uri = format!("file://{}", b.display());
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": b_uri, "languageId": "markdown", "version": 1, "text": "# Two\n\n[y](../nowhere.md)\n"}}));
    // `a.md` links to a `b.md` in its own root, which does not exist there.
    let a = client.diagnostics_for("a.md", |d| !d.is_empty());
    assert_eq!(codes(&a), ["broken-link"]);
    let b_diagnostics = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == b_uri.as_str()
            && !m["params"]["diagnostics"].as_array().unwrap().is_empty()
    });
    assert_eq!(
        b_diagnostics["params"]["diagnostics"][0]["code"],
        "link-outside-root"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn the_search_index_can_live_on_disk_and_is_reused_after_a_restart() {
    let dir = corpus(NOTES);
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();
    let options = json!({"kbls": {"searchIndex": "disk"}});
    let (mut client, _) = LspClient::start_env(
        dir.path(),
        json!({}),
        options.clone(),
        &[("KBLS_CACHE_DIR", cache_dir)],
    );
    let hits = search_when_ready(&mut client, "beta text");
    assert_eq!(hits[0]["uri"], client.uri("b/beta.md"));
    assert_eq!(client.shutdown(), 0);
    let written = std::fs::read_dir(cache.path()).unwrap().count();
    assert!(written > 0, "the index is in the cache folder");
    // The command line finds the same index (and reuses it: no "building" message).
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_kbls"))
        .args(["search", "beta text", "--cache-dir", cache_dir])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&cli.stdout).starts_with("b/beta.md:"));
    assert_eq!(String::from_utf8_lossy(&cli.stderr), "");
    // A restart reuses it.
    let (mut again, _) = LspClient::start_env(
        dir.path(),
        json!({}),
        options,
        &[("KBLS_CACHE_DIR", cache_dir)],
    );
    let hits = search_when_ready(&mut again, "gamma");
    assert_eq!(hits[0]["uri"], again.uri("c.md"));
    assert_eq!(again.shutdown(), 0);
}
