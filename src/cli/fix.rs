//! `sasguard check --fix`: redacts every finding's signature or key in place, safely; with
//! `--diff`, prints the change instead (secrets redacted in the removed lines too).
//! Writes are atomic (a temporary file in the same folder, fsync, rename), keep the file's
//! permissions and every other byte (line endings, encoding), and never replace a file
//! whose content changed since it was read.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::ops::Range;
use std::path::Path;

use crate::fix::REDACTED;
use crate::redact::{redact_ranges, replace_ranges};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    Off,
    Write,
    Diff,
}

/// `text` with each secret replaced by `REDACTED`.
pub fn redacted(text: &[u8], secrets: &[Range<usize>]) -> Vec<u8> {
    replace_ranges(text, secrets, |_| REDACTED.as_bytes().to_vec())
}

/// Replaces `path` (whose content was `original`) by `new`, atomically.
pub fn write_atomic(path: &Path, original: &[u8], new: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or("not a file")?.to_string_lossy();
    let tmp = dir.join(format!(".{name}.sasguard-{}.tmp", std::process::id()));
    let perms = fs::metadata(path).map_err(|e| e.to_string())?.permissions();
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| e.to_string())?;
        f.write_all(new).map_err(|e| e.to_string())?;
        f.sync_all().map_err(|e| e.to_string())?;
        fs::set_permissions(&tmp, perms).map_err(|e| e.to_string())?;
        let now = fs::read(path).map_err(|e| e.to_string())?;
        if now != original {
            return Err("the file changed since it was read; not fixed".to_string());
        }
        fs::rename(&tmp, path).map_err(|e| e.to_string())?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A unified diff of the lines that change, the removed lines with secrets redacted.
pub fn diff(path: &str, original: &[u8], secrets: &[Range<usize>]) -> String {
    let mut lines: Vec<Range<usize>> = Vec::new();
    for s in secrets {
        let start = original[..s.start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = original[s.end..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(original.len(), |i| s.end + i);
        if lines.last().is_none_or(|l| l.start != start) {
            lines.push(start..end);
        }
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for line in lines {
        let number = original[..line.start].iter().filter(|&&b| b == b'\n').count() + 1;
        let inside: Vec<Range<usize>> = secrets
            .iter()
            .filter(|s| s.start >= line.start && s.end <= line.end)
            .map(|s| s.start - line.start..s.end - line.start)
            .collect();
        let old = &original[line.clone()];
        let shown_old = String::from_utf8_lossy(&redact_ranges(old, &inside)).into_owned();
        let new = String::from_utf8_lossy(&redacted(old, &inside)).into_owned();
        out.push_str(&format!(
            "@@ -{number} +{number} @@\n-{}\n+{}\n",
            shown_old.trim_end_matches('\r'),
            new.trim_end_matches('\r')
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_diffs_and_writes_atomically() {
        let text = b"a\r\nkey=abcdefghijklmnop;\r\nz\n";
        let s: Vec<Range<usize>> = std::iter::once(7..23).collect();
        assert_eq!(redacted(text, &s), b"a\r\nkey=REDACTED;\r\nz\n");
        let d = diff("f.txt", text, &s);
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
}
