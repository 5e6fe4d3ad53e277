//! Hover: a token's decoded breakdown in Markdown, the secret redacted. Editors show the
//! diagnostic's message next to the hover, so the summary sentence is not repeated: a
//! one-line heading, then the facts as a bullet list (Markdown tables with an empty header
//! row render badly in Neovim), then the rules, then how to revoke the token.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use tower_lsp_server::ls_types::*;

use super::document::Document;
use super::position::{to_range, Encoding};
use crate::policy::breakdown::Breakdown;
use crate::policy::revoke::Revocation;
use crate::policy::Finding;
use crate::scan::mint::MINT_MAX_LEN;

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

/// Inline code for a command: the fence is longer than any run of backticks inside it.
fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    format!("{fence} {s} {fence}")
}

/// The revocation section: steps with their commands, the note, prevention, the docs.
fn revocation(md: &mut String, r: &Revocation) {
    let _ = writeln!(md, "\n**Revoke** (commands to run yourself)\n");
    for (i, s) in r.steps.iter().enumerate() {
        match &s.command {
            Some(c) => {
                let _ = writeln!(md, "{}. {}: {}", i + 1, inline(&s.what), code(c));
            }
            None => {
                let _ = writeln!(md, "{}. {}", i + 1, inline(&s.what));
            }
        }
    }
    if let Some(note) = &r.note {
        let _ = writeln!(md, "\n{}", inline(note));
    }
    if !r.prevent.is_empty() {
        let _ = writeln!(md, "\n**Prevent**\n");
        for s in &r.prevent {
            match &s.command {
                Some(c) => {
                    let _ = writeln!(md, "- {}: {}", inline(&s.what), code(c));
                }
                None => {
                    let _ = writeln!(md, "- {}", inline(&s.what));
                }
            }
        }
    }
    let _ = writeln!(md, "\n[Microsoft Learn]({})", r.docs);
}

/// The findings whose range touches `want`, in order. Findings are sorted by start and
/// tokens never overlap one another, so they are found by bisection; a call site that mints
/// a token (at most [`MINT_MAX_LEN`] long) may hold tokens, and is looked for before.
pub fn touching<'a>(doc: &'a Document, want: &std::ops::Range<usize>) -> Vec<&'a Finding> {
    let fs = &doc.findings;
    let hits = |f: &&Finding| f.token.range.start <= want.end && f.token.range.end >= want.start;
    let lo = fs.partition_point(|f| f.token.range.end < want.start);
    let mut out: Vec<&Finding> = fs[lo..]
        .iter()
        .take_while(|f| f.token.range.start <= want.end)
        .filter(hits)
        .collect();
    let from = fs.partition_point(|f| f.token.range.start + MINT_MAX_LEN < want.start);
    let upto = fs.partition_point(|f| f.token.range.start <= want.end);
    for f in fs[from..upto].iter().filter(|f| f.token.mint().is_some()).filter(hits) {
        if !out.iter().any(|g| std::ptr::eq(*g, f)) {
            out.push(f);
        }
    }
    out.sort_by_key(|f| (f.token.range.start, f.token.secret.start));
    out
}

pub fn hover(doc: &Document, byte: usize, enc: Encoding, now: DateTime<Utc>) -> Option<Hover> {
    // The innermost: a key passed to a call that mints a token is its own finding.
    let f = touching(doc, &(byte..byte))
        .into_iter()
        .min_by_key(|f| f.token.range.len())?;
    let text = doc.rope.byte_slice(f.token.range.clone()).to_string();
    // The breakdown reads the secret from the text to redact it, the revocation the names
    // around it: give them the token alone.
    let mut local = f.token.clone();
    local.shift(-(f.token.range.start as isize));
    let b = Breakdown::new(text.as_bytes(), &local, now);
    let revoke = Revocation::new(text.as_bytes(), &local).after_expiry(f.expiry, now);
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
    revocation(&mut md, &revoke);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(to_range(&doc.rope, &f.token.range, enc)),
    })
}
