//! String literals as source code writes them, read forward from an offset with a byte
//! budget: the content range of `"…"`, `'…'` or `` `…` `` (escapes skipped, not decoded).

use std::ops::Range;

/// Longest literal read.
pub const MAX_LITERAL: usize = 512;

/// The content of the literal whose opening quote is at `at`, and the offset after its
/// closing quote. Single and double quotes end at a line break.
pub fn literal_at(t: &[u8], at: usize) -> Option<(Range<usize>, usize)> {
    let q = *t.get(at)?;
    if !matches!(q, b'"' | b'\'' | b'`') {
        return None;
    }
    let end = (at + 1 + MAX_LITERAL).min(t.len());
    let mut i = at + 1;
    while i < end {
        match t[i] {
            b'\\' => i += 2,
            b'\n' | b'\r' if q != b'`' => return None,
            b if b == q => return Some((at + 1..i, i + 1)),
            _ => i += 1,
        }
    }
    None
}

/// Skips spaces and tabs from `i`, and line breaks while `breaks` allows; returns the
/// offset reached and the breaks left.
pub fn skip_space(t: &[u8], mut i: usize, mut breaks: usize) -> (usize, usize) {
    while i < t.len() {
        match t[i] {
            b' ' | b'\t' => i += 1,
            b'\n' if breaks > 0 => {
                breaks -= 1;
                i += 1;
            }
            b'\r' if breaks > 0 => {
                if t.get(i + 1) != Some(&b'\n') {
                    breaks -= 1;
                }
                i += 1;
            }
            _ => break,
        }
    }
    (i, breaks)
}
