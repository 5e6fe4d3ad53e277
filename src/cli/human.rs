//! The default report: `file:line:col: severity[rule]: message`, the source line with the
//! token underlined and secrets redacted, then every other rule that fired.

use std::fmt::Write;

use super::report::Report;
use crate::config::Severity;

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

pub fn render(report: &Report, style: &Style, quiet: bool) -> String {
    let mut out = String::new();
    for (path, l) in report.findings() {
        let f = &l.finding;
        let _ = writeln!(
            out,
            "{}: {}[{} {}]: {}",
            style.paint("1", &format!("{path}:{}:{}", l.start.line, l.start.column)),
            style.severity(f.severity),
            f.rule.id(),
            f.rule.name(),
            f.summary
        );
        let gutter = l.start.line.to_string();
        let pad = " ".repeat(gutter.len());
        let bar = style.paint("1;34", "|");
        let _ = writeln!(out, " {} {bar} {}", style.paint("1;34", &gutter), l.snippet.text);
        let (u0, ulen) = l.snippet.underline;
        let marks = style.paint("1;31", &"^".repeat(ulen));
        let _ = writeln!(out, " {pad} {bar} {}{marks}", " ".repeat(u0));
        for fired in &f.fired {
            let _ = writeln!(
                out,
                " {pad} = {} {} ({}): {}",
                fired.rule.id(),
                fired.rule.name(),
                fired.severity,
                fired.reason
            );
        }
        let _ = writeln!(out, " {pad} = fingerprint {}", l.breakdown.fingerprint);
        out.push('\n');
    }
    if !quiet {
        out.push_str(&summary(report));
    }
    out
}

/// `3 findings (2 errors, 1 warning) in 2 of 14 files; 1 skipped.`
pub fn summary(report: &Report) -> String {
    let total = report.total();
    let mut parts = Vec::new();
    for sev in [
        Severity::Error,
        Severity::Warning,
        Severity::Information,
        Severity::Hint,
    ] {
        let n = report.count(sev);
        if n > 0 {
            let word = match sev {
                Severity::Information => "info",
                s => s.as_str(),
            };
            parts.push(format!("{n} {word}{}", if n == 1 || word == "info" { "" } else { "s" }));
        }
    }
    let files = report.files.len();
    let mut s = if total == 0 {
        format!("No findings in {} file{}", report.scanned, plural(report.scanned))
    } else {
        format!(
            "{total} finding{} ({}) in {files} of {} file{}",
            plural(total),
            parts.join(", "),
            report.scanned,
            plural(report.scanned)
        )
    };
    let mut notes = Vec::new();
    if !report.skipped.is_empty() {
        notes.push(format!("{} skipped", report.skipped.len()));
    }
    if report.binary > 0 {
        notes.push(format!("{} binary skipped", report.binary));
    }
    if !report.errors.is_empty() {
        notes.push(format!("{} unreadable", report.errors.len()));
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
