//! An LSP test client that drives the real server in-process over a duplex pipe, speaking
//! JSON-RPC as an editor would. It answers the server's own requests
//! (`workspace/configuration`, `client/registerCapability`, progress creation) and keeps
//! every message for assertions.
#![allow(dead_code)]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::mpsc;

pub struct TestClient {
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    incoming: mpsc::UnboundedReceiver<Value>,
    seen: Vec<Value>,
    next_id: i64,
    /// What `workspace/configuration` answers with.
    pub configuration: Arc<Mutex<Value>>,
    server: tokio::task::JoinHandle<()>,
}

/// Benchmarks turn the per-message secret check off: it would dominate their timings.
pub static CHECK_SECRETS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Every line the server logs during a test binary's run, at trace level.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogSink;

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The synthetic secrets the suites use (`common::sig`, `key64`, `key32` for small seeds),
/// as written in any test text.
fn known_secrets() -> &'static Vec<String> {
    static S: OnceLock<Vec<String>> = OnceLock::new();
    S.get_or_init(|| {
        let mut v = Vec::new();
        for seed in 0..120 {
            let s = super::sig(seed);
            v.push(super::pct(&s));
            v.push(s);
            v.push(super::key64(seed));
            v.push(super::key32(seed));
        }
        v
    })
}

/// Fails when `text` holds any known secret.
fn assert_no_secret(what: &str, text: &str) {
    if let Some(s) = known_secrets().iter().find(|s| text.contains(s.as_str())) {
        panic!("{what} holds a full secret (starting {})", &s[..4]);
    }
}

/// A message without the edit payloads the user asked for (they may carry the secret: the
/// `.env` line of "Move to environment variable").
fn without_edits(msg: &Value) -> Value {
    match msg {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "newText")
                .map(|(k, v)| (k.clone(), without_edits(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_edits).collect()),
        other => other.clone(),
    }
}

/// `Content-Length` framing of one message.
pub fn frame(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The `Content-Length` of a header line, if it is that header.
fn content_length(line: &str) -> Option<usize> {
    line.trim_end().strip_prefix("Content-Length: ")?.parse().ok()
}

/// Reads one framed message's body; `None` at the end of the stream.
pub async fn read_message<R: tokio::io::AsyncRead + Unpin>(r: &mut BufReader<R>) -> Option<Vec<u8>> {
    let mut len = 0;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        if line.trim_end().is_empty() {
            break;
        }
        len = content_length(&line).unwrap_or(len);
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).await.ok()?;
    Some(body)
}

/// The same, from a blocking reader (a child process's stdout).
pub fn read_message_blocking<R: std::io::BufRead>(r: &mut R) -> Option<Vec<u8>> {
    let mut len = 0;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line.trim_end().is_empty() {
            break;
        }
        len = content_length(&line).unwrap_or(len);
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(body)
}

async fn write_frame(w: &tokio::sync::Mutex<WriteHalf<DuplexStream>>, body: &[u8]) {
    let mut w = w.lock().await;
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    w.write_all(header.as_bytes()).await.unwrap();
    w.write_all(body).await.unwrap();
    w.flush().await.unwrap();
}

impl TestClient {
    pub async fn start() -> TestClient {
        // The server's log, at trace, goes to a buffer that is checked for secrets.
        sasguard::lsp::logging::init_with(|| LogSink, "trace,tower_lsp_server::codec=trace");
        let (client_io, server_io) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_io);
        let server = tokio::spawn(async move {
            sasguard::lsp::serve(server_read, server_write).await;
        });
        let (read, write) = tokio::io::split(client_io);
        let writer = Arc::new(tokio::sync::Mutex::new(write));
        let (tx, incoming) = mpsc::unbounded_channel();
        let configuration = Arc::new(Mutex::new(Value::Null));
        let (w2, cfg) = (writer.clone(), configuration.clone());
        tokio::spawn(async move {
            let mut reader = BufReader::new(read);
            loop {
                let Some(body) = read_message(&mut reader).await else {
                    return;
                };
                let msg: Value = serde_json::from_slice(&body).expect("server sent valid JSON");
                // Every message the server sends, but for the edits asked for, is secret-free.
                if CHECK_SECRETS.load(std::sync::atomic::Ordering::Relaxed) {
                    assert_no_secret("a server message", &without_edits(&msg).to_string());
                }
                if msg.get("method").is_some() && msg.get("id").is_some() {
                    let result = match msg["method"].as_str().unwrap() {
                        "workspace/configuration" => {
                            let n = msg["params"]["items"].as_array().map_or(1, |a| a.len());
                            Value::Array(vec![cfg.lock().unwrap().clone(); n])
                        }
                        _ => Value::Null,
                    };
                    let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": result});
                    write_frame(&w2, reply.to_string().as_bytes()).await;
                }
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        TestClient {
            writer,
            incoming,
            seen: Vec::new(),
            next_id: 1,
            configuration,
            server,
        }
    }

    /// Starts a server and runs `initialize` + `initialized`; returns the initialize result.
    pub async fn initialized(params: Value) -> (TestClient, Value) {
        let mut c = TestClient::start().await;
        let res = c.request("initialize", params).await;
        assert!(res.get("error").is_none(), "initialize failed: {res}");
        c.notify("initialized", json!({})).await;
        (c, res["result"].clone())
    }

    pub async fn send_raw(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().await;
        w.write_all(bytes).await.unwrap();
        w.flush().await.unwrap();
    }

    pub async fn notify(&self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        write_frame(&self.writer, msg.to_string().as_bytes()).await;
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        write_frame(&self.writer, msg.to_string().as_bytes()).await;
        self.wait_for(|m| m.get("method").is_none() && m["id"] == json!(id))
            .await
    }

    /// Waits (up to 10 s) for a message matching `pred`, looking at unconsumed ones first.
    pub async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let msg = tokio::time::timeout_at(deadline, self.incoming.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out; unconsumed messages: {:?}", self.seen))
                .expect("server closed the connection");
            if pred(&msg) {
                return msg;
            }
            self.seen.push(msg);
        }
    }

    /// The next message from the server, waiting up to `ms` milliseconds.
    pub async fn next_message(&mut self, ms: u64) -> Option<Value> {
        if !self.seen.is_empty() {
            return Some(self.seen.remove(0));
        }
        tokio::time::timeout(Duration::from_millis(ms), self.incoming.recv())
            .await
            .ok()
            .flatten()
    }

    /// Collects whatever arrives within `ms` milliseconds.
    pub async fn drain(&mut self, ms: u64) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_millis(ms);
        while let Ok(Some(m)) = tokio::time::timeout_at(deadline, self.incoming.recv()).await {
            self.seen.push(m);
        }
        std::mem::take(&mut self.seen)
    }

    /// The next `publishDiagnostics` for `uri`.
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        let uri = uri.to_string();
        self.wait_for(move |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            .await["params"]
            .clone()
    }

    pub async fn open(&self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn change(&self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    /// Checks the log written so far.
    pub fn assert_log_clean(&self) {
        let log = String::from_utf8_lossy(&LOG.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
        assert!(log.contains("initialized"), "the server log is captured");
        assert_no_secret("the server log", &log);
    }

    pub async fn shutdown_and_exit(mut self) {
        self.assert_log_clean();
        let res = self.request("shutdown", Value::Null).await;
        assert_eq!(res["result"], Value::Null);
        self.notify("exit", Value::Null).await;
        tokio::time::timeout(Duration::from_secs(5), self.server)
            .await
            .expect("server exits")
            .unwrap();
    }
}

/// Client capabilities of a push client (publishDiagnostics) using UTF-16.
pub fn push_client() -> Value {
    json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {
            "textDocument": {"publishDiagnostics": {"versionSupport": true}},
            "workspace": {"workspaceEdit": {"documentChanges": true}}
        }
    })
}

/// Applies LSP text edits (UTF-16 positions) to `text`, as an editor would.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<&Value> = edits.iter().collect();
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let ch = pos["character"].as_u64().unwrap() as usize;
        let mut start = 0;
        for _ in 0..line {
            start += text[start..].find('\n').map(|i| i + 1).unwrap_or(text.len() - start);
        }
        let mut units = 0;
        let mut byte = start;
        for c in text[start..].chars() {
            if units >= ch || c == '\n' || c == '\r' {
                break;
            }
            units += c.len_utf16();
            byte += c.len_utf8();
        }
        byte
    };
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in edits {
        let (a, b) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
        out.replace_range(a..b, e["newText"].as_str().unwrap());
    }
    out
}
