//! Engine throughput: (a) ordinary source with no live token: this crate's own sources,
//! which mention anchors (`sig=`, `AccountKey`, `credential`) on every few lines, and the
//! cargo registry's crate sources, (b) text dense with tokens.
//! Run: `cargo bench --bench engine`. Criterion reports the median time and throughput.

use std::path::Path;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sasguard::config::Settings;
use sasguard::policy::analyze;

/// Ordinary source: this crate's own Rust sources (which mention `sig=` and `AccountKey`
/// often, but hold no live token), repeated to `size` bytes.
fn ordinary_source(size: usize) -> Vec<u8> {
    let mut corpus = Vec::new();
    collect(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut corpus);
    let mut out = Vec::with_capacity(size);
    while out.len() < size {
        out.extend_from_slice(&corpus);
    }
    out.truncate(size);
    out
}

/// Ordinary source no scanner was written in: the Rust sources of the crates in the cargo
/// registry (this crate's dependencies), in path order, repeated to `size` bytes. `None`
/// when the registry holds none.
fn registry_source(size: usize) -> Option<Vec<u8>> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let mut corpus = Vec::new();
    let src = home.join("registry/src");
    let mut indexes: Vec<_> = std::fs::read_dir(&src).ok()?.flatten().map(|e| e.path()).collect();
    indexes.sort();
    for index in indexes {
        collect(&index, &mut corpus);
        if corpus.len() >= size {
            break;
        }
    }
    if corpus.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(size);
    while out.len() < size {
        out.extend_from_slice(&corpus);
    }
    out.truncate(size);
    Some(out)
}

fn collect(dir: &Path, out: &mut Vec<u8>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.extend_from_slice(&std::fs::read(&p).unwrap());
        }
    }
}

/// Text where every line carries a SAS URL with a synthetic signature.
fn dense_tokens(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size);
    let mut n: u64 = 1;
    while out.len() < size {
        let sig = synthetic_sig(n);
        out.extend_from_slice(
            format!("url{n} = \"https://acct{n}.blob.core.windows.net/c/b?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}\"\n")
                .as_bytes(),
        );
        n += 1;
    }
    out
}

fn synthetic_sig(seed: u64) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut s = String::new();
    for i in 0..43 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let v = if i == 42 { (x % 16) * 4 } else { x % 64 };
        s.push(A[v as usize] as char);
    }
    s.push_str("%3D");
    s.replace('+', "%2B").replace('/', "%2F")
}

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
    let settings = Settings::default();
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    let mut inputs = vec![("no-tokens-100MB", ordinary_source(100 << 20))];
    if let Some(text) = registry_source(100 << 20) {
        inputs.push(("registry-sources-100MB", text));
    }
    inputs.push(("dense-tokens-10MB", dense_tokens(10 << 20)));
    for (name, text) in inputs {
        let found = analyze(&text, &settings, now).len();
        eprintln!("{name}: {} bytes, {found} findings", text.len());
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| analyze(t, &settings, now))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
