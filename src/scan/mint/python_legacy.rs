//! The legacy Python SDK (azure-storage < 12, azure-storage-blob 1.x/2.x,
//! azure-cosmosdb-table): methods of `BlockBlobService`, `FileService`, `QueueService`,
//! `TableService`: `generate_account_shared_access_signature(resource_types, permission,
//! expiry, start=None, ip=None, protocol=None)`, `generate_container_…`, `generate_blob_…`,
//! `generate_share_…`, `generate_file_…`, `generate_queue_…` and
//! `generate_table_shared_access_signature(name…, permission, expiry, start, id, ip,
//! protocol, …)`. Permissions as `BlobPermissions.READ + BlobPermissions.WRITE`,
//! `ContainerPermissions(read=True)` or a string. The account SAS is for the one service
//! the object serves (not read here). With no `protocol` `_add_query` leaves `spr` out:
//! HTTPS and HTTP.

use std::ops::Range;

use super::defs::{resolve_in_scope, PYTHON_SCOPES};
use super::letters::Kind;
use super::python::letters_of;
use super::syntax::{call_arguments, string_value};
use super::{when, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// Whether an anchor is one of this reader's.
pub fn is_anchor(a: &[u8]) -> bool {
    a.ends_with(b"_shared_access_signature")
}

/// The parameters before `permission` of each method, by what it signs.
fn names_before(what: &str) -> usize {
    match what {
        "blob" => 2,
        "file" => 3,
        _ => 1,
    }
}

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    // A method called on the service object (a definition is `def generate_…(self, …`).
    if anchor.start == 0 || t[anchor.start - 1] != b'.' {
        return None;
    }
    let (args, end) = call_arguments(t, anchor.end, limit, true)?;
    let name = std::str::from_utf8(&t[anchor.clone()]).ok()?;
    let what = &name["generate_".len()..name.len() - "_shared_access_signature".len()];
    let account = what == "account";
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    f.protocol_state = Protocol::Default;
    f.resource = super::resource_of(what);
    if what == "table" {
        f.table = Some("(named in the call)".into());
    }
    let perm_order = super::permission_order(f.kind);
    // Positional parameters, in each signature's order.
    let order: &[&[u8]] = if account {
        &[
            b"resource_types",
            b"permission",
            b"expiry",
            b"start",
            b"ip",
            b"protocol",
        ]
    } else {
        &[b"permission", b"expiry", b"start", b"id", b"ip", b"protocol"]
    };
    let skip = if account { 0 } else { names_before(what) };
    let mut positional = 0;
    for a in &args {
        if t[a.value.clone()].starts_with(b"*") {
            f.protocol_state = Protocol::Unknown;
            continue;
        }
        // A name reads as the value assigned to it before the call, in the same function.
        let v = resolve_in_scope(t, &a.value, PYTHON_SCOPES);
        let key: &[u8] = match &a.name {
            Some(k) => &t[k.clone()],
            None => {
                positional += 1;
                if positional <= skip {
                    if what == "table" && positional == 1 {
                        f.table = string_value(t, &v).or(f.table.take());
                    }
                    continue;
                }
                match order.get(positional - skip - 1) {
                    Some(k) => k,
                    None => continue,
                }
            }
        };
        match key {
            b"permission" => f.permissions = letters_of(t, &v, Kind::Permission, perm_order),
            b"resource_types" => f.resource_types = letters_of(t, &v, Kind::ResourceType, "sco"),
            b"expiry" => f.expiry = when::python(t, &v),
            b"start" => f.start = when::python(t, &v).literal(),
            b"ip" => f.ip = string_value(t, &v),
            b"protocol" => match string_value(t, &v) {
                Some(p) => {
                    f.give_protocol(&p);
                }
                None if &t[v.clone()] == b"None" => {}
                None => f.protocol_state = Protocol::Unknown,
            },
            // A policy named by a variable may be `None`: only a literal one is claimed.
            b"id" => f.policy = string_value(t, &a.value),
            b"table_name" => f.table = string_value(t, &v).or(f.table.take()),
            _ => {}
        }
    }
    if f.policy.is_some() && f.kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    Some((anchor.start..end, Surface::PythonLegacySdk, name.to_string(), f))
}
