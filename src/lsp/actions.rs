//! Code actions: redact (preferred), remove the SAS query, ignore with a comment, and
//! `source.fixAll.sasguard` (redact everything; works without `context.diagnostics`). A
//! call that mints a SAS gets, where its text allows, "Shorten the lifetime to …"
//! (`maxLifetime`) and "Allow HTTPS only", and the ignore comment.
//! Every edit is a `WorkspaceEdit` that honours the client's `documentChanges` support.

use std::collections::HashMap;
use std::ops::Range;

use tower_lsp_server::ls_types::*;

use super::capabilities::{ClientCaps, FIX_ALL};
use super::document::Document;
use super::env_action::{self, EnvTarget};
use super::position::{to_bytes, to_range};
use crate::fix::{self, Edit};
use crate::policy::{Finding, Rule};
use crate::scan::TokenKind;

/// Builds a `WorkspaceEdit` for one document's edits.
pub fn workspace_edit(uri: &Uri, doc: &Document, edits: &[Edit], caps: &ClientCaps) -> WorkspaceEdit {
    let text_edits: Vec<TextEdit> = edits
        .iter()
        .map(|e| TextEdit {
            range: to_range(&doc.rope, &e.range, caps.encoding),
            new_text: e.text.clone(),
        })
        .collect();
    if caps.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(doc.version),
                },
                edits: text_edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), text_edits)])),
            ..Default::default()
        }
    }
}

fn wants(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds
            .iter()
            .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str()))),
    }
}

fn redact_title(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::StorageAccountKey => "Redact storage account key",
        TokenKind::SharedAccessKey => "Redact shared access key",
        k if k.is_key() => "Redact access key",
        _ => "Redact SAS signature",
    }
}

pub fn code_actions(
    uri: &Uri,
    doc: &Document,
    params: &CodeActionParams,
    caps: &ClientCaps,
    env: Result<&EnvTarget, &str>,
    max_lifetime: i64,
) -> Vec<CodeActionOrCommand> {
    let only = params.context.only.as_ref();
    let mut out = Vec::new();
    let want: Range<usize> = to_bytes(&doc.rope, params.range, caps.encoding);
    let targets = near(doc, &want);
    // The whole text only when a token is there to fix (moving one reads the imports).
    let text = if targets.is_empty() { String::new() } else { doc.text() };
    let bytes = text.as_bytes();
    if wants(only, CodeActionKind::QUICKFIX.as_str()) {
        // Every token on the requested lines: editors ask at the cursor, which is often
        // beside the token rather than on it.
        let mut ignore_for_line: Option<(usize, Option<Edit>)> = None;
        for f in targets {
            let diags = matching(f, doc, &params.context.diagnostics, caps);
            let quickfix = |title: String, edits: Vec<Edit>, preferred: bool| {
                CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(diags.clone()),
                    edit: Some(workspace_edit(uri, doc, &edits, caps)),
                    is_preferred: preferred.then_some(true),
                    ..Default::default()
                })
            };
            // A call site that would mint a token holds no secret to redact or move.
            if f.token.mint().is_none() {
                out.push(quickfix(redact_title(f.token.kind).into(), fix::redact(&f.token), true));
                if let Some(e) = fix::remove_sas(bytes, &f.token) {
                    out.push(quickfix(
                        "Remove SAS token (keep the resource URL)".into(),
                        vec![e],
                        false,
                    ));
                }
                // The language's reason comes first, then the folder's, then the literal's: the
                // literal's place takes a scan of the file, only worth it where the move can be.
                let planned = match env {
                    Ok(t) => env_action::plan_for(doc, &text, f, Some(t)),
                    Err(reason) => Err(env_action::language_reason(doc).unwrap_or_else(|| reason.to_string())),
                };
                match (planned.as_ref().map_err(String::as_str), env) {
                    (Ok(p), Ok(t)) => out.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: env_action::title(p),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(diags.clone()),
                        edit: (!caps.resolve_edit).then(|| env_action::edit(uri, doc, p, t, caps)),
                        data: caps.resolve_edit.then(|| env_action::resolve_data(uri, doc, f)),
                        ..Default::default()
                    })),
                    // One disabled action per reason: tokens side by side share it.
                    (Err(reason), _) | (Ok(_), Err(reason)) if caps.disabled_actions => {
                        let shown = out.iter().any(|a| {
                            matches!(a, CodeActionOrCommand::CodeAction(CodeAction { disabled: Some(d), .. }) if d.reason == reason)
                        });
                        if !shown {
                            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                                title: env_action::DISABLED_TITLE.into(),
                                kind: Some(CodeActionKind::QUICKFIX),
                                diagnostics: Some(diags.clone()),
                                disabled: Some(CodeActionDisabled {
                                    reason: reason.to_string(),
                                }),
                                ..Default::default()
                            }))
                        }
                    }
                    (Err(reason), Ok(_)) => tracing::debug!("move to environment variable not offered: {reason}"),
                    (_, Err(reason)) => tracing::info!("move to environment variable not offered: {reason}"),
                }
            } else {
                // Only for a rule that fired (and is on), and only where the text allows.
                let fired = |r: Rule| f.fired.iter().any(|x| x.rule == r);
                let shorter = fired(Rule::LongLived)
                    .then(|| fix::mint::shorten_lifetime(bytes, &f.token, max_lifetime))
                    .flatten();
                if let Some(e) = shorter {
                    out.push(quickfix(fix::mint::lifetime_title(max_lifetime), vec![e], false));
                }
                let https = fired(Rule::HttpAllowed)
                    .then(|| fix::mint::https_only(bytes, &f.token))
                    .flatten();
                if let Some(e) = https {
                    out.push(quickfix(fix::mint::HTTPS_ONLY_TITLE.into(), vec![e], false));
                }
                // A template's storage account: its settings.
                let shared = fired(Rule::SharedKeyAccess)
                    .then(|| fix::posture::disallow_shared_key(bytes, &f.token))
                    .flatten();
                if let Some(e) = shared {
                    out.push(quickfix(fix::posture::SHARED_KEY_TITLE.into(), vec![e], false));
                }
                let policy = fired(Rule::NoSasExpirationPolicy)
                    .then(|| fix::posture::add_sas_policy(bytes, &f.token, max_lifetime))
                    .flatten();
                if let Some(e) = policy {
                    out.push(quickfix(fix::posture::sas_policy_title(max_lifetime), vec![e], false));
                }
            }
            // One comment serves every token of its line: read a (possibly long) line once.
            let line = doc.rope.byte_to_line(f.token.range.start);
            let ignore = match &ignore_for_line {
                Some((l, e)) if *l == line => e.clone(),
                _ => {
                    let e = fix::ignore_comment(bytes, &f.token, &doc.language_id);
                    ignore_for_line = Some((line, e.clone()));
                    e
                }
            };
            if let Some(e) = ignore {
                out.push(quickfix(ignore_title(doc, f), vec![e], false));
            }
        }
    }
    if wants(only, FIX_ALL) && doc.findings.iter().any(|f| !f.token.secret.is_empty()) {
        // Its edit grows with the findings: resolved only when chosen, where the client can.
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Redact every secret sasguard found in this file".into(),
            kind: Some(CodeActionKind::new(FIX_ALL)),
            edit: (!caps.resolve_edit).then(|| fix_all_edit(uri, doc, caps)),
            data: caps
                .resolve_edit
                .then(|| serde_json::json!({"action": "fixAll", "uri": uri.as_str(), "version": doc.version})),
            ..Default::default()
        }));
    }
    out
}

/// The edit of `source.fixAll.sasguard`: every finding's secret redacted.
pub fn fix_all_edit(uri: &Uri, doc: &Document, caps: &ClientCaps) -> WorkspaceEdit {
    let edits: Vec<Edit> = doc.findings.iter().flat_map(|f| fix::redact(&f.token)).collect();
    workspace_edit(uri, doc, &edits, caps)
}

/// Most tokens offered fixes when the cursor is beside them rather than on one.
const MAX_BESIDE: usize = 8;

/// The findings a request for `want` is about: those it touches; else, as editors ask at
/// the cursor, often beside a token, those on its lines (the nearest few on a long line).
/// Found by bisection: a line of thousands of tokens costs what its few near ones cost.
fn near<'a>(doc: &'a Document, want: &Range<usize>) -> Vec<&'a Finding> {
    let fs = &doc.findings;
    let touching = super::hover::touching(doc, want);
    if !touching.is_empty() {
        return touching;
    }
    let first_line = doc.rope.byte_to_line(want.start);
    let last_line = doc.rope.byte_to_line(want.end);
    let from = doc.rope.line_to_byte(first_line);
    let to = if last_line + 1 < doc.rope.len_lines() {
        doc.rope.line_to_byte(last_line + 1)
    } else {
        doc.rope.len_bytes()
    };
    let a = fs.partition_point(|f| f.token.range.start < from);
    let b = fs.partition_point(|f| f.token.range.start < to);
    if b - a <= MAX_BESIDE {
        return fs[a..b].iter().collect();
    }
    // The nearest ones on either side of the cursor.
    let at = fs[a..b].partition_point(|f| f.token.range.start < want.start) + a;
    let lo = at.saturating_sub(MAX_BESIDE / 2).max(a);
    fs[lo..(lo + MAX_BESIDE).min(b)].iter().collect()
}

/// The ignore comment reaches every token of its line (trailing, or on the line above): the
/// title says so when the line holds others.
fn ignore_title(doc: &Document, f: &Finding) -> String {
    let line = doc.rope.byte_to_line(f.token.range.start);
    let from = doc.rope.line_to_byte(line);
    let to = doc.rope.line_to_byte((line + 1).min(doc.rope.len_lines()));
    let fs = &doc.findings;
    let n = fs.partition_point(|g| g.token.range.start < to) - fs.partition_point(|g| g.token.range.start < from);
    if n > 1 {
        format!("Ignore the {n} tokens on this line (sasguard:ignore comment)")
    } else if f.token.mint().is_some_and(|m| m.posture.is_some()) {
        "Ignore this resource (sasguard:ignore comment)".into()
    } else if f.token.mint().is_some() {
        "Ignore this call (sasguard:ignore comment)".into()
    } else {
        "Ignore this token (sasguard:ignore comment)".into()
    }
}

/// The client's diagnostics that stand for `f`.
fn matching(f: &Finding, doc: &Document, diags: &[Diagnostic], caps: &ClientCaps) -> Vec<Diagnostic> {
    let range = super::diagnostics::shown_range(doc, f, caps.encoding);
    diags
        .iter()
        .filter(|d| d.source.as_deref() == Some("sasguard") && d.range == range)
        .cloned()
        .collect()
}
