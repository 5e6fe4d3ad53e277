//! Keys that stand alone: a value assigned to a key-like name (`"accountKey": "…"`,
//! `AZURE_STORAGE_KEY=…`) or a storage key carrying the `+ASt` marker of newer keys.

use std::ops::Range;

use super::connstr::{key_token, live_key};
use super::token::{Token, TokenKind};

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// The base64 run (with up to two `=`) that starts at `start`.
fn b64_run_from(t: &[u8], start: usize) -> Range<usize> {
    let mut end = start;
    while end < t.len() && is_b64(t[end]) {
        end += 1;
    }
    let mut pads = 0;
    while end < t.len() && t[end] == b'=' && pads < 2 {
        end += 1;
        pads += 1;
    }
    start..end
}

/// A key found next to `anchor`, with the offset where scanning may resume.
pub fn scan_bare_key(t: &[u8], anchor: Range<usize>, extent: Range<usize>, marker: bool) -> Option<(Token, usize)> {
    if marker {
        return marked_key(t, anchor);
    }
    let name = &t[anchor.clone()];
    let shared = name.len() >= 6 && name[..6].eq_ignore_ascii_case(b"shared");
    let mut i = anchor.end;
    while i < t.len() && (t[i].is_ascii_alphanumeric() || t[i] == b'_' || t[i] == b'-') {
        i += 1;
    }
    let suffix = &t[anchor.end..i];
    if suffix.len() >= 4 && suffix[..4].eq_ignore_ascii_case(b"name") {
        return None;
    }
    let mut assigned = false;
    let limit = (i + 12).min(t.len());
    while i < limit && matches!(t[i], b' ' | b'\t' | b'"' | b'\'' | b':' | b'=' | b'\\') {
        assigned |= matches!(t[i], b':' | b'=');
        i += 1;
    }
    if !assigned {
        return None;
    }
    let run = b64_run_from(t, i);
    let (kind, len) = if shared {
        (TokenKind::SharedAccessKey, 32)
    } else {
        (TokenKind::StorageAccountKey, 64)
    };
    let key = live_key(t, run.clone(), len)?;
    let _ = extent;
    let end = run.end;
    Some((key_token(kind, run.clone(), run, &key, None, None, None), end))
}

/// A 64-byte key with `+ASt` at characters 77–80, as newer storage keys carry.
fn marked_key(t: &[u8], anchor: Range<usize>) -> Option<(Token, usize)> {
    if &t[anchor.clone()] != b"+ASt" {
        return None;
    }
    let mut start = anchor.start;
    while start > 0 && is_b64(t[start - 1]) && anchor.start - start <= 76 {
        start -= 1;
    }
    if anchor.start - start != 76 {
        return None;
    }
    let run = b64_run_from(t, start);
    if run.len() != 88 {
        return None;
    }
    let key = live_key(t, run.clone(), 64)?;
    let end = run.end;
    Some((
        key_token(TokenKind::StorageAccountKey, run.clone(), run, &key, None, None, None),
        end,
    ))
}
