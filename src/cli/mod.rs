//! The command line: `sasguard check`, `sasguard explain`.

pub mod args;
pub mod explain;
pub mod fix;
pub mod human;
pub mod json;
pub mod locate;
pub mod report;
pub mod sarif;
pub mod walk;

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};

use chrono::Utc;

use args::{CheckArgs, Color, Command, ExplainArgs, Format, HELP};

/// Runs the command line and returns the process exit code.
pub fn main(argv: impl IntoIterator<Item = OsString>) -> i32 {
    let command = match args::parse(argv.into_iter().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sasguard: {e}\nRun `sasguard --help` for usage.");
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
    let report = match walk::run(a, now) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sasguard: {e}");
            return 2;
        }
    };
    for p in &report.errors {
        eprintln!("sasguard: error: {}: {}", p.path, p.message);
    }
    for p in &report.skipped {
        eprintln!("sasguard: {}: {}", p.path, p.message);
    }
    let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
    let color = match a.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    if a.fix == fix::FixMode::Diff {
        let body: String = report.diffs.iter().map(|(_, d)| d.as_str()).collect();
        let n = report.diffs.len();
        eprintln!(
            "sasguard: --fix would redact secrets in {n} file{}",
            if n == 1 { "" } else { "s" }
        );
        if let Err(e) = emit(a, &body) {
            eprintln!("sasguard: {e}");
            return 2;
        }
        return if !report.errors.is_empty() { 2 } else { i32::from(n > 0) };
    }
    let body = match a.format {
        Format::Human => human::render(&report, &human::Style { color }, a.quiet),
        Format::Json => pretty(&json::render(&report)),
        Format::Sarif => pretty(&sarif::render(&report)),
    };
    if let Err(e) = emit(a, &body) {
        eprintln!("sasguard: {e}");
        return 2;
    }
    if a.fix == fix::FixMode::Write {
        eprintln!(
            "sasguard: redacted {} secret(s) in {} file(s)",
            report.fixed, report.fixed_files
        );
        // Every finding's secret is gone from the files now; what is left is I/O trouble.
        return if report.errors.is_empty() { 0 } else { 2 };
    }
    report.exit_code(a.min_severity)
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn emit(a: &CheckArgs, body: &str) -> Result<(), String> {
    match &a.output {
        Some(path) => std::fs::write(path, body).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(body.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(format!("cannot write the report: {e}")),
            }
        }
    }
}

fn explain(a: &ExplainArgs) -> i32 {
    let now = a.now.unwrap_or_else(Utc::now);
    let mut text = a.input.clone().into_bytes();
    if a.input == "-" {
        text.clear();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut text) {
            eprintln!("sasguard: cannot read stdin: {e}");
            return 2;
        }
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = a.config.clone().or_else(|| crate::config::discover(&cwd));
    let settings = match file.map(|f| crate::config::Settings::load(&f)).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => {
            eprintln!("sasguard: {e}");
            return 2;
        }
    };
    let (out, found) = explain::explain(&text, &settings, now);
    print!("{out}");
    if found {
        0
    } else {
        1
    }
}
