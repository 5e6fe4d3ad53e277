//! Cosmos DB authorization values: `type=master&ver=1.0&sig=<HMAC-SHA256, 32 bytes>` signs one
//! request with the account key (usually URL-encoded: `type%3dmaster%26ver%3d1.0%26sig%3d…`);
//! `type=resource&ver=1&sig=<16 bytes>;<encrypted token>;` is a resource token handed out
//! for one permission on one resource.

use std::ops::Range;

use super::value::live_base64;
use crate::redact::{sanitize_known, Known};
use crate::scan::decode::{decode_lossy, decode_value};
use crate::scan::fingerprint;
use crate::scan::params::{signature_end, split_fields, split_params};
use crate::scan::token::{SasParams, Token, TokenForm, TokenKind};

pub fn scan(t: &[u8], extent: Range<usize>, out: &mut Vec<Token>) {
    for field in split_fields(t, extent.clone()) {
        let params = split_params(t, field);
        let get = |k: &str| params.iter().find(|p| p.key_is(t, k));
        let (Some(ty), Some(ver), Some(sig)) = (get("type"), get("ver"), get("sig")) else {
            continue;
        };
        let ty = decode_lossy(&t[ty.value.clone()]).to_ascii_lowercase();
        let version = decode_lossy(&t[ver.value.clone()]);
        if version != "1.0" && version != "1" {
            continue;
        }
        let start = params[0].key.start.min(sig.key.start);
        let (kind, secret, decoded) = match ty.as_str() {
            "master" => {
                let Some(s) = live_base64(t, sig.value.clone(), 32) else {
                    continue;
                };
                (TokenKind::CosmosMasterToken, sig.value.clone(), s)
            }
            "resource" => {
                let Some(s) = live_base64(t, sig.value.clone(), 16) else {
                    continue;
                };
                // The encrypted token follows the signature after a `;` (or `%3B`).
                let sep = match t.get(sig.value.end) {
                    Some(b';') => 1,
                    Some(b'%')
                        if t.get(sig.value.end..sig.value.end + 3)
                            .is_some_and(|s| s.eq_ignore_ascii_case(b"%3b")) =>
                    {
                        3
                    }
                    _ => continue,
                };
                let body = sig.value.end + sep..signature_end(t, sig.value.end + sep..extent.end);
                if !is_random_payload(t, body.clone()) {
                    continue;
                }
                (TokenKind::CosmosResourceToken, sig.value.start..body.end, s)
            }
            _ => continue,
        };
        let known = Known::new([decoded.as_bytes()]);
        out.push(Token {
            kind,
            form: TokenForm::Header,
            range: start..secret.end,
            query: Some(start..secret.end),
            secret,
            resource_url: None,
            account: None,
            host: None,
            key_name: None,
            params: SasParams {
                version: Some(sanitize_known(&version, &known)),
                ..SasParams::default()
            },
            fingerprint: fingerprint(&decoded),
            pieces: None,
        });
    }
}

/// The encrypted part of a resource token: long base64 with the variety of random bytes.
fn is_random_payload(t: &[u8], body: Range<usize>) -> bool {
    let Some(v) = decode_value(&t[body]) else {
        return false;
    };
    let mut seen = 0u128;
    for b in v.bytes() {
        if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) {
            return false;
        }
        seen |= 1 << b;
    }
    v.len() >= 64 && seen.count_ones() >= 24
}
