//! `check --staged` against real repositories built with `git`: the index's version of
//! each staged file is what is checked, under its real path.

mod cli_support;
mod common;

use std::path::Path;

use cli_support::{finding_paths, git, sas_line, sasguard, write, NOW};

fn staged(dir: &Path, extra: &[&str]) -> cli_support::Out {
    let mut args = vec!["check", "--staged", "-f", "json", "--now", NOW];
    args.extend_from_slice(extra);
    sasguard(dir, &args, None)
}

#[test]
fn the_index_is_checked_not_the_working_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write(dir, "committed.py", sas_line(80));
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "init"]);
    // Staged with a token, then cleaned in the working tree only: the commit would hold it.
    write(dir, "src/app.py", format!("x = 1\n{}", sas_line(81)));
    git(dir, &["add", "src/app.py"]);
    write(dir, "src/app.py", "x = 1\n");
    // A token only in the working tree is not about to be committed.
    write(dir, "notes.py", sas_line(82));
    git(dir, &["add", "notes.py"]);
    write(dir, "notes.py", format!("{}{}", sas_line(82), sas_line(83)));
    // A staged rename is checked under its new name; a staged deletion is nothing to check.
    git(dir, &["mv", "committed.py", "renamed.py"]);
    write(dir, "gone.txt", "bye\n");

    let out = staged(dir, &[]);
    assert_eq!(out.code, 1, "{}", sasguard::redact::scrub(&out.stderr));
    assert_eq!(finding_paths(&out), ["notes.py", "renamed.py", "src/app.py"]);
    let v = cli_support::json(&out);
    let app = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "src/app.py")
        .unwrap();
    assert_eq!(app["line"], 2, "the line in the staged text");
    assert_eq!(v["summary"]["filesScanned"], 3);

    // From a subfolder, with a path: only what is staged under it, shown from there.
    let out = staged(&dir.join("src"), &["."]);
    assert_eq!(finding_paths(&out), ["app.py"]);

    git(dir, &["commit", "-q", "-m", "second"]);
    let out = staged(dir, &[]);
    assert_eq!(out.code, 0, "nothing staged: {}", sasguard::redact::scrub(&out.stdout));
}

#[test]
fn sasguardignore_and_excludes_apply_and_bad_uses_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write(dir, ".sasguardignore", "fixtures/\n");
    write(dir, "fixtures/sample.py", sas_line(84));
    write(dir, "vendor/lib.py", sas_line(85));
    git(dir, &["add", "."]);
    let out = staged(dir, &["--exclude", "vendor/**"]);
    assert_eq!(out.code, 0, "{}", sasguard::redact::scrub(&out.stdout));
    let out = staged(dir, &[]);
    assert_eq!(finding_paths(&out), ["vendor/lib.py"]);

    let out = sasguard(dir, &["check", "--staged", "--fix"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not what is staged"), "{}", out.stderr);
    let elsewhere = tempfile::tempdir().unwrap();
    let out = sasguard(elsewhere.path(), &["check", "--staged"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("is not inside a git repository"), "{}", out.stderr);
}
