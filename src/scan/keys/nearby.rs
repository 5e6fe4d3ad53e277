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
