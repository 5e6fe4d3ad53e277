//! `sasguard check` on templates: a Terraform storage account's settings and a Bicep SAS
//! output, in JSON (and the human and SARIF formats name them too).

mod cli_support;
mod common;

use cli_support::{json, sasguard, write, NOW};

#[test]
fn json_reports_a_storage_account_and_a_bicep_sas_output() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "main.tf", include_str!("fixtures/iac/main.tf"));
    write(tmp.path(), "storage.bicep", include_str!("fixtures/iac/storage.bicep"));
    write(tmp.path(), "locked.tf", include_str!("fixtures/iac/main-locked.tf"));
    let out = sasguard(tmp.path(), &["check", ".", "--format", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3, "{findings:#?}");
    assert!(findings.iter().all(|f| f["path"] != "locked.tf"));

    let tf = findings.iter().find(|f| f["path"] == "main.tf").unwrap();
    assert_eq!((tf["line"].as_u64(), tf["column"].as_u64()), (Some(7), Some(1)));
    assert_eq!(tf["rule"], "SAS020");
    assert_eq!(tf["severity"], "information");
    assert_eq!(tf["form"]["mint"]["surface"], "terraform");
    assert_eq!(
        tf["form"]["mint"]["posture"],
        serde_json::json!({"sharedKey": "absent", "sasPolicy": "absent"})
    );
    let ids: Vec<&str> = tf["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["SAS020", "SAS021"]);
    assert!(tf["message"]
        .as_str()
        .unwrap()
        .starts_with("Storage account leaves shared-key authorization enabled"));
    assert!(tf["token"]["fingerprint"].as_str().unwrap().starts_with("mt1:"));

    let bicep: Vec<_> = findings.iter().filter(|f| f["path"] == "storage.bicep").collect();
    assert_eq!(bicep.len(), 2);
    let call = bicep.iter().find(|f| f["form"]["mint"]["output"] == true).unwrap();
    assert_eq!(call["rule"], "SAS002");
    assert_eq!(call["form"]["mint"]["surface"], "bicep");
    let ids: Vec<&str> = call["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"SAS019"), "{ids:?}");

    let human = sasguard(tmp.path(), &["check", ".", "--now", NOW, "--color", "never"], None);
    assert!(
        human
            .stdout
            .contains("main.tf:7:1: information[SAS020 shared-key-access]: Storage account leaves"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("= SAS019 sas-output (warning): deployment output"),
        "{}",
        human.stdout
    );
    let sarif = json(&sasguard(
        tmp.path(),
        &["check", ".", "-f", "sarif", "--now", NOW],
        None,
    ));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "SAS020" && r["level"] == "note"),
        "{results:#?}"
    );
}

/// A Bicep output whose properties object is a `var`, and an ARM output reading its
/// properties from the template's `variables`: each read from where it is set.
#[test]
fn json_reads_template_properties_set_in_variables() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "main.bicep",
        "param storageAccountName string\nresource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {\n  \
         name: storageAccountName\n}\nvar sasConfig = {\n  signedResourceTypes: 'sco'\n  signedPermission: 'rwdlacup'\n  \
         signedServices: 'bfqt'\n  signedExpiry: '2050-01-01T00:00:00Z'\n}\n\
         output sasToken string = sa.listAccountSas('2023-01-01', sasConfig).accountSasToken\n",
    );
    write(
        tmp.path(),
        "azuredeploy.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "storageAccountName": { "type": "string" } },
  "variables": {
    "accountSasProperties": {
      "signedServices": "b",
      "signedPermission": "rwdl",
      "signedResourceTypes": "sco",
      "signedExpiry": "2049-01-01T00:00:00Z"
    }
  },
  "resources": [],
  "outputs": {
    "accountSas": {
      "type": "string",
      "value": "[listAccountSas(parameters('storageAccountName'), '2018-07-01', variables('accountSasProperties')).accountSasToken]"
    }
  }
}
"#,
    );
    // The negative twin: the properties are a parameter's object.
    write(
        tmp.path(),
        "param.bicep",
        "param sasConfig object\noutput sasToken string = sa.listAccountSas('2023-01-01', sasConfig).accountSasToken\n",
    );
    let out = sasguard(tmp.path(), &["check", ".", "--format", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let findings = v["findings"].as_array().unwrap();
    let message = |path: &str| {
        let f = findings
            .iter()
            .find(|f| f["path"] == path && f["form"]["mint"].is_object())
            .unwrap_or_else(|| panic!("{path}: {findings:#?}"));
        f["message"].as_str().unwrap().to_string()
    };
    let bicep = message("main.bicep");
    assert!(
        bicep.starts_with(
            "Mints an account SAS with full control of blob, file, queue and table, valid until 2050-01-01"
        ),
        "{bicep}"
    );
    let arm = message("azuredeploy.json");
    assert!(arm.starts_with("Mints an account SAS"), "{arm}");
    assert!(arm.contains("2049-01-01"), "{arm}");
    let unknown = message("param.bicep");
    assert!(
        !unknown.contains("full control") && !unknown.contains("until"),
        "{unknown}"
    );
}

/// A Terraform SAS whose expiry is a local: read from the `locals` block above it.
#[test]
fn json_reads_a_terraform_expiry_from_locals() {
    let tmp = tempfile::tempdir().unwrap();
    let block = "data \"azurerm_storage_account_sas\" \"example\" {\n  connection_string = azurerm_storage_account.example.primary_connection_string\n  \
                 resource_types {\n    service   = true\n    container = true\n    object    = true\n  }\n  \
                 services {\n    blob  = true\n    queue = false\n    table = false\n    file  = false\n  }\n  \
                 start  = local.sas_start\n  expiry = local.sas_expiry\n  \
                 permissions {\n    read    = true\n    write   = false\n    delete  = false\n    list    = true\n    add     = false\n    \
                 create  = false\n    update  = false\n    process = false\n    tag     = false\n    filter  = false\n  }\n}\n";
    write(
        tmp.path(),
        "sas.tf",
        format!("locals {{\n  sas_start  = \"2026-01-15T00:00:00Z\"\n  sas_expiry = timeadd(timestamp(), \"87600h\")\n}}\n\n{block}"),
    );
    // The negative twin: the local comes from a variable.
    write(
        tmp.path(),
        "var.tf",
        format!("locals {{\n  sas_start  = var.start\n  sas_expiry = var.expiry\n}}\n\n{block}"),
    );
    let out = sasguard(tmp.path(), &["check", ".", "--format", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let findings = v["findings"].as_array().unwrap();
    let mint = |path: &str| {
        findings
            .iter()
            .find(|f| f["path"] == path && f["form"]["mint"].is_object())
    };
    let sas = mint("sas.tf").unwrap_or_else(|| panic!("{findings:#?}"));
    let msg = sas["message"].as_str().unwrap();
    assert!(msg.contains("valid 10 years"), "{msg}");
    if let Some(f) = mint("var.tf") {
        let msg = f["message"].as_str().unwrap();
        assert!(!msg.contains("10 years"), "{msg}");
    }
}
