//! `sasguard explain`: a readable breakdown of a token, every rule it violates and how to
//! revoke it.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::policy::breakdown::Breakdown;
use crate::policy::evaluate;
use crate::policy::revoke::Revocation;
use crate::scan::scan;

/// The explanation, and whether any live token was found.
pub fn explain(text: &[u8], settings: &Settings, now: DateTime<Utc>) -> (String, bool) {
    let tokens = scan(text);
    if tokens.is_empty() {
        return (why_nothing(text), false);
    }
    let mut out = String::new();
    for (i, token) in tokens.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let b = Breakdown::new(text, &token, now);
        let revoke = Revocation::new(text, &token);
        let width = b.lines().iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        for (label, value) in b.lines() {
            let _ = writeln!(out, "{label:>width$}: {value}");
        }
        let finding = evaluate(token, settings, now);
        let revoke = revoke.after_expiry(finding.as_ref().and_then(|f| f.expiry), now);
        match finding {
            Some(f) => {
                let _ = writeln!(out, "\n{} ({})\n", f.summary, f.severity);
                for r in &f.fired {
                    let _ = writeln!(
                        out,
                        "  {} {:<22} {:<11} {}",
                        r.rule.id(),
                        r.rule.name(),
                        r.severity,
                        r.reason
                    );
                }
            }
            None => {
                let _ = writeln!(out, "\nNo enabled rule fires on this token.");
            }
        }
        write_revocation(&mut out, &revoke);
    }
    (out, true)
}

/// How to revoke the token: numbered steps with their commands, the note, prevention and
/// the page that documents it. Commands are printed, never run.
fn write_revocation(out: &mut String, r: &Revocation) {
    let _ = writeln!(out, "\nRevoke (commands to run yourself; sasguard runs nothing):");
    for (i, s) in r.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {}", i + 1, s.what);
        if let Some(c) = &s.command {
            let _ = writeln!(out, "     {c}");
        }
    }
    if let Some(note) = &r.note {
        let _ = writeln!(out, "  Note: {note}");
    }
    if !r.prevent.is_empty() {
        let _ = writeln!(out, "Prevent:");
        for s in &r.prevent {
            let _ = writeln!(out, "  - {}", s.what);
            if let Some(c) = &s.command {
                let _ = writeln!(out, "    {c}");
            }
        }
    }
    let _ = writeln!(out, "Docs: {}", r.docs);
}

/// Says why text that looks like a token is not judged.
fn why_nothing(text: &[u8]) -> String {
    let lower = String::from_utf8_lossy(text).to_ascii_lowercase();
    if lower.contains("sig=") || lower.contains("sig%3d") {
        "No live token: the sig parameter does not hold a real signature. A real one is base64 of exactly 32 bytes \
         (43 characters and `=`, written `%3D` in URLs); placeholders, samples and truncated values are not judged.\n"
            .to_string()
    } else if lower.contains("accountkey") || lower.contains("sharedaccesskey") {
        "No live key: a storage account key is base64 of 64 bytes (88 characters), a Service Bus key of 32 bytes \
         (44 characters); emulator keys and placeholders are not judged.\n"
            .to_string()
    } else {
        "No SAS token or key found: a SAS carries a sig parameter, a connection string AccountKey= or SharedAccessKey=.\n"
            .to_string()
    }
}
