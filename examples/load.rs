//! Language-server load, in-process over a pipe, as an editor would drive it:
//! 1. a burst of 10,000 one-character `didChange` notifications on one document: latency
//!    percentiles from each change to the diagnostics published for its version;
//! 2. 1,000 documents opened at once: time to all their diagnostics, peak memory, and
//!    memory after they are all closed.
//!
//! Run: `cargo run --release --example load`. Memory is this process's (client included).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/heap.rs"]
mod heap;

use heap::{live_mib, LIVE, PEAK};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::lsp::{push_client, TestClient};
use serde_json::json;

fn status(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn signature(seed: usize) -> String {
    common::pct(&common::sig(seed as u64))
}

fn document(lines: usize, tokens: usize, seed: usize) -> String {
    let mut out = String::new();
    for i in 0..lines {
        if tokens > 0 && i % (lines / tokens) == 3 {
            out.push_str(&format!(
                "URL_{i} = \"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&sig={}\"\n",
                signature(seed * 1000 + i)
            ));
        } else {
            out.push_str(&format!("value_{i} = compute(value, \"text {i}\")\n"));
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    common::lsp::CHECK_SECRETS.store(false, Ordering::Relaxed);
    let rss_start = status("VmRSS:");
    let (mut c, _) = TestClient::initialized(push_client()).await;

    // 1. A burst of 10,000 changes.
    let uri = "file:///load/burst.py";
    c.open(uri, "python", &document(2_000, 20, 1)).await;
    while c
        .next_message(5_000)
        .await
        .is_some_and(|m| m["method"] != "textDocument/publishDiagnostics")
    {}
    let mut sent: HashMap<i64, Instant> = HashMap::new();
    let started = Instant::now();
    for v in 2..=10_001i64 {
        let line = (v * 7919) % 2_000;
        let change = if v % 2 == 0 {
            json!([{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "x"}])
        } else {
            json!([{"range": {"start": {"line": (v - 1) * 7919 % 2_000, "character": 0}, "end": {"line": (v - 1) * 7919 % 2_000, "character": 1}}, "text": ""}])
        };
        sent.insert(v, Instant::now());
        c.change(uri, v as i32, change).await;
    }
    let mut latencies = Vec::new();
    let mut last = 0;
    while last < 10_001 {
        let Some(m) = c.next_message(30_000).await else { break };
        if m["method"] == "textDocument/publishDiagnostics" {
            let v = m["params"]["version"].as_i64().unwrap_or(0);
            if let Some(t) = sent.get(&v) {
                latencies.push(t.elapsed());
            }
            last = last.max(v);
        }
    }
    let total = started.elapsed();
    latencies.sort();
    println!("burst: 10,000 didChange on a 2,000-line document with 20 tokens");
    println!(
        "  {} diagnostics received; all done in {:.0} ms; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        total.as_secs_f64() * 1e3,
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.9).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );

    // 2. 1,000 open documents.
    let rss_before = status("VmRSS:");
    let live_before = live_mib();
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let started = Instant::now();
    for d in 0..1_000 {
        c.open(&format!("file:///load/doc{d}.py"), "python", &document(500, 2, d + 10))
            .await;
    }
    let mut got = 0;
    while got < 1_000 {
        let Some(m) = c.next_message(30_000).await else { break };
        if m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"].as_str().is_some_and(|u| u.contains("/doc"))
        {
            got += 1;
        }
    }
    let open_time = started.elapsed();
    let rss_open = status("VmRSS:");
    let live_open = live_mib();
    for d in 0..1_000 {
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": format!("file:///load/doc{d}.py")}}),
        )
        .await;
    }
    let mut closed = 0;
    while closed < 1_000 {
        let Some(m) = c.next_message(30_000).await else { break };
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([]) {
            closed += 1;
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss_closed = status("VmRSS:");
    let live_closed = live_mib();
    println!(
        "open: 1,000 documents of 500 lines (2 tokens each), {got} diagnostics in {:.0} ms",
        open_time.as_secs_f64() * 1e3
    );
    println!(
        "  memory (RSS, client included): start {} MiB, before opening {} MiB, all open {} MiB, after closing {} MiB, peak {} MiB",
        rss_start / 1024,
        rss_before / 1024,
        rss_open / 1024,
        rss_closed / 1024,
        status("VmHWM:") / 1024
    );
    println!(
        "  live heap: before opening {live_before:.1} MiB, all open {live_open:.1} MiB, after closing {live_closed:.1} MiB, peak while open {:.1} MiB",
        PEAK.load(Ordering::Relaxed) as f64 / (1 << 20) as f64
    );
    c.shutdown_and_exit().await;
}
