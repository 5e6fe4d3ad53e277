//! `sasguard check --fix`: redacts every finding's signature or key in place, safely; with
//! `--diff`, prints the change instead (secrets redacted in the removed lines too).
//!
//! A fix never loses data and stays where it was pointed: a link is followed to its file
//! and stays a link; a file with several hard links is rewritten in place so it stays one
//! file (a copy of the original sits next to it until the write is complete); other
//! writes are atomic (a temporary file in the same folder, fsync, rename) and keep the
//! owner, group and mode. A read-only file, a file outside the paths given (reached
//! through a link) and anything inside `.git` are reported, not written, and so is a file
//! whose content changed since it was read.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::fix::REDACTED;
use crate::redact::{redact, replace_ranges, scrub, scrub_known, Known};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    Off,
    Write,
    Diff,
}

/// Where `--fix` may write: under the paths given (each resolved through links), and
/// inside `.git` only when asked.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub roots: Vec<PathBuf>,
    pub git_dir: bool,
}

/// `text` with each secret replaced by `REDACTED`.
pub fn redacted(text: &[u8], secrets: &[Range<usize>]) -> Vec<u8> {
    replace_ranges(text, secrets, |_| REDACTED.as_bytes().to_vec())
}

/// Redacts `secrets` in the file at `path` (through a link: in the file it points to),
/// whose content was `original`. The error is the message to report.
pub fn fix_file(path: &Path, original: &[u8], secrets: &[Range<usize>], scope: &Scope) -> Result<(), String> {
    write_fixed(path, original, &redacted(original, secrets), scope)
}

/// Writes `new` in place of the file at `path` (through a link: the file it points to),
/// whose bytes were `original`, with every safety [`fix_file`] has.
pub fn write_fixed(path: &Path, original: &[u8], new: &[u8], scope: &Scope) -> Result<(), String> {
    let target = fs::canonicalize(path).map_err(|e| format!("not fixed: {e}"))?;
    if !scope.git_dir && crate::source::walk::in_git_dir(&target) {
        return Err("not fixed: inside .git (pass --scan-git-dir to allow it)".into());
    }
    if !scope.roots.iter().any(|r| target.starts_with(r)) {
        return Err("not fixed: it links to a file outside the paths given".into());
    }
    let meta = fs::metadata(&target).map_err(|e| format!("not fixed: {e}"))?;
    // Root may write anything; a file nobody may write is still not meant to change.
    if meta.permissions().readonly() {
        return Err("read-only: not fixed".into());
    }
    let result = if links(&meta) > 1 {
        write_in_place(&target, original, new)
    } else {
        write_atomic(&target, original, new)
    };
    result.map_err(|e| format!("not fixed: {e}"))
}

#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &fs::Metadata) -> u64 {
    1
}

/// Gives `f` the owner and group of `meta` (before the mode: a change of owner clears
/// set-id bits).
#[cfg(unix)]
fn same_owner(f: &File, meta: &fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = f.metadata()?;
    if (now.uid(), now.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(f, Some(meta.uid()), Some(meta.gid()))
}

#[cfg(not(unix))]
fn same_owner(_: &File, _: &fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// A name next to `path` for a temporary file.
fn beside(path: &Path, what: &str) -> Result<PathBuf, String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or("not a file")?.to_string_lossy();
    Ok(dir.join(format!(".{name}.sasguard-{}.{what}", std::process::id())))
}

fn sync_dir(path: &Path) {
    if let Some(d) = path
        .parent()
        .and_then(|d| File::open(if d.as_os_str().is_empty() { Path::new(".") } else { d }).ok())
    {
        let _ = d.sync_all();
    }
}

/// Replaces `path` (whose content was `original`) by `new`, atomically, keeping its owner,
/// group and mode. When the owner cannot be kept (not running as root), the file is
/// rewritten in place instead.
pub fn write_atomic(path: &Path, original: &[u8], new: &[u8]) -> Result<(), String> {
    let tmp = beside(path, "tmp")?;
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    let mut owner_kept = true;
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| e.to_string())?;
        f.write_all(new).map_err(|e| e.to_string())?;
        if same_owner(&f, &meta).is_err() {
            owner_kept = false;
            return Ok(());
        }
        f.set_permissions(meta.permissions()).map_err(|e| e.to_string())?;
        f.sync_all().map_err(|e| e.to_string())?;
        let now = fs::read(path).map_err(|e| e.to_string())?;
        if now != original {
            return Err("the file changed since it was read".to_string());
        }
        fs::rename(&tmp, path).map_err(|e| e.to_string())?;
        sync_dir(path);
        Ok(())
    })();
    if result.is_err() || !owner_kept {
        let _ = fs::remove_file(&tmp);
    }
    if result.is_ok() && !owner_kept {
        return write_in_place(path, original, new);
    }
    result
}

/// Rewrites `path` in place (its inode, links, owner and mode stay), with a copy of the
/// original next to it until the new content is on disk: a crash midway leaves the copy.
pub fn write_in_place(path: &Path, original: &[u8], new: &[u8]) -> Result<(), String> {
    let backup = beside(path, "orig")?;
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut b = opts.open(&backup).map_err(|e| e.to_string())?;
    let result = (|| {
        b.write_all(original)
            .and_then(|_| b.sync_all())
            .map_err(|e| e.to_string())?;
        sync_dir(path);
        let mut f = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| e.to_string())?;
        let mut now = Vec::with_capacity(original.len());
        f.read_to_end(&mut now).map_err(|e| e.to_string())?;
        if now != original {
            return Err("the file changed since it was read".to_string());
        }
        f.rewind()
            .and_then(|_| f.write_all(new))
            .and_then(|_| f.set_len(new.len() as u64))
            .and_then(|_| f.sync_all())
            .map_err(|e| e.to_string())
    })();
    let _ = fs::remove_file(&backup);
    result
}

/// A unified diff of the lines that change, with secrets and anything secret-like redacted
/// on both sides, handed to `emit` a hunk at a time (after the header). `secrets` are
/// sorted by start.
pub fn diff(path: &str, original: &[u8], secrets: &[Range<usize>], mut emit: impl FnMut(String)) {
    let path = scrub(path);
    emit(format!("--- a/{path}\n+++ b/{path}\n"));
    // Line numbers are counted on the way, once over the text.
    let (mut number, mut counted) = (1, 0);
    let mut i = 0;
    while i < secrets.len() {
        let s = secrets[i].clone();
        let start = memchr::memrchr(b'\n', &original[..s.start]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &original[s.end..]).map_or(original.len(), |i| s.end + i);
        // Every secret on this line.
        let mut inside = Vec::new();
        while let Some(s) = secrets.get(i).filter(|s| s.start < end) {
            if s.end <= end {
                inside.push(s.start - start..s.end - start);
            }
            i += 1;
        }
        number += memchr::memchr_iter(b'\n', &original[counted.min(start)..start]).count();
        counted = counted.max(start);
        let (shown_old, new) = hunk_lines(&original[start..end], &inside);
        emit(format!(
            "@@ -{number} +{number} @@\n-{}\n+{}\n",
            shown_old.trim_end_matches('\r'),
            new.trim_end_matches('\r')
        ));
    }
}

/// A changed line as removed and as added: the judged secrets (`inside`, sorted) shown
/// redacted and replaced, and everything between them scrubbed of anything secret-like
/// (a key passed next to a token, a copy of a secret however it is cut).
fn hunk_lines(line: &[u8], inside: &[Range<usize>]) -> (String, String) {
    let known = Known::new(inside.iter().map(|r| &line[r.clone()]));
    let (mut old, mut new) = (String::new(), String::new());
    let mut pos = 0;
    for r in inside {
        if r.end <= pos {
            continue;
        }
        let start = r.start.max(pos);
        let between = scrub_known(&String::from_utf8_lossy(&line[pos..start]), &known);
        old.push_str(&between);
        new.push_str(&between);
        old.push_str(&redact(&line[start..r.end]));
        new.push_str(REDACTED);
        pos = r.end;
    }
    let rest = scrub_known(&String::from_utf8_lossy(&line[pos..]), &known);
    old.push_str(&rest);
    new.push_str(&rest);
    (old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_diffs_and_writes_atomically() {
        let text = b"a\r\nkey=abcdefghijklmnop;\r\nz\n";
        let s: Vec<Range<usize>> = std::iter::once(7..23).collect();
        assert_eq!(redacted(text, &s), b"a\r\nkey=REDACTED;\r\nz\n");
        let mut d = String::new();
        diff("f.txt", text, &s, |h| d.push_str(&h));
        assert_eq!(
            d,
            "--- a/f.txt\n+++ b/f.txt\n@@ -2 +2 @@\n-key=ab…op;\n+key=REDACTED;\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        fs::write(&p, text).unwrap();
        write_atomic(&p, text, &redacted(text, &s)).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"a\r\nkey=REDACTED;\r\nz\n");
        // Changed since read: left alone.
        let e = write_atomic(&p, text, b"x").unwrap_err();
        assert!(e.contains("changed"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"a\r\nkey=REDACTED;\r\nz\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn diff_numbers_lines_and_groups_secrets_per_line() {
        let text = b"a\nx=abcdefghij y=klmnopqrst\nb\nz=uvwxyzabcd\n";
        let s = vec![4..14, 17..27, 32..42];
        let mut d = String::new();
        diff("f", text, &s, |h| d.push_str(&h));
        assert_eq!(
            d,
            "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-x=ab…ij y=kl…st\n+x=REDACTED y=REDACTED\n@@ -4 +4 @@\n-z=uv…cd\n+z=REDACTED\n"
        );
    }

    #[test]
    fn hard_links_stay_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&a, "k=abcdefghijklmnop\n").unwrap();
        fs::hard_link(&a, &b).unwrap();
        let scope = Scope {
            roots: vec![fs::canonicalize(dir.path()).unwrap()],
            git_dir: false,
        };
        let secret: Vec<Range<usize>> = std::iter::once(2..18).collect();
        fix_file(&a, b"k=abcdefghijklmnop\n", &secret, &scope).unwrap();
        assert_eq!(fs::read_to_string(&b).unwrap(), "k=REDACTED\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no copy left");
    }
}
