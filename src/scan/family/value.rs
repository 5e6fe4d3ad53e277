//! What makes a family member's secret live: its length and alphabet once decoded, and that
//! it is not a sample published in the official documentation or an emulator's key.

use std::ops::Range;

use crate::scan::decode::{decode_value, is_random_base64_of_len};
use crate::scan::params::signature_end;

/// Signatures and keys printed in Microsoft's documentation and SDK samples: they look
/// random but grant nothing.
const DOC_SAMPLES: &[&str] = &[
    // API Management, "Authenticate to the direct management REST API".
    "aAsTE43MAbKMkZ6q83Z732IbzesfsaPEU404oUjQ4ZLE9iIXLz+Jj9rEctxKYw43SioCfdLaDq7dT8RQuBKc0w==",
    "ItH6scUyCazNKHULKA0Yv6T+Skk4SdnNz7w2TzxZBwOL56fxO2RGHxEiuS3rgd1vI5f3ib7wPvc4VFOB0WxCwg==",
    // Cosmos DB REST reference, `authorization: type%3dmaster%26ver%3d1.0%26sig%3d…` samples.
    "go7JEogZDn6ritWhwc5hX/NTV4wwM1u9V2Is1H4+DRg=",
    "5tDc/QMIeHx7GwggxdfjbVv2Lo9i5To15al97tikccI=",
    "pcM7iWGJthlDVY3V1gqi5ku+WH5/FUkiMPP/U0Xl3O0=",
    "5mDuQBYA0kb70WDJoTUzSBMTG3owkC0/cEN4fqa18/s=",
    // Cosmos DB resource token samples (the signature before the `;`).
    "4/IPvcZwC9TnN/M1gPjuBg==",
    "ocPyc9QQFybITu1EqzX0kg==",
    // The SignalR and Web PubSub emulators' published key.
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH",
];

pub fn is_doc_sample(decoded: &str) -> bool {
    DOC_SAMPLES.contains(&decoded)
}

/// The decoded value of `raw` when it is random standard base64 of `len` bytes and no sample.
pub fn live_base64(t: &[u8], raw: Range<usize>, len: usize) -> Option<String> {
    if raw.is_empty() || raw.len() > 400 {
        return None;
    }
    let v = decode_value(&t[raw])?;
    (is_random_base64_of_len(&v, len) && !is_doc_sample(&v) && !crate::scan::is_emulator_key(&v)).then_some(v)
}

/// The end of a base64url value (`A-Z a-z 0-9 - _`) that starts at `start`.
pub fn base64url_end(t: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < t.len() && (t[i].is_ascii_alphanumeric() || t[i] == b'-' || t[i] == b'_') {
        i += 1;
    }
    i
}

/// Canonical unpadded base64url of exactly 32 bytes (43 characters) with the variety of
/// random bytes: a Logic Apps trigger signature.
pub fn is_random_base64url_32(s: &[u8]) -> bool {
    crate::scan::decode::is_random_base64url_of_len(s, 32)
}

/// A common annotated security key, the 84-character format newer Azure keys use (SignalR,
/// Web PubSub, Communication Services, …): 52 random characters, `JQQJ9` and its kind,
/// a date and a checksum, all letters and digits.
pub fn is_annotated_key(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 84 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let mut seen = 0u128;
    for &c in &b[..52] {
        seen |= 1 << (c & 0x7f);
    }
    &b[52..57] == b"JQQJ9"
        && matches!(b[57], b'9' | b'D' | b'H')
        && (b'A'..=b'L').contains(&b[59])
        && b[76].is_ascii_alphabetic()
        && seen.count_ones() >= 16
}

/// The value written right after a header or parameter name at `name_end` (`: "…"`, `=…`,
/// `", "…`): its range, when one starts within a few bytes.
pub fn value_after(t: &[u8], name_end: usize) -> Option<Range<usize>> {
    let mut i = name_end;
    let limit = (name_end + 8).min(t.len());
    while i < limit && matches!(t[i], b' ' | b'\t' | b'"' | b'\'' | b':' | b'=' | b',') {
        i += 1;
    }
    let end = signature_end(t, i..t.len().min(i + 400));
    (end > i).then_some(i..end)
}

/// Case-insensitive search for `needle` in `t[range]`.
pub fn find_ci(t: &[u8], range: Range<usize>, needle: &[u8]) -> Option<usize> {
    let hay = &t[range.clone()];
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let rest = &hay[i..];
        let j = rest.iter().position(|b| b.eq_ignore_ascii_case(&first))?;
        i += j;
        if hay.len() - i >= needle.len() && hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(range.start + i);
        }
        i += 1;
    }
    None
}

/// True when `text` holds the written prefix `p` right before `at` (any case).
pub fn preceded_by(t: &[u8], at: usize, p: &[u8]) -> bool {
    at >= p.len() && t[at - p.len()..at].eq_ignore_ascii_case(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_signatures() {
        // 32 bytes 0..32 in base64url, no padding.
        assert!(is_random_base64url_32(b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"));
        assert!(!is_random_base64url_32(b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9"));
        assert!(!is_random_base64url_32(b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        assert!(!is_random_base64url_32(b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw+Hh8"));
        assert!(!is_random_base64url_32(&[b'A'; 43]));
    }

    #[test]
    fn annotated_keys() {
        let k = format!(
            "{}JQQJ99BKACE1{}A{}",
            "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5m", "PydXJ3w3AAAA", "WPS6IY9"
        );
        assert_eq!(k.len(), 84, "{k}");
        assert!(is_annotated_key(&k));
        assert!(!is_annotated_key(&k.replace("JQQJ9", "JQQJ8")));
        assert!(!is_annotated_key(&k[1..]));
    }

    #[test]
    fn finds_any_case() {
        assert_eq!(find_ci(b"xx Integration&", 0..15, b"integration&"), Some(3));
        assert_eq!(find_ci(b"integration", 0..11, b"integration&"), None);
    }
}
