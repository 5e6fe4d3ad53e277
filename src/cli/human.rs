//! The default report: `file:line:col: severity[rule]: message`, the source line with the
//! token underlined and secrets redacted, then every other rule that fired and the first
//! step to revoke it.

use std::io::{self, Write};

use super::report::{Located, Totals};
use crate::config::Severity;
use crate::source::provenance::{CommitInfo, Provenance};

pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Information => "1;34",
            _ => "1;36",
        };
        self.paint(code, sev.as_str())
    }
}

/// One finding, with a blank line after it.
pub fn finding(out: &mut dyn Write, style: &Style, path: &str, l: &Located) -> io::Result<()> {
    let f = &l.finding;
    let (place, gutter, note) = if l.in_file_name {
        (path.to_string(), "name".to_string(), " (in the file name)")
    } else if let Some(h) = &l.history {
        (
            format!("{}:{path}:{}:{}", h.first.short, l.start.line, l.start.column),
            l.start.line.to_string(),
            "",
        )
    } else {
        (
            format!("{path}:{}:{}", l.start.line, l.start.column),
            l.start.line.to_string(),
            "",
        )
    };
    writeln!(
        out,
        "{}: {}[{} {}]: {}{note}",
        style.paint("1", &place),
        style.severity(f.severity),
        f.rule.id(),
        f.rule.name(),
        f.summary
    )?;
    let pad = " ".repeat(gutter.len());
    let bar = style.paint("1;34", "|");
    writeln!(out, " {} {bar} {}", style.paint("1;34", &gutter), l.snippet.text)?;
    let (u0, ulen) = l.snippet.underline;
    let marks = style.paint("1;31", &"^".repeat(ulen));
    writeln!(out, " {pad} {bar} {}{marks}", " ".repeat(u0))?;
    for fired in &f.fired {
        writeln!(
            out,
            " {pad} = {} {} ({}): {}",
            fired.rule.id(),
            fired.rule.name(),
            fired.severity,
            fired.reason
        )?;
    }
    if !l.pieces.is_empty() {
        let at: Vec<String> = l
            .pieces
            .iter()
            .map(|(s, _)| format!("{}:{}", s.line, s.column))
            .collect();
        writeln!(out, " {pad} = written in {} pieces, at {}", at.len(), at.join(", "))?;
    }
    if let Some(h) = &l.history {
        writeln!(
            out,
            " {pad} = history: {}",
            history_line(h, l.breakdown.time_left.as_deref())
        )?;
        if h.paths.len() > 1 {
            writeln!(out, " {pad} = also added as {}", h.paths[1..].join(", "))?;
        }
    }
    writeln!(out, " {pad} = revoke: {}", l.revoke.line())?;
    writeln!(out, " {pad} = fingerprint {}", l.breakdown.fingerprint)?;
    writeln!(out)
}

/// Where a blob of the history came from, whether `HEAD` still holds it, and, when it
/// does not, whether the token is still good for anything (`time_left` as the breakdown
/// says it; none for a key, which lasts until it is rotated).
pub fn history_line(h: &Provenance, time_left: Option<&str>) -> String {
    let commit = |c: &CommitInfo| {
        format!(
            "{} ({}) \"{}\"",
            c.short,
            c.date.get(..10).unwrap_or(&c.date),
            c.summary
        )
    };
    let valid = match time_left {
        Some(t) if t.starts_with("expired") => t.to_string(),
        Some(t) => format!("still valid for {t}: deleting it did not revoke it"),
        None => "valid until revoked: deleting it did not revoke it".to_string(),
    };
    let now = match (&h.at_head, &h.removed_in) {
        (true, _) => "still in HEAD".to_string(),
        (false, Some(c)) => format!("removed from HEAD in {}, {valid}", commit(c)),
        (false, None) => format!("never in HEAD's history (other refs only), {valid}"),
    };
    format!(
        "added in {}; {now}; in {} commit{}",
        commit(&h.first),
        h.commits,
        if h.commits == 1 { "" } else { "s" }
    )
}

/// `3 findings (2 errors, 1 warning) in 2 of 14 files; 1 skipped.`, counting `unit`s
/// (files, or the blobs of a history).
pub fn summary(t: &Totals, unit: &str) -> String {
    let total = t.total();
    let mut parts = Vec::new();
    for sev in [
        Severity::Error,
        Severity::Warning,
        Severity::Information,
        Severity::Hint,
    ] {
        let n = t.count(sev);
        if n > 0 {
            let word = match sev {
                Severity::Information => "info",
                s => s.as_str(),
            };
            parts.push(format!("{n} {word}{}", if n == 1 || word == "info" { "" } else { "s" }));
        }
    }
    let mut s = if total == 0 {
        format!("No findings in {} {unit}{}", t.scanned, plural(t.scanned))
    } else {
        format!(
            "{total} finding{} ({}) in {} of {} {unit}{}",
            plural(total),
            parts.join(", "),
            t.with_findings,
            t.scanned,
            plural(t.scanned)
        )
    };
    let mut notes = Vec::new();
    if t.skipped > 0 {
        notes.push(format!("{} skipped", t.skipped));
    }
    if t.binary > 0 {
        notes.push(format!("{} binary skipped", t.binary));
    }
    if t.errors > 0 {
        notes.push(format!("{} unreadable", t.errors));
    }
    if !notes.is_empty() {
        s += &format!("; {}", notes.join(", "));
    }
    s.push_str(".\n");
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
