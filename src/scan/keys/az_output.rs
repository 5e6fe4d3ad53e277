//! Keys in the JSON the Azure CLI prints: `az storage account keys list`
//! (`{"keyName": "key1", "permissions": "FULL", "value": "<key>"}`) and
//! `az servicebus|eventhubs|relay … authorization-rule keys list` / `az iot hub policy show`
//! (`{"keyName": "RootManageSharedAccessKey", "primaryConnectionString": …,
//! "primaryKey": "<key>", "secondaryKey": "<key>"}`). The names `value` and `primaryKey`
//! are too common to trust alone: the object must read as that output, with `keyName`
//! first and the members az prints after it (az sorts them).

use std::ops::Range;

use super::literal::{literal_at, skip_space};
use crate::scan::connstr::{key_token, live_key};
use crate::scan::token::{Token, TokenKind};

/// Bytes and members read after `"keyName"`.
const MAX_BYTES: usize = 900;
const MAX_MEMBERS: usize = 12;

/// The members of the object after its `"keyName"` member.
#[derive(Default)]
struct Members {
    key_name: Option<Range<usize>>,
    permissions: Option<Range<usize>>,
    value: Option<Range<usize>>,
    keys: Vec<Range<usize>>,
    connection_string: bool,
    rights: bool,
}

/// Reads `"name"` `:` value pairs from `i` (just past a `"keyName"`), stopping at the end
/// of the object, at another `"keyName"`, or at anything that is not such output.
fn members(t: &[u8], anchor_end: usize) -> Members {
    let limit = (anchor_end + MAX_BYTES).min(t.len());
    let t = &t[..limit];
    let mut m = Members::default();
    let Some((v, mut i)) = colon_string(t, anchor_end) else {
        return m;
    };
    m.key_name = Some(v);
    for _ in 0..MAX_MEMBERS {
        let (j, _) = skip_space(t, i, 2);
        if t.get(j) != Some(&b',') {
            break;
        }
        let (j, _) = skip_space(t, j + 1, 2);
        let Some((name, next)) = literal_at(t, j).filter(|_| t[j] == b'"') else {
            break;
        };
        let name = &t[name];
        if name.eq_ignore_ascii_case(b"keyName") {
            break;
        }
        let (k, _) = skip_space(t, next, 0);
        if t.get(k) != Some(&b':') {
            break;
        }
        let (k, _) = skip_space(t, k + 1, 1);
        let value = match t.get(k) {
            Some(b'"') => match literal_at(t, k) {
                Some((v, next)) => {
                    i = next;
                    Some(v)
                }
                None => break,
            },
            Some(b'[') => match memchr::memchr(b']', &t[k..]) {
                Some(close) => {
                    i = k + close + 1;
                    None
                }
                None => break,
            },
            Some(_) => {
                let end = (k..t.len())
                    .find(|&p| !t[p].is_ascii_alphanumeric() && !matches!(t[p], b'.' | b'-' | b'+' | b':'))
                    .unwrap_or(t.len());
                if end == k {
                    break;
                }
                i = end;
                None
            }
            None => break,
        };
        match name {
            n if n.eq_ignore_ascii_case(b"permissions") => m.permissions = value,
            n if n.eq_ignore_ascii_case(b"value") => m.value = value,
            n if n.eq_ignore_ascii_case(b"primaryKey") || n.eq_ignore_ascii_case(b"secondaryKey") => {
                m.keys.extend(value)
            }
            n if n.eq_ignore_ascii_case(b"primaryConnectionString")
                || n.eq_ignore_ascii_case(b"secondaryConnectionString") =>
            {
                m.connection_string = true
            }
            n if n.eq_ignore_ascii_case(b"rights") => m.rights = true,
            _ => {}
        }
    }
    m
}

/// `: "…"` from `i`: the string's content and the offset after it.
fn colon_string(t: &[u8], i: usize) -> Option<(Range<usize>, usize)> {
    let (i, _) = skip_space(t, i, 0);
    if t.get(i) != Some(&b':') {
        return None;
    }
    let (i, _) = skip_space(t, i + 1, 1);
    (t.get(i) == Some(&b'"')).then(|| literal_at(t, i)).flatten()
}

/// Every live key of the az output object whose `"keyName"` is at `anchor`.
pub fn scan_az_output(t: &[u8], anchor: std::ops::Range<usize>, out: &mut Vec<Token>) {
    let m = members(t, anchor.end);
    let Some(name) = m.key_name.clone() else {
        return;
    };
    let name_text = String::from_utf8_lossy(&t[name]).into_owned();
    let storage_name = ["key1", "key2"].iter().any(|k| name_text.eq_ignore_ascii_case(k));
    let storage_permissions = m.permissions.as_ref().is_some_and(|p| {
        let p = &t[p.clone()];
        p.eq_ignore_ascii_case(b"FULL") || p.eq_ignore_ascii_case(b"READ")
    });
    if let (true, true, Some(v)) = (storage_name, storage_permissions, m.value.clone()) {
        if let Some(live) = live_key(t, v.clone(), 64) {
            out.push(key_token(
                TokenKind::StorageAccountKey,
                v.clone(),
                v,
                &live,
                None,
                None,
                None,
            ));
        }
    }
    let full_control = ["RootManageSharedAccessKey", "iothubowner"]
        .iter()
        .any(|p| name_text.eq_ignore_ascii_case(p));
    if m.connection_string || m.rights || full_control {
        for k in m.keys {
            if let Some(live) = live_key(t, k.clone(), 32) {
                let rule = Some(name_text.clone()).filter(|n| !n.is_empty() && n.len() <= 256);
                out.push(key_token(
                    TokenKind::SharedAccessKey,
                    k.clone(),
                    k,
                    &live,
                    None,
                    None,
                    rule,
                ));
            }
        }
    }
}
