//! What surrounds a literal, where that decides whether a lookup may replace it: constant
//! contexts (Go `const ( … )`, Java annotations and `case` labels, C# fields against
//! locals), shell heredocs, YAML flow collections and JSX attributes.

fn line_start(t: &[u8], at: usize) -> usize {
    t[..at]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// The lines before `at`, nearest first, each without its line break.
fn lines_before(t: &[u8], at: usize) -> impl Iterator<Item = &str> {
    let head = std::str::from_utf8(&t[..line_start(t, at)]).unwrap_or("");
    head.lines().rev()
}

/// Inside a Go `const ( … )` block.
pub fn in_go_const_block(t: &[u8], at: usize) -> bool {
    for l in lines_before(t, at) {
        let l = l.trim();
        if l.starts_with("const (") || l == "const(" {
            return true;
        }
        if l.starts_with(')')
            || l.starts_with("var")
            || l.starts_with("func ")
            || l.starts_with("import")
            || l.starts_with("type ")
        {
            return false;
        }
    }
    false
}

/// A Java annotation argument or `case` label on the literal's line: both need constants.
pub fn in_java_constant_context(t: &[u8], lit_start: usize) -> bool {
    let before = String::from_utf8_lossy(&t[line_start(t, lit_start)..lit_start]).into_owned();
    let trimmed = before.trim_start();
    if trimmed.starts_with("case ") || trimmed.starts_with("case(") {
        return true;
    }
    // `@Name(` with its parenthesis still open before the literal.
    let is_name = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '@');
    super::constants::open_calls(&before, is_name)
        .iter()
        .any(|(name, _)| name.starts_with('@'))
}

/// A C# declaration inside a type's body (a field), rather than a method's (a local).
pub fn csharp_is_field(t: &[u8], at: usize) -> bool {
    // Top-level statements are locals.
    block_header(t, at).is_some_and(|head| has_word(&head, &["class", "struct", "record", "interface"]))
}

/// A TypeScript enum member or type alias: both need literals.
pub fn in_typescript_type(t: &[u8], at: usize) -> bool {
    let line = String::from_utf8_lossy(&t[line_start(t, at)..at]).into_owned();
    let l = line.trim_start();
    l.starts_with("type ")
        || l.starts_with("export type ")
        || block_header(t, at).is_some_and(|head| has_word(&head, &["enum"]))
}

fn has_word(head: &str, words: &[&str]) -> bool {
    head.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| words.contains(&w))
}

/// The text before the innermost `{` still open before the line of `at` (back to the
/// previous `;`, `{` or `}`): `class A` for a class body. Quoted braces ignored, roughly.
fn block_header(t: &[u8], at: usize) -> Option<String> {
    let mut depth = 0i32;
    let mut quoted = false;
    for i in (0..line_start(t, at)).rev() {
        match t[i] {
            b'"' => quoted = !quoted,
            b'\n' => quoted = false,
            b'}' if !quoted => depth += 1,
            b'{' if !quoted && depth > 0 => depth -= 1,
            b'{' if !quoted => {
                let head_start = t[..i]
                    .iter()
                    .rposition(|&b| b == b';' || b == b'{' || b == b'}')
                    .map_or(0, |p| p + 1);
                return Some(String::from_utf8_lossy(&t[head_start..i]).into_owned());
            }
            _ => {}
        }
    }
    None
}

/// The heredoc whose body holds `at` in a shell script: `Some(true)` when its delimiter
/// is quoted (no expansion inside), `Some(false)` when it expands, `None` outside any.
pub fn shell_heredoc(t: &[u8], at: usize) -> Option<bool> {
    shell_heredoc_bodies(t)
        .into_iter()
        .find(|(r, _)| r.contains(&at))
        .map(|(_, quoted)| quoted)
}

/// The bodies of a shell script's heredocs (from the line after `<<WORD` up to the line
/// `WORD`), each with whether its delimiter is quoted.
pub fn shell_heredoc_bodies(t: &[u8]) -> Vec<(std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    // Pending heredocs (delimiter, quoted, tabs stripped) and the one being read.
    let mut pending: Vec<(String, bool, bool)> = Vec::new();
    let mut current: Option<(String, bool, bool, usize)> = None;
    let mut offset = 0;
    for raw in t.split_inclusive(|&b| b == b'\n') {
        let here = offset;
        offset += raw.len();
        let text = String::from_utf8_lossy(raw);
        let line = text.trim_end_matches(['\n', '\r']);
        if let Some((word, quoted, dash, start)) = &current {
            let l = if *dash { line.trim_start_matches('\t') } else { line };
            if l == word {
                out.push((*start..here, *quoted));
                current = (!pending.is_empty()).then(|| {
                    let (w, q, d) = pending.remove(0);
                    (w, q, d, offset)
                });
            }
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("<<") {
            let after = &rest[i + 2..];
            if let Some(here_string) = after.strip_prefix('<') {
                rest = here_string;
                continue;
            }
            let (dash, after) = match after.strip_prefix('-') {
                Some(a) => (true, a),
                None => (false, after),
            };
            let after = after.trim_start();
            let (quoted, body) = match after.chars().next() {
                Some(q @ ('\'' | '"')) => (true, after[1..].split(q).next().unwrap_or("")),
                Some('\\') => (true, &after[1..]),
                _ => (false, after),
            };
            let word: String = body
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if word.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') {
                pending.push((word, quoted, dash));
            }
            rest = after;
        }
        if !pending.is_empty() {
            let (w, q, d) = pending.remove(0);
            current = Some((w, q, d, offset));
        }
    }
    if let Some((_, quoted, _, start)) = current {
        out.push((start..t.len(), quoted));
    }
    out
}

/// Inside a YAML flow collection (`{…}` or `[…]`) on the token's line.
pub fn in_yaml_flow(t: &[u8], at: usize) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    for &b in &t[line_start(t, at)..at] {
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'{' | b'[') => depth += 1,
            (None, b'}' | b']') => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// Whether the literal at `lit_start` is a JSX attribute value (`<a href="…">`):
/// `Some(true)` or `Some(false)` when that is clear, `None` when it cannot be told.
pub fn jsx_attribute(t: &[u8], lit_start: usize) -> Option<bool> {
    let before = String::from_utf8_lossy(&t[line_start(t, lit_start)..lit_start]).into_owned();
    let Some(head) = before.strip_suffix('=') else {
        return Some(false);
    };
    let name_len = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':'))
        .map(char::len_utf8)
        .sum::<usize>();
    let rest = &head[..head.len() - name_len];
    if name_len == 0 || !(rest.is_empty() || rest.ends_with([' ', '\t'])) {
        return Some(false);
    }
    let tag_open =
        |seg: &str| seg.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic()) && !seg.contains(['>', ';', '(', ')']);
    if let Some(lt) = rest.rfind('<') {
        return Some(tag_open(&rest[lt..]));
    }
    if !rest.trim().is_empty() {
        return Some(false);
    }
    // The attribute on a line of its own: the tag opens on a line above.
    for l in lines_before(t, lit_start).take(30) {
        if let Some(lt) = l.rfind('<') {
            return tag_open(&l[lt..]).then_some(true);
        }
        if l.contains(['>', ';', '(', ')', '{', '}']) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts() {
        let go = b"package p\n\nconst (\n\ta = 1\n\tb = \"x\"\n)\n";
        assert!(in_go_const_block(go, go.len() - 6));
        assert!(!in_go_const_block(b"package p\nconst b = \"x\"\n", 20));
        let java = b"  @Named(value = \"x\")";
        assert!(in_java_constant_context(java, 17));
        assert!(!in_java_constant_context(b"  f(g(1), \"x\")", 10));
        let cs = b"class A {\n  void M() {\n    const string s = \"x\";\n  }\n}\n";
        assert!(!csharp_is_field(cs, 40));
        let cs = b"class A {\n    const string s = \"x\";\n}\n";
        assert!(csharp_is_field(cs, 30));
        let sh = b"cat <<'EOF'\nx\nEOF\ncat <<EOF\ny\nEOF\nz\n";
        assert_eq!(shell_heredoc(sh, 12), Some(true));
        assert_eq!(shell_heredoc(sh, 28), Some(false));
        assert_eq!(shell_heredoc(sh, 34), None);
        assert!(in_yaml_flow(b"env: {u: x}", 9));
        assert!(!in_yaml_flow(b"env: '{' x", 9));
        assert_eq!(jsx_attribute(b"<a href=\"x\">", 8), Some(true));
        assert_eq!(jsx_attribute(b"const a = \"x\"", 10), Some(false));
        assert_eq!(jsx_attribute(b"<a\n  href=\"x\"", 10), Some(true));
        assert_eq!(jsx_attribute(b"f();\nhref=\"x\"", 10), None);
    }
}
