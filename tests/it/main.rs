//! The one integration test binary (STYLE.md): each module tests kbls from the outside.

mod action;
mod check_cli;
mod fuzz;
#[path = "../../benches/gen/mod.rs"]
#[allow(dead_code)] // The generator's statistics beyond `broken` are for the benchmarks.
mod gen;
mod git;
mod lsp;
mod lsp_client;
mod lsp_dialects;
mod lsp_large;
mod lsp_startup;
mod name_index;
mod package;
mod pre_commit;
mod search_cli;
mod support;
mod tidy;
