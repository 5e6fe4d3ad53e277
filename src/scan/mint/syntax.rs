//! Just enough syntax to read a call site: identifiers, string literals, number
//! expressions and the arguments of a call (top-level commas, nested brackets, strings and
//! line comments skipped), all within a byte limit. Values are ranges of the text.

use std::ops::Range;

/// One argument of a call: its name when written `name=value` (Python) or `name: value`
/// (C#), and the value's range, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub name: Option<Range<usize>>,
    pub value: Range<usize>,
}

pub fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The offset after the string literal opening at `at` (`"…"`, `'…'`, `` `…` ``, and a
/// C# `@"…"` verbatim string), or `None` when it does not close before `limit`.
pub fn skip_string(t: &[u8], at: usize, limit: usize) -> Option<usize> {
    let q = *t.get(at)?;
    let mut i = at + 1;
    while i < limit {
        match t[i] {
            b'\\' if q != b'@' => i += 2,
            b if b == q => return Some(i + 1),
            b'\n' if q != b'`' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The content of a string literal standing alone in `r` (quotes, an `f`/`r`/`u`/`b`
/// Python prefix or a C# `@`/`$` prefix allowed), without escapes; `None` for anything
/// else (a name, a call, an interpolated value).
pub fn string_value(t: &[u8], r: &Range<usize>) -> Option<String> {
    let s = t.get(r.clone())?;
    let s = trim(s);
    let start = s.iter().position(|b| matches!(b, b'"' | b'\''))?;
    if start > 2 || !s[..start].iter().all(|b| b"rRuUbB@$".contains(b)) {
        return None;
    }
    let q = s[start];
    let body = s.get(start + 1..s.len().checked_sub(1)?)?;
    if s.len() < start + 2 || s[s.len() - 1] != q || body.contains(&q) {
        return None;
    }
    // An interpolation (`f"{x}"`, `$"{x}"`) leaves the value unknown.
    if s[..start].iter().any(|b| matches!(b, b'$')) && body.contains(&b'{') {
        return None;
    }
    if s[..start].iter().any(|b| matches!(b, b'f' | b'F')) {
        return None;
    }
    let v = std::str::from_utf8(body).ok()?;
    if v.contains('\\') {
        return None;
    }
    Some(v.to_string())
}

pub fn trim(s: &[u8]) -> &[u8] {
    let a = s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len());
    let e = s.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(a, |e| e + 1);
    &s[a..e]
}

pub fn trim_range(t: &[u8], r: Range<usize>) -> Range<usize> {
    let mut r = r;
    while r.start < r.end && t[r.start].is_ascii_whitespace() {
        r.start += 1;
    }
    while r.end > r.start && t[r.end - 1].is_ascii_whitespace() {
        r.end -= 1;
    }
    r
}

/// Skips whitespace (line breaks included) from `i`, up to `limit`.
pub fn skip_ws(t: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && t[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The identifier starting at `i`, if any.
pub fn ident_at(t: &[u8], i: usize, limit: usize) -> Option<Range<usize>> {
    let mut e = i;
    while e < limit && is_ident_byte(t[e]) {
        e += 1;
    }
    (e > i && !t[i].is_ascii_digit()).then_some(i..e)
}

/// The identifier ending just before `end` (spaces before `end` skipped), looked for at
/// most [`super::MINT_LOOKBACK`] bytes back.
pub fn ident_before(t: &[u8], end: usize) -> Option<Range<usize>> {
    let floor = end.saturating_sub(super::MINT_LOOKBACK);
    let mut e = end;
    while e > floor && matches!(t[e - 1], b' ' | b'\t') {
        e -= 1;
    }
    let mut s = e;
    while s > floor && is_ident_byte(t[s - 1]) {
        s -= 1;
    }
    (s < e).then_some(s..e)
}

/// Where the bracket opened at `open` closes (the offset after it), skipping strings,
/// nested brackets and `#` or `//` line comments; `None` past `limit`.
pub fn close_of(t: &[u8], open: usize, limit: usize, hash_comments: bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < limit {
        match t[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' | b'\'' => {
                i = skip_string(t, i, limit)?;
                continue;
            }
            b'#' if hash_comments => i = line_end(t, i, limit),
            b'/' if !hash_comments && t.get(i + 1) == Some(&b'/') => i = line_end(t, i, limit),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Where the line holding `i` ends (at `\n` or `\r`).
fn line_end(t: &[u8], i: usize, limit: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &t[i..limit]).map_or(limit, |p| i + p)
}

/// The name assigned the value starting at `new_at` (`name = new …`, `var name = new …`,
/// `Type name = new …`, the `=` on this line or the one before), within the lookback.
pub fn assigned_name(t: &[u8], new_at: usize) -> Option<Range<usize>> {
    let floor = new_at.saturating_sub(super::MINT_LOOKBACK);
    let mut i = new_at;
    while i > floor && t[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    if i < 2 || t[i - 1] != b'=' || matches!(t[i - 2], b'=' | b'!' | b'<' | b'>') {
        return None;
    }
    ident_before(t, i - 1)
}

/// The arguments of a call whose `(` follows `name_end` after spaces or tabs, and the
/// offset after its `)`: `None` when no `(` follows, or when the call has no arguments (a
/// function named in prose, `generate_account_sas()`: every minting signature takes some).
pub fn call_arguments(t: &[u8], name_end: usize, limit: usize, hash_comments: bool) -> Option<(Vec<Arg>, usize)> {
    let mut open = name_end;
    while open < limit && matches!(t[open], b' ' | b'\t') {
        open += 1;
    }
    if t.get(open) != Some(&b'(') {
        return None;
    }
    let (args, end) = arguments(t, open, limit, hash_comments)?;
    (!args.is_empty()).then_some((args, end))
}

/// The arguments of a method called on something (`client.name(…)`, the name at `name`),
/// and the offset after its `)`; `None` when no `.` comes before the name or no `(` after
/// it.
pub fn method_arguments(t: &[u8], name: &Range<usize>, limit: usize, hash_comments: bool) -> Option<(Vec<Arg>, usize)> {
    if name.start == 0 || t[name.start - 1] != b'.' {
        return None;
    }
    let open = skip_ws(t, name.end, limit);
    if t.get(open) != Some(&b'(') {
        return None;
    }
    arguments(t, open, limit, hash_comments)
}

/// The arguments of the call whose opening bracket is at `open` (`(` or `{`), and the
/// offset after its closing bracket.
pub fn arguments(t: &[u8], open: usize, limit: usize, hash_comments: bool) -> Option<(Vec<Arg>, usize)> {
    let end = close_of(t, open, limit, hash_comments)?;
    let args = segments(t, open + 1..end - 1, false, hash_comments)
        .into_iter()
        .map(|r| trim_range(t, r))
        .filter(|r| !r.is_empty())
        .map(|r| split_name(t, strip_comments(t, r, hash_comments)))
        .collect();
    Some((args, end))
}

/// The parts of `inner` between top-level commas (brackets, strings and line comments
/// skipped), untrimmed; with `lines`, line breaks separate parts too (a Bicep object's
/// properties, one a line).
pub fn segments(t: &[u8], inner: Range<usize>, lines: bool, hash_comments: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = inner.start;
    let mut i = inner.start;
    let mut depth = 0usize;
    while i <= inner.end {
        if i == inner.end || (depth == 0 && (t[i] == b',' || lines && matches!(t[i], b'\n' | b'\r'))) {
            out.push(start..i);
            start = i + 1;
            i += 1;
            continue;
        }
        let comment = if hash_comments {
            t[i] == b'#'
        } else {
            t[i] == b'/' && t.get(i + 1) == Some(&b'/')
        };
        if comment {
            i = line_end(t, i, inner.end);
            // The line break after the comment ends the part.
            if lines {
                continue;
            }
        }
        match t[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' | b'\'' => {
                i = skip_string(t, i, inner.end).unwrap_or(inner.end);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// An argument's range without the whole-line comments before it.
fn strip_comments(t: &[u8], mut r: Range<usize>, hash_comments: bool) -> Range<usize> {
    loop {
        let s = &t[r.clone()];
        let comment = if hash_comments {
            s.starts_with(b"#")
        } else {
            s.starts_with(b"//")
        };
        if !comment {
            return r;
        }
        let nl = memchr::memchr2(b'\n', b'\r', s).map_or(r.end, |p| r.start + p);
        r = trim_range(t, nl..r.end);
    }
}

/// `name=value` (not `==`) or `name: value` becomes a named argument.
fn split_name(t: &[u8], r: Range<usize>) -> Arg {
    if let Some(name) = ident_at(t, r.start, r.end) {
        let mut i = name.end;
        while i < r.end && matches!(t[i], b' ' | b'\t') {
            i += 1;
        }
        let sep = t.get(i).copied();
        let next = t.get(i + 1).copied();
        if i < r.end && ((sep == Some(b'=') && next != Some(b'=')) || (sep == Some(b':') && next != Some(b':'))) {
            return Arg {
                name: Some(name),
                value: trim_range(t, i + 1..r.end),
            };
        }
    }
    Arg { name: None, value: r }
}

/// A number expression: a literal, or literals multiplied (`365 * 30`), with `_`
/// separators; `None` for anything else.
pub fn number(s: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(trim(s)).ok()?;
    let s = s.trim_matches(|c| c == '(' || c == ')');
    let mut product = 1.0;
    for part in s.split('*') {
        let p: String = part.trim().chars().filter(|c| *c != '_').collect();
        let p = p.trim_end_matches(['d', 'D', 'f', 'F', 'm', 'M', 'L', 'l']);
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        product *= p.parse::<f64>().ok()?;
    }
    product.is_finite().then_some(product)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_named_and_positional_arguments() {
        let t = b"f(a, b=\"x,y\", c=g(1, 2), # note\n d: 3)";
        let (args, end) = arguments(t, 1, t.len(), true).unwrap();
        assert_eq!(end, t.len());
        assert_eq!(args.len(), 4);
        assert!(args[0].name.is_none());
        assert_eq!(&t[args[1].value.clone()], b"\"x,y\"");
        assert_eq!(&t[args[2].value.clone()], b"g(1, 2)");
        assert_eq!(&t[args[3].name.clone().unwrap()], b"d");
    }

    #[test]
    fn strings_and_numbers() {
        let t = b"  'rwdl'  ";
        assert_eq!(string_value(t, &(0..t.len())).as_deref(), Some("rwdl"));
        assert_eq!(string_value(b"f'{x}'", &(0..6)), None);
        assert_eq!(string_value(b"perm", &(0..4)), None);
        assert_eq!(number(b"365 * 30"), Some(10950.0));
        assert_eq!(number(b"1_000"), Some(1000.0));
        assert_eq!(number(b"days"), None);
    }

    #[test]
    fn an_unclosed_call_is_not_read() {
        let t = b"f(a, b";
        assert!(arguments(t, 1, t.len(), true).is_none());
    }
}
