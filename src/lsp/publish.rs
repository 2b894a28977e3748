//! Diagnostics as soon as they can be computed: notifications queue the notes that changed (and
//! those depending on them), and one publisher at a time computes their findings off the async
//! workers and pushes them. Changes queued while it works are published when it is done, together:
//! typing costs one publish per publish's time, never a queue of them, and no publish waits for a
//! fixed quiet period.

use super::state::{Snapshot, State};
use super::to_proto;
use super::transport::{self, Outbox};
use crate::graph::NoteId;
use parking_lot::Mutex;
use rayon::prelude::*;
use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

/// Quiet time after the last publish before the full-text index catches up (a commit writes
/// corpus-wide bookkeeping) and term and mention indexes an edit dropped are rebuilt: both take
/// a core for a while, which typing should not pay for. A search catches up first on its own.
const WARM_IDLE: Duration = Duration::from_secs(2);
/// Notes per batch of diagnostics computed in parallel and sent together (see [`publish`]): small
/// enough that the client reads one batch while the next is computed, and that a change waits
/// for one batch at most.
const BATCH: usize = 256;

/// Publishes what is queued, off the caller: at once, or, while a publish runs, as soon as it
/// ends (it publishes this change too).
pub fn schedule(client: Client, outbox: Outbox, state: Arc<Mutex<State>>) {
    tokio::spawn(async move {
        if publish(&client, &outbox, &state, false).await {
            warm(&state, WARM_IDLE);
        }
    });
}

/// Publishes what is queued for roots whose index is complete (the rest stays queued, so that a
/// note's first publish is its true state), then what was queued meanwhile, until nothing
/// publishable is left: [`BATCH`] notes at a time, each batch sent as soon as it is ready, so
/// the writer and the client work while the next is computed. Only one call publishes at a time,
/// so that a note's findings are never overtaken by older ones: a call made while another
/// publishes leaves the work to it, and returns at once, or with `wait` once that one is done.
/// Returns whether this call published.
pub async fn publish(
    client: &Client,
    outbox: &Outbox,
    state: &Arc<Mutex<State>>,
    wait: bool,
) -> bool {
    loop {
        let done = state.lock().publish_done.clone();
        let notified = done.notified();
        {
            let mut state = state.lock();
            if !state.publishing {
                state.publishing = true;
                break;
            }
        }
        if !wait {
            return false;
        }
        notified.await;
    }
    // Even if a publish panics, the next change must find no publisher running.
    struct Publishing<'a>(&'a Mutex<State>);
    impl Drop for Publishing<'_> {
        fn drop(&mut self) {
            stop_publishing(&mut self.0.lock());
        }
    }
    let publishing = Publishing(state);
    let mut queue: VecDeque<(usize, NoteId)> = VecDeque::new();
    loop {
        // Each batch takes what was queued since the one before, and a snapshot of now.
        let (snap, batch, ready) = {
            let mut locked = state.lock();
            let fresh = locked.take_publishable();
            if queue.is_empty() && fresh.is_empty() {
                // Given up under the lock changes are queued under: a change queued after this
                // finds no publisher running, and starts one.
                std::mem::forget(publishing);
                stop_publishing(&mut locked);
                return true;
            }
            let snap = locked.snapshot();
            enqueue(&mut queue, fresh, &snap);
            let ready: Vec<bool> = (0..locked.roots.len())
                .map(|idx| locked.diagnostics_ready(idx))
                .collect();
            let batch: Vec<_> = queue.drain(..BATCH.min(queue.len())).collect();
            (snap, batch, ready)
        };
        let pull = snap.pull_diagnostics;
        let last = queue.is_empty();
        let computed =
            tokio::task::spawn_blocking(move || compute(&snap, &batch, last, &ready)).await;
        match computed {
            Ok(bodies) => {
                for body in bodies {
                    transport::send(outbox, body);
                }
            }
            Err(err) => {
                client
                    .log_message(
                        MessageType::ERROR,
                        format!("kbls: diagnostics panicked: {err}"),
                    )
                    .await;
            }
        }
        if pull && last {
            let _ = client.workspace_diagnostic_refresh().await;
        }
    }
}

fn stop_publishing(state: &mut State) {
    state.publishing = false;
    state.publish_done.notify_waiters();
}

/// Puts the notes queued since the last batch first, open documents before the rest: an edit
/// made while the 50,000 notes of a first publish go out is published before they are. A note
/// still waiting from before moves up with them, so it is published once, from the newest
/// snapshot; every batch is computed from a snapshot of when it starts, so nothing older
/// overtakes what was published.
fn enqueue(
    queue: &mut VecDeque<(usize, NoteId)>,
    fresh: BTreeSet<(usize, NoteId)>,
    snap: &Snapshot,
) {
    if fresh.is_empty() {
        return;
    }
    queue.retain(|note| !fresh.contains(note));
    let is_open = |&(root_idx, id): &(usize, NoteId)| {
        let root = &snap.roots[root_idx];
        root.graph
            .get(id)
            .is_some_and(|note| snap.open.contains(&root.path_of(&note.path)))
    };
    let (open, rest): (Vec<_>, Vec<_>) = fresh.into_iter().partition(is_open);
    for note in open.into_iter().chain(rest).rev() {
        queue.push_front(note);
    }
}

/// Once nothing has changed for `idle`, off the async workers: brings the full-text index up to
/// date with the edits, and builds the term and mention indexes of every indexed root, so that
/// no hover builds them.
pub fn warm(state: &Arc<Mutex<State>>, idle: Duration) {
    let state = state.clone();
    tokio::spawn(async move {
        let generation = state.lock().generation;
        tokio::time::sleep(idle).await;
        if state.lock().generation != generation {
            return;
        }
        let _ = tokio::task::spawn_blocking(move || {
            super::state::refresh_search(&state);
            warm_terms(&state);
        })
        .await;
    });
}

/// Builds the term and mention indexes of every indexed root whose first full-text index is
/// built: while that is built, building them too would add their peak to its peak (at 50,000
/// notes, 170 MiB to 130), so its build calls this when done. A hover on a term before then builds
/// them itself. An edit while they are built gives the state a new copy of the graph without
/// them: that copy is warmed too, a few times at most.
pub fn warm_terms(state: &Mutex<State>) {
    let roots = state.lock().roots.len();
    let ready = |idx: usize| {
        let state = state.lock();
        state.diagnostics_ready(idx) && !state.roots[idx].search_pending
    };
    for idx in (0..roots).filter(|&idx| ready(idx)) {
        for _ in 0..3 {
            let graph = state.lock().roots[idx].ws.graph().clone();
            graph.mentions();
            if Arc::ptr_eq(&graph, state.lock().roots[idx].ws.graph()) {
                break;
            }
        }
    }
}

/// The `publishDiagnostics` notifications of `notes`, serialized in parallel, and with
/// `with_unreadable` those of the unreadable files of the roots that are `ready`.
fn compute(
    snap: &Snapshot,
    notes: &[(usize, NoteId)],
    with_unreadable: bool,
    ready: &[bool],
) -> Vec<Vec<u8>> {
    let pull = snap.pull_diagnostics;
    let publish = |uri: Uri, diagnostics: Vec<Diagnostic>| {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        transport::notification("textDocument/publishDiagnostics", &params)
    };
    let mut out: Vec<Vec<u8>> = notes
        .par_iter()
        .filter_map(|&(root_idx, id)| {
            let root = snap.roots.get(root_idx)?;
            let note = root.graph.get(id)?;
            let path = root.path_of(&note.path);
            // Open documents are pulled by clients that support it.
            if pull && snap.open.contains(&path) {
                return None;
            }
            let found = root.analysis().diagnostics(id);
            publish(
                to_proto::path_to_uri(&path)?,
                to_proto::diagnostics(snap, root, id, found),
            )
        })
        .collect();
    if with_unreadable {
        for (root, _) in snap.roots.iter().zip(ready).filter(|(_, ready)| **ready) {
            for (path, _) in root.graph.unreadable() {
                let found = root.analysis().file_diagnostics(path);
                if let (Some(uri), false) =
                    (to_proto::path_to_uri(&root.path_of(path)), found.is_empty())
                {
                    out.extend(publish(uri, to_proto::file_diagnostics(found)));
                }
            }
        }
    }
    out
}
