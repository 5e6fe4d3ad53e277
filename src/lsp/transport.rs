//! A framing guard in front of the LSP transport. tower-lsp-server stops reading after the
//! first undecodable message (its framed reader ends on a decode error), so one malformed
//! message would take the server down. This guard reads frames itself and lets through
//! only bodies the transport's decoder is certain to accept: it decodes each one with the
//! decoder's own types, from the same `&str`. Everything else is answered here: a body
//! that is not JSON (or not UTF-8) gets a parse error (-32700), valid JSON that is not a
//! JSON-RPC 2.0 message (a batch, no `"jsonrpc": "2.0"`, an id that is an object or a
//! float) gets an invalid-request error (-32600), with the message's id when it has one.
//! Bytes that are not a frame (garbage, a wrong Content-Length, an endless header line)
//! are skipped in bounded memory up to the next header.
//! Responses are copied out frame by frame, so error replies never interleave with them.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, Notify};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Largest body accepted (a document of many megabytes fits; a bogus length does not).
const MAX_BODY: usize = 512 << 20;

/// Longest header line kept (real ones are a few dozen bytes). The rest of a longer line
/// is read and discarded up to its line break, so memory stays bounded whatever comes.
const MAX_HEADER_LINE: usize = 8 << 10;

/// Most header lines after a `Content-Length` (or after the start of a frame without one).
const MAX_HEADER_LINES: usize = 32;

/// The notification the guard sends the server in place of a `didChange` it had to drop:
/// the server's copy of that document no longer matches the editor's.
pub const LOST_CHANGE: &str = "$/sasguard/lostChange";

/// What the guard has seen of the client's lifecycle.
#[derive(Debug, Default)]
pub struct Lifecycle {
    exit: AtomicBool,
    exited: Notify,
}

impl Lifecycle {
    /// True once an `exit` notification went to the server.
    pub fn exit_received(&self) -> bool {
        self.exit.load(Ordering::SeqCst)
    }

    /// Completes once an `exit` notification went to the server.
    pub async fn exited(&self) {
        if !self.exit_received() {
            self.exited.notified().await;
        }
    }

    fn set_exit(&self) {
        self.exit.store(true, Ordering::SeqCst);
        // Keeps a permit when nobody waits yet, so `exited` cannot miss it.
        self.exited.notify_one();
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// One header line: its bytes (with the line break), or that it was too long (and has been
/// discarded through its line break), or the end of input.
#[derive(Debug, PartialEq)]
enum Line {
    Text(Vec<u8>),
    TooLong,
    End,
}

/// Reads one line keeping at most [`MAX_HEADER_LINE`] bytes of it.
async fn read_line<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> std::io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(match (too_long, line.is_empty()) {
                (true, _) => Line::TooLong,
                (false, true) => Line::End,
                (false, false) => Line::Text(line),
            });
        }
        let (n, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            if line.len() + n > MAX_HEADER_LINE {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(&buf[..n]);
            }
        }
        r.consume(n);
        if done {
            return Ok(if too_long { Line::TooLong } else { Line::Text(line) });
        }
    }
}

/// Reads one frame's body; `Ok(None)` at end of input, `Err(())` on a malformed header.
async fn read_frame<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> std::io::Result<Option<Result<Vec<u8>, ()>>> {
    let mut len: Option<usize> = None;
    let mut saw_header = false;
    let mut lines = 0;
    loop {
        let line = match read_line(r).await? {
            Line::End => return Ok(None),
            Line::TooLong => return Ok(Some(Err(()))),
            Line::Text(line) => line,
        };
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        // Headers may follow garbage on the same line (a short Content-Length left some);
        // the last Content-Length starts the frame's header block.
        if let Some(i) = text.find("Content-Length:") {
            len = text[i + 15..].trim().parse().ok();
            lines = 0;
        } else if !text.contains(':') {
            return Ok(Some(Err(())));
        }
        lines += 1;
        if lines > MAX_HEADER_LINES {
            return Ok(Some(Err(())));
        }
    }
    let Some(len) = len.filter(|l| *l <= MAX_BODY) else {
        return Ok(Some(Err(())));
    };
    // Grows with what actually arrives, not with what the header claims.
    let mut body = Vec::with_capacity(len.min(1 << 20));
    (&mut *r).take(len as u64).read_to_end(&mut body).await?;
    if body.len() < len {
        return Ok(None);
    }
    Ok(Some(Ok(body)))
}

/// The transport decoder's message type (`tower_lsp_server::jsonrpc::Message`, which is
/// private), declared the same way: a body that deserializes into it from a `&str`
/// decodes in the transport too.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)]
enum Incoming {
    Response(Response),
    Request(Request),
}

/// What becomes of one frame's body.
#[derive(Debug)]
enum Vetted {
    /// Passed on to the server (`exit` when it is the `exit` notification).
    Pass { body: Vec<u8>, exit: bool },
    /// Answered here: `reply` goes to the client, `to_server` (if any) to the server.
    Reject { reply: Vec<u8>, to_server: Option<Vec<u8>> },
}

fn decode(text: &str) -> Option<Incoming> {
    serde_json::from_str(text).ok()
}

fn pass(body: Vec<u8>, msg: &Incoming) -> Vetted {
    let exit = matches!(msg, Incoming::Request(r) if r.method() == "exit");
    Vetted::Pass { body, exit }
}

/// Replaces each `\uXXXX` escape of a lone UTF-16 surrogate (one without its other half)
/// by `\uFFFD`; `None` when there is none. Editors send them when the user has typed half
/// of a surrogate pair; JSON's grammar allows them but they are no Unicode text, so the
/// decoder refuses them. U+FFFD keeps the text's length in UTF-16 units (one, as the lone
/// surrogate) and in UTF-8 bytes (three, as the surrogate in WTF-8), so positions the editor
/// sends later still match. The replacement has the escape's length: the body's does not
/// change.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    fn hex4(b: &[u8], at: usize) -> Option<u32> {
        let digits = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
        u32::from_str_radix(digits, 16).ok()
    }
    let is_high = |u: u32| (0xD800..0xDC00).contains(&u);
    let is_low = |u: u32| (0xDC00..0xE000).contains(&u);
    // A cheap test first: most bodies have no escaped surrogate at all.
    if !text.contains("\\u") {
        return None;
    }
    let mut b = text.as_bytes().to_vec();
    let mut changed = false;
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        match (in_string, b[i]) {
            (false, b'"') => in_string = true,
            (true, b'"') => in_string = false,
            (true, b'\\') if b.get(i + 1) == Some(&b'u') => {
                if let Some(u) = hex4(&b, i + 2) {
                    let paired =
                        is_high(u) && b.get(i + 6..i + 8) == Some(b"\\u") && hex4(&b, i + 8).is_some_and(is_low);
                    if paired {
                        i += 12;
                        continue;
                    }
                    if is_high(u) || is_low(u) {
                        b[i + 2..i + 6].copy_from_slice(b"FFFD");
                        changed = true;
                    }
                    i += 6;
                    continue;
                }
                i += 2;
                continue;
            }
            // Any other escape: skip the escaped character (`\"` and `\\` included).
            (true, b'\\') => {
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
    changed.then(|| String::from_utf8(b).expect("ASCII replaced by ASCII"))
}

/// Decides what becomes of a frame's body.
fn vet(body: Vec<u8>) -> Vetted {
    if let Ok(text) = std::str::from_utf8(&body) {
        if let Some(msg) = decode(text) {
            return pass(body, &msg);
        }
        if let Some(fixed) = replace_lone_surrogates(text) {
            if let Some(msg) = decode(&fixed) {
                tracing::info!(
                    "replaced lone UTF-16 surrogate escapes by U+FFFD in a {} message",
                    method_of(&msg)
                );
                return pass(fixed.into_bytes(), &msg);
            }
        }
    }
    reject(&body)
}

fn method_of(msg: &Incoming) -> String {
    match msg {
        Incoming::Request(r) => loggable_method(r.method()),
        Incoming::Response(_) => "response".into(),
    }
}

/// A method name fit for the log: client-chosen text, so scrubbed and kept short.
fn loggable_method(method: &str) -> String {
    let short: String = method.chars().take(64).collect();
    crate::redact::scrub(&short)
}

/// The answer to a body the decoder would refuse, read as far as it can be.
fn reject(body: &[u8]) -> Vetted {
    let utf8 = std::str::from_utf8(body).is_ok();
    let lossy = String::from_utf8_lossy(body);
    let text = replace_lone_surrogates(&lossy).map_or(lossy, Cow::Owned);
    let value: Option<Value> = serde_json::from_str(&text).ok();
    let (code, message) = match (&value, utf8) {
        (None, _) => (-32700, "Parse error: the message body is not valid JSON"),
        (Some(_), false) => (-32700, "Parse error: the message body is not UTF-8"),
        (Some(_), true) => (
            -32600,
            "Invalid request: not a JSON-RPC 2.0 message (one object with \"jsonrpc\": \"2.0\", a string method, an integer or string id)",
        ),
    };
    let obj = value.as_ref().and_then(Value::as_object);
    let method = obj.and_then(|o| o.get("method")).and_then(Value::as_str);
    let id = obj
        .and_then(|o| o.get("id"))
        .filter(|id| id.is_i64() || id.is_string())
        .cloned();
    let is_response = method.is_none() && obj.is_some_and(|o| o.contains_key("result") || o.contains_key("error"));
    let mut to_server = None;
    let reply_id = if is_response {
        // An answer to one of the server's requests: fail that request rather than leave
        // it waiting, and do not answer an answer (its id is the server's, not the client's).
        if let Some(id) = &id {
            let failed = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
            to_server = Some(frame(failed.to_string().as_bytes()));
        }
        Value::Null
    } else {
        id.unwrap_or(Value::Null)
    };
    let what = match (method, is_response) {
        (Some(m), _) => loggable_method(m),
        (None, true) => "response".into(),
        (None, false) => "message".into(),
    };
    tracing::warn!(
        "answered a {what} the server cannot decode with {code} ({} bytes)",
        body.len()
    );
    if method == Some("textDocument/didChange") {
        // `get`, not indexing: a map panics on a missing key (a fuzz find).
        let uri = obj
            .and_then(|o| o.get("params"))
            .and_then(|p| p["textDocument"]["uri"].as_str());
        if let Some(uri) = uri {
            // The change is lost: the server's copy of the document is out of step.
            let lost = json!({"jsonrpc": "2.0", "method": LOST_CHANGE, "params": {"uri": uri}});
            to_server = Some(frame(lost.to_string().as_bytes()));
        } else {
            tracing::warn!("a dropped textDocument/didChange named no document");
        }
    }
    let reply = json!({"jsonrpc": "2.0", "id": reply_id, "error": {"code": code, "message": message}});
    Vetted::Reject {
        reply: frame(reply.to_string().as_bytes()),
        to_server,
    }
}

/// Copies frames from `input` to `to_server`, answering undecodable ones on `replies`.
/// Stops after passing on `exit`.
pub async fn guard_input<R, W>(
    input: R,
    mut to_server: W,
    replies: mpsc::UnboundedSender<Vec<u8>>,
    lifecycle: std::sync::Arc<Lifecycle>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::new(input);
    loop {
        match read_frame(&mut r).await {
            Ok(None) | Err(_) => break,
            Ok(Some(Err(()))) => {
                tracing::warn!("skipped bytes that are not an LSP message");
                let body = br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: not an LSP message (expected a Content-Length header)"}}"#;
                let _ = replies.send(frame(body));
            }
            Ok(Some(Ok(body))) => match vet(body) {
                Vetted::Pass { body, exit } => {
                    if exit {
                        // Before the server can act on it, so `serve` never misses it.
                        lifecycle.set_exit();
                    }
                    if to_server.write_all(&frame(&body)).await.is_err() || exit {
                        break;
                    }
                }
                Vetted::Reject {
                    reply,
                    to_server: extra,
                } => {
                    let _ = replies.send(reply);
                    if let Some(extra) = extra {
                        if to_server.write_all(&extra).await.is_err() {
                            break;
                        }
                    }
                }
            },
        }
    }
    let _ = to_server.shutdown().await;
}

/// Copies the server's frames to `output`, with the guard's replies between them.
pub async fn guard_output<R, W>(from_server: R, mut output: W, mut replies: mpsc::UnboundedReceiver<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::new(from_server);
    let (mut server_open, mut replies_open) = (true, true);
    while server_open || replies_open {
        let bytes = tokio::select! {
            reply = replies.recv(), if replies_open => match reply {
                Some(bytes) => bytes,
                None => {
                    replies_open = false;
                    continue;
                }
            },
            msg = read_frame(&mut r), if server_open => match msg {
                Ok(Some(Ok(body))) => frame(&body),
                _ => {
                    server_open = false;
                    // Nothing more will need a reply once the server is gone.
                    replies_open = false;
                    continue;
                }
            },
        };
        if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
    let _ = output.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_did_change_without_params_that_cannot_be_decoded_is_answered_not_a_panic() {
        // Found by the transport fuzz target: a didChange with invalid UTF-8 and no
        // `params` key made the guard index a missing map key.
        let body = b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"]jsonr\":{\"\x9cextDocument\":{\"uri\":\"file:///a\",\"version\":4},\"contentChanges\":[{\"text\":\"\\ud83d\"}]}}";
        let v = vetted(body);
        assert_eq!(v["error"]["code"], -32700);
    }

    fn vetted(body: &[u8]) -> Value {
        match vet(body.to_vec()) {
            Vetted::Pass { body, .. } => serde_json::from_slice(&body).unwrap(),
            Vetted::Reject { reply, .. } => {
                let at = reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                serde_json::from_slice(&reply[at..]).unwrap()
            }
        }
    }

    #[test]
    fn the_decoder_refuses_what_a_syntax_check_accepts() {
        // Why syntax is not enough: a lone surrogate is valid JSON syntax...
        let lone = r#"{"jsonrpc":"2.0","method":"x","params":{"t":"\ud800"}}"#;
        assert!(serde_json::from_str::<serde::de::IgnoredAny>(lone).is_ok());
        // ...that neither a JSON value nor the transport's message type accepts.
        assert!(serde_json::from_str::<Value>(lone).is_err());
        assert!(decode(lone).is_none());
        // Invalid UTF-8 inside a string passes a syntax check on bytes.
        let bad = b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"\xff\"}}";
        assert!(serde_json::from_slice::<serde::de::IgnoredAny>(bad).is_ok());
        assert!(std::str::from_utf8(std::hint::black_box(bad)).is_err());
    }

    #[test]
    fn lone_surrogates_are_replaced_pairs_and_escaped_backslashes_kept() {
        let cases = [
            (r#"{"a":"\ud800"}"#, Some(r#"{"a":"\uFFFD"}"#)),
            (r#"{"a":"\uDC00x\uD83D"}"#, Some(r#"{"a":"\uFFFDx\uFFFD"}"#)),
            (r#"{"\ud800":1}"#, Some(r#"{"\uFFFD":1}"#)),
            (r#"{"a":"\ud83d\ude00"}"#, None),
            (r#"{"a":"\\ud800"}"#, None),
            (r#"{"a":"\\\ud800"}"#, Some(r#"{"a":"\\\uFFFD"}"#)),
            (r#"{"a":"\"\ud800"}"#, Some(r#"{"a":"\"\uFFFD"}"#)),
            (r#"{"a":"\u00e9\u0041"}"#, None),
            // A high surrogate followed by another high one: both alone.
            (r#"{"a":"\ud800\ud800"}"#, Some(r#"{"a":"\uFFFD\uFFFD"}"#)),
            (r#"{"a":"ud800"}"#, None),
        ];
        for (input, expected) in cases {
            assert_eq!(replace_lone_surrogates(input).as_deref(), expected, "{input}");
        }
    }

    #[test]
    fn bodies_are_vetted_as_the_decoder_would() {
        let ok = vetted(br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"t":"\ud800"}}"#);
        assert_eq!(ok["params"]["t"], "\u{FFFD}");
        let ok = vetted(br#"{"jsonrpc":"2.0","id":"a","result":null}"#);
        assert_eq!(ok["id"], "a");
        for (body, code, id) in [
            (&br#"{"id":3,"method":"x"}"#[..], -32600, json!(3)),
            (br#"[]"#, -32600, Value::Null),
            (br#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#, -32600, Value::Null),
            (br#"{"jsonrpc":"2.0","id":-1.0,"method":"x"}"#, -32600, Value::Null),
            (
                b"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"x\",\"params\":\"\xc3\"}",
                -32700,
                json!(4),
            ),
            (br#"{"jsonrpc":"2.0","id":5,"method":"x""#, -32700, Value::Null),
            // A bad answer to one of the server's requests is not answered by its id.
            (br#"{"id":6,"result":null}"#, -32600, Value::Null),
        ] {
            let reply = vetted(body);
            assert_eq!(reply["error"]["code"], code, "{}", String::from_utf8_lossy(body));
            assert_eq!(reply["id"], id, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn a_lost_change_and_a_bad_answer_are_reported_to_the_server() {
        let change = b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"file:///a\",\"version\":2},\"contentChanges\":[{\"text\":\"\xff\"}]}}";
        let Vetted::Reject {
            to_server: Some(notice),
            ..
        } = vet(change.to_vec())
        else {
            panic!("the server hears of the lost change");
        };
        let notice = String::from_utf8(notice).unwrap();
        assert!(notice.contains(LOST_CHANGE) && notice.contains("file:///a"), "{notice}");
        let answer = br#"{"id":6,"result":null}"#;
        let Vetted::Reject {
            to_server: Some(failed),
            ..
        } = vet(answer.to_vec())
        else {
            panic!("the server's request fails instead of waiting");
        };
        let failed = String::from_utf8(failed).unwrap();
        assert!(failed.contains(r#""id":6"#) && failed.contains("-32600"), "{failed}");
    }

    #[test]
    fn only_exit_is_marked_as_exit() {
        let exit = |body: &[u8]| matches!(vet(body.to_vec()), Vetted::Pass { exit: true, .. });
        assert!(exit(br#"{"jsonrpc":"2.0","method":"exit"}"#));
        assert!(!exit(br#"{"jsonrpc":"2.0","method":"shutdown","id":1}"#));
    }

    #[tokio::test]
    async fn a_long_header_line_is_discarded_in_bounded_chunks() {
        let mut input = vec![b'A'; 4 << 20];
        input.extend_from_slice(b"\r\nContent-Length: 2\r\n\r\n{}");
        let mut r = BufReader::with_capacity(4096, &input[..]);
        // The line is read through and dropped (not returned, not kept).
        assert_eq!(read_line(&mut r).await.unwrap(), Line::TooLong);
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Ok(b"{}".to_vec())));
        assert_eq!(read_frame(&mut r).await.unwrap(), None);
    }

    #[tokio::test]
    async fn header_lines_are_counted_from_the_last_content_length() {
        let mut input = "X-A: 1\r\n".repeat(MAX_HEADER_LINES + 1).into_bytes();
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        let mut r = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Err(())));
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Ok(b"{}".to_vec())));
        // Many headers before a Content-Length are skipped; the frame after still reads.
        let mut input = "X-A: 1\r\n".repeat(MAX_HEADER_LINES - 1).into_bytes();
        input.extend_from_slice(b"Content-Length: 2\r\nContent-Type: x\r\n\r\n{}");
        let mut r = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Ok(b"{}".to_vec())));
    }

    #[tokio::test]
    async fn a_body_shorter_than_its_length_ends_the_input() {
        let input = b"Content-Length: 100000000\r\n\r\n{}";
        let mut r = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).await.unwrap(), None);
    }
}
