//! A token written in pieces through the CLI: one finding on its first piece, every
//! piece's position in JSON and SARIF and the human report, and `--fix` redacting every
//! piece of the signature.

mod cli_support;
mod common;

use cli_support::{assert_hidden, json, sasguard, write, NOW};
use common::{pct, sig};

fn fixture(seed: u64) -> (String, String) {
    let s = pct(&sig(seed));
    let text = format!(
        "import os\nURL = (\"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&\"\n       \"se=2051-01-01&sig={}\"\n       \"{}\")\n",
        &s[..20],
        &s[20..]
    );
    (text, s)
}

#[test]
fn every_format_gives_every_piece() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, s) = fixture(41);
    write(tmp.path(), "app.py", &text);

    let out = sasguard(tmp.path(), &["check", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1);
    assert_hidden(&out.stdout, &s[20..], "json");
    let v = json(&out);
    let f = &v["findings"].as_array().unwrap()[..];
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["line"], 2);
    let lines: Vec<u64> = f[0]["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 4]);
    assert_eq!(f[0]["pieces"][1]["column"], 9);

    let out = sasguard(tmp.path(), &["check", "-f", "sarif", "--now", NOW], None);
    let v = json(&out);
    let related = v["runs"][0]["results"][0]["relatedLocations"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(related.len(), 3);
    assert_eq!(related[2]["physicalLocation"]["region"]["startLine"], 4);
    assert_eq!(related[2]["message"]["text"], "piece 3 of 3 of this token");

    let out = sasguard(tmp.path(), &["check", "--now", NOW], None);
    assert!(
        out.stdout.contains("app.py:2:9:"),
        "{}",
        sasguard::redact::scrub(&out.stdout)
    );
    assert!(
        out.stdout.contains("written in 3 pieces, at 2:9, 3:9, 4:9"),
        "{}",
        sasguard::redact::scrub(&out.stdout)
    );
    assert_hidden(&out.stdout, &s[..20], "human");
}

#[test]
fn fix_redacts_every_piece() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, s) = fixture(42);
    write(tmp.path(), "app.py", &text);
    let out = sasguard(tmp.path(), &["check", "--fix", "--now", NOW], None);
    assert!(
        out.stderr.contains("redacted 1 secret"),
        "{}",
        sasguard::redact::scrub(&out.stderr)
    );
    let after = std::fs::read_to_string(tmp.path().join("app.py")).unwrap();
    assert_hidden(&after, &s[..20], "the fixed file");
    assert_hidden(&after, &s[20..], "the fixed file");
    assert_eq!(after.matches("REDACTED").count(), 2);
    let again = sasguard(tmp.path(), &["check", "--now", NOW], None);
    assert_eq!(again.code, 0, "{}", sasguard::redact::scrub(&again.stdout));
}

#[test]
fn explain_says_how_the_pieces_are_joined() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, s) = fixture(43);
    let out = sasguard(tmp.path(), &["explain", "-", "--now", NOW], Some(text.as_bytes()));
    assert!(
        out.stdout
            .contains("Written in: 3 pieces: string literals of one expression"),
        "{}",
        sasguard::redact::scrub(&out.stdout)
    );
    assert_hidden(&out.stdout, &s[..20], "explain");
    assert_hidden(&out.stdout, &s[20..], "explain");
    let wrapped =
        format!("https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rl&se=2051-01-01\n&sig={s}\n");
    let out = sasguard(tmp.path(), &["explain", "-", "--now", NOW], Some(wrapped.as_bytes()));
    assert!(
        out.stdout
            .contains("Written in: 2 pieces: continued, wrapped or broken lines"),
        "{}",
        sasguard::redact::scrub(&out.stdout)
    );
}
