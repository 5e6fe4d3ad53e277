//! The management plane's SAS calls, which ask Azure Resource Manager to sign with the
//! account's key (the same operation as a template's `listAccountSas`): Python's
//! `client.storage_accounts.list_account_sas(rg, account, AccountSasParameters(services="b",
//! resource_types="sco", permissions="rwdl", shared_access_expiry_time=…))` (a dict with the
//! same keys, or the REST names `signed_services`, … alike) and `list_service_sas`; Go's
//! `client.ListAccountSAS(ctx, rg, account, armstorage.AccountSasParameters{Services:
//! to.Ptr(armstorage.ServicesB), Permissions: to.Ptr(armstorage.Permissions("rwdl")),
//! SharedAccessExpiryTime: to.Ptr(time.Now().Add(…)), …}, nil)` (the older `mgmtstorage.B`,
//! `"cw"`, `&date.Time{Time: …}` alike). As for templates, a missing protocol claims
//! nothing: the resource provider signs.

use std::ops::Range;

use super::defs::resolve;
use super::letters;
use super::syntax::{arguments, is_ident_byte, method_arguments, string_value, trim, trim_range};
use super::{golang, when, Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// Whether an anchor is one of this reader's.
pub fn is_anchor(a: &[u8]) -> bool {
    a.starts_with(b"list_") || a.starts_with(b"List") && a.ends_with(b"SAS")
}

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    // A method of a client: `storage_accounts.list_account_sas(`, `accounts.ListAccountSAS(`.
    let (args, end) = method_arguments(t, &anchor, limit, true)?;
    let name = std::str::from_utf8(&t[anchor.clone()]).ok()?;
    let account = name.eq_ignore_ascii_case("list_account_sas") || name == "ListAccountSAS";
    let go = name.starts_with('L');
    // The parameters: named `parameters=`, else the argument that is (or names) them.
    let params = args.iter().find_map(|a| {
        let v = resolve(t, &a.value);
        let s = trim(&t[v.clone()]);
        let named = a.name.as_ref().is_some_and(|n| &t[n.clone()] == b"parameters");
        let object = s.starts_with(b"{") || contains(s, b"SasParameters(") || contains(s, b"SasParameters{");
        (named || object).then_some(v)
    })?;
    let s = &t[params.clone()];
    let open = params.start + s.iter().position(|b| matches!(b, b'(' | b'{'))?;
    let (fields, _) = arguments(t, open, params.end, !go)?;
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    let order = f.permission_order();
    for field in &fields {
        let Some(k) = &field.name else { continue };
        let key = String::from_utf8_lossy(&t[k.clone()])
            .trim_matches(['"', '\''])
            .to_ascii_lowercase();
        let key = key.replace('_', "");
        let v = unwrap(t, &resolve(t, &field.value));
        match key.as_str() {
            "services" | "signedservices" => f.services = letters_in(t, &v, "ServicesB", "bfqt"),
            "resourcetypes" | "signedresourcetypes" => {
                f.resource_types = letters_in(t, &v, "SignedResourceTypesO", "sco")
            }
            "permissions" | "signedpermission" => f.permissions = letters_in(t, &v, "PermissionsR", order),
            "sharedaccessexpirytime" | "signedexpiry" => {
                f.expiry = if go {
                    golang::expiry_of(t, &v)
                } else {
                    when::python(t, &v)
                };
                if f.expiry == Expiry::Unknown {
                    f.expiry = string_value(t, &v).map_or(Expiry::Unknown, Expiry::At);
                }
            }
            "protocols" | "signedprotocol" => {
                let p = String::from_utf8_lossy(trim(&t[v.clone()])).to_ascii_lowercase();
                let p = p.trim_matches(['"', '\'']);
                let (given, state) = if p == "https" || p.ends_with(".https") || p.ends_with("protocolhttps") {
                    (Some("https"), Protocol::Given)
                } else if p == "https,http" || p.ends_with("httpshttp") || p.ends_with("https_http") {
                    (Some("https,http"), Protocol::Given)
                } else {
                    (None, Protocol::Unknown)
                };
                f.protocol = given.map(str::to_string);
                f.protocol_state = state;
            }
            "canonicalizedresource" => {
                f.resource = string_value(t, &v).and_then(|r| {
                    let parts = r.trim_matches('/').split('/').count();
                    match (r.starts_with("/blob/"), parts) {
                        (true, 3) => Some("c".into()),
                        (true, n) if n > 3 => Some("b".into()),
                        _ => None,
                    }
                })
            }
            _ => {}
        }
    }
    let surface = if go { Surface::GoSdk } else { Surface::PythonSdk };
    Some((anchor.start..end, surface, name.to_string(), f))
}

fn contains(s: &[u8], what: &[u8]) -> bool {
    memchr::memmem::find(s, what).is_some()
}

/// The value inside Go's `to.Ptr(…)` and `&date.Time{Time: …}`.
fn unwrap(t: &[u8], v: &Range<usize>) -> Range<usize> {
    let v = trim_range(t, v.clone());
    let s = &t[v.clone()];
    for (head, tail) in [(&b"to.Ptr("[..], &b")"[..]), (b"&date.Time{Time:", b"}")] {
        if s.starts_with(head) && s.ends_with(tail) {
            return trim_range(t, v.start + head.len()..v.end - tail.len());
        }
    }
    v
}

/// Letters as a string (`"rwdl"`, `Permissions("rwdl")`) or the SDK's one-letter constants
/// (`armstorage.PermissionsR`, `mgmtstorage.B`, `armstorage.SignedResourceTypesO`; `like` is
/// one of them, its last letter stripped for the prefix), in `order`.
fn letters_in(t: &[u8], v: &Range<usize>, like: &str, order: &str) -> Option<String> {
    let s = trim(&t[v.clone()]);
    let literal = match s.iter().position(|b| *b == b'(') {
        Some(p) if s.ends_with(b")") => string_value(t, &(v.start + p + 1..v.start + s.len() - 1)),
        _ => string_value(t, v),
    };
    if let Some(l) = literal {
        return (letters::is_letters(&l) || order == "bfqt" || order == "sco").then_some(l);
    }
    let member = s.rsplit(|b| *b == b'.').next()?;
    if !member.iter().all(|b| is_ident_byte(*b)) {
        return None;
    }
    let prefix = &like.as_bytes()[..like.len() - 1];
    let letter = member.strip_prefix(prefix).unwrap_or(member);
    (letter.len() == 1)
        .then(|| (letter[0] as char).to_ascii_lowercase().to_string())
        .filter(|l| order.contains(l.as_str()))
}
