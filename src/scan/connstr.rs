//! Connection strings: storage (`AccountKey=`, `SharedAccessSignature=`), Service Bus,
//! Event Hubs, Relay and IoT Hub (`SharedAccessKeyName=…;SharedAccessKey=…`).

use std::ops::Range;

use super::decode::{decode_lossy, decode_value, is_random_base64_of_len};
use super::host::{host_and_account, namespace_of};
use super::params::split_params;
use super::sas::Placement;
use super::token::{SasParams, Token, TokenForm, TokenKind};
use super::{fingerprint, group_params, is_emulator_account, is_emulator_key};
use crate::redact::{sanitize_known, Known};

/// One `Key=Value` field: key and value ranges.
pub type Field = (Range<usize>, Range<usize>);

/// Reports every live secret of one connection string made of `fields`.
pub fn scan_conn(t: &[u8], fields: &[Field], out: &mut Vec<Token>) {
    let (Some(first), Some(last)) = (fields.first(), fields.last()) else {
        return;
    };
    let range = first.0.start..last.1.end;
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| t[k.clone()].eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.clone())
    };
    let text_of = |name: &str| get(name).map(|v| decode_lossy(&t[v]));

    let mut account = text_of("AccountName");
    if account.as_deref().is_some_and(is_emulator_account) || get("UseDevelopmentStorage").is_some() {
        return;
    }
    let mut host = None;
    for ep in ["BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint"] {
        if let Some(v) = get(ep) {
            let (h, a) = host_and_account(&t[v]);
            host = host.or(h);
            account = account.or(a);
        }
    }
    if account.as_deref().is_some_and(is_emulator_account) {
        return;
    }
    if host.is_none() {
        if let (Some(a), Some(suffix)) = (&account, text_of("EndpointSuffix")) {
            host = Some(format!("{a}.blob.{suffix}"));
        }
    }
    let (ns_host, namespace) = match text_of("Endpoint").or_else(|| text_of("HostName")) {
        Some(e) => namespace_of(&e),
        None => (None, None),
    };

    if let Some(v) = get("AccountKey") {
        if let Some(key) = live_key(t, v.clone(), 64) {
            out.push(key_token(
                TokenKind::StorageAccountKey,
                range.clone(),
                v,
                &key,
                host.clone(),
                account.clone(),
                None,
            ));
        }
    }
    if let Some(v) = get("SharedAccessKey") {
        if let Some(key) = live_key(t, v.clone(), 32) {
            let key_name = text_of("SharedAccessKeyName");
            out.push(key_token(
                TokenKind::SharedAccessKey,
                range.clone(),
                v,
                &key,
                ns_host,
                namespace,
                key_name,
            ));
        }
    }
    if let Some(v) = get("SharedAccessSignature") {
        let params = split_params(t, v);
        for group in group_params(t, &params) {
            let place = Placement {
                form: TokenForm::ConnectionString,
                range: range.clone(),
                resource_url: None,
                host: host.clone(),
                account: account.clone(),
            };
            if let Some(tok) = super::sas::build_sas(t, group, place) {
                out.push(tok);
            }
        }
    }
}

/// The decoded key when `raw` is random base64 of `len` bytes and not an emulator key.
pub fn live_key(t: &[u8], raw: Range<usize>, len: usize) -> Option<String> {
    if raw.len() > 400 {
        return None;
    }
    let key = decode_value(&t[raw])?;
    (is_random_base64_of_len(&key, len) && !is_emulator_key(&key)).then_some(key)
}

pub fn key_token(
    kind: TokenKind,
    range: Range<usize>,
    secret: Range<usize>,
    key: &str,
    host: Option<String>,
    account: Option<String>,
    key_name: Option<String>,
) -> Token {
    let form = if range == secret {
        TokenForm::BareKey
    } else {
        TokenForm::ConnectionString
    };
    let known = Known::new([key.as_bytes()]);
    Token {
        kind,
        form,
        range,
        secret,
        resource_url: None,
        query: None,
        // Names come from the text around the key: shown to people, so sanitised.
        account: account.map(|v| sanitize_known(&v, &known)),
        host: host.map(|v| sanitize_known(&v, &known)),
        key_name: key_name.map(|v| sanitize_known(&v, &known)),
        params: SasParams::default(),
        fingerprint: fingerprint(key),
        pieces: None,
    }
}
