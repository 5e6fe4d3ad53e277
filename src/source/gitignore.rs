//! Does git ignore this path? Checked against the `.gitignore` files from the path's folder
//! up to its repository root (or the filesystem root outside a repository), the
//! repository's `info/exclude` and the global excludes file. Git ignores only untracked
//! files: a file in the repository's index (committed or staged) is never ignored, whatever
//! `.gitignore` says (see [`tracked`]).

pub mod tracked;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// True when git would ignore `path` (a file or a folder that need not exist yet): the
/// ignore rules match it and it is not tracked (for a folder: holds no tracked file).
pub fn is_git_ignored(path: &Path) -> bool {
    let Ok(abs) = std::path::absolute(path) else {
        return false;
    };
    let is_dir = abs.is_dir();
    let rules = Rules::default();
    let Some(dir) = abs.parent() else {
        return false;
    };
    rules.matches(dir, &abs, is_dir, true) && !tracked::covers(rules.repo_of(dir).as_deref(), &abs, is_dir)
}

/// What a walk under one folder leaves out because git ignores it, with each folder's
/// ignore files read once. The folder walked is never left out itself (naming a folder
/// asks for it); inside it, a path is left out when it or a folder between it and the
/// walked folder matches the rules and it is not tracked (a folder: holds no tracked file).
pub struct WalkFilter {
    root: PathBuf,
    rules: Rules,
    /// Folders under `root` that the rules match, by path.
    ignored_dirs: RwLock<HashMap<PathBuf, bool>>,
}

impl WalkFilter {
    pub fn new(root: &Path) -> Self {
        WalkFilter {
            root: std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()),
            rules: Rules::default(),
            ignored_dirs: RwLock::default(),
        }
    }

    /// Whether the walk leaves out `path` (absolute, or relative to the current folder).
    pub fn skips(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(abs) = std::path::absolute(path) else {
            return false;
        };
        let Some(parent) = abs.parent() else {
            return false;
        };
        if abs == self.root || !abs.starts_with(&self.root) {
            return false;
        }
        let ignored = self.dir_ignored(parent) || self.rules.matches(parent, &abs, is_dir, false);
        ignored && !tracked::covers(self.rules.repo_of(parent).as_deref(), &abs, is_dir)
    }

    /// Whether the rules match `dir` or a folder between it and the walked folder.
    fn dir_ignored(&self, dir: &Path) -> bool {
        if dir == self.root || !dir.starts_with(&self.root) {
            return false;
        }
        if let Some(v) = read(&self.ignored_dirs).get(dir) {
            return *v;
        }
        let v = match dir.parent() {
            Some(parent) => self.dir_ignored(parent) || self.rules.matches(parent, dir, true, false),
            None => false,
        };
        write(&self.ignored_dirs).insert(dir.to_path_buf(), v);
        v
    }
}

/// The ignore files of each folder and each folder's repository, read once.
#[derive(Default)]
struct Rules {
    gitignores: RwLock<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
    repos: RwLock<HashMap<PathBuf, Option<PathBuf>>>,
    excludes: RwLock<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
    global: std::sync::OnceLock<Gitignore>,
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|p| p.into_inner())
}

fn matcher(dir: &Path, file: &Path) -> Option<Arc<Gitignore>> {
    if !file.is_file() {
        return None;
    }
    let mut b = GitignoreBuilder::new(dir);
    b.add(file);
    b.build().ok().map(Arc::new)
}

fn cached(
    map: &RwLock<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
    dir: &Path,
    file: impl FnOnce() -> PathBuf,
) -> Option<Arc<Gitignore>> {
    if let Some(m) = read(map).get(dir) {
        return m.clone();
    }
    let m = matcher(dir, &file());
    write(map).insert(dir.to_path_buf(), m.clone());
    m
}

impl Rules {
    /// The repository `dir` belongs to: the nearest folder at or above it holding `.git`.
    fn repo_of(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(r) = read(&self.repos).get(dir) {
            return r.clone();
        }
        let r = if dir.join(".git").exists() {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|p| self.repo_of(p))
        };
        write(&self.repos).insert(dir.to_path_buf(), r.clone());
        r
    }

    /// Whether the rules ignore `path`, whose folder is `dir`. With `any_parents`, a match
    /// of a folder above `path` counts too; without, only `path`'s own name is matched
    /// (a walk looks at the folders on the way down itself).
    fn matches(&self, dir: &Path, path: &Path, is_dir: bool, any_parents: bool) -> bool {
        let repo = self.repo_of(dir);
        fn check<'g>(
            gi: &'g Gitignore,
            path: &Path,
            is_dir: bool,
            any_parents: bool,
        ) -> Match<&'g ignore::gitignore::Glob> {
            if any_parents {
                gi.matched_path_or_any_parents(path, is_dir)
            } else {
                gi.matched(path, is_dir)
            }
        }
        // The deepest file that has an opinion decides, as in git.
        for d in dir.ancestors() {
            if let Some(gi) = cached(&self.gitignores, d, || d.join(".gitignore")) {
                match check(&gi, path, is_dir, any_parents) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            if repo.as_deref() == Some(d) {
                break;
            }
        }
        if let Some(root) = &repo {
            if let Some(gi) = cached(&self.excludes, root, || root.join(".git/info/exclude")) {
                if check(&gi, path, is_dir, any_parents).is_ignore() {
                    return true;
                }
            }
        }
        let global = self.global.get_or_init(|| Gitignore::global().0);
        check(global, path, is_dir, any_parents).is_ignore()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_files_whitelists_and_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git/info")).unwrap();
        std::fs::create_dir_all(root.join("app/conf")).unwrap();
        std::fs::write(root.join(".gitignore"), ".env\n*.log\n").unwrap();
        std::fs::write(root.join("app/.gitignore"), "!keep.log\nsecret.txt\n").unwrap();
        std::fs::write(root.join(".git/info/exclude"), "local/\n").unwrap();
        assert!(is_git_ignored(&root.join(".env")));
        assert!(is_git_ignored(&root.join("app/conf/.env")));
        assert!(is_git_ignored(&root.join("app/x.log")));
        assert!(!is_git_ignored(&root.join("app/keep.log")));
        assert!(is_git_ignored(&root.join("app/secret.txt")));
        assert!(is_git_ignored(&root.join("local/a.txt")));
        assert!(!is_git_ignored(&root.join("app/main.py")));
    }

    #[test]
    fn a_walk_leaves_out_what_is_ignored_below_the_folder_walked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("build/sub")).unwrap();
        std::fs::write(root.join(".gitignore"), "build/\n*.log\n").unwrap();
        let f = WalkFilter::new(root);
        assert!(f.skips(&root.join("build"), true));
        assert!(f.skips(&root.join("build/sub/x.py"), false), "inside an ignored folder");
        assert!(f.skips(&root.join("a.log"), false));
        assert!(!f.skips(&root.join("a.py"), false));
        // Walking the ignored folder itself: it was asked for.
        let f = WalkFilter::new(&root.join("build"));
        assert!(!f.skips(&root.join("build/sub/x.py"), false));
        assert!(f.skips(&root.join("build/sub/x.log"), false));
    }
}
