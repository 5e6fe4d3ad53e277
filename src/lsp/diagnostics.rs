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

/// Where a finding is shown: its first piece (the whole token when it is one piece); for a
/// call site that mints a token, its first line (the call, not every argument).
pub fn shown_range(doc: &Document, f: &Finding, enc: Encoding) -> Range {
    let mut r = f.token.piece_ranges()[0].clone();
    if f.token.mint().is_some() {
        let line = doc.rope.byte_to_line(r.start);
        if line + 1 < doc.rope.len_lines() {
            let next = doc.rope.line_to_byte(line + 1);
            let mut end = next.min(r.end);
            while end > r.start && matches!(doc.rope.byte(end - 1), b'\n' | b'\r') {
                end -= 1;
            }
            r.end = end;
        }
    }
    to_range(&doc.rope, &r, enc)
}

/// Every piece of a token written in several, each with its place in the whole.
fn pieces(uri: &Uri, doc: &Document, f: &Finding, enc: Encoding) -> Option<Vec<DiagnosticRelatedInformation>> {
    let ranges = &f.token.pieces.as_ref()?.ranges;
    let n = ranges.len();
    Some(
        ranges
            .iter()
            .enumerate()
            .map(|(i, r)| DiagnosticRelatedInformation {
                location: Location {
                    uri: uri.clone(),
                    range: to_range(&doc.rope, r, enc),
                },
                message: format!("piece {} of {n} of this token", i + 1),
            })
            .collect(),
    )
}

pub fn diagnostic(uri: &Uri, doc: &Document, f: &Finding, enc: Encoding) -> Diagnostic {
    // An expired token no longer works: VS Code fades text tagged Unnecessary, which reads
    // as "dead" while the squiggle still asks for it to be removed.
    let tags = f.fired(Rule::Expired).then(|| vec![DiagnosticTag::UNNECESSARY]);
    Diagnostic {
        range: shown_range(doc, f, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.id().to_string())),
        code_description: docs_uri(f.rule).map(|href| CodeDescription { href }),
        source: Some("sasguard".into()),
        message: f.message().to_string(),
        related_information: pieces(uri, doc, f, enc),
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

pub fn diagnostics(uri: &Uri, doc: &Document, enc: Encoding) -> Vec<Diagnostic> {
    doc.findings.iter().map(|f| diagnostic(uri, doc, f, enc)).collect()
}
