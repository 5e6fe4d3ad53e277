//! Logging to stderr with `tracing`. The level comes from the `logLevel` setting, else
//! `RUST_LOG`, else `info`. The transport library is capped at `warn` whatever the level:
//! at `trace` it would log every message, document text and signatures included.

use std::sync::OnceLock;

use tracing::Level;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Registry};

type Handle = reload::Handle<EnvFilter, Registry>;

static HANDLE: OnceLock<Handle> = OnceLock::new();

fn filter(level: &str) -> EnvFilter {
    let base = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    base.add_directive("tower_lsp_server=warn".parse().expect("valid directive"))
}

/// Installs the subscriber once, writing to stderr (later calls do nothing).
pub fn init() {
    let level = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
    init_with(std::io::stderr, &level);
}

/// Installs the subscriber once with another writer (tests capture the log this way).
pub fn init_with<W>(writer: W, level: &str)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    if HANDLE.get().is_some() {
        return;
    }
    let (layer, handle) = reload::Layer::new(filter(level));
    // Whatever the filter says (a `logLevel` of `tower_lsp_server::codec=trace` would be
    // more specific than the cap), the transport never logs below warn: its trace output
    // is every message, document text included.
    let transport_cap =
        filter_fn(|meta| !meta.target().starts_with("tower_lsp_server") || *meta.level() <= Level::WARN);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(false)
        .with_filter(transport_cap);
    if tracing_subscriber::registry().with(layer).with(fmt).try_init().is_ok() {
        let _ = HANDLE.set(handle);
    }
}

/// Changes the level (from the `logLevel` setting).
pub fn set_level(level: &str) {
    if let Some(h) = HANDLE.get() {
        let _ = h.reload(filter(level));
    }
}
