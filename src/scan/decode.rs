//! Decoding of the encodings a token hides in: percent-encoding (once or twice), JSON
//! escapes (`\/`, `\u0026`), and strict base64 checks for signatures and keys.

/// Decodes a parameter value as written in the text: JSON escapes first, then
/// percent-encoding, repeated once more when the value was encoded twice (`%252B`).
/// Returns `None` when the value holds an invalid escape (such as `%6G`): documentation
/// samples do that, real tokens never do.
pub fn decode_value(raw: &[u8]) -> Option<String> {
    let mut unescaped = unescape_json(raw)?;
    // JSON inside JSON: `\\/` is `\/` once unescaped, `/` twice.
    if unescaped.contains(&b'\\') {
        unescaped = unescape_json(&unescaped)?;
    }
    let once = percent_decode(&unescaped)?;
    let bytes = if has_percent_escape(&once) {
        percent_decode(&once)?
    } else {
        once
    };
    String::from_utf8(bytes).ok()
}

/// Like [`decode_value`] but never fails: invalid escapes are kept as written.
pub fn decode_lossy(raw: &[u8]) -> String {
    decode_value(raw).unwrap_or_else(|| String::from_utf8_lossy(raw).into_owned())
}

fn has_percent_escape(b: &[u8]) -> bool {
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Strict percent-decoding: a `%` must be followed by two hex digits.
pub fn percent_decode(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            let hi = hex(*raw.get(i + 1)?)?;
            let lo = hex(*raw.get(i + 2)?)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Resolves `\/` and `\uXXXX` (ASCII only) as JSON writes them inside strings.
fn unescape_json(raw: &[u8]) -> Option<Vec<u8>> {
    if !raw.contains(&b'\\') {
        return Some(raw.to_vec());
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'\\' {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        match raw.get(i + 1) {
            Some(&c @ (b'/' | b'\\')) => {
                out.push(c);
                i += 2;
            }
            Some(b'u') => {
                let d = raw.get(i + 2..i + 6)?;
                let v = d.iter().try_fold(0u32, |acc, &c| Some(acc << 4 | hex(c)? as u32))?;
                if v >= 0x80 {
                    return None;
                }
                out.push(v as u8);
                i += 6;
            }
            _ => return None,
        }
    }
    Some(out)
}

fn b64_value(c: u8) -> Option<u8> {
    sextet(c, false)
}

/// The 6-bit value of a base64 character, in the standard (`+/`) or the URL-safe (`-_`)
/// alphabet.
fn sextet(c: u8, url_safe: bool) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' if !url_safe => Some(62),
        b'/' if !url_safe => Some(63),
        b'-' if url_safe => Some(62),
        b'_' if url_safe => Some(63),
        _ => None,
    }
}

/// Past up to two `=` of padding at `end`.
pub fn padding_end(t: &[u8], mut end: usize) -> usize {
    let mut pads = 0;
    while end < t.len() && t[end] == b'=' && pads < 2 {
        end += 1;
        pads += 1;
    }
    end
}

/// True when `s` is canonical standard base64 of exactly `len` bytes (padding optional)
/// and looks random: real HMAC signatures and keys use many distinct characters, while
/// placeholders (`AAAA…=`) do not.
pub fn is_random_base64_of_len(s: &str, len: usize) -> bool {
    let body = s.trim_end_matches('=');
    let pad = s.len() - body.len();
    let want_pad = (3 - len % 3) % 3;
    (pad == 0 || pad == want_pad) && is_random_body(body.as_bytes(), len, false)
}

/// [`is_random_base64_of_len`] for unpadded URL-safe base64 (`-_`).
pub fn is_random_base64url_of_len(s: &[u8], len: usize) -> bool {
    is_random_body(s, len, true)
}

/// The unpadded characters of `len` bytes, canonical (unused low bits zero) and with the
/// variety of random bytes.
fn is_random_body(body: &[u8], len: usize, url_safe: bool) -> bool {
    let chars = (len * 4).div_ceil(3);
    if body.len() != chars {
        return false;
    }
    let mut seen = 0u64;
    let mut last = 0u8;
    for &c in body {
        match sextet(c, url_safe) {
            Some(v) => {
                seen |= 1 << v;
                last = v;
            }
            None => return false,
        }
    }
    // Unused low bits of the final character must be zero in canonical encoding.
    let unused_bits = (chars * 6 - len * 8) as u32;
    if unused_bits > 0 && last & ((1u8 << unused_bits) - 1) != 0 {
        return false;
    }
    let distinct = seen.count_ones() as usize;
    distinct >= (chars / 3).clamp(8, 16)
}

/// Decodes canonical standard base64 (used for fingerprints).
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let body = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in body.bytes() {
        acc = acc << 6 | b64_value(c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_handles_single_and_double_encoding() {
        assert_eq!(
            decode_value(b"2021-01-01T00%3A00%3A00Z").unwrap(),
            "2021-01-01T00:00:00Z"
        );
        assert_eq!(decode_value(b"ab%252Bcd%253D").unwrap(), "ab+cd=");
        assert_eq!(decode_value(b"ab%2bcd%3d").unwrap(), "ab+cd=");
        assert_eq!(decode_value(b"a\\/b\\u002Bc").unwrap(), "a/b+c");
        assert_eq!(decode_value(b"a\\\\/b\\\\u002Bc").unwrap(), "a/b+c");
        assert!(decode_value(b"a\\\\qb").is_none());
    }

    #[test]
    fn invalid_escapes_are_rejected() {
        assert!(decode_value(b"F%6GRV").is_none());
        assert!(decode_value(b"abc%4").is_none());
        assert!(decode_value(b"a\\qb").is_none());
        assert_eq!(decode_lossy(b"F%6G"), "F%6G");
    }

    #[test]
    fn base64_length_and_canonical_checks() {
        // 32 bytes 0..32 encoded
        let s = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        assert!(is_random_base64_of_len(s, 32));
        assert!(is_random_base64_of_len(s.trim_end_matches('='), 32));
        assert!(!is_random_base64_of_len(s, 64));
        assert_eq!(base64_decode(s).unwrap(), (0u8..32).collect::<Vec<_>>());
        // Non-canonical last char (low bits set).
        assert!(!is_random_base64_of_len(
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=",
            32
        ));
        // Placeholder with few distinct characters.
        assert!(!is_random_base64_of_len(
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            32
        ));
        assert!(!is_random_base64_of_len("XXXX", 32));
        assert!(!is_random_base64_of_len("<signature>", 32));
    }
}
