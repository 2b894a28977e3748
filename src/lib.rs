//! kbls, the knowledge-base language server.
//!
//! Layers, each using only those before it (see ARCHITECTURE.md):
//! - [`text`]: byte ranges and line/column conversion; [`dialect`]: the publisher a corpus is for.
//! - [`syntax`]: one note parsed in isolation.
//! - [`terms`]: term packs, definitions, kubectl command lines and term findings.
//! - [`graph`]: the corpus as a cross-reference graph.
//! - [`search`]: the full-text index of sections, titles and terms.
//! - [`config`] reads `kbls.toml`.
//! - [`ide`]: the features, in byte offsets, shared by the CLI and the server.
//! - [`load`] and [`history`]: the corpus and its git history, read from disk.
//! - [`cli`] and [`lsp`]: the two front ends.
pub mod cli;
pub mod config;
pub mod dialect;
pub mod graph;
pub mod history;
pub mod ide;
pub mod load;
pub mod lsp;
pub mod search;
pub mod syntax;
pub mod terms;
pub mod text;

#[cfg(test)]
mod test_fixture;
