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

/// The window of `line_start`'s line around `token`, with every range in `secrets` (sorted
/// by start) redacted. Long lines are cut with `…`.
pub fn snippet(t: &[u8], line: Range<usize>, token: &Range<usize>, secrets: &[Range<usize>]) -> Snippet {
    let (line_start, line_end) = (line.start, line.end);
    let mut from = line_start.max(token.start.saturating_sub(BEFORE));
    while from > line_start && from < t.len() && (t[from] & 0xC0) == 0x80 {
        from -= 1;
    }
    let tok_end = token.end.min(line_end);
    let to = line_end.min(tok_end + AFTER);
    // Only the secrets in this window matter; add anything secret-like the scan did not
    // judge (a placeholder-looking or unrecognised signature must not be shown either).
    let first = secrets.partition_point(|s| s.end <= from);
    let mut local: Vec<Range<usize>> = secrets[first..].iter().take_while(|s| s.start < to).cloned().collect();
    local.extend(crate::redact::secret_like_ranges(t, from.saturating_sub(20)..to));
    // The same secret may also appear elsewhere on the line, without a `sig=` before it.
    let lo = from.saturating_sub(MAX_SECRET);
    let hi = (to + MAX_SECRET).min(t.len());
    let mut copies = Vec::new();
    for s in local.iter().filter(|s| s.len() >= 16) {
        let needle = &t[s.clone()];
        for at in memchr::memmem::find_iter(&t[lo..hi], needle) {
            copies.push(lo + at..lo + at + needle.len());
        }
    }
    local.extend(copies);
    local.sort_by_key(|r| r.start);
    local.dedup_by(|b, a| b.start < a.end);
    let secrets = &local[..];
    // Never start the window inside a secret.
    let from = secrets
        .iter()
        .find(|s| s.start < from && from < s.end)
        .map_or(from, |s| s.start.max(line_start));
    let mut text = String::new();
    if from > line_start {
        text.push('…');
    }
    let push = |text: &mut String, r: Range<usize>| {
        let mut i = r.start;
        while i < r.end {
            if let Some(s) = secrets.iter().find(|s| s.start == i && s.end <= t.len()) {
                text.push_str(&redact(&t[s.clone()]));
                i = s.end;
                continue;
            }
            // Inside a secret whose start another part already showed (redacted): skip it.
            if let Some(s) = secrets.iter().find(|s| s.start < i && i < s.end) {
                i = s.end;
                continue;
            }
            let next = secrets
                .iter()
                .filter(|s| s.start > i)
                .map(|s| s.start)
                .min()
                .unwrap_or(r.end)
                .min(r.end);
            for c in String::from_utf8_lossy(&t[i..next]).chars() {
                text.push(if c == '\t' || c.is_control() { ' ' } else { c });
            }
            i = next;
        }
    };
    // A secret-like range that begins before the token and runs into it is shown with
    // the token, so the two halves are never rendered apart.
    let split = secrets
        .iter()
        .filter(|s| s.start < token.start && token.start < s.end)
        .map(|s| s.start.max(from))
        .min()
        .unwrap_or(token.start);
    push(&mut text, from..split);
    let start_chars = text.chars().count();
    let mut tok_text = String::new();
    push(&mut tok_text, split..tok_end.max(split));
    let tok_chars = tok_text.chars().count();
    if tok_chars > MAX_TOKEN {
        // Keep the head and the tail (where the signature usually is).
        let chars: Vec<char> = tok_text.chars().collect();
        tok_text = chars[..MAX_TOKEN / 2].iter().collect::<String>()
            + "…"
            + &chars[tok_chars - MAX_TOKEN / 2 + 1..].iter().collect::<String>();
    }
    let ulen = tok_text.chars().count();
    text.push_str(&tok_text);
    push(&mut text, tok_end..to);
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
