//! Tokens wrapped in base64: a Kubernetes Secret's `data:` values, `echo … | base64` in a
//! script, a base64 setting. The prefilter cannot read inside base64, so a second search
//! looks for the base64 of a few words every token holds (`AccountKey=`, `sig=`, …),
//! computed at each of the three byte alignments: those are literal strings too. Around such a
//! trigger, the base64 run is decoded once and scanned; every token inside is reported at
//! the whole run, which is also its secret (redaction replaces the whole value).

use std::ops::Range;

use super::token::{Token, TokenForm};

/// Words that every connection string or SAS holds, one of them near its start.
const WORDS: &[&str] = &[
    "DefaultEndpointsProtocol=",
    "AccountKey=",
    "SharedAccessSignature=",
    "SharedAccessKey",
    "sig=",
];

/// Longest base64 value decoded (a whole configuration file in a Kubernetes Secret fits).
const MAX_RUN: usize = 64 * 1024;
/// Shortest: the base64 of `sig=` plus a 32-byte signature.
const MIN_RUN: usize = 48;
/// Base64 inside base64 inside base64 is not followed further.
const MAX_DEPTH: u8 = 2;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The base64 characters of `word` written at byte offset `align` (0, 1 or 2) of a
/// 3-byte group: only the characters whose six bits all come from `word`, so the literal
/// appears wherever `word` is encoded at that alignment, whatever surrounds it.
pub fn encoded_at(word: &[u8], align: usize) -> String {
    let mut bytes = vec![0u8; align];
    bytes.extend_from_slice(word);
    let (lo, hi) = (8 * align, 8 * bytes.len());
    let mut out = String::new();
    let mut j = 0;
    while 6 * j + 6 <= hi {
        if 6 * j >= lo {
            let mut v = 0u8;
            for bit in 6 * j..6 * j + 6 {
                v = v << 1 | (bytes[bit / 8] >> (7 - bit % 8)) & 1;
            }
            out.push(ALPHABET[v as usize] as char);
        }
        j += 1;
    }
    out
}

/// Every trigger literal, as one pattern (case-sensitive: base64 is).
pub fn trigger_pattern() -> String {
    let mut alts = Vec::new();
    for w in WORDS {
        for align in 0..3 {
            alts.push(encoded_at(w.as_bytes(), align));
        }
    }
    alts.sort();
    alts.dedup();
    alts.join("|")
}

fn trigger_re() -> &'static regex::bytes::Regex {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::bytes::Regex::new(&trigger_pattern()).expect("trigger pattern is valid"))
}

/// The first trigger at or after `pos`.
pub fn find_trigger(t: &[u8], pos: usize) -> Option<Range<usize>> {
    trigger_re().find_at(t, pos).map(|m| m.range())
}

/// The first trigger inside `range`, if any.
pub fn trigger_in(t: &[u8], range: Range<usize>) -> Option<usize> {
    if range.len() < MIN_RUN {
        return None;
    }
    trigger_re().find(&t[range.clone()]).map(|m| range.start + m.start())
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// The base64 run around `at` (not reaching before `floor`), padding included.
pub fn run_around(t: &[u8], at: usize, floor: usize) -> Range<usize> {
    let mut start = at;
    while start > floor && is_b64(t[start - 1]) {
        start -= 1;
    }
    let mut end = at;
    while end < t.len() && is_b64(t[end]) {
        end += 1;
    }
    start..super::decode::padding_end(t, end)
}

/// Decodes standard or URL-safe base64 (padding optional); `None` when it is not.
fn decode(s: &[u8]) -> Option<Vec<u8>> {
    let body = &s[..s.len() - s.iter().rev().take_while(|&&b| b == b'=').count()];
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in body {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6 | v as u32) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Text, not binary: a connection string or URL decodes to printable UTF-8.
fn is_text(b: &[u8]) -> bool {
    std::str::from_utf8(b).is_ok_and(|s| s.chars().all(|c| !c.is_control() || c.is_whitespace()))
}

/// The tokens inside the base64 run around the trigger at `at` (the run not reaching
/// before `floor`), reported at the run, and the offset where scanning may resume. `scan`
/// scans the decoded text one level deeper than `depth`; at [`MAX_DEPTH`] nothing is.
pub fn scan_wrapped(
    t: &[u8],
    at: usize,
    floor: usize,
    depth: u8,
    scan: fn(&[u8], u8) -> Vec<Token>,
) -> (Vec<Token>, usize) {
    let run = run_around(t, at, floor);
    let end = run.end;
    if run.len() < MIN_RUN || run.len() > MAX_RUN || depth >= MAX_DEPTH {
        return (Vec::new(), end);
    }
    let Some(decoded) = decode(&t[run.clone()]).filter(|d| is_text(d)) else {
        return (Vec::new(), end);
    };
    let inner = scan(&decoded, depth + 1);
    let out = inner
        .into_iter()
        .map(|tok| Token {
            form: TokenForm::Base64(Box::new(tok.form)),
            range: run.clone(),
            secret: run.clone(),
            resource_url: None,
            query: None,
            // Pieces inside the decoded text do not map to the run: it is one piece.
            pieces: None,
            ..tok
        })
        .collect();
    (out, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_the_base64_of_each_word_at_each_alignment() {
        // `DefaultEndpointsProtocol=` alone: the first 32 characters are whole.
        assert!(encoded_at(b"DefaultEndpointsProtocol=", 0).starts_with("RGVmYXVsdEVuZHBvaW50c1Byb3RvY29s"));
        // `sig=` at each alignment, checked against encodings of `sig=`, `.sig=`, `..sig=`.
        assert_eq!(encoded_at(b"sig=", 0), "c2lnP");
        assert!("LnNpZz0=".contains(&encoded_at(b"sig=", 1)));
        assert!("Li5zaWc9".contains(&encoded_at(b"sig=", 2)));
        for w in WORDS {
            for a in 0..3 {
                assert!(encoded_at(w.as_bytes(), a).len() >= 4, "{w} at {a}");
            }
        }
    }

    #[test]
    fn decodes_standard_and_url_safe() {
        assert_eq!(decode(b"c2lnPWE=").unwrap(), b"sig=a");
        assert_eq!(decode(b"c2lnPWE").unwrap(), b"sig=a");
        assert_eq!(decode(b"-_-_").unwrap(), decode(b"+/+/").unwrap());
        assert!(decode(b"c2lnP").is_none());
    }
}
