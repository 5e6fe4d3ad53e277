//! Input the CLI must bound: stdin is capped at `maxFileSize` like any file.

mod cli_support;
mod common;

use cli_support::{sas_line, sasguard, write, NOW};

#[test]
fn stdin_larger_than_max_file_size_is_skipped_with_a_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let mut input = "padding line\n".repeat(400).into_bytes();
    input.extend_from_slice(sas_line(80).as_bytes());
    let args = [
        "check",
        "-",
        "--now",
        NOW,
        "--max-file-size",
        "1KiB",
        "--color",
        "never",
    ];
    let out = sasguard(tmp.path(), &args, Some(&input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("<stdin>: skipped: larger than maxFileSize (1KiB)"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("1 skipped"), "{}", out.stdout);
    // Within the cap, it is scanned as before.
    let out = sasguard(tmp.path(), &["check", "-", "--now", NOW], Some(sas_line(80).as_bytes()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    // Exactly at the cap is within it.
    let exact = sas_line(80);
    let cap = format!("{}B", exact.len());
    let out = sasguard(
        tmp.path(),
        &["check", "-", "--now", NOW, "--max-file-size", &cap],
        Some(exact.as_bytes()),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[test]
fn explain_reads_no_more_of_stdin_than_max_file_size() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), ".sasguard.toml", "maxFileSize = \"1KiB\"\n");
    let mut input = "padding line\n".repeat(400).into_bytes();
    input.extend_from_slice(sas_line(81).as_bytes());
    let out = sasguard(tmp.path(), &["explain", "-", "--now", NOW], Some(&input));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("stdin is larger than maxFileSize (1KiB)"),
        "{}",
        out.stderr
    );
    let out = sasguard(
        tmp.path(),
        &["explain", "-", "--now", NOW],
        Some(sas_line(81).as_bytes()),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}
