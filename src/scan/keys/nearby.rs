//! Azure context near a key: an account name or a storage endpoint within a few lines.
//! How far a decision may look is bounded in lines and bytes ([`LINE_REACH`],
//! [`BYTE_REACH`]), so an editor re-scanning the lines around an edit sees all of it.

use std::ops::Range;

/// How many lines before or after a key anything that decides it may lie (its name, the
/// call it is passed to, the `az` output fields around it, Azure context).
pub const LINE_REACH: usize = 6;
/// How many bytes before or after a key that may lie (a long line is re-scanned in
/// windows with more margin than this).
pub const BYTE_REACH: usize = 900;
/// Lines and bytes searched for Azure context either side of a key.
const CONTEXT_LINES: usize = 3;
const CONTEXT_BYTES: usize = 512;

/// What says "Azure Storage" near a key: an account name, an endpoint, a connection string.
const STORAGE_CONTEXT: &[&[u8]] = &[
    b"accountname",
    b"account_name",
    b"account-name",
    b"storageaccount",
    b"storage_account",
    b"storage-account",
    b"defaultendpointsprotocol",
    b".core.windows.net",
    b".core.chinacloudapi.cn",
    b".core.usgovcloudapi.net",
    b".core.cloudapi.de",
    b".storage.azure.net",
];

/// Start of the window `lines` line breaks (`\r` or `\n`) and at most `bytes` before `at`.
pub fn back(t: &[u8], at: usize, lines: usize, bytes: usize) -> usize {
    let floor = at.saturating_sub(bytes);
    let mut seen = 0;
    let mut i = at;
    while i > floor {
        if matches!(t[i - 1], b'\n' | b'\r') {
            seen += 1;
            if seen > lines {
                return i;
            }
        }
        i -= 1;
    }
    floor
}

/// End of the window `lines` line breaks and at most `bytes` after `at`.
pub fn forward(t: &[u8], at: usize, lines: usize, bytes: usize) -> usize {
    let ceil = (at + bytes).min(t.len());
    let mut seen = 0;
    let mut i = at;
    while i < ceil {
        if matches!(t[i], b'\n' | b'\r') {
            seen += 1;
            if seen > lines {
                return i;
            }
        }
        i += 1;
    }
    ceil
}

/// True when an account name or storage endpoint lies within three lines and 512 bytes of
/// `key`, or one of `extra` does (case-insensitive).
pub fn storage_context(t: &[u8], key: Range<usize>, extra: &[&[u8]]) -> bool {
    let lo = back(t, key.start, CONTEXT_LINES, CONTEXT_BYTES);
    let hi = forward(t, key.end, CONTEXT_LINES, CONTEXT_BYTES);
    let around: Vec<u8> = t[lo..key.start]
        .iter()
        .chain(&t[key.end..hi])
        .map(u8::to_ascii_lowercase)
        .collect();
    STORAGE_CONTEXT
        .iter()
        .chain(extra)
        .any(|p| memchr::memmem::find(&around, &p.to_ascii_lowercase()).is_some())
}

/// Option and field names whose value is an account name.
const ACCOUNT_NAMES: &[&[u8]] = &[b"--account-name", b"accountname", b"account_name"];
/// Storage services in an endpoint host (`<account>.<service>.core.windows.net`).
const SERVICES: &[&[u8]] = &[b".blob", b".queue", b".table", b".file", b".dfs", b".web"];

/// The storage account named nearest to `key` within the context window: an endpoint host
/// (`acct.blob.core.windows.net`), an option (`--account-name acct`,
/// `-StorageAccountName acct`) or a field (`AccountName=acct`, `ACCOUNT_NAME = "acct"`).
pub fn account_near(t: &[u8], key: Range<usize>) -> Option<String> {
    let lo = back(t, key.start, CONTEXT_LINES, CONTEXT_BYTES);
    let hi = forward(t, key.end, CONTEXT_LINES, CONTEXT_BYTES);
    let lower: Vec<u8> = t[lo..hi].iter().map(u8::to_ascii_lowercase).collect();
    let key_at = key.start - lo;
    let mut best: Option<(usize, String)> = None;
    let mut offer = |at: usize, name: &[u8]| {
        let valid = (3..=24).contains(&name.len()) && name.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !valid {
            return;
        }
        let distance = at.abs_diff(key_at);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, String::from_utf8_lossy(name).into_owned()));
        }
    };
    let name_at = |from: usize| {
        let mut s = from;
        while s < lower.len() && matches!(lower[s], b' ' | b'\t' | b'=' | b'"' | b'\'' | b':') {
            s += 1;
        }
        if s == from {
            // `accountNamePrefix`: another name.
            return s..s;
        }
        let mut e = s;
        while e < lower.len() && lower[e].is_ascii_alphanumeric() {
            e += 1;
        }
        s..e
    };
    for field in ACCOUNT_NAMES {
        for at in memchr::memmem::find_iter(&lower, field) {
            let r = name_at(at + field.len());
            offer(at, &lower[r]);
        }
    }
    for suffix in STORAGE_CONTEXT.iter().filter(|s| s.starts_with(b".")) {
        for at in memchr::memmem::find_iter(&lower, suffix) {
            let Some(service) = SERVICES.iter().find(|s| lower[..at].ends_with(s)) else {
                continue;
            };
            let end = at - service.len();
            let mut start = end;
            while start > 0 && lower[start - 1].is_ascii_alphanumeric() {
                start -= 1;
            }
            offer(at, &lower[start..end]);
        }
    }
    best.map(|(_, name)| name)
}
