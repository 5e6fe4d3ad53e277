//! Findings as LSP diagnostics.

use std::str::FromStr;

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

pub fn diagnostic(doc: &Document, f: &Finding, enc: Encoding) -> Diagnostic {
    // An expired token no longer works: VS Code fades text tagged Unnecessary, which reads
    // as "dead" while the squiggle still asks for it to be removed.
    let tags = f
        .fired(Rule::Expired)
        .then(|| vec![DiagnosticTag::UNNECESSARY]);
    Diagnostic {
        range: to_range(&doc.rope, &f.token.range, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.id().to_string())),
        code_description: Uri::from_str(&f.rule.docs_url())
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("sasguard".into()),
        message: f.message(),
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
    doc.findings
        .iter()
        .map(|f| diagnostic(doc, f, enc))
        .collect()
}
