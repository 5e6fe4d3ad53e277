//! "Move to environment variable": the literal in the code becomes a lookup of `NAME` in
//! the file's language (only the secret part moves when the literal holds more), and
//! `NAME='value'` goes to `.env`. Pure: the caller reads `.env` and applies the edits.

mod constants;
mod context;
mod dotenv;
mod imports;
mod lang;
mod literal;
mod name;
mod well_known;

use std::ops::Range;

pub use dotenv::{append as append_line, parse as parse_dotenv, place, quote};
pub use lang::Lang;
pub use name::{assigned_name, fallback_name, upper_snake};
pub use well_known::is_well_known;

use super::Edit;
use crate::scan::{Token, TokenForm};
use literal::{locate, Literal, Place};

/// What moving one token involves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvPlan {
    /// The variable's name in `.env` (Terraform's `TF_VAR_…` included).
    pub name: String,
    /// The exact text that leaves the source.
    pub value: String,
    /// Edits to the source file.
    pub source: Vec<Edit>,
    /// The line to add to `.env` (`NAME='value'`, no line break; see [`append_line`]);
    /// `None` when it already holds this variable and value.
    pub env_append: Option<String>,
}

/// Why the action is not offered for Dockerfiles.
pub const DOCKERFILE_REASON: &str =
    "a build ARG carrying a secret stays in the image history; mount it as a BuildKit secret (RUN --mount=type=secret) instead";

/// Why the action is not offered for YAML other than Docker Compose files.
pub const YAML_REASON: &str =
    "only Docker Compose files read .env and expand ${NAME} in YAML; this file does not look like one";

/// A Docker Compose file: by its language id, else by a top-level `services:` key.
fn compose_file(t: &[u8], language_id: &str) -> bool {
    language_id == "dockercompose"
        || (language_id == "yaml"
            && t.split(|&b| b == b'\n')
                .any(|l| l.starts_with(b"services:") && l[9..].iter().all(|b| b.is_ascii_whitespace())))
}

/// Why no file of this language gets the move, if none does (cheap: no look at the text).
pub fn language_reason(language_id: &str) -> Option<String> {
    match Lang::from_id(language_id) {
        None => Some(format!("no environment lookup for language `{language_id}`")),
        Some(Lang::Dockerfile) => Some(DOCKERFILE_REASON.into()),
        Some(_) => None,
    }
}

/// Plans the move, or says why it cannot be done for this token and file.
/// `existing_env` is the `.env` file's bytes (empty when there is none).
pub fn plan(t: &[u8], token: &Token, language_id: &str, existing_env: &[u8]) -> Result<EnvPlan, String> {
    if let Some(reason) = language_reason(language_id) {
        return Err(reason);
    }
    let lang = Lang::from_id(language_id).ok_or("no language")?;
    if lang == Lang::Yaml && !compose_file(t, language_id) {
        return Err(YAML_REASON.into());
    }
    let moved = match (&token.form, &token.query) {
        (TokenForm::Url, Some(q)) => q.clone(),
        _ => token.range.clone(),
    };
    let (moved, lit) = if token.within(&moved).len() > 1 {
        joined_literal(t, token, &moved, lang)?
    } else {
        let moved = token.within(&moved).remove(0);
        if t[moved.clone()].contains(&b'\\') {
            return Err("the secret holds escape sequences; redact it instead".into());
        }
        let lit = match locate(t, &moved, lang) {
            Place::In(l) => Some(l),
            Place::Code => None,
            Place::Comment => return Err("the secret is in a comment; redact it instead".into()),
            Place::MultiLine => return Err("the secret is inside a string that spans lines; redact it instead".into()),
        };
        if lang.needs_literal() && lit.is_none() {
            return Err("the secret is not inside a string literal".into());
        }
        // A substitution after the secret in an interpolating literal stays in the code.
        match &lit {
            Some(l) if interpolates(t, lang, l) => (before_interpolation(t, &moved, &token.secret), lit),
            _ => (moved, lit),
        }
    };
    let value = String::from_utf8_lossy(&token.text_of(t, &moved)).into_owned();
    let line_start = t[..moved.start]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let line = String::from_utf8_lossy(&t[line_start..moved.start]).into_owned();
    check_context(t, lang, language_id, &moved, lit.as_ref(), &line, &value)?;
    check_constant(t, lang, lit.as_ref(), line_start, &line)?;
    if let Some(l) = &lit {
        check_affixes(t, lang, l)?;
    }
    let name_at = lit.as_ref().map_or(token.range.start, |l| l.start);
    let base = assigned_name(t, name_at).unwrap_or_else(|| fallback_name(token));
    let base = if lang == Lang::Terraform {
        format!("TF_VAR_{}", base.to_ascii_lowercase())
    } else {
        well_known::avoid_well_known(base, token)
    };
    let (name, env_append) = place(existing_env, &base, &value);
    let var = if lang == Lang::Terraform {
        name.trim_start_matches("TF_VAR_").to_string()
    } else {
        name.clone()
    };
    let heredoc = lang == Lang::Shell && context::shell_heredoc(t, moved.start) == Some(false);
    let jsx = lit.as_ref().is_some_and(|l| {
        jsx_capable(language_id) && l.delim.len() == 1 && context::jsx_attribute(t, l.start) == Some(true)
    });
    let main = if heredoc {
        // An expanding heredoc body: quotes would be printed.
        Edit {
            range: moved.clone(),
            text: lang.lookup(&var),
        }
    } else {
        replace(t, lang, &var, &moved, lit, jsx)
    };
    let mut source = vec![main];
    source.extend(support_edits(t, lang, &var, line_start, &line));
    Ok(EnvPlan {
        name,
        value,
        source,
        env_append,
    })
}

/// A token written in several string literals of one expression (`"…" + "…"`, `"…" "…"`):
/// the part that moves runs from inside the first literal to inside the last, and is read
/// as one literal from the first's opening quote to the last's closing one, so the whole
/// sum becomes one lookup (or the first literal's head and the last one's tail stay). Not
/// for pieces joined any other way, nor literals of different kinds or with escapes.
fn joined_literal(
    t: &[u8],
    token: &Token,
    moved: &Range<usize>,
    lang: Lang,
) -> Result<(Range<usize>, Option<Literal>), String> {
    if !token.pieces.as_ref().is_some_and(|p| p.literals) {
        return Err(
            "the token is written over continued or wrapped lines, not in string literals; redact it instead".into(),
        );
    }
    let parts = token.within(moved);
    let mut lits = Vec::with_capacity(parts.len());
    for part in &parts {
        if t[part.clone()].contains(&b'\\') {
            return Err("the secret holds escape sequences; redact it instead".into());
        }
        match locate(t, part, lang) {
            Place::In(l) => lits.push(l),
            _ => return Err("a piece of the token is not a string literal on its line; redact it instead".into()),
        }
    }
    let (first, last) = (&lits[0], &lits[lits.len() - 1]);
    let same_kind = lits
        .iter()
        .all(|l| l.delim == first.delim && l.close_delim == first.close_delim && l.prefix(t) == first.prefix(t));
    if !same_kind || interpolates(t, lang, first) {
        return Err("the pieces are string literals of different kinds; redact it instead".into());
    }
    let lit = Literal {
        start: first.start,
        open: first.open,
        delim: first.delim.clone(),
        close: last.close,
        close_delim: last.close_delim.clone(),
    };
    Ok((parts[0].start..parts[parts.len() - 1].end, Some(lit)))
}

/// Whether `lit` substitutes expressions: a JavaScript template, a Python f-string, a C#
/// `$"…"`, a shell or PowerShell double-quoted string.
fn interpolates(t: &[u8], lang: Lang, lit: &Literal) -> bool {
    let prefix = lit.prefix(t);
    lit.quote() == b'`'
        || (lang == Lang::Python && prefix.contains(['f', 'F']))
        || (lang == Lang::CSharp && prefix.contains('$'))
}

/// `moved` cut before the last `&` ahead of the first substitution in it (`{` or `${`),
/// when the secret ends before that `&`; else unchanged (and refused later).
fn before_interpolation(t: &[u8], moved: &Range<usize>, secret: &Range<usize>) -> Range<usize> {
    let part = &t[moved.clone()];
    let Some(brace) = part.iter().position(|&b| b == b'{' || b == b'$') else {
        return moved.clone();
    };
    match part[..brace].iter().rposition(|&b| b == b'&') {
        Some(amp) if moved.start + amp >= secret.end => moved.start..moved.start + amp,
        _ => moved.clone(),
    }
}

/// Language ids whose files may hold JSX (`.js` files often do).
fn jsx_capable(language_id: &str) -> bool {
    matches!(language_id, "javascript" | "javascriptreact" | "typescriptreact")
}

/// The places where a lookup cannot stand in for the literal, each with its reason.
fn check_context(
    t: &[u8],
    lang: Lang,
    language_id: &str,
    moved: &Range<usize>,
    lit: Option<&Literal>,
    line: &str,
    value: &str,
) -> Result<(), String> {
    let prefix = lit.map_or("", |l| l.prefix(t));
    let declared_const = {
        let l = line.trim_start();
        [
            "const ",
            "static ",
            "pub const ",
            "pub static ",
            "pub(crate) const ",
            "pub(crate) static ",
        ]
        .iter()
        .any(|k| l.starts_with(k))
    };
    let interpolating = lit.is_some_and(|l| {
        l.quote() == b'`' || (lang == Lang::Python && prefix.contains(['f', 'F'])) || prefix.contains('$')
    });
    match lang {
        Lang::Python | Lang::Rust if prefix.contains(['b', 'B']) => {
            Err("the secret is in a bytes literal; redact it instead".into())
        }
        Lang::Rust if declared_const => Err("a Rust const or static cannot read the environment; redact instead".into()),
        Lang::Go if context::in_go_const_block(t, moved.start) => Err(
            "the secret is a constant in a `const ( … )` block, which cannot read the environment; move it to a `var` or redact it"
                .into(),
        ),
        Lang::Java if lit.is_some_and(|l| context::in_java_constant_context(t, l.start)) => Err(
            "an annotation value or case label must be a constant, which cannot read the environment".into(),
        ),
        Lang::TypeScript if context::in_typescript_type(t, moved.start) => Err(
            "the string is an enum member or a type, which must be a literal".into(),
        ),
        Lang::Shell if context::shell_heredoc(t, moved.start) == Some(true) => Err(
            "the secret is inside a quoted heredoc (<<'EOF'), which does not expand variables".into(),
        ),
        Lang::Yaml if lit.is_none() && context::in_yaml_flow(t, moved.start) => Err(
            "the secret is an unquoted value in a YAML flow collection; quote it first".into(),
        ),
        _ if interpolating && value.contains(['{', '}', '$']) => {
            Err("the secret's part of the string holds an interpolation".into())
        }
        Lang::JavaScript | Lang::TypeScript
            if jsx_capable(language_id)
                && lit.is_some_and(|l| l.delim.len() == 1 && context::jsx_attribute(t, l.start).is_none()) =>
        {
            Err("cannot tell whether the string is a JSX attribute value".into())
        }
        _ => Ok(()),
    }
}

/// Keywords after which a JavaScript string literal may follow directly.
const JS_KEYWORDS_BEFORE_VALUE: &[&str] = &[
    "return",
    "typeof",
    "case",
    "in",
    "of",
    "yield",
    "await",
    "export",
    "from",
    "import",
    "void",
    "delete",
    "throw",
    "else",
    "default",
    "instanceof",
];

/// Quotes that are not a literal of the language's own: a prefix or suffix it does not
/// know (Rust `c"…"`, C# `"…"u8`), or, in JavaScript, quotes after a word that is not a
/// keyword (an apostrophe in JSX text: `<p>Don't … it's</p>`).
fn check_affixes(t: &[u8], lang: Lang, lit: &Literal) -> Result<(), String> {
    let code = matches!(
        lang,
        Lang::Python | Lang::JavaScript | Lang::TypeScript | Lang::CSharp | Lang::Java | Lang::Go | Lang::Rust
    );
    if !code {
        return Ok(());
    }
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    if matches!(lang, Lang::JavaScript | Lang::TypeScript) {
        // `{ "…": v }`: a property name, not a value.
        let blank = |b: &&u8| !matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let after = t[lit.span().end..].iter().find(blank);
        let prev = t[..lit.start].iter().rev().find(blank);
        if after == Some(&b':') && prev.is_some_and(|b| *b == b'{' || *b == b',') {
            return Err("the string is a property name; redact it instead".into());
        }
        let before = &t[..lit.start];
        let word_end = before.iter().rposition(|b| !matches!(b, b' ' | b'\t'));
        if let Some(e) = word_end.filter(|&e| ident(&before[e]) || before[e] == b'$') {
            let start = before[..=e]
                .iter()
                .rposition(|b| !(ident(b) || *b == b'$'))
                .map_or(0, |i| i + 1);
            let word = String::from_utf8_lossy(&before[start..=e]);
            if !JS_KEYWORDS_BEFORE_VALUE.contains(&word.as_ref()) {
                return Err("the quotes follow a word, so they are not a string literal (JSX text?)".into());
            }
        }
    }
    let end = lit.span().end;
    if t.get(end).is_some_and(ident) && lang != Lang::Python {
        return Err("the string literal carries a suffix (such as u8); redact it instead".into());
    }
    if lit.start > 0 && ident(&t[lit.start - 1]) {
        return Err("the string literal carries a prefix this fix does not know; redact it instead".into());
    }
    Ok(())
}

/// A place that needs a constant, or a constant that other code uses as one.
fn check_constant(t: &[u8], lang: Lang, lit: Option<&Literal>, line_start: usize, line: &str) -> Result<(), String> {
    if let Some(what) = lit.and_then(|l| constants::literal_needs_constant(t, l, lang)) {
        return Err(format!(
            "the string is {what}, which must be a constant and cannot read the environment"
        ));
    }
    // The declaration: the line up to the literal.
    let decl = match lit {
        Some(l) if l.start >= line_start => String::from_utf8_lossy(&t[line_start..l.start]).into_owned(),
        _ => line.to_string(),
    };
    let used =
        constants::declared_constant(&decl, lang).and_then(|id| constants::used_as_constant(t, line_start, &id, lang));
    match used {
        Some(what) => Err(format!(
            "the constant is used in {what}, which needs a constant; redact instead"
        )),
        None => Ok(()),
    }
}

/// The main edit: the literal (or the moved part of it) becomes a lookup.
fn replace(t: &[u8], lang: Lang, var: &str, moved: &Range<usize>, lit: Option<Literal>, jsx: bool) -> Edit {
    let expr = lang.lookup(var);
    // Without `using System;`, C# needs the namespace.
    let expr = if lang == Lang::CSharp && !imports::csharp_uses_system(t) {
        format!("System.{expr}")
    } else {
        expr
    };
    let Some(l) = lit else {
        // Unquoted shell / YAML / PowerShell value.
        let text = match lang {
            Lang::Shell => format!("\"{expr}\""),
            _ => expr,
        };
        return Edit {
            range: moved.clone(),
            text,
        };
    };
    let text_of = |r: Range<usize>| String::from_utf8_lossy(&t[r]).into_owned();
    let prefix = text_of(l.body_start()..moved.start);
    let suffix = text_of(moved.end..l.close);
    let whole = prefix.is_empty() && suffix.is_empty();
    let q = l.quote() as char;
    let opener = l.prefix(t).to_string();
    let inline = |inner: String| Edit {
        range: moved.clone(),
        text: inner,
    };
    // A part of the literal as a literal of its own: same prefix and quotes.
    let part = |s: &str| format!("{opener}{}{s}{}", l.delim, l.close_delim);
    match lang {
        Lang::Shell if q == '"' => inline(format!("${{{var}}}")),
        Lang::Shell if whole => span(&l, format!("\"${{{var}}}\"")),
        Lang::Shell => inline(format!("'\"${{{var}}}\"'")),
        Lang::PowerShell if whole => span(&l, expr),
        Lang::PowerShell if q == '"' => inline(format!("$({expr})")),
        Lang::Yaml | Lang::Dockerfile => inline(expr),
        Lang::Terraform if whole => span(&l, expr),
        Lang::Terraform => inline(format!("${{{expr}}}")),
        Lang::JavaScript | Lang::TypeScript if q == '`' && !whole => inline(format!("${{{expr}}}")),
        Lang::CSharp if opener.contains('$') && !whole => inline(format!("{{{expr}}}")),
        Lang::Rust => {
            let next_is_method = t.get(l.span().end) == Some(&b'.');
            let value = if whole {
                format!("&{expr}")
            } else {
                let esc = |s: &str| s.replace('{', "{{").replace('}', "}}");
                format!(
                    "&format!({}, {expr})",
                    part(&format!("{}{{}}{}", esc(&prefix), esc(&suffix)))
                )
            };
            span(&l, if next_is_method { format!("({value})") } else { value })
        }
        _ => {
            let joined = if whole {
                expr
            } else {
                let mut parts = Vec::new();
                if !prefix.is_empty() {
                    parts.push(part(&prefix));
                }
                parts.push(expr);
                if !suffix.is_empty() {
                    parts.push(part(&suffix));
                }
                let joined = parts.join(" + ");
                // `"a{}b".format(x)`, `"%s…" % x`, `2 * "…"`: the operator took the whole
                // literal, so it takes the whole sum.
                let blank = |b: &&u8| !matches!(b, b' ' | b'\t');
                let after = t[l.span().end..].iter().find(blank);
                let before = t[..l.start].iter().rev().find(blank);
                if after.is_some_and(|b| b".[%*/".contains(b)) || before.is_some_and(|b| b"*%/-!~".contains(b)) {
                    format!("({joined})")
                } else {
                    joined
                }
            };
            // Python joins adjacent literals (`"a" "b"`): a lookup in their place needs `+`.
            let joined = if lang == Lang::Python {
                let (before, after) = literal::adjacent(t, &l.span());
                let lead = if before && prefix.is_empty() { "+ " } else { "" };
                let trail = if after && suffix.is_empty() { " +" } else { "" };
                format!("{lead}{joined}{trail}")
            } else {
                joined
            };
            span(&l, if jsx { format!("{{{joined}}}") } else { joined })
        }
    }
}

fn span(l: &Literal, text: String) -> Edit {
    Edit { range: l.span(), text }
}

/// Imports, declarations and keyword changes the lookup needs.
fn support_edits(t: &[u8], lang: Lang, var: &str, line_start: usize, line: &str) -> Vec<Edit> {
    let text = String::from_utf8_lossy(t);
    let indent_len = line.len() - line.trim_start().len();
    let keyword_at = line_start + indent_len;
    let insert = |at: usize, s: String| Edit { range: at..at, text: s };
    let mut out = Vec::new();
    match lang {
        Lang::Python if !imports::python_imports_os(&text) => {
            out.push(insert(imports::python_import_at(&text), "import os\n".into()))
        }
        Lang::Go => {
            if line.trim_start().starts_with("const ") {
                out.push(Edit {
                    range: keyword_at..keyword_at + 5,
                    text: "var".into(),
                });
            }
            if let Some(e) = imports::go_import(&text) {
                out.push(e);
            }
        }
        Lang::CSharp => {
            if let Some(i) = line.find("const ") {
                // A field becomes `static readonly`; a local simply stops being a constant.
                let field = context::csharp_is_field(t, line_start);
                out.push(Edit {
                    range: line_start + i..line_start + i + 6,
                    text: if field {
                        "static readonly ".into()
                    } else {
                        String::new()
                    },
                });
            }
        }
        Lang::Terraform if !text.contains(&format!("variable \"{var}\"")) => {
            let sep = if text.is_empty() || text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            out.push(insert(
                t.len(),
                format!("{sep}variable \"{var}\" {{\n  type      = string\n  sensitive = true\n}}\n"),
            ));
        }
        _ => {}
    }
    out
}
