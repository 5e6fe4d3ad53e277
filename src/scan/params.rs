//! Splitting an extent of token-like text into connection-string fields, URL/query
//! segments and `key=value` parameters, in any of the encodings they appear in.
//! Every range refers to the original text, so a signature can be located exactly.

use std::ops::Range;

/// Bytes that can be part of a URL, query string or connection string as written in code.
/// A backslash counts only as the start of a JSON escape (`\/`, `\u0026`, and `\\/`,
/// `\\u0026` of JSON inside JSON); `#` only inside an HTML character reference (`&#38;`).
pub fn is_token_byte(text: &[u8], i: usize) -> bool {
    is_token_byte_before(text[i], text.get(i + 1).copied())
}

/// [`is_token_byte`] for a byte `b` followed by `next`.
pub fn is_token_byte_before(b: u8, next: Option<u8>) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'%' | b'&' | b'=' | b';' | b':' | b'/' | b'?' | b'.' | b'+' | b'_' | b'-' | b',' | b'~' | b'@' | b'$'
        )
        || (b == b'\\' && matches!(next, Some(b'/' | b'u' | b'&' | b'\\')))
        || (b == b'#' && next.is_some_and(|n| n.is_ascii_digit() || n == b'x' || n == b'X'))
        // `^&` is how cmd.exe escapes `&`.
        || (b == b'^' && next == Some(b'&'))
}

/// The maximal run of token bytes around `pos`.
pub fn expand(text: &[u8], pos: usize) -> Range<usize> {
    let mut start = pos;
    while start > 0 && is_token_byte(text, start - 1) {
        start -= 1;
    }
    let mut end = pos;
    while end < text.len() && is_token_byte(text, end) {
        end += 1;
    }
    start..end
}

fn starts_with_ci(hay: &[u8], at: usize, needle: &[u8]) -> bool {
    hay.get(at..at + needle.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(needle))
}

/// An HTML character reference at `i` (`&#38;`, `&#x26;`): its length and the byte it
/// stands for, when that is ASCII.
fn char_ref(t: &[u8], i: usize) -> Option<(usize, u8)> {
    let rest = t.get(i..)?;
    if !rest.starts_with(b"&#") {
        return None;
    }
    let (radix, digits_at) = if matches!(rest.get(2), Some(b'x' | b'X')) {
        (16, 3)
    } else {
        (10, 2)
    };
    let mut v = 0u32;
    let mut j = digits_at;
    while j < rest.len() && j < digits_at + 6 && (rest[j] as char).is_digit(radix) {
        v = v * radix + (rest[j] as char).to_digit(radix)?;
        j += 1;
    }
    (j > digits_at && rest.get(j) == Some(&b';') && v < 0x80).then_some((j + 1, v as u8))
}

/// Length of a parameter separator (`&`, `&amp;`, `&amp;amp;`, `&#38;`, `%26`, `%2526`,
/// `\u0026`, `\\u0026`) at `i`, or 0.
fn param_sep_len(t: &[u8], i: usize) -> usize {
    match t[i] {
        b'&' if starts_with_ci(t, i, b"&amp;amp;") => 9,
        b'&' if starts_with_ci(t, i, b"&amp;") => 5,
        b'&' => match char_ref(t, i) {
            Some((n, b'&')) => n,
            Some(_) => 0,
            None => 1,
        },
        b'%' if starts_with_ci(t, i, b"%26") => 3,
        b'%' if starts_with_ci(t, i, b"%2526") => 5,
        b'\\' if starts_with_ci(t, i, b"\\u0026") => 6,
        b'\\' if starts_with_ci(t, i, b"\\\\u0026") => 7,
        // Shell `\&` and cmd.exe `^&`.
        b'\\' | b'^' if t.get(i + 1) == Some(&b'&') => 2,
        _ => 0,
    }
}

/// Length of an escape at `i` that stands for `want` (`%3D`, `%253D`, `\u003d`,
/// `\\u003d`, `&#61;`, `&#x3D;` for `=`), or 0.
fn escaped_len(t: &[u8], i: usize, want: u8) -> usize {
    let hex = format!("{want:02x}");
    let starts = |p: &str| starts_with_ci(t, i, p.as_bytes());
    match t[i] {
        b'%' if starts(&format!("%{hex}")) => 3,
        b'%' if starts(&format!("%25{hex}")) => 5,
        b'\\' if starts(&format!("\\u00{hex}")) => 6,
        b'\\' if starts(&format!("\\\\u00{hex}")) => 7,
        b'&' => char_ref(t, i).filter(|&(_, b)| b == want).map_or(0, |(n, _)| n),
        _ => 0,
    }
}

/// Length of a key/value separator (`=` or an escape of it) at `i`, or 0.
fn kv_sep_len(t: &[u8], i: usize) -> usize {
    match t[i] {
        b'=' => 1,
        b'%' | b'\\' | b'&' => escaped_len(t, i, b'='),
        _ => 0,
    }
}

/// Length of a query-start marker (`?` or an escape of it) at `i`, or 0.
fn query_mark_len(t: &[u8], i: usize) -> usize {
    match t[i] {
        b'?' => 1,
        b'%' | b'\\' | b'&' => escaped_len(t, i, b'?'),
        _ => 0,
    }
}

/// Whether the `;` at `i` ends an HTML entity (`&amp;`, `&amp;amp;`, `&#38;`) rather than
/// a connection-string field.
fn ends_entity(t: &[u8], i: usize) -> bool {
    let before = |p: &[u8]| i >= p.len() && t[i - p.len()..i].eq_ignore_ascii_case(p);
    if before(b"&amp") || before(b"&amp;amp") {
        return true;
    }
    (i.saturating_sub(10)..i).any(|s| t[s] == b'&' && char_ref(t, s).is_some_and(|(n, _)| s + n == i + 1))
}

/// Splits `range` at `;` (but not the `;` that ends `&amp;`): connection-string fields.
pub fn split_fields(t: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for i in range.clone() {
        if t[i] == b';' && !ends_entity(t, i) {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..range.end);
    out
}

/// Splits a field at `?`/`%3F`: the first part may be a URL, the rest are queries.
pub fn split_queries(t: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    let mut i = range.start;
    while i < range.end {
        let n = query_mark_len(t, i);
        if n > 0 && i + n <= range.end {
            out.push(start..i);
            i += n;
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(start..range.end);
    out
}

/// One `key=value` pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub key: Range<usize>,
    pub value: Range<usize>,
}

impl Param {
    pub fn key_is(&self, t: &[u8], name: &str) -> bool {
        t[self.key.clone()].eq_ignore_ascii_case(name.as_bytes())
    }

    /// The whole `key=value` span.
    pub fn span(&self) -> Range<usize> {
        self.key.start..self.value.end
    }
}

/// Splits a query segment into parameters. A first key that is not a SAS parameter but
/// whose value starts with one (`MODEL_SAS=sv=…`, `SharedAccessSignature=sv=…`) is a
/// prefix, not part of the query, and is skipped.
pub fn split_params(t: &[u8], range: Range<usize>) -> Vec<Param> {
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let seg_start = i;
        let mut seg_end = range.end;
        let mut next = range.end;
        let mut j = i;
        while j < range.end {
            let n = param_sep_len(t, j);
            if n > 0 {
                seg_end = j;
                next = (j + n).min(range.end);
                break;
            }
            j += 1;
        }
        if let Some(mut p) = split_kv(t, seg_start..seg_end, out.is_empty()) {
            if p.key_is(t, "sig") {
                // A signature ends where base64 ends: `…%3D.` or `…%3D,https://…` is prose or
                // a list, not part of the token.
                p.value.end = signature_end(t, p.value.clone());
            }
            out.push(p);
        }
        i = next;
        if seg_end == range.end {
            break;
        }
    }
    // Sentence punctuation after the last parameter (`…&se=2051-01-01.`) is not its value.
    if let Some(last) = out.last_mut() {
        while last.value.end > last.value.start
            && matches!(t[last.value.end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?')
        {
            last.value.end -= 1;
        }
    }
    out
}

/// The end of a signature or key value that starts at `range.start`: base64 characters,
/// percent escapes, and the JSON escapes `\/`, `\u002B`, `\u002F`, `\u003D`.
pub fn signature_end(t: &[u8], range: Range<usize>) -> usize {
    let mut i = range.start;
    while i < range.end {
        let b = t[i];
        if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=') {
            i += 1;
        } else if b == b'%'
            && t.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            && i + 3 <= range.end
        {
            i += 3;
        } else if b == b'\\' && t.get(i + 1) == Some(&b'/') {
            i += 2;
        } else if b == b'\\' && t.get(i + 1..i + 3) == Some(b"\\/") && i + 3 <= range.end {
            i += 3;
        } else if b == b'\\'
            && i + 7 <= range.end
            && t[i + 1] == b'\\'
            && [&b"u002b"[..], b"u002f", b"u003d"]
                .iter()
                .any(|e| t[i + 2..i + 7].eq_ignore_ascii_case(e))
        {
            i += 7;
        } else if b == b'\\'
            && i + 6 <= range.end
            && [&b"u002b"[..], b"u002f", b"u003d"]
                .iter()
                .any(|e| t[i + 1..i + 6].eq_ignore_ascii_case(e))
        {
            i += 6;
        } else {
            break;
        }
    }
    i
}

fn find_kv(t: &[u8], range: Range<usize>) -> Option<(usize, usize)> {
    range.clone().find_map(|i| {
        let n = kv_sep_len(t, i);
        (n > 0).then_some((i, n))
    })
}

fn split_kv(t: &[u8], range: Range<usize>, first: bool) -> Option<Param> {
    let (mut at, mut n) = find_kv(t, range.clone())?;
    let mut key_start = range.start;
    if first {
        // Strip prefixes such as `MODEL_SAS=` or `SharedAccessSignature=`.
        while !is_sas_key(&t[key_start..at]) {
            let rest = at + n..range.end;
            match find_kv(t, rest.clone()) {
                Some((a2, n2)) if is_sas_key(&t[rest.start..a2]) => {
                    key_start = rest.start;
                    at = a2;
                    n = n2;
                }
                _ => break,
            }
        }
    }
    let key = key_start..at;
    if key.is_empty()
        || !t[key.clone()]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
    {
        return None;
    }
    Some(Param {
        key,
        value: at + n..range.end,
    })
}

/// Every query parameter a storage or Service Bus SAS may carry.
pub const SAS_KEYS: &[&str] = &[
    "sv", "ss", "srt", "sr", "tn", "sp", "st", "se", "sip", "spr", "si", "sig", "ses", "sdd", "skoid", "sktid", "skt",
    "ske", "sks", "skv", "saoid", "suoid", "scid", "sduoid", "skdutid", "rscc", "rscd", "rsce", "rscl", "rsct", "spk",
    "srk", "epk", "erk", "srh", "srq", "skn",
];

pub fn is_sas_key(k: &[u8]) -> bool {
    SAS_KEYS.iter().any(|s| s.as_bytes().eq_ignore_ascii_case(k))
}

/// The key of a connection-string field (`AccountKey` in `AccountKey=…`), after any
/// assignment prefix (`AZURE_CONN=AccountName=…`). Returns the key and value ranges.
pub fn field_key_value(t: &[u8], field: Range<usize>) -> Option<(Range<usize>, Range<usize>)> {
    let mut start = field.start;
    loop {
        let eq = (start..field.end).find(|&i| t[i] == b'=')?;
        let key = start..eq;
        if is_conn_key(&t[key.clone()]) {
            return Some((key, eq + 1..field.end));
        }
        // Only a plain identifier may be an assignment prefix.
        if !t[key]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-' || *b == b'.')
        {
            return None;
        }
        start = eq + 1;
    }
}

/// Connection-string keys of Azure Storage, Service Bus, Event Hubs, Relay and IoT Hub.
pub const CONN_KEYS: &[&str] = &[
    "DefaultEndpointsProtocol",
    "AccountName",
    "AccountKey",
    "EndpointSuffix",
    "BlobEndpoint",
    "QueueEndpoint",
    "TableEndpoint",
    "FileEndpoint",
    "SharedAccessSignature",
    "UseDevelopmentStorage",
    "DevelopmentStorageProxyUri",
    "Endpoint",
    "SharedAccessKeyName",
    "SharedAccessKey",
    "EntityPath",
    "HostName",
    "DeviceId",
    "ModuleId",
    "GatewayHostName",
    "TransportType",
];

pub fn is_conn_key(k: &[u8]) -> bool {
    conn_key_index(k).is_some()
}

/// The position of a connection-string key in [`CONN_KEYS`].
pub fn conn_key_index(k: &[u8]) -> Option<usize> {
    CONN_KEYS.iter().position(|s| s.as_bytes().eq_ignore_ascii_case(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(s: &str) -> Vec<(String, String)> {
        let t = s.as_bytes();
        split_params(t, 0..t.len())
            .into_iter()
            .map(|p| (s[p.key.clone()].to_string(), s[p.value.clone()].to_string()))
            .collect()
    }

    #[test]
    fn splits_every_separator_family() {
        let want = vec![("sv".into(), "1".into()), ("sig".into(), "a=".into())];
        assert_eq!(params("sv=1&sig=a="), want);
        assert_eq!(params("sv=1&amp;sig=a="), want);
        assert_eq!(params("sv=1\\u0026sig=a="), want);
        assert_eq!(params("sv%3D1%26sig%3Da="), want);
    }

    #[test]
    fn splits_double_encoded_json_in_json_and_html_separators() {
        let want = vec![("sv".into(), "1".into()), ("sig".into(), "a=".into())];
        assert_eq!(params("sv%253D1%2526sig%253Da="), want);
        assert_eq!(params("sv\\\\u003d1\\\\u0026sig\\\\u003da="), want);
        assert_eq!(params("sv=1&amp;amp;sig=a="), want);
        assert_eq!(params("sv&#61;1&#38;sig&#x3D;a="), want);
        assert_eq!(params("sv=1&#x26;sig=a="), want);
        assert_eq!(params("sv=1&#038;sig=a="), want);
        // Another character reference is not a separator.
        assert_eq!(params("sv=1&#39;x"), vec![("sv".into(), "1&#39;x".into())]);
        let s = b"A=1;B=x&amp;amp;y&#38;z";
        assert_eq!(split_fields(s, 0..s.len()), vec![0..3, 4..23]);
    }

    #[test]
    fn strips_assignment_prefixes() {
        assert_eq!(params("MODEL_SAS=sv=1")[0], ("sv".into(), "1".into()));
        assert_eq!(params("SharedAccessSignature=sv=1")[0], ("sv".into(), "1".into()));
        assert_eq!(params("foo=bar")[0], ("foo".into(), "bar".into()));
    }

    #[test]
    fn expand_stops_at_quotes_and_spaces() {
        let s = br#"x = "https://a/b?sv=1&sig=x" y"#;
        let r = expand(s, 20);
        assert_eq!(&s[r], b"https://a/b?sv=1&sig=x");
        let s = br#""https:\/\/a\/b?sv=1\u0026sig=x\"""#;
        let r = expand(s, 10);
        assert_eq!(&s[r], br#"https:\/\/a\/b?sv=1\u0026sig=x"#);
    }

    #[test]
    fn fields_ignore_amp_entities() {
        let s = b"A=1;B=x&amp;y";
        let f = split_fields(s, 0..s.len());
        assert_eq!(f, vec![0..3, 4..13]);
        let (k, v) = field_key_value(b"CONN=AccountName=x", 0..18).unwrap();
        assert_eq!((k, v), (5..16, 17..18));
    }
}
