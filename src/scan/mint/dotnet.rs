//! .NET (Azure.Storage.*, Azure.Data.Tables): `new AccountSasBuilder(…) { … }`,
//! `BlobSasBuilder`, `ShareSasBuilder`, `QueueSasBuilder`, `TableSasBuilder`,
//! `DataLakeSasBuilder` (constructor arguments, object initialisers, and the
//! `builder.SetPermissions(…)` / `builder.Prop = …` statements that follow within reach),
//! and `client.GenerateSasUri(permissions, expiresOn)` / `GenerateAccountSasUri(…)`.
//! `SasProtocol.None` (the default) leaves `spr` out (`ToProtocolString` returns null), and
//! the service then allows HTTPS and HTTP.

use std::ops::Range;

use super::letters::{self, ordered};
use super::syntax::{
    arguments, ident_at, ident_before, is_ident_byte, method_arguments, skip_ws, string_value, trim_range, Arg,
};
use super::{defs, sites, when, Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

fn base(builder: &str) -> Facts {
    let kind = if builder == "AccountSasBuilder" {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    };
    let mut f = Facts::new(kind);
    f.protocol_state = Protocol::Default;
    if builder == "TableSasBuilder" {
        f.table = Some("(named in the builder)".into());
    }
    f
}

/// `new XSasBuilder(…) { … }` at the anchor, or `XSasBuilder name = new() { … }`.
pub fn read_builder(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start > 0 && is_ident_byte(t[anchor.start - 1]) {
        return None;
    }
    let builder = std::str::from_utf8(&t[anchor.clone()]).ok()?.to_string();
    let (start, after_type, name) = match ident_before(t, anchor.start) {
        // `new XSasBuilder`: the name it is assigned to, if any, is before `new`.
        Some(r) if &t[r.clone()] == b"new" && anchor.start - r.start <= super::MINT_LOOKBACK => {
            (r.start, anchor.end, assigned_name(t, r.start))
        }
        _ => {
            // `XSasBuilder name = new(…)` / `new() { … }` (target-typed).
            let i = skip_ws(t, anchor.end, limit);
            let name = ident_at(t, i, limit)?;
            let i = skip_ws(t, name.end, limit);
            if t.get(i) != Some(&b'=') || t.get(i + 1) == Some(&b'=') {
                return None;
            }
            let i = skip_ws(t, i + 1, limit);
            let new = ident_at(t, i, limit).filter(|r| &t[r.clone()] == b"new")?;
            let j = skip_ws(t, new.end, limit);
            if !matches!(t.get(j), Some(b'(' | b'{')) {
                return None;
            }
            (anchor.start, new.end, Some(name))
        }
    };
    let mut f = base(&builder);
    let mut end = after_type;
    let mut i = skip_ws(t, after_type, limit);
    if t.get(i) == Some(&b'(') {
        let (args, e) = arguments(t, i, limit, false)?;
        for a in &args {
            positional(t, a, &mut f);
        }
        end = e;
        i = skip_ws(t, e, limit);
    }
    if t.get(i) == Some(&b'{') {
        let (args, e) = arguments(t, i, limit, false)?;
        for a in &args {
            if let Some(k) = &a.name {
                let k = std::str::from_utf8(&t[k.clone()]).ok()?.to_string();
                property(t, &k, &a.value, &mut f);
            }
        }
        end = e;
    }
    if let Some(name) = name {
        statements(t, &t[name], end, limit, &mut f);
    }
    finish(&mut f);
    Some((start..end, Surface::DotnetSdk, builder, f))
}

/// `name = new …` / `var name = new …` / `Type name = new …`: the name.
fn assigned_name(t: &[u8], new_at: usize) -> Option<Range<usize>> {
    let floor = new_at.saturating_sub(super::MINT_LOOKBACK);
    let mut i = new_at;
    while i > floor && matches!(t[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == 0 || t[i - 1] != b'=' || (i > 1 && matches!(t[i - 2], b'=' | b'!' | b'<' | b'>')) {
        return None;
    }
    ident_before(t, i - 1)
}

/// A constructor argument, by its form: a permission, services or resource-types enum
/// value, or an expiry.
/// A name (`permissions`, `expiresOn`) is read as the value assigned to it before.
fn positional(t: &[u8], a: &Arg, f: &mut Facts) {
    let r = defs::resolve(t, &a.value);
    let v = &t[r.clone()];
    if contains(v, b"SasPermissions.") {
        f.permissions = flags(t, &r, Flags::Permission, f.permission_order());
    } else if contains(v, b"AccountSasServices.") {
        f.services = flags(t, &r, Flags::Service, "bfqt");
    } else if contains(v, b"AccountSasResourceTypes.") {
        f.resource_types = flags(t, &r, Flags::ResourceType, "sco");
    } else if f.expiry == Expiry::Unknown {
        expiry(t, &a.value, f);
    }
}

/// The expiry `v` sets: written there, or assigned to the name `v` is before it
/// (`var expiresOn = DateTimeOffset.UtcNow.AddYears(5);`), or a name assigned now plus
/// `.AddX(n)` (`start.AddYears(5)`). A duration is offered to fix only where the call
/// writes it.
fn expiry(t: &[u8], v: &Range<usize>, f: &mut Facts) {
    let r = defs::resolve(t, v);
    f.expiry = match when::dotnet(t, &r) {
        Expiry::Unknown => when::named_now(t, &r),
        e => e,
    };
    f.sites.duration = if r == *v { sites::dotnet_duration(t, v) } else { None };
}

fn contains(h: &[u8], n: &[u8]) -> bool {
    memchr::memmem::find(h, n).is_some()
}

/// One property set in an initialiser or a statement.
fn property(t: &[u8], key: &str, v: &Range<usize>, f: &mut Facts) {
    // A name set before: its value (the policy's `Identifier` stays as written).
    let written = v;
    let resolved = defs::resolve(t, v);
    let v = if key == "Identifier" { written } else { &resolved };
    match key {
        "Services" => f.services = flags(t, v, Flags::Service, "bfqt"),
        "ResourceTypes" => f.resource_types = flags(t, v, Flags::ResourceType, "sco"),
        "ExpiresOn" => expiry(t, written, f),
        "StartsOn" => f.start = when::dotnet(t, v).literal(),
        "Protocol" => {
            // `HttpsAndHttp` and `None` (HTTP allowed) become `Https`.
            let allows_http = matches!(&t[v.clone()], b"SasProtocol.HttpsAndHttp" | b"SasProtocol.None");
            f.sites.https_only = (allows_http && v == written).then(|| (v.clone(), "SasProtocol.Https".to_string()));
            protocol(t, v, f);
        }
        // A policy named by a variable may be null (the docs' sample sets it in one branch
        // and the permissions in the other): only a literal one is claimed.
        "Identifier" => f.policy = string_value(t, v),
        "Resource" => f.resource = string_value(t, v),
        "TableName" => f.table = string_value(t, v).or(f.table.take()),
        "Permissions" => f.permissions = string_value(t, v).filter(|s| letters::is_letters(s)),
        _ => {}
    }
}

/// The protocol a `Protocol = …` sets.
fn protocol(t: &[u8], v: &Range<usize>, f: &mut Facts) {
    match &t[v.clone()] {
        b"SasProtocol.Https" => {
            f.give_protocol("https");
        }
        b"SasProtocol.HttpsAndHttp" => {
            f.give_protocol("https,http");
        }
        b"SasProtocol.None" => {
            f.protocol = None;
            f.protocol_state = Protocol::Default;
        }
        _ => f.protocol_state = Protocol::Unknown,
    }
}

/// `name.SetPermissions(…)`, `name.Prop = …;` and `name.ToSasQueryParameters(key, account)`
/// (a user delegation key) after the builder, up to `limit` or a new assignment of `name`.
fn statements(t: &[u8], name: &[u8], from: usize, limit: usize, f: &mut Facts) {
    member_statements(t, name, from, limit, |m, stmt| match stmt {
        Statement::Call(args) => match (m, args) {
            ("SetPermissions", [a]) => {
                let v = defs::resolve(t, &a.value);
                f.permissions = match string_value(t, &v) {
                    Some(s) => Some(s).filter(|s| letters::is_letters(s)),
                    None => flags(t, &v, Flags::Permission, f.permission_order()),
                }
            }
            ("ToSasQueryParameters", [_, _]) => f.kind = TokenKind::UserDelegationSas,
            _ => {}
        },
        Statement::Assign(v) => property(t, m, &v, f),
    });
}

/// A statement on a name: a method called on it, or a member assigned.
pub(super) enum Statement<'a> {
    Call(&'a [Arg]),
    Assign(Range<usize>),
}

/// Calls `each` with every `name.Member(…)` and `name.Member = …;` after `from`, up to
/// `limit` or a new assignment of `name` (what follows is another object's).
pub(super) fn member_statements(
    t: &[u8],
    name: &[u8],
    from: usize,
    limit: usize,
    mut each: impl FnMut(&str, Statement),
) {
    let mut dotted = name.to_vec();
    dotted.push(b'.');
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&t[i..limit], name) {
        let at = i + p;
        i = at + name.len();
        if at > 0 && (is_ident_byte(t[at - 1]) || t[at - 1] == b'.') {
            continue;
        }
        if t.get(at + name.len()).is_some_and(|b| is_ident_byte(*b)) {
            continue;
        }
        let j = skip_ws(t, at + name.len(), limit);
        if t.get(j) == Some(&b'=') && t.get(j + 1) != Some(&b'=') {
            return;
        }
        if !t[at..limit].starts_with(&dotted) {
            continue;
        }
        let Some(member) = ident_at(t, at + dotted.len(), limit) else {
            continue;
        };
        let m = std::str::from_utf8(&t[member.clone()]).unwrap_or_default();
        let k = skip_ws(t, member.end, limit);
        match t.get(k) {
            Some(b'(') => {
                let Some((args, e)) = arguments(t, k, limit, false) else {
                    continue;
                };
                i = e;
                each(m, Statement::Call(&args));
            }
            Some(b'=') if t.get(k + 1) != Some(&b'=') => {
                let vs = k + 1;
                let ve = memchr::memchr(b';', &t[vs..limit]).map_or(limit, |p| vs + p);
                each(m, Statement::Assign(trim_range(t, vs..ve)));
                i = ve;
            }
            _ => {}
        }
    }
}

/// `client.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1))` and
/// `client.GenerateAccountSasUri(permissions, expiresOn, resourceTypes)`. A call passing a
/// builder was read where the builder was made.
pub fn read_generate(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    let (args, end) = method_arguments(t, &anchor, limit, false)?;
    let account = &t[anchor.clone()] == b"GenerateAccountSasUri";
    // Permissions written there or assigned to a name before (not a builder's name: that
    // builder was read where it was made).
    let first = &t[defs::resolve(t, &args.first()?.value)];
    if !contains(first, b"SasPermissions.") || first.contains(&b'(') {
        return None;
    }
    let mut f = base(if account { "AccountSasBuilder" } else { "" });
    let enum_name = first.split(|b| *b == b'.').next().unwrap_or_default();
    f.resource = match enum_name {
        b"BlobSasPermissions" => Some("b".into()),
        b"BlobContainerSasPermissions" => Some("c".into()),
        b"ShareSasPermissions" => Some("s".into()),
        b"ShareFileSasPermissions" => Some("f".into()),
        _ => None,
    };
    if enum_name == b"TableSasPermissions" {
        f.table = Some("(the client's table)".into());
    }
    for a in &args {
        positional(t, a, &mut f);
    }
    finish(&mut f);
    let call = std::str::from_utf8(&t[anchor.clone()]).ok()?.to_string();
    Some((anchor.start..end, Surface::DotnetSdk, call, f))
}

fn finish(f: &mut Facts) {
    if f.policy.is_some() && f.kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
}

#[derive(Clone, Copy)]
enum Flags {
    Permission,
    Service,
    ResourceType,
}

/// An enum value or several joined by `|` (`AccountSasPermissions.Read |
/// AccountSasPermissions.Write`, `AccountSasServices.All`) as letters in `order`; `None`
/// when any part is not a member the text names.
fn flags(t: &[u8], v: &Range<usize>, kind: Flags, order: &str) -> Option<String> {
    let s = std::str::from_utf8(&t[v.clone()]).ok()?;
    let mut out = Vec::new();
    for part in s.split('|') {
        let part = part.trim();
        let (enum_path, member) = part.rsplit_once('.')?;
        let enum_name = enum_path.rsplit('.').next()?;
        if !member.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        if member == "All" {
            let all = match kind {
                Flags::Permission => letters::dotnet_all(enum_name)?,
                Flags::Service => "bfqt",
                Flags::ResourceType => "sco",
            };
            out.extend(all.chars());
            continue;
        }
        out.push(match kind {
            Flags::Permission => letters::permission(member)?,
            Flags::Service => letters::service(member)?,
            Flags::ResourceType => letters::resource_type(member)?,
        });
    }
    Some(ordered(&out, order))
}
