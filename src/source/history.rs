//! A repository's history, as `check --history` reads it: every commit reachable from the
//! revisions given (all refs by default), oldest first, and for each the files it added,
//! changed or deleted against its first parent. Every blob reachable from a commit is
//! added by some commit this way, so the blobs listed are all of them, each once, with
//! the commit and path that first brought it. Only ids and paths are held; blob bytes
//! are streamed by [`super::blobs`] and dropped once scanned.
//!
//! Read through one `git log --raw` (tree diffs, no patches): the same plumbing git's
//! own tools use, so any repository git reads (packs, alternates, SHA-256) is read here.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::git;

/// A commit: its id, its first parent among the commits read, its author time.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: Box<str>,
    pub parent: Option<u32>,
    pub time: i64,
}

/// A distinct blob and where it first appeared.
#[derive(Debug, Clone)]
pub struct Blob {
    pub id: Box<str>,
    pub first_commit: u32,
    pub first_path: u32,
}

/// A commit setting a path to a blob (or deleting it: `blob` is `None`).
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub commit: u32,
    pub path: u32,
    pub blob: Option<u32>,
}

#[derive(Debug, Default)]
pub struct History {
    pub top: PathBuf,
    /// Oldest first: every commit comes after its parents.
    pub commits: Vec<Commit>,
    /// In the order they first appeared.
    pub blobs: Vec<Blob>,
    pub paths: Vec<String>,
    /// In commit order.
    pub changes: Vec<Change>,
    /// Commits whose parents a shallow clone does not have.
    pub shallow: usize,
}

/// What to read: all refs, or the revisions (ranges, branches) given.
pub fn read(top: &Path, revs: &[String], mut progress: impl FnMut(&History)) -> Result<History, String> {
    let mut args: Vec<&str> = vec![
        "log",
        "--format=%x01%H %P%x02%at",
        "-z",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--root",
        "--topo-order",
        "--reverse",
        "--diff-merges=first-parent",
        "--no-textconv",
        "--no-ext-diff",
    ];
    if revs.is_empty() {
        args.push("--all");
    } else {
        args.extend(revs.iter().map(String::as_str));
    }
    args.push("--");
    let mut child = git::command(top)
        .args(["-c", "core.quotePath=false", "-c", "log.showSignature=false"])
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("--history needs git: {e}"))?;
    let mut err = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = err.as_mut() {
            let _ = e.take(64 << 10).read_to_string(&mut s);
        }
        s
    });
    let mut h = History {
        top: top.to_path_buf(),
        ..History::default()
    };
    let parsed = match child.stdout.take() {
        Some(out) => parse(BufReader::with_capacity(1 << 20, out), &mut h, &mut progress),
        None => Ok(()),
    };
    let status = child.wait().map_err(|e| format!("git log: {e}"))?;
    let stderr = errors.join().unwrap_or_default();
    if !status.success() {
        let msg = stderr.trim();
        // An empty repository has no history to read.
        if h.commits.is_empty() && (msg.contains("does not have any commits") || msg.contains("bad default revision")) {
            return Ok(h);
        }
        return Err(format!("git log: {}", crate::redact::scrub(msg)));
    }
    parsed?;
    h.shallow = shallow_boundary(top);
    Ok(h)
}

/// Reads `git log` output as [`read`] asks for it (`-z --raw`, a `\x01id parents\x02time`
/// header per commit) into `h`.
pub fn parse(mut r: impl BufRead, h: &mut History, progress: &mut impl FnMut(&History)) -> Result<(), String> {
    let mut commit_ix: HashMap<Box<str>, u32> = HashMap::new();
    let mut blob_ix: HashMap<Box<str>, u32> = HashMap::new();
    let mut path_ix: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut field = Vec::new();
    // The raw entry whose path comes next: (new blob id or None for a deletion, skip).
    let mut pending: Option<(Option<Box<str>>, bool)> = None;
    loop {
        field.clear();
        let n = r.read_until(0, &mut field).map_err(|e| format!("git log: {e}"))?;
        if n == 0 {
            break;
        }
        if field.last() == Some(&0) {
            field.pop();
        }
        if let Some((blob, skip)) = pending.take() {
            if skip {
                continue;
            }
            let commit = h
                .commits
                .len()
                .checked_sub(1)
                .ok_or("git log: a change before any commit")? as u32;
            let next = h.paths.len() as u32;
            let path = *path_ix.entry(field.clone()).or_insert_with(|| {
                h.paths.push(String::from_utf8_lossy(&field).into_owned());
                next
            });
            let blob = blob.map(|id| {
                let next = h.blobs.len() as u32;
                *blob_ix.entry(id.clone()).or_insert_with(|| {
                    h.blobs.push(Blob {
                        id,
                        first_commit: commit,
                        first_path: path,
                    });
                    next
                })
            });
            h.changes.push(Change { commit, path, blob });
            continue;
        }
        let f = field.strip_prefix(b"\n").unwrap_or(&field);
        if let Some(header) = f.strip_prefix(b"\x01") {
            let text = String::from_utf8_lossy(header);
            let (ids, time) = text.split_once('\x02').ok_or("git log: unexpected output")?;
            let mut ids = ids.split(' ');
            let id: Box<str> = ids.next().unwrap_or_default().into();
            let parent = ids.next().and_then(|p| commit_ix.get(p).copied());
            commit_ix.insert(id.clone(), h.commits.len() as u32);
            h.commits.push(Commit {
                id,
                parent,
                time: time.trim().parse().unwrap_or(0),
            });
            if h.commits.len() % 256 == 0 {
                progress(h);
            }
        } else if let Some(meta) = f.strip_prefix(b":") {
            // `:oldmode newmode oldid newid status`
            let meta = String::from_utf8_lossy(meta);
            let parts: Vec<&str> = meta.split(' ').collect();
            let [_, mode, _, new, status] = parts[..] else {
                return Err("git log: unexpected raw diff line".into());
            };
            // Submodules are commits of another repository, not files.
            let skip = mode == "160000";
            let blob = (!status.starts_with('D')).then(|| new.into());
            pending = Some((blob, skip));
        }
    }
    Ok(())
}

/// A partial clone (`--filter`) leaves blobs on its promisor remote until asked for.
pub fn is_partial_clone(top: &Path) -> bool {
    let keys = r"^(extensions\.partialclone|remote\..*\.promisor)$";
    git::run(top, &["config", "--get-regexp", keys], "--history").is_ok_and(|o| {
        String::from_utf8_lossy(&o)
            .lines()
            .any(|l| l.split_once(' ').is_some_and(|(_, v)| v.trim() != "false"))
    })
}

/// How many commits a shallow clone cuts history at.
fn shallow_boundary(top: &Path) -> usize {
    let Ok(dir) = git::run(top, &["rev-parse", "--git-common-dir"], "--history") else {
        return 0;
    };
    let dir = PathBuf::from(String::from_utf8_lossy(&dir).trim_end_matches(['\n', '\r']));
    let dir = if dir.is_absolute() { dir } else { top.join(dir) };
    std::fs::read_to_string(dir.join("shallow")).map_or(0, |s| s.lines().filter(|l| !l.trim().is_empty()).count())
}
