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

#[path = "../fuzz/fuzz_targets/long_line_case.rs"]
mod long_line_case;

#[test]
fn long_line_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/long_line");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if let Err(e) = long_line_case::replay(&std::fs::read(&path).unwrap()) {
            panic!("{}: {e}", path.display());
        }
        n += 1;
    }
    assert!(n > 0);
}

/// `git cat-file --batch` and `git log --raw` output the fuzzer broke the readers with
/// (a blob header claiming 2^64 - 1 bytes overflowed the skip).
#[test]
fn git_output_regressions() {
    use sasguard::source::blobs::{read_each, BlobRead};
    use sasguard::source::history::{parse, History};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/git_output");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let mut h = History::default();
        let _ = parse(&data[..], &mut h, &mut |_| {});
        let _ = read_each(&data[..], 8, 64, &mut |_, r| {
            if let BlobRead::Bytes(b) = r {
                assert!(b.len() <= 64);
            }
        });
        n += 1;
    }
    assert!(n > 0);
}

/// Texts the mint fuzz target broke a reader with (a Go expiry that was not UTF-8 made an
/// offset from a pointer into another string).
#[test]
fn mint_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/mint");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read(entry.unwrap().path()).unwrap();
        let mut out = Vec::new();
        sasguard::scan::mint::scan(&text, &mut out);
        for t in &out {
            assert!(t.range.end <= text.len());
        }
        n += 1;
    }
    assert!(n > 0);
}
