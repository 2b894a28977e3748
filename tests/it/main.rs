//! The one integration test binary: each module tests kbls from the outside.

mod check_cli;
mod support;
