//! The "Move to environment variable" code action over LSP: finds the workspace folder
//! that holds the file, reads its `.env` and `.gitignore` (open documents first, else the
//! disk), and builds one `WorkspaceEdit`: create `.env` if needed (never overwriting),
//! append the variable, rewrite the source, and add `.env` to `.gitignore` unless git
//! already ignores it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::capabilities::ClientCaps;
use super::document::Document;
use super::position::{to_position, to_range};
use crate::fix::envvar::{plan, EnvPlan};
use crate::gitignore::is_git_ignored;
use crate::policy::Finding;

/// A file the edit touches besides the source: its text now, and its version when open.
#[derive(Debug, Clone)]
struct Side {
    uri: Uri,
    text: Option<String>,
    version: Option<i32>,
}

fn side(path: &Path, docs: &HashMap<Uri, Document>) -> Option<Side> {
    let uri = Uri::from_file_path(path)?;
    if let Some(d) = docs.get(&uri) {
        return Some(Side {
            text: Some(d.text()),
            version: Some(d.version),
            uri,
        });
    }
    let text = std::fs::read_to_string(path).ok();
    Some(Side {
        uri,
        text,
        version: None,
    })
}

/// Everything the action needs to know about the workspace folder of one file.
pub struct EnvTarget {
    env: Side,
    gitignore: Side,
    env_ignored: bool,
}

/// The workspace folder holding `file` (the deepest one), its `.env` and `.gitignore`.
pub fn target(
    file: &Uri,
    roots: &[PathBuf],
    docs: &HashMap<Uri, Document>,
    caps: &ClientCaps,
) -> Result<EnvTarget, String> {
    let path = file.to_file_path().ok_or("the document is not a file")?;
    let root = roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())
        .ok_or("no workspace folder holds this file")?;
    let meta = std::fs::metadata(root).map_err(|e| format!("workspace folder {}: {e}", root.display()))?;
    if meta.permissions().readonly() {
        return Err(format!("workspace folder {} is read-only", root.display()));
    }
    let env_path = root.join(".env");
    let env = side(&env_path, docs).ok_or("cannot name the .env file")?;
    let gitignore = side(&root.join(".gitignore"), docs).ok_or("cannot name the .gitignore file")?;
    let env_ignored = is_git_ignored(&env_path);
    let needs_create = env.text.is_none() || (!env_ignored && gitignore.text.is_none());
    if needs_create && !caps.create_files {
        return Err("the editor cannot create files and .env (or .gitignore) does not exist".into());
    }
    Ok(EnvTarget {
        env,
        gitignore,
        env_ignored,
    })
}

/// The plan for one finding, or why the action is not offered.
pub fn plan_for(doc: &Document, text: &str, f: &Finding, t: &EnvTarget) -> Result<EnvPlan, String> {
    plan(
        text.as_bytes(),
        &f.token,
        &doc.language_id,
        t.env.text.as_deref().unwrap_or(""),
    )
}

pub fn title(p: &EnvPlan) -> String {
    format!("Move to environment variable `{}`", p.name)
}

/// What `codeAction/resolve` needs to find the finding again (never the secret).
pub fn resolve_data(uri: &Uri, doc: &Document, f: &Finding) -> serde_json::Value {
    json!({
        "action": "moveToEnv",
        "uri": uri.as_str(),
        "version": doc.version,
        "start": f.token.range.start,
        "fingerprint": f.token.fingerprint,
    })
}

fn append_edit(side: &Side, text: &str, caps: &ClientCaps) -> TextEdit {
    let rope = Rope::from_str(side.text.as_deref().unwrap_or(""));
    let end = to_position(&rope, rope.len_bytes(), caps.encoding);
    TextEdit {
        range: Range::new(end, end),
        new_text: text.to_string(),
    }
}

fn file_edit(side: &Side, edits: Vec<TextEdit>) -> DocumentChangeOperation {
    DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: side.uri.clone(),
            version: side.version,
        },
        edits: edits.into_iter().map(OneOf::Left).collect(),
    })
}

fn create(side: &Side) -> DocumentChangeOperation {
    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
        uri: side.uri.clone(),
        options: Some(CreateFileOptions {
            overwrite: Some(false),
            ignore_if_exists: Some(true),
        }),
        annotation_id: None,
    }))
}

/// The whole edit: source, `.env`, `.gitignore`.
pub fn edit(uri: &Uri, doc: &Document, p: &EnvPlan, t: &EnvTarget, caps: &ClientCaps) -> WorkspaceEdit {
    let source: Vec<TextEdit> = p
        .source
        .iter()
        .map(|e| TextEdit {
            range: to_range(&doc.rope, &e.range, caps.encoding),
            new_text: e.text.clone(),
        })
        .collect();
    let mut files: Vec<(Side, bool, TextEdit)> = Vec::new();
    if let Some(line) = &p.env_append {
        files.push((t.env.clone(), t.env.text.is_none(), append_edit(&t.env, line, caps)));
    }
    if !t.env_ignored {
        let existing = t.gitignore.text.as_deref().unwrap_or("");
        let sep = if existing.is_empty() || existing.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let line = format!("{sep}.env\n");
        files.push((
            t.gitignore.clone(),
            t.gitignore.text.is_none(),
            append_edit(&t.gitignore, &line, caps),
        ));
    }
    if caps.document_changes {
        let mut ops = Vec::new();
        for (side, missing, _) in &files {
            if *missing {
                ops.push(create(side));
            }
        }
        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(doc.version),
            },
            edits: source.into_iter().map(OneOf::Left).collect(),
        }));
        for (side, _, e) in files {
            ops.push(file_edit(&side, vec![e]));
        }
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(ops)),
            ..Default::default()
        }
    } else {
        let mut changes = HashMap::from([(uri.clone(), source)]);
        for (side, _, e) in files {
            changes.entry(side.uri.clone()).or_default().push(e);
        }
        WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }
    }
}
