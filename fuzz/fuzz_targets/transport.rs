//! The framing guard in front of the LSP transport under arbitrary bytes: it always ends,
//! every frame it passes on decodes as tower-lsp-server's own message types (so nothing it
//! lets through can stop the transport's read loop), and every reply it writes is a
//! JSON-RPC error object.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use sasguard::lsp::transport::{guard_input, Lifecycle};
use tower_lsp_server::jsonrpc::{Request, Response};

#[derive(serde::Deserialize)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)]
enum Incoming {
    Response(Response),
    Request(Request),
}

/// Splits a stream of `Content-Length` frames into bodies.
fn bodies(mut s: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !s.is_empty() {
        let head_end = s.windows(4).position(|w| w == b"\r\n\r\n").expect("a header");
        let head = std::str::from_utf8(&s[..head_end]).expect("an ASCII header");
        let len: usize = head
            .strip_prefix("Content-Length: ")
            .expect("Content-Length")
            .parse()
            .expect("a length");
        let body = &s[head_end + 4..head_end + 4 + len];
        out.push(body);
        s = &s[head_end + 4 + len..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut passed: Vec<u8> = Vec::new();
    rt.block_on(guard_input(data, &mut passed, tx, Arc::new(Lifecycle::default())));
    for body in bodies(&passed) {
        let text = std::str::from_utf8(body).expect("UTF-8 passed on");
        assert!(serde_json::from_str::<Incoming>(text).is_ok(), "passed on a body the transport cannot decode");
    }
    while let Ok(reply) = rx.try_recv() {
        for body in bodies(&reply) {
            let v: serde_json::Value = serde_json::from_slice(body).expect("a JSON reply");
            assert!(v["error"]["code"].is_i64());
        }
    }
});
