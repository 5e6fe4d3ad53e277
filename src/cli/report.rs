//! What a check finds: findings located one at a time (so a file's findings are rendered
//! and dropped as they are judged), the problems met, and the counts a report ends with.

use chrono::{DateTime, Utc};

use super::locate::{snippet, LineCol, LineIndex, Snippet};
use crate::config::{Settings, Severity};
use crate::policy::breakdown::Breakdown;
use crate::policy::revoke::Revocation;
use crate::policy::{judge, Finding};
use crate::scan::mint::defs::back_reach;
use crate::scan::mint::MINT_LINE_REACH;
use crate::scan::mint::{template_back_reach, Surface};
use crate::scan::pieces::widen_lines;
use crate::scan::{scan, Token};

/// A finding with its place in the file and what to show of it.
#[derive(Debug, Clone)]
pub struct Located {
    pub finding: Finding,
    pub start: LineCol,
    pub end: LineCol,
    pub snippet: Snippet,
    pub breakdown: Breakdown,
    /// How to revoke the token: the commands to run, what that breaks.
    pub revoke: Revocation,
    /// Where each piece starts and ends, for a token written in several (else empty).
    pub pieces: Vec<(LineCol, LineCol)>,
    /// Found in the file's name (a file `wget` named after a signed URL), not its text:
    /// positions are in the path as given.
    pub in_file_name: bool,
    /// Found in a blob of the history (`check --history`): where that blob lives.
    pub history: Option<std::sync::Arc<crate::source::provenance::Provenance>>,
}

#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: String,
    pub findings: Vec<Located>,
}

pub use crate::source::walk::Problem;

/// Tokens judged at a time: enough to amortise the call, few enough to stay small.
const JUDGE_BATCH: usize = 256;
/// Text scanned at a time, cut at a line break (tokens never span lines).
const CHUNK: usize = 1 << 20;

/// Scans `text` and calls `each` with every finding, located, in order of position.
/// The text is scanned a chunk of lines at a time and judged a batch of tokens at a time,
/// so only a few tokens exist at once however many the text holds.
pub fn for_each_located(text: &[u8], settings: &Settings, now: DateTime<Utc>, each: impl FnMut(Located)) {
    locate_in_chunks(text, CHUNK, settings, now, each)
}

/// An ARM template's `listAccountSas`/`listServiceSas`.
fn is_template_call(t: &Token) -> bool {
    t.mint()
        .is_some_and(|m| m.posture.is_none() && m.surface == Surface::ArmTemplate)
}

fn locate_in_chunks(
    text: &[u8],
    chunk_size: usize,
    settings: &Settings,
    now: DateTime<Utc>,
    mut each: impl FnMut(Located),
) {
    let mut starts = LineIndex::new(text);
    let mut ends = LineIndex::new(text);
    let mut from = 0;
    while from < text.len() {
        let to = if text.len() - from > chunk_size {
            memchr::memchr(b'\n', &text[from + chunk_size..]).map_or(text.len(), |i| from + chunk_size + i + 1)
        } else {
            text.len()
        };
        // A token written over several lines is read in one chunk.
        let to = widen_lines(text, to, true);
        // A call that mints a token starting before `to` is read whole: the chunk runs on
        // for its reach, and what starts in that overrun belongs to the next chunk.
        let overrun = mint_reach_end(text, to);
        // The chunk starts one line early: a `sasguard:ignore-next-line` marker there
        // reaches the chunk's first line. Tokens on that line belong to the chunk before.
        let base = if from == 0 {
            0
        } else {
            memchr::memrchr(b'\n', &text[..from - 1]).map_or(0, |i| i + 1)
        };
        // And before the chain it may start in, which it must see is too long to join, and
        // before the values a call that mints a token names ([`back_reach`]).
        let mut base = widen_lines(text, base, false).min(back_reach(text, from));
        let mut tokens: Vec<Token> = scan(&text[base..overrun]);
        tokens.retain(|t| t.range.start >= from - base && t.range.start < to - base);
        // An ARM template's call may read its variables from farther back: the chunk is
        // read again from there, only when it holds one.
        let far = template_back_reach(text, from);
        if far < base && tokens.iter().any(is_template_call) {
            base = far;
            tokens = scan(&text[base..overrun]);
            tokens.retain(|t| t.range.start >= from - base && t.range.start < to - base);
        }
        let chunk = &text[base..overrun];
        let mut secrets: Vec<_> = tokens
            .iter()
            .flat_map(|t| t.secret_pieces())
            .map(|r| r.start + base..r.end + base)
            .collect();
        secrets.sort_by_key(|r| r.start);
        // Batches are taken from the end, so reverse first to judge in order.
        tokens.reverse();
        while !tokens.is_empty() {
            let batch: Vec<Token> = tokens.drain(tokens.len().saturating_sub(JUDGE_BATCH)..).rev().collect();
            let mut findings = judge(chunk, batch, settings, now);
            findings.sort_by_key(|f| f.token.range.start);
            for mut finding in findings {
                let breakdown = Breakdown::new(chunk, &finding.token, now);
                let revoke = Revocation::new(chunk, &finding.token).after_expiry(finding.expiry, now);
                finding.token.shift(base as isize);
                let range = finding.token.range.clone();
                let start = starts.locate(range.start);
                let pieces = finding.token.pieces.as_ref().map_or_else(Vec::new, |p| {
                    let mut at = starts.clone();
                    p.ranges
                        .iter()
                        .map(|r| (at.locate(r.start), at.locate(r.end)))
                        .collect()
                });
                let line = starts.line_start()..starts.line_end();
                let snippet = snippet(text, line, &range, &secrets);
                let end = ends.locate(range.end);
                each(Located {
                    finding,
                    start,
                    end,
                    snippet,
                    breakdown,
                    revoke,
                    pieces,
                    in_file_name: false,
                    history: None,
                });
            }
        }
        from = to;
    }
}

/// The end of the lines a call site that mints a token and starts before `to` may reach
/// ([`MINT_LINE_REACH`] lines on); `to` at the end of the text.
fn mint_reach_end(text: &[u8], to: usize) -> usize {
    if to >= text.len() {
        return to;
    }
    let mut end = to;
    for _ in 0..=MINT_LINE_REACH {
        match memchr::memchr(b'\n', &text[end..]) {
            Some(p) => end += p + 1,
            None => return text.len(),
        }
    }
    end
}

/// Scans one text and locates all its findings.
pub fn check_text(path: String, text: &[u8], settings: &Settings, now: DateTime<Utc>) -> FileResult {
    let mut findings = Vec::new();
    for_each_located(text, settings, now, |l| findings.push(l));
    FileResult { path, findings }
}

/// What a report ends with: counts only, whatever the number of findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub scanned: usize,
    pub binary: usize,
    pub with_findings: usize,
    /// Findings by severity: error, warning, information, hint.
    pub by_severity: [usize; 4],
    pub errors: usize,
    pub skipped: usize,
    /// Secrets redacted by `--fix`, and in how many files.
    pub fixed: usize,
    pub fixed_files: usize,
    /// Files `--fix --diff` would change.
    pub diffs: usize,
}

const SEVERITIES: [Severity; 4] = [
    Severity::Error,
    Severity::Warning,
    Severity::Information,
    Severity::Hint,
];

impl Totals {
    pub fn add(&mut self, o: &Totals) {
        self.scanned += o.scanned;
        self.binary += o.binary;
        self.with_findings += o.with_findings;
        for (a, b) in self.by_severity.iter_mut().zip(o.by_severity) {
            *a += b;
        }
        self.errors += o.errors;
        self.skipped += o.skipped;
        self.fixed += o.fixed;
        self.fixed_files += o.fixed_files;
        self.diffs += o.diffs;
    }

    pub fn found(&mut self, sev: Severity) {
        if let Some(i) = SEVERITIES.iter().position(|s| *s == sev) {
            self.by_severity[i] += 1;
        }
    }

    pub fn count(&self, sev: Severity) -> usize {
        SEVERITIES
            .iter()
            .position(|s| *s == sev)
            .map_or(0, |i| self.by_severity[i])
    }

    pub fn total(&self) -> usize {
        self.by_severity.iter().sum()
    }

    /// 2 when a file could not be read, 1 when a finding reaches `min`, else 0.
    pub fn exit_code(&self, min: Severity) -> i32 {
        if self.errors > 0 {
            2
        } else if SEVERITIES.iter().any(|s| *s >= min && self.count(*s) > 0) {
            1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic signature: 32 pseudo-random bytes, base64, percent-encoded.
    fn signature() -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut out = String::new();
        for i in 0..43 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // The last character carries 4 bits of the 32nd byte and 2 zero bits.
            let six = (x >> 58) as usize;
            out.push(A[if i == 42 { six & !3 } else { six }] as char);
        }
        out.replace('+', "%2B").replace('/', "%2F") + "%3D"
    }

    fn located(text: &[u8], chunk: usize) -> Vec<(usize, usize, usize, String, String)> {
        let now = DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut out = Vec::new();
        locate_in_chunks(text, chunk, &Settings::default(), now, |l| {
            let t = &l.finding.token;
            if t.mint().is_none() {
                assert_eq!(text[t.secret.clone()], *signature().as_bytes());
            }
            out.push((
                t.range.start,
                l.start.line,
                l.end.column,
                l.snippet.text,
                l.breakdown.fingerprint,
            ));
        });
        out
    }

    #[test]
    fn chunks_find_what_one_pass_finds() {
        let url = format!(
            "https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=rwdl&se=2050-01-01&sig={}",
            signature()
        );
        let mut text = String::new();
        for i in 0..40 {
            match i % 4 {
                0 => text.push_str(&format!("a = \"{url}\"\n")),
                1 => text.push_str("# sasguard:ignore-next-line\n"),
                2 => text.push_str(&format!("hidden = \"{url}\"\r\nx\rb = '{url}' '{url}'\n")),
                // A token in pieces over three lines: one chunk reads it whole.
                _ => {
                    let (head, tail) = url.split_at(url.find("&sig").unwrap());
                    let (a, b) = head.split_at(30);
                    text.push_str(&format!("c = (\"{a}\"\n     \"{b}\"\n  \"{tail}\")\npadding\n\n"))
                }
            }
        }
        let whole = located(text.as_bytes(), usize::MAX);
        assert_eq!(whole.len(), 40);
        for chunk in [1, 7, 64, 200, 1000] {
            assert_eq!(located(text.as_bytes(), chunk), whole, "chunks of {chunk}");
        }
    }

    #[test]
    fn chunks_read_a_minting_call_whole() {
        let call = "az storage account generate-sas \\\n  --services bfqt \\\n  --resource-types sco \\\n  \
                    --permissions rwdlacup \\\n  --expiry 2056-01-01\n";
        let text = format!("x\n{call}y\n{call}");
        let whole = located(text.as_bytes(), usize::MAX);
        assert_eq!(whole.len(), 2);
        for chunk in [1, 5, 40, 90] {
            assert_eq!(located(text.as_bytes(), chunk), whole, "chunks of {chunk}");
        }
    }

    #[test]
    fn chunks_read_a_template_call_with_its_far_variables() {
        let mut text = String::from("{\n  \"variables\": {\n    \"sasProps\": {\n      \"signedServices\": \"bfqt\",\n      \
                                     \"signedResourceTypes\": \"sco\",\n      \"signedPermission\": \"rwdlacup\",\n      \
                                     \"signedExpiry\": \"2056-01-01T00:00:00Z\"\n    },\n");
        for i in 0..200 {
            text.push_str(&format!(
                "    \"name{i}\": \"[concat('a-long-variable-value-', '{i}')]\",\n"
            ));
        }
        text.push_str("    \"last\": 1\n  },\n  \"outputs\": {\n    \"sas\": {\n      \"type\": \"string\",\n      \
                       \"value\": \"[listAccountSas(variables('id'), '2023-01-01', variables('sasProps')).accountSasToken]\"\n    }\n  }\n}\n");
        assert!(text.len() > 4 * crate::scan::mint::MINT_BYTE_REACH);
        let messages = |chunk: usize| {
            let mut out = Vec::new();
            locate_in_chunks(text.as_bytes(), chunk, &Settings::default(), Utc::now(), |l| {
                out.push((l.finding.token.range.start, l.finding.message().to_string()))
            });
            out
        };
        let whole = messages(usize::MAX);
        assert_eq!(whole.len(), 1);
        assert!(whole[0].1.contains("full control"), "{}", whole[0].1);
        for chunk in [100, 1000, 4096, 9000] {
            assert_eq!(messages(chunk), whole, "chunks of {chunk}");
        }
    }
}
