//! The language server: protocol glue only. Handlers convert LSP input to byte offsets and
//! paths (`from_proto`), call the root's `ide::Analysis`, and convert the answer back
//! (`to_proto`); all state changes go through [`state`].

mod capabilities;
mod from_proto;
mod handlers;
mod publish;
mod server;
mod state;
mod to_proto;
mod transport;

pub use state::DISK_INDEX_NOTES;

use tower_lsp_server::{LspService, Server};

pub fn run_stdio() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "kbls: cannot start the async runtime: {err}"
            );
            return std::process::ExitCode::from(2);
        }
    };
    let exited_cleanly = runtime.block_on(async {
        let (outgoing, messages) = tokio::sync::mpsc::unbounded_channel();
        let outbox = outgoing.clone();
        let raw = transport::RawResults::default();
        let server_raw = raw.clone();
        let (service, socket) =
            LspService::build(move |client| server::Backend::new(client, outbox, server_raw))
                .custom_method(
                    transport::MALFORMED_METHOD,
                    server::Backend::malformed_message,
                )
                .custom_method("kbls/search", server::Backend::search)
                .finish();
        let service_state = service.inner().shutdown_requested.clone();
        let (guarded, server_input) = tokio::io::duplex(1 << 16);
        let (server_output, from_server) = tokio::io::duplex(1 << 16);
        tokio::spawn(transport::guard_input(
            tokio::io::stdin(),
            guarded,
            outgoing.clone(),
        ));
        let forward = tokio::spawn(transport::forward_output(from_server, outgoing, raw));
        let writer = tokio::spawn(transport::write_output(messages, tokio::io::stdout()));
        Server::new(server_input, server_output, socket)
            .serve(service)
            .await;
        // The server's output has ended: write what is queued before exiting.
        let _ = forward.await;
        let _ = writer.await;
        service_state.load(std::sync::atomic::Ordering::SeqCst)
    });
    // The stdin reader sits in a blocking read that would keep a normal runtime drop waiting.
    runtime.shutdown_background();
    // LSP: exit code 0 when `shutdown` came before `exit`, 1 otherwise.
    std::process::ExitCode::from(if exited_cleanly { 0 } else { 1 })
}
