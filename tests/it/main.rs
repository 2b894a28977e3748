//! The one integration test binary (STYLE.md): each module tests kbls from the outside.

mod action;
mod check_cli;
mod fuzz;
mod git;
mod lsp;
mod lsp_client;
mod lsp_large;
mod lsp_startup;
mod package;
mod pre_commit;
mod search_cli;
mod support;
mod tidy;
