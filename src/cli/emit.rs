//! Streaming output in a fixed order from parallel workers. Each target (a file, stdin, a
//! problem met while listing) has an index in path order; a worker writes its records to
//! a slot, and slots reach the output in index order. A slot whose output grows past a
//! small bound waits for its turn and then writes straight through, and finished slots
//! waiting for an earlier one are bounded in total, so memory does not grow with the
//! size of the report.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::report::{Problem, Totals};

/// What goes between records: before the first record of the report, and between two.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub first: &'static str,
    pub next: &'static str,
}

impl Layout {
    pub const PLAIN: Layout = Layout { first: "", next: "" };
}

/// A slot's output above this is written straight through once it is the slot's turn.
const SLOT_CAP: usize = 256 << 10;
/// Finished slots waiting for an earlier one hold at most this much.
const PENDING_CAP: usize = 8 << 20;
/// What a waiting slot costs besides its output.
const PENDING_OVERHEAD: usize = 128;

/// The report's destination: the first write error is kept and later writes are dropped
/// (a reader that went away, as `| head` does, stops the output, not the check).
pub struct Out {
    w: Box<dyn Write + Send>,
    pub error: Option<io::Error>,
}

impl Out {
    pub fn new(w: Box<dyn Write + Send>) -> Self {
        Out { w, error: None }
    }

    pub fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.w.flush() {
                self.error = Some(e);
            }
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none() {
            if let Err(e) = self.w.write_all(buf) {
                self.error = Some(e);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Out::flush(self);
        Ok(())
    }
}

/// A problem to report: an error (exit 2) or a skip.
#[derive(Debug, Clone)]
pub struct Note {
    pub error: bool,
    pub problem: Problem,
}

struct Done {
    body: Vec<u8>,
    records: usize,
    totals: Totals,
    notes: Vec<Note>,
}

struct State {
    /// The index whose output comes next.
    next: usize,
    /// `None` while a slot writes straight through.
    out: Option<Out>,
    pending: BTreeMap<usize, Done>,
    pending_bytes: usize,
    /// Records written so far.
    records: usize,
    totals: Totals,
    notes: Vec<Note>,
}

pub struct Sink {
    state: Mutex<State>,
    turn: Condvar,
    layout: Layout,
    /// Called for each note as it reaches the output (human messages on stderr).
    on_note: Box<dyn Fn(&Note) + Sync>,
}

/// One target's output while it is worked on.
pub struct Slot<'a> {
    sink: &'a Sink,
    index: usize,
    buf: Vec<u8>,
    records: usize,
    direct: Option<Out>,
    pub totals: Totals,
    notes: Vec<Note>,
}

impl<'a> Slot<'a> {
    /// Writes one record (a finding, a file's diff) with what goes before it.
    pub fn record(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        let sep = if self.records > 0 { self.sink.layout.next } else { "" };
        self.records += 1;
        let w: &mut dyn Write = match &mut self.direct {
            Some(out) => out,
            None => &mut self.buf,
        };
        // Writing to memory cannot fail, and `Out` keeps its own error.
        let _ = w.write_all(sep.as_bytes()).and_then(|_| write(w));
        if self.direct.is_none() && self.buf.len() > SLOT_CAP {
            self.go_direct();
        }
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>) {
        self.note(true, path, message.into());
    }

    pub fn skip(&mut self, path: &str, message: impl Into<String>) {
        self.note(false, path, message.into());
    }

    fn note(&mut self, error: bool, path: &str, message: String) {
        if error {
            self.totals.errors += 1;
        } else {
            self.totals.skipped += 1;
        }
        let problem = Problem {
            path: path.to_string(),
            message,
        };
        self.notes.push(Note { error, problem });
    }

    /// Waits for this slot's turn, writes what it holds and keeps the output.
    fn go_direct(&mut self) {
        let sink = self.sink;
        let mut st = sink.wait_turn(self.index);
        let mut out = st.out.take();
        // Later slots wait for this one to finish, so the count can be added then.
        let records = st.records;
        drop(st);
        if let Some(out) = &mut out {
            write_body(out, &self.buf, records, sink.layout);
        }
        self.buf = Vec::new();
        self.direct = out;
    }
}

fn write_body(out: &mut Out, body: &[u8], records_before: usize, layout: Layout) {
    if body.is_empty() {
        return;
    }
    let sep = if records_before > 0 { layout.next } else { layout.first };
    let _ = out.write_all(sep.as_bytes());
    let _ = out.write_all(body);
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Sink {
    pub fn new(out: Out, layout: Layout, on_note: Box<dyn Fn(&Note) + Sync>) -> Self {
        Sink {
            state: Mutex::new(State {
                next: 0,
                out: Some(out),
                pending: BTreeMap::new(),
                pending_bytes: 0,
                records: 0,
                totals: Totals::default(),
                notes: Vec::new(),
            }),
            turn: Condvar::new(),
            layout,
            on_note,
        }
    }

    pub fn slot(&self, index: usize) -> Slot<'_> {
        Slot {
            sink: self,
            index,
            buf: Vec::new(),
            records: 0,
            direct: None,
            totals: Totals::default(),
            notes: Vec::new(),
        }
    }

    /// Blocks until `index` is next and the output is free.
    fn wait_turn(&self, index: usize) -> MutexGuard<'_, State> {
        let mut st = lock(&self.state);
        while st.next != index || st.out.is_none() {
            st = self.turn.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        st
    }

    /// Hands a finished slot's output on: written now when it is its turn, else kept
    /// until it is (or, when too much is kept already, written when its turn comes).
    pub fn finish(&self, slot: Slot<'_>) {
        let Slot {
            index,
            buf,
            records,
            direct,
            totals,
            notes,
            ..
        } = slot;
        let done = Done {
            body: buf,
            records,
            totals,
            notes,
        };
        let mut st = lock(&self.state);
        if let Some(out) = direct {
            // Its turn already; its output is written.
            st.out = Some(out);
            self.retire(&mut st, done);
        } else {
            let cost = done.body.len() + PENDING_OVERHEAD;
            if st.next != index && st.pending_bytes + cost > PENDING_CAP {
                drop(st);
                st = self.wait_turn(index);
            }
            if st.next == index {
                self.retire(&mut st, done);
            } else {
                st.pending_bytes += cost;
                st.pending.insert(index, done);
                return;
            }
        }
        // Later slots that finished early follow.
        while let Some(done) = {
            let next = st.next;
            st.pending.remove(&next)
        } {
            st.pending_bytes -= done.body.len() + PENDING_OVERHEAD;
            self.retire(&mut st, done);
        }
        drop(st);
        self.turn.notify_all();
    }

    /// Writes the slot that is next and moves on to the one after it.
    fn retire(&self, st: &mut State, done: Done) {
        let records = st.records;
        if let Some(out) = &mut st.out {
            write_body(out, &done.body, records, self.layout);
        }
        st.records += done.records;
        st.totals.add(&done.totals);
        for n in done.notes {
            (self.on_note)(&n);
            st.notes.push(n);
        }
        st.next += 1;
    }

    /// The output, the totals, the problems in order, and how many records were written.
    pub fn into_parts(self) -> (Option<Out>, Totals, Vec<Note>, usize) {
        let st = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        (st.out, st.totals, st.notes, st.records)
    }
}

/// Writes `v` as pretty JSON whose lines after the first are indented by `indent` spaces,
/// as when nested that deep in a pretty-printed document.
pub fn pretty_at(w: &mut dyn Write, v: &serde_json::Value, indent: usize) -> io::Result<()> {
    let mut ind = Indent { w, pad: indent };
    serde_json::to_writer_pretty(&mut ind, v).map_err(io::Error::other)
}

/// Indents every line after the first (JSON strings hold no raw line break).
struct Indent<'a> {
    w: &'a mut dyn Write,
    pad: usize,
}

impl Write for Indent<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            self.w.write_all(&rest[..=i])?;
            let mut pad = self.pad;
            while pad > 0 {
                let n = pad.min(SPACES.len());
                self.w.write_all(&SPACES[..n])?;
                pad -= n;
            }
            rest = &rest[i + 1..];
        }
        self.w.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A writer whose bytes can be read after the sink is gone.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn slots_reach_the_output_in_index_order_whatever_finishes_first() {
        let shared = Shared::default();
        let layout = Layout { first: "[", next: "," };
        let sink = Sink::new(Out::new(Box::new(shared.clone())), layout, Box::new(|_| {}));
        let n = 200;
        let counter = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| loop {
                    let i = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    let mut slot = sink.slot(i);
                    // Every fifth slot is big enough to go straight through.
                    let big = i % 5 == 0;
                    let records = if i % 3 == 0 { 0 } else { 2 };
                    for r in 0..records {
                        slot.record(|w| {
                            if big {
                                w.write_all(&vec![b'x'; SLOT_CAP])?;
                            }
                            write!(w, "{i}.{r}")
                        });
                    }
                    sink.finish(slot);
                });
            }
        });
        let (_, _, _, records) = sink.into_parts();
        let text = String::from_utf8(lock(&shared.0).clone()).unwrap().replace('x', "");
        let want: Vec<String> = (0..n)
            .filter(|i| i % 3 != 0)
            .flat_map(|i| [format!("{i}.0"), format!("{i}.1")])
            .collect();
        assert_eq!(text, format!("[{}", want.join(",")));
        assert_eq!(records, want.len());
    }

    #[test]
    fn nested_json_is_indented() {
        let mut out = Vec::new();
        pretty_at(&mut out, &serde_json::json!({"a": [1]}), 4).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n      \"a\": [\n        1\n      ]\n    }"
        );
    }
}
