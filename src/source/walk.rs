//! Walking paths in parallel, for the command line and the server's workspace scan:
//! ignore files and exclude globs honoured (git's ignore rules for untracked files only),
//! `.git` left out, and what cannot be walked reported.

use std::path::{Component, Path, PathBuf};

use ignore::overrides::{Override, OverrideBuilder};
use ignore::{WalkBuilder, WalkState};

use super::gitignore::WalkFilter;

/// How much of a file is looked at to decide whether it is binary.
const BINARY_PROBE: usize = 8 * 1024;

/// A path and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// Gitignore-style exclude globs rooted at `root`.
pub fn exclude_globs(root: &Path, globs: &[String]) -> Result<Override, String> {
    let mut b = OverrideBuilder::new(root);
    for g in globs {
        b.add(&format!("!{g}"))
            .map_err(|e| format!("exclude glob `{g}`: {e}"))?;
    }
    b.build().map_err(|e| e.to_string())
}

/// Whether `globs` leave `path` out, or any folder it is in below `root` (`vendor/` leaves
/// out `vendor/lib.js`): for paths not reached by walking (the index, the history).
pub fn excludes(globs: &Override, path: &Path, root: &Path) -> bool {
    globs.matched(path, false).is_ignore()
        || path
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(root) && *d != root)
            .any(|d| globs.matched(d, true).is_ignore())
}

/// How to walk: ignore files honoured or not, links followed or not.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    pub honour_ignores: bool,
    /// `.gitignore` (and git's other exclude files) honoured, for untracked files.
    pub honour_gitignore: bool,
    pub follow: bool,
    pub threads: usize,
}

/// Calls `on_file` for every regular file under `path` that is not ignored or excluded,
/// from several threads, and `on_error` for what cannot be walked (loops, permissions).
/// `.git` folders are not walked.
pub fn for_each_file(
    path: &Path,
    opts: WalkOptions,
    cwd: &Path,
    excludes: &[&Override],
    on_file: &(dyn Fn(&Path) + Sync),
    on_error: &(dyn Fn(Problem) + Sync),
) {
    walk(path, opts, false, cwd, excludes, on_file, on_error)
}

/// [`for_each_file`], walking `.git` folders too when `git_dir` is set.
pub fn walk(
    path: &Path,
    opts: WalkOptions,
    git_dir: bool,
    cwd: &Path,
    excludes: &[&Override],
    on_file: &(dyn Fn(&Path) + Sync),
    on_error: &(dyn Fn(Problem) + Sync),
) {
    let honour = opts.honour_ignores;
    let cwd = cwd.to_path_buf();
    let excludes: Vec<Override> = excludes.iter().map(|o| (*o).clone()).collect();
    let git = opts.honour_gitignore.then(|| WalkFilter::new(path));
    let follow = opts.follow;
    let walker = WalkBuilder::new(path)
        .hidden(false)
        // Git's rules are applied below, where tracked files can be let through.
        .git_ignore(false)
        .git_exclude(false)
        .git_global(false)
        .ignore(honour)
        .parents(honour)
        .require_git(false)
        .follow_links(opts.follow)
        .threads(opts.threads)
        .add_custom_ignore_filename(".sasguardignore")
        .filter_entry(move |e| {
            if !git_dir && (e.file_name() == ".git" || (follow && e.path_is_symlink() && links_into_git_dir(e.path())))
            {
                return false;
            }
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if git.as_ref().is_some_and(|g| g.skips(e.path(), is_dir)) {
                return false;
            }
            let rel: PathBuf = e
                .path()
                .components()
                .filter(|c| !matches!(c, Component::CurDir))
                .collect();
            let abs = cwd.join(rel);
            !excludes.iter().any(|o| o.matched(&abs, is_dir).is_ignore())
        })
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => on_file(e.path()),
                Ok(_) => {}
                Err(err) => on_error(Problem {
                    path: error_path(&err).unwrap_or_else(|| display(path)),
                    message: crate::redact::scrub(&err.to_string()),
                }),
            }
            WalkState::Continue
        })
    });
}

fn links_into_git_dir(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|p| in_git_dir(&p))
}

/// Whether `path` lies in a `.git` folder (or is one), as written or once links are
/// resolved.
pub fn in_git_dir(path: &Path) -> bool {
    let has = |p: &Path| p.components().any(|c| c.as_os_str() == ".git");
    std::path::absolute(path).is_ok_and(|p| has(&p)) || std::fs::canonicalize(path).is_ok_and(|p| has(&p))
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(display(child)),
        _ => None,
    }
}

/// A path as reports show it: without a leading `./`, anything secret-like redacted (a
/// file `wget` named after a signed URL).
pub fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    crate::redact::scrub_path(s.strip_prefix("./").unwrap_or(&s))
}

/// A NUL byte in the first 8 KiB, as git decides.
pub fn is_binary(text: &[u8]) -> bool {
    memchr::memchr(0, &text[..text.len().min(BINARY_PROBE)]).is_some()
}
