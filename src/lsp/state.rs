//! The server's shared state, behind one `std::sync::Mutex` that is never held across
//! an `.await`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use serde_json::Value;
use tower_lsp_server::ls_types::Uri;

use super::capabilities::ClientCaps;
use super::document::Document;
use super::settings::{resolve, Resolved};

#[derive(Debug)]
pub struct State {
    pub caps: ClientCaps,
    pub docs: HashMap<Uri, Document>,
    pub roots: Vec<PathBuf>,
    /// The workspace's `.sasguard.toml`, as JSON.
    pub file_settings: Value,
    /// The editor's settings, as last received.
    pub editor_settings: Value,
    pub resolved: Resolved,
    /// Files that are not open but have pushed diagnostics (from a workspace scan).
    pub pushed_closed: HashSet<Uri>,
    /// Documents already noted as too large, so the notice is logged once.
    pub noted_too_large: HashSet<Uri>,
    /// Messages to show once the client is initialized.
    pub pending_messages: Vec<String>,
    pub shutting_down: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            caps: ClientCaps::default(),
            docs: HashMap::new(),
            roots: Vec::new(),
            file_settings: Value::Null,
            editor_settings: Value::Null,
            resolved: resolve(&Value::Null, &Value::Null),
            pushed_closed: HashSet::new(),
            noted_too_large: HashSet::new(),
            pending_messages: Vec::new(),
            shutting_down: false,
        }
    }
}

impl State {
    /// Re-reads the effective settings; returns the warnings to show.
    pub fn reresolve(&mut self) -> Vec<String> {
        self.resolved = resolve(&self.file_settings, &self.editor_settings);
        if let Some(level) = &self.resolved.log_level {
            super::logging::set_level(level);
        }
        self.resolved.warnings.clone()
    }
}
