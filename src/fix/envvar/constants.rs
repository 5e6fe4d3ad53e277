//! Places that need a compile-time constant, where a lookup cannot stand: Python `case`
//! patterns, Rust match patterns, attributes and literal-only macros, C# `case` labels,
//! attributes and default parameter values; and a constant being moved that other code
//! uses as one (a Java annotation or `case` naming it, a C# or Go `const` built from it).

use super::lang::Lang;
use super::literal::Literal;

fn line_bounds(t: &[u8], at: usize) -> (usize, usize) {
    let start = t[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = t[at..].iter().position(|&b| b == b'\n').map_or(t.len(), |i| at + i);
    (start, end)
}

/// Why the literal's own place needs a constant, if it does.
pub fn literal_needs_constant(t: &[u8], lit: &Literal, lang: Lang) -> Option<&'static str> {
    let (ls, le) = line_bounds(t, lit.start);
    let before = String::from_utf8_lossy(&t[ls..lit.start]).into_owned();
    let after = String::from_utf8_lossy(&t[lit.span().end.min(le)..le]).into_owned();
    let head = before.trim_start();
    match lang {
        Lang::Python if head.starts_with("case ") => Some("a match-case pattern"),
        Lang::Rust if after.trim_start().starts_with("=>") || after.trim_start().starts_with('|') => {
            Some("a match pattern")
        }
        Lang::Rust if head.starts_with("#[") || head.starts_with("#![") => Some("an attribute"),
        Lang::Rust
            if innermost_call(&before).is_some_and(|m| {
                [
                    "concat!",
                    "include_str!",
                    "include_bytes!",
                    "env!",
                    "option_env!",
                    "compile_error!",
                ]
                .contains(&m.0.as_str())
            }) =>
        {
            Some("a macro that takes literals only")
        }
        Lang::Rust
            if innermost_call(&before).is_some_and(|m| {
                let (name, args) = m;
                FORMAT_MACROS.contains(&name.as_str()) && args.trim().is_empty()
            }) =>
        {
            Some("a format string")
        }
        Lang::CSharp if head.starts_with("case ") => Some("a case label"),
        Lang::CSharp if head.starts_with('[') => Some("an attribute argument"),
        Lang::CSharp if default_parameter(&before) => Some("a default parameter value"),
        _ => None,
    }
}

/// Rust macros whose first argument is a format string, which must be a literal.
const FORMAT_MACROS: &[&str] = &[
    "println!",
    "print!",
    "eprintln!",
    "eprint!",
    "format!",
    "panic!",
    "format_args!",
    "unreachable!",
    "todo!",
    "unimplemented!",
];

/// The name before the innermost `(` still open in `before` (`concat!` for `concat!(`),
/// and the text between that `(` and the end of `before`.
fn innermost_call(before: &str) -> Option<(String, String)> {
    let is_name = |c: char| c.is_alphanumeric() || matches!(c, '_' | '!' | ':');
    open_calls(before, is_name)
        .into_iter()
        .next()
        .map(|(name, at)| (name, before[at + 1..].to_string()))
}

/// Every `(` still open in `before`, innermost first: the name written before it (made of
/// characters `is_name` accepts) and the `(`'s byte offset.
pub(super) fn open_calls(before: &str, is_name: impl Fn(char) -> bool) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let name: String = before[..i]
                    .trim_end()
                    .chars()
                    .rev()
                    .take_while(|c| is_name(*c))
                    .collect();
                out.push((name.chars().rev().collect(), i));
            }
            _ => {}
        }
    }
    out
}

/// `void M(string s = ` — a parameter's default value in a declaration.
fn default_parameter(before: &str) -> bool {
    let Some(rest) = before.trim_end().strip_suffix('=') else {
        return false;
    };
    if innermost_call(before).is_none() {
        return false;
    }
    let open = before.rfind(['(', ',']).unwrap_or(0);
    let words: Vec<&str> = rest[open.min(rest.len())..]
        .trim_matches(|c: char| c == '(' || c == ',' || c.is_whitespace())
        .split_whitespace()
        .collect();
    // `type name`: a declaration; a named argument (`name:`) or an expression is not.
    words.len() >= 2
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || "_<>?[].".contains(c)))
}

/// The identifier a constant declaration on `line` (the text before the literal) names:
/// `const string Conn = ` gives `Conn` for C#, `static final String X = ` for Java,
/// `const x = ` for Go. `None` when the line declares no constant.
pub fn declared_constant(line: &str, lang: Lang) -> Option<String> {
    let l = line.trim();
    let is_const = match lang {
        Lang::CSharp | Lang::Go => l.split_whitespace().any(|w| w == "const"),
        Lang::Java => l.split_whitespace().any(|w| w == "final"),
        _ => false,
    };
    let rest = l.strip_suffix('=')?.trim_end();
    let rest = rest.split(':').next().unwrap_or(rest).trim_end();
    let ident: String = rest
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (is_const && !ident.is_empty()).then_some(ident)
}

fn has_word(hay: &str, word: &str) -> bool {
    hay.match_indices(word).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Where other code uses the constant `ident` (declared on the line starting at
/// `decl_line`) as a constant: then it cannot become a variable.
pub fn used_as_constant(t: &[u8], decl_line: usize, ident: &str, lang: Lang) -> Option<&'static str> {
    let text = String::from_utf8_lossy(t);
    let mut offset = 0;
    let mut in_const_block = false;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let l = line.trim();
        if lang == Lang::Go {
            if l.starts_with("const (") {
                in_const_block = true;
            } else if l.starts_with(')') {
                in_const_block = false;
            }
        }
        if here == decl_line || !has_word(l, ident) {
            continue;
        }
        let found = match lang {
            Lang::Java if l.starts_with("case ") => Some("a case label"),
            Lang::Java if l.contains('@') && l.find('@') < l.find(ident) => Some("an annotation"),
            Lang::CSharp if l.starts_with("case ") => Some("a case label"),
            Lang::CSharp if l.starts_with('[') => Some("an attribute"),
            Lang::CSharp | Lang::Go if l.split_whitespace().any(|w| w == "const") => Some("another constant"),
            Lang::Go if in_const_block => Some("another constant"),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_places() {
        assert_eq!(
            declared_constant("    const string Conn = ", Lang::CSharp).as_deref(),
            Some("Conn")
        );
        assert_eq!(
            declared_constant("  private static final String X = ", Lang::Java).as_deref(),
            Some("X")
        );
        assert_eq!(declared_constant("  string x = ", Lang::CSharp), None);
        assert!(default_parameter("    void M(int a, string s = "));
        assert!(!default_parameter("    M(a, s: "));
        assert!(!default_parameter("    var s = "));
        assert_eq!(innermost_call("let s = concat!(").unwrap().0, "concat!");
        let go = b"const a = \"x\"\nconst b = a + \"y\"\n";
        assert_eq!(used_as_constant(go, 0, "a", Lang::Go), Some("another constant"));
        let java = b"static final String U = \"x\";\n@Value(U) String v;\n";
        assert_eq!(used_as_constant(java, 0, "U", Lang::Java), Some("an annotation"));
        assert_eq!(used_as_constant(java, 0, "V", Lang::Java), None);
    }
}
