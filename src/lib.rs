//! kbls, the knowledge-base language server.
//!
//! Layers, each using only those before it (see ARCHITECTURE.md):
//! - [`text`]: byte ranges and line/column conversion; [`dialect`]: the publisher a corpus is for.
//! - [`codes`]: rule codes and severities; [`collections`]: maps whose copies share their shards.
//! - [`syntax`]: one note parsed in isolation.
//! - [`terms`]: term packs, definitions, kubectl command lines, mentions: term data.
//! - [`graph`]: the corpus as a cross-reference graph.
//! - [`search`]: the full-text index of sections, titles and terms.
//! - [`config`] reads `kbls.toml`.
//! - [`history`]: git's output parsed into each note's last content change.
//! - [`ide`]: the features, in byte offsets, shared by the CLI and the server.
//! - [`load`]: the corpus read from disk, and git run (`load::git`).
//! - [`workspace`]: one root's configuration, packs, graph, history and search index, built once
//!   and updated note by note.
//! - [`cli`] and [`lsp`]: the two front ends.
pub mod cli;
pub mod codes;
pub mod collections;
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
pub mod workspace;

#[cfg(test)]
mod test_fixture;
