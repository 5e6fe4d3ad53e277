//! Tokens written in pieces. A *piece* is a run of token bytes; a *link* joins two pieces
//! when what separates them is something the reader of the text removes:
//!
//! - string literals the language joins: `"…" "…"` (Python, C), `"…" + "…"`, `&` (VB, with
//!   ` _` continuations), `..` (Lua), `.` (PHP), `~` (D), over any number of lines and
//!   `\` continuations (a C macro);
//! - a line continued by `\` (shell, C, Python) or a PowerShell backtick;
//! - an HTML `<br>` or `<wbr>` inside the token (Markdown tables, rendered docs);
//! - a line wrapped inside a SAS query or connection string (a console wrap, a YAML
//!   block scalar, a Markdown paragraph): the line ends at a parameter boundary, inside the
//!   value of a SAS or connection-string key, or inside a percent escape, and the next
//!   line does not start an assignment of its own.
//!
//! A *chain* is a maximal run of linked pieces. Links are decided by the bytes around
//! them alone and checked from both sides, so the same chain is found from any of its
//! pieces, wherever a scan starts. The scanner reads a chain of up to [`MAX_PIECES`]
//! pieces as one text (a [`View`]) and maps what it finds back to the pieces; a longer
//! chain is read piece by piece (no token is written in more pieces), which keeps every
//! token local: a reader that sees more than [`MAX_PIECES`] pieces of a chain knows it is
//! too long without seeing the rest.

use std::ops::Range;

use super::params::{conn_key_index, is_sas_key, is_token_byte};

/// The quotes that open and close the literals of most languages.
const QUOTES: &[u8] = b"\"'`";
/// How far the separator between two pieces may reach.
const MAX_GLUE: usize = 256;
/// The most pieces a chain read as one text has.
pub const MAX_PIECES: usize = 32;
/// How many linked line boundaries a window of lines is widened across, at most: twice
/// the pieces of the longest chain read as one text, so a window that stops there holds
/// more of a chain crossing its edge than such a chain can have.
pub const LINK_REACH: usize = 2 * (MAX_PIECES + 1);
/// How many runs before a piece are tried as the piece it continues.
const MAX_CANDIDATES: usize = 4;

/// How two pieces are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// String literals the language joins.
    Literal,
    /// A `\` or backtick line continuation.
    Continuation,
    /// An HTML line break.
    Markup,
    /// A line wrapped inside the token.
    Wrap,
}

/// A maximal run of linked pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub pieces: Vec<Range<usize>>,
    /// Every link joins string literals: the pieces are literals of one expression.
    pub literals: bool,
}

/// The run of token bytes that starts at `start`.
fn run_from(t: &[u8], start: usize) -> Range<usize> {
    let mut end = start;
    while end < t.len() && is_token_byte(t, end) {
        end += 1;
    }
    start..end
}

/// The run of token bytes that ends at `end`.
fn run_to(t: &[u8], end: usize) -> Range<usize> {
    let mut start = end;
    while start > 0 && is_token_byte(t, start - 1) {
        start -= 1;
    }
    start..end
}

fn newline_len(t: &[u8], i: usize) -> usize {
    match (t.get(i), t.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\r' | b'\n'), _) => 1,
        _ => 0,
    }
}

fn skip_blanks(t: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && matches!(t[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Skips white space, line breaks and line continuations (`\`, VB's `_`).
fn skip_glue(t: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit {
        match t[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'\\' | b'_' => {
                let after = skip_blanks(t, i + 1, limit);
                if newline_len(t, after) == 0 {
                    break;
                }
                i = after;
            }
            _ => break,
        }
    }
    i
}

fn starts_ci(t: &[u8], i: usize, p: &[u8]) -> bool {
    t.get(i..i + p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p))
}

/// Where the piece after `piece` starts, and how they are linked.
pub fn next_piece(t: &[u8], piece: &Range<usize>) -> Option<(usize, Link)> {
    let e = piece.end;
    let b = *t.get(e)?;
    let opened_by = |q: u8| piece.start > 0 && t[piece.start - 1] == q;
    if QUOTES.contains(&b) && opened_by(b) {
        if let Some(s) = literal_after(t, e + 1) {
            return Some((s, Link::Literal));
        }
    }
    if matches!(b, b'\\' | b'`') {
        let nl = newline_len(t, e + 1);
        if nl > 0 {
            let s = skip_blanks(t, e + 1 + nl, t.len().min(e + MAX_GLUE));
            return (!run_from(t, s).is_empty()).then_some((s, Link::Continuation));
        }
    }
    if b == b'<' {
        for tag in [&b"<br>"[..], b"<br/>", b"<br />", b"<wbr>", b"<wbr/>"] {
            if starts_ci(t, e, tag) {
                let limit = t.len().min(e + MAX_GLUE);
                let mut s = skip_blanks(t, e + tag.len(), limit);
                let nl = newline_len(t, s);
                if nl > 0 {
                    s = skip_blanks(t, s + nl, limit);
                }
                return (!run_from(t, s).is_empty()).then_some((s, Link::Markup));
            }
        }
    }
    // A wrapped line (up to two trailing spaces: a Markdown hard break).
    let at = skip_blanks(t, e, t.len().min(e + 2));
    let nl = newline_len(t, at);
    if nl > 0 {
        let s = skip_blanks(t, at + nl, t.len().min(at + MAX_GLUE));
        let next = run_from(t, s);
        if !next.is_empty() && wraps(&t[piece.clone()], &t[next]) {
            return Some((s, Link::Wrap));
        }
    }
    None
}

/// After a closing quote at `i - 1`: glue, at most one operator, glue, an optional literal
/// prefix, and an opening quote whose literal holds a run and closes right after it.
fn literal_after(t: &[u8], i: usize) -> Option<usize> {
    let limit = t.len().min(i + MAX_GLUE);
    let mut i = skip_glue(t, i, limit);
    for op in [&b".."[..], b"+", b"&", b".", b"~"] {
        if t.get(i..i + op.len()) == Some(op) {
            i = skip_glue(t, i + op.len(), limit);
            break;
        }
    }
    let mut prefix = 0;
    while prefix < 2 && i < limit && matches!(t[i], b'@' | b'$' | b'r' | b'R' | b'f' | b'F' | b'u' | b'U') {
        i += 1;
        prefix += 1;
    }
    let q = *t.get(i).filter(|_| i < limit)?;
    if !QUOTES.contains(&q) {
        return None;
    }
    let run = run_from(t, i + 1);
    (!run.is_empty() && t.get(run.end) == Some(&q)).then_some(run.start)
}

/// Whether a line ending in `prev` and a next line starting with `next` are one token
/// wrapped: the break falls at a parameter boundary before a SAS or connection-string
/// key, or inside such a key's value or a percent escape, and the next line does not
/// start an assignment of its own.
fn wraps(prev: &[u8], next: &[u8]) -> bool {
    let Some(&last) = prev.last() else {
        return false;
    };
    if matches!(last, b'&' | b'?' | b';') {
        return starts_with_key(next);
    }
    let n = prev.len();
    let in_escape = last == b'%' || (n >= 2 && prev[n - 2] == b'%' && last.is_ascii_hexdigit());
    let segment = prev
        .iter()
        .rposition(|&b| matches!(b, b'&' | b'?' | b';'))
        .map_or(prev, |i| &prev[i + 1..]);
    let in_value = segment
        .iter()
        .position(|&b| b == b'=')
        .is_some_and(|eq| is_key(&segment[..eq]));
    (in_escape || in_value) && !starts_assignment(next)
}

fn is_key(k: &[u8]) -> bool {
    is_sas_key(k) || conn_key_index(k).is_some()
}

/// `next` starts with a SAS or connection-string key and its `=` (after any `&`, `?`, `;`).
fn starts_with_key(next: &[u8]) -> bool {
    let s = next
        .iter()
        .position(|b| !matches!(b, b'&' | b'?' | b';'))
        .map_or(&next[..0], |i| &next[i..]);
    s.iter().position(|&b| b == b'=').is_some_and(|eq| is_key(&s[..eq]))
}

/// `next` starts with a name assigned a value of its own (`NAME=value`, `key: value`,
/// `https://…`), not the rest of a token (a key or value tail: `rl&sig=…`, `Ab3=`).
fn starts_assignment(next: &[u8]) -> bool {
    let Some(&first) = next.first() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return false;
    }
    let name = next
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'))
        .unwrap_or(next.len());
    matches!(next.get(name), Some(b'=' | b':')) && next.get(name + 1).is_some_and(|&b| b != b'&')
}

/// The piece that `piece` continues, if any: the nearest run before it whose link leads
/// exactly to it.
pub fn prev_piece(t: &[u8], piece: &Range<usize>) -> Option<(Range<usize>, Link)> {
    let floor = piece.start.saturating_sub(MAX_GLUE + 8);
    let mut i = piece.start;
    let mut tried = 0;
    while i > floor && tried < MAX_CANDIDATES {
        if is_token_byte(t, i - 1) {
            let cand = run_to(t, i);
            if let Some((s, link)) = next_piece(t, &cand) {
                if s == piece.start {
                    return Some((cand, link));
                }
            }
            tried += 1;
            i = cand.start;
        } else {
            i -= 1;
        }
    }
    None
}

/// The chain holding the run `run`, when it has more than one piece.
pub fn chain_at(t: &[u8], run: Range<usize>) -> Option<Chain> {
    let mut before = Vec::new();
    let mut literals = true;
    let mut cur = run.clone();
    while let Some((p, link)) = prev_piece(t, &cur) {
        literals &= link == Link::Literal;
        before.push(p.clone());
        cur = p;
    }
    let mut pieces: Vec<Range<usize>> = before.into_iter().rev().collect();
    pieces.push(run.clone());
    let mut cur = run;
    while let Some((s, link)) = next_piece(t, &cur) {
        literals &= link == Link::Literal;
        cur = run_from(t, s);
        pieces.push(cur.clone());
    }
    (pieces.len() > 1).then_some(Chain { pieces, literals })
}

/// Whether a link crosses offset `at`: a chain has pieces on both sides of it.
pub fn linked_across(t: &[u8], at: usize) -> bool {
    let at = at.min(t.len());
    let floor = at.saturating_sub(MAX_GLUE + 8);
    let mut i = at;
    let mut tried = 0;
    // A run holding `at` is one piece: a link is outside it.
    if at > 0 && at < t.len() && is_token_byte(t, at - 1) && is_token_byte(t, at) {
        return false;
    }
    while i > floor && tried < MAX_CANDIDATES {
        if is_token_byte(t, i - 1) {
            let cand = run_to(t, i);
            if next_piece(t, &cand).is_some_and(|(s, _)| s >= at) {
                return true;
            }
            tried += 1;
            i = cand.start;
        } else {
            i -= 1;
        }
    }
    false
}

/// Moves the line boundary `at` back (or on, when `forward`) across linked line
/// boundaries, at most [`LINK_REACH`] of them.
pub fn widen_lines(t: &[u8], mut at: usize, forward: bool) -> usize {
    for _ in 0..LINK_REACH {
        if at == 0 || at >= t.len() || !linked_across(t, at) {
            break;
        }
        at = if forward {
            memchr::memchr(b'\n', &t[at..]).map_or(t.len(), |i| at + i + 1)
        } else {
            memchr::memrchr(b'\n', &t[..at - 1]).map_or(0, |i| i + 1)
        };
    }
    at
}

/// A chain read as one text, with the way back to the original offsets.
pub struct View {
    pub text: Vec<u8>,
    /// `(view offset, original range)` of each piece, in order.
    spans: Vec<(usize, Range<usize>)>,
}

impl View {
    pub fn new(t: &[u8], pieces: &[Range<usize>]) -> View {
        let mut text = Vec::with_capacity(pieces.iter().map(|p| p.len()).sum());
        let mut spans = Vec::with_capacity(pieces.len());
        for p in pieces {
            spans.push((text.len(), p.clone()));
            text.extend_from_slice(&t[p.clone()]);
        }
        View { text, spans }
    }

    fn span_of(&self, v: usize) -> usize {
        self.spans.partition_point(|(s, _)| *s <= v).saturating_sub(1)
    }

    /// The original offset of view offset `v` (a start).
    pub fn start(&self, v: usize) -> usize {
        let (s, r) = &self.spans[self.span_of(v)];
        r.start + (v - s)
    }

    /// The original offset just past view offset `v - 1` (an end).
    pub fn end(&self, v: usize) -> usize {
        if v == 0 {
            return self.start(0);
        }
        self.start(v - 1) + 1
    }

    /// The original range of view range `r`.
    pub fn range(&self, r: &Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let s = self.start(r.start.min(self.text.len().saturating_sub(1)));
            return s..s;
        }
        self.start(r.start)..self.end(r.end)
    }

    /// The original pieces that view range `r` covers.
    pub fn pieces(&self, r: &Range<usize>) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if r.is_empty() {
            return out;
        }
        for k in self.span_of(r.start)..self.spans.len() {
            let (s, orig) = &self.spans[k];
            if *s >= r.end {
                break;
            }
            let lo = r.start.max(*s) - s;
            let hi = r.end.min(s + orig.len()) - s;
            if lo < hi {
                out.push(orig.start + lo..orig.start + hi);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(s: &str, at: &str) -> Option<Vec<&'static str>> {
        let t = s.as_bytes();
        let pos = s.find(at).unwrap();
        let run = run_to(t, pos).start..run_from(t, pos).end;
        chain_at(t, run).map(|c| {
            c.pieces
                .iter()
                .map(|p| &*String::leak(s[p.clone()].to_string()))
                .collect()
        })
    }

    #[test]
    fn literals_joined_by_each_language() {
        for (s, want) in [
            ("x = (\"a=1&\"\n     \"b=2\")", vec!["a=1&", "b=2"]),
            ("#define U \"a=1&\" \\\n  \"b=2\"", vec!["a=1&", "b=2"]),
            ("s = \"a=1&\" + \n  \"b=2\" + 'c=3'", vec!["a=1&", "b=2", "c=3"]),
            ("s = \"a=1&\" & _\n  \"b=2\"", vec!["a=1&", "b=2"]),
            ("s = 'a=1&' .. 'b=2'", vec!["a=1&", "b=2"]),
            ("$s = 'a=1&' . 'b=2';", vec!["a=1&", "b=2"]),
            ("s = \"a=1&\" + @\"b=2\"", vec!["a=1&", "b=2"]),
            ("s = `a=1&` + `b=2`", vec!["a=1&", "b=2"]),
        ] {
            assert_eq!(chain(s, "a=1").as_deref(), Some(&want[..]), "{s}");
            assert_eq!(chain(s, "b=2").as_deref(), Some(&want[..]), "{s}");
        }
    }

    #[test]
    fn continuations_markup_and_wraps() {
        for (s, want) in [
            ("curl https://h/c?sv=1&\\\n  sig=2", vec!["https://h/c?sv=1&", "sig=2"]),
            ("-Uri https://h/c?sv=1&`\n  sig=2", vec!["https://h/c?sv=1&", "sig=2"]),
            ("| https://h/c?sv=1<br>&sig=2 |", vec!["https://h/c?sv=1", "&sig=2"]),
            ("https://h/c?sv=1&sp=r\n&sig=2", vec!["https://h/c?sv=1&sp=r", "&sig=2"]),
            (
                "https://h/c?sv=1&sig=ab%\n2Bcd",
                vec!["https://h/c?sv=1&sig=ab%", "2Bcd"],
            ),
            (
                "  AccountName=a;\n  AccountKey=k",
                vec!["AccountName=a;", "AccountKey=k"],
            ),
        ] {
            let at = if s.contains("sv=1") { "sv=1" } else { "Acc" };
            assert_eq!(chain(s, at).as_deref(), Some(&want[..]), "{s}");
        }
    }

    #[test]
    fn what_is_not_linked() {
        for (s, at) in [
            ("f(\"a=1&\", \"b=2\")", "a=1"),
            ("s = \"a=1&\" + sig", "a=1"),
            ("x = \"a=1&\"; y = \"b=2\"", "a=1"),
            ("URL=https://h/c?x=1&y=2\nOTHER=value", "URL"),
            ("A=https://h/c?sv=1&sig=abc\nhttps://h/d?sv=2", "sig"),
            ("EndpointSuffix=core.windows.net\nOTHER=value", "End"),
            ("foo bar\nbaz", "foo"),
        ] {
            assert_eq!(chain(s, at), None, "{s}");
        }
    }

    #[test]
    fn links_cross_only_between_pieces() {
        let s = "x = \"a=1&\" +\n    \"b=2\"\ny = 3\n";
        let t = s.as_bytes();
        let line2 = s.find("    \"b").unwrap();
        assert!(linked_across(t, line2));
        assert!(!linked_across(t, s.find("y =").unwrap()));
        assert!(!linked_across(t, 0));
    }

    #[test]
    fn view_maps_back() {
        let s = "\"ab\" + \"cd\"";
        let t = s.as_bytes();
        let pieces = vec![1..3, 8..10];
        let v = View::new(t, &pieces);
        assert_eq!(v.text, b"abcd");
        assert_eq!(v.range(&(1..3)), 2..9);
        assert_eq!(v.pieces(&(1..3)), vec![2..3, 8..9]);
        assert_eq!(v.pieces(&(0..2)), vec![1..3]);
    }
}
