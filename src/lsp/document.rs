//! An open document: its text in a rope (lines end only at `\n`, `\r\n` and `\r`, as in
//! LSP) and its findings, kept up to date incrementally. An edit re-scans only the lines
//! it touched, plus one line either side (a `sasguard:ignore-next-line` marker reaches the
//! next line), widened to whole chains of pieces (a token written over several lines is
//! re-read whole); every other finding is reused and shifted, so the result equals a full
//! scan. No LSP types here: edits are byte ranges.

use std::ops::Range;

use chrono::{DateTime, Utc};
use ropey::Rope;

use crate::config::Settings;
use crate::policy::{attaches_across, judge, judge_unsuppressed, line_marks, markers, Finding, LineMarks};
use crate::scan::mint::{
    arm_calls, template_anchors, MINT_BYTE_REACH, MINT_LINE_REACH, MINT_MAX_LEN, TEMPLATE_BACK_REACH,
};
use crate::scan::{scan, LINE_REACH};

/// How many lines either side of an edit decide the findings there: a token's context
/// ([`LINE_REACH`]) and a call site that mints one, read from its anchor's line
/// ([`MINT_LINE_REACH`]).
const REACH: usize = if LINE_REACH > MINT_LINE_REACH {
    LINE_REACH
} else {
    MINT_LINE_REACH
};

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
    /// What suppression says about the long line last edited through a window.
    verdict: Option<(usize, LineVerdict)>,
    /// The text has held an ARM template's `listAccountSas`/`listServiceSas` since it was
    /// last analysed whole: such a call reads the template's variables from up to
    /// [`TEMPLATE_BACK_REACH`] bytes before it, so an edit re-reads the calls that far after
    /// it. Set by a whole analysis or an edit that finds one, cleared only by a whole
    /// analysis that finds none: ordinary text never pays the far search.
    templates: bool,
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
            verdict: None,
            templates: false,
        };
        d.analyze_all(ctx);
        d
    }

    /// Re-analyses the whole text (after opening, a full replacement or a settings change).
    pub fn analyze_all(&mut self, ctx: Context) {
        self.verdict = None;
        self.too_large = self.rope.len_bytes() as u64 > ctx.settings.max_file_size.0;
        if self.too_large || self.ignored {
            self.findings.clear();
            return;
        }
        let text = self.rope.to_string();
        self.templates = arm_calls(text.as_bytes(), 0).next().is_some();
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

        // Lines whose tokens the edit may change: a token is decided by text up to
        // `REACH` lines from it (its name, the call it is passed to, Azure context, the
        // lines of a call that mints one), and a token written over several lines that
        // reaches into them is re-read whole.
        let first_line = self.rope.byte_to_line(start).saturating_sub(1 + REACH);
        let last_line = self.rope.byte_to_line(end) + 1 + REACH;
        let (old_start, old_end) = self.widen_to_findings(self.rope.line_to_byte(first_line), self.line_end(last_line));

        // An edit inside one long line re-scans a window around it, not the whole line.
        let one_line = !new.contains(['\n', '\r']) && self.rope.byte_to_line(start) == self.rope.byte_to_line(end);
        let line = self.rope.byte_to_line(start);
        let line_len = self.line_end(line) - self.rope.line_to_byte(line);
        let marker_near = |rope: &Rope, from: usize, to: usize| {
            let lo = from.saturating_sub(MARKER_REACH);
            let hi = (to + MARKER_REACH).min(rope.len_bytes());
            let near: Vec<u8> = (lo..hi).map(|i| rope.byte(i)).collect();
            memchr::memmem::find(&near, b"sasguard:ignore").is_some()
        };
        // Whether the edit writes an ARM call, or makes one of a template call up to the
        // ordinary reach after it (a `"[` before it on its line).
        let wrote_arm = {
            let lo = start.saturating_sub(MINT_BYTE_REACH + 1);
            let hi = (end + MINT_BYTE_REACH + TEMPLATE_MARGIN).min(len);
            let mut around = self.bytes(lo..start);
            around.extend_from_slice(new.as_bytes());
            around.extend_from_slice(&self.bytes(end..hi));
            let from = (start - lo).saturating_sub(TEMPLATE_MARGIN);
            let wrote = arm_calls(&around, from).next().is_some();
            wrote
        };
        self.templates |= wrote_arm;
        // A template call that may read text the edit changes is re-read with all it may
        // look back at, not through a window in a long line.
        let far_calls = self.templates && (wrote_arm || self.template_calls_after(start, end));
        let windowed = one_line
            && !far_calls
            && end - start <= MAX_WINDOWED_EDIT
            && new.len() <= MAX_WINDOWED_EDIT
            && line_len > LONG_LINE
            && !self.too_large
            && !self.ignored
            && !marker_near(&self.rope, start, end);
        if windowed {
            // What suppression says about the line before the edit.
            self.line_verdict(line);
        }

        self.rope.remove(cs..ce);
        self.rope.insert(cs, new);
        let delta = new.len() as isize - (end - start) as isize;
        if windowed
            && !marker_near(&self.rope, start, start + new.len())
            && self.edit_in_line(line, start..end, delta, ctx)
        {
            return;
        }
        self.verdict = None;

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
        // Chains of pieces the edit made, joined or left are re-read whole.
        let (old_start, new_end) = self.widen_to_chains(old_start, new_end, delta);
        // Template calls reading the edited text from far after it are re-read, each with
        // the text it may look back at.
        let (far_start, new_end) = self.widen_to_templates(old_start, start + new.len(), new_end);
        let old_end = (new_end as isize - delta) as usize;
        // Context either side of the region: one line for `ignore-next-line` markers, and
        // what decides the tokens at its edges.
        let context_line = self.rope.byte_to_line(old_start).saturating_sub(1 + REACH);
        let window_start = self.rope.line_to_byte(context_line).min(far_start);
        let window_end = if new_end >= self.rope.len_bytes() {
            new_end
        } else {
            self.line_end((self.rope.byte_to_line(new_end) + REACH).min(self.rope.len_lines() - 1))
        };
        let window: String = self.rope.byte_slice(window_start..window_end).to_string();
        let mut fresh = analyze_window(window.as_bytes(), window_start, old_start, ctx);
        fresh.retain(|f| f.token.range.start < new_end);

        let first = self.findings.partition_point(|f| f.token.range.start < old_start);
        let after = self.findings.partition_point(|f| f.token.range.start < old_end);
        let added = fresh.len();
        self.findings.splice(first..after, fresh);
        if delta != 0 {
            for f in &mut self.findings[first + added..] {
                shift(f, delta);
            }
        }
    }
}

/// Bytes around an edit in which a template call it writes is looked for.
const TEMPLATE_MARGIN: usize = 64;

/// How far before a region a token of several pieces reaching into it is looked for.
const MAX_JOINED_REACH: usize = 64 << 10;
use crate::scan::pieces::LINK_REACH;
/// How much text around a line boundary decides whether a link crosses it.
const LINE_AROUND: usize = 4096;
/// The same, for a window edge inside a long line.
const EDGE_AROUND: usize = 1024;

impl Document {
    /// When the text holds template calls: the region `from..to` (in the new text; the
    /// edit's new text ends at `edited`) widened to the template calls whose far reach
    /// ([`TEMPLATE_BACK_REACH`]) covers the edit, and where the window must start for the
    /// first call in it to see all it may look back at. `(usize::MAX, to)` when none.
    fn widen_to_templates(&self, from: usize, edited: usize, to: usize) -> (usize, usize) {
        if !self.templates {
            return (usize::MAX, to);
        }
        let Some((first, last)) = self.arm_calls_after(from, edited.max(to)) else {
            return (usize::MAX, to);
        };
        let start = self
            .rope
            .line_to_byte(self.rope.byte_to_line(first.saturating_sub(TEMPLATE_BACK_REACH + 1)));
        (start, to.max(self.line_end(self.rope.byte_to_line(last))))
    }

    /// Whether a template call (ARM or not) starts from just before `from` to a far reach
    /// and a line after `edited`.
    fn template_calls_after(&self, from: usize, edited: usize) -> bool {
        let len = self.rope.len_bytes();
        let far = (edited + TEMPLATE_BACK_REACH + 1).min(len);
        let hi = self.line_end(self.rope.byte_to_line(far));
        let text = self.bytes(from.saturating_sub(TEMPLATE_MARGIN)..hi);
        let found = template_anchors(&text).next().is_some();
        found
    }

    /// The bytes of `r`, which need not fall on character boundaries.
    fn bytes(&self, r: Range<usize>) -> Vec<u8> {
        let mut out = Vec::with_capacity(r.len());
        let (chunks, at, _, _) = self.rope.chunks_at_byte(r.start);
        let mut pos = at;
        for c in chunks {
            if pos >= r.end {
                break;
            }
            let c = c.as_bytes();
            let from = r.start.saturating_sub(pos).min(c.len());
            let to = (r.end - pos).min(c.len());
            out.extend_from_slice(&c[from..to]);
            pos += c.len();
        }
        out
    }

    /// The first and last ARM calls from `from` on whose far reach may cover `edited` (a
    /// call whose floor is at or before it starts at most a reach and a line after it).
    fn arm_calls_after(&self, from: usize, edited: usize) -> Option<(usize, usize)> {
        let len = self.rope.len_bytes();
        let far = (edited + TEMPLATE_BACK_REACH + 1).min(len);
        let hi = self.line_end(self.rope.byte_to_line(far));
        let lo = from.saturating_sub(MINT_BYTE_REACH + 1);
        let text = self.bytes(lo..hi);
        let mut calls = arm_calls(&text, from - lo).map(|p| p + lo);
        let first = calls.next()?;
        Some((first, calls.last().unwrap_or(first)))
    }

    /// Widens `[from, to)` (line boundaries of the current text) to the lines of every
    /// finding of several pieces that overlaps it.
    fn widen_to_findings(&self, mut from: usize, mut to: usize) -> (usize, usize) {
        let lo = self
            .findings
            .partition_point(|f| f.token.range.start < from.saturating_sub(MAX_JOINED_REACH));
        let hi = self.findings.partition_point(|f| f.token.range.start < to);
        for f in &self.findings[lo..hi] {
            let r = &f.token.range;
            if f.token.pieces.is_some() && r.start < to && r.end > from {
                from = from.min(self.rope.line_to_byte(self.rope.byte_to_line(r.start)));
                to = to.max(self.line_end(self.rope.byte_to_line(r.end.saturating_sub(1).max(r.start))));
            }
        }
        (from, to)
    }

    /// Whether a link between two pieces crosses `at` in the current text (read `around`
    /// bytes either side).
    fn linked_at(&self, at: usize, around: usize) -> bool {
        let lo = at.saturating_sub(around);
        let hi = (at + around).min(self.rope.len_bytes());
        let near: Vec<u8> = self.rope.bytes_at(lo).take(hi - lo).collect();
        crate::scan::pieces::linked_across(&near, at - lo)
    }

    /// Widens the region `[from, to)` of the edited text (line boundaries) until no link
    /// between pieces crosses its edges and it covers every old finding of several pieces
    /// it touches (`delta`: how much longer the text became; old findings after the edit
    /// are still at their old offsets).
    fn widen_to_chains(&self, mut from: usize, mut to: usize, delta: isize) -> (usize, usize) {
        // Old findings of several pieces that cross the edges (they may be gone now).
        let old_to = (to as isize - delta) as usize;
        let lo = self
            .findings
            .partition_point(|f| f.token.range.start < from.saturating_sub(MAX_JOINED_REACH));
        let hi = self.findings.partition_point(|f| f.token.range.start < old_to);
        for f in self.findings[lo..hi].iter().filter(|f| f.token.pieces.is_some()) {
            let r = &f.token.range;
            if r.start < from && r.end > from {
                from = self.rope.line_to_byte(self.rope.byte_to_line(r.start));
            }
            if r.start < old_to && r.end > old_to {
                let end = ((r.end as isize + delta) as usize).min(self.rope.len_bytes());
                to = to.max(self.line_end(self.rope.byte_to_line(end.saturating_sub(1))));
            }
        }
        // Chains crossing the edges now. One longer than this many lines is too long to be
        // read as one text, and a window that holds this much of it sees so.
        let mut steps = 0;
        while from > 0 && steps < LINK_REACH && self.linked_at(from, LINE_AROUND) {
            from = self.rope.line_to_byte(self.rope.byte_to_line(from - 1));
            steps += 1;
        }
        steps = 0;
        while to < self.rope.len_bytes() && steps < LINK_REACH && self.linked_at(to, LINE_AROUND) {
            to = self.line_end(self.rope.byte_to_line(to));
            steps += 1;
        }
        (from, to)
    }
}

/// A line longer than this is edited through a window around the edit.
const LONG_LINE: usize = 16 << 10;
/// How far before its run of token bytes a token may start (`SharedAccessSignature `).
const LOOKBACK: usize = 64;
/// How far to look for a window edge before taking the line's.
const MAX_SEARCH: usize = 256 << 10;
/// Larger edits (a paste, a deleted block) re-scan their lines.
const MAX_WINDOWED_EDIT: usize = 4096;
/// How far around an edit a suppression marker could reach into it.
const MARKER_REACH: usize = 32;
/// Bytes of unchanged text kept around an edit before the window's edges, so that every
/// token the edit could touch, and what decides it, lies inside the window.
/// A call site that mints a token is at most [`MINT_MAX_LEN`] long and is read from its
/// anchor forward, so the margin holds one whole beside the edit too.
const MARGIN: usize = 1024 + MINT_MAX_LEN;
const _: () = assert!(crate::scan::BYTE_REACH < MARGIN);

impl Document {
    /// Re-analyses the part of one long line around an edit of the old bytes `old` (the
    /// rope already holds the new text, `delta` bytes longer). The window's edges fall
    /// where no token can cross (after a byte that is not part of any token), at least
    /// [`MARGIN`] bytes from the edit, so tokens outside it are unchanged and shifted.
    /// The edit made or broke no marker (the caller checked). On a line holding one, what
    /// it suppresses depends on the quotes and comments before it anywhere on the line:
    /// the window is used only when the line's markers and their comments are the same
    /// after the edit (moved), and no token before the window could be attached across the
    /// edit to an inline comment after it; else `false`, nothing changed, and the caller
    /// re-scans the line.
    fn edit_in_line(&mut self, line: usize, old: Range<usize>, delta: isize, ctx: Context) -> bool {
        let line_start = self.rope.line_to_byte(line);
        let line_end = self.line_end(line);
        let new_end = (old.end as isize + delta) as usize;
        // Region whose findings are replaced: [keep_from, keep_to) in new coordinates.
        let keep_from = self.boundary_before(old.start.saturating_sub(MARGIN), line_start);
        let keep_to = self.boundary_after(new_end + MARGIN, line_end);
        // Context either side of the region: bare keys look back at their names, and a
        // `SharedAccessSignature ` header starts before its run, so a token starting just
        // before an edge may end past it.
        let window_start = self.boundary_before(keep_from.saturating_sub(MARGIN), line_start);
        let window_end = self.boundary_after(keep_to + MARGIN, line_end);
        // A token near a window edge that is the line's may be decided by the lines beside
        // it (a name on the line above): those edits re-scan whole lines.
        let has_next = line + 1 < self.rope.len_lines() && line_end < self.rope.len_bytes();
        if (window_start == line_start && line > 0) || (window_end == line_end && has_next) {
            return false;
        }
        let window: String = self.rope.byte_slice(window_start..window_end).to_string();
        // Tokens starting this far before their run (the header's prefix) are re-judged too.
        let keep_from = keep_from.saturating_sub(LOOKBACK).max(window_start);
        let (above, marked) = {
            let v = self.line_verdict(line);
            (v.above, v.marked)
        };
        // The line's text and markers after the edit, when it holds any.
        let mut marks: Option<(String, LineMarks)> = None;
        if marked && !above {
            let text = self.rope.line(line).to_string();
            let now = line_marks(text.as_bytes());
            let before = &self.verdict.as_ref().expect("computed above").1.marks;
            let old_in_line = old.start - line_start..old.end - line_start;
            if !before.moved_to(&now, &old_in_line, delta) {
                return false;
            }
            let ahead = &text.as_bytes()[keep_from - line_start..old.start.max(keep_from) - line_start];
            if now.any_inline() && attaches_across(ahead) {
                return false;
            }
            marks = Some((text, now));
        }
        let mut fresh = if above {
            Vec::new()
        } else {
            let mut tokens = scan(window.as_bytes());
            if let Some((text, now)) = &marks {
                let at = window_start - line_start;
                tokens.retain(|t| !now.suppresses(text.as_bytes(), &(t.range.start + at..t.range.end + at)));
            }
            let mut fresh = judge_unsuppressed(tokens, ctx.settings, ctx.now);
            fresh.retain(|f| (keep_from..keep_to).contains(&(f.token.range.start + window_start)));
            for f in &mut fresh {
                shift(f, window_start as isize);
            }
            fresh.sort_by_key(|f| (f.token.range.start, f.token.secret.start));
            fresh
        };
        let old_keep_to = (keep_to as isize - delta) as usize;
        let first = self.findings.partition_point(|f| f.token.range.start < keep_from);
        let after = self.findings.partition_point(|f| f.token.range.start < old_keep_to);
        let added = fresh.len();
        self.findings.splice(first..after, fresh.drain(..));
        if delta != 0 {
            for f in &mut self.findings[first + added..] {
                shift(f, delta);
            }
        }
        if let (Some((_, now)), Some((_, v))) = (marks, self.verdict.as_mut()) {
            v.marks = now;
        }
        true
    }

    /// Is `at` a place no token crosses, given the bytes around it: just after a byte no
    /// token holds, and at a character boundary?
    fn boundary_between(before: u8, after: u8) -> bool {
        after & 0xC0 != 0x80 && !crate::scan::params::is_token_byte_before(before, Some(after))
    }

    /// Whether a window may end at boundary `p`: no link between pieces crosses it, or
    /// enough linked boundaries were passed on the way (`linked` counts them) that the
    /// window holds more of the chain crossing it than a chain read as one text has.
    fn edge_ok(&self, p: usize, linked: &mut (usize, bool)) -> bool {
        if linked.0 >= LINK_REACH || !self.linked_at(p, EDGE_AROUND) {
            return true;
        }
        // Runs crossed, not boundaries: the glue between two pieces has many.
        if linked.1 {
            linked.0 += 1;
            linked.1 = false;
        }
        false
    }

    /// The nearest boundary at or before `at`; the line start when there is none within
    /// [`MAX_SEARCH`] (a line that is one run of token bytes is re-scanned whole).
    fn boundary_before(&self, at: usize, line_start: usize) -> usize {
        let at = at.max(line_start);
        if at <= line_start || at >= self.rope.len_bytes() {
            return at;
        }
        let mut bytes = self.rope.bytes_at(at);
        let mut after = self.rope.byte(at);
        let mut p = at;
        let mut linked = (0, false);
        while p > line_start && at - p <= MAX_SEARCH {
            let Some(before) = bytes.prev() else { break };
            if Self::boundary_between(before, after) && self.edge_ok(p, &mut linked) {
                return p;
            }
            linked.1 |= crate::scan::params::is_token_byte_before(before, Some(after));
            after = before;
            p -= 1;
        }
        line_start
    }

    /// The nearest boundary at or after `at`; the line end when there is none within
    /// [`MAX_SEARCH`].
    fn boundary_after(&self, at: usize, line_end: usize) -> usize {
        if at == 0 || at >= line_end {
            return at.min(line_end);
        }
        let mut bytes = self.rope.bytes_at(at - 1);
        let Some(mut before) = bytes.next() else {
            return line_end;
        };
        let mut p = at;
        let mut linked = (0, false);
        while p < line_end && p - at <= MAX_SEARCH {
            let Some(after) = bytes.next() else { break };
            if Self::boundary_between(before, after) && self.edge_ok(p, &mut linked) {
                return p;
            }
            linked.1 |= crate::scan::params::is_token_byte_before(before, Some(after));
            before = after;
            p += 1;
        }
        line_end
    }

    /// Whether `line` holds a marker, its markers, and whether the line before ignores it.
    /// Remembered for the long line being edited (a windowed edit updates its markers).
    fn line_verdict(&mut self, line: usize) -> &LineVerdict {
        if !matches!(&self.verdict, Some((l, _)) if *l == line) {
            let text = |l: usize| self.rope.line(l).to_string();
            let own = text(line);
            let (marked, _) = markers(own.as_bytes());
            let v = LineVerdict {
                marked,
                marks: if marked {
                    line_marks(own.as_bytes())
                } else {
                    LineMarks::default()
                },
                above: line > 0 && markers(text(line - 1).as_bytes()).1,
            };
            self.verdict = Some((line, v));
        }
        &self.verdict.as_ref().expect("just computed").1
    }
}

/// What suppression says about one line.
#[derive(Debug, Clone)]
struct LineVerdict {
    /// The line holds a marker's text (in a comment or not).
    marked: bool,
    /// Its markers that count.
    marks: LineMarks,
    /// An `ignore-next-line` on the line before suppresses every token of it.
    above: bool,
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
    f.token.shift(delta);
}
