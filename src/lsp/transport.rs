//! A guard between stdin and tower-lsp-server's reader.
//!
//! tower-lsp-server ends its input stream at the first message it cannot decode (tokio-util's
//! framed reader stops after an error), so one malformed message from a client would shut the
//! server down. This task re-frames stdin and replaces every body that is not a JSON object with
//! a `$/kbls/malformedMessage` notification, which the server logs and otherwise ignores.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

pub const MALFORMED_METHOD: &str = "$/kbls/malformedMessage";

/// Messages larger than this are dropped rather than buffered.
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

pub async fn guard_input(
    input: impl tokio::io::AsyncRead + Unpin,
    mut output: impl tokio::io::AsyncWrite + Unpin,
) {
    let mut reader = BufReader::new(input);
    loop {
        let mut content_length: Option<usize> = None;
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = line.trim();
            if header.is_empty() {
                if content_length.is_some() {
                    break;
                }
                continue;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().ok();
                }
            }
        }
        let length = content_length.unwrap_or(0);
        let body = if length > MAX_MESSAGE {
            // Skip the oversized body without holding it in memory.
            let mut sink = tokio::io::sink();
            let _ = tokio::io::copy(&mut (&mut reader).take(length as u64), &mut sink).await;
            malformed(&format!("message of {length} bytes is too large"))
        } else {
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).await.is_err() {
                return;
            }
            match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(value) if value.is_object() => body,
                Ok(_) => malformed("message is not a JSON object"),
                Err(err) => malformed(&err.to_string()),
            }
        };
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

fn malformed(reason: &str) -> Vec<u8> {
    serde_json::json!({"jsonrpc": "2.0", "method": MALFORMED_METHOD, "params": {"reason": reason}})
        .to_string()
        .into_bytes()
}
