//! Inline suppression: `sasguard:ignore` on a token's line, or
//! `sasguard:ignore-next-line` on the line before, in any comment syntax.

use std::ops::Range;
use std::sync::OnceLock;

use memchr::{memchr2, memmem, memrchr2};

const IGNORE: &[u8] = b"sasguard:ignore";
const NEXT_LINE: &[u8] = b"-next-line";

fn finder() -> &'static memmem::Finder<'static> {
    static FINDER: OnceLock<memmem::Finder<'static>> = OnceLock::new();
    FINDER.get_or_init(|| memmem::Finder::new(IGNORE))
}

fn line_start(t: &[u8], pos: usize) -> usize {
    memrchr2(b'\n', b'\r', &t[..pos]).map_or(0, |i| i + 1)
}

fn line_end(t: &[u8], pos: usize) -> usize {
    memchr2(b'\n', b'\r', &t[pos..]).map_or(t.len(), |i| pos + i)
}

/// Kinds of marker found in `line`: (ignore this line, ignore the next line).
pub fn markers(line: &[u8]) -> (bool, bool) {
    let (mut this, mut next) = (false, false);
    for i in finder().find_iter(line) {
        if line[i + IGNORE.len()..].starts_with(NEXT_LINE) {
            next = true;
        } else {
            this = true;
        }
    }
    (this, next)
}

/// Answers for many tokens of one text, reading each line once however many tokens it
/// holds (minified files put thousands on one line).
pub struct Suppressor<'a> {
    text: &'a [u8],
    /// The last line looked at: its start, end and whether its own tokens are suppressed
    /// (by a marker on it or on the line before).
    cached: Option<(usize, usize, bool)>,
}

impl<'a> Suppressor<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        Suppressor { text, cached: None }
    }

    fn line_verdict(&mut self, pos: usize) -> bool {
        let t = self.text;
        if let Some((s, e, v)) = self.cached {
            if s <= pos && pos <= e {
                return v;
            }
        }
        let start = line_start(t, pos);
        let end = line_end(t, pos);
        let mut verdict = markers(&t[start..end]).0;
        if !verdict && start > 0 {
            let mut prev_end = start - 1;
            if t[prev_end] == b'\n' && prev_end > 0 && t[prev_end - 1] == b'\r' {
                prev_end -= 1;
            }
            verdict = markers(&t[line_start(t, prev_end)..prev_end]).1;
        }
        self.cached = Some((start, end, verdict));
        verdict
    }

    /// True when the token at `range` carries a suppression comment.
    pub fn is_suppressed(&mut self, range: &Range<usize>) -> bool {
        let t = self.text;
        let start = range.start.min(t.len());
        if self.line_verdict(start) {
            return true;
        }
        // A marker after a token that ends on a later line (not the case for single-line
        // tokens, whose end is on the same line).
        let end = range.end.min(t.len());
        let (s, e, _) = self.cached.unwrap_or((0, 0, false));
        if end > e || end < s {
            let ls = line_start(t, end);
            return markers(&t[ls..line_end(t, end)]).0;
        }
        false
    }
}

/// True when the token at `range` carries a suppression comment.
pub fn is_suppressed(t: &[u8], range: &Range<usize>) -> bool {
    Suppressor::new(t).is_suppressed(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, token: &str) -> bool {
        let s = text.find(token).unwrap();
        is_suppressed(text.as_bytes(), &(s..s + token.len()))
    }

    #[test]
    fn same_line_and_next_line_markers() {
        assert!(check("x = 'TOK' # sasguard:ignore\n", "TOK"));
        assert!(check("// sasguard:ignore-next-line\nx = 'TOK'\n", "TOK"));
        assert!(check("<!-- sasguard:ignore-next-line -->\r\nTOK\r\n", "TOK"));
        assert!(check("-- sasguard:ignore-next-line\rTOK", "TOK"));
        assert!(!check("x = 'TOK' // sasguard:ignore-next-line\n", "TOK"));
        assert!(!check("// sasguard:ignore-next-line\n\nTOK\n", "TOK"));
        assert!(!check("TOK\n// sasguard:ignore\n", "TOK"));
        assert!(!check("// sasguard:ignore\nTOK\n", "TOK"));
    }

    #[test]
    fn long_lines_are_one_line() {
        // A marker 100 KiB before the token on the same line is not a "previous line".
        let text = format!("// sasguard:ignore-next-line {} TOK", "x".repeat(100 << 10));
        assert!(!check(&text, "TOK"));
        let text = format!("TOK {} // sasguard:ignore", "x".repeat(100 << 10));
        assert!(check(&text, "TOK"));
    }
}
