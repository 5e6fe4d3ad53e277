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

/// Handles a prefilter match that is a call name, `credential` or `"keyName"` (the
/// anchors `scan` lists for this module), pushing the keys it finds; `false` when the
/// match is another kind of anchor.
pub fn scan_key_anchor(t: &[u8], anchor: Range<usize>, out: &mut Vec<Token>) -> bool {
    let m = &t[anchor.clone()];
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
