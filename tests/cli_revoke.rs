//! Every front end of the command line says how to revoke what it found: a `revoke:` line
//! in the human report, a `revoke` object in JSON, the first step in the SARIF result
//! message (all of them in `properties.revoke`), the full steps in `sasguard explain`.
//! Secrets are synthetic.

mod cli_support;
mod common;

use cli_support::{json, sasguard, write, NOW};
use common::{key32, pct, sig};

/// A stored-policy SAS (no key rotation) and a Service Bus key (a rule's key).
fn fixture(dir: &std::path::Path) -> (String, String) {
    let s = pct(&sig(41));
    let k = key32(42);
    write(
        dir,
        "app.py",
        format!(
            "a = 'https://acct.queue.core.windows.net/jobs?sv=2024-11-04&si=reader&sr=q&spr=https&sip=1.2.3.4&sig={s}'\n\
             b = 'Endpoint=sb://ns1.servicebus.windows.net/;SharedAccessKeyName=sender;SharedAccessKey={k}'\n"
        ),
    );
    (s, k)
}

const QUEUE_POLICY: &str = "az storage queue policy delete --queue-name jobs --name reader --account-name acct";
const SB_RULE: &str = "az servicebus namespace authorization-rule keys renew --resource-group RG --namespace-name ns1 --name sender --key PrimaryKey|SecondaryKey";

#[test]
fn human_report_has_a_revoke_line_per_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, k) = fixture(tmp.path());
    let out = sasguard(tmp.path(), &["check", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().filter(|l| l.contains("= revoke: ")).collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].ends_with(&format!("= revoke: {QUEUE_POLICY} (1 more step: `sasguard explain`)")),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains(&format!("= revoke: {SB_RULE} (")), "{}", lines[1]);
    assert!(!out.stdout.contains(&s) && !out.stdout.contains(&k));
}

#[test]
fn json_has_a_revoke_object() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, k) = fixture(tmp.path());
    let out = sasguard(tmp.path(), &["check", "-f", "json", "--now", NOW], None);
    let v = json(&out);
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    let r = &f[0]["revoke"];
    assert_eq!(r["steps"][0]["command"], QUEUE_POLICY);
    assert!(r["note"].as_str().unwrap().starts_with("No key rotation needed"), "{r}");
    assert!(
        r["docs"].as_str().unwrap().starts_with("https://learn.microsoft.com/"),
        "{r}"
    );
    assert!(!r["prevent"].as_array().unwrap().is_empty());
    assert_eq!(f[1]["revoke"]["steps"][0]["command"], SB_RULE);
    assert!(!out.stdout.contains(&s) && !out.stdout.contains(&k));
}

#[test]
fn sarif_result_message_ends_with_the_first_step() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, k) = fixture(tmp.path());
    let out = sasguard(tmp.path(), &["check", "-f", "sarif", "--now", NOW], None);
    let v = json(&out);
    let results = v["runs"][0]["results"].as_array().unwrap();
    let message = results[0]["message"]["text"].as_str().unwrap();
    assert!(message.contains(&format!(" Revoke: {QUEUE_POLICY}")), "{message}");
    assert_eq!(results[0]["properties"]["revoke"]["steps"][0]["command"], QUEUE_POLICY);
    assert!(results[1]["message"]["text"].as_str().unwrap().contains(SB_RULE));
    assert!(!out.stdout.contains(&s) && !out.stdout.contains(&k));
}

#[test]
fn explain_lists_every_step() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&st=2025-01-01&spr=https&sig={}",
        pct(&sig(43))
    );
    let out = sasguard(tmp.path(), &["explain", "--now", NOW, &text], None);
    assert!(
        out.stdout
            .contains("\nRevoke (commands to run yourself; sasguard runs nothing):\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(
        "  1. Regenerate the storage account key that signed it\n     az storage account keys renew --account-name acct --key primary|secondary\n"
    ), "{}", out.stdout);
    assert!(out.stdout.contains("cannot be told from the token"), "{}", out.stdout);
    assert!(out.stdout.contains("--allow-shared-key-access false"), "{}", out.stdout);
    assert!(!out.stdout.contains(&pct(&sig(43))));
}

#[test]
fn an_expired_finding_says_revoking_is_not_needed() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "old.py",
        format!(
            "u = 'https://acct.blob.core.windows.net/c/b?sv=2024-11-04&sr=b&sp=r&se=2026-01-01T00:00:00Z&spr=https&sip=1.2.3.4&sig={}'\n",
            pct(&sig(46))
        ),
    );
    let out = sasguard(tmp.path(), &["check", "--now", NOW, "--min-severity", "hint"], None);
    assert!(
        out.stdout.contains("= revoke: not needed, expired 2026-01-01 00:00 UTC; to retire what signed it: az storage account keys renew --account-name acct --key primary|secondary\n"),
        "{}",
        out.stdout
    );
    let out = sasguard(tmp.path(), &["check", "-f", "json", "--now", NOW], None);
    assert_eq!(json(&out)["findings"][0]["revoke"]["expired"], "2026-01-01 00:00 UTC");
}
