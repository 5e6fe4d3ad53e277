//! Inline suppression: `sasguard:ignore` on a token's line, or
//! `sasguard:ignore-next-line` on the line before, in any comment syntax.

use std::ops::Range;
use std::sync::OnceLock;

use memchr::memmem;

const IGNORE: &[u8] = b"sasguard:ignore";
const NEXT_LINE: &[u8] = b"-next-line";
/// How far along a line a marker is looked for, either side of the token.
const WINDOW: usize = 64 * 1024;

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

fn line_start(t: &[u8], pos: usize) -> usize {
    let lo = pos.saturating_sub(WINDOW);
    t[lo..pos].iter().rposition(|&b| is_break(b)).map_or(lo, |i| lo + i + 1)
}

fn line_end(t: &[u8], pos: usize) -> usize {
    let hi = (pos + WINDOW).min(t.len());
    t[pos..hi].iter().position(|&b| is_break(b)).map_or(hi, |i| pos + i)
}

fn finder() -> &'static memmem::Finder<'static> {
    static FINDER: OnceLock<memmem::Finder<'static>> = OnceLock::new();
    FINDER.get_or_init(|| memmem::Finder::new(IGNORE))
}

/// Kinds of marker found in `line`: (ignore this line, ignore the next line).
fn markers(line: &[u8]) -> (bool, bool) {
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

/// True when the token at `range` carries a suppression comment.
pub fn is_suppressed(t: &[u8], range: &Range<usize>) -> bool {
    let start = line_start(t, range.start);
    let first_end = line_end(t, range.start);
    if markers(&t[start..first_end]).0 {
        return true;
    }
    let last_start = line_start(t, range.end.min(t.len()));
    if last_start != start && markers(&t[last_start..line_end(t, last_start)]).0 {
        return true;
    }
    if start == 0 {
        return false;
    }
    let mut prev_end = start - 1;
    if t[prev_end] == b'\n' && prev_end > 0 && t[prev_end - 1] == b'\r' {
        prev_end -= 1;
    }
    markers(&t[line_start(t, prev_end)..prev_end]).1
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
}
