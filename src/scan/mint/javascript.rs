//! JavaScript and TypeScript (@azure/storage-blob, -file-share, -queue, -file-datalake,
//! @azure/data-tables): `generateAccountSasQueryParameters({…}, credential)` and the Blob,
//! DataLake, File, Queue and Table variants (either casing of `SAS`), with
//! `AccountSASPermissions.parse("rwdlacup")` or `.from({ read: true, … })`,
//! `.parse("sco").toString()`,
//! `expiresOn: new Date(Date.now() + 86400 * 1000)` and `protocol: SASProtocol.HttpsAndHttp`;
//! `client.generateSasUrl({…})` and `generateAccountSasUrl(expiresOn, permissions,
//! resourceTypes)`. Values may be set before the call: the options object or an argument
//! passed by name, shorthand members, member values that are names (read from their
//! assignment, [`super::defs`]), and a `new Date()` moved by `setFullYear`… calls before
//! the call. Without `protocol` the query leaves `spr` out
//! (`tryAppendQueryParameter` skips `undefined`): HTTPS and HTTP.

use std::ops::Range;

use super::defs::{bare_name, definition, members_used, resolve_unchanged};
use super::letters;
use super::syntax::{arguments, is_ident_byte, number, skip_ws, string_value, trim};
use super::{DurationSyntax, Expiry, Facts, Protocol, Surface};
use crate::scan::sas::{ACCOUNT_PERMISSIONS, SERVICE_PERMISSIONS};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// Whether an anchor is one of this reader's.
pub fn is_anchor(a: &[u8]) -> bool {
    a.ends_with(b"QueryParameters") || a.ends_with(b"SasUrl")
}

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start > 0 && is_ident_byte(t[anchor.start - 1]) {
        return None;
    }
    let name = std::str::from_utf8(&t[anchor.clone()]).ok()?.to_string();
    let lower = name.to_ascii_lowercase();
    let open = skip_ws(t, anchor.end, limit);
    if t.get(open) != Some(&b'(') {
        return None;
    }
    let (args, end) = arguments(t, open, limit, false)?;
    // A declaration (`function generateAccountSasUrl(expiresOn?: Date, …)`, TypeScript's
    // `name: Type` parameters) mints nothing; a call's arguments are never named.
    if args.is_empty() || args.iter().any(|a| a.name.is_some()) {
        return None;
    }
    let account = lower.contains("account");
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    f.protocol_state = Protocol::Default;
    if lower.starts_with("generateaccountsasurl") {
        // (expiresOn, permissions, resourceTypes, options)
        if let Some(a) = args.first() {
            (f.expiry, f.sites.duration) = expiry_named(t, &a.value, anchor.start);
        }
        if let Some(a) = args.get(1) {
            f.permissions = letters_of(t, &resolve_unchanged(t, &a.value));
        }
        if let Some(a) = args.get(2) {
            f.resource_types = letters_of(t, &resolve_unchanged(t, &a.value));
        }
        if let Some(a) = args.get(3) {
            options(t, &resolve_unchanged(t, &a.value), anchor.start, &mut f);
        }
    } else {
        let values = args.first()?;
        // The values object, or the one its name is assigned before the call.
        let v = resolve_unchanged(t, &values.value);
        if !t[v.clone()].starts_with(b"{") {
            // Values built elsewhere: only the kind is known.
            f.protocol_state = Protocol::Unknown;
        } else {
            options(t, &v, anchor.start, &mut f);
        }
        // (values, userDelegationKey, accountName): signed with a user delegation key.
        if args.len() == 3 && !account {
            f.kind = TokenKind::UserDelegationSas;
        }
    }
    if lower.contains("table") && f.table.is_none() {
        f.table = Some("(named in the call)".into());
    }
    if f.policy.is_some() && f.kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    Some((anchor.start..end, Surface::JavascriptSdk, name, f))
}

/// The properties of an object literal of SAS values (`v`, written in the call or assigned
/// before the call at `call`). A shorthand member (`{ permissions, expiresOn }`) or a
/// member whose value is a name reads the value assigned to that name before it.
fn options(t: &[u8], v: &Range<usize>, call: usize, f: &mut Facts) {
    if !t[v.clone()].starts_with(b"{") {
        f.protocol_state = Protocol::Unknown;
        return;
    }
    let Some((props, _)) = arguments(t, v.start, v.end, false) else {
        return;
    };
    let (mut container, mut blob) = (false, false);
    for p in &props {
        // A shorthand member names its key and its value.
        let shorthand = p.name.is_none() && bare_name(t, &p.value) == Some(p.value.clone());
        let Some(k) = p.name.clone().or(shorthand.then(|| p.value.clone())) else {
            // `...rest` may carry anything.
            if t[p.value.clone()].starts_with(b"...") {
                f.protocol_state = Protocol::Unknown;
            }
            continue;
        };
        let key = &t[k];
        if key == b"expiresOn" {
            (f.expiry, f.sites.duration) = expiry_named(t, &p.value, call);
            continue;
        }
        let v = &resolve_unchanged(t, &p.value);
        match key {
            b"permissions" => {
                f.permissions = letters_of(t, v);
                let s = &t[v.clone()];
                if s.starts_with(b"ContainerSASPermissions") || s.starts_with(b"ContainerSasPermissions") {
                    container = true;
                }
            }
            b"services" => f.services = letters_of(t, v),
            b"resourceTypes" => f.resource_types = letters_of(t, v),
            b"startsOn" => f.start = expiry(t, v).literal(),
            b"protocol" => match &t[v.clone()] {
                b"SASProtocol.HttpsAndHttp" | b"SasProtocol.HttpsAndHttp" => {
                    // The member only: the enum keeps its spelling.
                    let member = v.end - "HttpsAndHttp".len();
                    if v.start >= call {
                        f.sites.https_only = Some((member..v.end, "Https".into()));
                    }
                    f.give_protocol("https,http");
                }
                b"\"https,http\"" | b"'https,http'" => {
                    if v.start >= call {
                        f.sites.https_only = Some((v.start + 1..v.end - 1, "https".into()));
                    }
                    f.give_protocol("https,http");
                }
                b"SASProtocol.Https" | b"SasProtocol.Https" | b"\"https\"" | b"'https'" => {
                    f.give_protocol("https");
                }
                _ => f.protocol_state = Protocol::Unknown,
            },
            b"identifier" => f.policy = string_value(t, v),
            b"containerName" | b"shareName" | b"fileSystemName" => container = true,
            b"blobName" | b"filePath" | b"pathName" => blob = true,
            b"tableName" => f.table = string_value(t, v).or(Some("(named in the call)".into())),
            _ => {}
        }
    }
    if f.kind != TokenKind::AccountSas && f.resource.is_none() {
        f.resource = match (container, blob) {
            (_, true) => Some("b".into()),
            (true, false) => Some("c".into()),
            _ => None,
        };
    }
}

/// `XSASPermissions.parse("rwd")`, `XSASResourceTypes.parse("sco").toString()`, or a
/// string literal: the letters, when the text fixes them.
fn letters_of(t: &[u8], v: &Range<usize>) -> Option<String> {
    let ok = |s: String| letters::is_letters(&s).then_some(s);
    if let Some(s) = string_value(t, v) {
        return ok(s);
    }
    let s = trim(&t[v.clone()]);
    let s = s.strip_suffix(b".toString()").unwrap_or(s);
    if let Some(at) = memchr::memmem::find(s, b".from(") {
        return from_object(t, s, at);
    }
    let at = memchr::memmem::find(s, b".parse(")?;
    let head = &s[..at];
    if !head.iter().all(|b| is_ident_byte(*b)) {
        return None;
    }
    let inner = s.get(at + ".parse(".len()..s.len().checked_sub(1)?)?;
    if s.last() != Some(&b')') {
        return None;
    }
    ok(string_value(inner, &(0..inner.len()))?)
}

/// `XSASPermissions.from({ read: true, write: true, … })` (`s` a slice of `t`, `at` where
/// `.from(` is in it): the letters of the keys set to `true`; `None` for any other value,
/// a shorthand or a spread.
fn from_object(t: &[u8], s: &[u8], at: usize) -> Option<String> {
    let head = &s[..at];
    if !head.iter().all(|b| is_ident_byte(*b)) || !head.ends_with(b"Permissions") || s.last() != Some(&b')') {
        return None;
    }
    let base = s.as_ptr() as usize - t.as_ptr() as usize;
    let open = base + at + ".from(".len();
    if t.get(open) != Some(&b'{') {
        return None;
    }
    let (fields, end) = arguments(t, open, base + s.len(), false)?;
    if end != base + s.len() - 1 {
        return None;
    }
    let mut out = Vec::new();
    for f in &fields {
        let name = std::str::from_utf8(&t[f.name.clone()?]).ok()?;
        // The data-tables class calls reading `query`.
        let c = if name == "query" {
            'r'
        } else {
            letters::permission(name)?
        };
        match trim(&t[f.value.clone()]) {
            b"true" => out.push(c),
            b"false" => {}
            _ => return None,
        }
    }
    let order = if head.starts_with(b"Account") {
        ACCOUNT_PERMISSIONS
    } else {
        SERVICE_PERMISSIONS
    };
    Some(letters::ordered(&out, order))
}

/// The expiry `v` sets: a `new Date(…)` ([`expiry`]), or a name assigned one before the
/// call at `call`, and the site of its duration when it is written in the call. A name
/// assigned `new Date()` reads the setters called on it before the call
/// ([`date_setters`]); a name assigned another date and used in between stays unknown.
pub(super) fn expiry_named(
    t: &[u8],
    v: &Range<usize>,
    call: usize,
) -> (Expiry, Option<(Range<usize>, DurationSyntax)>) {
    let mut v = v.clone();
    for _ in 0..3 {
        let Some(name) = bare_name(t, &v) else {
            let site = if v.start >= call { millis(t, &v) } else { None };
            return (expiry(t, &v), site);
        };
        let n = &t[name.clone()];
        let Some(d) = definition(t, n, name.start) else { break };
        let changed = members_used(t, n, d.end, name.start) || members_used(t, n, name.end, call);
        match trim(&t[d.clone()]) {
            b"new Date()" | b"new Date(Date.now())" => {
                let end = call.max(name.start);
                return match date_setters(t, n, d.end, end, name.clone()) {
                    Some(secs) => (Expiry::In(secs), None),
                    None => (Expiry::Unknown, None),
                };
            }
            _ if changed => break,
            _ => v = d,
        }
    }
    (Expiry::Unknown, None)
}

/// The seconds `name.setFullYear(name.getFullYear() + 10)`, `setMonth`, `setDate`,
/// `setHours`, `setMinutes`, `setSeconds` (and their `UTC` forms) and
/// `name.setTime(name.getTime() + ms)` add to a date made now, when every use of `name`
/// between `from` and `to` (but the one at `at`) is one of them and adds a literal.
fn date_setters(t: &[u8], name: &[u8], from: usize, to: usize, at: Range<usize>) -> Option<i64> {
    let mut total = 0.0;
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&t[i..to], name) {
        let s = i + p;
        let e = s + name.len();
        i = e;
        if (s > 0 && (is_ident_byte(t[s - 1]) || t[s - 1] == b'.'))
            || t.get(e).is_some_and(|b| is_ident_byte(*b))
            || s == at.start
        {
            continue;
        }
        // `name.setX(name.getX() + n)`
        let m = t
            .get(e)
            .filter(|b| **b == b'.')
            .and_then(|_| super::syntax::ident_at(t, e + 1, to))?;
        let set = t[m.clone()].strip_prefix(b"set")?;
        if t.get(m.end) != Some(&b'(') {
            return None;
        }
        let (args, end) = arguments(t, m.end, to, false)?;
        let [a] = args.as_slice() else { return None };
        let arg = trim(&t[a.value.clone()]);
        let rest = arg
            .strip_prefix(name)?
            .strip_prefix(b".get")?
            .strip_prefix(set)?
            .strip_prefix(b"()")?;
        let n = number(trim(rest).strip_prefix(b"+")?)?;
        let unit = match set.strip_prefix(b"UTC").unwrap_or(set) {
            b"FullYear" => 365.25 * 86_400.0,
            b"Month" => 365.25 * 86_400.0 / 12.0,
            b"Date" => 86_400.0,
            b"Hours" => 3_600.0,
            b"Minutes" => 60.0,
            b"Seconds" => 1.0,
            b"Time" | b"Milliseconds" => 0.001,
            _ => return None,
        };
        total += n * unit;
        i = end;
    }
    (1.0..1e13).contains(&total).then(|| total.round() as i64)
}

/// The milliseconds added to now in `new Date(Date.now() + ms)`.
fn millis(t: &[u8], v: &Range<usize>) -> Option<(Range<usize>, DurationSyntax)> {
    let v = super::syntax::trim_range(t, v.clone());
    let open = v.start + "new Date(".len();
    let close = v.end.checked_sub(1)?;
    let plus = open + memchr::memchr(b'+', t.get(open..close)?)?;
    let r = super::syntax::trim_range(t, plus + 1..close);
    (!r.is_empty()).then_some((r, DurationSyntax::Millis))
}

/// `new Date(Date.now() + 86400 * 1000)`, `new Date(new Date().valueOf() + ms)`,
/// `new Date(new Date().getTime() + ms)`, `new Date("2051-01-01")`.
fn expiry(t: &[u8], v: &Range<usize>) -> Expiry {
    let s = trim(&t[v.clone()]);
    let Some(inner) = s.strip_prefix(b"new Date(").and_then(|r| r.strip_suffix(b")")) else {
        return Expiry::Unknown;
    };
    if let Some(lit) = string_value(inner, &(0..inner.len())) {
        return Expiry::At(lit);
    }
    let text = String::from_utf8_lossy(inner);
    let Some((now, ms)) = text.split_once('+') else {
        return Expiry::Unknown;
    };
    let now: String = now.chars().filter(|c| !c.is_whitespace()).collect();
    if !matches!(
        now.as_str(),
        "Date.now()" | "newDate().valueOf()" | "newDate().getTime()" | "+newDate()"
    ) {
        return Expiry::Unknown;
    }
    match super::syntax::number(ms.as_bytes()) {
        Some(ms) if ms > 0.0 && ms < 1e16 => Expiry::In((ms / 1000.0).round() as i64),
        _ => Expiry::Unknown,
    }
}
