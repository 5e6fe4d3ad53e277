//! Walking paths in parallel: `.gitignore` and exclude globs honoured, binary and
//! oversized files skipped, unreadable files reported while the scan goes on.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::{WalkBuilder, WalkState};

use super::args::CheckArgs;
use super::fix::{diff, redacted, write_atomic, FixMode};
use super::report::{check_text, Problem, Report};
use crate::config::{self, ConfigError, Settings};
use crate::gitignore::is_git_ignored;

/// How much of a file is looked at to decide whether it is binary.
const BINARY_PROBE: usize = 8 * 1024;

/// Settings for a path: `--config`, else the nearest `.sasguard.toml`, else defaults;
/// command-line options on top. Returns the settings and the directory excludes are
/// relative to.
pub fn settings_for(path: &Path, args: &CheckArgs, cwd: &Path) -> Result<(Settings, PathBuf), ConfigError> {
    let file = match &args.config {
        Some(c) => Some(c.clone()),
        None => config::discover(path),
    };
    let (mut settings, root) = match file {
        Some(f) => {
            let s = Settings::load(&f)?;
            let root = std::path::absolute(&f)
                .ok()
                .and_then(|a| a.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| cwd.to_path_buf());
            (s, root)
        }
        None => (Settings::default(), cwd.to_path_buf()),
    };
    if let Some(m) = args.max_file_size {
        settings.max_file_size = m;
    }
    Ok((settings, root))
}

fn excludes(root: &Path, globs: &[String]) -> Result<Override, String> {
    let mut b = OverrideBuilder::new(root);
    for g in globs {
        b.add(&format!("!{g}"))
            .map_err(|e| format!("exclude glob `{g}`: {e}"))?;
    }
    b.build().map_err(|e| e.to_string())
}

/// Runs the whole check. A settings error stops it before anything is scanned.
pub fn run(args: &CheckArgs, now: DateTime<Utc>) -> Result<Report, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let cli_excludes = excludes(&cwd, &args.exclude)?;
    let report = Mutex::new(Report::default());
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let (settings, _) = settings_for(&cwd, args, &cwd).map_err(|e| e.to_string())?;
            scan_stdin(args, &settings, now, &report);
            continue;
        }
        let (settings, root) = settings_for(path, args, &cwd).map_err(|e| e.to_string())?;
        let cfg_excludes = excludes(&root, &settings.exclude).map_err(|e| format!("{}: {e}", root.display()))?;
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() && !args.no_ignore && !settings.scan_git_ignored && is_git_ignored(path) => {
                lock(&report).skipped.push(Problem {
                    path: display(path),
                    message: "skipped: git ignores this file (set scanGitIgnored = true to scan it)".into(),
                })
            }
            Ok(m) if m.is_file() => scan_file(path, &settings, now, args.fix, &report),
            Ok(_) => walk(
                path,
                args,
                &settings,
                now,
                &cwd,
                [&cli_excludes, &cfg_excludes],
                &report,
            ),
            Err(e) => lock(&report).errors.push(Problem {
                path: display(path),
                message: e.to_string(),
            }),
        }
    }
    let mut r = report.into_inner().unwrap_or_else(|p| p.into_inner());
    r.sort();
    Ok(r)
}

fn lock(r: &Mutex<Report>) -> std::sync::MutexGuard<'_, Report> {
    r.lock().unwrap_or_else(|p| p.into_inner())
}

/// How to walk: ignore files honoured or not, links followed or not.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    pub honour_ignores: bool,
    /// `.gitignore` (and git's other exclude files) honoured.
    pub honour_gitignore: bool,
    pub follow: bool,
    pub threads: usize,
}

/// Calls `on_file` for every regular file under `path` that is not ignored or excluded,
/// from several threads, and `on_error` for what cannot be walked (loops, permissions).
pub fn for_each_file(
    path: &Path,
    opts: WalkOptions,
    cwd: &Path,
    excludes: &[&Override],
    on_file: &(dyn Fn(&Path) + Sync),
    on_error: &(dyn Fn(Problem) + Sync),
) {
    let honour = opts.honour_ignores;
    let cwd = cwd.to_path_buf();
    let excludes: Vec<Override> = excludes.iter().map(|o| (*o).clone()).collect();
    let walker = WalkBuilder::new(path)
        .hidden(false)
        .git_ignore(opts.honour_gitignore)
        .git_exclude(opts.honour_gitignore)
        .git_global(opts.honour_gitignore)
        .ignore(honour)
        .parents(honour)
        .require_git(false)
        .follow_links(opts.follow)
        .threads(opts.threads)
        .add_custom_ignore_filename(".sasguardignore")
        .filter_entry(move |e| {
            if e.file_name() == ".git" {
                return false;
            }
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
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
                    message: err.to_string(),
                }),
            }
            WalkState::Continue
        })
    });
}

/// Gitignore-style exclude globs rooted at `root`.
pub fn exclude_globs(root: &Path, globs: &[String]) -> Result<Override, String> {
    excludes(root, globs)
}

fn walk(
    path: &Path,
    args: &CheckArgs,
    settings: &Settings,
    now: DateTime<Utc>,
    cwd: &Path,
    excludes: [&Override; 2],
    report: &Mutex<Report>,
) {
    let opts = WalkOptions {
        honour_ignores: !args.no_ignore,
        honour_gitignore: !args.no_ignore && !settings.scan_git_ignored,
        follow: args.follow,
        threads: args.threads,
    };
    for_each_file(
        path,
        opts,
        cwd,
        &excludes,
        &|p| scan_file(p, settings, now, args.fix, report),
        &|problem| lock(report).errors.push(problem),
    );
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(display(child)),
        _ => None,
    }
}

pub fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

fn scan_file(path: &Path, settings: &Settings, now: DateTime<Utc>, mode: FixMode, report: &Mutex<Report>) {
    let shown = display(path);
    let problem = |message: String| Problem {
        path: shown.clone(),
        message,
    };
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return lock(report).errors.push(problem(e.to_string())),
    };
    if len > settings.max_file_size.0 {
        let msg = format!(
            "skipped: {} is larger than maxFileSize ({}); raise it with --max-file-size",
            crate::config::ByteSize(len),
            settings.max_file_size
        );
        return lock(report).skipped.push(problem(msg));
    }
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) => return lock(report).errors.push(problem(e.to_string())),
    };
    if is_binary(&text) {
        lock(report).binary += 1;
        return;
    }
    let result = check_text(shown.clone(), &text, settings, now);
    let secrets: Vec<_> = result.findings.iter().map(|l| l.finding.token.secret.clone()).collect();
    let fixed = match mode {
        FixMode::Write if !secrets.is_empty() => match write_atomic(path, &text, &redacted(&text, &secrets)) {
            Ok(()) => Some(secrets.len()),
            Err(e) => {
                lock(report).errors.push(problem(format!("not fixed: {e}")));
                None
            }
        },
        FixMode::Diff if !secrets.is_empty() => {
            let d = diff(&result.path, &text, &secrets);
            lock(report).diffs.push((result.path.clone(), d));
            None
        }
        _ => None,
    };
    let mut r = lock(report);
    r.scanned += 1;
    if let Some(n) = fixed {
        r.fixed += n;
        r.fixed_files += 1;
    }
    if !result.findings.is_empty() {
        r.files.push(result);
    }
}

fn scan_stdin(args: &CheckArgs, settings: &Settings, now: DateTime<Utc>, report: &Mutex<Report>) {
    let mut text = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut text) {
        return lock(report).errors.push(Problem {
            path: args.stdin_filename.clone(),
            message: e.to_string(),
        });
    }
    let result = check_text(args.stdin_filename.clone(), &text, settings, now);
    if args.fix == FixMode::Diff && !result.findings.is_empty() {
        let secrets: Vec<_> = result.findings.iter().map(|l| l.finding.token.secret.clone()).collect();
        let d = diff(&result.path, &text, &secrets);
        lock(report).diffs.push((result.path.clone(), d));
    }
    let mut r = lock(report);
    r.scanned += 1;
    if !result.findings.is_empty() {
        r.files.push(result);
    }
}

/// A NUL byte in the first 8 KiB, as git decides.
pub fn is_binary(text: &[u8]) -> bool {
    memchr::memchr(0, &text[..text.len().min(BINARY_PROBE)]).is_some()
}
