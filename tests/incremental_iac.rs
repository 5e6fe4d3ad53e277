//! Templates as you type: an edit to a storage account's last lines, or to the
//! `param t string = utcNow()` a call counts its expiry from, gives the findings of a full
//! scan.

mod common;

use common::now;
use sasguard::config::Settings;
use sasguard::lsp::document::{Context, Document};
use sasguard::policy::analyze;

/// Replaces the first `what` in a document of `text` by `with` and back, one edit each,
/// checking the findings equal a full scan's every time; whether the edit changed them.
fn replace_and_back(text: &str, language: &str, what: &str, with: &str, ctx: Context) -> bool {
    let mut doc = Document::new(text, 1, language, ctx);
    let before = doc.findings.clone();
    assert_eq!(before, analyze(text.as_bytes(), ctx.settings, now()));
    let at = text.find(what).unwrap();
    doc.edit(at..at + what.len(), with, ctx);
    let full = analyze(doc.text().as_bytes(), ctx.settings, now());
    assert_eq!(doc.findings, full, "after replacing {what:?}");
    let changed = doc.findings != before;
    doc.edit(at..at + with.len(), what, ctx);
    assert_eq!(doc.findings, before, "after replacing {what:?} back");
    changed
}

#[test]
fn edits_far_into_a_resource_or_to_the_parameter_a_call_reads_equal_full_scan() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let mut text = String::from("param baseTime string = utcNow()\n\n");
    for _ in 0..8 {
        text.push_str("// a comment line between the parameter and the resource\n");
    }
    text.push_str("resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'acct'\n  properties: {\n");
    for _ in 0..10 {
        text.push_str("    // a comment line inside the properties\n");
    }
    text.push_str(
        "    allowSharedKeyAccess: false\n    sasPolicy: {\n      sasExpirationPeriod: '1.00:00:00'\n    }\n  }\n}\n\n",
    );
    text.push_str(
        "output s string = sa.listServiceSas('2023-01-01', {\n  canonicalizedResource: '/blob/acct/c'\n  \
                   signedPermission: 'r'\n  signedExpiry: dateTimeAdd(baseTime, 'P30Y')\n}).serviceSasToken\n",
    );
    for (what, with) in [
        ("allowSharedKeyAccess: false", "allowSharedKeyAccess: true"),
        ("sasPolicy:", "sasPolicyX:"),
        (
            "param baseTime string = utcNow()",
            "param baseTime string = '2026-01-01'",
        ),
    ] {
        assert!(
            replace_and_back(&text, "bicep", what, with, ctx),
            "replacing {what:?} changes the verdict"
        );
    }
}

/// An ARM template whose `variables` section, with the properties a `listAccountSas` output
/// reads, lies more than 40 lines and 2 KB above the output: editing the properties, or
/// writing the call, gives the findings of a full scan.
#[test]
fn edits_to_far_arm_variables_equal_full_scan() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let mut text = String::from(
        "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \
         \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": { \"storageAccountName\": { \"type\": \"string\" } },\n  \
         \"variables\": {\n    \"accountSasProperties\": {\n      \"signedServices\": \"bfqt\",\n      \
         \"signedPermission\": \"rwdlacup\",\n      \"signedResourceTypes\": \"sco\",\n      \
         \"signedExpiry\": \"2049-01-01T00:00:00Z\"\n    },\n",
    );
    for i in 0..120 {
        text.push_str(&format!(
            "    \"subnet{i}Name\": \"[concat(parameters('storageAccountName'), '-subnet-{i}')]\",\n"
        ));
    }
    text.push_str("    \"lastName\": \"x\"\n  },\n  \"resources\": [],\n  \"outputs\": {\n    \"accountSas\": {\n      \
                   \"type\": \"string\",\n      \"value\": \"[listAccountSas(parameters('storageAccountName'), '2018-07-01', \
                   variables('accountSasProperties')).accountSasToken]\"\n    }\n  }\n}\n");
    let full = analyze(text.as_bytes(), &settings, now());
    assert_eq!(full.len(), 1);
    assert!(full[0].message().contains("full control"), "{}", full[0].message());
    for (what, with) in [
        ("\"rwdlacup\"", "\"r\""),
        ("\"2049-01-01T00:00:00Z\"", "\"[parameters('expiry')]\""),
        ("\"accountSasProperties\": {", "\"otherProperties\": {"),
    ] {
        assert!(
            replace_and_back(&text, "json", what, with, ctx),
            "replacing {what:?} changes the verdict"
        );
    }
    // Writing the call into a text that held none: it reads the variables far above.
    let call = "listAccountSas(";
    let at = text.find(call).unwrap();
    let without = text.replacen(call, "listKeys(", 1);
    let mut doc = Document::new(&without, 1, "json", ctx);
    assert!(doc.findings.is_empty());
    doc.edit(at..at + "listKeys(".len(), call, ctx);
    assert_eq!(doc.findings, full);
}

/// The same template minified onto one long line: an edit in its variables, far before the
/// output on the same line, is not read through a small window.
#[test]
fn edits_to_arm_variables_on_one_long_line_equal_full_scan() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let mut text = String::from(
        "{\"variables\": {\"accountSasProperties\": {\"signedServices\": \"bfqt\", \"signedPermission\": \"rwdlacup\", \
         \"signedResourceTypes\": \"sco\", \"signedExpiry\": \"2049-01-01T00:00:00Z\"}, ",
    );
    for i in 0..600 {
        text.push_str(&format!(
            "\"subnet{i}Name\": \"[concat(parameters('storageAccountName'), '-subnet-{i}')]\", "
        ));
    }
    text.push_str(
        "\"lastName\": \"x\"}, \"outputs\": {\"accountSas\": {\"type\": \"string\", \"value\": \
                   \"[listAccountSas(parameters('storageAccountName'), '2018-07-01', \
                   variables('accountSasProperties')).accountSasToken]\"}}}\n",
    );
    assert!(text.len() > 32 << 10);
    let full = analyze(text.as_bytes(), &settings, now());
    assert_eq!(full.len(), 1);
    // The call inside a longer expression: a `"[` far before it on the line makes it ARM.
    let text = text.replace(
        "\"[listAccountSas(",
        &format!("\"[concat('{}', listAccountSas(", "p".repeat(300)),
    );
    let text = text.replace(".accountSasToken]", ".accountSasToken)]");
    let full = analyze(text.as_bytes(), &settings, now());
    assert_eq!(full.len(), 1);
    for (what, with) in [
        ("\"rwdlacup\"", "\"r\""),
        ("subnet3Name", "subnet3Nam"),
        ("\"[concat", "\"concat"),
    ] {
        replace_and_back(&text, "json", what, with, ctx);
    }
}
