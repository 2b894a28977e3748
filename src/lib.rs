//! kbls, the knowledge-base language server.
//!
//! Layers, each using only those before it:
//! - [`text`]: byte ranges and line/column conversion.
//! - [`syntax`]: one note parsed in isolation.
pub mod syntax;
pub mod terms;
pub mod text;
