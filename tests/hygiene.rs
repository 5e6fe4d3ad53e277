//! The server never writes a secret to its log, whatever log level is asked for (even a
//! filter aimed at the transport, which would otherwise log every message).

mod common;
#[path = "common/stdio.rs"]
mod stdio;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{pct, sig};
use serde_json::json;

#[test]
fn trace_logs_hold_no_secret() {
    let secret = pct(&sig(77));
    let text = format!(
        "u = 'https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2051-01-01&sig={secret}'\n"
    );
    let init = json!({"capabilities": {}, "initializationOptions": {"logLevel": "trace,tower_lsp_server=trace,tower_lsp_server::codec=trace"}});
    let (stdout, stderr) = stdio::serve_stdio(
        "trace,tower_lsp_server::codec=trace",
        vec![
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}),
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///x.py", "languageId": "python", "version": 1, "text": text}}}),
            json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 10}}}),
        ],
    );
    assert!(
        stdout.contains("account SAS"),
        "the server answered the hover: {stdout}"
    );
    assert!(stderr.contains("initialized"), "the log is written at all: {stderr}");
    assert!(!stderr.contains(&secret), "the log holds the signature");
    assert!(
        !stdout.contains(&secret),
        "a response or notification holds the signature"
    );
}

/// Every secret of the example tree, as written.
fn example_secrets() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/leaky-repo");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let text = std::fs::read(&p).unwrap();
                for t in sasguard::scan::scan(&text) {
                    out.push(String::from_utf8_lossy(&text[t.secret]).into_owned());
                }
            }
        }
    }
    assert!(out.len() >= 6);
    out
}

#[test]
fn the_cli_prints_no_secret_in_any_format_even_at_trace() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/leaky-repo");
    let secrets = example_secrets();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "."],
        vec!["check", ".", "-f", "json"],
        vec!["check", ".", "-f", "sarif"],
        vec!["check", ".", "--fix", "--diff"],
        vec!["check", "README.md", "--no-ignore", "--color", "always"],
    ];
    for args in runs {
        let out = Command::new(env!("CARGO_BIN_EXE_sasguard"))
            .args(&args)
            .current_dir(&root)
            .env("RUST_LOG", "trace")
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(all.len() > 100, "{args:?} printed nothing");
        for s in &secrets {
            assert!(!all.contains(s.as_str()), "{args:?} printed a full secret");
        }
    }
    // explain, for each file's text on stdin.
    for file in [
        "README.md",
        "config/appsettings.json",
        "src/Queue.cs",
        "deploy/pipeline.yml",
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sasguard"))
            .args(["explain", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(&std::fs::read(root.join(file)).unwrap())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let all = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(all.contains("Signature") || all.contains("Kind"), "{file}: {all}");
        for s in &secrets {
            assert!(!all.contains(s.as_str()), "explain {file} printed a full secret");
        }
    }
}
