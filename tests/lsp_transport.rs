//! The transport and the lifecycle: hostile frames (endless header lines, bodies the
//! protocol decoder would choke on), the exit codes of `shutdown`/`exit`, and documents
//! whose text the server no longer shares with the client.

mod common;

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::lsp::{apply_edits, push_client, TestClient};
use common::{pct, sig};
use serde_json::{json, Value};

const URI: &str = "file:///work/app.py";

fn leak_url(seed: u64) -> String {
    format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2051-10-06T07:09:59Z&spr=https&sig={}",
        pct(&sig(seed))
    )
}

/// Text fit for an assertion message: the test signatures are cut out.
fn safe(v: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string(v).unwrap();
    for seed in 30..40 {
        s = s.replace(&pct(&sig(seed)), "<sig>").replace(&sig(seed), "<sig>");
    }
    s
}

/// One frame around raw body bytes (which need not be valid JSON or UTF-8).
fn raw(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn hover_at(line: u64, character: u64) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

fn code_action_params(line: u64) -> Value {
    json!({"textDocument": {"uri": URI}, "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "context": {"diagnostics": []}})
}

/// The server still serves: a hover on the open document finds the token.
async fn still_serving(c: &mut TestClient) {
    let res = c.request("textDocument/hover", hover_at(0, 8)).await;
    let value = res["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.contains("account SAS"),
        "the server answers normally afterwards: {}",
        safe(&res)
    );
}

async fn with_open_document() -> TestClient {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(URI, "python", &format!("u = '{}'\n", leak_url(31))).await;
    c.diagnostics(URI).await;
    c
}

// ---------------------------------------------------------------------------------------
// Bodies the guard must vet as the decoder would (item 8).

#[tokio::test]
async fn undecodable_messages_get_errors_with_their_id_and_the_server_carries_on() {
    let mut c = with_open_document().await;
    // (body, expected code, expected id)
    let cases: Vec<(Vec<u8>, i64, Value)> = vec![
        // No "jsonrpc" member.
        (
            br#"{"id":71,"method":"textDocument/hover","params":{}}"#.to_vec(),
            -32600,
            json!(71),
        ),
        // The wrong version.
        (
            br#"{"jsonrpc":"1.0","id":"r72","method":"shutdown"}"#.to_vec(),
            -32600,
            json!("r72"),
        ),
        // A batch.
        (
            br#"[{"jsonrpc":"2.0","id":73,"method":"shutdown"},{"jsonrpc":"2.0","method":"exit"}]"#.to_vec(),
            -32600,
            Value::Null,
        ),
        // Ids that are neither an integer, a string nor null.
        (
            br#"{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}"#.to_vec(),
            -32600,
            Value::Null,
        ),
        (
            br#"{"jsonrpc":"2.0","id":7.5,"method":"shutdown"}"#.to_vec(),
            -32600,
            Value::Null,
        ),
        (
            br#"{"jsonrpc":"2.0","id":100000000000000000000,"method":"shutdown"}"#.to_vec(),
            -32600,
            Value::Null,
        ),
        // A method that is not a string.
        (br#"{"jsonrpc":"2.0","id":74,"method":5}"#.to_vec(), -32600, json!(74)),
        // A string that is not UTF-8.
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":75,\"method\":\"textDocument/hover\",\"params\":{\"x\":\"\xff\xfe\"}}"
                .to_vec(),
            -32700,
            json!(75),
        ),
        // A top-level value that is not an object.
        (b"\"just a string\"".to_vec(), -32600, Value::Null),
        (b"42".to_vec(), -32600, Value::Null),
    ];
    for (body, code, id) in cases {
        let shown = String::from_utf8_lossy(&body).into_owned();
        c.send_raw(&raw(&body)).await;
        let err = c.wait_for(|m| m.get("error").is_some()).await;
        assert_eq!(err["error"]["code"], code, "{}: {}", shown, safe(&err));
        assert_eq!(err["id"], id, "{}: {}", shown, safe(&err));
        still_serving(&mut c).await;
    }
    // Nothing was answered besides the errors and the hovers.
    let extra = c.drain(200).await;
    assert!(
        extra.iter().all(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{}",
        safe(&extra)
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn a_lone_surrogate_in_a_request_is_replaced_and_the_request_answered() {
    let mut c = with_open_document().await;
    // Valid JSON syntax that a strict decoder rejects: a high surrogate with no low one.
    let body = br#"{"jsonrpc":"2.0","id":81,"method":"workspace/executeCommand","params":{"command":"x\ud800y","arguments":[]}}"#;
    c.send_raw(&raw(body)).await;
    let res = c.wait_for(|m| m["id"] == 81).await;
    // The command is unknown (with U+FFFD where the surrogate was): an ordinary answer.
    assert_eq!(res["error"]["code"], -32602, "{}", safe(&res));
    assert!(
        res["error"]["message"].as_str().unwrap().contains("x\u{FFFD}y"),
        "{}",
        safe(&res)
    );
    // A lone low surrogate, an escaped backslash before "ud800" (not an escape), a proper pair.
    let body = br#"{"jsonrpc":"2.0","id":82,"method":"workspace/executeCommand","params":{"command":"\udc00 \\ud800 \ud83d\ude00","arguments":[]}}"#;
    c.send_raw(&raw(body)).await;
    let res = c.wait_for(|m| m["id"] == 82).await;
    assert!(
        res["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\u{FFFD} \\ud800 \u{1F600}"),
        "{}",
        safe(&res)
    );
    still_serving(&mut c).await;
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn half_an_emoji_typed_in_a_document_keeps_it_in_step() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let url = leak_url(32);
    let mut text = format!("u = '{url}'\n");
    c.open(URI, "python", &text).await;
    c.diagnostics(URI).await;
    // The user types the first half of a surrogate pair at the start of the line: the
    // editor sends it as a lone escape. One UTF-16 unit, as U+FFFD is.
    let change = br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///work/app.py","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"\ud83d"}]}}"#;
    c.send_raw(&raw(change)).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["version"], 2, "the change was applied: {}", safe(&d));
    assert_eq!(d["diagnostics"][0]["range"]["start"]["character"], 6, "{}", safe(&d));
    // Then the second half right after it.
    let change = br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///work/app.py","version":3},"contentChanges":[{"range":{"start":{"line":0,"character":1},"end":{"line":0,"character":1}},"text":"\ude00"}]}}"#;
    c.send_raw(&raw(change)).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["version"], 3, "{}", safe(&d));
    assert_eq!(d["diagnostics"][0]["range"]["start"]["character"], 7, "{}", safe(&d));
    // The client now holds an emoji (two UTF-16 units): the redaction lands exactly.
    text.insert(0, '😀');
    let res = c.request("textDocument/codeAction", code_action_params(0)).await;
    let actions = res["result"].as_array().expect("actions");
    let redact = actions
        .iter()
        .find(|a| a["title"] == "Redact SAS signature")
        .expect("a redact action");
    assert_eq!(redact["edit"]["documentChanges"][0]["textDocument"]["version"], 3);
    let edits = redact["edit"]["documentChanges"][0]["edits"].as_array().unwrap();
    let after = apply_edits(&text, edits);
    assert!(after == text.replace(&pct(&sig(32)), "REDACTED"), "{}", safe(&after));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn a_change_the_decoder_cannot_read_puts_the_document_out_of_step() {
    let mut c = with_open_document().await;
    // A change whose text is not UTF-8: it cannot be applied, so the server's text no
    // longer matches the client's.
    let change = b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"file:///work/app.py\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"text\":\"\xff\"}]}}";
    c.send_raw(&raw(change)).await;
    let err = c.wait_for(|m| m.get("error").is_some()).await;
    assert_eq!(err["error"]["code"], -32700, "{}", safe(&err));
    let cleared = c.diagnostics(URI).await;
    assert_eq!(cleared["diagnostics"], json!([]), "{}", safe(&cleared));
    let res = c.request("textDocument/codeAction", code_action_params(0)).await;
    assert_eq!(
        res["error"]["code"],
        -32801,
        "no edit against unknown text: {}",
        safe(&res)
    );
    // A full text resynchronises.
    let text = format!("x = '{}'\n", leak_url(33));
    c.change(URI, 3, json!([{"text": text}])).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"].as_array().unwrap().len(), 1, "{}", safe(&d));
    let res = c.request("textDocument/codeAction", code_action_params(0)).await;
    assert!(
        res["result"].as_array().is_some_and(|a| !a.is_empty()),
        "{}",
        safe(&res)
    );
    c.shutdown_and_exit().await;
}

// ---------------------------------------------------------------------------------------
// A change older than the server's text (item 9).

#[tokio::test]
async fn a_stale_change_is_never_answered_with_edits_against_the_wrong_text() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let url = leak_url(34);
    let text = format!("u = '{url}'\n");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "python", "version": 5, "text": text}}),
    )
    .await;
    assert_eq!(c.diagnostics(URI).await["version"], 5);
    // A change with a lower version: the client's text is not what the server holds.
    c.change(
        URI,
        3,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "v = 1\n"}]),
    )
    .await;
    let d = c.diagnostics(URI).await;
    assert_eq!(
        d["diagnostics"],
        json!([]),
        "the stale findings are withdrawn: {}",
        safe(&d)
    );
    let shown = c.wait_for(|m| m["method"] == "window/showMessage").await;
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(text.contains("app.py") && text.contains("reopen the file"), "{text}");
    let res = c.request("textDocument/codeAction", code_action_params(1)).await;
    assert_eq!(res["error"]["code"], -32801, "{}", safe(&res));
    let res = c.request("textDocument/hover", hover_at(1, 8)).await;
    assert_eq!(res["error"]["code"], -32801, "{}", safe(&res));
    let res = c
        .request(
            "codeAction/resolve",
            json!({"title": "Move to environment variable", "data": {"action": "moveToEnv", "uri": URI, "version": 5, "start": 5, "fingerprint": "x"}}),
        )
        .await;
    assert_eq!(res["error"]["code"], -32801, "{}", safe(&res));
    // Incremental changes on unknown text stay refused.
    c.change(
        URI,
        6,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "#"}]),
    )
    .await;
    let res = c.request("textDocument/codeAction", code_action_params(1)).await;
    assert_eq!(res["error"]["code"], -32801, "{}", safe(&res));
    // A full replacement resynchronises: the actions come back with the right version.
    let text = format!("# a\nu = '{url}'\n");
    c.change(URI, 7, json!([{"text": text}])).await;
    let d = c
        .wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 7)
        .await;
    assert_eq!(
        d["params"]["diagnostics"][0]["range"]["start"]["line"],
        1,
        "{}",
        safe(&d)
    );
    let res = c.request("textDocument/codeAction", code_action_params(1)).await;
    let actions = res["result"].as_array().expect("actions");
    let redact = actions
        .iter()
        .find(|a| a["title"] == "Redact SAS signature")
        .expect("a redact action");
    assert_eq!(redact["edit"]["documentChanges"][0]["textDocument"]["version"], 7);
    let edits = redact["edit"]["documentChanges"][0]["edits"].as_array().unwrap();
    let after = apply_edits(&text, edits);
    assert!(after == text.replace(&pct(&sig(34)), "REDACTED"), "{}", safe(&after));
    let res = c.request("textDocument/hover", hover_at(1, 8)).await;
    assert!(res.get("error").is_none(), "{}", safe(&res));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn a_reopen_resynchronises_a_document_out_of_step() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let text = format!("u = '{}'\n", leak_url(35));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "python", "version": 5, "text": text}}),
    )
    .await;
    c.diagnostics(URI).await;
    c.change(
        URI,
        4,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "#"}]),
    )
    .await;
    c.diagnostics(URI).await;
    let res = c.request("textDocument/codeAction", code_action_params(0)).await;
    assert_eq!(res["error"]["code"], -32801, "{}", safe(&res));
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": URI}}))
        .await;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "python", "version": 9, "text": text}}),
    )
    .await;
    let d = c
        .wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 9)
        .await;
    assert_eq!(d["params"]["diagnostics"].as_array().unwrap().len(), 1, "{}", safe(&d));
    let res = c.request("textDocument/codeAction", code_action_params(0)).await;
    assert!(
        res["result"].as_array().is_some_and(|a| !a.is_empty()),
        "{}",
        safe(&res)
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn no_move_to_env_edit_against_an_env_file_out_of_step() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".env"), "OTHER=1\n").unwrap();
    std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
    let mut params = push_client();
    params["workspaceFolders"] = json!([{"uri": format!("file://{}", root.display()), "name": "w"}]);
    params["capabilities"]["workspace"]["workspaceEdit"] =
        json!({"documentChanges": true, "resourceOperations": ["create"]});
    params["capabilities"]["textDocument"]["codeAction"] = json!({"resolveSupport": {"properties": ["edit"]}});
    let (mut c, _) = TestClient::initialized(params).await;
    let uri = format!("file://{}", root.join("app.py").display());
    c.open(
        &uri,
        "python",
        &format!("import os\nMODEL_URL = \"{}\"\n", leak_url(37)),
    )
    .await;
    c.diagnostics(&uri).await;
    let ask = json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "context": {"diagnostics": []}});
    let is_move = |a: &&Value| {
        a["title"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Move to environment variable")
    };
    let res = c.request("textDocument/codeAction", ask.clone()).await;
    let action = res["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(is_move)
        .expect("offered")
        .clone();
    // The .env is open in the editor, and its last change arrives out of order.
    let env_uri = format!("file://{}", root.join(".env").display());
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": env_uri, "languageId": "dotenv", "version": 5, "text": "OTHER=1\n"}}),
    )
    .await;
    c.change(
        &env_uri,
        4,
        json!([{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "MORE=2\n"}]),
    )
    .await;
    // Its end is unknown: appending there could land anywhere.
    let res = c.request("codeAction/resolve", action.clone()).await;
    assert_eq!(res["error"]["code"], -32801, "{}", safe(&res));
    let res = c.request("textDocument/codeAction", ask.clone()).await;
    let all = res["result"].as_array().expect("the other actions are offered");
    assert!(!all.iter().any(|a| is_move(&a)), "{}", safe(&all));
    assert!(
        all.iter().any(|a| a["title"] == "Redact SAS signature"),
        "{}",
        safe(&all)
    );
    // Once its whole text comes, the edit appends after what the editor holds.
    c.change(&env_uri, 6, json!([{"text": "OTHER=1\nMORE=2\n"}])).await;
    let res = c.request("codeAction/resolve", action).await;
    let ops = res["result"]["edit"]["documentChanges"].as_array().expect("an edit");
    let env_edit = ops
        .iter()
        .find(|o| o["textDocument"]["uri"] == env_uri)
        .expect("an edit of .env");
    assert_eq!(env_edit["textDocument"]["version"], 6);
    // At the end of its last line, `MORE=2`, with the line break first (so Neovim, which
    // keeps the final line break outside its buffer, writes no empty line).
    assert_eq!(
        env_edit["edits"][0]["range"]["start"],
        json!({"line": 1, "character": 6}),
        "{}",
        safe(&env_edit)
    );
    assert!(env_edit["edits"][0]["newText"].as_str().unwrap().starts_with('\n'));
    c.shutdown_and_exit().await;
}

// ---------------------------------------------------------------------------------------
// The log names no secret from a URI (item 17).

#[tokio::test]
async fn a_change_to_an_unknown_document_logs_no_signature_from_its_uri() {
    let mut c = with_open_document().await;
    let uri = format!("file:///work/model.cfg?sv=2020-08-04&sr=b&sp=r&sig={}", pct(&sig(36)));
    c.change(&uri, 2, json!([{"text": "x"}])).await;
    // Once this is answered, the notifications before it have been handled.
    still_serving(&mut c).await;
    c.assert_log_clean();
    c.shutdown_and_exit().await;
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
        assert!(res["result"]["capabilities"].is_object(), "{}", safe(&res));
        self.notify("initialized", json!({}));
    }

    /// The exit code, if the process ends within `limit` (stdin is kept open meanwhile).
    fn exit_code_within(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.code().unwrap_or(-1));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn exit_after_shutdown_ends_the_process_with_0_while_stdin_stays_open() {
    let mut s = Server::start();
    s.initialize();
    let res = s.request("shutdown", Value::Null);
    assert_eq!(res["result"], Value::Null, "{}", safe(&res));
    s.notify("exit", Value::Null);
    assert_eq!(
        s.exit_code_within(Duration::from_secs(2)),
        Some(0),
        "the server exits promptly with 0 although the client keeps stdin open"
    );
}

#[test]
fn exit_without_shutdown_ends_the_process_with_1() {
    let mut s = Server::start();
    s.initialize();
    s.notify("exit", Value::Null);
    assert_eq!(s.exit_code_within(Duration::from_secs(2)), Some(1));
}

#[test]
fn stdin_closing_without_exit_ends_the_process_with_1() {
    let mut s = Server::start();
    s.initialize();
    let res = s.request("shutdown", Value::Null);
    assert_eq!(res["result"], Value::Null, "{}", safe(&res));
    drop(s.stdin.take());
    assert_eq!(s.exit_code_within(Duration::from_secs(2)), Some(1));
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
    assert_eq!(err["error"]["code"], -32700, "{}", safe(&err));
    let res = s.request("textDocument/hover", hover_at(0, 0));
    assert_eq!(res["result"], Value::Null, "the server still answers: {}", safe(&res));
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
    assert_eq!(res["result"], Value::Null, "the server still answers: {}", safe(&res));
    let res = s.request("shutdown", Value::Null);
    assert_eq!(res["result"], Value::Null, "{}", safe(&res));
}
