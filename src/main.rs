//! The `kbls` binary: everything happens in [`kbls::cli`].

// mimalloc returns freed pages to the system; with glibc's allocator the language server's RSS
// stayed near twice its live heap after indexing (benches/README.md has the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's option setter (linked in by the `mimalloc` crate).
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e`.
const MI_OPTION_PURGE_DELAY: i32 = 15;

fn main() -> std::process::ExitCode {
    // The language server gives freed pages back at once rather than after 10 ms: mimalloc purges
    // only when the thread that freed them allocates again, and the parser's threads go idle
    // after indexing, so a delayed purge left hundreds of megabytes resident. (Arenas are
    // committed as used, not up front: that default is compiled in, .cargo/config.toml, since the
    // first arena is reserved before `main`.) The other commands exit when done: for them an
    // immediate purge only faults the pages in again (`kbls check` took 10% more CPU with it).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "lsp")
    {
        // SAFETY: called before any other thread exists; the option is a plain integer.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    kbls::cli::main()
}
