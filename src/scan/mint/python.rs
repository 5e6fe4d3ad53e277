//! The Python SDKs' SAS functions (azure-storage-blob, -file-share, -queue,
//! azure-data-tables): `generate_account_sas`, `generate_container_sas`,
//! `generate_blob_sas`, `generate_share_sas`, `generate_file_sas`, `generate_queue_sas`,
//! `generate_table_sas`. Permissions as strings, `*SasPermissions(read=True, …)`,
//! `*.from_string("…")` or legacy `BlobPermissions.READ | …`; `ResourceTypes(…)` and
//! `Services(…)` alike. With no `protocol=` the SDKs leave `spr` out of the token (their
//! `_add_query` skips `None`), so the service allows HTTPS and HTTP.

use std::ops::Range;

use super::defs::{resolve_in_scope, PYTHON_SCOPES};
use super::letters::{self, ordered, Kind};
use super::syntax::{arguments, call_arguments, ident_before, is_ident_byte, string_value, trim_range, Arg};
use super::{sites, when, Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start > 0 && is_ident_byte(t[anchor.start - 1]) {
        return None;
    }
    // A definition (`def generate_blob_sas(`) mints nothing.
    if ident_before(t, anchor.start).is_some_and(|r| &t[r] == b"def") {
        return None;
    }
    let (args, end) = call_arguments(t, anchor.end, limit, true)?;
    let name = std::str::from_utf8(&t[anchor.clone()]).ok()?;
    let what = &name["generate_".len()..name.len() - "_sas".len()];
    let kind = if what == "account" {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    };
    let mut f = Facts::new(kind);
    f.protocol_state = Protocol::Default;
    f.resource = super::resource_of(what);
    let perm_order = super::permission_order(kind);
    let mut user_delegation = false;
    for a in &args {
        let v = a.value.clone();
        if t[v.clone()].starts_with(b"*") {
            // `**kwargs` may carry anything not written here.
            f.protocol_state = Protocol::Unknown;
            continue;
        }
        // A name reads as the value assigned to it before the call, in the same function;
        // its fix sites (in the assignment) are left out.
        let r = resolve_in_scope(t, &v, PYTHON_SCOPES);
        let here = r == v;
        let Some(key) = a.name.clone() else {
            positional(t, &r, here, &mut f, perm_order);
            continue;
        };
        match &t[key] {
            b"permission" | b"permissions" => f.permissions = letters_of(t, &r, Kind::Permission, perm_order),
            b"resource_types" => f.resource_types = letters_of(t, &r, Kind::ResourceType, "sco"),
            b"services" => f.services = letters_of(t, &r, Kind::Service, "bfqt"),
            b"expiry" => {
                f.expiry = when::python(t, &r);
                f.sites.duration = sites::python_duration(t, &r).filter(|_| here);
            }
            b"start" => f.start = start_of(t, &r),
            b"ip" | b"ip_address_or_range" => f.ip = string_value(t, &r),
            b"protocol" => match string_value(t, &r) {
                Some(p) => {
                    // The string's content, between its quotes.
                    let close = r.end - 1;
                    let open = close - p.len();
                    f.sites.https_only = (p != "https" && here).then(|| (open..close, "https".to_string()));
                    f.give_protocol(&p);
                }
                None => f.protocol_state = Protocol::Unknown,
            },
            // A policy named by a variable may be `None`: only a literal one is claimed.
            b"policy_id" => f.policy = string_value(t, &v),
            b"user_delegation_key" if &t[v.clone()] != b"None" => user_delegation = true,
            b"account_name" => f.account = string_value(t, &r),
            b"table_name" => f.table = string_value(t, &r),
            _ => {}
        }
    }
    if f.protocol_state == Protocol::Default {
        f.sites.https_only = add_protocol(t, &args, end);
    }
    if what == "table" && f.table.is_none() {
        f.table = Some("(named in the call)".into());
    }
    if user_delegation {
        f.kind = TokenKind::UserDelegationSas;
    } else if f.policy.is_some() && kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    Some((anchor.start..end, Surface::PythonSdk, name.to_string(), f))
}

/// A positional argument, recognised by its form: a permission, resource-type or service
/// object, or an expiry expression (expiry comes before start in every signature). Plain
/// strings are left alone: which parameter they fill differs between packages. `v` is the
/// argument or the value its name was assigned (`here` false).
fn positional(t: &[u8], v: &Range<usize>, here: bool, f: &mut Facts, perm_order: &str) {
    let s = &t[v.clone()];
    if string_value(t, v).is_some() {
        return;
    }
    let head_end = s
        .iter()
        .position(|b| matches!(b, b'(' | b'.' | b' ' | b'|'))
        .unwrap_or(s.len());
    let head = &s[..head_end];
    if head.ends_with(b"Permissions") && f.permissions.is_none() {
        f.permissions = letters_of(t, v, Kind::Permission, perm_order);
    } else if head == b"ResourceTypes" && f.resource_types.is_none() {
        f.resource_types = letters_of(t, v, Kind::ResourceType, "sco");
    } else if head == b"Services" && f.services.is_none() {
        f.services = letters_of(t, v, Kind::Service, "bfqt");
    } else if f.expiry == Expiry::Unknown {
        f.expiry = when::python(t, v);
        f.sites.duration = sites::python_duration(t, v).filter(|_| here);
    }
}

/// `protocol="https"` added after the last argument: on a line of its own, indented as
/// that argument, when the call closes on a later line. `None` when a comment or anything
/// else follows the last argument.
fn add_protocol(t: &[u8], args: &[Arg], end: usize) -> Option<(Range<usize>, String)> {
    let last = args.last()?;
    let close = end - 1;
    let mut p = close;
    while p > last.value.end && t[p - 1].is_ascii_whitespace() {
        p -= 1;
    }
    let multiline = t[last.value.end..close].contains(&b'\n');
    let line_start = t[..last.value.start]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let lead = &t[line_start..last.value.start];
    let own_line = !lead.is_empty() && lead.iter().all(|b| matches!(b, b' ' | b'\t'));
    let indent = String::from_utf8_lossy(if own_line { lead } else { b"    " });
    let arg = "protocol=\"https\"";
    let eol = if memchr::memmem::find(&t[last.value.end..close], b"\r\n").is_some() {
        "\r\n"
    } else {
        "\n"
    };
    Some(match (&t[last.value.end..p], multiline) {
        (b"", false) => (p..p, format!(", {arg}")),
        (b",", false) => (p..p, format!(" {arg}")),
        (b",", true) => (p..p, format!("{eol}{indent}{arg},")),
        (b"", true) => (p..p, format!(",{eol}{indent}{arg}")),
        _ => return None,
    })
}

/// A literal start time; now (or anything else) leaves the lifetime running from the call.
fn start_of(t: &[u8], v: &Range<usize>) -> Option<String> {
    when::python(t, v).literal()
}

/// The letters a permission, resource-type or services value stands for, in `order`;
/// `None` when the text does not fix them.
pub(super) fn letters_of(t: &[u8], v: &Range<usize>, kind: Kind, order: &str) -> Option<String> {
    if let Some(s) = string_value(t, v) {
        return letters::is_letters(&s).then_some(s);
    }
    let s = &t[v.clone()];
    if let Some(open) = s.iter().position(|b| *b == b'(') {
        let head = std::str::from_utf8(&s[..open]).ok()?.trim();
        let (args, end) = arguments(t, v.start + open, v.end, true)?;
        if end != v.end {
            return None;
        }
        if head.ends_with(".from_string") {
            let [a] = args.as_slice() else { return None };
            let s = string_value(t, &resolve_in_scope(t, &a.value, PYTHON_SCOPES))?;
            return letters::is_letters(&s).then_some(s);
        }
        // Only the SDK's classes: `load_permissions()` fixes nothing.
        let class = head.rsplit('.').next().unwrap_or(head);
        if !["Permissions", "ResourceTypes", "Services"]
            .iter()
            .any(|c| class.ends_with(c))
        {
            return None;
        }
        let mut out = Vec::new();
        for a in &args {
            let name = std::str::from_utf8(&t[a.name.clone()?]).ok()?;
            let c = kind.letter(name)?;
            match &t[a.value.clone()] {
                b"True" => out.push(c),
                b"False" => {}
                _ => return None,
            }
        }
        return Some(ordered(&out, order));
    }
    // Legacy constants: `BlobPermissions.READ | BlobPermissions.WRITE` (or `+`).
    let mut out = Vec::new();
    for part in s.split(|b| *b == b'|' || *b == b'+') {
        let r = trim_range(part, 0..part.len());
        let part = &part[r];
        let dot = part.iter().rposition(|b| *b == b'.')?;
        let name = std::str::from_utf8(&part[dot + 1..]).ok()?;
        if !name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            return None;
        }
        out.push(kind.letter(name)?);
    }
    Some(ordered(&out, order))
}
