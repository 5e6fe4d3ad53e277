//! The server on a call whose values are assigned above it: the diagnostic says what the
//! assignments fix, and typing on an assignment's line (not the call's) updates the call's
//! verdict, as a full scan of the new text would.

mod common;

use common::lsp::{push_client, TestClient};
use serde_json::{json, Value};

const URI: &str = "file:///work/make_sas.py";

const TEXT: &str = "def make_sas(account_name, account_key):\n    \
    expiry_time = datetime.utcnow() + timedelta(days=3650)\n    \
    permissions = AccountSasPermissions(read=True, write=True, delete=True, list=True)\n    \
    resource_types = ResourceTypes(container=True, object=True)\n    \
    return generate_account_sas(\n        \
    account_name=account_name,\n        \
    account_key=account_key,\n        \
    resource_types=resource_types,\n        \
    permission=permissions,\n        \
    expiry=expiry_time,\n    \
    )\n";

#[tokio::test]
async fn an_edit_to_a_value_above_the_call_updates_the_calls_verdict() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(URI, "python", TEXT).await;
    let d = c.diagnostics(URI).await;
    let diags = d["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{d}");
    // On the call's line, not the assignments'.
    assert_eq!(diags[0]["range"]["start"]["line"], 4, "{d}");
    let msg = diags[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Mints an account SAS with read, write and delete access to"),
        "{msg}"
    );
    assert!(msg.contains("valid 10 years"), "{msg}");

    // The lifetime is typed down to one hour on its own line, three lines above the call.
    let col = TEXT.lines().nth(1).unwrap().find("days=3650").unwrap() as u64;
    c.change(
        URI,
        2,
        json!([{"range": {"start": {"line": 1, "character": col}, "end": {"line": 1, "character": col + 9}}, "text": "hours=1"}]),
    )
    .await;
    let d = c.diagnostics(URI).await;
    let msg = d["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("valid 1 hour"), "{msg}");
    // No longer long-lived: the message lists the rules it raises.
    assert!(!msg.contains("SAS004"), "{msg}");

    // The assignment goes and the value becomes the function's parameter: unknown, and
    // the parameter is not read as an assignment.
    let col = TEXT.lines().next().unwrap().find("account_key").unwrap() as u64;
    c.change(
        URI,
        3,
        json!([
            {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}}, "text": ""},
            {"range": {"start": {"line": 0, "character": col}, "end": {"line": 0, "character": col}}, "text": "expiry_time, "}
        ]),
    )
    .await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["diagnostics"][0]["range"]["start"]["line"], 3, "{d}");
    let msg = d["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("expiry set elsewhere"), "{msg}");
    let _: Vec<Value> = c.drain(50).await;
    c.shutdown_and_exit().await;
}
