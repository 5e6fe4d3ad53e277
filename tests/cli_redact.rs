//! Nothing the CLI prints shows a secret: not a key next to a token in `--fix --diff`,
//! not a signature in a file name or in a path given on the command line.

mod cli_support;
mod common;

use cli_support::{sas_line, sasguard, write, NOW};
use common::{key64, pct, sig};

#[test]
fn fix_diff_redacts_a_key_on_the_same_line_as_a_token() {
    let tmp = tempfile::tempdir().unwrap();
    let key = key64(90);
    let line = format!(
        "az storage blob upload --account-key {key} --blob-url \"https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sr=b&sp=rw&se=2051-01-01&sig={}\"\n",
        pct(&sig(91))
    );
    write(tmp.path(), "deploy.sh", &line);
    let out = sasguard(tmp.path(), &["check", "--fix", "--diff", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", sasguard::redact::scrub(&out.stderr));
    assert!(
        out.stdout.contains("--- a/deploy.sh"),
        "{}",
        sasguard::redact::scrub(&out.stdout)
    );
    assert!(
        out.stdout.contains("&sig=REDACTED\""),
        "{}",
        sasguard::redact::scrub(&out.stdout)
    );
    for s in [key.clone(), key[..40].to_string(), key[40..].to_string(), pct(&sig(91))] {
        assert!(!out.stdout.contains(&s), "the diff shows (part of) a secret");
    }
}

/// A name `wget` gives a download: the URL's query, signature included.
fn signed_name(seed: u64) -> String {
    format!(
        "model.cfg?sv=2020-08-04&sr=b&sp=r&se=2051-01-01&sig={}",
        pct(&sig(seed))
    )
}

#[test]
fn file_names_and_paths_holding_a_signature_are_redacted_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let name = signed_name(92);
    let hidden = pct(&sig(92));
    write(dir, &name, sas_line(93));
    let big = signed_name(94);
    write(dir, &format!("big/{big}"), "x".repeat(4096));
    let missing = format!(
        "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sr=b&sp=r&sig={}",
        pct(&sig(95))
    );
    let secrets = [hidden, pct(&sig(94)), pct(&sig(95))];
    let runs: [&[&str]; 5] = [
        &["check", "--now", NOW, "--max-file-size", "1KiB", "--color", "never"],
        &["check", "--now", NOW, "--max-file-size", "1KiB", "-f", "json"],
        &["check", "--now", NOW, "--max-file-size", "1KiB", "-f", "sarif"],
        &["check", "--now", NOW, "--max-file-size", "1KiB", "--fix", "--diff"],
        &["check", "--now", NOW, "--max-file-size", "1KiB", "--fix"],
    ];
    for args in runs {
        let mut args = args.to_vec();
        args.extend([".", missing.as_str()]);
        let out = sasguard(dir, &args, None);
        assert_eq!(
            out.code,
            2,
            "{:?}: {}",
            &args[..6],
            sasguard::redact::scrub(&out.stderr)
        );
        assert!(
            out.stdout.contains("model.cfg") || args.contains(&"--fix"),
            "{:?}",
            &args[..6]
        );
        assert!(
            out.stderr.contains("big/model.cfg") && out.stderr.contains("skipped"),
            "{:?}",
            &args[..6]
        );
        for s in &secrets {
            assert!(
                !out.stdout.contains(s.as_str()),
                "{:?}: stdout shows a signature",
                &args[..6]
            );
            assert!(
                !out.stderr.contains(s.as_str()),
                "{:?}: stderr shows a signature",
                &args[..6]
            );
        }
    }
}

/// A deep path is shown as it is: only a component can hold a secret, so the folders joined
/// by `/` are not read as one base64 run. In the history too, where every path a blob was
/// added under is shown, and a signed file name is still redacted.
#[test]
fn deep_paths_are_shown_whole_and_signed_names_redacted_in_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let deep = "frontend/components/authentication/providers/storage.py";
    write(dir, deep, sas_line(96));
    let out = sasguard(dir, &["check", "--now", NOW, "--color", "never"], None);
    assert!(out.stdout.starts_with(&format!("{deep}:1:")), "{}", out.stdout);
    // A long name of letters is a name, not a key.
    let long = "docs/Set-AzKeyVaultManagedStorageSasDefinition.md";
    write(dir, long, sas_line(95));
    let out = sasguard(dir, &["check", "--now", NOW, "--color", "never"], None);
    assert!(out.stdout.contains(&format!("{long}:1:")), "{}", out.stdout);
    std::fs::remove_file(dir.join(long)).unwrap();

    cli_support::git(dir, &["init", "-q"]);
    let name = signed_name(97);
    write(dir, &format!("downloads/{name}"), sas_line(98));
    cli_support::git(dir, &["add", "."]);
    cli_support::git(dir, &["commit", "-q", "-m", "two"]);
    let out = sasguard(dir, &["check", "--history", "-f", "json", "--now", NOW], None);
    let v = cli_support::json(&out);
    let paths: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["history"]["paths"].as_array().unwrap().clone())
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    assert!(paths.iter().any(|p| p == deep), "{paths:?}");
    assert!(paths.iter().any(|p| p.starts_with("downloads/model.cfg?")), "{paths:?}");
    assert!(!out.stdout.contains(&pct(&sig(97))), "a signed file name is shown");
}
