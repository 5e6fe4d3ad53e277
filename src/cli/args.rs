//! Command-line arguments.

use std::ffi::OsString;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use lexopt::prelude::*;

use crate::config::{ByteSize, Severity};

pub const HELP: &str = "\
sasguard: finds Azure SAS tokens, storage account keys and Service Bus / Event Hubs /
IoT Hub keys in any text, and judges their permissions, scope, lifetime and protocol.

Usage:
  sasguard check [OPTIONS] [PATH]...   scan files and directories (default: .); - reads stdin
  sasguard explain <URL|TOKEN|->       break a token down and list the rules it violates
  sasguard lsp [--stdio]               run the language server on stdin/stdout
  sasguard --version | --help

Check options:
  -f, --format <FORMAT>        human (default), json or sarif
      --min-severity <LEVEL>   lowest severity that fails the run: hint, information,
                               warning (default) or error
  -c, --config <FILE>          settings file (default: the nearest .sasguard.toml above
                               each PATH)
  -e, --exclude <GLOB>         skip paths matching a gitignore-style glob (repeatable)
      --max-file-size <SIZE>   skip larger files (default 10MiB; e.g. 500KB, 50MiB)
      --no-ignore              do not honour .gitignore, .ignore and .sasguardignore
  -L, --follow                 follow symbolic links
      --scan-git-dir           also scan (and with --fix, write) inside .git folders,
                               which are otherwise never walked, even when named
  -j, --threads <N>            worker threads (default: one per core)
      --stdin-filename <NAME>  the name to report for input read from stdin
  -o, --output <FILE>          write the report to FILE instead of stdout
      --color <WHEN>           auto (default), always or never (NO_COLOR is honoured)
      --now <TIME>             judge lifetimes as of TIME (RFC 3339), for reproducible reports
  -q, --quiet                  human format: print findings only, no summary
      --fix                    redact every finding's signature or key in place: atomic
                               writes keeping owner, group and mode; a link's file is
                               fixed and the link kept; hard links stay one file;
                               read-only files and files outside the paths given are
                               reported, not written
      --diff                   with --fix: print the change instead of writing it
      --staged                 check what is staged for the next commit: the index's
                               version of each staged file (under PATHs, if given),
                               reported under its real path; for pre-commit hooks
      --history[=RANGE]        check every blob the repository's history holds (in the
                               folder given, default .), each once: all refs, or the
                               revisions or RANGE given (main~50..main); each finding
                               names the commit that added it, its paths, whether HEAD
                               still holds it and how many commits carry it
      --branch <REV>           with --history: read only REV's history (repeatable)

Exit codes: 0 nothing at or above --min-severity; 1 findings at or above it;
2 usage error, bad settings, or a file that could not be read (the scan still finishes).

Inline suppression: `sasguard:ignore` in a comment after the token on its line
(a trailing comment: every token before it; an inline /* */ comment: the token
just before it), or `sasguard:ignore-next-line` in a comment on the line before.
A marker inside a string literal does not count.

Examples:
  sasguard check                          scan the current directory
  sasguard check src config.json          scan a directory and a file
  sasguard check --staged                 scan what is about to be committed
  sasguard check --history                scan every commit of every branch and tag
  sasguard check --format sarif -o sasguard.sarif   for GitHub code scanning
  sasguard check --min-severity error     fail only on errors
  sasguard explain 'https://acct.blob.core.windows.net/c?sv=…&sig=…'
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct CheckArgs {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub min_severity: Severity,
    pub config: Option<PathBuf>,
    pub exclude: Vec<String>,
    pub max_file_size: Option<ByteSize>,
    pub no_ignore: bool,
    pub follow: bool,
    pub scan_git_dir: bool,
    pub threads: usize,
    pub stdin_filename: String,
    pub output: Option<PathBuf>,
    pub color: Color,
    pub now: Option<DateTime<Utc>>,
    pub quiet: bool,
    pub fix: super::fix::FixMode,
    /// Check what is staged for the next commit (the index), not the working tree.
    pub staged: bool,
    /// Check the history: the revisions given (ranges, branches), all refs when empty.
    pub history: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct ExplainArgs {
    pub input: String,
    pub config: Option<PathBuf>,
    pub now: Option<DateTime<Utc>>,
}

#[derive(Debug)]
pub enum Command {
    Check(CheckArgs),
    Explain(ExplainArgs),
    Lsp,
    Help,
    Version,
}

fn text(v: OsString, what: &str) -> Result<String, String> {
    v.into_string().map_err(|_| format!("{what} is not valid UTF-8"))
}

fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("--now `{s}`: {e} (expected RFC 3339, e.g. 2026-01-15T12:00:00Z)"))
}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let args: Vec<OsString> = args.into_iter().collect();
    let before_dashdash = args.iter().take_while(|a| *a != "--");
    if before_dashdash.clone().any(|a| a == "-h" || a == "--help") {
        return Ok(Command::Help);
    }
    let mut p = lexopt::Parser::from_args(args);
    let sub = match p.next().map_err(|e| e.to_string())? {
        Some(Short('V') | Long("version")) => return Ok(Command::Version),
        Some(Value(v)) => text(v, "command")?,
        Some(a) => return Err(a.unexpected().to_string()),
        None => return Ok(Command::Help),
    };
    match sub.as_str() {
        "check" => parse_check(&mut p).map(Command::Check),
        "explain" => parse_explain(&mut p).map(Command::Explain),
        "lsp" | "server" => {
            // Clients pass transport flags; stdio is the only transport.
            while let Some(a) = p.next().map_err(|e| e.to_string())? {
                match a {
                    Long("stdio") => {}
                    a => return Err(a.unexpected().to_string()),
                }
            }
            Ok(Command::Lsp)
        }
        "help" => Ok(Command::Help),
        other => Err(format!("unknown command `{other}` (expected check, explain or lsp)")),
    }
}

fn parse_check(p: &mut lexopt::Parser) -> Result<CheckArgs, String> {
    let mut a = CheckArgs {
        paths: Vec::new(),
        format: Format::Human,
        min_severity: Severity::Warning,
        config: None,
        exclude: Vec::new(),
        max_file_size: None,
        no_ignore: false,
        follow: false,
        scan_git_dir: false,
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        stdin_filename: "<stdin>".into(),
        output: None,
        color: Color::Auto,
        now: None,
        quiet: false,
        fix: super::fix::FixMode::Off,
        staged: false,
        history: None,
    };
    let mut diff = false;
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('f') | Long("format") => {
                a.format = match text(p.value().map_err(|e| e.to_string())?, "--format")?.as_str() {
                    "human" | "text" => Format::Human,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    f => return Err(format!("--format `{f}`: expected human, json or sarif")),
                }
            }
            Long("min-severity") => {
                let v = text(p.value().map_err(|e| e.to_string())?, "--min-severity")?;
                a.min_severity = Severity::parse(&v)
                    .filter(|s| *s != Severity::Off)
                    .ok_or_else(|| format!("--min-severity `{v}`: expected hint, information, warning or error"))?;
            }
            Short('c') | Long("config") => a.config = Some(p.value().map_err(|e| e.to_string())?.into()),
            Short('e') | Long("exclude") => a
                .exclude
                .push(text(p.value().map_err(|e| e.to_string())?, "--exclude")?),
            Long("max-file-size") => {
                let v = text(p.value().map_err(|e| e.to_string())?, "--max-file-size")?;
                a.max_file_size = Some(ByteSize::parse(&v).map_err(|e| format!("--max-file-size: {e}"))?);
            }
            Long("no-ignore") => a.no_ignore = true,
            Long("staged") => a.staged = true,
            Long("history") => {
                let revs = a.history.get_or_insert_with(Vec::new);
                if let Some(v) = p.optional_value() {
                    revs.push(text(v, "--history")?);
                }
            }
            Long("branch") => {
                let v = text(p.value().map_err(|e| e.to_string())?, "--branch")?;
                a.history.get_or_insert_with(Vec::new).push(v);
            }
            Short('L') | Long("follow") => a.follow = true,
            Long("scan-git-dir") => a.scan_git_dir = true,
            Short('j') | Long("threads") => {
                let v = text(p.value().map_err(|e| e.to_string())?, "--threads")?;
                a.threads = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--threads `{v}`: expected a positive number"))?;
            }
            Long("stdin-filename") => {
                a.stdin_filename = text(p.value().map_err(|e| e.to_string())?, "--stdin-filename")?
            }
            Short('o') | Long("output") => a.output = Some(p.value().map_err(|e| e.to_string())?.into()),
            Long("color") | Long("colour") => {
                a.color = match text(p.value().map_err(|e| e.to_string())?, "--color")?.as_str() {
                    "auto" => Color::Auto,
                    "always" => Color::Always,
                    "never" => Color::Never,
                    c => return Err(format!("--color `{c}`: expected auto, always or never")),
                }
            }
            Long("now") => a.now = Some(parse_now(&text(p.value().map_err(|e| e.to_string())?, "--now")?)?),
            Short('q') | Long("quiet") => a.quiet = true,
            Long("fix") => {
                if a.fix == super::fix::FixMode::Off {
                    a.fix = super::fix::FixMode::Write;
                }
            }
            Long("diff") => diff = true,
            Value(v) => a.paths.push(v.into()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.staged && (a.fix != super::fix::FixMode::Off || diff) {
        return Err(
            "--fix rewrites the working tree, not what is staged: run sasguard check --fix, then git add".into(),
        );
    }
    if a.history.is_some() {
        if a.staged {
            return Err("--history and --staged: choose one".into());
        }
        if a.fix != super::fix::FixMode::Off || diff {
            return Err("--fix rewrites files, not history: redact the working tree with --fix, then revoke what the history holds (sasguard explain shows how)".into());
        }
        if a.paths.len() > 1 || a.paths.iter().any(|p| p.as_os_str() == "-") {
            return Err("--history reads one repository: give its folder (default: the current one)".into());
        }
        if let Some(r) = a.history.iter().flatten().find(|r| r.starts_with('-') || r.is_empty()) {
            return Err(format!("--history `{r}`: expected a revision or range (main~50..main)"));
        }
    }
    if a.staged && a.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err("--staged reads the index: it takes no stdin (-)".into());
    }
    if a.paths.is_empty() && !a.staged && a.history.is_none() {
        a.paths.push(PathBuf::from("."));
    }
    if diff {
        if a.fix == super::fix::FixMode::Off {
            return Err("--diff shows what --fix would change: use --fix --diff".into());
        }
        a.fix = super::fix::FixMode::Diff;
    }
    if a.fix == super::fix::FixMode::Write && a.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err("--fix cannot rewrite stdin (use --fix --diff to see the change)".into());
    }
    Ok(a)
}

fn parse_explain(p: &mut lexopt::Parser) -> Result<ExplainArgs, String> {
    let mut input = None;
    let mut config = None;
    let mut now = None;
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('c') | Long("config") => config = Some(p.value().map_err(|e| e.to_string())?.into()),
            Long("now") => now = Some(parse_now(&text(p.value().map_err(|e| e.to_string())?, "--now")?)?),
            Value(v) if input.is_none() => input = Some(text(v, "the token")?),
            Value(_) => return Err("explain takes one URL or token (quote it: it contains `&`)".into()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let input = input.ok_or("explain needs a URL or token, or - to read stdin")?;
    Ok(ExplainArgs { input, config, now })
}
