//! What the client can do (read once at `initialize`) and what the server offers.

use tower_lsp_server::ls_types::*;

use super::position::Encoding;

/// The commands the server executes.
pub const SCAN_WORKSPACE: &str = "sasguard.scanWorkspace";
/// The fix-all code action kind.
pub const FIX_ALL: &str = "source.fixAll.sasguard";

#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCaps {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); else they are pushed.
    pub pull: bool,
    pub pull_refresh: bool,
    pub document_changes: bool,
    pub configuration: bool,
    pub dynamic_configuration: bool,
    pub work_done_progress: bool,
    /// `documentChanges` with `create` resource operations.
    pub create_files: bool,
    /// The client resolves a code action's `edit` lazily (`codeAction/resolve`).
    pub resolve_edit: bool,
    /// The client shows code actions that cannot be applied, with the reason
    /// (`codeActionLiteralSupport` and `disabledSupport`).
    pub disabled_actions: bool,
}

impl ClientCaps {
    pub fn from(params: &InitializeParams) -> ClientCaps {
        let c = &params.capabilities;
        let td = c.text_document.as_ref();
        let ws = c.workspace.as_ref();
        ClientCaps {
            encoding: Encoding::negotiate(c.general.as_ref().and_then(|g| g.position_encodings.as_deref())),
            pull: td.and_then(|t| t.diagnostic.as_ref()).is_some(),
            pull_refresh: ws
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            // Resource operations only exist inside `documentChanges`, so a client that
            // lists them (Neovim does, without `documentChanges: true`) applies those too.
            document_changes: ws.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|e| {
                e.document_changes == Some(true) || e.resource_operations.as_ref().is_some_and(|ops| !ops.is_empty())
            }),
            configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
            dynamic_configuration: ws
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            work_done_progress: c.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            create_files: ws.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|e| {
                e.resource_operations
                    .as_ref()
                    .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
            }),
            resolve_edit: td
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            disabled_actions: td
                .and_then(|t| t.code_action.as_ref())
                .is_some_and(|c| c.code_action_literal_support.is_some() && c.disabled_support == Some(true)),
        }
    }
}

pub fn server_capabilities(caps: &ClientCaps) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(caps.encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: None,
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            work_done_progress_options: Default::default(),
            resolve_provider: Some(true),
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![SCAN_WORKSPACE.to_string()],
            work_done_progress_options: Default::default(),
        }),
        diagnostic_provider: caps.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("sasguard".into()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        }),
        ..Default::default()
    }
}
