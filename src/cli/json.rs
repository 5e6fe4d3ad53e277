//! `--format json`: every finding with its position, rules, decoded breakdown and how to
//! revoke it, streamed
//! one object at a time; problems and the summary follow the findings.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::emit::{pretty_at, Layout, Note};
use super::report::{Located, Totals};
use crate::config::Severity;

/// Findings sit at depth 2: `{ "findings": [ {…} ] }`.
pub const LAYOUT: Layout = Layout {
    first: "\n    ",
    next: ",\n    ",
};

pub fn header(out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "{{\n  \"version\": {},\n  \"findings\": [",
        Value::from(env!("CARGO_PKG_VERSION"))
    )
}

pub fn finding(out: &mut dyn Write, path: &str, l: &Located) -> io::Result<()> {
    let f = &l.finding;
    let mut v = json!({
        "path": path,
        "line": l.start.line,
        "column": l.start.column,
        "endLine": l.end.line,
        "endColumn": l.end.column,
        "startByte": f.token.range.start,
        "endByte": f.token.range.end,
        "severity": f.severity,
        "rule": f.rule.id(),
        "ruleName": f.rule.name(),
        "message": f.message(),
        "rules": f.fired.iter().map(|r| json!({
            "id": r.rule.id(),
            "name": r.rule.name(),
            "severity": r.severity,
            "reason": r.reason,
        })).collect::<Vec<_>>(),
        "token": l.breakdown,
        "form": f.token.form,
        "revoke": l.revoke,
    });
    if !l.pieces.is_empty() {
        v["pieces"] = l
            .pieces
            .iter()
            .map(|(s, e)| json!({"line": s.line, "column": s.column, "endLine": e.line, "endColumn": e.column}))
            .collect();
    }
    if let Some(h) = &l.history {
        v["history"] = json!(h.as_ref());
    }
    if l.in_file_name {
        // The file as a whole: no line; the bytes are in the path as given.
        for k in ["line", "column", "endLine", "endColumn"] {
            v[k] = json!(0);
        }
        v["in"] = json!("fileName");
        v["message"] = json!(format!("{} (in the file name)", f.message()));
    }
    pretty_at(out, &v, 4)
}

pub fn footer(out: &mut dyn Write, t: &Totals, notes: &[Note], records: usize) -> io::Result<()> {
    let problems = |error: bool| -> Value {
        notes
            .iter()
            .filter(|n| n.error == error)
            .map(|n| json!({"path": n.problem.path, "message": n.problem.message}))
            .collect()
    };
    let summary = json!({
        "filesScanned": t.scanned,
        "filesWithFindings": t.with_findings,
        "binarySkipped": t.binary,
        "findings": t.total(),
        "error": t.count(Severity::Error),
        "warning": t.count(Severity::Warning),
        "information": t.count(Severity::Information),
        "hint": t.count(Severity::Hint),
    });
    out.write_all(if records > 0 { b"\n  ],\n" } else { b"],\n" })?;
    for (key, value) in [
        ("errors", problems(true)),
        ("skipped", problems(false)),
        ("summary", summary),
    ] {
        write!(out, "  \"{key}\": ")?;
        pretty_at(out, &value, 2)?;
        out.write_all(if key == "summary" { b"\n}\n" } else { b",\n" })?;
    }
    Ok(())
}
