//! `--format sarif`: SARIF 2.1.0 with rule metadata, as GitHub code scanning accepts it.

use serde_json::{json, Value};

use super::report::Report;
use crate::config::Severity;
use crate::policy::Rule;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
        Severity::Off => "none",
    }
}

/// GitHub ranks security alerts by this score (0–10).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.5",
        Severity::Warning => "5.5",
        Severity::Information => "3.0",
        _ => "1.0",
    }
}

/// A relative path as a URI reference: `/` separators, reserved bytes percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn render(report: &Report) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.name(),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": r.help()},
                "help": {"text": r.help(), "markdown": format!("**{}** ({}): {}", r.name(), r.id(), r.help())},
                "helpUri": r.docs_url(),
                "defaultConfiguration": {"level": level(r.default_severity())},
                "properties": {
                    "tags": ["security", "secrets", "azure"],
                    "security-severity": security_severity(r.default_severity()),
                    "precision": "very-high",
                },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings()
        .map(|(path, l)| {
            let f = &l.finding;
            let index = Rule::ALL.iter().position(|r| *r == f.rule).unwrap_or(0);
            json!({
                "ruleId": f.rule.id(),
                "ruleIndex": index,
                "level": level(f.severity),
                "message": {"text": f.message()},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": l.start.line,
                            "startColumn": l.start.column,
                            "endLine": l.end.line,
                            "endColumn": l.end.column,
                            "snippet": {"text": l.snippet.text},
                        },
                    },
                }],
                "partialFingerprints": {"sasguardSecret/v1": l.breakdown.fingerprint},
                "properties": {
                    "severity": f.severity,
                    "rules": f.fired.iter().map(|r| r.rule.id()).collect::<Vec<_>>(),
                    "token": l.breakdown,
                },
            })
        })
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|p| {
            json!({
                "level": "error",
                "message": {"text": format!("{}: {}", p.path, p.message)},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sasguard",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::policy::rules::DOCS_URL,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory sasguard was run from."}}},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}
