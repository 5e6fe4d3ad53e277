//! "Move to environment variable": the literal in the code becomes a lookup of `NAME` in
//! the file's language (only the secret part moves when the literal holds more), and
//! `NAME='value'` goes to `.env`. Pure: the caller reads `.env` and applies the edits.

mod dotenv;
mod lang;
mod literal;
mod name;

use std::ops::Range;

pub use dotenv::{parse as parse_dotenv, place, quote};
pub use lang::Lang;
pub use name::{assigned_name, fallback_name, upper_snake};

use super::Edit;
use crate::scan::{Token, TokenForm};
use literal::{enclosing, Literal};

/// What moving one token involves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvPlan {
    /// The variable's name in `.env` (Terraform's `TF_VAR_…` included).
    pub name: String,
    /// The exact text that leaves the source.
    pub value: String,
    /// Edits to the source file.
    pub source: Vec<Edit>,
    /// Text to append to `.env`; `None` when it already holds this variable and value.
    pub env_append: Option<String>,
}

/// Plans the move, or says why it cannot be done for this token and file.
pub fn plan(t: &[u8], token: &Token, language_id: &str, existing_env: &str) -> Result<EnvPlan, String> {
    let lang =
        Lang::from_id(language_id).ok_or_else(|| format!("no environment lookup for language `{language_id}`"))?;
    let moved = match (&token.form, &token.query) {
        (TokenForm::Url, Some(q)) => q.clone(),
        _ => token.range.clone(),
    };
    let value = String::from_utf8_lossy(&t[moved.clone()]).into_owned();
    if value.contains('\\') {
        return Err("the secret holds escape sequences; redact it instead".into());
    }
    let lit = enclosing(t, &moved);
    if lang.needs_literal() && lit.is_none() {
        return Err("the secret is not inside a string literal".into());
    }
    let line_start = t[..moved.start]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let line = String::from_utf8_lossy(&t[line_start..moved.start]).into_owned();
    let declared_const = {
        let l = line.trim_start();
        l.starts_with("const ")
            || l.starts_with("static ")
            || l.starts_with("pub const ")
            || l.starts_with("pub static ")
    };
    if lang == Lang::Rust && declared_const {
        return Err("a Rust const or static cannot read the environment; redact instead".into());
    }
    let name_at = lit.map_or(token.range.start, |l| l.start);
    let base = assigned_name(t, name_at).unwrap_or_else(|| fallback_name(token));
    let base = if lang == Lang::Terraform {
        format!("TF_VAR_{}", base.to_ascii_lowercase())
    } else {
        base
    };
    let (name, env_append) = place(existing_env, &base, &value);
    let var = if lang == Lang::Terraform {
        name.trim_start_matches("TF_VAR_").to_string()
    } else {
        name.clone()
    };
    let mut source = vec![replace(t, lang, &var, &moved, lit)];
    source.extend(support_edits(t, lang, &var, line_start, &line));
    Ok(EnvPlan {
        name,
        value,
        source,
        env_append,
    })
}

/// The main edit: the literal (or the moved part of it) becomes a lookup.
fn replace(t: &[u8], lang: Lang, var: &str, moved: &Range<usize>, lit: Option<Literal>) -> Edit {
    let expr = lang.lookup(var);
    let Some(l) = lit else {
        // Unquoted shell / YAML / Dockerfile / PowerShell value.
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
    let prefix = text_of(l.open + 1..moved.start);
    let suffix = text_of(moved.end..l.close);
    let whole = prefix.is_empty() && suffix.is_empty();
    let q = l.quote as char;
    let opener = text_of(l.start..l.open);
    let inline = |inner: String| Edit {
        range: moved.clone(),
        text: inner,
    };
    match lang {
        Lang::Shell if q == '"' => inline(format!("${{{var}}}")),
        Lang::Shell if whole => span(l, format!("\"${{{var}}}\"")),
        Lang::Shell => inline(format!("'\"${{{var}}}\"'")),
        Lang::PowerShell if whole => span(l, expr),
        Lang::PowerShell if q == '"' => inline(format!("$({expr})")),
        Lang::Yaml | Lang::Dockerfile => inline(expr),
        Lang::Terraform if whole => span(l, expr),
        Lang::Terraform => inline(format!("${{{expr}}}")),
        Lang::JavaScript | Lang::TypeScript if q == '`' && !whole => inline(format!("${{{expr}}}")),
        Lang::CSharp if opener.contains('$') && !whole => inline(format!("{{{expr}}}")),
        Lang::Rust => {
            let next_is_method = t.get(l.close + 1) == Some(&b'.');
            let value = if whole {
                format!("&{expr}")
            } else {
                let esc = |s: &str| s.replace('{', "{{").replace('}', "}}");
                format!("&format!(\"{}{{}}{}\", {expr})", esc(&prefix), esc(&suffix))
            };
            span(l, if next_is_method { format!("({value})") } else { value })
        }
        _ if whole => span(l, expr),
        _ => {
            let mut parts = Vec::new();
            if !prefix.is_empty() {
                parts.push(format!("{opener}{q}{prefix}{q}"));
            }
            parts.push(expr);
            if !suffix.is_empty() {
                parts.push(format!("{q}{suffix}{q}"));
            }
            span(l, parts.join(" + "))
        }
    }
}

fn span(l: Literal, text: String) -> Edit {
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
        Lang::Python if !python_imports_os(&text) => out.push(insert(python_import_at(&text), "import os\n".into())),
        Lang::Go => {
            if line.trim_start().starts_with("const ") {
                out.push(Edit {
                    range: keyword_at..keyword_at + 5,
                    text: "var".into(),
                });
            }
            if let Some(e) = go_import(&text) {
                out.push(e);
            }
        }
        Lang::CSharp => {
            if let Some(i) = line.find("const ") {
                out.push(Edit {
                    range: line_start + i..line_start + i + 5,
                    text: "static readonly".into(),
                });
            }
        }
        Lang::Dockerfile if !text.lines().any(|l| l.trim() == format!("ARG {var}")) => {
            out.push(insert(line_start, format!("{}ARG {var}\n", &line[..indent_len])));
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

fn python_imports_os(text: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix("import ")
            .is_some_and(|names| names.split(',').any(|n| n.trim() == "os"))
    })
}

/// Before the first top-level import, else after a shebang, encoding line or docstring.
fn python_import_at(text: &str) -> usize {
    let mut offset = 0;
    let mut after_header = 0;
    let mut in_doc: Option<&str> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if in_doc.is_none() && (trimmed.starts_with("import ") || trimmed.starts_with("from ")) {
            return offset;
        }
        if let Some(q) = in_doc {
            if trimmed.ends_with(q) {
                in_doc = None;
                after_header = offset + line.len();
            }
        } else if (i == 0 && trimmed.starts_with("#!"))
            || trimmed.starts_with("# -*-")
            || trimmed.starts_with("# coding")
        {
            after_header = offset + line.len();
        } else if after_header == offset && (trimmed.starts_with("\"\"\"") || trimmed.starts_with("'''")) {
            let q = &trimmed[..3];
            if trimmed.len() >= 6 && trimmed.ends_with(q) {
                after_header = offset + line.len();
            } else {
                in_doc = Some(q);
            }
        }
        offset += line.len();
    }
    after_header
}

fn go_import(text: &str) -> Option<Edit> {
    let imported = text.lines().any(|l| {
        let l = l.trim();
        l == "\"os\"" || l == "import \"os\"" || l.ends_with(" \"os\"")
    });
    if imported {
        return None;
    }
    let mut offset = 0;
    let mut package_end = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed == "import (" {
            let at = offset + line.len();
            return Some(Edit {
                range: at..at,
                text: "\t\"os\"\n".into(),
            });
        }
        if trimmed.starts_with("import ") {
            return Some(Edit {
                range: offset..offset,
                text: "import \"os\"\n".into(),
            });
        }
        if trimmed.starts_with("package ") && package_end.is_none() {
            package_end = Some(offset + line.len());
        }
        offset += line.len();
    }
    let at = package_end.unwrap_or(0);
    Some(Edit {
        range: at..at,
        text: "\nimport \"os\"\n".into(),
    })
}
