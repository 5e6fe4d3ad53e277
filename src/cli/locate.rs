//! Byte offsets to 1-based lines and columns (in characters, invalid UTF-8 bytes counted
//! as one each), and the redacted source window shown under a finding.

use std::ops::Range;

use crate::redact::redact;

/// Line breaks as editors count them: `\n`, `\r\n` and a lone `\r`.
fn is_break(t: &[u8], i: usize) -> bool {
    t[i] == b'\n' || (t[i] == b'\r' && t.get(i + 1) != Some(&b'\n'))
}

/// Converts sorted offsets to positions in one forward pass: lines and columns are both
/// counted incrementally, so many findings on one long line cost one pass over it.
#[derive(Clone)]
pub struct LineIndex<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    /// Characters between `line_start` and `pos`.
    col: usize,
    /// The current line's end, once looked up: (line start, line end).
    line_end: Option<(usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        // A byte order mark is not a column.
        let bom = if text.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        LineIndex {
            text,
            pos: bom,
            line: 1,
            line_start: bom,
            col: 0,
            line_end: None,
        }
    }

    /// The position of `offset`; offsets must not decrease between calls.
    pub fn locate(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        if offset < self.pos {
            *self = LineIndex::new(self.text);
        }
        let mut run_start = self.pos;
        while self.pos < offset {
            if is_break(self.text, self.pos) {
                self.line += 1;
                self.line_start = self.pos + 1;
                self.col = 0;
                run_start = self.pos + 1;
            }
            self.pos += 1;
        }
        self.col += char_count(&self.text[run_start.min(offset)..offset]);
        LineCol {
            line: self.line,
            column: self.col + 1,
        }
    }

    pub fn line_start(&self) -> usize {
        self.line_start
    }

    /// The end of the current line (before its break), found once per line.
    pub fn line_end(&mut self) -> usize {
        match self.line_end {
            Some((start, end)) if start == self.line_start => end,
            _ => {
                let end =
                    memchr::memchr2(b'\n', b'\r', &self.text[self.pos..]).map_or(self.text.len(), |i| self.pos + i);
                self.line_end = Some((self.line_start, end));
                end
            }
        }
    }
}

fn char_count(b: &[u8]) -> usize {
    String::from_utf8_lossy(b).chars().count()
}

/// The source line around a token, secrets redacted, with where to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Underline start and length, in characters of `text`.
    pub underline: (usize, usize),
}

const BEFORE: usize = 48;
const MAX_TOKEN: usize = 160;
const AFTER: usize = 24;
/// Longest secret as written (88 base64 characters, percent-encoded twice).
const MAX_SECRET: usize = 400;
/// Bytes of a long token's head and tail looked at (a character is at most 4 bytes).
const PART: usize = MAX_TOKEN / 2 * 4;

/// What to redact in `window` of `t`: the judged `secrets` (sorted by start), anything
/// secret-like, copies of those, and pieces of known secrets however they are cut.
/// Looks only a bounded distance around the window, so a snippet costs the same on a
/// line of any length.
fn redactions(t: &[u8], window: Range<usize>, secrets: &[Range<usize>]) -> Vec<Range<usize>> {
    let lo = window.start.saturating_sub(MAX_SECRET);
    let hi = (window.end + MAX_SECRET).min(t.len());
    let first = secrets.partition_point(|s| s.end <= lo);
    let mut local: Vec<Range<usize>> = secrets[first..].iter().take_while(|s| s.start < hi).cloned().collect();
    local.extend(crate::redact::secret_like_ranges(t, lo..window.end));
    local.retain(|s| s.end > window.start.saturating_sub(MAX_SECRET) && s.start < hi);
    let known = crate::redact::Known::new(local.iter().filter(|s| s.len() >= 16).map(|s| &t[s.clone()]));
    // The same secret may appear elsewhere on the line, whole or in pieces.
    let mut copies = Vec::new();
    for s in local.iter().filter(|s| s.len() >= 16) {
        let needle = &t[s.clone()];
        for at in memchr::memmem::find_iter(&t[lo..hi], needle) {
            copies.push(lo + at..lo + at + needle.len());
        }
    }
    copies.extend(known.ranges(t, window.clone()));
    local.extend(copies);
    crate::redact::merge(local)
}

/// The text of `r`, every redaction that starts inside it shown redacted and the rest of
/// one that started before it left out (another part showed it).
fn render(t: &[u8], r: Range<usize>, reds: &[Range<usize>]) -> String {
    let mut text = String::new();
    let mut i = r.start;
    let mut k = reds.partition_point(|s| s.end <= i);
    while i < r.end {
        match reds.get(k) {
            Some(s) if s.start <= i => {
                if s.start == i && s.end <= t.len() {
                    text.push_str(&redact(&t[s.clone()]));
                }
                i = i.max(s.end);
                k += 1;
            }
            next => {
                let stop = next.map_or(r.end, |s| s.start.min(r.end));
                for c in String::from_utf8_lossy(&t[i..stop]).chars() {
                    text.push(if c == '\t' || c.is_control() { ' ' } else { c });
                }
                i = stop;
            }
        }
    }
    text
}

/// The first `n` characters of `s`.
fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}

/// The window of `line_start`'s line around `token`, with every range in `secrets` (sorted
/// by start) redacted. Long lines are cut with `…`; a long token shows its head and tail.
/// Only bounded windows are read, so the cost does not grow with the line or the token.
pub fn snippet(t: &[u8], line: Range<usize>, token: &Range<usize>, secrets: &[Range<usize>]) -> Snippet {
    let (line_start, line_end) = (line.start, line.end);
    let mut from = line_start.max(token.start.saturating_sub(BEFORE));
    while from > line_start && from < t.len() && (t[from] & 0xC0) == 0x80 {
        from -= 1;
    }
    let tok_end = token.end.min(line_end).max(token.start);
    let to = line_end.min(tok_end + AFTER);
    let long = tok_end - token.start > 2 * PART + 2 * MAX_SECRET;
    // The token's head (and, when long, its tail) with what lies around them.
    let head_end = if long { token.start + PART } else { tok_end };
    let tail_start = if long { tok_end - PART } else { tok_end };
    let mut head_reds = redactions(t, from..if long { head_end } else { to }, secrets);
    let tail_reds = if long {
        redactions(t, tail_start..to, secrets)
    } else {
        Vec::new()
    };
    // Never start the window inside a secret.
    let from = head_reds
        .iter()
        .find(|s| s.start < from && from < s.end)
        .map_or(from, |s| s.start.max(line_start));
    // A secret-like range that begins before the token and runs into it is shown with
    // the token, so the two halves are never rendered apart.
    let split = head_reds
        .iter()
        .filter(|s| s.start < token.start && token.start < s.end)
        .map(|s| s.start.max(from))
        .min()
        .unwrap_or(token.start);
    // A part boundary inside a secret moves to the secret's edge.
    let head_end = head_reds
        .iter()
        .find(|s| s.start < head_end && head_end < s.end)
        .map_or(head_end, |s| s.end.min(tok_end));
    let tail_start = tail_reds
        .iter()
        .find(|s| s.start < tail_start && tail_start < s.end)
        .map_or(tail_start, |s| s.start.max(head_end));
    head_reds.retain(|s| s.start < head_end || !long);

    let mut text = String::new();
    if from > line_start {
        text.push('…');
    }
    text.push_str(&render(t, from..split, &head_reds));
    let start_chars = text.chars().count();
    let tok_text = if long {
        let h = render(t, split..head_end.max(split), &head_reds);
        let tl = render(t, tail_start..tok_end, &tail_reds);
        head(&h, MAX_TOKEN / 2) + "…" + &tail(&tl, MAX_TOKEN / 2 - 1)
    } else {
        let whole = render(t, split..tok_end, &head_reds);
        if whole.chars().count() > MAX_TOKEN {
            // Keep the head and the tail (where the signature usually is).
            head(&whole, MAX_TOKEN / 2) + "…" + &tail(&whole, MAX_TOKEN / 2 - 1)
        } else {
            whole
        }
    };
    let ulen = tok_text.chars().count();
    text.push_str(&tok_text);
    let after_reds = if long { &tail_reds } else { &head_reds };
    text.push_str(&render(t, tok_end..to, after_reds));
    if to < line_end {
        text.push('…');
    }
    Snippet {
        text,
        underline: (start_chars, ulen.max(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters_and_every_break() {
        let t = "a\r\nb\rc\n😀é x".as_bytes();
        let mut ix = LineIndex::new(t);
        assert_eq!(ix.locate(0), LineCol { line: 1, column: 1 });
        assert_eq!(ix.locate(3), LineCol { line: 2, column: 1 });
        assert_eq!(ix.locate(5), LineCol { line: 3, column: 1 });
        let x = t.len() - 1;
        assert_eq!(ix.locate(x), LineCol { line: 4, column: 4 });
        let bad = b"\xff\xfeab";
        assert_eq!(LineIndex::new(bad).locate(2), LineCol { line: 1, column: 3 });
        let bom = "\u{feff}ab".as_bytes();
        assert_eq!(LineIndex::new(bom).locate(4), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn snippet_redacts_and_underlines() {
        let t = b"x = \"https://h/c?sig=abcdefghijkl\" # end";
        let s = snippet(t, 0..t.len(), &(5..33), &std::iter::once(21..33).collect::<Vec<_>>());
        assert_eq!(s.text, "x = \"https://h/c?sig=ab…kl\" # end");
        assert_eq!(s.underline, (5, 21));
    }
}
