//! The JSON-RPC framing between the client and tower-lsp-server, hardened against bad input.
//!
//! tower-lsp-server ends its input stream at the first message it cannot decode and exits after
//! answering an invalid request, so one bad frame from a client would end the server. Here stdin
//! is re-framed byte by byte: a header without a usable `Content-Length` (missing, not a number,
//! too large, non-UTF-8 bytes) is skipped up to the next parseable `Content-Length:`; a body that
//! is short of its declared length gives back the next message's header it swallowed. Each body
//! is then judged:
//! - a valid request, notification or response goes on to the server;
//! - a parse error is answered `-32700`, valid JSON that is not a valid message `-32600` (with
//!   the id when one can be read), a request for an unknown `$/` method `-32601`, directly by
//!   this layer;
//! - an invalid notification or response becomes a `$/kbls/malformedMessage` notification, which
//!   the server logs.
//!
//! Replies written here and the server's own messages share one writer, a whole frame at a time.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

pub const MALFORMED_METHOD: &str = "$/kbls/malformedMessage";

/// Bodies declared larger than this are not read: the header counts as unusable and the framing
/// resynchronises on the next `Content-Length:`.
const MAX_MESSAGE: u64 = 64 * 1024 * 1024;
/// Header bytes kept while looking for the end of a header block.
const MAX_HEADER: usize = 64 * 1024;
const CONTENT_LENGTH: &[u8] = b"content-length:";
/// How long a body may stall before the framing looks for a message inside what came so far.
const BODY_IDLE: std::time::Duration = std::time::Duration::from_millis(500);

/// Where messages for the client go: the one writer of stdout.
pub type Outbox = mpsc::UnboundedSender<Outgoing>;

/// Sends a notification straight to the writer, serialized from `params` without the
/// `serde_json::Value` tree tower-lsp-server builds first: for a note with 50,000 findings that
/// tree is most of the server's memory.
pub fn notify(outbox: &Outbox, method: &str, params: &impl serde::Serialize) {
    if let Some(body) = notification(method, params) {
        send(outbox, body);
    }
}

/// The body of a notification, for [`send`] (serialized where the caller likes, e.g. in
/// parallel).
pub fn notification(method: &str, params: &impl serde::Serialize) -> Option<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    let message = Notification {
        jsonrpc: "2.0",
        method,
        params,
    };
    serde_json::to_vec(&message).ok()
}

/// Sends a body from [`notification`] to the writer.
pub fn send(outbox: &Outbox, body: Vec<u8>) {
    let _ = outbox.send(Outgoing::Message(body));
}

/// Request results the server serialized itself, each waiting for the small stand-in response
/// tower-lsp-server sends for it.
///
/// tower-lsp-server turns every result into a `serde_json::Value` tree before writing it: for the
/// 60,000 symbols of a large note that tree costs seconds and hundreds of megabytes. A handler
/// serializes such a result straight to bytes ([`RawResults::stand_in`]) and answers with a
/// stand-in whose one string is a marker; [`forward_output`] puts the bytes in place of the
/// stand-in's `result`. The request, its id and its cancellation stay tower-lsp-server's: the
/// bytes are stored only once the handler has its answer, just before tower-lsp-server writes the
/// stand-in, so a cancelled request leaves nothing behind.
#[derive(Clone)]
pub struct RawResults {
    waiting: Arc<Mutex<HashMap<u64, Vec<u8>>>>,
    next: Arc<AtomicU64>,
    /// Random per process: a marker cannot be written by a note's text.
    nonce: u64,
}

const RAW_MARKER: &str = "\u{0}kbls-raw-result:";
/// Stand-in responses are small; larger bodies are never parsed to look for a marker.
const MAX_STAND_IN: usize = 4096;

impl Default for RawResults {
    fn default() -> RawResults {
        use std::hash::{BuildHasher, Hasher};
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        RawResults {
            waiting: Arc::default(),
            next: Arc::default(),
            nonce,
        }
    }
}

impl RawResults {
    /// Keeps `result` (serialized JSON) until its stand-in is written; returns the marker the
    /// stand-in carries as its one string.
    pub fn stand_in(&self, result: Vec<u8>) -> String {
        let token = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.insert(token, result);
        }
        format!("{RAW_MARKER}{:016x}:{token}", self.nonce)
    }

    /// `body` with a stand-in's `result` replaced by the bytes it stands for; other bodies as
    /// they are.
    fn substitute(&self, body: Vec<u8>) -> Vec<u8> {
        if body.len() > MAX_STAND_IN || find(&body, &RAW_MARKER.as_bytes()[1..]).is_none() {
            return body;
        }
        let Ok(value) = serde_json::from_slice::<Value>(&body) else {
            return body;
        };
        let Some(token) = find_marker(&value["result"])
            .and_then(|marker| marker.strip_prefix(RAW_MARKER))
            .and_then(|rest| rest.split_once(':'))
            .filter(|(nonce, _)| *nonce == format!("{:016x}", self.nonce))
            .and_then(|(_, token)| token.parse::<u64>().ok())
        else {
            return body;
        };
        let Some(result) = self
            .waiting
            .lock()
            .ok()
            .and_then(|mut waiting| waiting.remove(&token))
        else {
            return body;
        };
        let mut res = br#"{"jsonrpc":"2.0","id":"#.to_vec();
        res.extend_from_slice(value["id"].to_string().as_bytes());
        res.extend_from_slice(br#","result":"#);
        res.extend_from_slice(&result);
        res.push(b'}');
        res
    }
}

/// The first string in a stand-in's result that starts with the marker.
fn find_marker(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) if s.starts_with(RAW_MARKER) => Some(s),
        Value::Array(items) => items.iter().find_map(find_marker),
        Value::Object(fields) => fields.values().find_map(find_marker),
        _ => None,
    }
}

/// One message for the client, or the end of output.
pub enum Outgoing {
    Message(Vec<u8>),
    /// The server stopped: write what is queued, then stop.
    Done,
}

/// Reads the client's frames from `input`, passes valid messages to the server on `to_server`
/// and answers the rest through `replies`. Returns when `input` ends.
pub async fn guard_input(
    input: impl AsyncRead + Unpin,
    mut to_server: impl AsyncWrite + Unpin,
    replies: mpsc::UnboundedSender<Outgoing>,
) {
    let mut frames = Framer::new(input, true);
    while let Some(frame) = frames.next().await {
        let to_server_body = match frame {
            Frame::Body(body) => match judge(&body) {
                Verdict::Forward => body,
                Verdict::Reply(reply) => {
                    let _ = replies.send(Outgoing::Message(reply.to_string().into_bytes()));
                    continue;
                }
                Verdict::Log(reason) => malformed(&reason),
            },
            Frame::Unusable(reason) => malformed(&reason),
        };
        let header = format!("Content-Length: {}\r\n\r\n", to_server_body.len());
        if to_server.write_all(header.as_bytes()).await.is_err()
            || to_server.write_all(&to_server_body).await.is_err()
            || to_server.flush().await.is_err()
        {
            return;
        }
    }
}

/// Passes the server's frames on to the writer, stand-ins replaced by the results they stand
/// for, then says it is done.
pub async fn forward_output(
    from_server: impl AsyncRead + Unpin,
    out: mpsc::UnboundedSender<Outgoing>,
    raw: RawResults,
) {
    let mut frames = Framer::new(from_server, false);
    while let Some(frame) = frames.next().await {
        if let Frame::Body(body) = frame {
            if out.send(Outgoing::Message(raw.substitute(body))).is_err() {
                return;
            }
        }
    }
    let _ = out.send(Outgoing::Done);
}

/// Writes every outgoing message to `output`, one whole frame at a time; what is queued is
/// written together, with one flush.
pub async fn write_output(
    mut messages: mpsc::UnboundedReceiver<Outgoing>,
    mut output: impl AsyncWrite + Unpin,
) {
    let mut batch: Vec<u8> = Vec::new();
    while let Some(Outgoing::Message(body)) = messages.recv().await {
        let mut next = Some(body);
        let mut done = false;
        while let Some(body) = next.take() {
            batch.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            batch.extend_from_slice(&body);
            match messages.try_recv() {
                Ok(Outgoing::Message(body)) if batch.len() < (1 << 20) => next = Some(body),
                Ok(Outgoing::Message(body)) => {
                    // Enough for one write: the rest goes in the next batch.
                    if write_batch(&mut output, &mut batch).await.is_err() {
                        return;
                    }
                    next = Some(body);
                }
                Ok(Outgoing::Done) => done = true,
                Err(_) => {}
            }
        }
        if write_batch(&mut output, &mut batch).await.is_err() || done {
            return;
        }
    }
}

async fn write_batch(
    output: &mut (impl AsyncWrite + Unpin),
    batch: &mut Vec<u8>,
) -> std::io::Result<()> {
    output.write_all(batch).await?;
    batch.clear();
    output.flush().await
}

enum Frame {
    Body(Vec<u8>),
    /// A header block that names no usable length, and why.
    Unusable(String),
}

/// Splits a byte stream into frames, resynchronising after bad headers and short bodies.
struct Framer<R> {
    reader: R,
    buf: Vec<u8>,
    /// Whether bodies are checked for a swallowed next message: the client's are; the server's
    /// own output is well formed, and its bodies can be tens of megabytes.
    untrusted: bool,
}

impl<R: AsyncRead + Unpin> Framer<R> {
    fn new(reader: R, untrusted: bool) -> Framer<R> {
        Framer {
            reader,
            buf: Vec::new(),
            untrusted,
        }
    }

    /// Reads more input; false at its end.
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 64 * 1024];
        match self.reader.read(&mut chunk).await {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    async fn next(&mut self) -> Option<Frame> {
        let (header_end, body_start) = loop {
            if let Some(found) = header_end(&self.buf) {
                break found;
            }
            if self.buf.len() > MAX_HEADER {
                // No header ends here: keep only what may start the next one.
                let keep = find_ci(&self.buf, CONTENT_LENGTH)
                    .map_or(self.buf.len() - CONTENT_LENGTH.len(), |at| at);
                self.buf.drain(..keep);
            }
            if !self.fill().await {
                return None;
            }
        };
        let length = content_length(&self.buf[..header_end]);
        let length = match length {
            Ok(length) if length <= MAX_MESSAGE => length as usize,
            Ok(length) => {
                self.buf.drain(..body_start);
                return Some(Frame::Unusable(format!(
                    "message of {length} bytes is larger than the {} MiB limit",
                    MAX_MESSAGE >> 20
                )));
            }
            Err(why) => {
                self.buf.drain(..body_start);
                return Some(Frame::Unusable(why));
            }
        };
        while self.buf.len() < body_start + length {
            let more = tokio::time::timeout(BODY_IDLE, self.fill()).await;
            if more == Ok(true) {
                continue;
            }
            // The input ended or went quiet inside a body: if the bytes so far hold the start of
            // another message, this body was shorter than declared.
            if let Some(at) = find_ci(&self.buf[body_start..], CONTENT_LENGTH) {
                let body = self.buf[body_start..body_start + at].to_vec();
                self.buf.drain(..body_start + at);
                return Some(Frame::Body(body));
            }
            if more.is_ok() {
                return None;
            }
        }
        if !self.untrusted {
            let body = self
                .buf
                .drain(..body_start + length)
                .skip(body_start)
                .collect();
            return Some(Frame::Body(body));
        }
        let opens_json = self.buf[body_start..body_start + length]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'{' | b'['));
        if !opens_json {
            // Not a body at all (the length was made up): keep it as the start of what follows.
            self.buf.drain(..body_start);
            return Some(Frame::Unusable("a body that is not JSON".into()));
        }
        let mut body: Vec<u8> = self
            .buf
            .drain(..body_start + length)
            .skip(body_start)
            .collect();
        // A body shorter than its declared length swallowed the start of the next message: give
        // that back.
        if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
            if let Some(at) = find_ci(&body, CONTENT_LENGTH) {
                let next: Vec<u8> = body.drain(at..).collect();
                self.buf.splice(..0, next);
            }
        }
        Some(Frame::Body(body))
    }
}

/// Where the header block of `buf` ends and its body starts (a blank line, `\r\n` or `\n`).
fn header_end(buf: &[u8]) -> Option<(usize, usize)> {
    // Headers are short: never scan a large body behind them.
    let buf = &buf[..buf.len().min(MAX_HEADER + 4)];
    let crlf = find(buf, b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = find(buf, b"\n\n").map(|at| (at, at + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The value of the last `Content-Length:` in a header block (junk before it is skipped).
fn content_length(header: &[u8]) -> Result<u64, String> {
    let Some(at) = rfind_ci(header, CONTENT_LENGTH) else {
        return Err("a header block without Content-Length".into());
    };
    let rest = &header[at + CONTENT_LENGTH.len()..];
    let value = rest
        .split(|&b| b == b'\n' || b == b'\r')
        .next()
        .unwrap_or_default();
    let value = String::from_utf8_lossy(value);
    value
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("unusable Content-Length `{}`", value.trim()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

enum Verdict {
    Forward,
    /// Answer the client directly with this error response.
    Reply(Value),
    /// Not answerable (a notification or response): the server logs why.
    Log(String),
}

/// What a message's `id` is, as JSON-RPC and tower-lsp-server accept it.
enum Id {
    Absent,
    Valid(Value),
    Invalid,
}

fn judge(body: &[u8]) -> Verdict {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return Verdict::Reply(error(Value::Null, -32700, &format!("Parse error: {err}")))
        }
    };
    let Some(object) = value.as_object() else {
        return Verdict::Reply(error(
            Value::Null,
            -32600,
            "Invalid Request: not a JSON object",
        ));
    };
    let id = match object.get("id") {
        None => Id::Absent,
        Some(id @ (Value::String(_) | Value::Null)) => Id::Valid(id.clone()),
        Some(id @ Value::Number(n)) if n.is_i64() => Id::Valid(id.clone()),
        Some(_) => Id::Invalid,
    };
    let reply_id = match &id {
        Id::Valid(id) => id.clone(),
        Id::Absent | Id::Invalid => Value::Null,
    };
    let invalid = |why: &str| error(reply_id.clone(), -32600, &format!("Invalid Request: {why}"));
    let version_ok = object.get("jsonrpc").and_then(Value::as_str) == Some("2.0");
    match object.get("method") {
        Some(Value::String(method)) => match id {
            Id::Absent if version_ok => Verdict::Forward,
            Id::Absent => Verdict::Log(format!(
                "notification `{method}` without \"jsonrpc\": \"2.0\""
            )),
            Id::Invalid => Verdict::Reply(invalid("`id` must be an integer or a string")),
            Id::Valid(_) if !version_ok => Verdict::Reply(invalid("\"jsonrpc\" must be \"2.0\"")),
            Id::Valid(id) if method.starts_with("$/") => {
                Verdict::Reply(error(id, -32601, &format!("Method not found: {method}")))
            }
            Id::Valid(_) => Verdict::Forward,
        },
        Some(_) => Verdict::Reply(invalid("`method` must be a string")),
        None if object.contains_key("result") || object.contains_key("error") => match id {
            Id::Valid(_) if version_ok => Verdict::Forward,
            _ => Verdict::Log("a response with no usable id or version".into()),
        },
        None => Verdict::Reply(invalid("no `method`")),
    }
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn malformed(reason: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "method": MALFORMED_METHOD, "params": {"reason": reason}})
        .to_string()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stand_in_is_replaced_once_and_only_with_its_own_marker() {
        let raw = RawResults::default();
        let marker = raw.stand_in(br#"[{"name":"big"}]"#.to_vec());
        let response = |marker: &str| {
            json!({"jsonrpc": "2.0", "result": [{"name": marker, "kind": 1}], "id": 7})
                .to_string()
                .into_bytes()
        };
        let forged = marker.replace(&format!("{:016x}", raw.nonce), &"0".repeat(16));
        assert_eq!(raw.substitute(response(&forged)), response(&forged));
        assert_eq!(
            String::from_utf8(raw.substitute(response(&marker))).expect("UTF-8"),
            r#"{"jsonrpc":"2.0","id":7,"result":[{"name":"big"}]}"#
        );
        // Taken: a second response with the same marker is left as it is.
        assert_eq!(raw.substitute(response(&marker)), response(&marker));
    }

    /// Frames `input` and judges each frame, as the guard does: what reaches the server, what is
    /// answered, what is logged.
    fn run(input: &[u8]) -> Vec<String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let mut frames = Framer::new(input, true);
            let mut out = Vec::new();
            while let Some(frame) = frames.next().await {
                out.push(match frame {
                    Frame::Unusable(why) => format!("log: {why}"),
                    Frame::Body(body) => match judge(&body) {
                        Verdict::Forward => format!("server: {}", String::from_utf8_lossy(&body)),
                        Verdict::Reply(reply) => {
                            format!("reply: {} {}", reply["id"], reply["error"]["code"])
                        }
                        Verdict::Log(why) => format!("log: {why}"),
                    },
                });
            }
            out
        })
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const HOVER: &str = r#"{"jsonrpc":"2.0","id":9,"method":"textDocument/hover"}"#;

    #[test]
    fn invalid_messages_are_answered_and_the_next_one_goes_through() {
        for (body, expected) in [
            ("{}", "reply: null -32600"),
            (
                r#"{"jsonrpc":"1.0","id":1,"method":"x"}"#,
                "reply: 1 -32600",
            ),
            (r#"{"id":2,"method":"x"}"#, "reply: 2 -32600"),
            (r#"{"jsonrpc":"2.0","id":3,"method":5}"#, "reply: 3 -32600"),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                "reply: null -32600",
            ),
            (
                r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
                "reply: null -32600",
            ),
            (
                r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"x"}"#,
                "reply: null -32600",
            ),
            (
                r#"{"jsonrpc":"2.0","id":4,"method":"$/foo"}"#,
                "reply: 4 -32601",
            ),
            ("[1,2]", "reply: null -32600"),
            ("{not json", "reply: null -32700"),
            (
                r#"{"method":"x"}"#,
                "log: notification `x` without \"jsonrpc\": \"2.0\"",
            ),
        ] {
            let input = format!("{}{}", frame(body), frame(HOVER));
            assert_eq!(
                run(input.as_bytes()),
                [expected.to_string(), format!("server: {HOVER}")],
                "{body}"
            );
        }
    }

    #[test]
    fn bad_headers_resynchronise_on_the_next_content_length() {
        let hover = frame(HOVER);
        for (bad, expected) in [
            ("X-A: \u{ff}\r\n".to_string(), None),
            (
                "Content-Type: x\r\n\r\n{}".to_string(),
                Some("log: a header block without Content-Length"),
            ),
            (
                "Content-Length: abc\r\n\r\n{}".to_string(),
                Some("log: unusable Content-Length `abc`"),
            ),
            (
                "Content-Length: -5\r\n\r\n{}".to_string(),
                Some("log: unusable Content-Length `-5`"),
            ),
            (
                "Content-Length: 99999999999999999999999\r\n\r\n{}".to_string(),
                Some("log: unusable Content-Length `99999999999999999999999`"),
            ),
            (
                "Content-Length: 4294967296\r\n\r\n{}".to_string(),
                Some("log: message of 4294967296 bytes is larger than the 64 MiB limit"),
            ),
        ] {
            let mut input = bad.into_bytes();
            if input.starts_with(b"X-A") {
                // A raw 0xff byte, not its UTF-8 encoding.
                input = [b"X-A: \xff\r\n".as_slice(), hover.as_bytes()].concat();
            } else {
                input.extend_from_slice(hover.as_bytes());
            }
            let got = run(&input);
            let served = format!("server: {HOVER}");
            assert_eq!(got.last(), Some(&served), "{got:?}");
            if let Some(expected) = expected {
                assert_eq!(got[0], expected, "{got:?}");
            }
        }
    }

    #[test]
    fn a_short_or_long_body_loses_only_itself() {
        // Declared longer than it is: the next message's header is given back.
        let short = format!("Content-Length: 40\r\n\r\n{{}}{}", frame(HOVER));
        let got = run(short.as_bytes());
        assert_eq!(got.last(), Some(&format!("server: {HOVER}")), "{got:?}");
        // Declared shorter: the rest is junk before the next header.
        let long = format!("Content-Length: 5\r\n\r\n{HOVER}{}", frame(HOVER));
        let got = run(long.as_bytes());
        assert_eq!(got.last(), Some(&format!("server: {HOVER}")), "{got:?}");
    }

    #[test]
    fn fuzzed_bytes_never_stop_the_framing() {
        // Seeded random garbage, then a valid message: the message always arrives.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet: &[&[u8]] = &[
            b"Content-Length: ",
            b"\r\n",
            b"\n",
            b"{",
            b"}",
            b"\"",
            b"12",
            b"\xff",
            b"x",
            b":",
        ];
        for _ in 0..300 {
            let mut input = Vec::new();
            for _ in 0..(next() % 40) {
                input.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            // A blank line ends whatever header the garbage opened.
            input.extend_from_slice(b"\r\n\r\n");
            input.extend_from_slice(frame(HOVER).as_bytes());
            let got = run(&input);
            assert!(
                got.iter().any(|g| g == &format!("server: {HOVER}")),
                "{:?}: {got:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
