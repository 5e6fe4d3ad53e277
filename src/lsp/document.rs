//! An open document: its text in a rope (lines end only at `\n`, `\r\n` and `\r`, as in
//! LSP) and its findings, kept up to date incrementally. An edit re-scans only the lines
//! it touched, plus one line either side (a `sasguard:ignore-next-line` marker reaches the
//! next line); every other finding is reused and shifted. Tokens never span lines, so the
//! result equals a full scan. No LSP types here: edits are byte ranges.

use std::ops::Range;

use chrono::{DateTime, Utc};
use ropey::Rope;

use crate::config::Settings;
use crate::policy::{judge, Finding};
use crate::scan::scan;

/// What an analysis needs besides the text.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language_id: String,
    pub findings: Vec<Finding>,
    /// True when the document is above `maxFileSize` and is not analysed.
    pub too_large: bool,
    /// True when git ignores the file (and `scanGitIgnored` is off): not analysed.
    pub ignored: bool,
    /// True when the editor's text is not known to match this one (a change was lost or
    /// came out of order): nothing is offered for it until the whole text comes again.
    pub out_of_sync: bool,
}

impl Document {
    pub fn new(text: &str, version: i32, language_id: &str, ctx: Context) -> Document {
        Document::open(text, version, language_id, false, ctx)
    }

    /// A document, not analysed at all when `ignored` (git ignores the file).
    pub fn open(text: &str, version: i32, language_id: &str, ignored: bool, ctx: Context) -> Document {
        let mut d = Document {
            rope: Rope::from_str(text),
            version,
            language_id: language_id.to_string(),
            findings: Vec::new(),
            too_large: false,
            ignored,
            out_of_sync: false,
        };
        d.analyze_all(ctx);
        d
    }

    /// Re-analyses the whole text (after opening, a full replacement or a settings change).
    pub fn analyze_all(&mut self, ctx: Context) {
        self.too_large = self.rope.len_bytes() as u64 > ctx.settings.max_file_size.0;
        if self.too_large || self.ignored {
            self.findings.clear();
            return;
        }
        let text = self.rope.to_string();
        self.findings = analyze_window(text.as_bytes(), 0, 0, ctx);
    }

    pub fn replace_all(&mut self, text: &str, ctx: Context) {
        self.rope = Rope::from_str(text);
        self.analyze_all(ctx);
    }

    /// The whole text (for code actions that read around a token).
    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Byte offset just past line `line` and its line break (the document end if none).
    fn line_end(&self, line: usize) -> usize {
        if line + 1 < self.rope.len_lines() {
            self.rope.line_to_byte(line + 1)
        } else {
            self.rope.len_bytes()
        }
    }

    /// Replaces `range` (bytes, clamped to the text and to character boundaries) by `new`
    /// and updates the findings incrementally.
    pub fn edit(&mut self, range: Range<usize>, new: &str, ctx: Context) {
        let len = self.rope.len_bytes();
        let (start, end) = (range.start.min(len), range.end.min(len));
        let (start, end) = (start.min(end), start.max(end));
        let cs = self.rope.byte_to_char(start);
        let ce = self.rope.byte_to_char(end);
        let (start, end) = (self.rope.char_to_byte(cs), self.rope.char_to_byte(ce));

        let first_line = self.rope.byte_to_line(start).saturating_sub(1);
        let last_line = self.rope.byte_to_line(end) + 1;
        let old_start = self.rope.line_to_byte(first_line);
        let old_end = self.line_end(last_line);

        self.rope.remove(cs..ce);
        self.rope.insert(cs, new);
        let delta = new.len() as isize - (end - start) as isize;

        let was_too_large = self.too_large;
        self.too_large = self.rope.len_bytes() as u64 > ctx.settings.max_file_size.0;
        if self.too_large || self.ignored {
            self.findings.clear();
            return;
        }
        if was_too_large {
            self.analyze_all(ctx);
            return;
        }
        let new_end = (old_end as isize + delta) as usize;
        // One line of context before the region, for `ignore-next-line` markers.
        let context_line = self.rope.byte_to_line(old_start).saturating_sub(1);
        let window_start = self.rope.line_to_byte(context_line);
        let window: String = self.rope.byte_slice(window_start..new_end).to_string();
        let fresh = analyze_window(window.as_bytes(), window_start, old_start, ctx);

        let first = self.findings.partition_point(|f| f.token.range.start < old_start);
        let after = self.findings.partition_point(|f| f.token.range.start < old_end);
        let mut tail: Vec<Finding> = self.findings.drain(first..).skip(after - first).collect();
        for f in &mut tail {
            shift(f, delta);
        }
        self.findings.extend(fresh);
        self.findings.append(&mut tail);
    }
}

/// Analyses `window` (which starts at byte `offset` of the document) and keeps the findings
/// whose token starts at or after `keep_from`, with document offsets.
fn analyze_window(window: &[u8], offset: usize, keep_from: usize, ctx: Context) -> Vec<Finding> {
    let tokens = scan(window);
    let mut out: Vec<Finding> = judge(window, tokens, ctx.settings, ctx.now)
        .into_iter()
        .filter(|f| f.token.range.start + offset >= keep_from)
        .collect();
    if offset > 0 {
        for f in &mut out {
            shift(f, offset as isize);
        }
    }
    out.sort_by_key(|f| (f.token.range.start, f.token.secret.start));
    out
}

fn shift(f: &mut Finding, delta: isize) {
    let mv = |r: &mut Range<usize>| {
        r.start = (r.start as isize + delta) as usize;
        r.end = (r.end as isize + delta) as usize;
    };
    let t = &mut f.token;
    mv(&mut t.range);
    mv(&mut t.secret);
    if let Some(r) = &mut t.resource_url {
        mv(r);
    }
    if let Some(r) = &mut t.query {
        mv(r);
    }
}
