//! Edits inside one long line (minified code) go through a window around the edit: after
//! any edit the findings equal a full scan of the text.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sasguard::config::Settings;
use sasguard::lsp::document::{Context, Document};
use sasguard::policy::analyze;

const PIECES: &[&str] = &[
    "\"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&sig=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D\",",
    "\"accountKey\": \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==\",",
    "SharedAccessSignature sr=ns.servicebus.windows.net&sig=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D&se=2051000000&skn=Root ",
    "AccountName=a;AccountKey=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==;",
    "sig=", "&sp=rwd", "%3D", " ", "\"", ",", ";", "x", "😀", "# sasguard:ignore", "\n", "",
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let settings = Settings::default();
    let ctx = Context { settings: &settings, now: Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap() };
    // A line of 20-40 KB built from the first bytes.
    let mut line = String::new();
    let mut i = 0;
    while line.len() < 20_000 + data[0] as usize * 80 {
        line.push_str(PIECES[data[i % 8] as usize % 14]);
        line.push_str(&"y".repeat(data[(i + 3) % 8] as usize));
        i += 1;
    }
    let mut doc = Document::new(&format!("a\n{line}\nb\n"), 1, "plaintext", ctx);
    for chunk in data[8..].chunks(5) {
        if chunk.len() < 5 {
            break;
        }
        let len = doc.rope.len_bytes();
        let at = (u32::from_le_bytes([chunk[0], chunk[1], chunk[2], 0]) as usize) % (len + 1);
        let at = doc.rope.char_to_byte(doc.rope.byte_to_char(at));
        let end = (at + chunk[3] as usize % 64).min(len);
        doc.edit(at..end, PIECES[chunk[4] as usize % PIECES.len()], ctx);
        let full = analyze(doc.text().as_bytes(), &settings, ctx.now);
        assert_eq!(doc.findings, full);
    }
});
