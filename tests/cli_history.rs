//! `check --history` against real repositories built with `git`: every blob of every ref
//! scanned once, each finding attributed to the commit that added it, and repositories
//! git cannot fully read reported, not panicked on.

mod cli_support;
mod common;

use std::path::Path;

use cli_support::{git, sas_line, sasguard, write, Out, NOW};
use serde_json::Value;

fn history(dir: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["check", "--history", "-f", "json", "--now", NOW];
    args.extend_from_slice(extra);
    sasguard(dir, &args, None)
}

fn findings(out: &Out) -> Vec<Value> {
    cli_support::json(out)["findings"].as_array().unwrap().clone()
}

fn rev(dir: &Path, r: &str) -> String {
    let out = std::process::Command::new("git")
        .args(["rev-parse", r])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Overwrites the loose object `r` names with bytes git cannot read.
fn corrupt(dir: &Path, r: &str) {
    let id = rev(dir, r);
    let path = dir.join(".git/objects").join(&id[..2]).join(&id[2..]);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, b"not an object").unwrap();
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// A token added, copied under a second name, then deleted: found once, in the commit that
/// added it, with every path, removed from HEAD by the deleting commit.
#[test]
fn a_deleted_token_is_found_and_attributed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(dir, "app.py", "x = 1\n");
    commit(dir, "start");
    write(dir, "README.md", format!("# models\n{}", sas_line(90)));
    commit(dir, "Add the models link");
    let added = rev(dir, "HEAD");
    git(dir, &["mv", "README.md", "docs.md"]);
    commit(dir, "Rename the readme");
    write(dir, "app.py", "x = 2\n");
    commit(dir, "Change app");
    std::fs::remove_file(dir.join("docs.md")).unwrap();
    commit(dir, "Remove the link");
    let removed = rev(dir, "HEAD");
    write(dir, "app.py", "x = 3\n");
    commit(dir, "Later");

    let out = history(dir, &[]);
    assert_eq!(out.code, 1, "{}", sasguard::redact::scrub(&out.stderr));
    let f = findings(&out);
    assert_eq!(f.len(), 1, "one blob, scanned once");
    let h = &f[0]["history"];
    assert_eq!(f[0]["path"], "README.md");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(h["introducedIn"]["id"], added.as_str());
    assert_eq!(h["introducedIn"]["summary"], "Add the models link");
    assert_eq!(
        h["paths"],
        serde_json::json!(["README.md", "docs.md"]),
        "the rename's path too"
    );
    assert_eq!(h["atHead"], false);
    assert_eq!(h["removedIn"]["id"], removed.as_str());
    assert_eq!(h["commits"], 3, "added, renamed, changed app: three trees hold it");

    // The human report says it is gone from HEAD but not revoked.
    let human = sasguard(dir, &["check", "--history", "--now", NOW, "--color", "never"], None);
    let short = &added[..7];
    assert!(
        human.stdout.contains(&format!("{short}:README.md:2:")),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("removed from HEAD in"), "{}", human.stdout);
    assert!(
        human.stdout.contains("deleting it did not revoke it"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("also added as docs.md"), "{}", human.stdout);
    assert!(
        human.stdout.contains("1 finding (1 error) in 1 of 4 blobs"),
        "{}",
        human.stdout
    );
}

/// The same blob on two branches is scanned once; the commits of both carry it.
#[test]
fn one_blob_on_two_branches_is_one_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(dir, "a.txt", "a\n");
    commit(dir, "start");
    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(dir, "config.env", sas_line(91));
    commit(dir, "feature: add config");
    git(dir, &["checkout", "-q", "main"]);
    write(dir, "settings.env", sas_line(91));
    commit(dir, "main: add settings");
    write(dir, "a.txt", "b\n");
    commit(dir, "main: more");

    let out = history(dir, &[]);
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    let h = &f[0]["history"];
    assert_eq!(h["commits"], 3, "one commit on feature, two on main");
    assert_eq!(h["atHead"], true);
    assert_eq!(h["paths"].as_array().unwrap().len(), 2);
    assert_eq!(
        cli_support::json(&out)["summary"]["filesScanned"],
        3,
        "two versions of a.txt, the env blob once"
    );

    // Only main's history: the feature branch's commit is not read.
    let out = history(dir, &["--branch", "main"]);
    let f = findings(&out);
    assert_eq!(f[0]["path"], "settings.env");
    assert_eq!(f[0]["history"]["commits"], 2);
    // A range: nothing before it counts.
    let out = history(dir, &["--history=HEAD~1..HEAD"]);
    assert_eq!(findings(&out).len(), 0, "the last commit only changed a.txt");
    assert_eq!(out.code, 0);
}

#[test]
fn a_shallow_clone_says_what_it_could_not_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    git(&src, &["init", "-q", "-b", "main"]);
    write(&src, "old.env", sas_line(92));
    commit(&src, "old token");
    std::fs::remove_file(src.join("old.env")).unwrap();
    write(&src, "a.txt", "a\n");
    commit(&src, "clean");
    let url = format!("file://{}", src.display());
    git(tmp.path(), &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let out = history(&tmp.path().join("shallow"), &[]);
    assert_eq!(out.code, 0);
    let v = cli_support::json(&out);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    let skipped = v["skipped"].to_string();
    assert!(skipped.contains("shallow clone"), "{skipped}");
    assert!(out.stderr.contains("shallow clone"), "{}", out.stderr);
    // The full history has it.
    assert_eq!(findings(&history(&src, &[])).len(), 1);
}

#[test]
fn missing_and_corrupt_objects_are_errors_not_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(dir, "a.env", sas_line(93));
    write(dir, "b.txt", "b\n");
    commit(dir, "one");
    // A blob's loose object overwritten: git cannot read it.
    corrupt(dir, "HEAD:a.env");
    let out = history(dir, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("missing or corrupt"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    // A tree: git itself stops, and its message is passed on.
    corrupt(dir, "HEAD^{tree}");
    let out = history(dir, &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("git log"), "{}", out.stderr);
    assert!(cli_support::json(&out)["errors"].as_array().unwrap().len() == 1);

    // Not a repository at all.
    let plain = tempfile::tempdir().unwrap();
    let out = history(plain.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not inside a git repository"), "{}", out.stderr);
}

#[test]
fn a_partial_clone_is_not_fetched_from() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    git(&src, &["init", "-q", "-b", "main"]);
    git(&src, &["config", "uploadpack.allowFilter", "true"]);
    write(&src, "a.env", sas_line(94));
    commit(&src, "one");
    let url = format!("file://{}", src.display());
    git(
        tmp.path(),
        &["clone", "-q", "--no-checkout", "--filter=blob:none", &url, "partial"],
    );
    let out = history(&tmp.path().join("partial"), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("partial clone"), "{}", out.stderr);
    assert_eq!(findings(&out).len(), 0, "the blob stayed on the remote");
}

#[test]
fn large_blobs_excludes_and_sarif() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(dir, "big.txt", format!("{}{}", "x".repeat(3000), sas_line(95)));
    write(dir, "vendor/lib.js", sas_line(96));
    write(dir, "app.env", sas_line(97));
    commit(dir, "three");

    let out = history(dir, &["--max-file-size", "2KB", "--exclude", "vendor/"]);
    assert_eq!(cli_support::finding_paths(&out), ["app.env"]);
    let v = cli_support::json(&out);
    assert!(
        v["skipped"].to_string().contains("larger than maxFileSize"),
        "{}",
        v["skipped"]
    );

    let out = sasguard(dir, &["check", "--history", "-f", "sarif", "--now", NOW], None);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let run = &v["runs"][0];
    assert_eq!(
        run["versionControlProvenance"][0]["revisionId"],
        rev(dir, "HEAD").as_str()
    );
    assert_eq!(run["versionControlProvenance"][0]["branch"], "refs/heads/main");
    let result = &run["results"][0];
    assert_eq!(
        result["locations"][0]["properties"]["commit"],
        rev(dir, "HEAD").as_str()
    );
    assert!(result["partialFingerprints"]["sasguardSecret/v1"]
        .as_str()
        .unwrap()
        .starts_with("sg1:"));
    assert!(result["message"]["text"].as_str().unwrap().contains("still in HEAD"));
}

#[test]
fn history_refuses_what_it_cannot_do() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, says) in [
        (
            &["check", "--history", "--fix"][..],
            "--fix rewrites files, not history",
        ),
        (&["check", "--history", "--staged"][..], "choose one"),
        (&["check", "--history", "a", "b"][..], "one repository"),
        (&["check", "--history=--all"][..], "expected a revision"),
    ] {
        let out = sasguard(tmp.path(), args, None);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
    // An empty repository has nothing to scan, and that is fine.
    git(tmp.path(), &["init", "-q"]);
    let out = history(tmp.path(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
