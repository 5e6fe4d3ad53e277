//! Finding the string literal that holds a token: a forward scan from the start of the
//! file that knows each language's quotes, prefixes, escapes and comments, so an
//! apostrophe inside `"…"`, a triple-quoted or raw string, or a token inside a comment or
//! a multi-line string is told apart.

use std::borrow::Cow;
use std::ops::Range;

use super::lang::Lang;

/// A quoted literal on one line: where its prefix, delimiters and body are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// Start of the literal, prefix (`f`, `r#`, `@`, `$`, `b`) included.
    pub start: usize,
    /// Start of the opening delimiter (after the prefix).
    pub open: usize,
    /// The opening delimiter (`"`, `'''`, `` ` ``, `#"` for `r#"`).
    pub delim: Cow<'static, str>,
    /// Start of the closing delimiter.
    pub close: usize,
    /// The closing delimiter (`"`, `'''`, `"#`).
    pub close_delim: Cow<'static, str>,
}

impl Literal {
    /// The literal's whole span, prefix and quotes included.
    pub fn span(&self) -> Range<usize> {
        self.start..self.close + self.close_delim.len()
    }
    /// Where its body starts.
    pub fn body_start(&self) -> usize {
        self.open + self.delim.len()
    }
    /// The prefix letters (`f`, `rb`, `@`, `$`, `r#`…).
    pub fn prefix<'a>(&self, t: &'a [u8]) -> &'a str {
        std::str::from_utf8(&t[self.start..self.open]).unwrap_or("")
    }
    /// The quote character.
    pub fn quote(&self) -> u8 {
        self.delim.as_bytes()[0]
    }
}

/// Where `inner` sits, as the scan from the start of the file sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Inside a literal opened and closed on its line.
    In(Literal),
    /// Outside any literal and comment.
    Code,
    /// Inside a comment.
    Comment,
    /// Inside a literal that spans lines (or is not closed on its line).
    MultiLine,
}

/// The place of `inner` (which holds no quote itself) in `t`.
pub fn locate(t: &[u8], inner: &Range<usize>, lang: Lang) -> Place {
    let mut i = 0;
    // Heredoc bodies are text, not code: skipped (a token inside one is left to the caller).
    let bodies = if lang == Lang::Shell {
        super::context::shell_heredoc_bodies(t)
    } else {
        Vec::new()
    };
    let mut next_body = 0;
    let at_word_start =
        |i: usize| i == 0 || matches!(t[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b';' | b'(' | b'|' | b'&');
    // Only quotes, comment starts and backslashes matter: the bytes between are skipped.
    let mut interesting = [false; 256];
    for &b in b"\"'`#/\\<" {
        interesting[b as usize] = true;
    }
    while i < inner.start {
        match t[i..inner.start].iter().position(|&b| interesting[b as usize]) {
            Some(k) => i += k,
            None => break,
        }
        while next_body < bodies.len() && bodies[next_body].0.end <= i {
            next_body += 1;
        }
        if let Some((body, _)) = bodies.get(next_body).filter(|(r, _)| r.start <= i) {
            if body.end > inner.start {
                return Place::Code;
            }
            i = body.end;
            continue;
        }
        let b = t[i];
        // Comments.
        let line_comment = match lang {
            Lang::Python | Lang::Shell | Lang::PowerShell | Lang::Dockerfile => {
                b == b'#' && (lang != Lang::Shell || at_word_start(i))
            }
            Lang::Yaml => b == b'#' && at_word_start(i),
            Lang::Terraform => b == b'#' || t[i..].starts_with(b"//"),
            _ => t[i..].starts_with(b"//"),
        };
        if line_comment {
            let end = line_end(t, i);
            if end >= inner.start {
                return Place::Comment;
            }
            i = end;
            continue;
        }
        let block = match lang {
            Lang::PowerShell => Some((&b"<#"[..], &b"#>"[..])),
            Lang::Python | Lang::Shell | Lang::Yaml | Lang::Dockerfile => None,
            _ => Some((&b"/*"[..], &b"*/"[..])),
        };
        if let Some((open, close)) = block {
            if t[i..].starts_with(open) {
                let end = find(t, i + open.len(), close).map_or(t.len(), |e| e + close.len());
                if end > inner.start {
                    return Place::Comment;
                }
                i = end;
                continue;
            }
        }
        if matches!(lang, Lang::JavaScript | Lang::TypeScript) && b == b'/' && regex_can_start(t, i) {
            i = skip_regex(t, i);
            continue;
        }
        // Character literals and lifetimes, which are not strings.
        if b == b'\'' && matches!(lang, Lang::CSharp | Lang::Java | Lang::Go | Lang::Rust) {
            i = skip_char(t, i);
            continue;
        }
        // Backslash escapes outside quotes (shell `\'`).
        if b == b'\\' && matches!(lang, Lang::Shell) {
            i += 2;
            continue;
        }
        if let Some(lit) = opening(t, i, lang) {
            let (close, closed_on_line) = closing(t, &lit, lang);
            if close >= inner.start {
                let same_line = !t[lit.open..inner.start].contains(&b'\n');
                return if closed_on_line && close >= inner.end && same_line {
                    let mut lit = lit;
                    lit.close = close;
                    Place::In(lit)
                } else {
                    Place::MultiLine
                };
            }
            i = close + lit.close_delim.len();
            continue;
        }
        i += 1;
    }
    Place::Code
}

fn line_end(t: &[u8], i: usize) -> usize {
    t[i..].iter().position(|&b| b == b'\n').map_or(t.len(), |p| i + p)
}

fn find(t: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    (from..t.len()).find(|&k| t[k..].starts_with(pat))
}

/// A `/` that starts a regular expression rather than a division.
fn regex_can_start(t: &[u8], i: usize) -> bool {
    if t.get(i + 1).is_some_and(|&c| c == b'/' || c == b'*') {
        return false;
    }
    let prev = t[..i].iter().rev().find(|c| !matches!(c, b' ' | b'\t'));
    prev.is_none_or(|c| b"(,=:[!&|?{};\n+-*%<>~^".contains(c))
}

fn skip_regex(t: &[u8], i: usize) -> usize {
    let end = line_end(t, i);
    let mut k = i + 1;
    let mut class = false;
    while k < end {
        match t[k] {
            b'\\' => k += 1,
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => return k + 1,
            _ => {}
        }
        k += 1;
    }
    i + 1
}

fn skip_char(t: &[u8], i: usize) -> usize {
    if t.get(i + 1) == Some(&b'\\') {
        // '\n', '\'', '\u{…}': up to the closing quote on the line.
        let end = line_end(t, i);
        return (i + 3..end).find(|&k| t[k] == b'\'').map_or(i + 1, |k| k + 1);
    }
    // 'x' (one character, maybe multi-byte); else a Rust lifetime or label.
    let next = (i + 2..(i + 6).min(t.len())).find(|&k| t[k] == b'\'');
    match next {
        Some(k) if std::str::from_utf8(&t[i + 1..k]).is_ok_and(|s| s.chars().count() == 1) => k + 1,
        _ => i + 1,
    }
}

/// A literal whose quote is at `q` (its prefix, if any, before it), its close not yet known.
fn opening(t: &[u8], q: usize, lang: Lang) -> Option<Literal> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let c = t[q];
    if lang == Lang::Rust && c == b'"' {
        // Raw strings: r"…", r#"…"#, br#"…"#.
        let mut h = q;
        while h > 0 && t[h - 1] == b'#' {
            h -= 1;
        }
        if h > 0 && t[h - 1] == b'r' {
            let mut start = h - 1;
            if start > 0 && t[start - 1] == b'b' {
                start -= 1;
            }
            if start == 0 || !ident(t[start - 1]) {
                let hashes = "#".repeat(q - h);
                return Some(Literal {
                    start,
                    open: h,
                    delim: Cow::Owned(format!("{hashes}\"")),
                    close: 0,
                    close_delim: Cow::Owned(format!("\"{hashes}")),
                });
            }
        }
    }
    let quotes: &[u8] = match lang {
        Lang::JavaScript | Lang::TypeScript => b"\"'`",
        Lang::Go => b"\"`",
        Lang::CSharp | Lang::Java | Lang::Rust | Lang::Terraform => b"\"",
        Lang::Yaml => {
            let prev = t[..q].iter().rev().find(|c| !matches!(c, b' ' | b'\t'));
            if !prev.is_none_or(|c| b":-[{,?\n".contains(c)) {
                return None;
            }
            b"\"'"
        }
        _ => b"\"'",
    };
    if !quotes.contains(&c) {
        return None;
    }
    let prefixes: &[u8] = match lang {
        Lang::Python => b"fFrRbBuU",
        Lang::CSharp => b"@$",
        Lang::Rust => b"b",
        Lang::Shell => b"$",
        _ => b"",
    };
    let mut start = q;
    while start > 0 && q - start < 3 && prefixes.contains(&t[start - 1]) {
        start -= 1;
    }
    // A prefix is only one when it is not the end of a word (`buf"…"` has none).
    if start < q && start > 0 && ident(t[start - 1]) {
        start = q;
    }
    let triple = matches!(lang, Lang::Python | Lang::Java | Lang::CSharp) && t[q..].starts_with(&[c, c, c]);
    let delim: Cow<'static, str> = Cow::Borrowed(match (c, triple) {
        (b'"', false) => "\"",
        (b'"', true) => "\"\"\"",
        (b'\'', false) => "'",
        (b'\'', true) => "'''",
        _ => "`",
    });
    Some(Literal {
        start,
        open: q,
        close_delim: delim.clone(),
        delim,
        close: 0,
    })
}

/// Where `lit` closes, and whether that is on the line it opened on.
fn closing(t: &[u8], lit: &Literal, lang: Lang) -> (usize, bool) {
    let prefix = lit.prefix(t);
    let q = lit.quote();
    let raw = (lang == Lang::Rust && prefix.contains('r'))
        || (lang == Lang::Go && q == b'`')
        || (lang == Lang::Shell && q == b'\'' && !prefix.contains('$'))
        || (lang == Lang::PowerShell && q == b'\'');
    let verbatim = lang == Lang::CSharp && prefix.contains('@');
    let escape = if lang == Lang::PowerShell { b'`' } else { b'\\' };
    let multi_line = match lang {
        Lang::Python | Lang::Java | Lang::CSharp => lit.delim.len() == 3 || verbatim,
        Lang::JavaScript | Lang::TypeScript | Lang::Go => q == b'`',
        Lang::Rust | Lang::Shell | Lang::PowerShell | Lang::Yaml => true,
        _ => false,
    };
    let close = lit.close_delim.as_bytes();
    let mut k = lit.body_start();
    let mut closed_on_line = true;
    let escapes = !raw && !verbatim;
    while k < t.len() {
        // Straight to the next byte that can matter.
        match t[k..]
            .iter()
            .position(|&b| b == close[0] || b == b'\n' || (escapes && b == escape))
        {
            Some(off) => k += off,
            None => break,
        }
        let b = t[k];
        if b == b'\n' {
            if !multi_line {
                return (k, false);
            }
            closed_on_line = false;
        }
        if escapes && b == escape {
            k += 2;
            continue;
        }
        if t[k..].starts_with(close) {
            // `""` inside a verbatim string (and `''` in PowerShell and YAML) is a quote.
            let doubled =
                (verbatim || (q == b'\'' && matches!(lang, Lang::PowerShell | Lang::Yaml))) && t.get(k + 1) == Some(&q);
            if doubled {
                k += 2;
                continue;
            }
            return (k, closed_on_line);
        }
        k += 1;
    }
    (t.len(), false)
}

/// Whether another string literal sits right before / right after `span` (only blanks,
/// line breaks and `\` continuations between), as in Python's `"a" "b"`.
pub fn adjacent(t: &[u8], span: &Range<usize>) -> (bool, bool) {
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\\');
    let before = t[..span.start].iter().rev().find(|&&b| !blank(b));
    let after = t[span.end..].iter().position(|&b| !blank(b)).map(|i| span.end + i);
    let starts_literal = |i: usize| {
        let j = (i..t.len().min(i + 3))
            .find(|&j| !b"fFrRbBuU".contains(&t[j]))
            .unwrap_or(i);
        matches!(t.get(j), Some(b'"' | b'\''))
    };
    (
        before.is_some_and(|&b| b == b'"' || b == b'\''),
        after.is_some_and(starts_literal),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(t: &[u8], inner: Range<usize>, lang: Lang) -> Literal {
        match locate(t, &inner, lang) {
            Place::In(l) => l,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn finds_quotes_and_prefixes() {
        let t = br#"x = f"https://h/c?sv=1&sig=2" + y"#;
        let l = lit(t, 18..28, Lang::Python);
        assert_eq!((l.start, l.open, l.close, l.delim.as_ref()), (4, 5, 28, "\""));
        assert_eq!(
            locate(b"# https://h/c?sv=1&sig=2", &(2..24), Lang::Python),
            Place::Comment
        );
        let t = br#"s = "a\"b?sv=1" "#;
        let l = lit(t, 10..14, Lang::Python);
        assert_eq!((l.open, l.close), (4, 14));
        // An apostrophe inside double quotes does not open a literal.
        let t = br#"m = "don't: https://h?sv=1""#;
        assert_eq!(lit(t, 21..25, Lang::Python).open, 4);
        // Triple quotes and raw strings.
        let t = br#"u = """https://h?sv=1""""#;
        let l = lit(t, 17..21, Lang::Python);
        assert_eq!((l.open, l.close, l.delim.as_ref()), (4, 21, "\"\"\""));
        let t = br##"let u = r#"https://h?sv=1"#;"##;
        let l = lit(t, 21..25, Lang::Rust);
        assert_eq!((l.start, l.open, l.close_delim.as_ref()), (8, 9, "\"#"));
        // Inside a multi-line string.
        let t = b"d = \"\"\"\nhttps://h?sv=1\n\"\"\"\n";
        assert_eq!(locate(t, &(17..21), Lang::Python), Place::MultiLine);
        // A Rust lifetime does not open anything.
        let t = br#"fn f<'a>(x: &'a str) { g("https://h?sv=1") }"#;
        assert!(matches!(locate(t, &(36..40), Lang::Rust), Place::In(_)));
    }
}
