//! Logic Apps and Power Automate trigger URLs:
//! `https://prod-00.westus.logic.azure.com:443/workflows/<id>/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=<43 base64url characters>`.
//! The signature is an HMAC-SHA256 of the trigger path made with the workflow's access key,
//! written in unpadded base64url. It carries no expiry unless `se` is set.

use std::ops::Range;

use super::value::{base64url_end, is_random_base64url_32};
use crate::redact::{sanitize_known, Known};
use crate::scan::decode::decode_lossy;
use crate::scan::host::host_and_account;
use crate::scan::params::{split_fields, split_params, split_queries, Param};
use crate::scan::time::TimeValue;
use crate::scan::token::{SasParams, Token, TokenForm, TokenKind};
use crate::scan::{fingerprint, group_params};

/// Hosts that serve workflow triggers.
const HOSTS: &[&str] = &[
    ".logic.azure.com",
    ".logic.azure.us",
    ".logic.azure.cn",
    ".api.powerplatform.com",
    ".azurewebsites.net",
];

fn value<'a>(t: &[u8], group: &'a [Param], key: &str) -> Option<&'a Param> {
    group.iter().find(|p| p.key_is(t, key))
}

/// The start of the URL (`https://`, `http://`, encoded or JSON-escaped) in `part`.
pub fn url_in(t: &[u8], part: Range<usize>) -> Option<Range<usize>> {
    let s = &t[part.clone()];
    (0..s.len())
        .rev()
        .find(|&i| {
            let rest = &s[i..];
            let after = if rest.len() > 5 && rest[..5].eq_ignore_ascii_case(b"https") {
                &rest[5..]
            } else if rest.len() > 4 && rest[..4].eq_ignore_ascii_case(b"http") {
                &rest[4..]
            } else {
                return false;
            };
            [&b"://"[..], b"%3a%2f%2f", b":\\/\\/"]
                .iter()
                .any(|p| after.len() >= p.len() && after[..p.len()].eq_ignore_ascii_case(p))
        })
        .map(|i| part.start + i..part.end)
}

pub fn scan(t: &[u8], extent: Range<usize>, out: &mut Vec<Token>) {
    for field in split_fields(t, extent) {
        let parts = split_queries(t, field);
        for k in 1..parts.len() {
            let params = split_params(t, parts[k].clone());
            for (gi, group) in group_params(t, &params).into_iter().enumerate() {
                let url = if gi == 0 { url_in(t, parts[k - 1].clone()) } else { None };
                if let Some(tok) = trigger(t, group, url) {
                    out.push(tok);
                }
            }
        }
    }
}

fn trigger(t: &[u8], group: &[Param], url: Option<Range<usize>>) -> Option<Token> {
    let sig = value(t, group, "sig")?;
    let get = |k: &str| value(t, group, k).map(|p| decode_lossy(&t[p.value.clone()]));
    if get("sv").as_deref() != Some("1.0") {
        return None;
    }
    // The signature as Logic Apps writes it: the parameter splitter stops at `-` and `_`,
    // which base64url holds.
    let end = base64url_end(t, sig.value.start);
    let secret = sig.value.start..end;
    if !is_random_base64url_32(&t[secret.clone()]) {
        return None;
    }
    let sp = get("sp").unwrap_or_default();
    let url_text = url.as_ref().map(|u| decode_lossy(&t[u.clone()])).unwrap_or_default();
    let (host, _) = url.as_ref().map_or((None, None), |u| host_and_account(&t[u.clone()]));
    let on_host = host.as_deref().is_some_and(|h| HOSTS.iter().any(|s| h.ends_with(s)));
    let lower = url_text.to_ascii_lowercase();
    let on_path = lower.contains("/triggers/") || lower.contains("/workflows/");
    if !(on_host || on_path || sp.to_ascii_lowercase().starts_with("/triggers/")) {
        return None;
    }
    let segment_after = |name: &str| {
        let i = lower.find(name)? + name.len();
        let seg = url_text[i..].split(['/', '?', '#']).next()?;
        (!seg.is_empty()).then(|| seg.to_string())
    };
    let workflow = segment_after("/workflows/");
    let trigger = segment_after("/triggers/").or_else(|| {
        let rest = sp.strip_prefix("/triggers/")?;
        rest.split('/').next().map(str::to_string)
    });
    let decoded = String::from_utf8_lossy(&t[secret.clone()]).into_owned();
    let known = Known::new([decoded.as_bytes()]);
    let clean = |v: String| sanitize_known(&v, &known);
    let protocol = url_text
        .split_once("://")
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    let start = url.as_ref().map_or(group.first()?.key.start, |u| u.start);
    let query_start = group.first()?.key.start;
    let group_end = group.last()?.value.end.max(end);
    let params = SasParams {
        version: get("sv"),
        resource: (!sp.is_empty()).then(|| clean(sp.clone())),
        expiry: get("se").map(|v| TimeValue::parse(&clean(v))),
        protocol: protocol.map(clean),
        ..SasParams::default()
    };
    Some(Token {
        kind: TokenKind::LogicAppsTrigger,
        form: if url.is_some() {
            TokenForm::Url
        } else {
            TokenForm::Query
        },
        range: start..group_end,
        secret,
        resource_url: url,
        query: Some(query_start..group_end),
        account: workflow.map(clean),
        host: host.map(clean),
        key_name: trigger.map(clean),
        params,
        fingerprint: fingerprint(&decoded),
        pieces: None,
    })
}
