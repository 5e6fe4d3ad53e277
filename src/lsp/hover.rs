//! Hover: a token's decoded breakdown in Markdown, the secret redacted. Editors show the
//! diagnostic's message next to the hover, so the summary sentence is not repeated: a
//! one-line heading, then the facts as a bullet list (Markdown tables with an empty header
//! row render badly in Neovim), then the rules.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use tower_lsp_server::ls_types::*;

use super::document::Document;
use super::position::{to_range, Encoding};
use crate::policy::breakdown::Breakdown;

/// Markdown-safe inline text: no line breaks, no emphasis or link syntax from the token.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub fn hover(doc: &Document, byte: usize, enc: Encoding, now: DateTime<Utc>) -> Option<Hover> {
    // Findings are sorted by start; tokens never overlap: bisect.
    let i = doc.findings.partition_point(|f| f.token.range.end < byte);
    let f = doc.findings[i..]
        .iter()
        .take_while(|f| f.token.range.start <= byte)
        .find(|f| byte <= f.token.range.end)?;
    let text = doc.rope.byte_slice(f.token.range.clone()).to_string();
    // The breakdown reads the secret from the text to redact it: give it the token alone.
    let mut local = f.token.clone();
    let base = f.token.range.start;
    local.secret = local.secret.start - base..local.secret.end - base;
    let b = Breakdown::new(text.as_bytes(), &local, now);
    let mut md = String::new();
    let _ = writeln!(
        md,
        "**sasguard: {}** · {} · `{}` {}\n",
        b.kind_label,
        f.severity,
        f.rule.id(),
        f.rule.name()
    );
    for (label, value) in b.lines().into_iter().filter(|(l, _)| *l != "Kind") {
        let indent = if label.starts_with("on ") { "  " } else { "" };
        let _ = writeln!(md, "{indent}- **{label}** {}", inline(&value));
    }
    let _ = writeln!(md, "\n**Rules**\n");
    for r in &f.fired {
        let _ = writeln!(
            md,
            "- `{}` {} ({}): {}",
            r.rule.id(),
            r.rule.name(),
            r.severity,
            r.reason
        );
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(to_range(&doc.rope, &f.token.range, enc)),
    })
}
