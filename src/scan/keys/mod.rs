//! Keys found by what surrounds them rather than by a connection string: the call they
//! are passed to (`StorageSharedKeyCredential(name, "<key>")`), the name they are
//! assigned to (read by [`name`], placed by [`assign`]), command-line options, and the
//! JSON the Azure CLI prints (`az storage account keys list`).

pub mod assign;
mod az_output;
mod calls;
mod literal;
pub mod name;
pub mod nearby;

use std::ops::Range;

use crate::scan::token::Token;

/// Prefilter anchors of the keys found here: constructors and helpers, Python's
/// `credential` keyword, az output's `"keyName"`, and the tails of Service Bus key names
/// (`SERVICEBUS_KEY`, `eventHubsSasKey`: the whole name is read around the match), and a
/// bare `key:` (read as a name that needs Azure context). Exact
/// case, as SDKs and tools spell them: case-insensitive alternatives would multiply the
/// literal prefilter's patterns and slow every scan.
pub const ANCHORS: &str = concat!(
    r#"StorageCredentials|storage_credentials|SharedKeyCredential|NamedKeyCredential"#,
    r#"|SharedAccessSignatureTokenProvider|ServiceClient|credential|"keyName""#,
    r#"|createBlobService|createQueueService|createTableService|createFileService"#,
    r#"|BUS_KEY|BusKey|bus_key|bus-key|BUS_SAS_KEY|BusSasKey|bus_sas_key"#,
    r#"|HUBS?_KEY|Hubs?Key|hubs?_key|hubs?-key|HUBS?_SAS_KEY|Hubs?SasKey|hubs?_sas_key"#,
    // A bare `key:` name (YAML, a JavaScript object): a storage key only with Azure context
    // nearby. (`key":` and `key':` would cost the search a tenth of its speed.)
    r#"|key:"#,
);

/// Handles a prefilter match that is a call name, `credential` or `"keyName"`, pushing
/// the keys it finds; `false` when the match is another kind of anchor (Service Bus names
/// go on as key names).
pub fn scan_key_anchor(t: &[u8], anchor: Range<usize>, out: &mut Vec<Token>) -> bool {
    let m = &t[anchor.clone()];
    // A bare `key:` starts no other token: only the value after it is looked at (most such
    // names hold no key, and this costs them a glance, not a parse).
    if m.starts_with(b"key") {
        if base64_follows(t, anchor.end) {
            if let Some((tok, _)) = super::bare::scan_bare_key(t, anchor.clone(), anchor, false) {
                out.push(tok);
            }
        }
        return true;
    }
    if m.first() == Some(&b'"') {
        az_output::scan_az_output(t, anchor, out);
        return true;
    }
    if m.eq_ignore_ascii_case(b"credential") {
        out.extend(calls::scan_credential(t, anchor));
        return true;
    }
    let is_call = m.len() > 10
        && [
            &b"storagecredentials"[..],
            b"storage_credentials",
            b"sharedkeycredential",
            b"namedkeycredential",
            b"sharedaccesssignaturetokenprovider",
            b"createblobservice",
            b"createqueueservice",
            b"createtableservice",
            b"createfileservice",
            b"serviceclient",
        ]
        .iter()
        .any(|a| m.eq_ignore_ascii_case(a));
    if is_call {
        out.extend(calls::scan_call(t, anchor));
    }
    is_call
}

/// Whether a run of at least 43 base64 characters (a 32-byte key or longer) starts after
/// `at`, past blanks, quotes, a `|`/`>` block indicator and up to two line breaks: the
/// cheap test a bare `key:` must pass before its value is read.
fn base64_follows(t: &[u8], at: usize) -> bool {
    let mut i = at;
    let limit = (at + 128).min(t.len());
    while i < limit && matches!(t[i], b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'|' | b'>' | b'-') {
        i += 1;
    }
    t.len() >= i + 43
        && t[i..i + 43]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}
