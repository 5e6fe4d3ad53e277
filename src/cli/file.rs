//! Checking one target: read it (never more than `maxFileSize`), render each finding as it
//! is judged, then fix the file or print the diff. Only the secrets' byte ranges are kept
//! once a finding is rendered.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::args::Format;
use super::emit::Slot;
use super::fix::{diff, fix_file, FixMode};
use super::human::{self, Style};
use super::report::for_each_located;
use super::targets::{Plan, Target, What};
use super::walk::is_binary;
use super::{json, sarif};
use crate::config::{ByteSize, Settings};

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
            Ok(Some(text)) => check_text(&t.shown, &text, None, settings, cx, slot),
            Ok(None) => slot.skip(&t.shown, too_big),
            Err(e) => slot.error(&t.shown, e.to_string()),
        },
        What::File(path) => {
            let len = match std::fs::metadata(path) {
                Ok(m) => m.len(),
                Err(e) => return slot.error(&t.shown, e.to_string()),
            };
            if len > max.0 {
                let msg = format!(
                    "skipped: {} is larger than maxFileSize ({max}); raise it with --max-file-size",
                    ByteSize(len)
                );
                return slot.skip(&t.shown, msg);
            }
            let read = std::fs::File::open(path).and_then(|f| read_capped(f, max, len));
            match read {
                Ok(Some(text)) if is_binary(&text) => slot.totals.binary += 1,
                Ok(Some(text)) => check_text(&t.shown, &text, Some(path), settings, cx, slot),
                // It grew since it was measured.
                Ok(None) => slot.skip(&t.shown, too_big),
                Err(e) => slot.error(&t.shown, e.to_string()),
            }
        }
    }
}

/// Reads at most `max` bytes; `None` when there is more.
fn read_capped(r: impl Read, max: ByteSize, expected: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut text = Vec::with_capacity(expected.min(max.0) as usize);
    r.take(max.0.saturating_add(1)).read_to_end(&mut text)?;
    Ok((text.len() as u64 <= max.0).then_some(text))
}

fn check_text(shown: &str, text: &[u8], file: Option<&Path>, settings: &Settings, cx: &Context, slot: &mut Slot) {
    slot.totals.scanned += 1;
    let mut secrets: Vec<Range<usize>> = Vec::new();
    let mut found = 0;
    for_each_located(text, settings, cx.now, |l| {
        slot.totals.found(l.finding.severity);
        found += 1;
        secrets.extend(l.finding.token.secret_pieces());
        if cx.mode == FixMode::Diff {
            return;
        }
        slot.record(|w| match cx.format {
            Format::Human => human::finding(w, &cx.style, shown, &l),
            Format::Json => json::finding(w, shown, &l),
            Format::Sarif => sarif::result(w, shown, &l),
        });
    });
    if secrets.is_empty() {
        return;
    }
    slot.totals.with_findings += 1;
    secrets.sort_by_key(|r| r.start);
    match (cx.mode, file) {
        (FixMode::Diff, _) => {
            slot.totals.diffs += 1;
            diff(shown, text, &secrets, |hunk| {
                slot.record(|w| w.write_all(hunk.as_bytes()))
            });
        }
        (FixMode::Write, Some(path)) => match fix_file(path, text, &secrets, &cx.plan.scope) {
            Ok(()) => {
                slot.totals.fixed += found;
                slot.totals.fixed_files += 1;
            }
            Err(message) => slot.error(shown, message),
        },
        _ => {}
    }
}
