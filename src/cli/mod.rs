//! The command line: `sasguard check`, `sasguard explain`.

pub mod args;
pub mod emit;
pub mod explain;
pub mod file;
pub mod fix;
pub mod history;
pub mod human;
pub mod json;
pub mod locate;
pub mod name;
pub mod report;
pub mod sarif;
pub mod settings;
pub mod targets;

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;

use crate::redact::scrub;
use args::{CheckArgs, Color, Command, ExplainArgs, Format, HELP};

/// Runs the command line and returns the process exit code.
pub fn main(argv: impl IntoIterator<Item = OsString>) -> i32 {
    let command = match args::parse(argv.into_iter().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sasguard: {}\nRun `sasguard --help` for usage.", scrub(&e));
            return 2;
        }
    };
    match command {
        Command::Help => {
            print!("{HELP}");
            0
        }
        Command::Version => {
            println!("sasguard {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Command::Check(a) => check(&a),
        Command::Explain(a) => explain(&a),
        Command::Lsp => crate::lsp::run(),
    }
}

fn check(a: &CheckArgs) -> i32 {
    let now = a.now.unwrap_or_else(Utc::now);
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("sasguard: cannot read the current directory: {e}");
            return 2;
        }
    };
    let history = match a.history.as_ref().map(|_| history::prepare(a, &cwd)).transpose() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("sasguard: {}", scrub(&e));
            return 2;
        }
    };
    let planned = match history {
        Some((_, ref s, _)) => Ok(targets::Plan {
            targets: Vec::new(),
            settings: vec![s.clone()],
            scope: fix::Scope {
                roots: Vec::new(),
                git_dir: false,
            },
        }),
        None => targets::plan(a, &cwd),
    };
    let plan = match planned {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sasguard: {}", scrub(&e));
            return 2;
        }
    };
    let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
    let color = match a.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let dest: Box<dyn Write + Send> = match &a.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("sasguard: cannot write {}: {e}", scrub(&path.to_string_lossy()));
                return 2;
            }
        },
        None => Box::new(std::io::stdout()),
    };
    let mut out = emit::Out::new(Box::new(std::io::BufWriter::with_capacity(64 << 10, dest)));
    let diff = a.fix == fix::FixMode::Diff;
    let layout = match a.format {
        _ if diff => emit::Layout::PLAIN,
        Format::Human => emit::Layout::PLAIN,
        Format::Json => json::LAYOUT,
        Format::Sarif => sarif::LAYOUT,
    };
    let _ = match a.format {
        _ if diff => Ok(()),
        Format::Human => Ok(()),
        Format::Json => json::header(&mut out),
        Format::Sarif => sarif::header(&mut out, history.as_ref().map(|(top, _, _)| sarif::provenance(top))),
    };
    let sink = emit::Sink::new(out, layout, Box::new(print_note));
    let cx = file::Context {
        format: a.format,
        style: human::Style { color },
        mode: a.fix,
        now,
        plan: &plan,
    };
    match &history {
        Some((top, _, excluded)) => history::run(a, &cwd, top, excluded, &cx, &sink),
        None => run(&plan.targets, &cx, &sink, a.threads),
    }
    let (out, totals, notes, records) = sink.into_parts();
    let Some(mut out) = out else {
        eprintln!("sasguard: internal error: the report was lost");
        return 2;
    };
    let _ = match a.format {
        _ if diff => Ok(()),
        Format::Human if a.quiet => Ok(()),
        Format::Human => {
            let unit = if history.is_some() { "blob" } else { "file" };
            out.write_all(human::summary(&totals, unit).as_bytes())
        }
        Format::Json => json::footer(&mut out, &totals, &notes, records),
        Format::Sarif => sarif::footer(&mut out, &notes, records),
    };
    out.flush();
    match out.error {
        // A closed pipe (`| head`) is not an error worth reporting.
        Some(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("sasguard: cannot write the report: {e}");
            return 2;
        }
        _ => {}
    }
    if diff {
        let n = totals.diffs;
        eprintln!(
            "sasguard: --fix would redact secrets in {n} file{}",
            if n == 1 { "" } else { "s" }
        );
        return if totals.errors > 0 { 2 } else { i32::from(n > 0) };
    }
    if a.fix == fix::FixMode::Write {
        eprintln!(
            "sasguard: redacted {} secret(s) in {} file(s)",
            totals.fixed, totals.fixed_files
        );
        // Every finding's secret is gone from the files now; what is left is I/O trouble.
        return if totals.errors > 0 { 2 } else { 0 };
    }
    totals.exit_code(a.min_severity)
}

/// A problem on stderr, as it reaches its place in the report.
fn print_note(n: &emit::Note) {
    let kind = if n.error { "error: " } else { "" };
    eprintln!("sasguard: {kind}{}: {}", n.problem.path, n.problem.message);
}

/// Checks every target on `threads` workers; the sink puts their output in order.
fn run(targets: &[targets::Target], cx: &file::Context, sink: &emit::Sink, threads: usize) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, targets.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(t) = targets.get(i) else { break };
                let mut slot = sink.slot(i);
                // A bug must not leave later targets waiting for this one forever.
                let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| file::check(t, cx, &mut slot)));
                if checked.is_err() {
                    slot.error(&t.shown, "internal error while checking this file");
                }
                sink.finish(slot);
            });
        }
    });
}

fn explain(a: &ExplainArgs) -> i32 {
    let now = a.now.unwrap_or_else(Utc::now);
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = a.config.clone().or_else(|| crate::config::discover(&cwd));
    let settings = match file.map(|f| crate::config::Settings::load(&f)).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => {
            eprintln!("sasguard: {}", scrub(&e.to_string()));
            return 2;
        }
    };
    let mut text = a.input.clone().into_bytes();
    if a.input == "-" {
        // Bounded like any input: `maxFileSize`.
        let max = settings.max_file_size;
        text.clear();
        if let Err(e) = std::io::stdin().lock().take(max.0 + 1).read_to_end(&mut text) {
            eprintln!("sasguard: cannot read stdin: {e}");
            return 2;
        }
        if text.len() as u64 > max.0 {
            eprintln!("sasguard: stdin is larger than maxFileSize ({max})");
            return 2;
        }
    }
    let (out, found) = explain::explain(&text, &settings, now);
    print!("{out}");
    if found {
        0
    } else {
        1
    }
}
