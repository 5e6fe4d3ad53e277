//! What a check looks at: the paths given, folders walked, in path order, with what was
//! skipped or could not be walked in its place in that order. Only paths are held here;
//! files are read when they are checked.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::args::CheckArgs;
use super::fix::{FixMode, Scope};
use super::settings::settings_for;
use crate::config::Settings;
use crate::source::gitignore::is_git_ignored;
use crate::source::walk::{display, exclude_globs, excludes, in_git_dir, walk, WalkOptions};

#[derive(Debug, Clone)]
pub enum What {
    Stdin,
    File(PathBuf),
    /// A staged file: the blob the index holds for it, read in the repository `repo`.
    Staged {
        repo: PathBuf,
        blob: String,
    },
    /// Reported as it is: an error (`true`) or a skip.
    Problem(bool, String),
}

#[derive(Debug, Clone)]
pub struct Target {
    /// The path as reports show it.
    pub shown: String,
    pub what: What,
    /// Index into [`Plan::settings`].
    pub settings: usize,
}

/// Everything to check, in the order it is reported.
pub struct Plan {
    pub targets: Vec<Target>,
    pub settings: Vec<Settings>,
    /// Where `--fix` may write.
    pub scope: Scope,
}

const GIT_DIR_SKIP: &str = "skipped: inside .git (pass --scan-git-dir to scan it)";

/// Lists the targets of `args`. A settings error stops it before anything is checked.
pub fn plan(args: &CheckArgs, cwd: &Path) -> Result<Plan, String> {
    if args.staged {
        return plan_staged(args, cwd);
    }
    let cli_excludes = exclude_globs(cwd, &args.exclude)?;
    let mut settings = Vec::new();
    let targets = Mutex::new(Vec::new());
    let push = |shown: String, what: What, s: usize| {
        lock(&targets).push(Target {
            shown,
            what,
            settings: s,
        })
    };
    let mut scope = Scope {
        roots: Vec::new(),
        git_dir: args.scan_git_dir,
    };
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let (s, _) = settings_for(cwd, args, cwd).map_err(|e| crate::redact::scrub(&e.to_string()))?;
            settings.push(s);
            push(
                crate::redact::scrub(&args.stdin_filename),
                What::Stdin,
                settings.len() - 1,
            );
            continue;
        }
        let (s, root) = settings_for(path, args, cwd).map_err(|e| crate::redact::scrub(&e.to_string()))?;
        let cfg_excludes =
            exclude_globs(&root, &s.exclude).map_err(|e| crate::redact::scrub(&format!("{}: {e}", root.display())))?;
        let honour_gitignore = !args.no_ignore && !s.scan_git_ignored;
        settings.push(s);
        let index = settings.len() - 1;
        let shown = display(path);
        if !args.scan_git_dir && in_git_dir(path) {
            push(shown, What::Problem(false, GIT_DIR_SKIP.into()), index);
            continue;
        }
        if let Ok(root) = std::fs::canonicalize(path) {
            scope.roots.push(root);
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() && honour_gitignore && is_git_ignored(path) => push(
                shown,
                What::Problem(
                    false,
                    "skipped: git ignores this file (set scanGitIgnored = true to scan it)".into(),
                ),
                index,
            ),
            Ok(m) if m.is_file() => push(shown, What::File(path.clone()), index),
            Ok(_) => {
                let opts = WalkOptions {
                    honour_ignores: !args.no_ignore,
                    honour_gitignore,
                    follow: args.follow,
                    threads: args.threads,
                };
                walk(
                    path,
                    opts,
                    args.scan_git_dir,
                    cwd,
                    &[&cli_excludes, &cfg_excludes],
                    &|p| push(display(p), What::File(p.to_path_buf()), index),
                    &|problem| push(problem.path, What::Problem(true, problem.message), index),
                );
            }
            Err(e) => push(shown, What::Problem(true, e.to_string()), index),
        }
    }
    let mut targets = targets.into_inner().unwrap_or_else(|p| p.into_inner());
    // The walk's order depends on its threads; the report's does not.
    targets.sort_by(|a, b| a.shown.cmp(&b.shown).then_with(|| order(&a.what).cmp(&order(&b.what))));
    if args.fix == FixMode::Write {
        once_per_file(&mut targets);
    }
    Ok(Plan {
        targets,
        settings,
        scope,
    })
}

/// The staged files (under the paths given), each with the settings that apply where it
/// lies, less those `--exclude`, the settings' `exclude` or the repository's top
/// `.sasguardignore` leave out.
fn plan_staged(args: &CheckArgs, cwd: &Path) -> Result<Plan, String> {
    let cli_excludes = exclude_globs(cwd, &args.exclude)?;
    let mut settings = Vec::new();
    let mut targets = Vec::new();
    for f in crate::source::staged::staged(cwd, &args.paths)? {
        let (s, root) = settings_for(&f.path, args, cwd).map_err(|e| crate::redact::scrub(&e.to_string()))?;
        let cfg_excludes =
            exclude_globs(&root, &s.exclude).map_err(|e| crate::redact::scrub(&format!("{}: {e}", root.display())))?;
        let ignore_file = ignore::gitignore::Gitignore::new(f.repo.join(".sasguardignore")).0;
        let excluded = excludes(&cli_excludes, &f.path, cwd)
            || excludes(&cfg_excludes, &f.path, &root)
            || (!args.no_ignore && ignore_file.matched_path_or_any_parents(&f.path, false).is_ignore());
        if excluded {
            continue;
        }
        settings.push(s);
        let shown = display(f.path.strip_prefix(cwd).unwrap_or(&f.path));
        targets.push(Target {
            shown,
            what: What::Staged {
                repo: f.repo,
                blob: f.blob,
            },
            settings: settings.len() - 1,
        });
    }
    Ok(Plan {
        targets,
        settings,
        scope: Scope {
            roots: Vec::new(),
            git_dir: false,
        },
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Ties between equal names broken by kind, then by path, so the order is fixed.
fn order(w: &What) -> (u8, String) {
    match w {
        What::Stdin => (0, String::new()),
        What::File(p) => (1, p.to_string_lossy().into_owned()),
        What::Staged { blob, .. } => (1, blob.clone()),
        What::Problem(e, m) => (2 + u8::from(*e), m.clone()),
    }
}

/// `--fix` writes each file once: a second name for it (a hard link, a link followed, a
/// path given twice) is skipped with a note naming the first.
fn once_per_file(targets: &mut [Target]) {
    let mut seen = std::collections::HashMap::new();
    for t in targets.iter_mut() {
        let What::File(p) = &t.what else { continue };
        let Some(id) = identity(p) else { continue };
        match seen.get(&id) {
            Some(first) => t.what = What::Problem(false, format!("skipped: the same file as {first}, fixed there")),
            None => {
                seen.insert(id, t.shown.clone());
            }
        }
    }
}

#[cfg(unix)]
fn identity(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(p: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}
