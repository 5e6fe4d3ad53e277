//! Arbitrary bytes through the whole engine and the CLI's rendering: no panic, every
//! secret range inside its token, and nothing shown to people holds a secret.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sasguard::cli::report::check_text;
use sasguard::config::Settings;

fuzz_target!(|data: &[u8]| {
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
    let result = check_text("f".into(), data, &Settings::default(), now);
    for l in &result.findings {
        let t = &l.finding.token;
        assert!(t.range.start <= t.secret.start && t.secret.end <= t.range.end && t.range.end <= data.len());
        let secret = String::from_utf8_lossy(&data[t.secret.clone()]).into_owned();
        if secret.len() >= 16 {
            assert!(!l.snippet.text.contains(&secret), "snippet shows a secret");
            assert!(!l.finding.message().contains(&secret), "message shows a secret");
            assert!(!l.breakdown.secret.contains(&secret), "breakdown shows a secret");
        }
    }
});
