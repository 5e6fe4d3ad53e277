//! `check --history`: every distinct blob reachable from the revisions given (all refs by
//! default) scanned once, with the settings of the repository's top, on `--threads`
//! workers while git streams the blobs; each finding then attributed to the commit that
//! brought it, the paths it was added under, whether `HEAD` still holds it and how many
//! commits carry it, and rendered in the order the blobs appeared.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::args::CheckArgs;
use super::emit::{Sink, Slot};
use super::file::{render, Context};
use super::report::{for_each_located, Located};
use super::settings::settings_for;
use crate::config::Settings;
use crate::redact::scrub;
use crate::scan::utf16;
use crate::source::blobs::{read_all, BlobRead};
use crate::source::git;
use crate::source::history::{self, History};
use crate::source::provenance::attribute;
use crate::source::walk::{display, exclude_globs, excludes, is_binary};

/// Whether a path (absolute) is left out.
pub type Excluded = Box<dyn Fn(&Path) -> bool + Sync>;

/// The repository to read (the folder given, default the current one): its top, the
/// settings there, and whether a path is left out by `--exclude`, the settings' `exclude`
/// or the top `.sasguardignore`.
pub fn prepare(a: &CheckArgs, cwd: &Path) -> Result<(PathBuf, Settings, Excluded), String> {
    let dir = a.paths.first().map_or_else(|| cwd.to_path_buf(), |p| cwd.join(p));
    let top = git::toplevel(&dir, "--history")?;
    let cli = exclude_globs(cwd, &a.exclude)?;
    let (s, root) = settings_for(&top, a, cwd).map_err(|e| scrub(&e.to_string()))?;
    let cfg = exclude_globs(&root, &s.exclude).map_err(|e| scrub(&format!("{}: {e}", root.display())))?;
    let file = ignore::gitignore::Gitignore::new(top.join(".sasguardignore")).0;
    let no_ignore = a.no_ignore;
    let (cli_root, cfg_root) = (cwd.to_path_buf(), root);
    let excluded = move |p: &Path| {
        excludes(&cli, p, &cli_root)
            || excludes(&cfg, p, &cfg_root)
            || (!no_ignore && file.matched_path_or_any_parents(p, false).is_ignore())
    };
    Ok((top, s, Box::new(excluded)))
}

/// Scans the history of `top` into `sink`; what stops the scan (git failing, a corrupt
/// object) is reported as an error of the repository.
pub fn run(a: &CheckArgs, cwd: &Path, top: &Path, excluded: &Excluded, cx: &Context, sink: &Sink) {
    let mut slot = sink.slot(0);
    let repo = match top.strip_prefix(cwd) {
        Ok(p) if p.as_os_str().is_empty() => ".".to_string(),
        Ok(p) => display(p),
        Err(_) => crate::redact::scrub_path(&top.display().to_string()),
    };
    let found = collect(a, top, excluded, cx, &mut slot, &repo).and_then(|(h, found)| {
        Ok((
            attribute(&h, &found.iter().map(|(b, _)| *b).collect::<Vec<_>>())?,
            found,
        ))
    });
    let (origins, found) = match found {
        Ok(f) => f,
        Err(e) => {
            slot.error(&repo, e);
            sink.finish(slot);
            return;
        }
    };
    slot.totals.with_findings = found.len();
    sink.finish(slot);
    for (i, ((_, located), origin)) in found.into_iter().zip(origins).enumerate() {
        let mut slot = sink.slot(i + 1);
        let shown = origin.paths[0].clone();
        let origin = Arc::new(origin);
        for mut l in located {
            l.history = Some(origin.clone());
            slot.totals.found(l.finding.severity);
            render(&mut slot, cx, &shown, &l);
        }
        sink.finish(slot);
    }
}

type Found = Vec<(u32, Vec<Located>)>;

/// Reads the history and scans its blobs: the findings by blob, in the order the blobs
/// appeared.
fn collect(
    a: &CheckArgs,
    top: &Path,
    excluded: &Excluded,
    cx: &Context,
    slot: &mut Slot,
    repo: &str,
) -> Result<(History, Found), String> {
    let settings = &cx.plan.settings[0];
    let progress = Progress::new(std::io::stderr().is_terminal());
    let revs = a.history.clone().unwrap_or_default();
    let h = history::read(top, &revs, |h| {
        progress.show(|| format!("reading history: {} commits", h.commits.len()))
    });
    progress.clear();
    let h = h?;
    if h.shallow > 0 {
        slot.skip(
            repo,
            format!(
                "shallow clone: history before {} boundary commit{} is not in this clone and was not scanned (git fetch --unshallow to scan it)",
                h.shallow,
                if h.shallow == 1 { "" } else { "s" }
            ),
        );
    }
    let wanted: Vec<u32> = (0..h.blobs.len() as u32)
        .filter(|&b| !excluded(&top.join(&h.paths[h.blobs[b as usize].first_path as usize])))
        .collect();
    let ids: Vec<&str> = wanted.iter().map(|&b| &*h.blobs[b as usize].id).collect();
    let found: Mutex<Vec<(u32, Vec<Located>)>> = Mutex::new(Vec::new());
    let (scanned, binary, findings) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let mut too_big = Vec::new();
    let mut missing = 0usize;
    // Blobs in flight: two per worker, so memory holds a few blobs, not the history.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(u32, Vec<u8>)>(a.threads * 2);
    let rx = Mutex::new(rx);
    let read = std::thread::scope(|s| {
        let rx = &rx;
        let (scanned, binary, findings, found) = (&scanned, &binary, &findings, &found);
        for _ in 0..a.threads.max(1) {
            s.spawn(move || loop {
                let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                let Ok((b, raw)) = next else { break };
                let form = utf16::detect(&raw);
                if form.is_none() && is_binary(&raw) {
                    binary.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                let text = form.and_then(|f| utf16::decode(&raw, f));
                let mut located = Vec::new();
                for_each_located(
                    text.as_ref().map_or(&raw[..], |t| t.as_bytes()),
                    settings,
                    cx.now,
                    |l| located.push(l),
                );
                scanned.fetch_add(1, Ordering::Relaxed);
                if !located.is_empty() {
                    findings.fetch_add(located.len(), Ordering::Relaxed);
                    found.lock().unwrap_or_else(|p| p.into_inner()).push((b, located));
                }
            });
        }
        let read = read_all(top, &ids, settings.max_file_size.0, |i, r| {
            let b = wanted[i];
            match r {
                BlobRead::Bytes(raw) => {
                    let _ = tx.send((b, raw));
                }
                BlobRead::TooBig(size) => too_big.push((b, size)),
                BlobRead::Missing => missing += 1,
            }
            progress.show(|| {
                format!(
                    "{} commits; scanned {} of {} blobs; {} findings",
                    h.commits.len(),
                    i + 1,
                    ids.len(),
                    findings.load(Ordering::Relaxed)
                )
            });
        });
        drop(tx);
        read
    });
    progress.clear();
    read?;
    for (b, size) in too_big {
        slot.skip(
            &at(&h, b),
            format!(
                "skipped: blob of {} is larger than maxFileSize ({}); raise it with --max-file-size",
                crate::config::ByteSize(size),
                settings.max_file_size
            ),
        );
    }
    if missing > 0 && crate::source::history::is_partial_clone(top) {
        slot.skip(
            repo,
            format!("{missing} blob(s) of this partial clone are not here and were not scanned; nothing was fetched (git fetch --refetch, or clone without --filter, to scan them)"),
        );
    } else if missing > 0 {
        slot.error(
            repo,
            format!(
                "{missing} blob(s) could not be read: missing or corrupt (git fsck shows which); they were not scanned"
            ),
        );
    }
    slot.totals.scanned = scanned.into_inner();
    slot.totals.binary = binary.into_inner();
    let mut found = found.into_inner().unwrap_or_else(|p| p.into_inner());
    found.sort_by_key(|(b, _)| *b);
    Ok((h, found))
}

/// `a1b2c3d:path`: the blob as git names it.
fn at(h: &History, b: u32) -> String {
    let blob = &h.blobs[b as usize];
    let commit = &h.commits[blob.first_commit as usize].id;
    crate::redact::scrub_path(&format!(
        "{}:{}",
        &commit[..commit.len().min(7)],
        h.paths[blob.first_path as usize]
    ))
}

/// A one-line status on a terminal's stderr, at most ten times a second; nothing on a pipe.
struct Progress {
    on: bool,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    fn new(on: bool) -> Self {
        Progress {
            on,
            last: Mutex::new(None),
        }
    }

    fn show(&self, line: impl FnOnce() -> String) {
        if !self.on {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        eprint!("\r\x1b[Ksasguard: {}", line());
    }

    fn clear(&self) {
        if self.on && self.last.lock().is_ok_and(|l| l.is_some()) {
            eprint!("\r\x1b[K");
        }
    }
}
