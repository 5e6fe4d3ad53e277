//! `--format json`: every finding with its position, rules and decoded breakdown.

use serde_json::{json, Value};

use super::report::Report;

pub fn render(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .findings()
        .map(|(path, l)| {
            let f = &l.finding;
            json!({
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
            })
        })
        .collect();
    let problems = |v: &[super::report::Problem]| -> Vec<Value> {
        v.iter()
            .map(|p| json!({"path": p.path, "message": p.message}))
            .collect()
    };
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "findings": findings,
        "errors": problems(&report.errors),
        "skipped": problems(&report.skipped),
        "summary": {
            "filesScanned": report.scanned,
            "filesWithFindings": report.files.len(),
            "binarySkipped": report.binary,
            "findings": report.total(),
            "error": report.count(crate::config::Severity::Error),
            "warning": report.count(crate::config::Severity::Warning),
            "information": report.count(crate::config::Severity::Information),
            "hint": report.count(crate::config::Severity::Hint),
        },
    })
}
