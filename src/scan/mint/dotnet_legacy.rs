//! The legacy .NET SDK (Microsoft.Azure.Storage.*, WindowsAzure.Storage):
//! `new SharedAccessAccountPolicy { Permissions = SharedAccessAccountPermissions.Read | …,
//! Services = …, ResourceTypes = …, SharedAccessExpiryTime = DateTime.UtcNow.AddYears(30),
//! Protocols = SharedAccessProtocol.HttpsOrHttp }` (made for
//! `account.GetSharedAccessSignature(policy)`), and `new SharedAccessBlobPolicy { … }`
//! (File, Queue, Table alike) when it is passed to `GetSharedAccessSignature` within reach
//! (a service policy is also how a stored access policy is written, which mints nothing).
//! A null `Protocols`, or no `protocols` argument, leaves `spr` out (`GetProtocolString`
//! returns null): HTTPS and HTTP.

use std::ops::Range;

use super::letters::{self, ordered};
use super::syntax::{arguments, assigned_name, ident_before, is_ident_byte, skip_ws, trim, Arg};
use super::{defs, when, Expiry, Facts, Protocol, Surface};
use crate::scan::sas::{ACCOUNT_PERMISSIONS, SERVICE_PERMISSIONS};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// Whether an anchor is one of this reader's.
pub fn is_anchor(a: &[u8]) -> bool {
    a.starts_with(b"SharedAccess")
}

const GET: &[u8] = b"GetSharedAccessSignature(";

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start > 0 && is_ident_byte(t[anchor.start - 1]) {
        return None;
    }
    let new = ident_before(t, anchor.start).filter(|r| &t[r.clone()] == b"new")?;
    let class = std::str::from_utf8(&t[anchor.clone()]).ok()?.to_string();
    let account = class == "SharedAccessAccountPolicy";
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    f.protocol_state = Protocol::Default;
    let mut i = skip_ws(t, anchor.end, limit);
    let mut end = anchor.end;
    if t.get(i) == Some(&b'(') {
        let (_, e) = arguments(t, i, limit, false)?;
        end = e;
        i = skip_ws(t, e, limit);
    }
    // An initialiser, or `new X()` and its properties set by the statements after it.
    let props = if t.get(i) == Some(&b'{') {
        let (props, e) = arguments(t, i, limit, false)?;
        end = end.max(e);
        props
    } else if end > anchor.end {
        Vec::new()
    } else {
        return None;
    };
    for p in &props {
        if let Some(k) = &p.name {
            property(t, &t[k.clone()], &p.value, &mut f);
        }
    }
    let name = assigned_name(t, new.start);
    // `policy.SharedAccessExpiryTime = …;` after it, up to where it is signed.
    let made = end;
    let set_after = |f: &mut Facts, to: usize| {
        if let Some(n) = &name {
            super::dotnet::member_statements(t, &t[n.clone()], made, to, |m, s| {
                if let super::dotnet::Statement::Assign(v) = s {
                    property(t, m.as_bytes(), &v, f);
                }
            });
        }
    };
    if !account {
        // Inline: `x.GetSharedAccessSignature(new SharedAccessBlobPolicy { … }, …)`, or
        // the name it is assigned to passed to one within reach.
        let floor = new.start.saturating_sub(super::MINT_LOOKBACK);
        let before = &t[floor..new.start];
        let inline = trim(before).ends_with(GET);
        let call = if inline {
            Some(floor + before.iter().rposition(|b| *b == b'(')?)
        } else {
            find_use(t, &t[name.clone()?], end, limit)
        }?;
        let (args, e) = arguments(t, call, limit, false)?;
        if !inline {
            set_after(&mut f, call);
            end = end.max(e);
        }
        signature_arguments(t, &args, &mut f);
        if t[..call].ends_with(b".GetSharedAccessSignature") {
            if let Some(r) = ident_before(t, call - GET.len()) {
                f.resource = receiver_resource(&t[r]);
            }
        }
    }
    if account {
        // Up to where it is signed (`account.GetSharedAccessSignature(policy)`), if there.
        let to = name.as_ref().and_then(|n| find_use(t, &t[n.clone()], end, limit));
        set_after(&mut f, to.unwrap_or(limit));
    }
    if f.policy.is_some() && f.kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    if class == "SharedAccessTablePolicy" {
        f.table = Some("(the table's)".into());
    }
    Some((new.start..end, Surface::DotnetLegacySdk, class, f))
}

/// `container.GetSharedAccessSignature` is a container SAS, `blob.…` a blob SAS, when the
/// receiver's name says so.
fn receiver_resource(name: &[u8]) -> Option<String> {
    let n = String::from_utf8_lossy(name).to_ascii_lowercase();
    if n.contains("container") {
        Some("c".into())
    } else if n.contains("blob") {
        Some("b".into())
    } else {
        None
    }
}

/// The opening bracket of `GetSharedAccessSignature(name…` after `from`.
fn find_use(t: &[u8], name: &[u8], from: usize, limit: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&t[i..limit], GET) {
        let open = i + p + GET.len() - 1;
        i = open + 1;
        let a = skip_ws(t, i, limit);
        if t[a..limit].starts_with(name) && t.get(a + name.len()).is_some_and(|b| !is_ident_byte(*b)) {
            return Some(open);
        }
    }
    None
}

/// `GetSharedAccessSignature(policy, groupPolicyIdentifier, headers, protocols,
/// ipAddressOrRange)` and its shorter overloads.
fn signature_arguments(t: &[u8], args: &[Arg], f: &mut Facts) {
    for a in args.iter().skip(1) {
        let v = trim(&t[a.value.clone()]);
        if let Some(s) = super::syntax::string_value(t, &a.value) {
            f.policy = Some(s);
        } else if v.ends_with(b"SharedAccessProtocol.HttpsOnly") {
            f.give_protocol("https");
        } else if v.ends_with(b"SharedAccessProtocol.HttpsOrHttp") {
            f.give_protocol("https,http");
        } else if v == b"null" {
        } else if f.protocol_state != Protocol::Given {
            // Headers, a policy name or a protocol held elsewhere.
            f.protocol_state = Protocol::Unknown;
        }
    }
}

fn property(t: &[u8], key: &[u8], value: &Range<usize>, f: &mut Facts) {
    // A name set before (`SharedAccessExpiryTime = expiry`): the value assigned to it.
    let v = &defs::resolve(t, value);
    let order = if f.kind == TokenKind::AccountSas {
        ACCOUNT_PERMISSIONS
    } else {
        SERVICE_PERMISSIONS
    };
    match key {
        b"Permissions" => f.permissions = flags(t, v, permission, order),
        b"Services" => f.services = flags(t, v, letters::service, "bfqt"),
        b"ResourceTypes" => f.resource_types = flags(t, v, letters::resource_type, "sco"),
        b"SharedAccessExpiryTime" => {
            f.expiry = match when::dotnet(t, v) {
                Expiry::Unknown => when::named_now(t, v),
                e => e,
            }
        }
        b"SharedAccessStartTime" => f.start = when::dotnet(t, v).literal(),
        b"Protocols" => match trim(&t[v.clone()]) {
            b"SharedAccessProtocol.HttpsOnly" => {
                f.give_protocol("https");
            }
            b"SharedAccessProtocol.HttpsOrHttp" => {
                f.give_protocol("https,http");
            }
            b"null" => {}
            _ => f.protocol_state = Protocol::Unknown,
        },
        _ => {}
    }
}

/// A member of the legacy permission enums (`ProcessMessages`, the table's `Query`).
fn permission(member: &str) -> Option<char> {
    match member {
        "ProcessMessages" => Some('p'),
        "Query" => Some('r'),
        _ => letters::permission(member),
    }
}

/// `Enum.A | Enum.B` as letters in `order`; `None` when a part is not a member the text
/// names (`None` members add nothing).
fn flags(t: &[u8], v: &Range<usize>, letter: fn(&str) -> Option<char>, order: &str) -> Option<String> {
    let s = std::str::from_utf8(&t[v.clone()]).ok()?;
    let mut out = Vec::new();
    for part in s.split('|') {
        let (path, member) = part.trim().rsplit_once('.')?;
        if !path.starts_with("SharedAccess") && !path.contains(".SharedAccess") {
            return None;
        }
        if member == "None" {
            continue;
        }
        out.push(letter(member)?);
    }
    Some(ordered(&out, order))
}
