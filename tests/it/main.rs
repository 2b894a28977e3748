//! One integration test binary (STYLE.md): the CLI and the language server, end to end.

mod git;
mod lsp;
mod lsp_client;
mod tidy;
