//! Templates as you type: an edit to a storage account's last lines, or to the
//! `param t string = utcNow()` a call counts its expiry from, gives the findings of a full
//! scan.

mod common;

use common::now;
use sasguard::config::Settings;
use sasguard::lsp::document::{Context, Document};
use sasguard::policy::analyze;

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
        let mut doc = Document::new(&text, 1, "bicep", ctx);
        let before = doc.findings.clone();
        assert_eq!(before, analyze(text.as_bytes(), &settings, now()));
        let at = text.find(what).unwrap();
        doc.edit(at..at + what.len(), with, ctx);
        let full = analyze(doc.text().as_bytes(), &settings, now());
        assert_eq!(doc.findings, full, "after replacing {what:?}");
        assert_ne!(doc.findings, before, "replacing {what:?} changes the verdict");
        doc.edit(at..at + with.len(), what, ctx);
        assert_eq!(doc.findings, before);
    }
}
