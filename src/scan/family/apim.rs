//! API Management SAS tokens for the direct management API:
//! `SharedAccessSignature uid=<user id>&ex=<expiry, ISO 8601 with 7 fraction digits>&sn=<sig>`
//! and the portal's `SharedAccessSignature integration&<yyyyMMddHHmm>&<sig>`. The signature is
//! an HMAC-SHA512 (64 bytes, 88 base64 characters) of the identifier and the expiry.

use std::ops::Range;

use chrono::{NaiveDateTime, TimeZone, Utc};

use super::value::{find_ci, live_base64, preceded_by};
use crate::redact::{sanitize_known, Known};
use crate::scan::decode::decode_lossy;
use crate::scan::fingerprint;
use crate::scan::host::host_and_account;
use crate::scan::params::{signature_end, split_fields, split_params};
use crate::scan::time::TimeValue;
use crate::scan::token::{SasParams, Token, TokenForm, TokenKind};

const HEADER: &[u8] = b"SharedAccessSignature ";

pub fn scan(t: &[u8], extent: Range<usize>, out: &mut Vec<Token>) {
    let host = service_host(t, extent.clone());
    for field in split_fields(t, extent.clone()) {
        let params = split_params(t, field);
        let get = |k: &str| params.iter().find(|p| p.key_is(t, k));
        let (Some(uid), Some(ex), Some(sn)) = (get("uid"), get("ex"), get("sn")) else {
            continue;
        };
        let secret = sn.value.start..signature_end(t, sn.value.clone());
        let Some(sig) = live_base64(t, secret.clone(), 64) else {
            continue;
        };
        let known = Known::new([sig.as_bytes(), &t[secret.clone()]]);
        let id = sanitize_known(&decode_lossy(&t[uid.value.clone()]), &known);
        let expiry = TimeValue::parse(&sanitize_known(&decode_lossy(&t[ex.value.clone()]), &known));
        let start = uid.key.start.min(ex.key.start).min(sn.key.start);
        out.push(token(t, start, secret, &sig, id, expiry, host.clone()));
    }
    // `integration&<yyyyMMddHHmm>&<sig>`.
    let mut from = extent.start;
    while let Some(at) = find_ci(t, from..extent.end, b"integration&") {
        from = at + 1;
        let digits_start = at + b"integration&".len();
        let digits_end = (digits_start..extent.end)
            .find(|&i| !t[i].is_ascii_digit())
            .unwrap_or(extent.end);
        if !matches!(digits_end - digits_start, 12 | 14) || t.get(digits_end) != Some(&b'&') {
            continue;
        }
        let secret = digits_end + 1..signature_end(t, digits_end + 1..extent.end);
        let Some(sig) = live_base64(t, secret.clone(), 64) else {
            continue;
        };
        let digits = String::from_utf8_lossy(&t[digits_start..digits_end]).into_owned();
        let format = if digits.len() == 12 {
            "%Y%m%d%H%M"
        } else {
            "%Y%m%d%H%M%S"
        };
        let expiry = TimeValue {
            at: NaiveDateTime::parse_from_str(&digits, format)
                .ok()
                .map(|d| Utc.from_utc_datetime(&d)),
            text: digits,
        };
        out.push(token(t, at, secret, &sig, "integration".into(), expiry, host.clone()));
    }
}

fn token(
    t: &[u8],
    start: usize,
    secret: Range<usize>,
    sig: &str,
    id: String,
    expiry: TimeValue,
    host: Option<String>,
) -> Token {
    let (form, start) = if preceded_by(t, start, HEADER) {
        (TokenForm::Header, start - HEADER.len())
    } else {
        (TokenForm::Query, start)
    };
    let account = host.as_deref().and_then(|h| h.split('.').next()).map(str::to_string);
    Token {
        kind: TokenKind::ApimSas,
        form,
        range: start..secret.end,
        query: Some(start..secret.end),
        secret,
        resource_url: None,
        account,
        host,
        key_name: Some(id),
        params: SasParams {
            expiry: Some(expiry),
            ..SasParams::default()
        },
        fingerprint: fingerprint(sig),
        pieces: None,
    }
}

/// The service's management host when the extent names it (`<name>.management.azure-api.net`).
fn service_host(t: &[u8], extent: Range<usize>) -> Option<String> {
    let at = find_ci(t, extent.clone(), b".management.azure-api.net")?;
    let start = (extent.start..at)
        .rev()
        .find(|&i| !(t[i].is_ascii_alphanumeric() || t[i] == b'-'))
        .map_or(extent.start, |i| i + 1);
    let (host, _) = host_and_account(format!("https://{}", String::from_utf8_lossy(&t[start..at + 25])).as_bytes());
    host
}
