//! Fixes as byte-range replacements, computed from the text (never from a stored secret):
//! redact the signature, remove the SAS query, or add a suppression comment in the file's
//! comment syntax; for a call that mints a SAS, shorten its lifetime or allow HTTPS only
//! ([`mint`]).

mod comments;
pub mod envvar;
pub mod mint;
mod multiline;
pub mod posture;

use std::ops::Range;

pub use comments::{comment_style, CommentStyle};

use crate::policy::is_suppressed;
use crate::scan::Token;

/// Replace `range` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// What a redacted signature or key reads as afterwards.
pub const REDACTED: &str = "REDACTED";

/// Replaces the signature (or key) value with `REDACTED`, keeping the rest readable: each
/// piece of a secret written in several.
pub fn redact(token: &Token) -> Vec<Edit> {
    token
        .secret_pieces()
        .into_iter()
        .map(|range| Edit {
            range,
            text: REDACTED.to_string(),
        })
        .collect()
}

/// Keeps only the resource URL of a SAS URL: `https://acct.blob…/c/b?sv=…&sig=…` becomes
/// `https://acct.blob…/c/b`. `None` when the token is not a URL.
pub fn remove_sas(text: &[u8], token: &Token) -> Option<Edit> {
    let url = token.resource_url.clone()?;
    Some(Edit {
        range: token.range.clone(),
        text: String::from_utf8_lossy(&text[url]).into_owned(),
    })
}

/// Adds `sasguard:ignore` as a trailing comment where the language allows one, else
/// `sasguard:ignore-next-line` on a line of its own above. `None` for languages without
/// comments (JSON), for a token on a line inside (or ending inside) a construct that spans
/// lines (a triple-quoted string, a template literal, a heredoc, a fenced code block: the
/// comment would be data), and when the comment would not suppress the token (a line whose
/// quotes leave the comment inside a string), or where the line is continued by a backslash
/// (from or onto it): only an edit that works is offered.
pub fn ignore_comment(text: &[u8], token: &Token, language_id: &str) -> Option<Edit> {
    let style = comment_style(language_id)?;
    let pos = token.range.start.min(text.len());
    let line_start = text[..pos]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let line_end = text[pos..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |i| pos + i);
    if multiline::spans_lines(text, line_start..line_end, language_id) {
        return None;
    }
    let line = &text[line_start..line_end];
    let token_in_line = pos - line_start..token.range.end.min(line_end) - line_start;
    // A line continued by a backslash takes no comment after it, nor a line between it and
    // its continuation (Python, shell, C macros).
    let continued = |l: &[u8]| l.trim_ascii_end().ends_with(b"\\");
    let mut prev_end = line_start.saturating_sub(1);
    if prev_end > 0 && text[prev_end] == b'\n' && text[prev_end - 1] == b'\r' {
        prev_end -= 1;
    }
    let prev_start = text[..prev_end]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let prev_line = &text[prev_start..prev_end];
    if style.trailing && !continued(line) {
        let mut end = line_end;
        while end > line_start && (text[end - 1] == b' ' || text[end - 1] == b'\t') {
            end -= 1;
        }
        let edit = Edit {
            range: end..end,
            text: format!(" {}", style.wrap("sasguard:ignore")),
        };
        let mut after = line.to_vec();
        after.splice(end - line_start..end - line_start, edit.text.bytes());
        if is_suppressed(&after, &token_in_line) {
            return Some(edit);
        }
    }
    if continued(prev_line) {
        return None;
    }
    let indent_len = line.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let indent = String::from_utf8_lossy(&line[..indent_len]);
    let eol = match (text.get(line_end), text.get(line_end + 1)) {
        (Some(b'\r'), Some(b'\n')) => "\r\n",
        (Some(b'\r'), _) => "\r",
        _ => "\n",
    };
    let edit = Edit {
        range: line_start..line_start,
        text: format!("{indent}{}{eol}", style.wrap("sasguard:ignore-next-line")),
    };
    let after = [edit.text.as_bytes(), line].concat();
    let shifted = token_in_line.start + edit.text.len()..token_in_line.end + edit.text.len();
    is_suppressed(&after, &shifted).then_some(edit)
}

/// Applies non-overlapping edits to `text` (for tests and the CLI).
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in sorted {
        out.replace_range(e.range.clone(), &e.text);
    }
    out
}
