//! The transport over stdio: hostile frames (endless header lines) cost bounded memory.

mod common;

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::lsp::push_client;
use serde_json::{json, Value};

const URI: &str = "file:///work/app.py";

fn hover_at(line: u64, character: u64) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

// ---------------------------------------------------------------------------------------
// The real binary over stdio.

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sasguard"))
            .arg("lsp")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(body) = common::lsp::read_message_blocking(&mut stdout) {
                let msg: Value = serde_json::from_slice(&body).expect("the server sent JSON");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&common::lsp::frame(&msg));
    }

    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.messages.recv_timeout(left).expect("the server answers in time");
            if pred(&msg) {
                return msg;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&common::lsp::frame(&msg));
        self.wait_for(|m| m.get("method").is_none() && m["id"] == id)
    }

    fn initialize(&mut self) {
        let res = self.request("initialize", push_client());
        assert!(res["result"]["capabilities"].is_object(), "{}", res);
        self.notify("initialized", json!({}));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The peak resident memory of a process, in KiB.
#[cfg(target_os = "linux")]
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_header_line_is_discarded_in_bounded_memory() {
    let mut s = Server::start();
    s.initialize();
    let before = peak_rss_kib(s.child.id());
    // 64 MiB without a line break, then a good request.
    let chunk = vec![b'A'; 1 << 20];
    for _ in 0..64 {
        s.send_raw(&chunk);
    }
    s.send_raw(b"\r\n");
    let err = s.wait_for(|m| m.get("error").is_some());
    assert_eq!(err["error"]["code"], -32700, "{}", err);
    let res = s.request("textDocument/hover", hover_at(0, 0));
    assert_eq!(res["result"], Value::Null, "the server still answers: {}", res);
    let grown = peak_rss_kib(s.child.id()).saturating_sub(before);
    assert!(
        grown < 16 << 10,
        "the server grew by {grown} KiB on a 64 MiB header line"
    );
    // Many short header lines with no blank line: refused in bounded batches, and a good
    // request after them is answered.
    let junk = "X-Junk: 1\r\n".repeat(10_000);
    s.send_raw(junk.as_bytes());
    let res = s.request("textDocument/hover", hover_at(0, 0));
    assert_eq!(res["result"], Value::Null, "the server still answers: {}", res);
    let res = s.request("shutdown", Value::Null);
    assert_eq!(res["result"], Value::Null, "{}", res);
}
