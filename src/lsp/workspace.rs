//! `sasguard.scanWorkspace`: scans the files of the workspace folders that are not open,
//! with the walker `sasguard check` uses (ignore files, excludes, size cap, binary files skipped).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::document::{Context, Document};
use crate::config::Settings;
use crate::source::walk::{exclude_globs, for_each_file, is_binary, Problem, WalkOptions};

/// Lists the files to scan under `roots`, leaving out `open` ones.
pub fn list_files(roots: &[PathBuf], settings: &Settings, open: &HashSet<PathBuf>) -> (Vec<PathBuf>, Vec<Problem>) {
    let files = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    for root in roots {
        let excludes = match exclude_globs(root, &settings.exclude) {
            Ok(o) => o,
            Err(e) => {
                problems.lock().unwrap_or_else(|p| p.into_inner()).push(Problem {
                    path: root.display().to_string(),
                    message: e,
                });
                continue;
            }
        };
        let opts = WalkOptions {
            honour_ignores: true,
            honour_gitignore: !settings.scan_git_ignored,
            follow: false,
            threads,
        };
        for_each_file(
            root,
            opts,
            root,
            &[&excludes],
            &|p| {
                if !open.contains(p) {
                    files.lock().unwrap_or_else(|p| p.into_inner()).push(p.to_path_buf());
                }
            },
            &|e| problems.lock().unwrap_or_else(|p| p.into_inner()).push(e),
        );
    }
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort();
    (files, problems.into_inner().unwrap_or_else(|p| p.into_inner()))
}

/// Reads and analyses one file; `None` when it is too large, binary or unreadable.
pub fn analyze_file(path: &Path, settings: &Settings, now: DateTime<Utc>) -> Result<Option<Document>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > settings.max_file_size.0 {
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    // UTF-16 text is shown decoded by editors: positions are in the decoded text.
    let text = match crate::scan::utf16::detect(&bytes) {
        Some(form) => match crate::scan::utf16::decode(&bytes, form) {
            Some(text) => std::borrow::Cow::Owned(text),
            None => return Ok(None),
        },
        None if is_binary(&bytes) => return Ok(None),
        // Editors drop a byte order mark from the text they show; positions must agree.
        None => String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)),
    };
    let ctx = Context { settings, now };
    Ok(Some(Document::new(&text, 0, "", ctx)))
}
