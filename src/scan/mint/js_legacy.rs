//! The legacy JavaScript SDK (azure-storage for Node):
//! `blobService.generateSharedAccessSignature(container, blob, sharedAccessPolicy)` (the
//! file, queue and table services alike) and
//! `azure.generateAccountSharedAccessSignature(account, key, sharedAccessAccountPolicy)`,
//! the policy `{ AccessPolicy: { Permissions, Start, Expiry, Protocols, Services,
//! ResourceTypes } }` written there or assigned to a name before; `{ Id: 'policy' }` names a
//! stored access policy. Permissions as a letter string or the SDK's constants added
//! (`azure.BlobUtilities.SharedAccessPermissions.READ + …`); expiry as the current SDK's
//! dates (`new Date(Date.now() + ms)`, a name made now and moved by setters). "The default
//! value [of Protocols] is https,http" (its docs).

use std::ops::Range;

use super::defs::{bare_name, resolve_unchanged};
use super::letters::{self, ordered};
use super::syntax::{arguments, is_ident_byte, method_arguments, string_value, trim};
use super::{javascript, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// Whether an anchor is one of this reader's.
pub fn is_anchor(a: &[u8]) -> bool {
    a.starts_with(b"generate") && a.ends_with(b"SharedAccessSignature")
}

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    // A method of a service or of the module: `blobService.generate…(`, `azure.generate…(`.
    let (args, end) = method_arguments(t, &anchor, limit, false)?;
    let account = &t[anchor.clone()] == b"generateAccountSharedAccessSignature";
    // The policy: the argument that is (or names) an object holding `AccessPolicy` or `Id`.
    let (at, policy) = args.iter().enumerate().find_map(|(i, a)| {
        let v = resolve_unchanged(t, &a.value);
        let s = trim(&t[v.clone()]);
        (s.starts_with(b"{") && (contains(s, b"AccessPolicy") || contains(s, b"Id"))).then_some((i, v))
    })?;
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    f.protocol_state = Protocol::Default;
    if !account && at == 2 {
        // `(container, blob, policy)`: an empty blob name signs the container.
        let blob = trim(&t[args[1].value.clone()]);
        f.resource = Some(
            if matches!(blob, b"''" | b"\"\"" | b"null") {
                "c"
            } else {
                "b"
            }
            .into(),
        );
    }
    let (outer, _) = arguments(t, policy.start, policy.end, false)?;
    for m in &outer {
        let Some(k) = &m.name else { continue };
        match &t[k.clone()] {
            b"AccessPolicy" => access_policy(t, &resolve_unchanged(t, &m.value), anchor.start, &mut f),
            b"Id" => f.policy = string_value(t, &m.value),
            _ => {}
        }
    }
    if f.policy.is_some() && f.kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    let call = String::from_utf8_lossy(&t[anchor.clone()]).into_owned();
    Some((anchor.start..end, Surface::JavascriptLegacySdk, call, f))
}

fn contains(s: &[u8], what: &[u8]) -> bool {
    memchr::memmem::find(s, what).is_some()
}

/// The members of `AccessPolicy: { … }`.
fn access_policy(t: &[u8], v: &Range<usize>, call: usize, f: &mut Facts) {
    if !trim(&t[v.clone()]).starts_with(b"{") {
        f.protocol_state = Protocol::Unknown;
        return;
    }
    let Some((members, _)) = arguments(t, v.start, v.end, false) else {
        return;
    };
    let order = f.permission_order();
    for m in &members {
        // A shorthand member (`{ Permissions, Expiry }`) names its value too.
        let shorthand = m.name.is_none() && bare_name(t, &m.value) == Some(m.value.clone());
        let Some(k) = m.name.clone().or(shorthand.then(|| m.value.clone())) else {
            f.protocol_state = Protocol::Unknown;
            continue;
        };
        let key = &t[k];
        if key == b"Expiry" {
            f.expiry = javascript::expiry_named(t, &m.value, call).0;
            continue;
        }
        let val = resolve_unchanged(t, &m.value);
        match key {
            b"Permissions" => f.permissions = constants(t, &val, letters::permission, order),
            b"Services" => f.services = constants(t, &val, letters::service, "bfqt"),
            b"ResourceTypes" => f.resource_types = constants(t, &val, letters::resource_type, "sco"),
            b"IPAddressOrRange" => f.ip = string_value(t, &val),
            b"Protocols" => match string_value(t, &val).as_deref() {
                Some("https") => {
                    f.give_protocol("https");
                }
                Some("https,http") => {
                    f.give_protocol("https,http");
                }
                _ => f.protocol_state = Protocol::Unknown,
            },
            _ => {}
        }
    }
}

/// A letter string (`'rwdl'`), or the SDK's constants added
/// (`azure.BlobUtilities.SharedAccessPermissions.READ + ….WRITE`,
/// `AccountSasConstants.Services.BLOB`): the letters in `order`; `None` for anything else.
fn constants(t: &[u8], v: &Range<usize>, letter: fn(&str) -> Option<char>, order: &str) -> Option<String> {
    if let Some(s) = string_value(t, v) {
        return letters::is_letters(&s).then_some(s);
    }
    let s = std::str::from_utf8(&t[v.clone()]).ok()?;
    let mut out = Vec::new();
    for part in s.split('+') {
        let (path, member) = part.trim().rsplit_once('.')?;
        let holder = path.rsplit('.').next()?;
        if !matches!(
            holder,
            "SharedAccessPermissions" | "Permissions" | "Services" | "ResourceTypes"
        ) || !member.bytes().all(is_ident_byte)
        {
            return None;
        }
        out.push(letter(member)?);
    }
    Some(ordered(&out, order))
}
