//! Event Grid: SAS tokens `r=<url-encoded resource>&e=<url-encoded expiry>&s=<url-encoded
//! signature>` (sent as `aeg-sas-token` or `Authorization: SharedAccessSignature …`) and
//! access keys sent as `aeg-sas-key` (32 bytes, 44 base64 characters). The expiry is written
//! the way .NET prints a date for en-US (`6/20/2026 5:30:00 PM`), URL-encoded with `+` for
//! spaces; ISO 8601 is read too.

use std::ops::Range;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use super::value::{find_ci, live_base64, preceded_by, value_after};
use crate::redact::{sanitize_known, Known};
use crate::scan::decode::{decode_lossy, percent_decode};
use crate::scan::fingerprint;
use crate::scan::host::host_and_account;
use crate::scan::params::{signature_end, split_fields, split_params, split_queries};
use crate::scan::time::{parse_time, TimeValue};
use crate::scan::token::{SasParams, Token, TokenForm, TokenKind};

/// Event Grid hosts in every cloud.
pub fn is_event_grid_host(h: &str) -> bool {
    [".eventgrid.azure.net", ".eventgrid.azure.cn", ".eventgrid.azure.us"]
        .iter()
        .any(|s| h.ends_with(s))
}

pub fn scan(t: &[u8], extent: Range<usize>, out: &mut Vec<Token>) {
    let mut url_host = None;
    for field in split_fields(t, extent.clone()) {
        let parts = split_queries(t, field);
        if url_host.is_none() {
            url_host = host_and_account(&t[parts[0].clone()])
                .0
                .filter(|h| is_event_grid_host(h));
        }
        for part in parts {
            sas(t, part, out);
        }
    }
    // `aeg-sas-key: <key>`, `?aeg-sas-key=<key>`, `("aeg-sas-key", "<key>")`.
    let mut from = extent.start;
    while let Some(at) = find_ci(t, from..extent.end, b"aeg-sas-key") {
        from = at + 1;
        let Some(raw) = value_after(t, at + b"aeg-sas-key".len()) else {
            continue;
        };
        let Some(key) = live_base64(t, raw.clone(), 32) else {
            continue;
        };
        let known = Known::new([key.as_bytes()]);
        let host = url_host.as_deref().map(|h| sanitize_known(h, &known));
        out.push(Token {
            kind: TokenKind::EventGridKey,
            form: TokenForm::BareKey,
            range: raw.clone(),
            secret: raw,
            resource_url: None,
            query: None,
            account: host.as_deref().and_then(|h| h.split('.').next()).map(str::to_string),
            host,
            key_name: None,
            params: SasParams::default(),
            fingerprint: fingerprint(&key),
            pieces: None,
        });
    }
}

fn sas(t: &[u8], part: Range<usize>, out: &mut Vec<Token>) {
    let params = split_params(t, part);
    let get = |k: &str| params.iter().find(|p| p.key_is(t, k));
    let (Some(r), Some(e), Some(s)) = (get("r"), get("e"), get("s")) else {
        return;
    };
    let resource = decode_lossy(&t[r.value.clone()]);
    let (host, account) = host_and_account(resource.as_bytes());
    if !host.as_deref().is_some_and(is_event_grid_host) {
        return;
    }
    let secret = s.value.start..signature_end(t, s.value.clone());
    let Some(sig) = live_base64(t, secret.clone(), 32) else {
        return;
    };
    let known = Known::new([sig.as_bytes(), &t[secret.clone()]]);
    let clean = |v: &str| sanitize_known(v, &known);
    let expiry_text = clean(&expiry_text(&t[e.value.clone()]));
    let protocol = resource.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    let mut start = r.key.start.min(e.key.start).min(s.key.start);
    let mut form = TokenForm::Query;
    if preceded_by(t, start, b"SharedAccessSignature ") {
        start -= b"SharedAccessSignature ".len();
        form = TokenForm::Header;
    }
    let end = secret.end.max(r.value.end).max(e.value.end);
    let account = account.or_else(|| host.as_deref().and_then(|h| h.split('.').next()).map(str::to_string));
    out.push(Token {
        kind: TokenKind::EventGridSas,
        form,
        range: start..end,
        secret,
        resource_url: None,
        query: Some(start..end),
        account: account.map(|a| clean(&a)),
        host: host.map(|h| clean(&h)),
        key_name: None,
        params: SasParams {
            resource: Some(clean(&resource)),
            expiry: Some(TimeValue {
                at: parse_expiry(&expiry_text),
                text: expiry_text,
            }),
            protocol,
            ..SasParams::default()
        },
        fingerprint: fingerprint(&sig),
        pieces: None,
    });
}

/// The expiry as written, decoded: `+` is a space (form encoding), then percent-escapes.
fn expiry_text(raw: &[u8]) -> String {
    let spaced: Vec<u8> = raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
    let once = percent_decode(&spaced).unwrap_or(spaced);
    String::from_utf8_lossy(&once).into_owned()
}

/// `6/20/2026 5:30:00 PM`, optionally followed by an offset (`+00:00`), or ISO 8601.
pub fn parse_expiry(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let (clock, offset) = match s.rsplit_once(' ') {
        Some((head, zone)) if zone.starts_with(['+', '-']) && zone.len() == 6 => (head, Some(zone)),
        _ => (s, None),
    };
    let Ok(local) = NaiveDateTime::parse_from_str(clock, "%m/%d/%Y %I:%M:%S %p") else {
        return parse_time(s);
    };
    let utc = Utc.from_utc_datetime(&local);
    let Some(zone) = offset else {
        return Some(utc);
    };
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let hours: i64 = zone[1..3].parse().ok()?;
    let minutes: i64 = zone[4..6].parse().ok()?;
    Some(utc - chrono::Duration::minutes(sign * (hours * 60 + minutes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_dates() {
        let at = |s: &str| parse_expiry(s).map(|d| d.to_rfc3339());
        assert_eq!(at("6/20/2026 5:30:00 PM").as_deref(), Some("2026-06-20T17:30:00+00:00"));
        assert_eq!(
            at("12/01/2026 12:00:00 AM +01:00").as_deref(),
            Some("2026-11-30T23:00:00+00:00")
        );
        assert_eq!(at("2026-06-20T17:30:00Z").as_deref(), Some("2026-06-20T17:30:00+00:00"));
        assert_eq!(expiry_text(b"6%2f20%2f2026+5%3a30%3a00+PM"), "6/20/2026 5:30:00 PM");
        assert!(at("soon").is_none());
    }
}
