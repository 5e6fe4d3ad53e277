//! Language-server latency on a 100,000-line document holding 50 tokens:
//! - `document/*`: the server-side work alone (apply the edit and re-analyse; convert the
//!   findings to diagnostics), for a one-character edit and for opening the document;
//! - `protocol/*`: from sending `didChange` / `didOpen` over the in-process pipe to
//!   receiving the `publishDiagnostics` that answers it.
//!
//! Run: `cargo bench --bench lsp`.

#[path = "../tests/common/mod.rs"]
mod common;

use chrono::Utc;
use common::lsp::{push_client, TestClient};
use criterion::{criterion_group, criterion_main, Criterion};
use sasguard::config::Settings;
use sasguard::lsp::diagnostics::diagnostics;
use sasguard::lsp::document::{Context, Document};
use sasguard::lsp::position::Encoding;
use serde_json::json;

const LINES: usize = 100_000;
const TOKENS: usize = 50;

fn signature(seed: usize) -> String {
    common::pct(&common::sig(seed as u64))
}

/// A 100,000-line Python-like file with 50 SAS URLs spread through it.
fn document() -> String {
    let mut out = String::new();
    for i in 0..LINES {
        if i % (LINES / TOKENS) == 7 {
            out.push_str(&format!(
                "URL_{i} = \"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&sig={}\"\n",
                signature(i)
            ));
        } else {
            out.push_str(&format!(
                "    value_{i} = compute(value_{}, \"text {i}\")  # a comment\n",
                i.saturating_sub(1)
            ));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = document();
    let settings = Settings {
        max_file_size: sasguard::config::ByteSize(64 << 20),
        ..Settings::default()
    };
    let ctx = Context {
        settings: &settings,
        now: Utc::now(),
    };
    let mut g = c.benchmark_group("document");
    g.sample_size(20);
    g.bench_function("open-100k-lines", |b| {
        b.iter(|| {
            let d = Document::new(&text, 1, "python", ctx);
            diagnostics(&bench_uri(), &d, Encoding::Utf16).len()
        })
    });
    let mut doc = Document::new(&text, 1, "python", ctx);
    assert_eq!(doc.findings.len(), TOKENS);
    let at = doc.rope.line_to_byte(LINES / 2) + 4;
    let mut insert = true;
    g.sample_size(200);
    g.bench_function("one-char-edit-100k-lines", |b| {
        b.iter(|| {
            if insert {
                doc.edit(at..at, "x", ctx);
            } else {
                doc.edit(at..at + 1, "", ctx);
            }
            insert = !insert;
            diagnostics(&bench_uri(), &doc, Encoding::Utf16).len()
        })
    });
    g.finish();

    common::lsp::CHECK_SECRETS.store(false, std::sync::atomic::Ordering::Relaxed);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let uri = "file:///bench/big.py";
    let mut params = push_client();
    params["initializationOptions"] = json!({"maxFileSize": "64MiB"});
    let mut client = rt.block_on(async { TestClient::initialized(params).await.0 });
    let mut g = c.benchmark_group("protocol");
    g.sample_size(10);
    g.bench_function("didOpen-to-diagnostics-100k-lines", |b| {
        b.iter(|| {
            rt.block_on(async {
                client.open(uri, "python", &text).await;
                let d = client.diagnostics(uri).await;
                assert_eq!(d["diagnostics"].as_array().unwrap().len(), TOKENS);
            })
        })
    });
    let mut version = 1;
    g.sample_size(100);
    g.bench_function("didChange-to-diagnostics-100k-lines", |b| {
        b.iter(|| {
            rt.block_on(async {
                version += 1;
                let line = (LINES / 2) as u64;
                let change = if version % 2 == 0 {
                    json!([{"range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 4}}, "text": "x"}])
                } else {
                    json!([{"range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 5}}, "text": ""}])
                };
                client.change(uri, version, change).await;
                let d = client.diagnostics(uri).await;
                assert_eq!(d["version"], version);
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

fn bench_uri() -> tower_lsp_server::ls_types::Uri {
    "file:///bench.txt".parse().expect("a valid URI")
}
