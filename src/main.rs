//! The `kbls` binary: everything happens in [`kbls::cli`].

fn main() -> std::process::ExitCode {
    kbls::cli::main()
}
