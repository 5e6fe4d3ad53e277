//! Helpers shared by the integration tests: synthetic secrets (random bytes, base64) and
//! a fixed "now".
#![allow(dead_code)]

pub mod lsp;

use chrono::{DateTime, TimeZone, Utc};

/// A deterministic pseudo-random generator (xorshift64*), so secrets differ per seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u8(&mut self) -> u8 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u8()).collect()
    }
}

pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A synthetic SAS signature: 32 random bytes, base64 (44 characters, one `=`).
/// Seeds are chosen so the signature holds `+` and `/`, exercising their encodings.
pub fn sig(seed: u64) -> String {
    let mut s = seed;
    loop {
        let v = base64(&Rng::new(s).bytes(32));
        if v.contains('+') && v.contains('/') {
            return v;
        }
        s += 1000;
    }
}

/// A synthetic storage account key: 64 random bytes, base64 (88 characters).
pub fn key64(seed: u64) -> String {
    base64(&Rng::new(seed).bytes(64))
}

/// A synthetic Service Bus key: 32 random bytes, base64.
pub fn key32(seed: u64) -> String {
    base64(&Rng::new(seed ^ 0xABCD).bytes(32))
}

/// Percent-encodes `+`, `/` and `=` as query strings carry them.
pub fn pct(s: &str) -> String {
    s.replace('%', "%25")
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

/// The fixed "now" of every test: 2026-01-15T12:00:00Z.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap()
}

/// True when `output` shows `n` or more characters of `secret` in a row, whatever cuts
/// them apart (separators and percent-escapes between them are ignored).
pub fn shows_piece(output: &str, secret: &str, n: usize) -> bool {
    let squeeze = |s: &str| -> String {
        s.replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "=")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    };
    let (out, sec) = (squeeze(output), squeeze(secret));
    let chars: Vec<char> = sec.chars().collect();
    chars.windows(n).any(|w| out.contains(&w.iter().collect::<String>()))
}

/// The cases of `cases` (name, text) that `findings` reports anything on, described for an
/// assertion message (kind only: never a secret).
pub fn noisy(cases: &[(&str, &str)], findings: impl Fn(&str) -> Vec<sasguard::policy::Finding>) -> Vec<String> {
    cases
        .iter()
        .filter_map(|(name, text)| {
            let found = findings(text);
            (!found.is_empty()).then(|| format!("{name}: {} finding(s), first {:?}", found.len(), found[0].token.kind))
        })
        .collect()
}
