//! `--format sarif`: SARIF 2.1.0 with rule metadata, as GitHub code scanning accepts it,
//! streamed one result at a time; the invocation (with its notifications) follows them.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::emit::{pretty_at, Layout, Note};
use super::report::Located;
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

/// Results sit at depth 3: `{ "runs": [ { "results": [ {…} ] } ] }`.
pub const LAYOUT: Layout = Layout {
    first: "\n        ",
    next: ",\n        ",
};

fn rules() -> Value {
    Rule::ALL
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
        .collect()
}

/// Everything up to the first result: the tool and its rules.
pub fn header(out: &mut dyn Write, provenance: Option<Value>) -> io::Result<()> {
    let tool = json!({"driver": {
        "name": "sasguard",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": crate::policy::rules::DOCS_URL,
        "rules": rules(),
    }});
    let bases = json!({"%SRCROOT%": {"description": {"text": "The directory sasguard was run from."}}});
    out.write_all(b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": ")?;
    pretty_at(out, &tool, 6)?;
    out.write_all(b",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"originalUriBaseIds\": ")?;
    pretty_at(out, &bases, 6)?;
    if let Some(p) = provenance {
        out.write_all(b",\n      \"versionControlProvenance\": ")?;
        pretty_at(out, &p, 6)?;
    }
    out.write_all(b",\n      \"results\": [")
}

/// The result's message: the finding's, then the first step to revoke the token (every
/// step is in `properties.revoke`).
fn message(l: &Located) -> String {
    format!("{} Revoke: {}", l.finding.message(), l.revoke.line())
}

pub fn result(out: &mut dyn Write, path: &str, l: &Located) -> io::Result<()> {
    let f = &l.finding;
    let index = Rule::ALL.iter().position(|r| *r == f.rule).unwrap_or(0);
    let mut v = json!({
        "ruleId": f.rule.id(),
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": message(l)},
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
            "revoke": l.revoke,
        },
    });
    if !l.pieces.is_empty() {
        let n = l.pieces.len();
        v["relatedLocations"] = l
            .pieces
            .iter()
            .enumerate()
            .map(|(i, (s, e))| {
                json!({
                    "id": i + 1,
                    "message": {"text": format!("piece {} of {n} of this token", i + 1)},
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column},
                    },
                })
            })
            .collect();
    }
    if let Some(h) = &l.history {
        // The blob as it was added: code scanning links the commit; the token's
        // fingerprint (above) de-duplicates it across runs and commits.
        v["locations"][0]["properties"] = json!({"commit": h.first.id, "blob": h.blob});
        v["message"]["text"] = json!(format!(
            "{} (history: {})",
            f.message(),
            super::human::history_line(h, l.breakdown.time_left.as_deref())
        ));
        v["properties"]["history"] = json!(h.as_ref());
    }
    if l.in_file_name {
        // A path-only location: the secret is in the file's name, not in its text.
        let loc = &mut v["locations"][0]["physicalLocation"];
        if let Some(o) = loc.as_object_mut() {
            o.remove("region");
        }
        v["message"]["text"] = json!(format!(
            "{} (in the file name) Revoke: {}",
            f.message(),
            l.revoke.line()
        ));
        v["properties"]["in"] = json!("fileName");
    }
    pretty_at(out, &v, 8)
}

/// The repository a history scan read: where it came from (its `origin`, else the
/// folder), the commit `HEAD` was at and its branch.
pub fn provenance(top: &std::path::Path) -> Value {
    let git = |args: &[&str]| {
        crate::source::git::run(top, args, "--history")
            .ok()
            .map(|o| String::from_utf8_lossy(&o).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let uri = git(&["remote", "get-url", "origin"])
        .map(|u| crate::redact::scrub(&strip_credentials(&u)))
        .unwrap_or_else(|| format!("file://{}", uri(&top.display().to_string())));
    let mut p = json!({"repositoryUri": uri});
    if let Some(rev) = git(&["rev-parse", "-q", "--verify", "HEAD^{commit}"]) {
        p["revisionId"] = json!(rev);
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        p["branch"] = json!(branch);
    }
    json!([p])
}

/// `https://user:password@host/…` without `user:password@`.
fn strip_credentials(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (auth, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_string(),
    }
}

/// The end of the results, then the invocation with a notification per error.
pub fn footer(out: &mut dyn Write, notes: &[Note], records: usize) -> io::Result<()> {
    let notifications: Vec<Value> = notes
        .iter()
        .filter(|n| n.error)
        .map(|n| {
            json!({
                "level": "error",
                "message": {"text": format!("{}: {}", n.problem.path, n.problem.message)},
            })
        })
        .collect();
    let invocations = json!([{
        "executionSuccessful": notifications.is_empty(),
        "toolExecutionNotifications": notifications,
    }]);
    out.write_all(if records > 0 { b"\n      ],\n" } else { b"],\n" })?;
    out.write_all(b"      \"invocations\": ")?;
    pretty_at(out, &invocations, 6)?;
    out.write_all(b"\n    }\n  ]\n}\n")
}
