//! Secrets fed through every input channel that is echoed back (command-line options,
//! settings files, editor settings, document URIs) never come out whole or in pieces, on
//! any output channel (stdout and stderr in every format, showMessage, diagnostics,
//! hover, the server's log at trace).

mod common;
#[path = "common/stdio.rs"]
mod stdio;

use std::path::Path;
use std::process::Command;

use common::{key64, pct, sig};

fn shows_piece(output: &str, secret: &str) -> bool {
    common::shows_piece(output, secret, 12)
}
use serde_json::{json, Value};

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sasguard"))
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn cli_options_and_settings_never_echo_a_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let s = pct(&sig(301));
    let key = key64(302);
    let url = format!("https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=b&sp=r&se=2051-01-01&sig={s}");
    std::fs::write(tmp.path().join("a.txt"), "nothing here\n").unwrap();
    let formats: [&[&str]; 3] = [&[], &["-f", "json"], &["-f", "sarif"]];
    // Options holding secrets: unknown ones, bad values, a URL where a path belongs.
    let option_runs: Vec<Vec<String>> = vec![
        vec!["check".into(), format!("--AccountKey={key}")],
        vec!["check".into(), "--min-severity".into(), key.clone()],
        vec!["check".into(), "--max-file-size".into(), s.clone()],
        vec!["check".into(), "--config".into(), format!("cfg-{s}.toml")],
        vec!["check".into(), url.clone()],
        vec!["explain".into(), format!("--{key}")],
    ];
    for args in &option_runs {
        for f in formats {
            let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
            all.extend_from_slice(f);
            let out = run(tmp.path(), &all);
            assert!(!out.trim().is_empty(), "{:?} printed nothing", &all[..1]);
            assert!(
                !shows_piece(&out, &s),
                "{:?}: a piece of the signature is shown",
                &all[..1]
            );
            assert!(!shows_piece(&out, &key), "{:?}: a piece of the key is shown", &all[..1]);
        }
    }
    // Settings files holding secrets where names, fingerprints or durations belong.
    let settings = [
        format!("[allow]\nfingerprints = [\"{s}\"]\n"),
        format!("maxLifetime = \"{key}\"\n"),
        format!("[rules]\nSAS001 = \"{s}\"\n"),
        format!("\"{key}\" = 1\n"),
        format!("exclude = \"{url}\"\n"),
    ];
    for (i, text) in settings.iter().enumerate() {
        std::fs::write(tmp.path().join(".sasguard.toml"), text).unwrap();
        for f in formats {
            let mut all = vec!["check", "."];
            all.extend_from_slice(f);
            let out = run(tmp.path(), &all);
            assert!(
                out.contains(".sasguard.toml"),
                "settings file {i}: the error names the file"
            );
            assert!(
                !shows_piece(&out, &s),
                "settings file {i}: a piece of the signature is shown"
            );
            assert!(
                !shows_piece(&out, &key),
                "settings file {i}: a piece of the key is shown"
            );
        }
    }
}

/// Runs the language server at trace with `messages`; everything it wrote.
fn serve(messages: Vec<Value>) -> String {
    let (stdout, stderr) = stdio::serve_stdio("trace,tower_lsp_server::codec=trace", messages);
    stdout + &stderr
}

#[test]
fn editor_settings_and_uris_never_echo_a_secret() {
    let s = pct(&sig(311));
    let key = key64(312);
    let url = format!("https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=b&sp=r&se=2051-01-01&sig={s}");
    let bad = json!({
        "allow": {"fingerprints": [s], "accounts": ["x"]},
        "maxLifetime": key,
        "rules": {"SAS001": s},
        "exclude": url,
        key.clone(): 1,
        "logLevel": "trace,tower_lsp_server=trace",
    });
    let doc = format!("file:///w/model.cfg?sig={s}");
    let out = serve(vec![
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "initializationOptions": bad}}),
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": {"sasguard": bad}}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": doc, "version": 2}, "contentChanges": [{"text": "x"}]}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///w/a.py", "languageId": "python", "version": 1, "text": format!("u = '{url}'\n")}}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///w/a.py"}, "position": {"line": 0, "character": 10}}}),
    ]);
    assert!(out.contains("window/showMessage"), "the settings were warned about");
    assert!(out.contains("maxLifetime"), "warnings name the key");
    assert!(out.contains("publishDiagnostics"), "the document was analysed");
    // URIs the client sent are echoed as identifiers in publishDiagnostics only for open
    // documents; the unknown one must appear nowhere.
    assert!(!shows_piece(&out, &s), "a piece of the signature is shown");
    assert!(!shows_piece(&out, &key), "a piece of the key is shown");
}
