//! Turning a group of query parameters into a typed SAS token, or rejecting it.

use std::ops::Range;

use super::decode::{decode_lossy, decode_value, is_random_base64_of_len};
use super::host::{host_and_account, namespace_of};
use super::params::Param;
use super::time::TimeValue;
use super::token::{Letters, SasParams, Token, TokenForm, TokenKind};
use super::{fingerprint, is_emulator_account};
use crate::redact::{sanitize_known, Known};

/// Permission letters an account SAS accepts.
pub const ACCOUNT_PERMISSIONS: &str = "rwdxylacuptfi";
/// Permission letters service and user delegation SAS accept (blob, file, queue, table).
pub const SERVICE_PERMISSIONS: &str = "racwdxyltfmeopiu";

/// Where a SAS sits: the caller knows the surrounding URL or connection string.
pub struct Placement {
    pub form: TokenForm,
    pub range: Range<usize>,
    pub resource_url: Option<Range<usize>>,
    pub host: Option<String>,
    pub account: Option<String>,
}

fn value_of<'a>(t: &[u8], group: &'a [Param], key: &str) -> Option<&'a Param> {
    group.iter().find(|p| p.key_is(t, key))
}

/// The decoded signature when it is real: valid base64 of exactly 32 bytes.
pub fn live_signature(t: &[u8], sig: &Param) -> Option<String> {
    let raw = &t[sig.value.clone()];
    if raw.len() > 300 {
        return None;
    }
    let s = decode_value(raw)?;
    is_random_base64_of_len(&s, 32).then_some(s)
}

fn is_date_version(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Builds a SAS token from one parameter group; `None` when it holds no live signature,
/// is not an Azure Storage or Service Bus SAS, or belongs to the storage emulator.
pub fn build_sas(t: &[u8], group: &[Param], place: Placement) -> Option<Token> {
    let sig = value_of(t, group, "sig")?;
    let secret = live_signature(t, sig)?;
    // Values are shown to people: anything secret-like inside them is redacted, and so is
    // any copy of a piece of this signature, however it is cut.
    let copies = Known::new([&t[sig.value.clone()], secret.as_bytes()]);
    let get = |k: &str| value_of(t, group, k).map(|p| sanitize_known(&decode_lossy(&t[p.value.clone()]), &copies));
    let has = |k: &str| value_of(t, group, k).is_some();

    let version = get("sv");
    let expiry = get("se");
    let unix_expiry = expiry
        .as_deref()
        .is_some_and(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()));
    let sr = get("sr");
    let kind = if has("skn") || (version.is_none() && unix_expiry && sr.as_deref().is_some_and(|r| r.len() > 2)) {
        TokenKind::ServiceBusSas
    } else if has("skoid") || has("sktid") {
        TokenKind::UserDelegationSas
    } else if (has("ss") || has("srt")) && sr.is_none() {
        TokenKind::AccountSas
    } else if sr.is_some() || has("tn") || version.as_deref().is_some_and(is_date_version) && (has("sp") || has("si")) {
        if has("si") {
            TokenKind::StoredPolicySas
        } else {
            TokenKind::ServiceSas
        }
    } else {
        return None;
    };
    if kind.is_storage_sas() {
        if let Some(v) = &version {
            if !is_date_version(v) {
                return None;
            }
        }
    }

    let known = if kind == TokenKind::AccountSas {
        ACCOUNT_PERMISSIONS
    } else {
        SERVICE_PERMISSIONS
    };
    let time = |k: &str| get(k).map(|v| TimeValue::parse(&v));
    let params = SasParams {
        version,
        services: get("ss").map(|v| Letters::parse(&v, "bqtf")),
        resource_types: get("srt").map(|v| Letters::parse(&v, "sco")),
        resource: sr.clone(),
        table: get("tn"),
        permissions: get("sp").map(|v| Letters::parse(&v, known)),
        start: time("st"),
        expiry: expiry.map(|v| TimeValue::parse(&v)),
        ip: get("sip"),
        protocol: get("spr"),
        policy: get("si"),
        key_name: get("skn"),
        key_start: time("skt"),
        key_expiry: time("ske"),
        encryption_scope: get("ses"),
        directory_depth: get("sdd"),
    };

    let (mut host, mut account) = match &place.resource_url {
        Some(r) => host_and_account(&t[r.clone()]),
        None => (None, None),
    };
    if kind == TokenKind::ServiceBusSas {
        if let Some(r) = &sr {
            (host, account) = namespace_of(r);
        }
    }
    host = host.or(place.host);
    account = account.or(place.account);
    if account.as_deref().is_some_and(is_emulator_account) {
        return None;
    }
    let query_start = group.first()?.key.start;
    let query_end = group.last()?.value.end;
    Some(Token {
        kind,
        form: place.form,
        range: place.range,
        secret: sig.value.clone(),
        resource_url: place.resource_url,
        query: Some(query_start..query_end),
        // Names come from the text around the token: shown to people, so sanitised.
        account: account.map(|a| sanitize_known(&a, &copies)),
        host: host.map(|h| sanitize_known(&h, &copies)),
        key_name: params.key_name.clone(),
        params,
        fingerprint: fingerprint(&secret),
        pieces: None,
    })
}
