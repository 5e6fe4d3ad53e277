//! The real `sasguard lsp` binary over stdio, for tests (not examples: they have no
//! binary to run). Include with `#[path = "common/stdio.rs"] mod stdio;` next to `mod common;`.

use serde_json::{json, Value};

use crate::common::lsp::{frame, read_message_blocking};

/// Runs the real `sasguard lsp` over stdio with `RUST_LOG=rust_log`: writes `messages`
/// (waiting for the answer to each request), then shutdown and exit. Returns everything it
/// wrote to stdout (its messages, one per line) and to stderr (its log).
pub fn serve_stdio(rust_log: &str, messages: Vec<Value>) -> (String, String) {
    use std::io::{Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sasguard"))
        .arg("lsp")
        .env("RUST_LOG", rust_log)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut transcript = String::new();
    let mut wait_for = |reader: &mut std::io::BufReader<std::process::ChildStdout>, id: i64| loop {
        let text = String::from_utf8(read_message_blocking(reader).expect("a message")).unwrap();
        transcript.push_str(&text);
        transcript.push('\n');
        if serde_json::from_str::<Value>(&text).unwrap()["id"] == id {
            break;
        }
    };
    let shutdown = json!({"jsonrpc": "2.0", "id": 99_999, "method": "shutdown"});
    for m in messages.into_iter().chain([shutdown]) {
        stdin.write_all(&frame(&m)).unwrap();
        if let Some(id) = m["id"].as_i64() {
            wait_for(&mut reader, id);
        }
    }
    stdin
        .write_all(&frame(&json!({"jsonrpc": "2.0", "method": "exit"})))
        .unwrap();
    drop(stdin);
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        transcript + &String::from_utf8_lossy(&rest),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
