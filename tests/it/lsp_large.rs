//! Large notes through the server: the cost of a response grows with the note, not faster.
//!
//! Times are compared between two sizes of the same note in one server, never against a wall
//! clock: a quadratic step makes the larger note 16 times slower, a linear one 4 times.

use crate::lsp_client::LspClient;
use serde_json::json;
use std::time::{Duration, Instant};

/// A note of `n` headings: one title, then sections and subsections.
fn headings(n: usize) -> String {
    let mut text = String::from("# Title\n\n");
    for i in 1..n {
        let level = if i % 3 == 0 { "###" } else { "##" };
        text.push_str(&format!("{level} Heading {i}\n\nBody of section {i}.\n\n"));
    }
    text
}

/// The number of symbols in a documentSymbol answer, nested ones included.
fn count(symbols: &serde_json::Value) -> usize {
    symbols.as_array().map_or(0, |symbols| {
        symbols
            .iter()
            .map(|symbol| 1 + count(&symbol["children"]))
            .sum()
    })
}

#[test]
fn document_symbols_grow_linearly_with_headings() {
    const N: usize = 3_000;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("kbls.toml"), "").expect("write config");
    std::fs::write(dir.path().join("small.md"), headings(N)).expect("write note");
    std::fs::write(dir.path().join("large.md"), headings(4 * N)).expect("write note");
    let (mut client, _) = LspClient::start(
        dir.path(),
        json!({"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}}),
        json!({}),
    );
    let mut best = |rel: &str, n: usize| -> Duration {
        let doc = json!({"textDocument": {"uri": client.uri(rel)}});
        // The first request also waits for the index.
        let symbols = client.request("textDocument/documentSymbol", doc.clone());
        assert_eq!(count(&symbols), n, "{rel}");
        assert_eq!(symbols[0]["name"], "Title");
        assert_eq!(symbols[0]["children"][0]["name"], "Heading 1");
        (0..3)
            .map(|_| {
                let start = Instant::now();
                client.request("textDocument/documentSymbol", doc.clone());
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let small = best("small.md", N);
    let large = best("large.md", 4 * N);
    assert!(
        large < small * 10,
        "documentSymbol for {} headings took {large:?}, for {N} {small:?}",
        4 * N
    );
    assert_eq!(client.shutdown(), 0);
}
