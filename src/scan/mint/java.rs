//! Java (azure-storage-blob, -file-share, -queue, -file-datalake, azure-data-tables):
//! `new AccountSasSignatureValues(expiryTime, permissions, services, resourceTypes)` and
//! `new BlobServiceSasSignatureValues(expiryTime, permissions)` (Share, Queue, DataLake,
//! Table and TableAccount alike), with the setters chained on it or called on the name it
//! is assigned to (`setProtocol(SasProtocol.HTTPS_HTTP)`, `setStartTime`, `setIdentifier`);
//! permissions as `AccountSasPermission.parse("rwdl")` or `new AccountSasPermission()
//! .setReadPermission(true)…`, services and resource types alike; expiry as
//! `OffsetDateTime.now().plusYears(30)`; each may be a name assigned before the call
//! (constructor and setter arguments alike, read through [`super::defs`]). The SAS itself is made by `generateSas(values)`,
//! `generateAccountSas(values)` or `generateUserDelegationSas(values, key)` (a user
//! delegation SAS). With no protocol set, `spr` is left out (`tryAppendQueryParameter`
//! skips `null`): HTTPS and HTTP.

use std::ops::Range;

use super::defs::{resolve, resolve_unchanged};
use super::letters::{self, ordered, Kind};
use super::syntax::{
    arguments, assigned_name, ident_at, ident_before, is_ident_byte, number, skip_ws, string_value, trim, Arg,
};
use super::{Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// Whether an anchor is one of this reader's.
pub fn is_anchor(a: &[u8]) -> bool {
    a.ends_with(b"SasSignatureValues")
}

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start > 0 && is_ident_byte(t[anchor.start - 1]) {
        return None;
    }
    // Only a construction mints: `new XSasSignatureValues(…)`.
    let new = ident_before(t, anchor.start).filter(|r| &t[r.clone()] == b"new")?;
    let open = skip_ws(t, anchor.end, limit);
    if t.get(open) != Some(&b'(') {
        return None;
    }
    let (args, mut end) = arguments(t, open, limit, false)?;
    let class = std::str::from_utf8(&t[anchor.clone()]).ok()?.to_string();
    let account = class.starts_with("Account") || class.starts_with("TableAccount");
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    f.protocol_state = Protocol::Default;
    if class.starts_with("Table") && !account {
        f.table = Some("(the client's table)".into());
    }
    match args.as_slice() {
        // (String identifier): a stored access policy.
        [id] if !account => f.policy = string_value(t, &id.value),
        // Each may be a name assigned before: `OffsetDateTime expiryTime = …;`.
        [expiry, perms, rest @ ..] => {
            f.expiry = expiry_of(t, &resolve(t, &expiry.value));
            f.permissions = letters_of(
                t,
                &resolve_unchanged(t, &perms.value),
                Kind::Permission,
                f.permission_order(),
            );
            if let [services, types, ..] = rest {
                f.services = letters_of(t, &resolve_unchanged(t, &services.value), Kind::Service, "bfqt");
                f.resource_types = letters_of(t, &resolve_unchanged(t, &types.value), Kind::ResourceType, "sco");
            }
        }
        // `new XSasSignatureValues()` and setters, or no arguments the text shows.
        _ => {}
    }
    // Setters chained on the construction.
    let mut i = skip_ws(t, end, limit);
    while t.get(i) == Some(&b'.') {
        let Some(name) = ident_at(t, skip_ws(t, i + 1, limit), limit) else {
            break;
        };
        let o = skip_ws(t, name.end, limit);
        if t.get(o) != Some(&b'(') {
            break;
        }
        let Some((a, e)) = arguments(t, o, limit, false) else {
            break;
        };
        setter(t, &t[name], &a, &mut f);
        end = e;
        i = skip_ws(t, e, limit);
    }
    // Inline in `generateUserDelegationSas(new …, key)`.
    if delegation_call_before(t, new.start) {
        f.kind = TokenKind::UserDelegationSas;
    }
    if let Some(name) = assigned_name(t, new.start) {
        statements(t, &t[name], end, limit, &mut f);
    }
    if f.policy.is_some() && f.kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    Some((new.start..end, Surface::JavaSdk, class, f))
}

/// Whether the text before `at` ends with `generateUserDelegationSas(` (spaces and line
/// breaks between): what starts at `at` is its first argument, the values.
fn delegation_call_before(t: &[u8], at: usize) -> bool {
    let before = trim(&t[at.saturating_sub(super::MINT_LOOKBACK)..at]);
    before.ends_with(b"generateUserDelegationSas(")
}

/// One setter on the values; its argument may be a name assigned before
/// (`.setPermissions(permission)`).
fn setter(t: &[u8], name: &[u8], args: &[Arg], f: &mut Facts) {
    let [a] = args else { return };
    let v = &if name == b"setExpiryTime" || name == b"setStartTime" {
        resolve(t, &a.value)
    } else if name == b"setIdentifier" {
        a.value.clone()
    } else {
        resolve_unchanged(t, &a.value)
    };
    match name {
        b"setProtocol" => match trim(&t[v.clone()]) {
            b"SasProtocol.HTTPS_ONLY" => {
                f.give_protocol("https");
            }
            b"SasProtocol.HTTPS_HTTP" => {
                f.give_protocol("https,http");
            }
            _ => {
                f.protocol = None;
                f.protocol_state = Protocol::Unknown;
            }
        },
        b"setExpiryTime" => f.expiry = expiry_of(t, v),
        b"setStartTime" => f.start = expiry_of(t, v).literal(),
        b"setPermissions" => f.permissions = letters_of(t, v, Kind::Permission, f.permission_order()),
        b"setServices" => f.services = letters_of(t, v, Kind::Service, "bfqt"),
        b"setResourceTypes" => f.resource_types = letters_of(t, v, Kind::ResourceType, "sco"),
        // A policy named by a variable may be null: only a literal one is claimed.
        b"setIdentifier" => f.policy = string_value(t, v),
        _ => {}
    }
}

/// `name.setX(…);` statements and `generateUserDelegationSas(name, …)` after the
/// construction, up to `limit` or a new assignment of `name`.
fn statements(t: &[u8], name: &[u8], from: usize, limit: usize, f: &mut Facts) {
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&t[i..limit], name) {
        let at = i + p;
        i = at + name.len();
        if (at > 0 && (is_ident_byte(t[at - 1]) || t[at - 1] == b'.')) || t.get(i).is_some_and(|b| is_ident_byte(*b)) {
            continue;
        }
        let j = skip_ws(t, i, limit);
        if t.get(j) == Some(&b'=') && t.get(j + 1) != Some(&b'=') {
            return;
        }
        if delegation_call_before(t, at) && t.get(j) == Some(&b',') {
            f.kind = TokenKind::UserDelegationSas;
            continue;
        }
        if t.get(j) != Some(&b'.') {
            continue;
        }
        let Some(m) = ident_at(t, skip_ws(t, j + 1, limit), limit) else {
            continue;
        };
        let o = skip_ws(t, m.end, limit);
        if t.get(o) == Some(&b'(') {
            if let Some((a, e)) = arguments(t, o, limit, false) {
                setter(t, &t[m], &a, f);
                i = e;
            }
        }
    }
}

/// `XSasPermission.parse("rwdl")` or `new XSasPermission().setReadPermission(true)…` (and
/// the service and resource-type classes alike): the letters, when the text fixes them.
fn letters_of(t: &[u8], v: &Range<usize>, kind: Kind, order: &str) -> Option<String> {
    let s = trim(&t[v.clone()]);
    let ok = |s: String| letters::is_letters(&s).then_some(s);
    if let Some(at) = memchr::memmem::find(s, b".parse(") {
        if !s[..at].iter().all(|b| is_ident_byte(*b)) || s.last() != Some(&b')') {
            return None;
        }
        let inner = &s[at + ".parse(".len()..s.len() - 1];
        return ok(string_value(inner, &(0..inner.len()))?);
    }
    let rest = s.strip_prefix(b"new ")?;
    let open = rest.iter().position(|b| *b == b'(')?;
    if !rest[..open].iter().all(|b| is_ident_byte(*b)) || rest.get(open + 1) != Some(&b')') {
        return None;
    }
    let mut out = Vec::new();
    let mut r = &rest[open + 2..];
    loop {
        r = trim(r);
        if r.is_empty() {
            break;
        }
        let after = r.strip_prefix(b".")?;
        let after = trim(after);
        let o = after.iter().position(|b| *b == b'(')?;
        let c = after[o..].iter().position(|b| *b == b')')? + o;
        let setter = std::str::from_utf8(&after[..o]).ok()?.trim();
        let on = match trim(&after[o + 1..c]) {
            b"true" => true,
            b"false" => false,
            _ => return None,
        };
        let name = setter.strip_prefix("set")?;
        let letter = match kind {
            Kind::Permission => permission(name)?,
            Kind::Service => letters::service(name.strip_suffix("Access").unwrap_or(name))?,
            Kind::ResourceType => kind.letter(name)?,
        };
        if on {
            out.push(letter);
        }
        r = &after[c + 1..];
    }
    Some(ordered(&out, order))
}

/// A permission setter's name (`ReadPermission`, `ProcessMessages`, `TagsPermission`).
fn permission(name: &str) -> Option<char> {
    let n = name.strip_suffix("Permission").unwrap_or(name);
    match n {
        "ProcessMessages" => Some('p'),
        "Tags" => Some('t'),
        "FilterTags" => Some('f'),
        "ImmutabilityPolicy" => Some('i'),
        _ => letters::permission(n),
    }
}

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3_600.0;
const DAY: f64 = 86_400.0;
const YEAR: f64 = 365.25 * DAY;

/// `OffsetDateTime.now()` (or `.now(ZoneOffset.UTC)`) followed by `.plusDays(n)`,
/// `.plusYears(n)`, `.plus(Duration.ofHours(n))`…; `OffsetDateTime.parse("…")`;
/// `OffsetDateTime.of(2051, 1, 1, …)`. Anything else is unknown.
fn expiry_of(t: &[u8], v: &Range<usize>) -> Expiry {
    let s = trim(&t[v.clone()]);
    let s = std::str::from_utf8(s).unwrap_or_default();
    if let Some(inner) = s
        .strip_prefix("OffsetDateTime.parse(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return string_value(inner.as_bytes(), &(0..inner.len())).map_or(Expiry::Unknown, Expiry::At);
    }
    if let Some(inner) = s.strip_prefix("OffsetDateTime.of(").and_then(|r| r.strip_suffix(')')) {
        return super::when::date_parts(inner.as_bytes()).unwrap_or(Expiry::Unknown);
    }
    let Some(rest) = s.strip_prefix("OffsetDateTime.now(") else {
        return Expiry::Unknown;
    };
    let Some(close) = rest.find(')') else {
        return Expiry::Unknown;
    };
    let zone = rest[..close].trim();
    if !(zone.is_empty() || zone == "ZoneOffset.UTC") {
        return Expiry::Unknown;
    }
    chain(&rest[close + 1..])
        .filter(|s| *s > 0)
        .map_or(Expiry::Unknown, Expiry::In)
}

/// The seconds `.plusX(n)` and `.plus(Duration.ofX(n))` calls add.
fn chain(mut r: &str) -> Option<i64> {
    let mut total = 0.0;
    while !r.trim().is_empty() {
        let after = r.trim_start().strip_prefix('.')?;
        let open = after.find('(')?;
        let name = after[..open].trim();
        let close = super::syntax::close_of(after.as_bytes(), open, after.len(), false)?;
        let arg = after[open + 1..close - 1].trim();
        total += match name {
            "plus" => {
                let d = arg.strip_prefix("Duration.of")?;
                let o = d.find('(')?;
                number(d[o + 1..].strip_suffix(')')?.as_bytes())? * unit(&d[..o])?
            }
            "toInstant" | "withNano" | "truncatedTo" => 0.0,
            _ => number(arg.as_bytes())? * unit(name.strip_prefix("plus")?)?,
        };
        r = &after[close..];
    }
    (total.is_finite() && total.abs() < 1e13).then_some(total.round() as i64)
}

fn unit(name: &str) -> Option<f64> {
    Some(match name {
        "Seconds" => 1.0,
        "Minutes" => MINUTE,
        "Hours" => HOUR,
        "Days" => DAY,
        "Weeks" => 7.0 * DAY,
        "Months" => YEAR / 12.0,
        "Years" => YEAR,
        _ => return None,
    })
}
