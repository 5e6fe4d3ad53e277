//! `--fix` never loses data and stays where it was pointed: links, hard links, owners,
//! modes, read-only files, `-L` outside the named paths, and `.git`.

mod cli_support;
mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use cli_support::{sas_line, sasguard, write, NOW};
use common::{pct, sig};

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

fn redacted(seed: u64) -> String {
    sas_line(seed).replace(&pct(&sig(seed)), "REDACTED")
}

#[test]
fn a_symlink_keeps_being_a_link_and_its_target_is_redacted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "real.py", sas_line(60));
    std::os::unix::fs::symlink("real.py", dir.join("link.py")).unwrap();
    let out = sasguard(dir, &["check", "--fix", "--now", NOW, "link.py"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(fs::symlink_metadata(dir.join("link.py"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(dir.join("link.py")).unwrap(), Path::new("real.py"));
    assert_eq!(read(&dir.join("real.py")), redacted(60));

    // Met in a walk with -L: a link to a file inside the tree is fixed once, through
    // the file itself; the link stays a link.
    write(dir, "tree/c.py", sas_line(61));
    std::os::unix::fs::symlink("c.py", dir.join("tree/b.py")).unwrap();
    let out = sasguard(dir, &["check", "--fix", "-L", "--now", NOW, "tree"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(fs::symlink_metadata(dir.join("tree/b.py"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&dir.join("tree/c.py")), redacted(61));
    assert!(
        out.stderr.contains("redacted 1 secret(s) in 1 file(s)"),
        "{}",
        out.stderr
    );
}

#[test]
fn with_follow_nothing_outside_the_named_paths_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "outside/secret.py", sas_line(62));
    write(dir, "outside2/other.py", sas_line(69));
    write(dir, "tree/own.py", sas_line(63));
    std::os::unix::fs::symlink("../outside/secret.py", dir.join("tree/a.py")).unwrap();
    std::os::unix::fs::symlink("../outside2", dir.join("tree/dir")).unwrap();
    let out = sasguard(dir, &["check", "--fix", "-L", "--now", NOW, "tree"], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        read(&dir.join("outside/secret.py")),
        sas_line(62),
        "written outside the named path"
    );
    assert_eq!(read(&dir.join("tree/own.py")), redacted(63));
    assert!(
        out.stderr
            .contains("tree/a.py: not fixed: it links to a file outside the paths given"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("tree/dir/other.py: not fixed"), "{}", out.stderr);
    assert_eq!(read(&dir.join("outside2/other.py")), sas_line(69));
    assert!(fs::symlink_metadata(dir.join("tree/a.py"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn hard_links_owner_group_and_mode_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.py", sas_line(64));
    fs::hard_link(dir.join("a.py"), dir.join("b.py")).unwrap();
    write(dir, "owned.py", sas_line(65));
    for name in ["a.py", "owned.py"] {
        let p = dir.join(name);
        std::os::unix::fs::chown(&p, Some(12345), Some(23456)).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o604)).unwrap();
    }
    let out = sasguard(dir, &["check", "--fix", "--now", NOW, "a.py", "owned.py"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (a, b) = (
        fs::metadata(dir.join("a.py")).unwrap(),
        fs::metadata(dir.join("b.py")).unwrap(),
    );
    assert_eq!(a.ino(), b.ino(), "the hard link was split");
    assert_eq!(a.nlink(), 2);
    assert_eq!(read(&dir.join("b.py")), redacted(64));
    for name in ["a.py", "owned.py"] {
        let m = fs::metadata(dir.join(name)).unwrap();
        assert_eq!((m.uid(), m.gid(), m.mode() & 0o7777), (12345, 23456, 0o604), "{name}");
    }
    assert_eq!(read(&dir.join("owned.py")), redacted(65));
    let left: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 3, "no temporary or backup file left: {left:?}");

    // Both names in one walk: fixed once, the other name noted.
    write(dir, "w/x.py", sas_line(66));
    fs::hard_link(dir.join("w/x.py"), dir.join("w/y.py")).unwrap();
    let out = sasguard(dir, &["check", "--fix", "--now", NOW, "w"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(read(&dir.join("w/y.py")), redacted(66));
    assert!(
        out.stderr.contains("redacted 1 secret(s) in 1 file(s)"),
        "{}",
        out.stderr
    );
}

#[test]
fn read_only_files_are_reported_not_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "ro.py", sas_line(67));
    fs::set_permissions(dir.join("ro.py"), fs::Permissions::from_mode(0o444)).unwrap();
    let out = sasguard(dir, &["check", "--fix", "--now", NOW], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("ro.py: read-only: not fixed"), "{}", out.stderr);
    assert_eq!(read(&dir.join("ro.py")), sas_line(67));
    assert_eq!(fs::metadata(dir.join("ro.py")).unwrap().mode() & 0o777, 0o444);
}

#[test]
fn git_dir_is_neither_walked_nor_written_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let config = format!("[remote \"origin\"]\n\t{}", sas_line(68));
    write(dir, ".git/config", &config);
    write(dir, "app.py", "nothing\n");
    for args in [
        &["check", "--now", NOW, ".git"][..],
        &["check", "--now", NOW, "./.git/"],
        &["check", "--now", NOW, ".git/config"],
        &["check", "--fix", "--now", NOW, ".git/config"],
        &["check", "--fix", "--now", NOW, ".git"],
    ] {
        let out = sasguard(dir, args, None);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("skipped: inside .git"), "{args:?}: {}", out.stderr);
        assert!(out.stdout.contains("No findings"), "{args:?}: {}", out.stdout);
        assert_eq!(read(&dir.join(".git/config")), config, "{args:?} wrote inside .git");
    }
    // From inside it, or through a link to it, still not.
    let out = sasguard(&dir.join(".git"), &["check", "--fix", "--now", NOW], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::os::unix::fs::symlink(".git/config", dir.join("cfg")).unwrap();
    let out = sasguard(dir, &["check", "--fix", "--now", NOW, "cfg"], None);
    assert!(out.stderr.contains("skipped: inside .git"), "{}", out.stderr);
    assert_eq!(read(&dir.join(".git/config")), config);

    // Asked for: scanned, and fixed.
    let out = sasguard(dir, &["check", "--now", NOW, "--scan-git-dir", ".git"], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains(".git/config:2:"), "{}", out.stdout);
    let out = sasguard(
        dir,
        &["check", "--fix", "--scan-git-dir", "--now", NOW, ".git/config"],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        read(&dir.join(".git/config")),
        format!("[remote \"origin\"]\n\t{}", redacted(68))
    );
    let help = sasguard(dir, &["--help"], None);
    assert!(help.stdout.contains("--scan-git-dir"), "{}", help.stdout);
}
