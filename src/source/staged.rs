//! `check --staged`: what is about to be committed. The index's version of each staged
//! file (added, copied, modified, renamed; not deleted) is read from git's object store,
//! not from the working tree, and reported under its real path. Reads through the `git`
//! command: `diff --cached` for the paths, `ls-files --stage` for their blobs, `cat-file`
//! for each blob's bytes (at most `maxFileSize` + 1 of them).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// One staged file.
#[derive(Debug, Clone)]
pub struct Staged {
    /// The repository's top folder.
    pub repo: PathBuf,
    /// Its path in the working tree.
    pub path: PathBuf,
    /// The blob the index holds for it.
    pub blob: String,
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    super::git::run(dir, args, "--staged")
}

/// The staged files under `pathspecs` (all when empty), in path order.
pub fn staged(cwd: &Path, pathspecs: &[PathBuf]) -> Result<Vec<Staged>, String> {
    let top = super::git::toplevel(cwd, "--staged")?;
    let specs: Vec<String> = pathspecs.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let mut diff = vec![
        "diff",
        "--cached",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-filter=d",
        "--",
    ];
    diff.extend(specs.iter().map(String::as_str));
    let names = git(cwd, &diff)?;
    let wanted: std::collections::HashSet<&[u8]> = names.split(|&b| b == 0).filter(|n| !n.is_empty()).collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    // `mode blob stage\tpath`, NUL-terminated, paths from the top as `diff` gives them.
    let index = git(&top, &["ls-files", "--stage", "-z"])?;
    let mut out = Vec::new();
    for entry in index.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let Some(tab) = entry.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let (meta, path) = (&entry[..tab], &entry[tab + 1..]);
        let mut fields = meta.split(|&b| b == b' ');
        let (Some(mode), Some(blob)) = (fields.next(), fields.next()) else {
            continue;
        };
        // Submodules are commits, not files.
        if mode == b"160000" || !wanted.contains(path) {
            continue;
        }
        out.push(Staged {
            repo: top.clone(),
            path: top.join(String::from_utf8_lossy(path).as_ref()),
            blob: String::from_utf8_lossy(blob).into_owned(),
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// The blob's bytes, or `None` when it holds more than `max` of them.
pub fn read_blob(dir: &Path, blob: &str, max: u64) -> Result<Option<Vec<u8>>, String> {
    let mut child = super::git::command(dir)
        .args(["cat-file", "blob", blob])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("git cat-file: {e}"))?;
    let mut bytes = Vec::new();
    let read = child
        .stdout
        .take()
        .map(|s| s.take(max.saturating_add(1)).read_to_end(&mut bytes));
    let too_big = bytes.len() as u64 > max;
    if too_big {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| format!("git cat-file: {e}"))?;
    match read {
        Some(Err(e)) => Err(format!("git cat-file: {e}")),
        _ if too_big => Ok(None),
        _ if !status.success() => Err(format!("git cat-file: cannot read staged blob {blob}")),
        _ => Ok(Some(bytes)),
    }
}
