//! One case of the `long_line` fuzz target, shared with its regression replay
//! (tests/fuzz_regressions.rs): a 20–40 KB line built from the input's first bytes, then
//! edits inside it through the window, each compared with a full scan.

use chrono::{TimeZone, Utc};
use sasguard::config::Settings;
use sasguard::lsp::document::{Context, Document};
use sasguard::policy::analyze;

pub const PIECES: &[&str] = &[
    "\"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&sig=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D\",",
    "\"accountKey\": \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==\",",
    "SharedAccessSignature sr=ns.servicebus.windows.net&sig=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D&se=2051000000&skn=Root ",
    "AccountName=a;AccountKey=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==;",
    "sig=", "&sp=rwd", "%3D", " ", "\"", ",", ";", "x", "😀", "# sasguard:ignore", "\n", "",
];

/// Replays `data`; the first edit after which the findings differ from a full scan, if any.
pub fn replay(data: &[u8]) -> Result<(), String> {
    if data.len() < 8 {
        return Ok(());
    }
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap(),
    };
    let mut line = String::new();
    let mut i = 0;
    while line.len() < 20_000 + data[0] as usize * 80 {
        line.push_str(PIECES[data[i % 8] as usize % 14]);
        line.push_str(&"y".repeat(data[(i + 3) % 8] as usize));
        i += 1;
    }
    let mut doc = Document::new(&format!("a\n{line}\nb\n"), 1, "plaintext", ctx);
    for chunk in data[8..].chunks_exact(5) {
        let len = doc.rope.len_bytes();
        let at = (u32::from_le_bytes([chunk[0], chunk[1], chunk[2], 0]) as usize) % (len + 1);
        let at = doc.rope.char_to_byte(doc.rope.byte_to_char(at));
        let end = (at + chunk[3] as usize % 64).min(len);
        let piece = chunk[4] as usize % PIECES.len();
        doc.edit(at..end, PIECES[piece], ctx);
        let full = analyze(doc.text().as_bytes(), &settings, ctx.now);
        if doc.findings != full {
            let ranges =
                |fs: &[sasguard::policy::Finding]| fs.iter().map(|f| f.token.range.clone()).collect::<Vec<_>>();
            return Err(format!(
                "edit {at}..{end} with piece {piece}: incremental {:?}, full scan {:?}",
                ranges(&doc.findings),
                ranges(&full)
            ));
        }
    }
    Ok(())
}
