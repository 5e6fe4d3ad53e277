//! Checking one target: read it (never more than `maxFileSize`), render each finding as it
//! is judged, then fix the file or print the diff. Only the secrets' byte ranges are kept
//! once a finding is rendered.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::args::Format;
use super::emit::Slot;
use super::fix::{diff, fix_file, redacted, write_fixed, FixMode, Scope};
use super::human::{self, Style};
use super::report::{for_each_located, Located};
use super::targets::{Plan, Target, What};
use super::{json, name, sarif};
use crate::config::{ByteSize, Settings};
use crate::scan::utf16::{self, Utf16};
use crate::source::walk::is_binary;

pub struct Context<'a> {
    pub format: Format,
    pub style: Style,
    pub mode: FixMode,
    pub now: DateTime<Utc>,
    pub plan: &'a Plan,
}

pub fn check(t: &Target, cx: &Context, slot: &mut Slot) {
    let settings = &cx.plan.settings[t.settings];
    let max = settings.max_file_size;
    let too_big = format!("skipped: larger than maxFileSize ({max}); raise it with --max-file-size");
    match &t.what {
        What::Problem(true, message) => slot.error(&t.shown, message.clone()),
        What::Problem(false, message) => slot.skip(&t.shown, message.clone()),
        What::Stdin => match read_capped(std::io::stdin().lock(), max, 0) {
            Ok(Some(raw)) => check_bytes(&t.shown, &raw, settings, cx, slot),
            Ok(None) => slot.skip(&t.shown, too_big),
            Err(e) => slot.error(&t.shown, e.to_string()),
        },
        What::Staged { repo, blob } => match crate::source::staged::read_blob(repo, blob, max.0) {
            Ok(Some(raw)) if utf16::detect(&raw).is_none() && is_binary(&raw) => slot.totals.binary += 1,
            Ok(Some(raw)) => check_bytes(&t.shown, &raw, settings, cx, slot),
            Ok(None) => slot.skip(&t.shown, too_big),
            Err(e) => slot.error(&t.shown, e),
        },
        What::File(path) => {
            let named = check_name(&t.shown, path, settings, cx, slot);
            let found = check_file(t, path, settings, cx, slot);
            if named && !found {
                // A file whose text was not read (binary, too large) was still looked at.
                slot.totals.scanned = slot.totals.scanned.max(1);
                slot.totals.with_findings += 1;
            }
        }
    }
}

/// Checks bytes read whole from somewhere other than a file (stdin, a staged blob): UTF-16
/// decoded, never fixed.
fn check_bytes(shown: &str, raw: &[u8], settings: &Settings, cx: &Context, slot: &mut Slot) {
    let text = utf16::detect(raw).and_then(|form| utf16::decode(raw, form));
    check_text(
        shown,
        text.as_ref().map_or(raw, |s| s.as_bytes()),
        None,
        settings,
        cx,
        slot,
    );
}

/// Reports the secrets in the file's name; whether there were any.
fn check_name(shown: &str, path: &Path, settings: &Settings, cx: &Context, slot: &mut Slot) -> bool {
    let mut any = false;
    name::findings(path, settings, cx.now, |l| {
        any = true;
        slot.totals.found(l.finding.severity);
        if cx.mode != FixMode::Diff {
            render(slot, cx, shown, &l);
        }
    });
    match cx.mode {
        // The secret stays where `--fix` cannot reach it: as a read-only file does.
        FixMode::Write if any => slot.error(shown, name::NOT_RENAMED),
        FixMode::Diff if any => slot.skip(shown, name::NOT_RENAMED),
        _ => {}
    }
    any
}

/// Reads and checks a file's text; whether it had findings.
fn check_file(t: &Target, path: &Path, settings: &Settings, cx: &Context, slot: &mut Slot) -> bool {
    let max = settings.max_file_size;
    let too_big = format!("skipped: larger than maxFileSize ({max}); raise it with --max-file-size");
    {
        {
            let len = match std::fs::metadata(path) {
                Ok(m) => m.len(),
                Err(e) => {
                    slot.error(&t.shown, e.to_string());
                    return false;
                }
            };
            if len > max.0 {
                let msg = format!(
                    "skipped: {} is larger than maxFileSize ({max}); raise it with --max-file-size",
                    ByteSize(len)
                );
                slot.skip(&t.shown, msg);
                return false;
            }
            let read = std::fs::File::open(path).and_then(|f| read_capped(f, max, len));
            match read {
                Ok(Some(raw)) => match utf16::detect(&raw).map(|form| (utf16::decode(&raw, form), form)) {
                    Some((Some(text), form)) => {
                        let file = OnDisk {
                            path,
                            raw: &raw,
                            utf16: Some(form),
                        };
                        check_text(&t.shown, text.as_bytes(), Some(file), settings, cx, slot)
                    }
                    Some((None, _)) => {
                        slot.totals.binary += 1;
                        false
                    }
                    None if is_binary(&raw) => {
                        slot.totals.binary += 1;
                        false
                    }
                    None => {
                        let file = OnDisk {
                            path,
                            raw: &raw,
                            utf16: None,
                        };
                        check_text(&t.shown, &raw, Some(file), settings, cx, slot)
                    }
                },
                // It grew since it was measured.
                Ok(None) => {
                    slot.skip(&t.shown, too_big);
                    false
                }
                Err(e) => {
                    slot.error(&t.shown, e.to_string());
                    false
                }
            }
        }
    }
}

/// A file as read: its bytes, and how they encode the text scanned.
struct OnDisk<'a> {
    path: &'a Path,
    raw: &'a [u8],
    /// UTF-16 text is decoded before it is scanned, and encoded back when fixed.
    utf16: Option<Utf16>,
}

pub fn render(slot: &mut Slot, cx: &Context, shown: &str, l: &Located) {
    slot.record(|w| match cx.format {
        Format::Human => human::finding(w, &cx.style, shown, l),
        Format::Json => json::finding(w, shown, l),
        Format::Sarif => sarif::result(w, shown, l),
    });
}

/// Reads at most `max` bytes; `None` when there is more.
fn read_capped(r: impl Read, max: ByteSize, expected: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut text = Vec::with_capacity(expected.min(max.0) as usize);
    r.take(max.0.saturating_add(1)).read_to_end(&mut text)?;
    Ok((text.len() as u64 <= max.0).then_some(text))
}

/// Checks one text; whether it had findings.
fn check_text(
    shown: &str,
    text: &[u8],
    file: Option<OnDisk>,
    settings: &Settings,
    cx: &Context,
    slot: &mut Slot,
) -> bool {
    slot.totals.scanned += 1;
    let mut secrets: Vec<Range<usize>> = Vec::new();
    let mut found = 0;
    // Reports give byte offsets in the file: for UTF-16, not those of the decoded text.
    let decoded = file.as_ref().and_then(|f| f.utf16.zip(std::str::from_utf8(text).ok()));
    let mut offsets = decoded.map(|(form, s)| (utf16::FileOffsets::new(s, form), utf16::FileOffsets::new(s, form)));
    for_each_located(text, settings, cx.now, |mut l| {
        slot.totals.found(l.finding.severity);
        found += 1;
        secrets.extend(l.finding.token.secret_pieces());
        if cx.mode == FixMode::Diff {
            return;
        }
        if let Some((starts, ends)) = &mut offsets {
            let r = &mut l.finding.token.range;
            *r = starts.of(r.start)..ends.of(r.end);
        }
        render(slot, cx, shown, &l);
    });
    if found == 0 {
        return false;
    }
    slot.totals.with_findings += 1;
    // A call that mints a token has no secret in the text: nothing to fix.
    if secrets.is_empty() {
        return true;
    }
    secrets.sort_by_key(|r| r.start);
    match (cx.mode, file) {
        (FixMode::Diff, _) => {
            slot.totals.diffs += 1;
            diff(shown, text, &secrets, |hunk| {
                slot.record(|w| w.write_all(hunk.as_bytes()))
            });
        }
        (FixMode::Write, Some(file)) => {
            let fixed = match file.utf16 {
                None => fix_file(file.path, text, &secrets, &cx.plan.scope),
                Some(form) => fix_utf16(&file, text, &secrets, form, &cx.plan.scope),
            };
            match fixed {
                Ok(()) => {
                    slot.totals.fixed += found;
                    slot.totals.fixed_files += 1;
                }
                Err(message) => slot.error(shown, message),
            }
        }
        _ => {}
    }
    true
}

/// Redacts the decoded `text` and writes it back as the file was: UTF-16 in the same byte
/// order, with its byte order mark when it had one.
fn fix_utf16(file: &OnDisk, text: &[u8], secrets: &[Range<usize>], form: Utf16, scope: &Scope) -> Result<(), String> {
    let new = String::from_utf8(redacted(text, secrets)).map_err(|_| "not fixed: not valid text once redacted")?;
    write_fixed(file.path, file.raw, &utf16::encode(&new, form), scope)
}
