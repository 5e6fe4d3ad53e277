//! Finding the string literal that holds a token, on the token's line.

use std::ops::Range;

/// A quoted literal: the quote bytes' positions and the quote character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Literal {
    pub open: usize,
    pub close: usize,
    pub quote: u8,
    /// Start of the literal including a prefix such as `f`, `r`, `b`, `@` or `$`.
    pub start: usize,
}

impl Literal {
    /// The literal's whole span, prefix and quotes included.
    pub fn span(&self) -> Range<usize> {
        self.start..self.close + 1
    }
}

fn escaped(t: &[u8], i: usize) -> bool {
    let mut n = 0;
    let mut j = i;
    while j > 0 && t[j - 1] == b'\\' {
        n += 1;
        j -= 1;
    }
    n % 2 == 1
}

/// The literal around `inner` (which holds no quote itself), if both quotes are on its line.
pub fn enclosing(t: &[u8], inner: &Range<usize>) -> Option<Literal> {
    let line_start = t[..inner.start]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let line_end = t[inner.end..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(t.len(), |i| inner.end + i);
    let open = (line_start..inner.start)
        .rev()
        .find(|&i| matches!(t[i], b'"' | b'\'' | b'`') && !escaped(t, i))?;
    let quote = t[open];
    let close = (inner.end..line_end).find(|&i| t[i] == quote && !escaped(t, i))?;
    let mut start = open;
    while start > line_start
        && matches!(
            t[start - 1],
            b'f' | b'r' | b'b' | b'u' | b'F' | b'R' | b'B' | b'U' | b'@' | b'$'
        )
    {
        start -= 1;
    }
    // A prefix is only one when it is not the end of an identifier (`buf"…"` is not a prefix).
    if start < open && start > line_start && (t[start - 1].is_ascii_alphanumeric() || t[start - 1] == b'_') {
        start = open;
    }
    Some(Literal {
        open,
        close,
        quote,
        start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_quotes_and_prefixes() {
        let t = br#"x = f"https://h/c?sv=1&sig=2" + y"#;
        let inner = 18..28;
        let l = enclosing(t, &inner).unwrap();
        assert_eq!((l.open, l.close, l.quote, l.start), (5, 28, b'"', 4));
        assert!(enclosing(b"# https://h/c?sv=1&sig=2", &(2..24)).is_none());
        let t = br#"s = "a\"b?sv=1" "#;
        let l = enclosing(t, &(10..14)).unwrap();
        assert_eq!((l.open, l.close), (4, 14));
    }
}
