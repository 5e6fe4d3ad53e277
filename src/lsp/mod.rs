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

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// How long the server may take to wind down after `exit` (replies in flight, output).
const EXIT_GRACE: Duration = Duration::from_millis(500);

/// Serves LSP over the given streams until the client exits or the input ends. Returns the
/// exit code the protocol asks for: 0 after `shutdown` then `exit`, else 1.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    // The server talks to the framing guard through in-memory pipes.
    let (guard_in, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, guard_out) = tokio::io::duplex(1 << 20);
    let (replies_tx, replies_rx) = tokio::sync::mpsc::unbounded_channel();
    let lifecycle = Arc::new(transport::Lifecycle::default());
    let reader = tokio::spawn(transport::guard_input(input, guard_in, replies_tx, lifecycle.clone()));
    let writer = tokio::spawn(transport::guard_output(guard_out, output, replies_rx));
    let mut state = None;
    let (service, socket) = LspService::build(|client| {
        let backend = server::Backend::new(client);
        state = Some(backend.shared_state());
        backend
    })
    .custom_method(transport::LOST_CHANGE, server::Backend::lost_change)
    .finish();
    let mut serving = Box::pin(Server::new(server_in, server_out, socket).serve(service));
    tokio::select! {
        () = &mut serving => {}
        // After `exit` the server owes nothing more: a request still running (a workspace
        // scan) must not keep the process alive.
        () = lifecycle.exited() => {
            let _ = tokio::time::timeout(EXIT_GRACE, &mut serving).await;
        }
    }
    // Dropping the server closes its output, which ends the writer.
    drop(serving);
    reader.abort();
    // A client that stopped reading cannot hold the exit up either.
    let _ = tokio::time::timeout(EXIT_GRACE, writer).await;
    let shut_down = state.is_some_and(|s| s.lock().unwrap_or_else(|p| p.into_inner()).shutting_down);
    if lifecycle.exit_received() && shut_down {
        0
    } else {
        1
    }
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
    let code = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Stdin is read on a blocking thread that waits for input the client may never send
    // (a client that keeps the pipe open after `exit`); dropping the runtime normally waits
    // for that thread. The output is flushed by now: do not wait.
    runtime.shutdown_background();
    code
}

/// Logs panics (their location and message, which never hold document text).
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("internal error: {info}");
        default(info);
    }));
}
