//! The server on code that mints a SAS: a diagnostic on the call's first line as it is
//! typed, hover explaining the call's verdict, no redaction (there is no secret yet), the
//! ignore comment, and, where the text allows, "Shorten the lifetime to …" and "Allow
//! HTTPS only", each of which silences its rule once applied.

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

/// Asks for code actions on the call's diagnostic `diag` and returns the edits of the one
/// titled `title`, applied to `text`; `None` when it is not offered.
async fn apply_action(c: &mut TestClient, uri: &str, diag: &Value, text: &str, title: &str) -> Option<String> {
    let res = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
        )
        .await;
    let action = res["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)?
        .clone();
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], diag["code"], "{action}");
    let e = &action["edit"];
    let edits: Vec<Value> = match e.get("documentChanges") {
        Some(dc) => dc[0]["edits"].as_array().unwrap().clone(),
        None => e["changes"][uri].as_array().unwrap().clone(),
    };
    Some(apply_edits(text, &edits))
}

/// The call's one diagnostic, and the rules it names: its code and those after "Also:".
async fn rules(c: &mut TestClient, uri: &str) -> (Value, String) {
    let d = c.diagnostics(uri).await;
    let diags = d["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{d}");
    let named = format!("{} {}", diags[0]["code"], diags[0]["message"]);
    (diags[0].clone(), named)
}

#[tokio::test]
async fn a_builder_is_shortened_and_made_https_only_through_code_actions() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    let text = BUILDER.replace("AccountSasPermissions.Read", "AccountSasPermissions.All");
    c.open(URI, "csharp", &text).await;
    let (diag, before) = rules(&mut c, URI).await;
    assert!(before.contains("SAS004") && before.contains("SAS006"), "{before}");

    let text = apply_action(&mut c, URI, &diag, &text, "Shorten the lifetime to 7 days")
        .await
        .expect("offered");
    assert!(
        text.contains("    ExpiresOn = DateTimeOffset.UtcNow.AddDays(7),\n"),
        "{text}"
    );
    c.change(URI, 2, json!([{"text": text}])).await;
    let (diag, after) = rules(&mut c, URI).await;
    assert!(!after.contains("SAS004") && after.contains("SAS006"), "{after}");
    assert!(after.contains("valid 7 days"), "{after}");
    // Nothing left to shorten: not offered again.
    assert!(
        apply_action(&mut c, URI, &diag, &text, "Shorten the lifetime to 7 days")
            .await
            .is_none()
    );

    let text = apply_action(&mut c, URI, &diag, &text, "Allow HTTPS only")
        .await
        .expect("offered");
    assert!(text.contains("    Protocol = SasProtocol.Https,\n"), "{text}");
    c.change(URI, 3, json!([{"text": text}])).await;
    let (diag, after) = rules(&mut c, URI).await;
    assert!(!after.contains("SAS004") && !after.contains("SAS006"), "{after}");
    assert!(after.contains("HTTPS only"), "{after}");
    // Still an account SAS with full control: the ignore comment stays on offer.
    assert!(
        apply_action(&mut c, URI, &diag, &text, "Ignore this call (sasguard:ignore comment)")
            .await
            .is_some()
    );
    let _: Vec<Value> = c.drain(50).await;
    c.shutdown_and_exit().await;
}

const PY_URI: &str = "file:///work/sas.py";

#[tokio::test]
async fn a_python_call_follows_the_configured_lifetime_and_gets_its_protocol() {
    let mut init = push_client();
    init["initializationOptions"] = json!({"maxLifetime": "12h"});
    let (mut c, _) = TestClient::initialized(init).await;
    let text = "sas = generate_account_sas(\n    account_name=\"demo\",\n    account_key=key,\n    \
        resource_types=ResourceTypes(object=True),\n    permission=\"rl\",\n    \
        expiry=datetime.now(timezone.utc) + timedelta(days=30),\n)\n";
    c.open(PY_URI, "python", text).await;
    let (diag, before) = rules(&mut c, PY_URI).await;
    assert!(before.contains("SAS004") && before.contains("SAS006"), "{before}");

    let text = apply_action(&mut c, PY_URI, &diag, text, "Shorten the lifetime to 12 hours")
        .await
        .expect("offered");
    assert!(text.contains("timedelta(hours=12),\n"), "{text}");
    c.change(PY_URI, 2, json!([{"text": text}])).await;
    let (diag, after) = rules(&mut c, PY_URI).await;
    assert!(!after.contains("SAS004") && after.contains("SAS006"), "{after}");

    let text = apply_action(&mut c, PY_URI, &diag, &text, "Allow HTTPS only")
        .await
        .expect("offered");
    assert!(
        text.ends_with("timedelta(hours=12),\n    protocol=\"https\",\n)\n"),
        "{text}"
    );
    c.change(PY_URI, 3, json!([{"text": text}])).await;
    let (diag, after) = rules(&mut c, PY_URI).await;
    assert!(!after.contains("SAS004") && !after.contains("SAS006"), "{after}");
    assert!(apply_action(&mut c, PY_URI, &diag, &text, "Allow HTTPS only")
        .await
        .is_none());

    // An expiry in a variable and a protocol the text does not fix: neither fix.
    let held = "sas = generate_account_sas(\"demo\", key, ResourceTypes(object=True), \"rwdl\", expiry=expires_at, protocol=proto)\n";
    c.change(PY_URI, 4, json!([{"text": held}])).await;
    let (diag, named) = rules(&mut c, PY_URI).await;
    assert!(!named.contains("SAS004") && !named.contains("SAS006"), "{named}");
    assert!(apply_action(&mut c, PY_URI, &diag, held, "Allow HTTPS only")
        .await
        .is_none());
    assert!(
        apply_action(&mut c, PY_URI, &diag, held, "Shorten the lifetime to 12 hours")
            .await
            .is_none()
    );
    let _: Vec<Value> = c.drain(50).await;
    c.shutdown_and_exit().await;
}
