//! Git semantics: git ignores only untracked files. A file that is committed and later
//! listed in `.gitignore` is still part of the repository and is scanned.

mod cli_support;
mod common;

use cli_support::{finding_paths, git, sas_line, sasguard, write, NOW};

#[test]
fn tracked_files_are_scanned_even_when_git_ignores_their_names() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write(dir, "settings.env", sas_line(70));
    write(dir, "build/keep.py", sas_line(71));
    write(dir, "app.py", sas_line(72));
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "init"]);
    // Ignored afterwards; untracked files next to them stay ignored.
    write(dir, ".gitignore", "*.env\nbuild/\n");
    write(dir, "local.env", sas_line(73));
    write(dir, "build/out.py", sas_line(74));

    let out = sasguard(dir, &["check", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(finding_paths(&out), vec!["app.py", "build/keep.py", "settings.env"]);

    // Named explicitly: scanned, not "skipped: git ignores this file".
    let out = sasguard(
        dir,
        &["check", "-f", "json", "--now", NOW, "settings.env", "local.env"],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(finding_paths(&out), vec!["settings.env"]);
    assert!(
        out.stderr.contains("local.env: skipped: git ignores this file"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("settings.env"), "{}", out.stderr);

    // Naming the ignored folder asks for it, as before: all of it is walked.
    let out = sasguard(dir, &["check", "-f", "json", "--now", NOW, "build"], None);
    assert_eq!(finding_paths(&out), vec!["build/keep.py", "build/out.py"]);

    // Once untracked (still on disk), it is ignored again.
    git(dir, &["rm", "-q", "--cached", "settings.env"]);
    let out = sasguard(dir, &["check", "-f", "json", "--now", NOW], None);
    assert_eq!(finding_paths(&out), vec!["app.py", "build/keep.py"]);
}

#[test]
fn the_library_check_the_server_uses_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write(dir, "tracked.env", "x\n");
    git(dir, &["add", "tracked.env"]);
    write(dir, ".gitignore", "*.env\n");
    write(dir, "untracked.env", "x\n");
    assert!(!sasguard::source::gitignore::is_git_ignored(&dir.join("tracked.env")));
    assert!(sasguard::source::gitignore::is_git_ignored(&dir.join("untracked.env")));
    assert!(
        sasguard::source::gitignore::is_git_ignored(&dir.join("new.env")),
        "a path that does not exist yet"
    );
}
