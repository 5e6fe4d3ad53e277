//! The "Move to environment variable" code action over LSP: finds the workspace folder
//! that holds the file, reads its `.env` and `.gitignore` (open documents first, else the
//! disk), and builds one `WorkspaceEdit`: create `.env` if needed (never overwriting),
//! append the variable, rewrite the source, and add `.env` to `.gitignore` unless git
//! already ignores it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::capabilities::ClientCaps;
use super::document::Document;
use super::position::{to_range, Encoding};
use crate::fix::envvar::{plan, EnvPlan};
use crate::policy::Finding;
use crate::source::gitignore::is_git_ignored;

/// A file the edit touches besides the source: its bytes now (`None` when it does not
/// exist), and its version when open.
#[derive(Debug, Clone)]
struct Side {
    uri: Uri,
    bytes: Option<Vec<u8>>,
    version: Option<i32>,
}

/// The file at `path` under `root`: the editor's text when open, else the disk's bytes
/// (any encoding). Refused when it is a link that leads out of the workspace folder, or
/// when it exists but cannot be read.
fn side(path: &Path, root: &Path, docs: &HashMap<Uri, Document>) -> Result<Side, String> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let uri = Uri::from_file_path(path).ok_or_else(|| format!("cannot name the {name} file"))?;
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        let inside = match (std::fs::canonicalize(path), std::fs::canonicalize(root)) {
            (Ok(target), Ok(root)) => target.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err(format!(
                "{name} is a link that leads out of the workspace folder; not written through"
            ));
        }
    }
    if let Some(d) = docs.get(&uri) {
        return Ok(Side {
            bytes: Some(d.text().into_bytes()),
            version: Some(d.version),
            uri,
        });
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {name}: {e}")),
    };
    Ok(Side {
        uri,
        bytes,
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
    let env = side(&env_path, root, docs)?;
    let gitignore = side(&root.join(".gitignore"), root, docs)?;
    let env_ignored = is_git_ignored(&env_path);
    let needs_create = env.bytes.is_none() || (!env_ignored && gitignore.bytes.is_none());
    if needs_create && !caps.create_files {
        return Err("the editor cannot create files and .env (or .gitignore) does not exist".into());
    }
    Ok(EnvTarget {
        env,
        gitignore,
        env_ignored,
    })
}

/// The plan for one finding (against an empty `.env` when no folder is known), or why the
/// action is not offered.
pub fn plan_for(doc: &Document, text: &str, f: &Finding, t: Option<&EnvTarget>) -> Result<EnvPlan, String> {
    let env = t.and_then(|t| t.env.bytes.as_deref()).unwrap_or_default();
    plan(text.as_bytes(), &f.token, &doc.language_id, env)
}

/// Why no file of this document's language gets the move, if none does.
pub fn language_reason(doc: &Document) -> Option<String> {
    crate::fix::envvar::language_reason(&doc.language_id)
}

/// The title of the action when it is shown disabled, with its reason.
pub const DISABLED_TITLE: &str = "Move to environment variable";

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

/// The length of `s` in the client's position units.
fn units(s: &str, enc: Encoding) -> u32 {
    let n = match enc {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.encode_utf16().count(),
        Encoding::Utf32 => s.chars().count(),
    };
    n as u32
}

/// Adds `line` as the file's last line, so that the file ends in exactly one line break in
/// VS Code and in Neovim alike. Neovim keeps a file's final line break outside its buffer
/// and writes it back, so text inserted after that break would leave an empty line; but it
/// drops such a line when the edit reaches past the buffer's end, where VS Code clamps.
/// Hence: an empty file gets `line⏎` over (0,0)–(1,0); a file ending in a line break gets
/// `⏎line` at the end of its last line; a file without one gets `⏎line⏎` from the end of
/// its last line to past it. A last line that is not UTF-8 (its length in the client's
/// units unknown) gets `line⏎` inserted at its start.
fn append_edit(side: &Side, line: &str, caps: &ClientCaps) -> TextEdit {
    let bytes = side.bytes.as_deref().unwrap_or_default();
    let eol = if bytes.windows(2).any(|w| w == b"\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let at = |l: usize, c: u32| Position::new(l as u32, c);
    if bytes.is_empty() {
        return TextEdit {
            range: Range::new(at(0, 0), at(1, 0)),
            new_text: format!("{line}{eol}"),
        };
    }
    let ends_with_break = bytes.ends_with(b"\n");
    let body = if ends_with_break {
        let b = &bytes[..bytes.len() - 1];
        b.strip_suffix(b"\r").unwrap_or(b)
    } else {
        bytes
    };
    let last_start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line_no = body[..last_start].iter().filter(|&&b| b == b'\n').count();
    let Ok(last) = std::str::from_utf8(&body[last_start..]) else {
        return TextEdit {
            range: Range::new(at(line_no, 0), at(line_no, 0)),
            new_text: format!("{line}{eol}"),
        };
    };
    let end = at(line_no, units(last, caps.encoding));
    if ends_with_break {
        TextEdit {
            range: Range::new(end, end),
            new_text: format!("{eol}{line}"),
        }
    } else {
        TextEdit {
            range: Range::new(end, at(line_no + 1, 0)),
            new_text: format!("{eol}{line}{eol}"),
        }
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
        files.push((t.env.clone(), t.env.bytes.is_none(), append_edit(&t.env, line, caps)));
    }
    if !t.env_ignored {
        files.push((
            t.gitignore.clone(),
            t.gitignore.bytes.is_none(),
            append_edit(&t.gitignore, ".env", caps),
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
