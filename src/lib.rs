//! kbls, the knowledge-base language server.
//!
//! Layers, each using only those before it:
//! - [`text`]: byte ranges and line/column conversion.
//! - [`syntax`]: one note parsed in isolation.
pub mod cli;
pub mod config;
pub mod graph;
pub mod history;
pub mod ide;
pub mod load;
pub mod lsp;
pub mod syntax;
pub mod terms;
pub mod text;

#[cfg(test)]
mod test_fixture;
