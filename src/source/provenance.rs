//! Where a blob lives in the history read: every path it was added under, the commit that
//! first brought it, whether `HEAD` still holds it (and if not, the commit on `HEAD`'s
//! line that removed it), and how many commits' trees hold it. Computed only for the
//! blobs asked about, by replaying the changes: a commit's tree is its first parent's with
//! the commit's changes applied, tracked only for the paths those blobs sit at.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::process::Stdio;
use std::rc::Rc;

use super::git;
use super::history::History;
use crate::redact::scrub_path;

/// A commit as reports show it. The summary line is scrubbed of anything secret-shaped.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommitInfo {
    pub id: String,
    #[serde(rename = "shortId")]
    pub short: String,
    /// Author date, ISO 8601.
    pub date: String,
    pub summary: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Provenance {
    pub blob: String,
    /// Every path the blob was added under, the first one first, with anything
    /// secret-like in a name redacted.
    pub paths: Vec<String>,
    #[serde(rename = "introducedIn")]
    pub first: CommitInfo,
    /// `HEAD` holds the blob.
    #[serde(rename = "atHead")]
    pub at_head: bool,
    /// The commit on `HEAD`'s first-parent line that took it out of the tree.
    #[serde(rename = "removedIn")]
    pub removed_in: Option<CommitInfo>,
    /// How many of the commits read hold the blob in their tree.
    pub commits: usize,
}

type State = Rc<Vec<(u32, u32)>>;

/// The provenance of each blob of `wanted` (indices into `h.blobs`), in that order.
pub fn attribute(h: &History, wanted: &[u32]) -> Result<Vec<Provenance>, String> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let set: HashSet<u32> = wanted.iter().copied().collect();
    let states = replay(h, &set);
    let mut carried: HashMap<u32, usize> = HashMap::new();
    for s in &states {
        let mut seen: Vec<u32> = s.iter().map(|&(_, b)| b).collect();
        seen.sort_unstable();
        seen.dedup();
        for b in seen {
            *carried.entry(b).or_default() += 1;
        }
    }
    let head = head_index(h);
    let at_head: HashSet<u32> = match head {
        Some(i) => states[i as usize].iter().map(|&(_, b)| b).collect(),
        None => head_blobs(h, &set),
    };
    // Walk `HEAD`'s first-parent line back: the newest commit whose parent held a blob
    // it does not is where that blob left `HEAD`'s tree.
    let mut removed: HashMap<u32, u32> = HashMap::new();
    let mut c = head;
    while let Some(i) = c {
        let Some(p) = h.commits[i as usize].parent else { break };
        for &(_, b) in states[p as usize].iter() {
            if !states[i as usize].iter().any(|&(_, x)| x == b) {
                removed.entry(b).or_insert(i);
            }
        }
        c = Some(p);
    }
    let mut commits: Vec<u32> = wanted.iter().map(|&b| h.blobs[b as usize].first_commit).collect();
    commits.extend(wanted.iter().filter_map(|b| removed.get(b)));
    let info = describe(h, &commits)?;
    let mut paths: HashMap<u32, Vec<u32>> = HashMap::new();
    for ch in &h.changes {
        if let Some(b) = ch.blob.filter(|b| set.contains(b)) {
            let ps = paths.entry(b).or_default();
            if !ps.contains(&ch.path) {
                ps.push(ch.path);
            }
        }
    }
    Ok(wanted
        .iter()
        .map(|&b| {
            let blob = &h.blobs[b as usize];
            let held = at_head.contains(&b);
            Provenance {
                blob: blob.id.to_string(),
                // A file name can hold a secret: paths leave here redacted.
                paths: paths
                    .get(&b)
                    .map(|ps| ps.iter().map(|&p| scrub_path(&h.paths[p as usize])).collect())
                    .unwrap_or_else(|| vec![scrub_path(&h.paths[blob.first_path as usize])]),
                first: info[&blob.first_commit].clone(),
                at_head: held,
                removed_in: (!held).then(|| removed.get(&b).map(|c| info[c].clone())).flatten(),
                commits: carried.get(&b).copied().unwrap_or(0),
            }
        })
        .collect())
}

/// Each commit's tree, restricted to the wanted blobs: `(path, blob)` pairs.
fn replay(h: &History, wanted: &HashSet<u32>) -> Vec<State> {
    let empty: State = Rc::new(Vec::new());
    let mut states: Vec<State> = Vec::with_capacity(h.commits.len());
    let mut changes = h.changes.iter().peekable();
    for (i, c) in h.commits.iter().enumerate() {
        let mut state = c.parent.map_or_else(|| empty.clone(), |p| states[p as usize].clone());
        while let Some(ch) = changes.next_if(|ch| ch.commit as usize == i) {
            let held = state.iter().position(|&(p, _)| p == ch.path);
            let keep = ch.blob.filter(|b| wanted.contains(b));
            match (held, keep) {
                (None, None) => {}
                (Some(at), None) => {
                    Rc::make_mut(&mut state).remove(at);
                }
                (Some(at), Some(b)) => Rc::make_mut(&mut state)[at].1 = b,
                (None, Some(b)) => Rc::make_mut(&mut state).push((ch.path, b)),
            }
        }
        states.push(state);
    }
    states
}

fn head_index(h: &History) -> Option<u32> {
    let id = git::run(&h.top, &["rev-parse", "-q", "--verify", "HEAD^{commit}"], "--history").ok()?;
    let id = String::from_utf8_lossy(&id);
    let id = id.trim();
    h.commits.iter().rposition(|c| &*c.id == id).map(|i| i as u32)
}

/// The wanted blobs `HEAD`'s tree holds, when `HEAD` is not among the commits read.
fn head_blobs(h: &History, wanted: &HashSet<u32>) -> HashSet<u32> {
    let Ok(tree) = git::run(&h.top, &["ls-tree", "-r", "-z", "HEAD"], "--history") else {
        return HashSet::new();
    };
    let ids: HashMap<&str, u32> = wanted.iter().map(|&b| (&*h.blobs[b as usize].id, b)).collect();
    tree.split(|&b| b == 0)
        .filter_map(|e| {
            let meta = &e[..e.iter().position(|&b| b == b'\t')?];
            let id = std::str::from_utf8(meta.rsplit(|&b| b == b' ').next()?).ok()?;
            ids.get(id).copied()
        })
        .collect()
}

/// Id, short id, date and summary of each commit (indices into `h.commits`).
fn describe(h: &History, commits: &[u32]) -> Result<HashMap<u32, CommitInfo>, String> {
    let mut child = git::command(&h.top)
        .args([
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--format=%H%x00%h%x00%aI%x00%s%x00",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("git log: {e}"))?;
    let mut unique: Vec<u32> = commits.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let ids: String = unique
        .iter()
        .map(|&c| format!("{}\n", h.commits[c as usize].id))
        .collect();
    let input = child.stdin.take();
    let writer = std::thread::spawn(move || input.map(|mut i| i.write_all(ids.as_bytes())));
    let mut out = Vec::new();
    if let Some(mut o) = child.stdout.take() {
        o.read_to_end(&mut out).map_err(|e| format!("git log: {e}"))?;
    }
    let _ = writer.join();
    child.wait().map_err(|e| format!("git log: {e}"))?;
    let by_id: HashMap<&str, u32> = unique.iter().map(|&c| (&*h.commits[c as usize].id, c)).collect();
    let text = String::from_utf8_lossy(&out);
    let mut fields = text.split('\0').map(|f| f.trim_start_matches('\n'));
    let mut info = HashMap::new();
    while let (Some(id), Some(short), Some(date), Some(summary)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    {
        if let Some(&c) = by_id.get(id) {
            let summary = crate::redact::scrub(summary);
            info.insert(
                c,
                CommitInfo {
                    id: id.into(),
                    short: short.into(),
                    date: date.into(),
                    summary,
                },
            );
        }
    }
    for c in unique {
        info.entry(c).or_insert_with(|| {
            let id = h.commits[c as usize].id.to_string();
            CommitInfo {
                short: id.chars().take(7).collect(),
                id,
                date: String::new(),
                summary: String::new(),
            }
        });
    }
    Ok(info)
}
