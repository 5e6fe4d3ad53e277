//! Go (azure-sdk-for-go: azblob, azfile, azqueue, azdatalake `sas` packages):
//! `sas.AccountSignatureValues{…}` and `sas.BlobSignatureValues{…}` (and the `Queue`,
//! `Datalake` and azfile's plain `SignatureValues`) signed with `.SignWithSharedKey(cred)`
//! or `.SignWithUserDelegation(udc)` (a user delegation SAS), on the literal or on the name
//! it is assigned to; and the clients' `GetSASURL(permissions, expiry, options)` (the
//! service client's takes resource types first). Permissions as a string or
//! `to.Ptr(sas.AccountPermissions{Read: true, …}).String()`, resource types alike; expiry
//! as `time.Now().UTC().Add(48 * time.Hour)` or `.AddDate(30, 0, 0)`. With no `Protocol`,
//! `QueryParameters.Encode` leaves `spr` out (it skips `""`): HTTPS and HTTP. `GetSASURL`
//! sets no protocol in the current azblob, azfile and azdatalake but set
//! `ProtocolHTTPS` in earlier releases: its protocol is not claimed.

use std::ops::Range;

use super::defs::{resolve_in_scope, GO_SCOPES};
use super::letters::{self, ordered, Kind};
use super::syntax::{arguments, ident_at, ident_before, is_ident_byte, number, skip_ws, string_value, trim};
use super::{Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// Whether an anchor is one of this reader's.
pub fn is_anchor(a: &[u8]) -> bool {
    a.starts_with(b"sas.") || a == b"GetSASURL"
}

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if &t[anchor.clone()] == b"GetSASURL" {
        return read_url(t, anchor, limit);
    }
    if anchor.start > 0 && (is_ident_byte(t[anchor.start - 1]) || matches!(t[anchor.start - 1], b'.' | b']' | b'*')) {
        return None;
    }
    // A literal: `sas.XSignatureValues{` (a type in a declaration has no brace).
    let open = anchor.end;
    if t.get(open) != Some(&b'{') {
        return None;
    }
    let (fields, mut end) = arguments(t, open, limit, false)?;
    if fields.is_empty() {
        return None;
    }
    let class = std::str::from_utf8(&t[anchor.start + 4..anchor.end]).ok()?.to_string();
    let account = class == "AccountSignatureValues";
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    f.protocol_state = Protocol::Default;
    let (mut container, mut blob) = (false, false);
    for a in &fields {
        let Some(k) = &a.name else {
            // Positional fields: which is which is not read.
            f.protocol_state = Protocol::Unknown;
            continue;
        };
        let v = &value(t, &a.value);
        match &t[k.clone()] {
            b"Protocol" => match trim(&t[v.clone()]) {
                b"sas.ProtocolHTTPS" | b"\"https\"" => {
                    f.give_protocol("https");
                }
                b"sas.ProtocolHTTPSandHTTP" | b"\"https,http\"" => {
                    f.give_protocol("https,http");
                }
                _ => f.protocol_state = Protocol::Unknown,
            },
            b"ExpiryTime" => f.expiry = expiry_of(t, v),
            b"StartTime" => f.start = expiry_of(t, v).literal(),
            b"Permissions" => f.permissions = letters_of(t, v, Kind::Permission, f.permission_order()),
            b"ResourceTypes" => f.resource_types = letters_of(t, v, Kind::ResourceType, "sco"),
            b"Services" => f.services = letters_of(t, v, Kind::Service, "bfqt"),
            // A policy named by a variable may be empty: only a literal one is claimed.
            b"Identifier" => f.policy = string_value(t, v).filter(|s| !s.is_empty()),
            b"ContainerName" | b"ShareName" | b"FileSystemName" => container = true,
            b"BlobName" | b"FilePath" => blob = true,
            _ => {}
        }
    }
    if !account {
        f.resource = match (container, blob) {
            (_, true) => Some(if class == "SignatureValues" { "f" } else { "b" }.into()),
            (true, false) => Some(if class == "SignatureValues" { "s" } else { "c" }.into()),
            _ => None,
        };
    }
    // Signed on the literal, or on the name it is assigned to.
    let i = skip_ws(t, end, limit);
    if t[i..limit].starts_with(b".SignWithUserDelegation(") {
        f.kind = TokenKind::UserDelegationSas;
    }
    if t[i..limit].starts_with(b".Sign") {
        if let Some(m) = ident_at(t, i + 1, limit) {
            end = m.end;
        }
    }
    if let Some(name) = assigned_name(t, anchor.start) {
        let name = &t[name];
        let mut needle = name.to_vec();
        needle.extend_from_slice(b".SignWithUserDelegation(");
        if let Some(p) = memchr::memmem::find(&t[end..limit], &needle) {
            let at = end + p;
            if at == 0 || !is_ident_byte(t[at - 1]) {
                f.kind = TokenKind::UserDelegationSas;
            }
        }
    }
    if f.policy.is_some() && f.kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    let call = format!("sas.{class}");
    Some((anchor.start..end, Surface::GoSdk, call, f))
}

/// `name := sas.X{` / `name = sas.X{` / `var name = sas.X{`: the name.
fn assigned_name(t: &[u8], at: usize) -> Option<Range<usize>> {
    let floor = at.saturating_sub(super::MINT_LOOKBACK);
    let mut i = at;
    while i > floor && matches!(t[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i < 2 || t[i - 1] != b'=' || matches!(t[i - 2], b'=' | b'!' | b'<' | b'>') {
        return None;
    }
    let e = if t[i - 2] == b':' { i - 2 } else { i - 1 };
    ident_before(t, e)
}

/// `client.GetSASURL(sas.BlobPermissions{Read: true}, time.Now().Add(time.Hour), nil)` and
/// the service client's `GetSASURL(sas.AccountResourceTypes{…}, sas.AccountPermissions{…},
/// expiry, nil)`.
fn read_url(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start == 0 || t[anchor.start - 1] != b'.' {
        return None;
    }
    let open = anchor.end;
    if t.get(open) != Some(&b'(') {
        return None;
    }
    let (args, end) = arguments(t, open, limit, false)?;
    // A declaration's parameters are named and typed (`permissions sas.BlobPermissions`).
    if args.len() < 2
        || args
            .iter()
            .any(|a| a.name.is_some() || is_parameter(&t[a.value.clone()]))
    {
        return None;
    }
    // Names read as the values assigned to them before the call, in the same function.
    let values: Vec<Range<usize>> = args.iter().map(|a| value(t, &a.value)).collect();
    let first = trim(&t[values[0].clone()]);
    // The service client's takes resource types, permissions, expiry and options.
    let account = memchr::memmem::find(first, b"AccountResourceTypes").is_some() || args.len() == 4;
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    f.protocol_state = Protocol::Unknown;
    let (perms, expiry) = if account {
        f.resource_types = letters_of(t, &values[0], Kind::ResourceType, "sco");
        (values.get(1)?, values.get(2)?)
    } else {
        (&values[0], &values[1])
    };
    f.permissions = letters_of(t, perms, Kind::Permission, f.permission_order());
    f.expiry = expiry_of(t, expiry);
    if !account {
        let p = trim(&t[perms.clone()]);
        let p = p.strip_prefix(b"&").unwrap_or(p);
        f.resource = [
            (&b"sas.BlobPermissions"[..], "b"),
            (b"sas.ContainerPermissions", "c"),
            (b"sas.SharePermissions", "s"),
            (b"sas.FilePermissions", "f"),
        ]
        .iter()
        .find(|(n, _)| p.starts_with(n))
        .map(|(_, r)| r.to_string());
    }
    Some((anchor.start..end, Surface::GoSdk, "GetSASURL".into(), f))
}

/// `v`, or the value assigned before it (in the same function) to the name it is: `expiry`
/// for `expiry := time.Now().Add(…)`, `perms.String()` for `perms := sas.XPermissions{…}`.
fn value(t: &[u8], v: &Range<usize>) -> Range<usize> {
    let s = trim(&t[v.clone()]);
    let start = v.start + (s.as_ptr() as usize - t[v.clone()].as_ptr() as usize);
    let name = match s.strip_suffix(b".String()") {
        Some(n) => start..start + n.len(),
        None => start..start + s.len(),
    };
    let r = resolve_in_scope(t, &name, GO_SCOPES);
    if r == name {
        v.clone()
    } else {
        r
    }
}

/// `name sas.Type` or `name *Type`: a parameter, not an argument.
fn is_parameter(s: &[u8]) -> bool {
    let s = trim(s);
    let Some(sp) = s.iter().position(|b| *b == b' ') else {
        return false;
    };
    s[..sp].iter().all(|b| is_ident_byte(*b)) && {
        let ty = trim(&s[sp..]);
        ty.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'*')
            && ty.iter().all(|b| is_ident_byte(*b) || matches!(b, b'.' | b'*'))
    }
}

/// A string literal, `sas.XPermissions{Read: true}`, `(&sas.X{…}).String()` or
/// `to.Ptr(sas.X{…}).String()`: the letters, when the text fixes them.
fn letters_of(t: &[u8], v: &Range<usize>, kind: Kind, order: &str) -> Option<String> {
    if let Some(s) = string_value(t, v) {
        return letters::is_letters(&s).then_some(s);
    }
    let s = trim(&t[v.clone()]);
    let s = s.strip_suffix(b".String()").unwrap_or(s);
    let s = s
        .strip_prefix(b"to.Ptr(")
        .or_else(|| s.strip_prefix(b"(&"))
        .and_then(|r| r.strip_suffix(b")"))
        .unwrap_or(s);
    let s = s.strip_prefix(b"&").unwrap_or(s);
    let open = s.iter().position(|b| *b == b'{')?;
    let head = &s[..open];
    if !head.starts_with(b"sas.") || !head[4..].iter().all(|b| is_ident_byte(*b)) {
        return None;
    }
    let base = (s.as_ptr() as usize - t.as_ptr() as usize) + open;
    let (fields, e) = arguments(t, base, v.end, false)?;
    if e != base + (s.len() - open) {
        return None;
    }
    let mut out = Vec::new();
    for a in &fields {
        let name = std::str::from_utf8(&t[a.name.clone()?]).ok()?;
        let c = match kind {
            Kind::Permission => match name {
                "Ownership" => 'o',
                "Permissions" => 'p',
                _ => kind.letter(name)?,
            },
            _ => kind.letter(name)?,
        };
        match trim(&t[a.value.clone()]) {
            b"true" => out.push(c),
            b"false" => {}
            _ => return None,
        }
    }
    Some(ordered(&out, order))
}

const SECOND: f64 = 1.0;
const DAY: f64 = 86_400.0;
const YEAR: f64 = 365.25 * DAY;

/// `time.Now()` with `.UTC()`, `.Add(d)` and `.AddDate(y, m, d)` in any order, `d` a
/// product of literals and one `time.Hour`-like unit; `time.Date(2051, 1, 1, …)`; a name
/// assigned such a now in the same function, with those calls after it
/// (`start := time.Now().UTC()`, then `start.Add(48 * time.Hour)`).
pub(super) fn expiry_of(t: &[u8], v: &Range<usize>) -> Expiry {
    let Ok(s) = std::str::from_utf8(trim(&t[v.clone()])) else {
        return Expiry::Unknown;
    };
    if let Some(inner) = s.strip_prefix("time.Date(").and_then(|r| r.strip_suffix(')')) {
        return super::when::date_parts(inner.as_bytes()).unwrap_or(Expiry::Unknown);
    }
    let (base, r) = match s.strip_prefix("time.Now()") {
        Some(r) => (Some(0.0), r),
        None => {
            let start = v.start + (s.as_ptr() as usize - t[v.clone()].as_ptr() as usize);
            let n = s.bytes().take_while(|b| is_ident_byte(*b)).count();
            let name = start..start + n;
            let value = resolve_in_scope(t, &name, GO_SCOPES);
            let base = (n > 0 && value != name)
                .then(|| after_now(std::str::from_utf8(&t[value]).ok()?))
                .flatten();
            (base, &s[n..])
        }
    };
    match (base, chain(r)) {
        (Some(b), Some(d)) if b + d > 0.0 && b + d < 1e13 => Expiry::In((b + d).round() as i64),
        _ => Expiry::Unknown,
    }
}

/// The seconds `time.Now()` and the calls after it add.
fn after_now(s: &str) -> Option<f64> {
    chain(s.trim().strip_prefix("time.Now()")?)
}

/// The seconds a chain of `.UTC()`, `.Add(d)` and `.AddDate(…)` calls adds.
fn chain(mut r: &str) -> Option<f64> {
    let mut total = 0.0;
    while !r.trim().is_empty() {
        let after = r.trim_start().strip_prefix('.')?;
        let open = after.find('(')?;
        let close = super::syntax::close_of(after.as_bytes(), open, after.len(), false)?;
        let arg = &after[open + 1..close - 1];
        let add = match &after[..open] {
            "UTC" | "Local" | "Round" | "Truncate" => Some(0.0),
            "Add" => duration(arg),
            "AddDate" => {
                let n: Option<Vec<f64>> = arg.split(',').map(|p| number(p.as_bytes())).collect();
                match n.as_deref() {
                    Some([y, m, d]) => Some(y * YEAR + m * YEAR / 12.0 + d * DAY),
                    _ => None,
                }
            }
            _ => None,
        };
        total += add?;
        r = &after[close..];
    }
    Some(total)
}

/// `48 * time.Hour`, `time.Hour * 24 * 365`, `time.Minute`: seconds.
fn duration(s: &str) -> Option<f64> {
    let mut product = 1.0;
    let mut units = 0;
    for part in s.split('*') {
        let p = part.trim();
        if let Some(u) = p.strip_prefix("time.") {
            units += 1;
            product *= match u {
                "Nanosecond" => 1e-9,
                "Microsecond" => 1e-6,
                "Millisecond" => 1e-3,
                "Second" => SECOND,
                "Minute" => 60.0,
                "Hour" => 3600.0,
                _ => return None,
            };
        } else {
            product *= number(p.as_bytes())?;
        }
    }
    (units == 1).then_some(product)
}
