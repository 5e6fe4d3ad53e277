//! Does git ignore this path? Checked against the `.gitignore` files from the path's folder
//! up to its repository root (or the filesystem root outside a repository), the
//! repository's `info/exclude` and the global excludes file.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

fn matcher(dir: &Path, file: &Path) -> Option<Gitignore> {
    if !file.is_file() {
        return None;
    }
    let mut b = GitignoreBuilder::new(dir);
    b.add(file);
    b.build().ok()
}

/// True when git would ignore `path` (a file or a folder that need not exist yet).
pub fn is_git_ignored(path: &Path) -> bool {
    let Ok(abs) = std::path::absolute(path) else {
        return false;
    };
    let is_dir = abs.is_dir();
    let dirs: Vec<PathBuf> = abs.ancestors().skip(1).map(Path::to_path_buf).collect();
    let repo = dirs.iter().position(|d| d.join(".git").exists());
    let searched = match repo {
        Some(i) => &dirs[..=i],
        None => &dirs[..],
    };
    // The deepest file that has an opinion decides, as in git.
    for dir in searched {
        if let Some(gi) = matcher(dir, &dir.join(".gitignore")) {
            match gi.matched_path_or_any_parents(&abs, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
    }
    if let Some(i) = repo {
        let root = &dirs[i];
        if let Some(gi) = matcher(root, &root.join(".git/info/exclude")) {
            if gi.matched_path_or_any_parents(&abs, is_dir).is_ignore() {
                return true;
            }
        }
    }
    let (global, _) = Gitignore::global();
    global.matched_path_or_any_parents(&abs, is_dir).is_ignore()
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
}
