//! The server on code that mints a SAS: a diagnostic on the call's first line as it is
//! typed, hover explaining the call's verdict, and only the ignore comment as a fix.

mod common;

use common::lsp::{apply_edits, push_client, TestClient};
use serde_json::{json, Value};

const URI: &str = "file:///work/Sas.cs";

const BUILDER: &str = "var builder = new AccountSasBuilder\n{\n    Services = AccountSasServices.All,\n    \
    ResourceTypes = AccountSasResourceTypes.All,\n    ExpiresOn = DateTimeOffset.UtcNow.AddYears(30),\n    \
    Protocol = SasProtocol.HttpsAndHttp,\n};\nbuilder.SetPermissions(AccountSasPermissions.Read);\n";

#[tokio::test]
async fn a_builder_gets_a_diagnostic_hover_and_updates_as_its_last_line_is_typed() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(URI, "csharp", BUILDER).await;
    let d = c.diagnostics(URI).await;
    let diags = d["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{d}");
    let diag = &diags[0];
    assert_eq!(diag["code"], "SAS002");
    // The call's first line, from `new`.
    assert_eq!(
        diag["range"],
        json!({"start": {"line": 0, "character": 14}, "end": {"line": 0, "character": 35}})
    );
    let msg = diag["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Mints an account SAS with read-only access to blob, file, queue and table, valid 30 years, HTTP allowed. Call: AccountSasBuilder (.NET SDK)."),
        "{msg}"
    );

    // Hover anywhere in the initialiser explains the call.
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 4, "character": 10}}),
        )
        .await;
    let md = res["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        md.starts_with("**sasguard: account SAS** · error · `SAS002` account-sas"),
        "{md}"
    );
    for part in [
        "- **Minted by** AccountSasBuilder (.NET SDK)\n",
        "- **Expiry** now + 30 years\n",
        "- **Protocol** https,http\n",
        "- **Signature** none yet: the call has not minted the token\n",
        "- `SAS004` long-lived",
        "- `SAS006` http-allowed",
    ] {
        assert!(md.contains(part), "missing {part:?} in\n{md}");
    }

    // Typing on the builder's last line (8 lines below its start) changes the verdict.
    let line = BUILDER.lines().position(|l| l.contains(".Read")).unwrap() as u64;
    let col = BUILDER.lines().nth(line as usize).unwrap().find("Read").unwrap() as u64;
    c.change(
        URI,
        2,
        json!([{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 4}}, "text": "All"}]),
    )
    .await;
    let d = c.diagnostics(URI).await;
    let msg = d["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Mints an account SAS with full control of blob, file, queue and table"),
        "{msg}"
    );

    // No secret to redact or move: only the ignore comment is offered.
    let res = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 20}, "end": {"line": 0, "character": 20}}, "context": {"diagnostics": d["diagnostics"]}}),
        )
        .await;
    let titles: Vec<String> = res["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(titles.iter().all(|t| !t.starts_with("Redact")), "{titles:?}");
    assert!(
        titles.iter().any(|t| t == "Ignore this call (sasguard:ignore comment)"),
        "{titles:?}"
    );
    // The ignore comment it offers silences the call.
    let ignore = res["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore this call (sasguard:ignore comment)")
        .unwrap();
    let e = &ignore["edit"];
    let edits: Vec<Value> = match e.get("documentChanges") {
        Some(dc) => dc[0]["edits"].as_array().unwrap().clone(),
        None => e["changes"][URI].as_array().unwrap().clone(),
    };
    let text = BUILDER.replace("AccountSasPermissions.Read", "AccountSasPermissions.All");
    let after = apply_edits(&text, &edits);
    c.change(URI, 3, json!([{"text": after}])).await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"], json!([]), "{after}");
    let _: Vec<Value> = c.drain(50).await;
    c.shutdown_and_exit().await;
}
