//! Streaming blobs out of git's object store with one `git cat-file --batch`: ids go in on
//! one thread while contents come out on another, so memory holds one blob at a time
//! (the caller bounds how many it keeps in flight). Blobs above the size limit are read
//! past, not kept; missing ones (a partial clone) are reported, never fetched.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Stdio;

use super::git;

/// What came out for one id.
pub enum BlobRead {
    Bytes(Vec<u8>),
    /// Larger than the limit: its size.
    TooBig(u64),
    /// Not in the object store.
    Missing,
}

/// Calls `each(i, read)` for every id of `ids`, in order. Stops at the first error (git
/// stopping early, a corrupt object), which it returns with git's message.
pub fn read_all(top: &Path, ids: &[&str], max: u64, mut each: impl FnMut(usize, BlobRead)) -> Result<(), String> {
    let mut child = git::command(top)
        .args(["cat-file", "--batch", "--buffer"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("--history needs git: {e}"))?;
    let (Some(mut input), Some(output), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err("git cat-file: no pipes".into());
    };
    let (read, stderr) = std::thread::scope(|s| {
        s.spawn(move || {
            let mut w = std::io::BufWriter::with_capacity(64 << 10, &mut input);
            for id in ids {
                if w.write_all(id.as_bytes()).and_then(|()| w.write_all(b"\n")).is_err() {
                    // git stopped reading: the reader reports why.
                    return;
                }
            }
            let _ = w.flush();
        });
        let errors = s.spawn(move || {
            let mut e = String::new();
            let _ = (&mut stderr).take(64 << 10).read_to_string(&mut e);
            e
        });
        let read = read_each(BufReader::with_capacity(1 << 20, output), ids.len(), max, &mut each);
        (read, errors.join().unwrap_or_default())
    });
    let status = child.wait().map_err(|e| format!("git cat-file: {e}"))?;
    let stderr = stderr.trim();
    match read {
        Err(e) if stderr.is_empty() => Err(format!("git cat-file: {e}")),
        Err(_) => Err(format!("git cat-file: {}", crate::redact::scrub(stderr))),
        Ok(()) if !status.success() => Err(format!("git cat-file: {}", crate::redact::scrub(stderr))),
        Ok(()) => Ok(()),
    }
}

/// Reads `git cat-file --batch` output for `n` requested ids.
pub fn read_each(
    mut r: impl BufRead,
    n: usize,
    max: u64,
    each: &mut impl FnMut(usize, BlobRead),
) -> Result<(), String> {
    let mut header = Vec::new();
    for i in 0..n {
        header.clear();
        r.read_until(b'\n', &mut header).map_err(|e| e.to_string())?;
        if header.last() != Some(&b'\n') {
            return Err("stopped before every blob was read".into());
        }
        header.pop();
        let line = String::from_utf8_lossy(&header);
        // `<id> <type> <size>`, or `<id> missing`.
        let mut fields = line.split(' ');
        let (_, kind, size) = (fields.next(), fields.next(), fields.next());
        let size: u64 = match (kind, size) {
            (Some("missing"), _) => {
                each(i, BlobRead::Missing);
                continue;
            }
            (Some(_), Some(size)) => size.parse().map_err(|_| format!("unexpected output: {line}"))?,
            _ => return Err(format!("unexpected output: {line}")),
        };
        if size > max {
            std::io::copy(&mut (&mut r).take(size.saturating_add(1)), &mut std::io::sink())
                .map_err(|e| e.to_string())?;
            each(i, BlobRead::TooBig(size));
            continue;
        }
        let mut bytes = Vec::with_capacity(size as usize + 1);
        (&mut r)
            .take(size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        if bytes.pop() != Some(b'\n') || bytes.len() as u64 != size {
            return Err("stopped in the middle of a blob".into());
        }
        each(i, BlobRead::Bytes(bytes));
    }
    Ok(())
}
