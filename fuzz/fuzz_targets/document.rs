//! The document store under random incremental edits, in each position encoding: the
//! incremental findings always equal a full scan of the final text, and position
//! conversions never panic.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sasguard::config::Settings;
use sasguard::lsp::document::{Context, Document};
use sasguard::lsp::position::{to_bytes, to_range, Encoding};
use sasguard::policy::analyze;
use tower_lsp_server::ls_types::{Position, Range};

const INSERTS: &[&str] = &[
    "u = 'https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&sig=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D'",
    "sig=", "&sp=rwd", "%3D", "\n", "\r\n", "\r", "# sasguard:ignore-next-line\n", " # sasguard:ignore", "😀中", "e\u{301}", "x", "",
];

fuzz_target!(|data: &[u8]| {
    let settings = Settings::default();
    let ctx = Context { settings: &settings, now: Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap() };
    let mut doc = Document::new(INSERTS[0], 1, "python", ctx);
    for chunk in data.chunks(6) {
        if chunk.len() < 6 {
            break;
        }
        let enc = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32][chunk[0] as usize % 3];
        let lines = doc.rope.len_lines() as u32 + 1;
        let start = Position::new(chunk[1] as u32 % lines, chunk[2] as u32 % 80);
        let end = Position::new(start.line + chunk[3] as u32 % 3, chunk[4] as u32 % 80);
        let bytes = to_bytes(&doc.rope, Range::new(start, end), enc);
        doc.edit(bytes, INSERTS[chunk[5] as usize % INSERTS.len()], ctx);
        let full = analyze(doc.text().as_bytes(), &settings, ctx.now);
        assert_eq!(doc.findings, full);
        for f in &doc.findings {
            let r = to_range(&doc.rope, &f.token.range, enc);
            assert_eq!(to_bytes(&doc.rope, r, enc), f.token.range.clone());
        }
    }
});
