//! kbls, the knowledge-base language server.
//!
//! Layers, each using only those before it:
//! - [`text`]: byte ranges and line/column conversion.
//! - [`syntax`]: one note parsed in isolation.
//! - [`search`]: the full-text index of sections, titles and terms.
pub mod search;
pub mod syntax;
pub mod text;
