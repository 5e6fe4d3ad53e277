//! The language server: the only layer that knows LSP types. It adapts the engine's byte
//! ranges to positions in the negotiated encoding at its edge.

pub mod actions;
pub mod capabilities;
pub mod diagnostics;
pub mod document;
pub mod env_action;
pub mod hover;
pub mod logging;
pub mod position;
pub mod server;
pub mod settings;
pub mod state;
pub mod workspace;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Serves LSP over the given streams until the client exits.
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = LspService::new(server::Backend::new);
    Server::new(input, output, socket).serve(service).await;
}

/// `sasguard lsp`: logs to stderr, serves on stdio, returns the exit code.
pub fn run() -> i32 {
    logging::init();
    install_panic_hook();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("cannot start the runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    0
}

/// Logs panics (their location and message, which never hold document text).
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("internal error: {info}");
        default(info);
    }));
}
