//! Keys that stand alone: a value assigned to a key-like name (`"accountKey": "…"`,
//! `AZURE_STORAGE_KEY=…`, `--account-key …`) or a storage key carrying the `+ASt` marker
//! of newer keys.

use std::ops::Range;

use super::connstr::{key_token, live_key};
use super::decode::padding_end;
use super::keys::assign::value_start;
use super::keys::name::{key_name, NameKind};
use super::keys::nearby::{account_near, storage_context};
use super::params::signature_end;
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
    start..padding_end(t, end)
}

/// A key found next to `anchor`, with the offset where scanning may resume. A storage or
/// Service Bus name (`AZURE_STORAGE_KEY`, `accountKey`, `SharedAccessKey`) is enough; a
/// bare `access_key` needs Azure context nearby; someone else's name
/// (`AWS_SECRET_ACCESS_KEY`) needs the `+ASt` marker.
pub fn scan_bare_key(t: &[u8], anchor: Range<usize>, extent: Range<usize>, marker: bool) -> Option<(Token, usize)> {
    if marker {
        return marked_key(t, anchor);
    }
    let _ = extent;
    let name = key_name(t, anchor);
    let start = value_start(t, &name)?;
    let run = start..signature_end(t, start..(start + 400).min(t.len()));
    // Shorter than a 32-byte key: nothing to classify (most names are not keys').
    if run.len() < 43 {
        return None;
    }
    let name_kind = name.kind(t)?;
    let (kind, len) = match name_kind {
        NameKind::ServiceBus => (TokenKind::SharedAccessKey, 32),
        _ => (TokenKind::StorageAccountKey, 64),
    };
    let key = live_key(t, run.clone(), len)?;
    let trusted = match name_kind {
        NameKind::Storage | NameKind::ServiceBus => true,
        NameKind::Generic => has_marker(&key) || storage_context(t, run.clone(), &[]),
        NameKind::Foreign => has_marker(&key),
    };
    if !trusted {
        return None;
    }
    let end = run.end;
    let account = (kind == TokenKind::StorageAccountKey)
        .then(|| account_near(t, run.clone()))
        .flatten();
    Some((key_token(kind, run.clone(), run, &key, None, account, None), end))
}

/// Newer storage keys carry `+ASt` at characters 77–80.
fn has_marker(key: &str) -> bool {
    key.len() == 88 && &key[76..80] == "+ASt"
}

/// Integrity hashes (`sha512-…` in lock files, `integrity="sha384-…"`) are base64 of 64
/// bytes too, and may hold `+ASt` by chance.
fn after_hash_prefix(t: &[u8], start: usize) -> bool {
    ["sha512-", "sha384-", "sha256-", "sha1-"]
        .iter()
        .any(|p| start >= p.len() && t[start - p.len()..start].eq_ignore_ascii_case(p.as_bytes()))
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
    if anchor.start - start != 76 || after_hash_prefix(t, start) {
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
