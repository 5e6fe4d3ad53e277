//! Findings as LSP diagnostics.

use std::str::FromStr;
use std::sync::OnceLock;

use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::document::Document;
use super::position::{to_range, Encoding};
use crate::config::Severity;
use crate::policy::{Finding, Rule};

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => DiagnosticSeverity::HINT,
    }
}

/// Each rule's documentation link, parsed once.
fn docs_uri(rule: Rule) -> Option<Uri> {
    static URIS: OnceLock<Vec<Option<Uri>>> = OnceLock::new();
    let uris = URIS.get_or_init(|| Rule::ALL.iter().map(|r| Uri::from_str(&r.docs_url()).ok()).collect());
    uris[Rule::ALL.iter().position(|r| *r == rule)?].clone()
}

pub fn diagnostic(doc: &Document, f: &Finding, enc: Encoding) -> Diagnostic {
    // An expired token no longer works: VS Code fades text tagged Unnecessary, which reads
    // as "dead" while the squiggle still asks for it to be removed.
    let tags = f.fired(Rule::Expired).then(|| vec![DiagnosticTag::UNNECESSARY]);
    Diagnostic {
        range: to_range(&doc.rope, &f.token.range, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.id().to_string())),
        code_description: docs_uri(f.rule).map(|href| CodeDescription { href }),
        source: Some("sasguard".into()),
        message: f.message().to_string(),
        related_information: None,
        tags,
        // What code actions need to find the finding again; never the secret.
        data: Some(json!({
            "rule": f.rule.id(),
            "kind": f.token.kind,
            "fingerprint": f.token.fingerprint,
            "version": doc.version,
        })),
    }
}

pub fn diagnostics(doc: &Document, enc: Encoding) -> Vec<Diagnostic> {
    doc.findings.iter().map(|f| diagnostic(doc, f, enc)).collect()
}
