//! A minimal LSP client for end-to-end tests: spawns the real `kbls lsp` and speaks JSON-RPC
//! over its stdio. A reader thread collects every message; tests wait for what they expect with
//! a deadline, so a hang fails instead of blocking CI.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long one wait for a reply or a notification may take: 20 s, or `KBLS_LSP_WAIT_SECS` (the
/// benchmark at 50k or 100k notes waits longer for the full-text index).
fn timeout() -> Duration {
    let secs = std::env::var("KBLS_LSP_WAIT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

pub struct LspClient {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages received while waiting for something else (notifications, server requests).
    pub backlog: Vec<Value>,
    next_id: i64,
    pub root: PathBuf,
}

impl LspClient {
    /// Starts the server on `root` and completes `initialize`/`initialized` with `capabilities`.
    pub fn start(root: &Path, capabilities: Value, init_options: Value) -> (LspClient, Value) {
        LspClient::start_env(root, capabilities, init_options, &[])
    }

    /// [`LspClient::start`] with extra environment variables for the server.
    pub fn start_env(
        root: &Path,
        capabilities: Value,
        init_options: Value,
        env: &[(&str, &str)],
    ) -> (LspClient, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kbls"))
            .args(["lsp", "--stdio"])
            .env("KBLS_TODAY", "2026-11-28")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn kbls lsp");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take().expect("stdin");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("server sent valid JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let root = std::fs::canonicalize(root).expect("root exists");
        let mut client = LspClient {
            child,
            stdin,
            messages: rx,
            backlog: Vec::new(),
            next_id: 1,
            root,
        };
        let root_uri = client.uri("");
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "capabilities": capabilities,
                "initializationOptions": init_options,
                "workspaceFolders": [{"uri": root_uri, "name": "kb"}],
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    pub fn uri(&self, rel: &str) -> String {
        let path = if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        };
        format!("file://{}", path.display()).replace(' ', "%20")
    }

    pub fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body)
            .expect("write to server");
        self.stdin.flush().expect("flush");
    }

    /// Writes `bytes` to the server as they are, framing and all.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write to server");
        self.stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string();
        self.send_raw(&body);
    }

    /// Sends a request and returns the whole response message (`result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body =
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        self.send_raw(&body);
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// Waits for a message matching `pred`, answering server-to-client requests on the way.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(pos) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(pos);
        }
        let deadline = Instant::now() + timeout();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => {
                    if message.get("method").is_some() && message.get("id").is_some() {
                        // A request from the server (progress, registration, refresh): accept it.
                        let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null})
                            .to_string();
                        self.send_raw(&reply);
                    }
                    if pred(&message) {
                        return message;
                    }
                    self.backlog.push(message);
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "timed out waiting; backlog: {:#?}",
                    self.backlog.iter().rev().take(5).collect::<Vec<_>>()
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "server exited; backlog: {:#?}",
                    self.backlog.iter().rev().take(5).collect::<Vec<_>>()
                ),
            }
        }
    }

    /// The latest diagnostics published for `rel` that satisfy `pred`.
    pub fn diagnostics_for(&mut self, rel: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = self.uri(rel);
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && pred(
                    m["params"]["diagnostics"]
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or(&[]),
                )
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The backlog and every message that arrives within `window`: to see what comes after a
    /// state was reached.
    pub fn messages_within(&mut self, window: Duration) -> Vec<Value> {
        let deadline = Instant::now() + window;
        let mut res = std::mem::take(&mut self.backlog);
        while let Ok(message) = self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            res.push(message);
        }
        res
    }

    pub fn open(&mut self, rel: &str) -> String {
        let text = std::fs::read_to_string(self.root.join(rel)).expect("fixture note");
        self.open_text(rel, &text);
        text
    }

    pub fn open_text(&mut self, rel: &str, text: &str) {
        let uri = self.uri(rel);
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}));
    }

    pub fn at(&self, rel: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(rel)}, "position": {"line": line, "character": character}})
    }

    /// Shuts down cleanly and returns the exit code.
    pub fn shutdown(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + timeout();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Copies a fixture corpus into a temp dir so tests may change files on disk.
pub fn copy_corpus(name: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let to = dst.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
}

/// UTF-16 column of byte offset `col_bytes` in `line`.
pub fn utf16_col(line: &str, byte_col: usize) -> u32 {
    line[..byte_col].encode_utf16().count() as u32
}

impl LspClient {
    pub fn try_exit_code(&mut self) -> Option<i32> {
        self.child
            .try_wait()
            .ok()
            .flatten()
            .map(|s| s.code().unwrap_or(-1))
    }
}

impl LspClient {
    /// The server's process id, for reading its memory use (benches/lsp.rs).
    #[allow(dead_code)]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}
