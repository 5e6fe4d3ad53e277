//! Arbitrary bytes through UTF-16 detection: what is taken as UTF-16 and decodes is
//! encoded back to exactly the same bytes (so `--fix` loses nothing but the secrets),
//! and its decoded text goes through the engine with every range inside it.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sasguard::cli::report::check_text;
use sasguard::config::Settings;
use sasguard::scan::utf16;

fuzz_target!(|data: &[u8]| {
    let Some(form) = utf16::detect(data) else { return };
    let Some(text) = utf16::decode(data, form) else { return };
    assert_eq!(utf16::encode(&text, form), data, "round trip");
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
    for l in check_text("f".into(), text.as_bytes(), &Settings::default(), now).findings {
        let t = &l.finding.token;
        assert!(t.range.start <= t.secret.start && t.secret.end <= t.range.end && t.range.end <= text.len());
    }
});
