//! The routing table: one short method per LSP message, delegating to the modules that do
//! the work.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Utc;
use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::actions::{code_actions, fix_all_edit};
use super::capabilities::{server_capabilities, ClientCaps, SCAN_WORKSPACE};
use super::diagnostics::diagnostics;
use super::document::{Context, Document};
use super::env_action;
use super::hover::hover;
use super::position::{to_byte, to_bytes};
use super::settings::{file_as_json, unwrap_section};
use super::state::State;
use super::workspace::{analyze_file, list_files};
use crate::config::CONFIG_FILE;
use crate::redact::scrub;

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    /// The state, shared (`serve` reads whether `shutdown` came once the server is done).
    pub fn shared_state(&self) -> Arc<Mutex<State>> {
        self.state.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs synchronous work so that a bug in it cannot take the server down: a panic is
    /// logged (by the hook), shown to the user, and the server carries on.
    async fn guarded<T>(&self, what: &str, f: impl FnOnce() -> T) -> Option<T> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            Ok(v) => Some(v),
            Err(_) => {
                let msg = format!("sasguard: internal error while {what}; the server continues (details in its log)");
                self.client.show_message(MessageType::ERROR, msg).await;
                None
            }
        }
    }

    /// Publishes a document's diagnostics when the client does not pull them.
    async fn publish(&self, uri: &Uri) {
        let msg = {
            let st = self.state();
            if st.caps.pull {
                return;
            }
            st.docs
                .get(uri)
                .map(|d| (diagnostics_of(uri, d, st.caps.encoding), d.version))
        };
        if let Some((diags, version)) = msg {
            self.client.publish_diagnostics(uri.clone(), diags, Some(version)).await;
        }
    }

    async fn warn(&self, messages: Vec<String>) {
        for m in messages {
            // Warnings name what the user wrote: never a secret, whatever channel it came by.
            let m = scrub(&m);
            tracing::warn!("{m}");
            self.client
                .show_message(MessageType::WARNING, format!("sasguard: {m}"))
                .await;
        }
    }

    /// Re-analyses every open document after a settings change.
    async fn reanalyze_all(&self) {
        let (uris, pull, refresh) = {
            let mut guard = self.state();
            let st = &mut *guard;
            let ctx = Context {
                settings: &st.resolved.settings,
                now: Utc::now(),
            };
            for (uri, d) in st.docs.iter_mut() {
                d.ignored = ignored_by_git(uri, ctx.settings);
                d.analyze_all(ctx);
            }
            (
                st.docs.keys().cloned().collect::<Vec<_>>(),
                st.caps.pull,
                st.caps.pull_refresh,
            )
        };
        if pull {
            if refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else {
            for uri in uris {
                self.publish(&uri).await;
            }
        }
    }

    /// Asks the client for the `sasguard` section and applies it.
    async fn pull_configuration(&self) {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("sasguard".into()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(mut values) if !values.is_empty() => {
                let v = values.remove(0);
                if !v.is_null() {
                    self.apply_editor_settings(v).await;
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("workspace/configuration failed: {}", e.message),
        }
    }

    async fn apply_editor_settings(&self, v: Value) {
        let warnings = {
            let mut st = self.state();
            st.editor_settings = unwrap_section(v);
            st.reresolve()
        };
        self.warn(warnings).await;
        self.reanalyze_all().await;
    }

    fn note_too_large(&self, uri: &Uri) {
        let mut st = self.state();
        let large = st.docs.get(uri).is_some_and(|d| d.too_large);
        if large && st.noted_too_large.insert(uri.clone()) {
            let limit = st.resolved.settings.max_file_size;
            tracing::info!(
                "{} is larger than maxFileSize ({limit}); it is not analysed",
                scrub(uri.as_str())
            );
        }
    }

    async fn scan_workspace(&self, token: Option<ProgressToken>) -> Result<Option<LSPAny>> {
        let (roots, settings, open, progress) = {
            let st = self.state();
            let open: HashSet<PathBuf> = st
                .docs
                .keys()
                .filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
                .collect();
            (
                st.roots.clone(),
                st.resolved.settings.clone(),
                open,
                st.caps.work_done_progress,
            )
        };
        let token = match token {
            Some(t) => Some(t),
            None if progress => {
                let t = ProgressToken::String(format!("sasguard-scan-{}", Utc::now().timestamp_millis()));
                self.client.create_work_done_progress(t.clone()).await.ok().map(|_| t)
            }
            None => None,
        };
        let ongoing = match token {
            Some(t) => Some(
                self.client
                    .progress(t, "sasguard: scanning workspace")
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            None => None,
        };
        let listing = {
            let (roots, settings, open) = (roots.clone(), settings.clone(), open.clone());
            tokio::task::spawn_blocking(move || list_files(&roots, &settings, &open)).await
        };
        let (files, mut problems) = listing.map_err(internal)?;
        let total = files.len().max(1);
        let mut found = 0;
        let mut with_findings = HashSet::new();
        for (i, chunk) in files.chunks(64).enumerate() {
            let chunk: Vec<PathBuf> = chunk.to_vec();
            let s = settings.clone();
            let now = Utc::now();
            let results = tokio::task::spawn_blocking(move || {
                chunk
                    .into_iter()
                    .map(|p| (analyze_file(&p, &s, now), p))
                    .collect::<Vec<_>>()
            })
            .await
            .map_err(internal)?;
            let enc = self.state().caps.encoding;
            for (result, path) in results {
                match result {
                    Ok(Some(doc)) if !doc.findings.is_empty() => {
                        let Some(uri) = Uri::from_file_path(&path) else {
                            continue;
                        };
                        found += doc.findings.len();
                        with_findings.insert(uri.clone());
                        let diags = diagnostics(&uri, &doc, enc);
                        self.client.publish_diagnostics(uri, diags, None).await;
                    }
                    Ok(_) => {}
                    Err(message) => problems.push(crate::source::walk::Problem {
                        path: path.display().to_string(),
                        message,
                    }),
                }
            }
            if let Some(p) = &ongoing {
                let done = ((i + 1) * 64).min(files.len());
                p.report_with_message(format!("{done}/{} files", files.len()), (done * 100 / total) as u32)
                    .await;
            }
        }
        // Clear files that had findings before and have none now.
        let stale: Vec<Uri> = {
            let mut st = self.state();
            let stale = st.pushed_closed.difference(&with_findings).cloned().collect();
            st.pushed_closed = with_findings;
            stale
        };
        for uri in stale {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        for p in &problems {
            tracing::warn!("workspace scan: {}: {}", p.path, p.message);
        }
        if let Some(p) = ongoing {
            p.finish_with_message(format!("{found} findings in {} files", files.len()))
                .await;
        }
        Ok(Some(
            json!({"files": files.len(), "findings": found, "errors": problems.len()}),
        ))
    }

    /// The framing guard dropped a `didChange` it could not decode (see
    /// [`super::transport::LOST_CHANGE`]): the document is out of step until the editor
    /// sends its whole text; its diagnostics are withdrawn.
    pub async fn lost_change(&self, params: LostChange) {
        let newly = {
            let mut st = self.state();
            st.docs
                .get_mut(&params.uri)
                .is_some_and(|doc| !std::mem::replace(&mut doc.out_of_sync, true))
        };
        if newly {
            self.lost_step(&params.uri, "a change could not be read").await;
        }
    }

    /// Tells the user (and the log) that a document is out of step, and withdraws its
    /// diagnostics. The URI is scrubbed: its query may hold a SAS.
    async fn lost_step(&self, uri: &Uri, why: &str) {
        self.warn(vec![format!(
            "{}: {why}; its findings are withdrawn until the editor sends its whole text again (reopen the file)",
            scrub(uri.as_str())
        )])
        .await;
        self.publish(uri).await;
    }
}

/// What a `didChange` did.
enum Change {
    Applied,
    /// The document just went out of step with the editor.
    LostStep,
    /// Nothing (the document is not open, or is already out of step).
    Ignored,
}

/// The parameters of [`Backend::lost_change`].
#[derive(Debug, serde::Deserialize)]
pub struct LostChange {
    pub uri: Uri,
}

/// Files git ignores (such as `.env`) are where secrets belong: not analysed by default.
fn ignored_by_git(uri: &Uri, settings: &crate::config::Settings) -> bool {
    !settings.scan_git_ignored
        && uri
            .to_file_path()
            .is_some_and(|p| crate::source::gitignore::is_git_ignored(&p))
}

/// A document's diagnostics; none while it is out of step with the editor (they would
/// point into text the editor does not have).
fn diagnostics_of(uri: &Uri, doc: &Document, enc: super::position::Encoding) -> Vec<Diagnostic> {
    if doc.out_of_sync {
        Vec::new()
    } else {
        diagnostics(uri, doc, enc)
    }
}

/// The answer to a request about a document out of step: the editor drops the result
/// and asks again once it has sent the whole text.
fn content_modified() -> Error {
    Error {
        code: ErrorCode::ContentModified,
        message: "the document is out of step with the editor; sasguard waits for its whole text".into(),
        data: None,
    }
}

/// True when an open `.env` or `.gitignore` (files "Move to environment variable" appends
/// to, at their end) is out of step: its end is not known.
fn env_files_out_of_sync(docs: &std::collections::HashMap<Uri, Document>) -> bool {
    docs.iter().any(|(u, d)| {
        d.out_of_sync
            && u.to_file_path()
                .is_some_and(|p| matches!(p.file_name().and_then(|n| n.to_str()), Some(".env" | ".gitignore")))
    })
}

fn internal(e: impl std::fmt::Display) -> Error {
    let mut err = Error::internal_error();
    err.message = e.to_string().into();
    err
}

fn roots_of(params: &InitializeParams) -> Vec<PathBuf> {
    let folders = params.workspace_folders.iter().flatten().map(|f| &f.uri);
    #[allow(deprecated)]
    let root = params.root_uri.iter();
    folders
        .chain(root)
        .filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
        .fold(Vec::new(), |mut v, p| {
            if !v.contains(&p) {
                v.push(p);
            }
            v
        })
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = ClientCaps::from(&params);
        let roots = roots_of(&params);
        let mut st = self.state();
        st.caps = caps;
        st.roots = roots;
        if let Some(root) = st.roots.first() {
            let file = root.join(CONFIG_FILE);
            if file.is_file() {
                match file_as_json(&file) {
                    Ok(v) => st.file_settings = v,
                    Err(e) => st.pending_messages.push(format!("{e} (the file is ignored)")),
                }
            }
        }
        st.editor_settings = unwrap_section(params.initialization_options.unwrap_or(Value::Null));
        let warnings = st.reresolve();
        st.pending_messages.extend(warnings);
        tracing::info!(
            "initialized: encoding {:?}, {} diagnostics, {} workspace folder(s)",
            caps.encoding,
            if caps.pull { "pull" } else { "push" },
            st.roots.len()
        );
        Ok(InitializeResult {
            capabilities: server_capabilities(&caps),
            server_info: Some(ServerInfo {
                name: "sasguard".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (messages, caps) = {
            let mut st = self.state();
            (std::mem::take(&mut st.pending_messages), st.caps)
        };
        self.warn(messages).await;
        if caps.dynamic_configuration {
            let reg = Registration {
                id: "sasguard-configuration".into(),
                method: "workspace/didChangeConfiguration".into(),
                register_options: None,
            };
            if let Err(e) = self.client.register_capability(vec![reg]).await {
                tracing::debug!("registering for configuration changes failed: {}", e.message);
            }
        }
        if caps.configuration {
            self.pull_configuration().await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state().shutting_down = true;
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let clear_pushed = self
            .guarded("opening a document", || {
                let mut guard = self.state();
                let st = &mut *guard;
                let ctx = Context {
                    settings: &st.resolved.settings,
                    now: Utc::now(),
                };
                let ignored = ignored_by_git(&td.uri, ctx.settings);
                let doc = Document::open(&td.text, td.version, &td.language_id, ignored, ctx);
                st.docs.insert(td.uri.clone(), doc);
                st.caps.pull && st.pushed_closed.remove(&td.uri)
            })
            .await;
        let Some(clear_pushed) = clear_pushed else { return };
        self.note_too_large(&td.uri);
        if clear_pushed {
            // Its workspace-scan diagnostics were pushed; the client pulls from now on.
            self.client.publish_diagnostics(td.uri.clone(), Vec::new(), None).await;
        }
        self.publish(&td.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let outcome = self
            .guarded("applying a change", || {
                let mut guard = self.state();
                let st = &mut *guard;
                let enc = st.caps.encoding;
                let ctx = Context {
                    settings: &st.resolved.settings,
                    now: Utc::now(),
                };
                let Some(doc) = st.docs.get_mut(&uri) else {
                    tracing::warn!("didChange for a document that is not open: {}", scrub(uri.as_str()));
                    return Change::Ignored;
                };
                if version < doc.version {
                    // Versions only grow: the editor's text is not the one the server holds
                    // (a change came out of order, or the editor started over). Applying
                    // this, or dropping it and carrying on, leaves the two texts different.
                    if doc.out_of_sync {
                        return Change::Ignored;
                    }
                    doc.out_of_sync = true;
                    return Change::LostStep;
                }
                let was_out_of_sync = doc.out_of_sync;
                for change in params.content_changes {
                    match change.range {
                        None => {
                            doc.replace_all(&change.text, ctx);
                            doc.out_of_sync = false;
                        }
                        // A range into a text the server does not have: nothing to apply it to.
                        Some(_) if doc.out_of_sync => {}
                        Some(r) => {
                            let bytes = to_bytes(&doc.rope, r, enc);
                            doc.edit(bytes, &change.text, ctx);
                        }
                    }
                }
                if was_out_of_sync && !doc.out_of_sync {
                    tracing::info!("{}: back in step (the editor sent the whole text)", scrub(uri.as_str()));
                }
                doc.version = version;
                Change::Applied
            })
            .await;
        match outcome {
            Some(Change::Applied) => {}
            Some(Change::LostStep) => {
                let why = format!("a change to version {version} came after a later one");
                return self.lost_step(&uri, &why).await;
            }
            Some(Change::Ignored) | None => return,
        }
        self.note_too_large(&uri);
        // Under a burst, let queued changes apply first; if a newer one did, it publishes.
        tokio::task::yield_now().await;
        let latest = self.state().docs.get(&uri).is_some_and(|d| d.version == version);
        if latest {
            self.publish(&uri).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let pull = {
            let mut st = self.state();
            st.docs.remove(&uri);
            st.noted_too_large.remove(&uri);
            st.caps.pull
        };
        if !pull {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let st = self.state();
        let items = st
            .docs
            .get(&params.text_document.uri)
            .map(|d| diagnostics_of(&params.text_document.uri, d, st.caps.encoding))
            .unwrap_or_default();
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
            },
        )))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let result = self.guarded("preparing a hover", || {
            let st = self.state();
            let Some(doc) = st.docs.get(&p.text_document.uri) else {
                return Ok(None);
            };
            if doc.out_of_sync {
                return Err(content_modified());
            }
            let byte = to_byte(&doc.rope, p.position, st.caps.encoding);
            Ok(hover(doc, byte, st.caps.encoding, Utc::now()))
        });
        result.await.unwrap_or_else(|| Err(internal("hover failed")))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let result = self.guarded("computing code actions", || {
            let st = self.state();
            let uri = &params.text_document.uri;
            let Some(doc) = st.docs.get(uri) else {
                return Ok(None);
            };
            // Edits are positions in the text: never computed against one the editor lacks.
            if doc.out_of_sync {
                return Err(content_modified());
            }
            let target = if env_files_out_of_sync(&st.docs) {
                Err("an open .env or .gitignore is out of step with the editor".to_string())
            } else {
                env_action::target(uri, &st.roots, &st.docs, &st.caps)
            };
            Ok(Some(code_actions(
                uri,
                doc,
                &params,
                &st.caps,
                target.as_ref().map_err(String::as_str),
                st.resolved.settings.max_lifetime.0,
            )))
        });
        result.await.unwrap_or_else(|| Err(internal("code actions failed")))
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let data = action.data.clone().unwrap_or_default();
        if data["action"] != "moveToEnv" && data["action"] != "fixAll" {
            return Ok(action);
        }
        let edit = self.guarded(
            "resolving a code action",
            || -> std::result::Result<WorkspaceEdit, Error> {
                let st = self.state();
                let uri: Uri = data["uri"]
                    .as_str()
                    .and_then(|u| u.parse().ok())
                    .ok_or_else(|| Error::invalid_params("no document in the action"))?;
                let doc = st
                    .docs
                    .get(&uri)
                    .ok_or_else(|| Error::invalid_params("the document is no longer open"))?;
                if doc.out_of_sync || env_files_out_of_sync(&st.docs) {
                    return Err(content_modified());
                }
                if data["version"] != json!(doc.version) {
                    let mut err = content_modified();
                    err.message = "the document changed since the action was offered; ask again".into();
                    return Err(err);
                }
                if data["action"] == "fixAll" {
                    return Ok(fix_all_edit(&uri, doc, &st.caps));
                }
                let f = doc
                    .findings
                    .iter()
                    .find(|f| {
                        json!(f.token.range.start) == data["start"] && json!(f.token.fingerprint) == data["fingerprint"]
                    })
                    .ok_or_else(|| Error::invalid_params("the token is gone"))?;
                let target = env_action::target(&uri, &st.roots, &st.docs, &st.caps).map_err(Error::invalid_params)?;
                let plan = env_action::plan_for(doc, &doc.text(), f, Some(&target)).map_err(Error::invalid_params)?;
                Ok(env_action::edit(&uri, doc, &plan, &target, &st.caps))
            },
        );
        match edit.await {
            Some(Ok(e)) => {
                action.edit = Some(e);
                Ok(action)
            }
            Some(Err(e)) => Err(e),
            None => Err(internal("resolving the code action failed")),
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = unwrap_section(params.settings);
        let empty = settings.as_object().is_none_or(|m| m.is_empty());
        let can_pull = self.state().caps.configuration;
        if empty && can_pull {
            self.pull_configuration().await;
        } else {
            self.apply_editor_settings(settings).await;
        }
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            SCAN_WORKSPACE => {
                self.scan_workspace(params.work_done_progress_params.work_done_token)
                    .await
            }
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}
