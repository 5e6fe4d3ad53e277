//! The language server driven in-process over a duplex pipe, as an editor would.

mod common;

use common::lsp::{apply_edits, push_client, TestClient};
use common::{key64, pct, sig};
use serde_json::{json, Value};

const URI: &str = "file:///work/app.py";

fn leak_url(seed: u64) -> String {
    format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={}",
        pct(&sig(seed))
    )
}

fn assert_no_secret(v: &Value, seed: u64) {
    let s = v.to_string();
    assert!(
        !s.contains(&pct(&sig(seed))) && !s.contains(&sig(seed)),
        "a full signature was sent: {}",
        sasguard::redact::scrub(&s)
    );
}

#[tokio::test]
async fn initialize_result_matches_the_snapshot() {
    let (c, result) = TestClient::initialized(push_client()).await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/initialize.json");
    let actual = serde_json::to_string_pretty(&result).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || !std::path::Path::new(path).exists() {
        std::fs::write(path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        actual, expected,
        "initialize result changed; rerun with UPDATE_SNAPSHOTS=1 if intended"
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert!(result["capabilities"].get("diagnosticProvider").is_none());
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn open_change_close_with_emoji_and_crlf_in_utf16() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let url = leak_url(1);
    let text = format!("# 😀 models\r\nx = 1\r\nMODEL = \"😀\" + \"{url}\"\r\n");
    c.open(URI, "python", &text).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["version"], 1);
    let diag = &d["diagnostics"][0];
    // Line 2: `MODEL = "😀" + "` is 16 UTF-16 units (the emoji counts 2).
    assert_eq!(
        diag["range"],
        json!({"start": {"line": 2, "character": 16}, "end": {"line": 2, "character": 16 + url.len()}})
    );
    assert_eq!(diag["severity"], 1);
    assert_eq!(diag["code"], "SAS002");
    assert_eq!(diag["source"], "sasguard");
    assert!(diag["codeDescription"]["href"].as_str().unwrap().ends_with("#sas002"));
    let msg = diag["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Account SAS, every container of 4 services, 30 years (2")
            && msg.contains(" left), full control, HTTP. Storage account 'acct': "),
        "{msg}"
    );
    assert!(
        msg.contains("Also: SAS003 excessive-permissions, SAS004 long-lived"),
        "{msg}"
    );
    assert_eq!(diag["data"]["rule"], "SAS002");
    assert_no_secret(&d, 1);

    // Break the signature: the diagnostic goes away.
    let sig_at = text.lines().nth(2).unwrap().find("sig=").unwrap();
    let col = text.lines().nth(2).unwrap()[..sig_at + 4].encode_utf16().count() as u64;
    c.change(URI, 2, json!([{"range": {"start": {"line": 2, "character": col}, "end": {"line": 2, "character": col + 6}}, "text": ""}])).await;
    let d = c.diagnostics(URI).await;
    assert_eq!((d["version"].clone(), d["diagnostics"].clone()), (json!(2), json!([])));

    // A full replacement brings it back.
    c.change(URI, 3, json!([{"text": text}])).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"].as_array().unwrap().len(), 1);

    // A stale change (older version): the editor's text is no longer known, so the
    // findings are withdrawn, and changes on top of it are not applied...
    c.change(URI, 2, json!([{"text": "nothing here"}])).await;
    let d = c.diagnostics(URI).await;
    assert_eq!((d["version"].clone(), d["diagnostics"].clone()), (json!(3), json!([])));
    c.change(
        URI,
        4,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# "}]),
    )
    .await;
    let d = c.diagnostics(URI).await;
    assert_eq!((d["version"].clone(), d["diagnostics"].clone()), (json!(4), json!([])));
    // ...until the whole text comes again.
    c.change(URI, 5, json!([{"text": text}])).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["version"], 5);
    assert_eq!(d["diagnostics"].as_array().unwrap().len(), 1);

    c.notify("textDocument/didClose", json!({"textDocument": {"uri": URI}}))
        .await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"], json!([]));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn utf8_is_negotiated_when_offered() {
    let mut params = push_client();
    params["capabilities"]["general"] = json!({"positionEncodings": ["utf-16", "utf-8"]});
    let (mut c, result) = TestClient::initialized(params).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let url = leak_url(2);
    c.open(URI, "python", &format!("s = \"中文😀\" + '{url}'\n")).await;
    let d = c.diagnostics(URI).await;
    let start = "s = \"中文😀\" + '".len() as u64;
    assert_eq!(
        d["diagnostics"][0]["range"]["start"],
        json!({"line": 0, "character": start})
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn pull_clients_get_no_pushed_diagnostics() {
    let mut params = push_client();
    params["capabilities"]["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let (mut c, result) = TestClient::initialized(params).await;
    assert_eq!(result["capabilities"]["diagnosticProvider"]["identifier"], "sasguard");
    c.open(URI, "python", &format!("u = '{}'\n", leak_url(3))).await;
    let res = c
        .request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}))
        .await;
    assert_eq!(res["result"]["kind"], "full");
    assert_eq!(res["result"]["items"][0]["code"], "SAS002");
    let rest = c.drain(300).await;
    assert!(
        !rest.iter().any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{rest:?}"
    );
    c.shutdown_and_exit().await;

    // A client that supports refresh is asked to pull again after a settings change.
    let mut params = push_client();
    params["capabilities"]["textDocument"]["diagnostic"] = json!({});
    params["capabilities"]["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let (mut c, _) = TestClient::initialized(params).await;
    c.open(URI, "python", &format!("u = '{}'\n", leak_url(3))).await;
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"SAS002": "off"}}}),
    )
    .await;
    c.wait_for(|m| m["method"] == "workspace/diagnostic/refresh").await;
    let res = c
        .request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}))
        .await;
    assert_eq!(res["result"]["items"][0]["code"], "SAS003");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn hover_shows_the_breakdown_redacted() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(URI, "python", &format!("u = '{}'\n", leak_url(4))).await;
    c.diagnostics(URI).await;
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 20}}),
        )
        .await;
    let md = res["result"]["contents"]["value"].as_str().unwrap();
    // One heading line, then the facts as a bullet list: no summary sentence (editors show
    // the diagnostic's message beside the hover) and no table (Neovim draws an empty header).
    let mut lines = md.lines();
    assert_eq!(
        lines.next(),
        Some("**sasguard: account SAS** · error · `SAS002` account-sas"),
        "{md}"
    );
    assert_eq!(lines.next(), Some(""), "{md}");
    assert_eq!(lines.next(), Some("- **Account** acct"), "{md}");
    // No table: commands may hold `|` (`--key primary|secondary`), never a table row.
    assert!(
        !md.lines()
            .any(|l| l.starts_with('|') || l.contains("|--") || l.contains("--|")),
        "a table:\n{md}"
    );
    assert!(
        !md.contains("Account SAS, every container"),
        "the message repeated:\n{md}"
    );
    let expiry = md.find("- **Expiry** 2051-10-06 07:09 UTC (2").expect(md);
    let permissions = md
        .find("- **Permissions** sp=rwdlacupitfx, on each service:")
        .expect(md);
    assert!(
        expiry < permissions && permissions < md.find("**Rules**").unwrap(),
        "{md}"
    );
    for part in [
        "  - **on blob** full control: read, list, write, add, create, tags, filter by tags, delete, delete version, set immutability policy\n",
        "  - **on file** full control: read, list, write, create, delete\n",
        "  - **on queue** full control: read, list, write, add, update, delete, process messages\n",
        "  - **on table** full control: read, list, write, add, update, delete\n",
        "- **Protocol** https,http\n",
        "- `SAS006` http-allowed",
    ] {
        assert!(md.contains(part), "missing {part:?} in\n{md}");
    }
    assert!(
        md.contains(&format!("- **Signature** {}…3D\n", &pct(&sig(4))[..2])),
        "{md}"
    );
    assert_no_secret(&res, 4);
    // Away from the token, and far out of range: nothing, no error.
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1}}),
        )
        .await;
    assert_eq!(res["result"], Value::Null);
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 999, "character": 999}}),
        )
        .await;
    assert_eq!(res["result"], Value::Null);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn hover_says_how_to_revoke() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let text = format!(
        "queue_policy_sas_for_the_jobs_worker = 'https://acct.queue.core.windows.net/jobs?sv=2024-11-04&si=reader&sr=q&spr=https&sip=1.2.3.4&sig={}'\n\
         b = '{}'\n",
        pct(&sig(44)),
        leak_url(45)
    );
    c.open(URI, "python", &text).await;
    c.diagnostics(URI).await;
    // Far into the line: the token's ranges must be read relative to the token.
    let hover = |line: u64| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": 60}});
    let res = c.request("textDocument/hover", hover(0)).await;
    let md = res["result"]["contents"]["value"].as_str().unwrap();
    let revoke = md.find("\n**Revoke** (commands to run yourself)\n").expect(md);
    assert!(revoke > md.find("**Rules**").unwrap(), "{md}");
    assert!(
        md.contains("1. Delete stored access policy reader from the queue: ` az storage queue policy delete --queue-name jobs --name reader --account-name acct `\n"),
        "{md}"
    );
    assert!(md.contains("No key rotation needed"), "{md}");
    assert!(!md.contains("keys renew"), "{md}");
    assert_no_secret(&res, 44);
    // The second token: an account SAS, on its own line, with its own account's key.
    let res = c.request("textDocument/hover", hover(1)).await;
    let md = res["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("` az storage account keys renew --account-name acct --key primary|secondary `"),
        "{md}"
    );
    assert!(md.contains("--allow-shared-key-access false"), "{md}");
    assert!(md.contains("[Microsoft Learn](https://learn.microsoft.com/"), "{md}");
    assert_no_secret(&res, 45);
    c.shutdown_and_exit().await;
}

async fn actions(c: &mut TestClient, line: u64, only: Option<Value>, diagnostics: Value) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(o) = only {
        context["only"] = o;
    }
    let res = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "context": context}),
        )
        .await;
    res["result"].as_array().cloned().unwrap_or_default()
}

fn edits_of(action: &Value) -> Vec<Value> {
    let e = &action["edit"];
    if let Some(dc) = e.get("documentChanges") {
        dc[0]["edits"].as_array().unwrap().clone()
    } else {
        e["changes"][URI].as_array().unwrap().clone()
    }
}

#[tokio::test]
async fn each_code_action_edits_exactly_and_clears_the_diagnostic() {
    let url = leak_url(5);
    let text = format!("import os\nMODEL_URL = \"{url}\"\n");
    for (title, expected) in [
        ("Redact SAS signature", text.replace(&pct(&sig(5)), "REDACTED")),
        (
            "Remove SAS token (keep the resource URL)",
            text.replace(&url, "https://acct.blob.core.windows.net/c"),
        ),
        (
            "Ignore this token (sasguard:ignore comment)",
            text.replace(&format!("{url}\"\n"), &format!("{url}\" # sasguard:ignore\n")),
        ),
    ] {
        let (mut c, _) = TestClient::initialized(push_client()).await;
        c.open(URI, "python", &text).await;
        let diags = c.diagnostics(URI).await["diagnostics"].clone();
        let all = actions(&mut c, 1, None, diags.clone()).await;
        let action = all
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no {title:?} in {all:?}"));
        assert_eq!(action["kind"], "quickfix");
        assert_eq!(action["diagnostics"], diags);
        assert_eq!(action["edit"]["documentChanges"][0]["textDocument"]["version"], 1);
        assert_eq!(action["isPreferred"] == json!(true), title.starts_with("Redact"));
        let edits = edits_of(action);
        let after = apply_edits(&text, &edits);
        assert_eq!(after, expected, "{title}");
        c.change(URI, 2, json!([{"text": after}])).await;
        assert_eq!(c.diagnostics(URI).await["diagnostics"], json!([]), "{title}");
        c.shutdown_and_exit().await;
    }
}

#[tokio::test]
async fn ignore_goes_above_where_trailing_comments_are_not_allowed_and_edits_honour_changes() {
    let mut params = push_client();
    params["capabilities"]["workspace"] = json!({});
    let (mut c, _) = TestClient::initialized(params).await;
    let url = leak_url(6);
    let text = format!("FROM alpine\n  ENV URL={url}\n");
    c.open(URI, "dockerfile", &text).await;
    c.diagnostics(URI).await;
    let all = actions(&mut c, 1, Some(json!(["quickfix"])), json!([])).await;
    let ignore = all
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Ignore"))
        .unwrap();
    assert!(
        ignore["edit"].get("documentChanges").is_none(),
        "the client did not offer documentChanges"
    );
    let after = apply_edits(&text, &edits_of(ignore));
    assert_eq!(
        after,
        format!("FROM alpine\n  # sasguard:ignore-next-line\n  ENV URL={url}\n")
    );
    assert!(
        !all.iter().any(|a| a["kind"] == "source.fixAll.sasguard"),
        "only quickfixes were asked for"
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn ignore_is_placed_where_the_language_sees_a_comment_or_not_offered() {
    let url = leak_url(16);
    // (language, text, line of the token, the text after the ignore action, if offered)
    let cases: Vec<(&str, String, u64, Option<String>)> = vec![
        ("python", format!("DOC = \"\"\"\nfetch {url}\n\"\"\"\n"), 1, None),
        ("toml", format!("doc = '''\nfetch {url}\n'''\n"), 1, None),
        ("javascript", format!("const s = `\n${{a}} {url}\n`;\n"), 1, None),
        ("shellscript", format!("cat <<EOF > f\n{url}\nEOF\n"), 1, None),
        ("markdown", format!("Text\n\n```sh\ncurl '{url}'\n```\n"), 3, None),
        // A string closed before the token's line leaves it in code: trailing comment.
        (
            "python",
            format!("DOC = \"\"\"x\n\"\"\"\nu = \"{url}\"\n"),
            2,
            Some(format!("DOC = \"\"\"x\n\"\"\"\nu = \"{url}\" # sasguard:ignore\n")),
        ),
        // A stray quote before the token would put a trailing comment inside a string, as
        // the scanner reads the line: the comment goes on a line of its own above.
        (
            "markdown",
            format!("The '90s link: {url}\n"),
            0,
            Some(format!("<!-- sasguard:ignore-next-line -->\nThe '90s link: {url}\n")),
        ),
    ];
    for (i, (language, text, line, expected)) in cases.into_iter().enumerate() {
        let (mut c, _) = TestClient::initialized(push_client()).await;
        c.open(URI, language, &text).await;
        let diags = c.diagnostics(URI).await["diagnostics"].clone();
        assert_eq!(diags.as_array().map(Vec::len), Some(1), "case {i}: one finding");
        let all = actions(&mut c, line, Some(json!(["quickfix"])), diags).await;
        assert!(
            all.iter().any(|a| a["title"] == "Redact SAS signature"),
            "case {i}: the token's actions are offered"
        );
        let ignore = all.iter().find(|a| a["title"].as_str().unwrap().starts_with("Ignore"));
        match (ignore, expected) {
            (None, None) => {}
            (Some(a), Some(expected)) => {
                let after = apply_edits(&text, &edits_of(a));
                assert!(after == expected, "case {i}: unexpected edit");
                c.change(URI, 2, json!([{"text": after}])).await;
                assert_eq!(c.diagnostics(URI).await["diagnostics"], json!([]), "case {i}");
            }
            (Some(_), None) => panic!("case {i}: ignore offered inside a construct spanning lines"),
            (None, Some(_)) => panic!("case {i}: ignore not offered"),
        }
        c.shutdown_and_exit().await;
    }
}

#[tokio::test]
async fn ignore_on_a_line_of_several_tokens_says_it_ignores_them_all() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let text = format!("urls = [\"{}\", \"{}\"]\n", leak_url(17), leak_url(18));
    c.open(URI, "python", &text).await;
    let diags = c.diagnostics(URI).await["diagnostics"].clone();
    let all = actions(&mut c, 0, Some(json!(["quickfix"])), diags).await;
    let titles: Vec<&str> = all
        .iter()
        .filter_map(|a| a["title"].as_str())
        .filter(|t| t.starts_with("Ignore"))
        .collect();
    assert_eq!(
        titles,
        vec!["Ignore the 2 tokens on this line (sasguard:ignore comment)"; 2]
    );
    let ignore = all.iter().find(|a| a["title"] == titles[0]).unwrap();
    let after = apply_edits(&text, &edits_of(ignore));
    c.change(URI, 2, json!([{"text": after}])).await;
    assert_eq!(c.diagnostics(URI).await["diagnostics"], json!([]));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn fix_all_redacts_everything_without_diagnostics_in_the_request() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let text = format!("a = '{}'\nb = 'AccountName=x;AccountKey={}'\n", leak_url(7), key64(8));
    c.open(URI, "python", &text).await;
    assert_eq!(c.diagnostics(URI).await["diagnostics"].as_array().unwrap().len(), 2);
    let all = actions(&mut c, 0, Some(json!(["source.fixAll"])), json!([])).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["kind"], "source.fixAll.sasguard");
    let after = apply_edits(&text, &edits_of(&all[0]));
    assert_eq!(
        after,
        text.replace(&pct(&sig(7)), "REDACTED").replace(&key64(8), "REDACTED")
    );
    c.change(URI, 2, json!([{"text": after}])).await;
    assert_eq!(c.diagnostics(URI).await["diagnostics"], json!([]));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn settings_from_each_channel() {
    let text = format!("u = '{}'\n", leak_url(9));
    // initializationOptions, with an unknown key that is named back to the user.
    let mut params = push_client();
    params["initializationOptions"] = json!({"rules": {"SAS002": "off", "SAS003": "off", "SAS004": "warning"}, "maxLifetimeError": "100y", "maxLifetme": "1d"});
    let (mut c, _) = TestClient::initialized(params).await;
    let warn = c.wait_for(|m| m["method"] == "window/showMessage").await;
    assert!(
        warn["params"]["message"].as_str().unwrap().contains("`maxLifetme`"),
        "{warn}"
    );
    assert_eq!(warn["params"]["type"], 2);
    c.open(URI, "python", &text).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"][0]["code"], "SAS004");
    assert_eq!(d["diagnostics"][0]["severity"], 2);

    // didChangeConfiguration with settings: every open document is re-analysed.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"sasguard": {"rules": {"SAS004": "off", "SAS006": "off", "SAS001": "hint"}}}}),
    )
    .await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"][0]["code"], "SAS002");

    // workspace/configuration: the server asks when told that something changed.
    c.shutdown_and_exit().await;
    let mut params = push_client();
    params["capabilities"]["workspace"]["configuration"] = json!(true);
    let (mut c, _) = TestClient::initialized(params).await;
    *c.configuration.lock().unwrap() = json!({"rules": {"account-sas": "hint", "excessive-permissions": "hint", "long-lived": "hint", "http-allowed": "hint", "sas-in-source": "hint"}});
    c.notify("workspace/didChangeConfiguration", json!({"settings": null}))
        .await;
    c.wait_for(|m| m["method"] == "workspace/configuration").await;
    c.open(URI, "python", &text).await;
    let d = c.diagnostics(URI).await;
    // Every rule is a hint, but past maxLifetimeError long-lived is raised to information.
    assert_eq!(d["diagnostics"][0]["severity"], 3, "{d}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn the_workspace_settings_file_applies_under_editor_settings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".sasguard.toml"),
        "[rules]\nSAS002 = \"off\"\nSAS003 = \"off\"\n",
    )
    .unwrap();
    let root = format!("file://{}", dir.path().display());
    let mut params = push_client();
    params["workspaceFolders"] = json!([{"uri": root, "name": "w"}]);
    params["initializationOptions"] = json!({"rules": {"SAS003": "error"}});
    let (mut c, _) = TestClient::initialized(params).await;
    c.open(URI, "python", &format!("u = '{}'\n", leak_url(10))).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"][0]["code"], "SAS003");
    assert!(!d["diagnostics"][0]["message"].as_str().unwrap().contains("SAS002"));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn malformed_input_gets_errors_and_the_server_stays_up() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let res = c.request("textDocument/hover", json!({"nonsense": true})).await;
    assert_eq!(res["error"]["code"], -32602, "{res}");
    let res = c.request("sasguard/unknown", json!({})).await;
    assert_eq!(res["error"]["code"], -32601, "{res}");
    let res = c
        .request(
            "workspace/executeCommand",
            json!({"command": "sasguard.nope", "arguments": []}),
        )
        .await;
    assert_eq!(res["error"]["code"], -32602, "{res}");
    // A change to a document that is not open, and one with ranges past the end.
    c.change("file:///nowhere.py", 2, json!([{"text": "x"}])).await;
    c.open(URI, "python", "short\n").await;
    c.diagnostics(URI).await;
    c.change(URI, 2, json!([{"range": {"start": {"line": 50, "character": 3}, "end": {"line": 90, "character": 0}}, "text": format!("u = '{}'", leak_url(11))}])).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(d["diagnostics"][0]["range"]["start"]["line"], 1);
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 9}}),
        )
        .await;
    assert!(res["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("account SAS"));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn huge_documents_are_skipped() {
    let mut params = push_client();
    params["initializationOptions"] = json!({"maxFileSize": 1000});
    let (mut c, _) = TestClient::initialized(params).await;
    let text = format!("u = '{}'\n{}", leak_url(12), "x".repeat(2000));
    c.open(URI, "python", &text).await;
    assert_eq!(c.diagnostics(URI).await["diagnostics"], json!([]));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn scan_workspace_publishes_closed_files_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/a.py"), format!("u = '{}'\n", leak_url(13))).unwrap();
    std::fs::write(dir.path().join("src/clean.py"), "print('hi')\n").unwrap();
    std::fs::write(dir.path().join("ignored.py"), format!("u = '{}'\n", leak_url(14))).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored.py\n").unwrap();
    let root = format!("file://{}", dir.path().display());
    let mut params = push_client();
    params["workspaceFolders"] = json!([{"uri": root, "name": "w"}]);
    params["capabilities"]["window"] = json!({"workDoneProgress": true});
    let (mut c, _) = TestClient::initialized(params).await;
    let res = c
        .request(
            "workspace/executeCommand",
            json!({"command": "sasguard.scanWorkspace", "arguments": []}),
        )
        .await;
    assert_eq!(res["result"], json!({"files": 3, "findings": 1, "errors": 0}), "{res}");
    let a = format!("{root}/src/a.py");
    let d = c.diagnostics(&a).await;
    assert_eq!(d["diagnostics"][0]["code"], "SAS002");
    let msgs = c.drain(200).await;
    assert!(!msgs
        .iter()
        .any(|m| m["params"]["uri"].as_str().is_some_and(|u| u.ends_with("ignored.py"))));
    let kinds: Vec<&str> = msgs
        .iter()
        .filter(|m| m["method"] == "$/progress")
        .map(|m| m["params"]["value"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"begin"), "{msgs:?}");
    assert_eq!(kinds.last(), Some(&"end"), "{msgs:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn malformed_frames_get_parse_errors_and_the_server_stays_up() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    // A body that is not JSON.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json").await;
    let err = c.wait_for(|m| m["error"]["code"] == -32700).await;
    assert_eq!(err["id"], Value::Null);
    // Garbage with no header at all, then a good message.
    c.send_raw(b"this is not a frame\r\n\r\n").await;
    c.wait_for(|m| m["error"]["code"] == -32700).await;
    // A Content-Length shorter than the body: the rest is skipped up to the next header.
    c.send_raw(b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}")
        .await;
    c.wait_for(|m| m["error"]["code"] == -32700).await;
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(res["result"], Value::Null, "the server still answers: {res}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn requests_before_initialize_and_after_shutdown_are_refused() {
    let mut c = TestClient::start().await;
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(res["error"]["code"], -32002, "{res}");
    let res = c.request("initialize", push_client()).await;
    assert!(res["result"]["capabilities"].is_object());
    c.notify("initialized", json!({})).await;
    let res = c.request("shutdown", Value::Null).await;
    assert_eq!(res["result"], Value::Null);
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(res["error"]["code"], -32600, "{res}");
}

#[tokio::test]
async fn a_client_that_does_not_read_only_slows_the_server_down() {
    use tokio::io::{AsyncWriteExt, BufReader};
    // A small pipe: the server's replies fill it long before the client reads anything.
    let (client_io, server_io) = tokio::io::duplex(4096);
    let (sr, sw) = tokio::io::split(server_io);
    let server = tokio::spawn(sasguard::lsp::serve(sr, sw));
    let (cr, mut cw) = tokio::io::split(client_io);
    let send = |v: Value| common::lsp::frame(&v);
    let mut reader = BufReader::new(cr);
    async fn read_one<R: tokio::io::AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Value {
        serde_json::from_slice(&common::lsp::read_message(reader).await.expect("a message")).unwrap()
    }
    cw.write_all(&send(
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": push_client()}),
    ))
    .await
    .unwrap();
    while read_one(&mut reader).await["id"] != 0 {}
    let mut all = send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let text = format!("u = '{}'\n", leak_url(20));
    all.extend(send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": URI, "languageId": "python", "version": 1, "text": text}}})));
    let n = 300;
    for id in 1..=n {
        all.extend(send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 10}}})));
    }
    // Write everything while nobody reads: this must not deadlock the writer forever...
    let writer = tokio::spawn(async move {
        cw.write_all(&all).await.unwrap();
        cw
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    // ...and once the client reads, every request has its answer.
    let mut answered = std::collections::HashSet::new();
    let mut with_hover = 0;
    while answered.len() < n as usize {
        let msg = read_one(&mut reader).await;
        if let Some(id) = msg["id"].as_i64().filter(|id| *id > 0) {
            assert!(msg.get("error").is_none(), "{msg}");
            with_hover += usize::from(
                msg["result"]["contents"]["value"]
                    .as_str()
                    .is_some_and(|v| v.contains("account SAS")),
            );
            answered.insert(id);
        }
    }
    assert!(with_hover >= n as usize - 4, "only {with_hover} hovers found the token");
    let mut cw = writer.await.unwrap();
    let exit = send(json!({"jsonrpc": "2.0", "method": "exit"}));
    cw.write_all(&exit).await.unwrap();
    drop(cw);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), server).await;
}

#[tokio::test]
async fn fix_all_is_resolved_lazily_where_the_client_can() {
    // A client that resolves edits gets fixAll without its edit (which grows with the
    // findings) and the edit on resolve.
    let mut params = push_client();
    params["capabilities"]["textDocument"]["codeAction"] = json!({"resolveSupport": {"properties": ["edit"]}});
    let (mut c, _) = TestClient::initialized(params).await;
    let text = format!("a = '{}'\nb = 'AccountName=x;AccountKey={}'\n", leak_url(7), key64(8));
    c.open(URI, "python", &text).await;
    assert_eq!(c.diagnostics(URI).await["diagnostics"].as_array().unwrap().len(), 2);
    let all = actions(&mut c, 0, Some(json!(["source.fixAll"])), json!([])).await;
    assert_eq!(all.len(), 1);
    assert!(all[0].get("edit").is_none(), "the edit is computed on resolve");
    let resolved = c.request("codeAction/resolve", all[0].clone()).await;
    let after = apply_edits(&text, &edits_of(&resolved["result"]));
    assert_eq!(
        after,
        text.replace(&pct(&sig(7)), "REDACTED").replace(&key64(8), "REDACTED")
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn a_token_in_pieces_is_one_diagnostic_on_its_first_piece_with_every_piece_related() {
    let s = pct(&sig(31));
    let (s1, s2) = s.split_at(20);
    let text = format!(
        "import os\nURL = (\"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&\"\n       \"se=2051-01-01&sig={s1}\"\n       \"{s2}\")\n"
    );
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(URI, "python", &text).await;
    let diags = c.diagnostics(URI).await["diagnostics"].clone();
    assert_no_secret(&diags, 31);
    let d = diags.as_array().unwrap();
    assert_eq!(d.len(), 1, "{diags}");
    assert_eq!(d[0]["range"]["start"]["line"], 1);
    assert_eq!(d[0]["range"]["end"]["line"], 1, "shown on its first piece");
    let related = d[0]["relatedInformation"].as_array().unwrap();
    let lines: Vec<u64> = related
        .iter()
        .map(|r| r["location"]["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3]);
    assert_eq!(related[0]["location"]["uri"], URI);
    assert_eq!(related[2]["message"], "piece 3 of 3 of this token");

    // Asked on the last piece's line, the redaction replaces every piece of the signature.
    let all = actions(&mut c, 3, None, diags.clone()).await;
    let redact = all.iter().find(|a| a["title"] == "Redact SAS signature").unwrap();
    assert_eq!(redact["diagnostics"], diags);
    let after = apply_edits(&text, &edits_of(redact));
    assert!(!after.contains(s1) && !after.contains(s2), "every piece redacted");
    assert_eq!(after.matches("REDACTED").count(), 2);
    c.change(URI, 2, json!([{"text": after}])).await;
    assert_eq!(c.diagnostics(URI).await["diagnostics"], json!([]));
    c.shutdown_and_exit().await;
}
