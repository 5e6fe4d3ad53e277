//! Structured near-SAS text: parameter soup, separators in every encoding, truncations,
//! with real-looking signatures, so the fuzzer spends its time in the parser.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sasguard::config::Settings;
use sasguard::policy::analyze;

const PIECES: &[&str] = &[
    "https://acct.blob.core.windows.net/c/b", "?", "%3F", "&", "&amp;", "%26", "\\u0026", "\\&", "^&", "=", "%3D",
    "sv=2020-08-04", "ss=bfqt", "srt=sco", "sp=rwdlacupitfx", "sr=b", "se=2051-10-06T07:09:59Z", "st=2021-10-05",
    "se=1800000000", "skn=RootManageSharedAccessKey", "spr=https,http", "sip=1.2.3.4", "si=policy", "skoid=x",
    "sig=", "sig%3D", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8%3D", "yWXz+bmzqZ3k/1QJ5lr7YbQpEIGYvRbyNHKGm2tXvwk=",
    "AccountName=acct;", "AccountKey=", "SharedAccessKey=", "SharedAccessSignature ", "SharedAccessSignature=",
    "Endpoint=sb://ns.servicebus.windows.net/;", "sasguard:ignore", "\n", "\r\n", "\r", " ", "\"", "'", "\\/", "😀",
    "devstoreaccount1", ".", ",", "%", "\\",
];

fuzz_target!(|data: &[u8]| {
    let mut text = Vec::new();
    for &b in data {
        text.extend_from_slice(PIECES[b as usize % PIECES.len()].as_bytes());
    }
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
    for f in analyze(&text, &Settings::default(), now) {
        let t = &f.token;
        assert!(t.range.start <= t.secret.start && t.secret.end <= t.range.end && t.range.end <= text.len());
    }
});
