//! Reports are streamed: each file's findings are written as soon as the file is done, in
//! path order, so memory does not grow with the number of findings.

mod cli_support;
mod common;

use std::path::Path;
use std::process::Command;

use cli_support::{sasguard, write, NOW};
use common::{pct, sig};

/// `n` bytes of lines that each hold a live SAS URL.
fn dense(seed: u64, n: usize) -> String {
    let mut out = String::with_capacity(n + 200);
    let mut i = seed * 1_000_000;
    while out.len() < n {
        out.push_str(&format!(
            "url = \"https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=rwdl&se=2050-01-01T00:00:00Z&sig={}\"\n",
            pct(&sig(i))
        ));
        i += 1;
    }
    out
}

/// Peak resident memory of `sasguard args…` in KB, measured by GNU time.
fn peak_kb(dir: &Path, args: &[&str]) -> u64 {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_sasguard"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("GNU time (/usr/bin/time) is needed for this test");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(1)),
        "{}",
        sasguard::redact::scrub(&stderr)
    );
    stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("a peak in KB")
}

#[test]
fn memory_does_not_grow_with_the_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "small/one.py", dense(1, 200));
    // 2 MiB in 32 files: about 14,000 findings (before streaming: about 70 MB more).
    for i in 0..32 {
        write(dir, &format!("many/f{i:02}.py"), dense(10 + i, 64 << 10));
    }
    for format in ["human", "json", "sarif", "diff"] {
        let base = ["check", "--now", NOW, "-o", "/dev/null", "-j", "2"];
        let mut args = base.to_vec();
        match format {
            "diff" => args.extend(["--fix", "--diff"]),
            f => args.extend(["-f", f]),
        }
        let small = peak_kb(dir, &[&args[..], &["small"]].concat());
        let many = peak_kb(dir, &[&args[..], &["many"]].concat());
        eprintln!("{format}: {small} KB for one finding, {many} KB for 2 MiB of findings");
        // A file in flight per thread, each 64 KiB: a few MB, not tens.
        assert!(many < small + 12 * 1024, "{format}: {many} KB vs {small} KB");
    }
}

#[test]
fn streamed_reports_are_complete_ordered_and_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut want = Vec::new();
    for i in (0..120).rev() {
        let name = format!("d{}/f{i:03}.py", i % 7);
        let text = if i % 3 == 0 {
            "clean\n".to_string()
        } else {
            dense(200 + i, 300)
        };
        if i % 3 != 0 {
            let n = text.lines().count();
            want.extend(std::iter::repeat_n(name.clone(), n));
        }
        write(dir, &name, text);
    }
    want.sort();
    let out = sasguard(dir, &["check", "-f", "json", "--now", NOW, "-j", "2"], None);
    assert_eq!(out.code, 1);
    let paths = cli_support::finding_paths(&out);
    assert_eq!(paths, want);
    let v = cli_support::json(&out);
    assert_eq!(v["summary"]["findings"].as_u64(), Some(want.len() as u64));
    assert_eq!(v["summary"]["filesWithFindings"], 80);
    assert_eq!(v["summary"]["filesScanned"], 120);
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0));
    let out = sasguard(dir, &["check", "-f", "sarif", "--now", NOW, "-j", "2"], None);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(want.len()));
    let human = sasguard(dir, &["check", "--now", NOW, "-j", "2", "--color", "never"], None);
    assert!(
        human.stdout.ends_with(&format!(
            "{} findings ({} errors) in 80 of 120 files.\n",
            want.len(),
            want.len()
        )),
        "{}",
        human.stdout.lines().last().unwrap_or_default()
    );
    // The same bytes whatever the thread count.
    let one = sasguard(dir, &["check", "-f", "json", "--now", NOW, "-j", "1"], None);
    let two = sasguard(dir, &["check", "-f", "json", "--now", NOW, "-j", "2"], None);
    assert!(one.stdout == two.stdout, "output depends on the thread count");
}
