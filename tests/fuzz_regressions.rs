//! Inputs the fuzzers found problems with, replayed with the fuzz targets' checks.

mod common;

use std::path::Path;

fn shows_piece(output: &str, secret: &str) -> bool {
    common::shows_piece(output, secret, 12)
}

use chrono::{TimeZone, Utc};
use sasguard::cli::report::check_text;
use sasguard::config::Settings;

#[test]
fn engine_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/engine");
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let result = check_text("f".into(), &data, &Settings::default(), now);
        for l in &result.findings {
            let t = &l.finding.token;
            assert!(t.range.start <= t.secret.start && t.secret.end <= t.range.end && t.range.end <= data.len());
            let secret = String::from_utf8_lossy(&data[t.secret.clone()]).into_owned();
            assert!(
                !shows_piece(&l.snippet.text, &secret) && !shows_piece(l.finding.message(), &secret),
                "{}: a piece of a secret is shown",
                path.display()
            );
            if secret.len() >= 16 {
                assert!(
                    !l.snippet.text.contains(&secret),
                    "{}: snippet shows a secret",
                    path.display()
                );
                assert!(
                    !l.finding.message().contains(&secret),
                    "{}: message shows a secret",
                    path.display()
                );
            }
        }
        n += 1;
    }
    assert!(n > 0);
}

/// The `long_line` fuzz target's pieces and steps (fuzz/fuzz_targets/long_line.rs).
const PIECES: &[&str] = &[
    "\"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&sig=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D\",",
    "\"accountKey\": \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==\",",
    "SharedAccessSignature sr=ns.servicebus.windows.net&sig=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D&se=2051000000&skn=Root ",
    "AccountName=a;AccountKey=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==;",
    "sig=",
    "&sp=rwd",
    "%3D",
    " ",
    "\"",
    ",",
    ";",
    "x",
    "😀",
    "# sasguard:ignore",
    "\n",
    "",
];

#[test]
fn long_line_regressions() {
    use sasguard::lsp::document::{Context, Document};
    use sasguard::policy::analyze;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/long_line");
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap(),
    };
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let mut line = String::new();
        let mut i = 0;
        while line.len() < 20_000 + data[0] as usize * 80 {
            line.push_str(PIECES[data[i % 8] as usize % 14]);
            line.push_str(&"y".repeat(data[(i + 3) % 8] as usize));
            i += 1;
        }
        let mut doc = Document::new(&format!("a\n{line}\nb\n"), 1, "plaintext", ctx);
        for chunk in data[8..].chunks(5) {
            if chunk.len() < 5 {
                break;
            }
            let len = doc.rope.len_bytes();
            let at = (u32::from_le_bytes([chunk[0], chunk[1], chunk[2], 0]) as usize) % (len + 1);
            let at = doc.rope.char_to_byte(doc.rope.byte_to_char(at));
            let end = (at + chunk[3] as usize % 64).min(len);
            doc.edit(at..end, PIECES[chunk[4] as usize % PIECES.len()], ctx);
            let full = analyze(doc.text().as_bytes(), &settings, ctx.now);
            let ranges =
                |fs: &[sasguard::policy::Finding]| fs.iter().map(|f| f.token.range.clone()).collect::<Vec<_>>();
            assert_eq!(
                ranges(&doc.findings),
                ranges(&full),
                "{}: edit {at}..{end} with piece {}",
                path.display(),
                chunk[4] as usize % PIECES.len()
            );
            assert!(doc.findings == full, "{}", path.display());
        }
        n += 1;
    }
    assert!(n > 0);
}
