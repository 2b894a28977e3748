//! Features over the corpus graph, in byte offsets and plain structs. Both `kbls check` and the
//! language server call into here; neither reimplements a check.
//!
//! Knows nothing about LSP, the file system or the clock: "today" and the configuration come in
//! as arguments.

pub mod actions;
mod analysis;
pub mod completion;
pub mod cursor;
pub mod diagnostics;
pub mod navigation;
pub mod outline;
pub mod rename;
pub mod results;
pub mod terms;

pub use analysis::{Analysis, FilePosition};
