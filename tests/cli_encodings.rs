//! The command line on encoded files and names: UTF-16 text (with and without a byte order
//! mark) is scanned and fixed as UTF-16; binary stays skipped; a secret in a file's name
//! is a finding of its own, and no output shows it whole.

mod cli_support;
mod common;

use cli_support::{assert_hidden, json, sas_line, sasguard, write, NOW};
use common::{base64, key64, pct, sig};
use sasguard::redact::scrub;

#[derive(Clone, Copy)]
enum Form {
    LeBom,
    BeBom,
    Le,
}

fn utf16(text: &str, form: Form) -> Vec<u8> {
    let mut out = Vec::new();
    match form {
        Form::LeBom => out.extend([0xFF, 0xFE]),
        Form::BeBom => out.extend([0xFE, 0xFF]),
        Form::Le => {}
    }
    for u in text.encode_utf16() {
        match form {
            Form::BeBom => out.extend(u.to_be_bytes()),
            _ => out.extend(u.to_le_bytes()),
        }
    }
    out
}

fn decode(bytes: &[u8], form: Form) -> String {
    let body = match form {
        Form::Le => bytes,
        _ => &bytes[2..],
    };
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|u| match form {
            Form::BeBom => u16::from_be_bytes([u[0], u[1]]),
            _ => u16::from_le_bytes([u[0], u[1]]),
        })
        .collect();
    String::from_utf16(&units).unwrap()
}

const FORMS: [(&str, Form); 3] = [
    ("le-bom.ps1", Form::LeBom),
    ("be-bom.reg", Form::BeBom),
    ("le.txt", Form::Le),
];

/// Line 2 holds characters outside ASCII (one outside the BMP) before the token.
fn utf16_text(seed: u64) -> String {
    format!("# Out-File\r\né😀 {}", sas_line(seed).replace("url = ", ""))
}

#[test]
fn utf16_files_are_text_with_positions_in_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (i, (name, form)) in FORMS.iter().enumerate() {
        write(dir, name, utf16(&utf16_text(i as u64 + 1), *form));
        write(
            dir,
            &format!("quiet-{name}"),
            utf16("no token here\r\nsig=<signature>\r\n", *form),
        );
    }
    // Binary with NULs that is not UTF-16 stays skipped, even with a token inside.
    let mut bin = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    bin.extend(sas_line(9).as_bytes());
    write(dir, "tool.bin", &bin);
    let out = sasguard(dir, &["check", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", scrub(&out.stderr));
    let v = json(&out);
    let found: Vec<(String, u64, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap();
            (
                f["path"].as_str().unwrap().to_string(),
                n("line"),
                n("column"),
                n("endLine"),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64, u64)> = ["be-bom.reg", "le-bom.ps1", "le.txt"]
        .iter()
        .map(|p| (p.to_string(), 2, 5, 2))
        .collect();
    assert_eq!(found, want);
    // Byte offsets are the file's: the token starts after `# Out-File\r\n` (12 units),
    // `é😀 "` (5 units) and the mark, when there is one.
    for f in v["findings"].as_array().unwrap() {
        let mark = if f["path"] == "le.txt" { 0 } else { 2 };
        assert_eq!(f["startByte"].as_u64(), Some(mark + 2 * 17), "{}", f["path"]);
    }
    assert_eq!(v["summary"]["binarySkipped"], 1);
    assert_eq!(v["summary"]["filesScanned"], 6);
    for i in 1..=3 {
        assert_hidden(&out.stdout, &pct(&sig(i)), "the JSON report");
    }
}

#[test]
fn fix_writes_utf16_back_in_the_same_form() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (i, (name, form)) in FORMS.iter().enumerate() {
        write(dir, name, utf16(&utf16_text(i as u64 + 1), *form));
    }
    let out = sasguard(dir, &["check", "--fix", "--now", NOW], None);
    assert_eq!(out.code, 0, "{}", scrub(&out.stderr));
    for (i, (name, form)) in FORMS.iter().enumerate() {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let bom = match form {
            Form::LeBom => Some([0xFF, 0xFE]),
            Form::BeBom => Some([0xFE, 0xFF]),
            Form::Le => None,
        };
        assert_eq!(
            bom.is_some(),
            bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]),
            "{name}"
        );
        if let Some(b) = bom {
            assert_eq!(bytes[..2], b, "{name}: byte order mark kept");
        }
        let want = utf16_text(i as u64 + 1).replace(&pct(&sig(i as u64 + 1)), "REDACTED");
        assert!(
            decode(&bytes, *form) == want,
            "{name}: written back as it was, redacted"
        );
    }
    let again = sasguard(dir, &["check", "--now", NOW], None);
    assert_eq!(again.code, 0, "{}", scrub(&again.stdout));
}

#[test]
fn containers_and_double_encodings_are_found_by_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conn = format!(
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={};EndpointSuffix=core.windows.net",
        key64(5)
    );
    let value = base64(conn.as_bytes());
    write(
        dir,
        "secret.yaml",
        format!("apiVersion: v1\nkind: Secret\ndata:\n  conn: {value}\n"),
    );
    let twice = pct(&pct(&sig(6)));
    write(
        dir,
        "login.html",
        format!(
            "<a href=\"https://login.example.com/?returnUrl=https%253A%252F%252Facct.blob.core.windows.net%252Fc%253Fsv%253D2022-11-02%2526sr%253Dc%2526sp%253Drl%2526se%253D2030-01-01%2526sig%253D{twice}\">\n"
        ),
    );
    let out = sasguard(dir, &["check", "-f", "json", "--now", NOW], None);
    let v = json(&out);
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2, "{}", scrub(&out.stdout));
    assert_eq!(f[1]["path"], "secret.yaml");
    assert_eq!((f[1]["line"].as_u64(), f[1]["column"].as_u64()), (Some(4), Some(9)));
    assert_eq!(f[1]["form"], serde_json::json!({"base64": "connectionString"}));
    assert!(f[1]["message"]
        .as_str()
        .unwrap()
        .contains("base64-encoded connection string"));
    assert_eq!(f[0]["token"]["account"], "acct");
    for s in [value.as_str(), &key64(5), &twice, &sig(6)] {
        assert_hidden(&out.stdout, s, "the JSON report");
        assert!(
            !common::shows_piece(&out.stdout, s, 12),
            "the JSON report shows a piece of a secret"
        );
    }
    // --fix replaces the whole base64 value.
    let out = sasguard(dir, &["check", "--fix", "--now", NOW], None);
    assert_eq!(out.code, 0, "{}", scrub(&out.stderr));
    let yaml = std::fs::read_to_string(dir.join("secret.yaml")).unwrap();
    assert!(yaml.ends_with("  conn: REDACTED\n"), "{}", scrub(&yaml));
}

/// A name `wget` gives a download: the URL's query, signature included.
fn signed_name(seed: u64) -> String {
    format!("model.pt?sv=2022-11-02&sr=b&sp=r&se=2051-01-01&sig={}", pct(&sig(seed)))
}

#[test]
fn a_signature_in_a_file_name_is_a_finding_never_shown_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A binary download, a text file also holding a token, and one too big to read.
    write(dir, &signed_name(21), b"\x00\x01\x02weights");
    write(dir, &format!("txt/{}", signed_name(22)), sas_line(23));
    write(dir, &format!("big/{}", signed_name(24)), "x".repeat(4096));
    let secrets: Vec<String> = [21, 22, 23, 24].iter().flat_map(|&s| [pct(&sig(s)), sig(s)]).collect();
    let base = ["check", "--now", NOW, "--max-file-size", "1KiB", "--color", "never"];
    let runs: [(&[&str], i32); 5] = [
        (&[], 1),
        (&["-f", "json"], 1),
        (&["-f", "sarif"], 1),
        (&["--fix", "--diff"], 1),
        (&["--fix"], 2),
    ];
    for (extra, code) in runs {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let out = sasguard(dir, &args, None);
        assert_eq!(out.code, code, "{extra:?}: {}", scrub(&out.stderr));
        for s in &secrets {
            assert_hidden(&out.stdout, s, &format!("{extra:?} stdout"));
            assert_hidden(&out.stderr, s, &format!("{extra:?} stderr"));
        }
        for seed in [21, 22, 23, 24] {
            let piece = |o: &str| common::shows_piece(o, &sig(seed), 12);
            assert!(
                !piece(&out.stdout) && !piece(&out.stderr),
                "{extra:?}: a piece of a signature is shown"
            );
        }
        match extra {
            [] => {
                assert_eq!(out.stdout.matches("(in the file name)").count(), 3, "{}", out.stdout);
                assert!(out.stdout.contains(" name | model.pt?sv="), "{}", out.stdout);
            }
            ["-f", "json"] => {
                let v = json(&out);
                let names: Vec<&serde_json::Value> = v["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f["in"] == "fileName")
                    .collect();
                assert_eq!(names.len(), 3);
                for f in names {
                    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(0), Some(0)));
                    assert!(f["path"].as_str().unwrap().contains("model.pt?sv="));
                }
                assert_eq!(v["findings"].as_array().unwrap().len(), 4);
            }
            ["-f", "sarif"] => {
                let v = json(&out);
                let results = v["runs"][0]["results"].as_array().unwrap();
                let names: Vec<_> = results
                    .iter()
                    .filter(|r| r["message"]["text"].as_str().unwrap().contains("(in the file name)"))
                    .collect();
                assert_eq!(names.len(), 3);
                for r in names {
                    let loc = &r["locations"][0]["physicalLocation"];
                    assert!(loc.get("region").is_none(), "a path-only location");
                    assert!(loc["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                        .contains("model.pt%3Fsv"));
                }
            }
            ["--fix"] => {
                assert_eq!(
                    out.stderr.matches("the secret is in the file name").count(),
                    3,
                    "{}",
                    scrub(&out.stderr)
                );
            }
            _ => {}
        }
    }
    // --fix fixed the text and left the names: still there, still reported.
    let text = std::fs::read_dir(dir.join("txt"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(std::fs::read_to_string(text).unwrap().contains("sig=REDACTED"));
}

/// The server's workspace scan reads UTF-16 files as editors show them: decoded.
#[test]
fn workspace_scan_decodes_utf16() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = sasguard::config::Settings::default();
    for (name, form) in FORMS {
        let path = tmp.path().join(name);
        std::fs::write(&path, utf16(&utf16_text(3), form)).unwrap();
        let doc = sasguard::lsp::workspace::analyze_file(&path, &settings, common::now())
            .unwrap()
            .expect("read as text, not skipped as binary");
        assert_eq!(doc.findings.len(), 1, "{name}");
        assert!(doc.text() == utf16_text(3), "{name}: the decoded text");
    }
}
