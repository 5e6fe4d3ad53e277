//! What a check found: per file, the located findings; plus files that could not be read
//! and files that were skipped.

use chrono::{DateTime, Utc};

use super::locate::{snippet, LineCol, LineIndex, Snippet};
use crate::config::{Settings, Severity};
use crate::policy::breakdown::Breakdown;
use crate::policy::{judge, Finding};
use crate::scan::scan;

/// A finding with its place in the file and what to show of it.
#[derive(Debug, Clone)]
pub struct Located {
    pub finding: Finding,
    pub start: LineCol,
    pub end: LineCol,
    pub snippet: Snippet,
    pub breakdown: Breakdown,
}

#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: String,
    pub findings: Vec<Located>,
}

/// A path and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileResult>,
    pub errors: Vec<Problem>,
    pub skipped: Vec<Problem>,
    pub scanned: usize,
    pub binary: usize,
    /// Secrets redacted by `--fix`, and in how many files.
    pub fixed: usize,
    pub fixed_files: usize,
    /// What `--fix --diff` would change, per file.
    pub diffs: Vec<(String, String)>,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = (&str, &Located)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |l| (f.path.as_str(), l)))
    }

    pub fn count(&self, sev: Severity) -> usize {
        self.findings().filter(|(_, l)| l.finding.severity == sev).count()
    }

    pub fn total(&self) -> usize {
        self.findings().count()
    }

    /// 2 when a file could not be read, 1 when a finding reaches `min`, else 0.
    pub fn exit_code(&self, min: Severity) -> i32 {
        if !self.errors.is_empty() {
            2
        } else if self.findings().any(|(_, l)| l.finding.severity >= min) {
            1
        } else {
            0
        }
    }

    /// Orders files by path so output does not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        self.diffs.sort();
    }
}

/// Scans one text and locates its findings.
pub fn check_text(path: String, text: &[u8], settings: &Settings, now: DateTime<Utc>) -> FileResult {
    let tokens = scan(text);
    let mut secrets: Vec<_> = tokens.iter().map(|t| t.secret.clone()).collect();
    secrets.sort_by_key(|r| r.start);
    let mut findings = judge(text, tokens, settings, now);
    findings.sort_by_key(|f| f.token.range.start);
    let mut starts = LineIndex::new(text);
    let mut ends = LineIndex::new(text);
    let located = findings
        .into_iter()
        .map(|finding| {
            let range = finding.token.range.clone();
            let start = starts.locate(range.start);
            let line = starts.line_start()..starts.line_end();
            let snippet = snippet(text, line, &range, &secrets);
            let end = ends.locate(range.end);
            let breakdown = Breakdown::new(text, &finding.token, now);
            Located {
                finding,
                start,
                end,
                snippet,
                breakdown,
            }
        })
        .collect();
    FileResult {
        path,
        findings: located,
    }
}
