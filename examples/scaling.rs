//! Hostile inputs must cost time and memory in proportion to their size. For each shape,
//! at 1, 8 and 64 MB (median of 3 runs; 1 run at 64 MB), prints:
//! - engine: `analyze` time per MB and peak heap per MB;
//! - CLI: `sasguard check --format json` (in-process, report written to a file) time and
//!   peak heap per MB;
//! - server: opening the document (time per MB), one keystroke in its middle and a code
//!   action there (time, which must not grow with the size), peak heap per MB.
//!
//! Run: `cargo run --release --example scaling` (`SCALING_MAX_MB=8` for a quicker run,
//! `SCALING_ONLY=<part of a shape name>` for some shapes only).
//! Memory is live heap measured by a counting allocator (RSS keeps freed pages).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/heap.rs"]
mod heap;

use heap::{LIVE, PEAK};
use std::sync::atomic::Ordering;
use std::time::Instant;

use chrono::Utc;
use sasguard::config::{ByteSize, Settings};
use sasguard::lsp::actions::code_actions;
use sasguard::lsp::capabilities::ClientCaps;
use sasguard::lsp::diagnostics::diagnostics;
use sasguard::lsp::document::{Context, Document};
use sasguard::policy::analyze;
use tower_lsp_server::ls_types::*;

/// Runs `f`, returning its result, seconds taken and peak heap above the start, in bytes.
fn measure<T>(f: impl FnOnce() -> T) -> (T, f64, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = Instant::now();
    let v = f();
    let secs = t.elapsed().as_secs_f64();
    (v, secs, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

fn repeat(unit: &str, size: usize) -> Vec<u8> {
    unit.as_bytes().iter().copied().cycle().take(size).collect()
}

/// Repeats `unit(i)` (with a fresh signature each time) up to `size` bytes.
fn repeat_with(size: usize, head: &str, unit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut out = head.to_string();
    let mut i = 0u64;
    while out.len() < size {
        out.push_str(&unit(&common::pct(&common::sig(i % 4096))));
        i += 1;
    }
    out.into_bytes()
}

type Shape = (&'static str, fn(usize) -> Vec<u8>);

fn shapes() -> Vec<Shape> {
    vec![
        ("sig= repeated", |n| repeat("sig=", n)),
        ("sv=&sig=%3D& repeated", |n| repeat("sv=&sig=%3D&", n)),
        ("one line of base64 (+ASt inside)", |n| {
            repeat(
                "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw+ASt",
                n,
            )
        }),
        ("nested JSON escapes", |n| repeat("\\\\u0026sig\\u003d\\\\\\/", n)),
        ("short lines of sig=x&sv=1", |n| repeat("a sig=x&sv=1\n", n)),
        ("AccountKey= repeated", |n| repeat("AccountKey=", n)),
        ("SharedAccessSignature= groups", |n| {
            repeat_with(n, "BlobEndpoint=https://acct.blob.core.windows.net/", |s| {
                format!(";SharedAccessSignature=sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01&sig={s}")
            })
        }),
        ("one SAS URL, then &a=xsig=… params", |n| {
            let mut v = format!(
                "u = \"https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01&sig={}",
                common::pct(&common::sig(1))
            )
            .into_bytes();
            v.extend(repeat("&a=xsig=ABCDEFGHIJKLMNOPQRSTUV", n));
            v.extend_from_slice(b"\"\n");
            v
        }),
        ("minified line of SAS URLs", |n| {
            repeat_with(n, "[", |s| {
                format!("\"https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=rl&se=2030-01-01&sig={s}\",")
            })
        }),
        // Tokens in pieces: literals joined over lines, one endless chain of literals,
        // lines wrapped inside a query from the first line to the last.
        ("a token in joined literals every 3 lines", |n| {
            repeat_with(n, "", |s| {
                let (a, b) = s.split_at(20);
                format!("u = (\"https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=rl&\"\n     \"se=2030-01-01&sig={a}\" +\n     \"{b}\")\n")
            })
        }),
        ("one chain of \"sig=\" + literals", |n| repeat("\"sig=\" + ", n)),
        ("every line wrapped at &", |n| repeat("&sp=rl&\n", n)),
        // Keys found by what surrounds them (src/scan/keys): one shape per parser.
        ("calls: StorageSharedKeyCredential(StorageCredentials(… nested", |n| {
            repeat("StorageSharedKeyCredential(StorageCredentials(\"a\", ", n)
        }),
        (
            "az output: \"keyName\":\"key1\",\"permissions\":\"FULL\", repeated",
            |n| repeat("\"keyName\":\"key1\",\"permissions\":\"FULL\",", n),
        ),
        ("names: accountKey =\\n and --account-key repeated", |n| {
            repeat("accountKey =\n --account-key ", n)
        }),
        ("context: access_key = <live key> on every line", |n| {
            let unit = format!("access_key = \"{}\"\n", common::key64(1));
            repeat(&unit, n)
        }),
        // Encodings and containers: base64 triggers (one endless run, and many short
        // values that decode to text), escapes doubled, HTML references.
        ("one base64 run of trigger words", |n| {
            repeat("QWNjb3VudEtleT1zaWc9U2hhcmVkQWNjZXNzU2lnbmF0dXJlPTs7", n)
        }),
        ("base64 placeholder connection strings, one per line", |n| {
            repeat(
                "  conn: RGVmYXVsdEVuZHBvaW50c1Byb3RvY29sPWh0dHBzO0FjY291bnROYW1lPWE7QWNjb3VudEtleT08a2V5Pg==\n",
                n,
            )
        }),
        ("base64 trigger and anchor alternating", |n| {
            repeat("c2lnP sig= QWNjb3VudEtleT ", n)
        }),
        ("%2526sig%253D repeated", |n| repeat("%2526sv%253D1%2526sig%253D", n)),
        ("&#38;sig&#61; and &amp;amp; repeated", |n| {
            repeat("&#38;sig&#61;x&amp;amp;sig&#x3D;", n)
        }),
        ("JSON in JSON \\\\u0026sig\\\\u003d repeated", |n| {
            repeat("\\\\u0026sig\\\\u003d\\\\/", n)
        }),
        ("a live SAS on every line", |n| {
            repeat_with(n, "", |s| {
                format!(
                    "url = \"https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=rwdl&se=2030-01-01&sig={s}\"\n"
                )
            })
        }),
        // The SAS family's parsers (src/scan/family): one hostile shape each.
        ("family: ?sv=1.0&sig=<base64url> repeated (Logic Apps)", |n| {
            repeat(
                "?sv=1.0&sp=%2Ftriggers%2Fx&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE",
                n,
            )
        }),
        (
            "family: SharedAccessSignature integration&<date>& repeated (API Management)",
            |n| repeat("SharedAccessSignature integration&202601010000&uid=1&ex=2026&sn=", n),
        ),
        (
            "family: r=…eventgrid.azure.net&e=&s= and aeg-sas-key: repeated (Event Grid)",
            |n| repeat("r=https%3a%2f%2fx.eventgrid.azure.net&e=1&s=&aeg-sas-key:", n),
        ),
        ("family: type=resource&ver=1&sig=…; repeated (Cosmos DB)", |n| {
            repeat(
                "type=resource&ver=1&sig=QUJDREVGR0hJSktMTU5PUA==;type%3dmaster%26ver%3d1.0%26",
                n,
            )
        }),
        // Calls that mint a token: every anchor reads up to its reach (16 lines, 2 KB).
        ("mint: generate_blob_sas( unclosed, repeated", |n| {
            repeat("generate_blob_sas(", n)
        }),
        // Names a call reads back to: each use passes over a few unended assignments.
        (
            "mint: calls naming values assigned before them, unended, repeated",
            |n| {
                repeat(
                "e = (\np = (\nend=$(date\ngenerate_account_sas(a, k, permission=p, expiry=e)\naz storage container generate-sas --expiry $end\n",
                n,
            )
            },
        ),
        // The legacy JavaScript SDK's policy object left open: each call reads its reach.
        (
            "mint: s.generateSharedAccessSignature(c, b, { AccessPolicy: { unclosed, repeated",
            |n| {
                repeat(
                    "s.generateSharedAccessSignature(c, b, { AccessPolicy: { Permissions: 'r', ",
                    n,
                )
            },
        ),
        // The management plane's parameters left open.
        (
            "mint: c.list_account_sas(rg, a, AccountSasParameters( unclosed, repeated",
            |n| repeat("c.list_account_sas(rg, a, AccountSasParameters(permissions='r', ", n),
        ),
        ("mint: a minting az command, continued, on every few lines", |n| {
            repeat(
                "az storage account generate-sas \\\n  --services bfqt --resource-types sco \\\n  --permissions rwdlacup --expiry 2056-01-01\n",
                n,
            )
        }),
        // Go's `sas.` literal left open: each anchor reads its whole reach for the brace.
        ("mint: v := sas.BlobSignatureValues{ unclosed, repeated", |n| {
            repeat("v := sas.BlobSignatureValues{Permissions: \"r\", ", n)
        }),
        ("mint: new AccountSasBuilder { repeated on one line", |n| {
            repeat("var b = new AccountSasBuilder { Services = AccountSasServices.All, ", n)
        }),
        ("mint: listAccountSas('2023-01-01', { unclosed, repeated (Bicep)", |n| {
            repeat(
                "x: sa.listAccountSas('2023-01-01', { signedExpiry: dateTimeAdd(t, 'P1Y')\n",
                n,
            )
        }),
        // ARM calls after one large variables section: each reads its variable from it.
        (
            "mint: ARM variables section, then listAccountSas(…, variables('p')) repeated",
            |n| {
                let mut s = String::from("{\"variables\": {\"p\": {\"signedPermission\": \"rwdl\"},\n");
                for i in 0..1500 {
                    s.push_str(&format!("  \"v{i}\": \"[concat('value-of-a-variable-', '{i}')]\",\n"));
                }
                s.push_str("  \"w\": 1},\n");
                let mut out = s.clone().into_bytes();
                let call = "  \"o\": {\"value\": \"[listAccountSas(x, '2023-01-01', variables('p'))]\"},\n";
                while out.len() < n {
                    if out.len() % (256 << 10) < call.len() {
                        out.extend_from_slice(s.as_bytes());
                    }
                    out.extend_from_slice(call.as_bytes());
                }
                out
            },
        ),
        (
            "posture: resource 'Microsoft.Storage/storageAccounts@' = { unclosed, repeated",
            |n| {
                repeat(
                    "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  properties: {\n",
                    n,
                )
            },
        ),
        (
            "family: Endpoint=…;AccessKey=;DeviceId=; repeated (connection strings)",
            |n| {
                repeat(
                "Endpoint=https://x.service.signalr.net;AccessKey=;DeviceId=d;AccountEndpoint=https://x.documents.azure.com/;",
                n,
            )
            },
        ),
    ]
}

fn median(mut v: Vec<(f64, usize)>) -> (f64, usize) {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let t = v[v.len() / 2].0;
    let m = v.iter().map(|x| x.1).max().unwrap_or(0);
    (t, m)
}

fn mb(n: usize) -> f64 {
    n as f64 / (1 << 20) as f64
}

fn main() {
    let max_mb: usize = std::env::var("SCALING_MAX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let sizes: Vec<usize> = [1usize, 8, 64].into_iter().filter(|s| *s <= max_mb).collect();
    let settings = Settings {
        max_file_size: ByteSize(1 << 40),
        ..Settings::default()
    };
    let now = Utc::now();
    let dir = std::env::temp_dir().join(format!("sasguard-scaling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // As VS Code and Neovim: code action edits are resolved when chosen (a client that
    // cannot gets source.fixAll's edit, which grows with the findings, with every request).
    let caps = ClientCaps {
        resolve_edit: true,
        ..ClientCaps::default()
    };
    let uri: Uri = "file:///scaling.txt".parse().unwrap();
    println!("per MB: ms and peak heap MiB; keystroke and code action: ms (they must not grow)");
    let only = std::env::var("SCALING_ONLY").unwrap_or_default();
    for (name, make) in shapes().into_iter().filter(|(name, _)| name.contains(only.as_str())) {
        println!("\n{name}");
        for &size in &sizes {
            let text = make(size << 20);
            let n = mb(text.len());
            let runs = if size >= 64 { 1 } else { 3 };
            // Engine.
            let engine = median(
                (0..runs)
                    .map(|_| {
                        let (_, t, m) = measure(|| std::hint::black_box(analyze(&text, &settings, now)));
                        (t, m)
                    })
                    .collect(),
            );
            // CLI, in-process, report to a file.
            let file = dir.join("input.txt");
            std::fs::write(&file, &text).unwrap();
            let report = dir.join("report.json");
            let argv: Vec<std::ffi::OsString> = [
                "sasguard",
                "check",
                "--format",
                "json",
                "--max-file-size",
                "100GiB",
                "--now",
                "2026-01-15T12:00:00Z",
                "-o",
            ]
            .iter()
            .map(Into::into)
            .chain([report.clone().into_os_string(), file.clone().into_os_string()])
            .collect();
            let cli = median(
                (0..runs)
                    .map(|_| {
                        let (_, t, m) = measure(|| sasguard::cli::main(argv.clone()));
                        (t, m)
                    })
                    .collect(),
            );
            // Server: open, a keystroke in the middle (with the diagnostics it publishes),
            // a code action there.
            let s = String::from_utf8_lossy(&text).into_owned();
            let ctx = Context {
                settings: &settings,
                now,
            };
            let ((mut doc, _), open_t, open_m) = measure(|| {
                let d = Document::new(&s, 1, "plaintext", ctx);
                let diags = diagnostics(&bench_uri(), &d, caps.encoding);
                (d, diags.len())
            });
            let mid = s.len() / 2;
            let mid = (mid..s.len()).find(|&i| s.is_char_boundary(i)).unwrap_or(s.len());
            let (_, key_t, _) = measure(|| doc.edit(mid..mid, "x", ctx));
            let (_, diag_t, _) = measure(|| diagnostics(&bench_uri(), &doc, caps.encoding).len());
            let pos = sasguard::lsp::position::to_position(&doc.rope, mid, caps.encoding);
            let params = CodeActionParams {
                text_document: TextDocumentIdentifier { uri: uri.clone() },
                range: Range::new(pos, pos),
                context: CodeActionContext::default(),
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            };
            let (actions, act_t, _) =
                measure(|| code_actions(&uri, &doc, &params, &caps, Err("no workspace"), 7 * 86_400).len());
            println!(
                "  {size:>2} MB: engine {:>6.1} ms/MB {:>5.1} MiB/MB | cli {:>6.1} ms/MB {:>5.1} MiB/MB | server open {:>6.1} ms/MB {:>5.1} MiB/MB, keystroke {:>6.2} ms (+ {:>6.1} ms for {} diagnostics), code action {:>6.2} ms ({actions} actions)",
                engine.0 * 1e3 / n,
                mb(engine.1) / n,
                cli.0 * 1e3 / n,
                mb(cli.1) / n,
                open_t * 1e3 / n,
                mb(open_m) / n,
                key_t * 1e3,
                diag_t * 1e3,
                doc.findings.len(),
                act_t * 1e3,
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn bench_uri() -> tower_lsp_server::ls_types::Uri {
    "file:///bench.txt".parse().expect("a valid URI")
}
