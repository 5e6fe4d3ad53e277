//! Inline suppression. A marker counts only inside a comment, and suppresses only the
//! tokens it is attached to:
//!
//! - A comment is found on the marker's own line, in any language: a line comment opened
//!   by `#`, `//`, `-- ` (with its space), `;`, `%` or `REM` at the line start or after a
//!   space or tab, or a block comment `/* */`, `<!-- -->`, `(* *)`, `{{!-- --}}`
//!   anywhere, in both cases outside string literals (`"…"`, `` `…` ``, and `'…'` where the quote does not follow a
//!   letter or digit, as in *don't*). A string left open at the line's end runs to it.
//! - `sasguard:ignore` in a comment that ends its line (a trailing comment) suppresses every
//!   token of the line that ends before the marker.
//! - `sasguard:ignore` in a block comment followed by more code on its line (an inline
//!   comment, as on a minified line) suppresses only the token immediately before the
//!   comment: nothing but spaces and closing punctuation (`"'`)]},;>`) between them.
//! - `sasguard:ignore-next-line` in a comment suppresses every token of the next line.
//!
//! Everything is decided per line (a line inside a multi-line string is read as code).

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

/// What one line says about suppression as a whole: (it holds the text of a marker
/// anywhere, comment or not: an edit near it, or a quote added before it, may change what
/// it suppresses; a `sasguard:ignore-next-line` in a comment suppresses the next line).
pub fn markers(line: &[u8]) -> (bool, bool) {
    if finder().find(line).is_none() {
        return (false, false);
    }
    (true, line_marks(line).next_line)
}

/// A `sasguard:ignore` marker in a comment, as offsets in its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    /// Where the marker starts.
    at: usize,
    /// Where its comment starts (the opener).
    comment: usize,
    /// The comment is followed by code on its line: only the adjacent token is suppressed.
    inline: bool,
}

/// The markers of one line that count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMarks {
    marks: Vec<Mark>,
    /// For each mark, whether it or a later one is in a trailing comment.
    trailing_from: Vec<bool>,
    /// A `sasguard:ignore-next-line` in a comment.
    pub next_line: bool,
}

/// A comment of a line: `start..end` (the end is the line's when it is not closed) and
/// whether code follows it.
struct Comment {
    span: Range<usize>,
    inline: bool,
}

/// Could a token before `gap` be attached across it to an inline comment after it (are
/// all its bytes spaces and closing punctuation)?
pub fn attaches_across(gap: &[u8]) -> bool {
    gap.iter().all(|&b| closing(b))
}

/// Bytes that may stand between a token and the inline comment attached to it.
fn closing(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'"' | b'\'' | b'`' | b')' | b']' | b'}' | b',' | b';' | b'>'
    )
}

/// Does a quote at `i` open a string? `'` after a letter or digit is an apostrophe, unless
/// the word is a string prefix (`f'…'`, `b'…'`, `r'…'`, `u'…'`).
fn opens_string(line: &[u8], i: usize) -> bool {
    if line[i] != b'\'' {
        return true;
    }
    let word = line[..i]
        .iter()
        .rev()
        .take(3)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    match word {
        0 => true,
        1 | 2 => line[i - word..i]
            .iter()
            .all(|b| matches!(b.to_ascii_lowercase(), b'f' | b'b' | b'r' | b'u')),
        _ => false,
    }
}

/// The bytes that may open a string or a comment (the others are stepped over).
const OPENS: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b"\"'`{</(#-;%Rr";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

const BLOCKS: [(&[u8], &[u8]); 4] = [(b"{{!--", b"--}}"), (b"<!--", b"-->"), (b"/*", b"*/"), (b"(*", b"*)")];
const LINE_OPENERS: [&[u8]; 5] = [b"#", b"//", b"--", b";", b"%"];

/// The comments of `line`, outside string literals.
fn comments(line: &[u8]) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if !OPENS[b as usize] {
            i += 1;
            continue;
        }
        if matches!(b, b'"' | b'\'' | b'`') && opens_string(line, i) {
            // Skip the string; one left open runs to the line's end.
            let mut j = i + 1;
            while j < line.len() && line[j] != b {
                j += if line[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
            continue;
        }
        let rest = &line[i..];
        if let Some((open, close)) = BLOCKS.iter().find(|(o, _)| rest.starts_with(o)) {
            let body = i + open.len();
            let end = memmem::find(&line[body..], close).map(|k| body + k + close.len());
            let end_at = end.unwrap_or(line.len());
            let inline = line[end_at..].iter().any(|b| !b.is_ascii_whitespace());
            out.push(Comment {
                span: i..end_at,
                inline,
            });
            i = end_at;
            continue;
        }
        let after_space = i == 0 || matches!(line[i - 1], b' ' | b'\t');
        let rem = rest.len() >= 3
            && rest[..3].eq_ignore_ascii_case(b"REM")
            && rest.get(3).is_none_or(|b| b.is_ascii_whitespace());
        // `--` opens a comment only before a space (SQL, Lua, Haskell), not a command
        // line's `--option`.
        let dashes = rest.starts_with(b"--") && rest.get(2).is_some_and(|b| !b.is_ascii_whitespace());
        if after_space && !dashes && (rem || LINE_OPENERS.iter().any(|o| rest.starts_with(o))) {
            out.push(Comment {
                span: i..line.len(),
                inline: false,
            });
            break;
        }
        i += 1;
    }
    out
}

/// The markers of `line` that count (those inside comments).
pub fn line_marks(line: &[u8]) -> LineMarks {
    let mut out = LineMarks::default();
    let mut hits = finder().find_iter(line).peekable();
    if hits.peek().is_none() {
        return out;
    }
    let comments = comments(line);
    // Both in line order: walk them together.
    let mut k = 0;
    for at in hits {
        let end = at + IGNORE.len();
        while k < comments.len() && comments[k].span.end < end {
            k += 1;
        }
        let Some(c) = comments.get(k).filter(|c| c.span.start <= at) else {
            continue;
        };
        if line[end..].starts_with(NEXT_LINE) {
            out.next_line = true;
        } else {
            out.marks.push(Mark {
                at,
                comment: c.span.start,
                inline: c.inline,
            });
        }
    }
    out.trailing_from = out.marks.iter().map(|m| !m.inline).collect();
    for i in (0..out.trailing_from.len().saturating_sub(1)).rev() {
        out.trailing_from[i] |= out.trailing_from[i + 1];
    }
    out
}

impl LineMarks {
    /// Are `new` these marks after the bytes `old` of their line were replaced by
    /// `delta` more: the same comments and markers, those after the edit moved?
    pub fn moved_to(&self, new: &LineMarks, old: &Range<usize>, delta: isize) -> bool {
        let mv = |p: usize| match p {
            p if p < old.start => Some(p),
            p if p >= old.end => Some((p as isize + delta) as usize),
            _ => None,
        };
        self.next_line == new.next_line
            && self.marks.len() == new.marks.len()
            && self
                .marks
                .iter()
                .zip(&new.marks)
                .all(|(a, b)| a.inline == b.inline && mv(a.at) == Some(b.at) && mv(a.comment) == Some(b.comment))
    }

    /// Does a marker sit in an inline comment (one that reaches only the token before it)?
    pub fn any_inline(&self) -> bool {
        self.marks.iter().any(|m| m.inline)
    }

    /// Does a marker of this line suppress the token at `token` (offsets in `line`)?
    /// Marks are in line order: only those after the token's end matter, a trailing one
    /// anywhere among them, an inline one only if it is the first (a later comment has the
    /// first one's text between it and the token). O(log n) on a line of many markers.
    pub fn suppresses(&self, line: &[u8], token: &Range<usize>) -> bool {
        let first = self.marks.partition_point(|m| m.at < token.end);
        if self.trailing_from.get(first).copied().unwrap_or(false) {
            return true;
        }
        let Some(m) = self.marks.get(first) else {
            return false;
        };
        token.start >= m.comment || (token.end <= m.comment && line[token.end..m.comment].iter().all(|&b| closing(b)))
    }
}

/// Answers for many tokens of one text, reading each line once however many tokens it
/// holds (minified files put thousands on one line).
pub struct Suppressor<'a> {
    text: &'a [u8],
    /// The last line looked at: its span, whether the line before ignores it, its markers.
    cached: Option<(Range<usize>, bool, LineMarks)>,
}

impl<'a> Suppressor<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        Suppressor { text, cached: None }
    }

    fn line_of(&mut self, pos: usize) -> &(Range<usize>, bool, LineMarks) {
        let t = self.text;
        let hit = matches!(&self.cached, Some((span, _, _)) if span.start <= pos && pos <= span.end);
        if !hit {
            let start = line_start(t, pos);
            let end = line_end(t, pos);
            let mut above = false;
            if start > 0 {
                let mut prev_end = start - 1;
                if t[prev_end] == b'\n' && prev_end > 0 && t[prev_end - 1] == b'\r' {
                    prev_end -= 1;
                }
                above = line_marks(&t[line_start(t, prev_end)..prev_end]).next_line;
            }
            self.cached = Some((start..end, above, line_marks(&t[start..end])));
        }
        self.cached.as_ref().expect("just cached")
    }

    /// True when the token at `range` (on one line) is suppressed by a marker.
    pub fn is_suppressed(&mut self, range: &Range<usize>) -> bool {
        let t = self.text;
        let start = range.start.min(t.len());
        let (span, above, marks) = self.line_of(start);
        if *above {
            return true;
        }
        let end = range.end.min(span.end).max(start);
        marks.suppresses(&t[span.clone()], &(start - span.start..end - span.start))
    }
}

/// True when the token at `range` is suppressed by a marker.
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

    #[test]
    fn a_marker_in_a_string_literal_does_not_count() {
        assert!(!check("x = \"sasguard:ignore TOK\"\n", "TOK"));
        assert!(!check("x = 'TOK' + \"# sasguard:ignore\"\n", "TOK"));
        assert!(!check("x = `TOK // sasguard:ignore`\n", "TOK"));
        assert!(!check("x = \"TOK\"; y = \"sasguard:ignore\"\n", "TOK"));
        assert!(!check("x = 'TOK' + \"unclosed # sasguard:ignore\n", "TOK"));
        assert!(!check("x = \"a\\\" # sasguard:ignore TOK\"\n", "TOK"));
        // Not in a comment at all.
        assert!(!check("x = TOK sasguard:ignore\n", "TOK"));
        assert!(!check("url: https://h/TOK#sasguard:ignore\n", "TOK"));
        assert!(!check("curl 'TOK' --data \"sasguard:ignore\"\n", "TOK"));
        assert!(check("SELECT 'TOK' -- sasguard:ignore\n", "TOK"));
        // Quotes that are apostrophes or balanced, and prefixed strings, leave the comment.
        assert!(check("x = f'TOK' # don't touch: sasguard:ignore\n", "TOK"));
        assert!(check("x = \"TOK\" # the \"model\" sasguard:ignore\n", "TOK"));
        assert!(check("x = 'TOK' /* sasguard:ignore */\n", "TOK"));
        assert!(check("REM sasguard:ignore-next-line\r\nset X=TOK\r\n", "TOK"));
        assert!(check("; sasguard:ignore-next-line\nkey=TOK\n", "TOK"));
    }

    #[test]
    fn a_trailing_comment_suppresses_what_precedes_it_on_its_line() {
        let line = "f('TOK1', 'TOK2') # sasguard:ignore\n";
        assert!(check(line, "TOK1") && check(line, "TOK2"));
        // A token inside the comment, before the marker, too; none after it.
        assert!(check("# example: TOK sasguard:ignore\n", "TOK"));
        assert!(!check("x = 1 # sasguard:ignore TOK\n", "TOK"));
        assert!(!check("/* sasguard:ignore */ x = 'TOK'\n", "TOK"));
    }

    #[test]
    fn an_inline_comment_suppresses_only_the_token_just_before_it() {
        let line = "a=\"TOK1\",b=\"TOK2\"/*sasguard:ignore*/,c=\"TOK3\"\n";
        assert!(!check(line, "TOK1"));
        assert!(check(line, "TOK2"));
        assert!(!check(line, "TOK3"));
        let html = "<a href=\"TOK1\"><!-- sasguard:ignore --> <a href=\"TOK2\">\n";
        assert!(check(html, "TOK1") && !check(html, "TOK2"));
    }
}
