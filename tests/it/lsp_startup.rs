//! The server's first answers are its settled answers: on a generated corpus large enough that
//! indexing takes a while, requests sent right after `initialized` and every diagnostics publish
//! for the note opened at start equal what the server says once everything is indexed, and what
//! `kbls check` reports.

use crate::gen;
use crate::lsp_client::LspClient;
use crate::support::kbls;
use serde_json::{json, Value};

const NOTES: usize = 5_000;

/// The first valid local link of `text` outside code: its 0-based line and the UTF-16 column
/// just after its `](`.
fn valid_link(text: &str, broken: &[&str]) -> (u32, u32) {
    let mut in_fence = false;
    for (line_no, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence || line.contains('`') {
            continue;
        }
        let mut from = 0;
        while let Some(at) = line[from..].find("](") {
            let start = from + at + 2;
            let dest = &line[start..start + line[start..].find(')').expect("closed link")];
            if dest.ends_with(".md") && !broken.contains(&dest) {
                return (line_no as u32, line[..start].encode_utf16().count() as u32);
            }
            from = start;
        }
    }
    panic!("no valid link in the note");
}

fn diagnostics_summary(diagnostics: &Value) -> Vec<(u64, String, String)> {
    let mut out: Vec<(u64, String, String)> = diagnostics
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().expect("line") + 1,
                d["code"].as_str().expect("code").to_string(),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn first_answers_and_every_publish_equal_the_settled_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stats = gen::generate(dir.path(), NOTES, 7, gen::BROKEN_PER_MILLE);
    let (note, _, _) = stats.broken[0].clone();
    let broken: Vec<&str> = stats
        .broken
        .iter()
        .filter(|(path, _, _)| *path == note)
        .map(|(_, _, dest)| dest.as_str())
        .collect();

    let (mut client, _) = LspClient::start(
        dir.path(),
        json!({"window": {"workDoneProgress": true}}),
        json!({"searchIndex": "memory"}),
    );
    let text = client.open(&note);
    let (line, col) = valid_link(&text, &broken);
    let at_link = client.at(&note, line, col + 1);
    let after_paren = client.at(&note, line, col);
    let first_hover = client.request("textDocument/hover", at_link.clone());
    let first_definition = client.request("textDocument/definition", at_link.clone());
    let first_completion = client.request("textDocument/completion", after_paren.clone());

    // Indexing progress ends once every note's diagnostics are published: the state is settled.
    client.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let settled_hover = client.request("textDocument/hover", at_link.clone());
    let settled_definition = client.request("textDocument/definition", at_link);
    let settled_completion = client.request("textDocument/completion", after_paren);
    assert_eq!(first_hover, settled_hover);
    let hover = first_hover["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(!hover.contains("Broken"), "{hover}");
    assert_eq!(first_definition, settled_definition);
    assert!(
        first_definition.as_array().is_some_and(|d| d.len() == 1),
        "{first_definition}"
    );
    assert_eq!(first_completion, settled_completion);
    assert!(first_completion["items"]
        .as_array()
        .is_some_and(|i| !i.is_empty()));

    let uri = client.uri(&note);
    let publishes: Vec<Value> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .map(|m| m["params"]["diagnostics"].clone())
        .collect();
    assert!(!publishes.is_empty(), "no diagnostics published for {note}");
    let settled = publishes.last().expect("a publish").clone();
    for publish in &publishes {
        assert_eq!(diagnostics_summary(publish), diagnostics_summary(&settled));
    }

    // The settled state is the truth: what `kbls check` reports for the note.
    let check = kbls(
        dir.path(),
        &["check", ".", "--format", "json", "--today", "2026-11-28"],
    );
    let report: Value = serde_json::from_str(&check.stdout).expect("check JSON");
    let mut expected: Vec<(u64, String, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["path"] == note.as_str())
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["code"].as_str().expect("code").to_string(),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(diagnostics_summary(&settled), expected);
    client.shutdown();
}
