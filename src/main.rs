//! The `kbls` binary: everything happens in [`kbls::cli`].

// mimalloc returns freed pages to the system; with glibc's allocator the language server's RSS
// stayed near twice its live heap after indexing (benches/README.md has the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's option setter (linked in by the `mimalloc` crate).
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// Indexes in mimalloc.h's `mi_option_e`.
const MI_OPTION_ARENA_EAGER_COMMIT: i32 = 4;
const MI_OPTION_PURGE_DELAY: i32 = 15;
const MI_OPTION_ARENA_RESERVE: i32 = 23;

fn main() -> std::process::ExitCode {
    // The arena mimalloc reserves before `main` is its smallest (64 MiB, compiled in with lazy
    // commit, .cargo/config.toml); the options set here hold for the arenas reserved after it.
    // SAFETY: called before any other thread exists; the options are plain integers.
    unsafe { mi_option_set(MI_OPTION_ARENA_RESERVE, 1 << 20) }; // KiB: 1 GiB at a time
    if std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "lsp")
    {
        // The language server gives freed pages back at once rather than after 10 ms: mimalloc
        // purges only when the thread that freed them allocates again, and the parser's threads
        // go idle after indexing, so a delayed purge left hundreds of megabytes resident. Its
        // arenas are committed as used, not up front (on obsidian-hub its peak RSS was 208 MiB
        // with whole arenas committed, 130 MiB without).
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    } else {
        // The other commands exit when done: an immediate purge would only fault the pages in
        // again (`kbls check` took 10% more CPU with it). Arenas committed whole are backed by
        // huge pages, a fault per 2 MiB instead of per 4 KiB: `kbls check` at 10,000 notes took
        // 27,000 page faults and now 15,000, and 5–9% less CPU.
        unsafe { mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 1) };
    }
    kbls::cli::main()
}
