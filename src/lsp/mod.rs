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
pub mod transport;
pub mod workspace;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Serves LSP over the given streams until the client exits.
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    // The server talks to the framing guard through in-memory pipes.
    let (guard_in, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, guard_out) = tokio::io::duplex(1 << 20);
    let (replies_tx, replies_rx) = tokio::sync::mpsc::unbounded_channel();
    let reader = tokio::spawn(transport::guard_input(input, guard_in, replies_tx));
    let writer = tokio::spawn(transport::guard_output(guard_out, output, replies_rx));
    let (service, socket) = LspService::new(server::Backend::new);
    Server::new(server_in, server_out, socket).serve(service).await;
    reader.abort();
    let _ = writer.await;
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
