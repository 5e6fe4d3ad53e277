//! Which files git tracks: `git ls-files` once per repository, cached until the
//! repository's index changes. Without git (or outside a repository git accepts), no file
//! counts as tracked and the ignore rules alone decide.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

type Files = Arc<BTreeSet<PathBuf>>;
/// The index file's modification time and length when it was listed.
type Stamp = Option<(SystemTime, u64)>;

static CACHE: Mutex<Vec<(PathBuf, Stamp, Option<Files>)>> = Mutex::new(Vec::new());

/// Whether git tracks `path` (absolute) in the repository rooted at `repo`; for a folder,
/// whether it holds a tracked file.
pub fn covers(repo: Option<&Path>, path: &Path, is_dir: bool) -> bool {
    let Some(files) = repo.and_then(files) else {
        return false;
    };
    if is_dir {
        // Paths order by component, so a folder's files follow it directly.
        files
            .range(path.to_path_buf()..)
            .next()
            .is_some_and(|p| p.starts_with(path))
    } else {
        files.contains(path)
    }
}

/// The tracked files of the repository rooted at `repo`, as absolute paths.
fn files(repo: &Path) -> Option<Files> {
    let stamp = index_path(repo)
        .and_then(|i| std::fs::metadata(i).ok())
        .and_then(|m| Some((m.modified().ok()?, m.len())));
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, s, files)) = cache.iter().find(|(r, _, _)| r == repo) {
        if *s == stamp {
            return files.clone();
        }
    }
    let files = list(repo).map(Arc::new);
    cache.retain(|(r, _, _)| r != repo);
    // A language server sees few repositories; keep the cache from growing anyway.
    if cache.len() >= 16 {
        cache.remove(0);
    }
    cache.push((repo.to_path_buf(), stamp, files.clone()));
    files
}

/// `.git/index`, or the index of the repository a `.git` file (a worktree, a submodule)
/// points to.
fn index_path(repo: &Path) -> Option<PathBuf> {
    let dot_git = repo.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git.join("index"));
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let dir = text.strip_prefix("gitdir:")?.trim();
    Some(repo.join(dir).join("index"))
}

fn list(repo: &Path) -> Option<BTreeSet<PathBuf>> {
    let out = Command::new("git")
        // The repository's own config must not run anything (an fsmonitor hook).
        .args(["-c", "core.fsmonitor=false", "-C"])
        .arg(repo)
        .args(["ls-files", "-z"])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_COMMON_DIR")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(
        out.stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| repo.join(from_bytes(p)))
            .collect(),
    )
}

#[cfg(unix)]
fn from_bytes(p: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(p))
}

#[cfg(not(unix))]
fn from_bytes(p: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(p).into_owned())
}
