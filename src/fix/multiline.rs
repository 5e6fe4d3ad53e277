//! Is a line inside a construct that spans lines (a triple-quoted string, a template
//! literal, a heredoc, a fenced code block, a YAML block scalar, a `<script>` element)?
//! There a comment added at the line's end, or on a line inserted above it, would be data,
//! not a comment. A small lexer per language family reads the text from its start; for a
//! language it does not know, no line is inside such a construct.

use std::ops::Range;

/// A string delimiter: `open` … `close`.
struct Quote {
    open: &'static [u8],
    close: &'static [u8],
    /// The string may run over line ends.
    multiline: bool,
    /// A backslash escapes the next byte.
    escapes: bool,
}

const fn q(open: &'static [u8], close: &'static [u8], multiline: bool, escapes: bool) -> Quote {
    Quote {
        open,
        close,
        multiline,
        escapes,
    }
}

/// Heredocs: how they open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Heredoc {
    None,
    /// `<<WORD`, `<<-WORD`, `<< 'WORD'` (shell, Dockerfile), not `<<<`.
    Shell,
    /// `<<WORD`, `<<~WORD`, `<<-WORD`, `<<"WORD"`, no space (Ruby, Perl).
    Tight,
    /// `<<<WORD`, `<<<'WORD'` (PHP).
    Php,
}

struct Syntax {
    line_comments: &'static [&'static [u8]],
    /// A `#` comment starts only at a word's start (shell), or only at the line's start
    /// (Dockerfile, where `#` elsewhere is an argument).
    hash: Hash,
    blocks: &'static [(&'static [u8], &'static [u8])],
    /// Longest openers first.
    quotes: Vec<Quote>,
    heredoc: Heredoc,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Hash {
    Anywhere,
    WordStart,
    LineStart,
}

const C_BLOCK: &[(&[u8], &[u8])] = &[(b"/*", b"*/")];
const SLASHES: &[&[u8]] = &[b"//"];
const HASH: &[&[u8]] = &[b"#"];

fn syntax(language_id: &str) -> Option<Syntax> {
    let s = |line_comments, hash, blocks, quotes, heredoc| Syntax {
        line_comments,
        hash,
        blocks,
        quotes,
        heredoc,
    };
    Some(match language_id {
        "python" | "toml" | "starlark" => s(
            HASH,
            Hash::Anywhere,
            &[],
            vec![
                q(b"\"\"\"", b"\"\"\"", true, true),
                q(b"'''", b"'''", true, true),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, true),
            ],
            Heredoc::None,
        ),
        "javascript" | "javascriptreact" | "typescript" | "typescriptreact" => s(
            SLASHES,
            Hash::Anywhere,
            C_BLOCK,
            vec![
                q(b"`", b"`", true, true),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, true),
            ],
            Heredoc::None,
        ),
        "go" => s(
            SLASHES,
            Hash::Anywhere,
            C_BLOCK,
            vec![
                q(b"`", b"`", true, false),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, true),
            ],
            Heredoc::None,
        ),
        "java" | "kotlin" | "scala" | "swift" | "groovy" | "dart" | "jenkinsfile" => s(
            SLASHES,
            Hash::Anywhere,
            C_BLOCK,
            vec![
                q(b"\"\"\"", b"\"\"\"", true, true),
                q(b"'''", b"'''", true, true),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, true),
            ],
            Heredoc::None,
        ),
        "csharp" => s(
            SLASHES,
            Hash::Anywhere,
            C_BLOCK,
            vec![
                q(b"\"\"\"", b"\"\"\"", true, false),
                q(b"@\"", b"\"", true, false),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, true),
            ],
            Heredoc::None,
        ),
        "rust" => s(
            SLASHES,
            Hash::Anywhere,
            C_BLOCK,
            vec![
                q(b"r##\"", b"\"##", true, false),
                q(b"r#\"", b"\"#", true, false),
                q(b"r\"", b"\"", true, false),
                q(b"\"", b"\"", true, true),
            ],
            Heredoc::None,
        ),
        "c" | "cpp" | "objective-c" | "objective-cpp" => s(
            SLASHES,
            Hash::Anywhere,
            C_BLOCK,
            vec![
                q(b"R\"(", b")\"", true, false),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, true),
            ],
            Heredoc::None,
        ),
        "shellscript" | "sh" | "bash" | "zsh" => s(
            HASH,
            Hash::WordStart,
            &[],
            vec![
                q(b"'", b"'", true, false),
                q(b"\"", b"\"", true, true),
                q(b"`", b"`", true, true),
            ],
            Heredoc::Shell,
        ),
        "dockerfile" => s(
            HASH,
            Hash::LineStart,
            &[],
            vec![q(b"\"", b"\"", false, true), q(b"'", b"'", false, false)],
            Heredoc::Shell,
        ),
        "ruby" | "perl" => s(
            HASH,
            Hash::WordStart,
            &[],
            vec![q(b"\"", b"\"", true, true), q(b"'", b"'", true, true)],
            Heredoc::Tight,
        ),
        "php" => s(
            &[b"//", b"#"],
            Hash::Anywhere,
            C_BLOCK,
            vec![q(b"\"", b"\"", true, true), q(b"'", b"'", true, true)],
            Heredoc::Php,
        ),
        "terraform" | "hcl" | "tf" => s(
            &[b"#", b"//"],
            Hash::Anywhere,
            C_BLOCK,
            vec![q(b"\"", b"\"", false, true)],
            Heredoc::Tight,
        ),
        "elixir" | "julia" => s(
            HASH,
            Hash::Anywhere,
            &[],
            vec![
                q(b"\"\"\"", b"\"\"\"", true, true),
                q(b"'''", b"'''", true, true),
                q(b"\"", b"\"", true, true),
            ],
            Heredoc::None,
        ),
        "lua" => s(
            &[b"--"],
            Hash::Anywhere,
            &[(b"--[[", b"]]")],
            vec![
                q(b"[[", b"]]", true, false),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, true),
            ],
            Heredoc::None,
        ),
        "nix" => s(
            HASH,
            Hash::Anywhere,
            C_BLOCK,
            vec![q(b"''", b"''", true, false), q(b"\"", b"\"", true, true)],
            Heredoc::None,
        ),
        "powershell" => s(
            HASH,
            Hash::WordStart,
            &[(b"<#", b"#>")],
            vec![
                q(b"@\"", b"\"@", true, false),
                q(b"@'", b"'@", true, false),
                q(b"\"", b"\"", false, true),
                q(b"'", b"'", false, false),
            ],
            Heredoc::None,
        ),
        _ => return None,
    })
}

/// Is the line `line` (its span, without its line break) inside a construct that spans
/// lines, or does one start on it and run past its end?
pub fn spans_lines(text: &[u8], line: Range<usize>, language_id: &str) -> bool {
    match language_id {
        "markdown" => in_fence(text, line.start) || in_open_pair(text, &line, &[HTML_COMMENT]),
        "yaml" | "github-actions-workflow" | "dockercompose" => in_block_scalar(text, &line),
        "html" | "xml" | "vue" | "svelte" | "astro" | "xaml" | "svg" => in_open_pair(text, &line, &RAW),
        // A comment added inside an open `/* */` would close it early.
        "css" => in_open_pair(text, &line, &[(b"/*", b"*/")]),
        _ => syntax(language_id).is_some_and(|s| Lexer::new(text, &s).spans(&line)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    LineComment,
    Block(usize),
    Str(usize),
    Heredoc,
}

struct Lexer<'a> {
    t: &'a [u8],
    s: &'a Syntax,
    /// Heredoc words waiting for the next line, and whether their end may be indented.
    pending: Vec<(Vec<u8>, bool)>,
    /// Bytes that may open something in code (the rest are stepped over).
    opens: [bool; 256],
}

impl<'a> Lexer<'a> {
    fn new(t: &'a [u8], s: &'a Syntax) -> Self {
        let mut opens = [false; 256];
        let firsts = s.line_comments.iter().map(|o| o[0]);
        let firsts = firsts.chain(s.blocks.iter().map(|(o, _)| o[0]));
        for b in firsts.chain(s.quotes.iter().map(|q| q.open[0])) {
            opens[b as usize] = true;
        }
        opens[b'<' as usize] |= s.heredoc != Heredoc::None;
        Lexer {
            t,
            s,
            pending: Vec::new(),
            opens,
        }
    }

    fn spans(&mut self, line: &Range<usize>) -> bool {
        let t = self.t;
        let mut st = State::Code;
        let mut i = 0;
        let mut at_start = None;
        while i < line.end.min(t.len()) {
            if i >= line.start && at_start.is_none() {
                at_start = Some(st);
            }
            let b = t[i];
            let newline = b == b'\n' || b == b'\r';
            match st {
                State::Heredoc => {
                    // At a line's start: a heredoc body line, or its end word.
                    if i == line.start {
                        return true;
                    }
                    let eol = t[i..]
                        .iter()
                        .position(|&c| c == b'\n' || c == b'\r')
                        .map_or(t.len(), |k| i + k);
                    let (word, indented) = &self.pending[0];
                    let body = if *indented { trim_start(&t[i..eol]) } else { &t[i..eol] };
                    if body == word.as_slice() {
                        self.pending.remove(0);
                    }
                    i = eol;
                    if self.pending.is_empty() {
                        st = State::Code;
                    } else if i < t.len() {
                        i += if t[i] == b'\r' && t.get(i + 1) == Some(&b'\n') {
                            2
                        } else {
                            1
                        };
                    }
                    continue;
                }
                State::LineComment if newline => st = self.after_line(),
                State::LineComment => {}
                State::Block(k) => {
                    let close = self.s.blocks[k].1;
                    if t[i..].starts_with(close) {
                        i += close.len();
                        st = State::Code;
                        continue;
                    }
                }
                State::Str(k) => {
                    let quote = &self.s.quotes[k];
                    if quote.escapes && b == b'\\' {
                        i += 2;
                        continue;
                    }
                    if t[i..].starts_with(quote.close) {
                        i += quote.close.len();
                        st = State::Code;
                        continue;
                    }
                    if newline && !quote.multiline {
                        st = self.after_line();
                    }
                }
                State::Code if newline => st = self.after_line(),
                State::Code if !self.opens[b as usize] => {}
                State::Code => {
                    if let Some((next, len)) = self.open_at(i) {
                        st = next;
                        i += len;
                        continue;
                    }
                }
            }
            // A line break as one step (`\r\n` too), so heredoc bodies start on a line.
            i += if b == b'\r' && t.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
        }
        let at_start = at_start.unwrap_or(st);
        // A heredoc opened on the line starts on the next: the line itself ends in code. A
        // line in a block comment takes a line comment (every language here has them).
        let open = |s: State| matches!(s, State::Str(_) | State::Heredoc);
        open(at_start) || open(st)
    }

    /// The state after a line break in code or a comment: a heredoc opened on the line
    /// starts.
    fn after_line(&self) -> State {
        if self.pending.is_empty() {
            State::Code
        } else {
            State::Heredoc
        }
    }

    /// What opens at `i` in code: a comment, a string, a heredoc (recorded, it starts on
    /// the next line).
    fn open_at(&mut self, i: usize) -> Option<(State, usize)> {
        let t = self.t;
        let rest = &t[i..];
        let prev = (i > 0).then(|| t[i - 1]);
        // Stops at the first byte that is not a space: short in practice.
        let at_line_start = || {
            t[..i]
                .iter()
                .rev()
                .take_while(|&&c| c != b'\n' && c != b'\r')
                .all(|c| c.is_ascii_whitespace())
        };
        // Before line comments: Lua's `--[[` is a block.
        if let Some(k) = self.s.blocks.iter().position(|(o, _)| rest.starts_with(o)) {
            return Some((State::Block(k), self.s.blocks[k].0.len()));
        }
        for open in self.s.line_comments {
            if rest.starts_with(open) {
                let ok = *open != b"#"
                    || match self.s.hash {
                        Hash::Anywhere => true,
                        Hash::WordStart => prev.is_none_or(|c| c.is_ascii_whitespace() || b";|&()".contains(&c)),
                        Hash::LineStart => at_line_start(),
                    };
                if ok {
                    return Some((State::LineComment, open.len()));
                }
            }
        }
        if let Some(len) = self.heredoc_at(i) {
            return Some((State::Code, len));
        }
        let k = self.s.quotes.iter().position(|quote| rest.starts_with(quote.open))?;
        // An apostrophe in a word is no quote where strings span lines (shell, Ruby).
        let quote = &self.s.quotes[k];
        if quote.open == b"'" && quote.multiline && prev.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some((State::Str(k), quote.open.len()))
    }

    /// A heredoc opener at `i`: its word is queued, its length returned.
    fn heredoc_at(&mut self, i: usize) -> Option<usize> {
        let t = self.t;
        let (arrows, spaces) = match self.s.heredoc {
            Heredoc::None => return None,
            Heredoc::Shell => (2, true),
            Heredoc::Tight => (2, false),
            Heredoc::Php => (3, true),
        };
        let rest = &t[i..];
        if rest.len() <= arrows || !rest[..arrows].iter().all(|&c| c == b'<') || rest[arrows] == b'<' {
            return None;
        }
        if i > 0 && t[i - 1] == b'<' {
            return None;
        }
        let mut j = i + arrows;
        let indented = matches!(t.get(j), Some(b'-' | b'~'));
        if indented && self.s.heredoc != Heredoc::Php {
            j += 1;
        }
        if spaces {
            while matches!(t.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
        }
        let quote = t.get(j).copied().filter(|c| *c == b'\'' || *c == b'"');
        if quote.is_some() {
            j += 1;
        }
        let word_start = j;
        while t.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            j += 1;
        }
        let word = &t[word_start..j];
        if word.is_empty() || word[0].is_ascii_digit() {
            return None;
        }
        if let Some(qc) = quote {
            if t.get(j) != Some(&qc) {
                return None;
            }
            j += 1;
        }
        // PHP's closing word may be indented too (7.3+).
        let indented = indented || self.s.heredoc == Heredoc::Php;
        self.pending.push((word.to_vec(), indented));
        Some(j - i)
    }
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &s[n..]
}

/// The lines of `t` before `upto`, as spans without their breaks.
fn lines_before(t: &[u8], upto: usize) -> impl Iterator<Item = &[u8]> {
    t[..upto]
        .split(|&c| c == b'\n' || c == b'\r')
        .take(t[..upto].iter().filter(|&&c| c == b'\n' || c == b'\r').count())
}

/// Markdown: is the line starting at `start` inside a fenced code block (or indented
/// four spaces, as an indented code block is)?
fn in_fence(t: &[u8], start: usize) -> bool {
    let line = &t[start..];
    let line = &line[..line
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .unwrap_or(line.len())];
    if line.starts_with(b"    ") || line.starts_with(b"\t") {
        return true;
    }
    let mut fence: Option<(u8, usize)> = None;
    for l in lines_before(t, start) {
        let l = trim_start(l);
        let ch = match l.first() {
            Some(&c @ (b'`' | b'~')) => c,
            _ => continue,
        };
        let n = l.iter().take_while(|&&c| c == ch).count();
        if n < 3 {
            continue;
        }
        fence = match fence {
            None => Some((ch, n)),
            Some((c, m)) if c == ch && n >= m && trim_start(&l[n..]).is_empty() => None,
            open => open,
        };
    }
    fence.is_some()
}

/// YAML: is `line` inside a block scalar (`key: |`, `- >-`), or a quoted scalar left
/// open on an earlier line?
fn in_block_scalar(t: &[u8], line: &Range<usize>) -> bool {
    let indent = |l: &[u8]| l.iter().take_while(|&&c| c == b' ').count();
    let own = &t[line.clone()];
    // The block scalar being read: the indentation of the line that opened it.
    let mut block: Option<usize> = None;
    for l in lines_before(t, line.start) {
        if let Some(i) = block {
            if trim_start(l).is_empty() || indent(l) > i {
                continue;
            }
            block = None;
        }
        let code = match l.windows(2).position(|w| w == b" #") {
            Some(k) => &l[..k],
            None => l,
        };
        let code = code.trim_ascii_end();
        let last = code.rsplit(|&c| c == b' ').next().unwrap_or_default();
        let header = !last.is_empty()
            && matches!(last[0], b'|' | b'>')
            && last[1..].iter().all(|c| matches!(c, b'-' | b'+' | b'0'..=b'9'));
        if header
            && (code.len() == last.len() || code[..code.len() - last.len()].ends_with(b": ") || code.ends_with(b"- |"))
        {
            block = Some(indent(l));
        }
    }
    block.is_some_and(|i| trim_start(own).is_empty() || indent(own) > i)
}

const HTML_COMMENT: (&[u8], &[u8]) = (b"<!--", b"-->");

/// HTML and XML elements whose text is data, comments and CDATA sections.
const RAW: [(&[u8], &[u8]); 6] = [
    (b"<script", b"</script"),
    (b"<style", b"</style"),
    (b"<pre", b"</pre"),
    (b"<textarea", b"</textarea"),
    (b"<![CDATA[", b"]]>"),
    HTML_COMMENT,
];

/// Is `line` inside one of `pairs` (matched case-insensitively, the last opener before a
/// point not closed before it), or does one open on it and run past it?
fn in_open_pair(t: &[u8], line: &Range<usize>, pairs: &[(&[u8], &[u8])]) -> bool {
    let lower: Vec<u8> = t[..line.end].to_ascii_lowercase();
    let open_at = |upto: usize| {
        pairs.iter().any(|(open, close)| {
            let o = memchr::memmem::rfind(&lower[..upto], open);
            let c = memchr::memmem::rfind(&lower[..upto], close);
            match (o, c) {
                (Some(o), Some(c)) => o > c,
                (Some(_), None) => true,
                _ => false,
            }
        })
    };
    open_at(line.start) || open_at(line.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Does the line holding `marker` span lines in `text`?
    fn check(text: &str, marker: &str, lang: &str) -> bool {
        let at = text.find(marker).unwrap();
        let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
        spans_lines(text.as_bytes(), start..end, lang)
    }

    #[test]
    fn python_and_toml_triple_quotes() {
        let py = "x = '''a'''\ny = \"\"\"head\nTOK\n\"\"\"\nz = 'TOK2' # \"\"\" in a comment\nw = 'TOK3'\n";
        assert!(check(py, "TOK\n", "python"));
        assert!(check(py, "head", "python"));
        assert!(!check(py, "TOK2", "python"));
        assert!(!check(py, "TOK3", "python"));
        assert!(!check(py, "x = ", "python"));
        assert!(check("k = '''\nTOK\n'''\n", "TOK", "toml"));
    }

    #[test]
    fn templates_raw_strings_and_text_blocks() {
        let js = "const a = `x\n${b} TOK`;\nconst c = 'TOK2'; // `\nlet d = \"TOK3\";\n";
        assert!(check(js, "TOK`", "javascript"));
        assert!(check(js, "const a", "typescript"));
        assert!(!check(js, "TOK2", "javascript"));
        assert!(!check(js, "TOK3", "javascript"));
        assert!(check("s := `\nTOK`\n", "TOK", "go"));
        assert!(check("let s = r#\"\nTOK\"#;\n", "TOK", "rust"));
        assert!(check("String s = \"\"\"\n  TOK\"\"\";\n", "TOK", "java"));
        assert!(check("var s = @\"a\nTOK\";\n", "TOK", "csharp"));
        assert!(!check("/* a\n*/ x = \"TOK\";\n", "TOK", "c"));
    }

    #[test]
    fn heredocs() {
        let sh = "cat <<EOF > f\nTOK\nEOF\necho 'TOK2' # it's fine\ncat <<-'END'\n\tTOK3\n\tEND\nx=$((1<<2)) TOK4\n";
        assert!(check(sh, "TOK\n", "shellscript"));
        assert!(!check(sh, "cat <<EOF", "shellscript"));
        assert!(!check(sh, "TOK2", "shellscript"));
        assert!(check(sh, "TOK3", "shellscript"));
        assert!(!check(sh, "TOK4", "shellscript"));
        let df = "FROM alpine\nRUN <<EOT\n  curl TOK\nEOT\nENV X=TOK2\n";
        assert!(check(df, "TOK\n", "dockerfile"));
        assert!(!check(df, "TOK2", "dockerfile"));
        assert!(check("x = <<~SQL\n  TOK\n  SQL\n", "TOK", "ruby"));
        assert!(check("$x = <<<EOT\nTOK\nEOT;\n", "TOK", "php"));
        assert!(check("x = <<-EOT\n  TOK\n  EOT\n", "TOK", "terraform"));
        assert!(!check("x = <<-EOT\n  a\n  EOT\ny = \"TOK\"\n", "TOK", "terraform"));
        assert!(check("s = [[\nTOK]]\n", "TOK", "lua"));
        assert!(!check("--[[ it's\n]] s = 'TOK'\n", "TOK", "lua"));
        assert!(check("s = ''\n  TOK\n'';\n", "TOK", "nix"));
    }

    #[test]
    fn markdown_yaml_and_html() {
        let md = "Text TOK0\n\n```sh\ncurl TOK\n```\n\nSee TOK2\n\n    TOK3\n";
        assert!(!check(md, "TOK0", "markdown"));
        assert!(check(md, "TOK\n", "markdown"));
        assert!(!check(md, "TOK2", "markdown"));
        assert!(check(md, "TOK3", "markdown"));
        let yaml = "a: |\n  TOK\n  more\nb: TOK2\nrun: >-\n    x\n    TOK3\nc: 'TOK4' # |\n";
        assert!(check(yaml, "TOK\n", "yaml"));
        assert!(!check(yaml, "TOK2", "yaml"));
        assert!(check(yaml, "TOK3", "github-actions-workflow"));
        assert!(!check(yaml, "TOK4", "yaml"));
        let html = "<a href=\"TOK\">\n<script>\nvar u = \"TOK2\";\n</script>\n";
        assert!(!check(html, "TOK\"", "html"));
        assert!(check(html, "TOK2", "html"));
        let comment = "<p>TOK</p> <!-- note\nmore -->\n<p>TOK2</p> <!-- x -->\n";
        assert!(check(comment, "TOK<", "html"));
        assert!(check(comment, "more", "markdown"));
        assert!(!check(comment, "TOK2", "markdown"));
        assert!(check("a { b: url(TOK) } /* note\n*/\n", "TOK", "css"));
        assert!(!check("/* a */ a { b: url(TOK) }\n", "TOK", "css"));
    }
}
