//! The server on a Bicep template: a storage account's settings (SAS020, SAS021) and a
//! SAS minted into a deployment output (SAS002 … SAS019), each a diagnostic on its first
//! line with hover explaining it; setting the account's flags as you type clears it.

mod common;

use common::lsp::{push_client, TestClient};
use serde_json::json;

const URI: &str = "file:///work/main.bicep";
const BICEP: &str = include_str!("fixtures/iac/storage.bicep");

async fn hover(c: &mut TestClient, line: u64, character: u64) -> String {
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}),
        )
        .await;
    res["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The codes of the document's diagnostics, in order.
async fn codes(c: &mut TestClient) -> Vec<String> {
    let d = c.diagnostics(URI).await;
    d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_storage_account_and_a_sas_output_get_diagnostics_and_hover() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(URI, "bicep", BICEP).await;
    let d = c.diagnostics(URI).await;
    let diags = d["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "{d}");
    let resource = BICEP
        .lines()
        .position(|l| l.starts_with("resource storageAccount"))
        .unwrap() as u64;
    let output = BICEP
        .lines()
        .position(|l| l.starts_with("output storageAccountSas"))
        .unwrap() as u64;

    let posture = &diags[0];
    assert_eq!(posture["code"], "SAS020");
    assert_eq!(posture["severity"], 3, "information");
    let width = BICEP.lines().nth(resource as usize).unwrap().len() as u64;
    assert_eq!(
        posture["range"],
        json!({"start": {"line": resource, "character": 0}, "end": {"line": resource, "character": width}})
    );
    assert!(
        posture["message"]
            .as_str()
            .unwrap()
            .starts_with("Storage account leaves shared-key authorization enabled"),
        "{posture}"
    );
    // Hover inside the block explains the settings.
    let md = hover(&mut c, resource + 8, 6).await;
    assert!(
        md.starts_with("**sasguard: storage account settings** · information · `SAS020` shared-key-access"),
        "{md}"
    );
    for part in [
        "- `SAS021` no-sas-expiration-policy",
        "allowSharedKeyAccess not set (enabled by default)",
        "no sasPolicy: SAS tokens of any lifetime are accepted",
    ] {
        assert!(md.contains(part), "missing {part:?} in\n{md}");
    }
    assert!(!md.contains("Minted by") && !md.contains("Protocol"), "{md}");

    let call = &diags[1];
    assert_eq!(call["code"], "SAS002");
    assert_eq!(call["range"]["start"], json!({"line": output, "character": 34}));
    assert!(
        call["message"]
            .as_str()
            .unwrap()
            .starts_with("Mints an account SAS with full control of blob, file, queue and table, valid 30 years, HTTP allowed. Call: listAccountSas (Bicep)."),
        "{call}"
    );
    let md = hover(&mut c, output + 3, 10).await;
    for part in ["- **Minted by** listAccountSas (Bicep)\n", "- `SAS019` sas-output"] {
        assert!(md.contains(part), "missing {part:?} in\n{md}");
    }

    // Typing the two settings into `properties` clears the account's diagnostic.
    let props = BICEP.lines().position(|l| l.trim() == "properties: {").unwrap() as u64;
    c.change(
        URI,
        2,
        json!([{"range": {"start": {"line": props + 1, "character": 0}, "end": {"line": props + 1, "character": 0}},
                "text": "    allowSharedKeyAccess: false\n    sasPolicy: {\n      sasExpirationPeriod: '1.00:00:00'\n      expirationAction: 'Log'\n    }\n"}]),
    )
    .await;
    assert_eq!(codes(&mut c).await, ["SAS002"]);
    c.shutdown_and_exit().await;
}

/// Asks for code actions on `diag` and applies the one titled `title` to `text`.
async fn apply_action(c: &mut TestClient, diag: &serde_json::Value, text: &str, title: &str) -> Option<String> {
    let res = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
        )
        .await;
    let action = res["result"].as_array()?.iter().find(|a| a["title"] == title)?.clone();
    assert_eq!(action["kind"], "quickfix");
    let e = &action["edit"];
    let edits: Vec<serde_json::Value> = match e.get("documentChanges") {
        Some(dc) => dc[0]["edits"].as_array().unwrap().clone(),
        None => e["changes"][URI].as_array().unwrap().clone(),
    };
    Some(common::lsp::apply_edits(text, &edits))
}

/// The account's two settings fixed through code actions, as an editor applies them: the
/// diagnostic goes, the output's stays.
#[tokio::test]
async fn the_account_settings_are_fixed_through_code_actions() {
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(URI, "bicep", BICEP).await;
    let d = c.diagnostics(URI).await;
    let posture = d["diagnostics"][0].clone();
    assert_eq!(posture["code"], "SAS020");
    let text = apply_action(&mut c, &posture, BICEP, "Disallow shared-key authorization")
        .await
        .expect("offered");
    assert!(text.contains("allowSharedKeyAccess: false"), "{text}");
    c.change(URI, 2, json!([{"text": text}])).await;
    let d = c.diagnostics(URI).await;
    let posture = d["diagnostics"][0].clone();
    assert_eq!(posture["code"], "SAS021", "{d}");
    let text = apply_action(&mut c, &posture, &text, "Add a SAS expiration policy of 7 days")
        .await
        .expect("offered");
    assert!(text.contains("sasExpirationPeriod: '7.00:00:00'"), "{text}");
    c.change(URI, 3, json!([{"text": text}])).await;
    assert_eq!(codes(&mut c).await, ["SAS002"]);
    c.shutdown_and_exit().await;
}
