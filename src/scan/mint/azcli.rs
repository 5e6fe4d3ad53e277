//! `az storage account|container|blob|share|file|queue|table generate-sas` wherever a
//! command line is written (shell, PowerShell, pipeline YAML, Dockerfiles, Markdown), its
//! lines joined by `\`, a PowerShell backtick or `^`. The CLI takes REST letters as they
//! are. Per its help, without `--https-only` "requests from both the HTTP and HTTPS
//! protocol are permitted"; `--as-user` signs with a user delegation key; `--policy-name`
//! (`--id` for queues and tables) uses a stored access policy.

use std::ops::Range;

use super::syntax::is_ident_byte;
use super::{defs, sites, when, Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

/// The command's start (`az`) and its group, read back from the anchor on its line.
fn head(t: &[u8], anchor: usize) -> Option<(usize, &str)> {
    let floor = anchor.saturating_sub(super::MINT_LOOKBACK);
    let line_start = memchr::memrchr(b'\n', &t[floor..anchor]).map_or(floor, |p| floor + p + 1);
    let before = std::str::from_utf8(&t[line_start..anchor]).ok()?;
    let mut words = before.split_whitespace().rev();
    let group = words.next()?;
    if words.next()? != "storage" {
        return None;
    }
    let az = words.next()?;
    if !az.ends_with("az") {
        return None;
    }
    let az_at = line_start + before.rfind(az)? + az.len() - 2;
    if az_at > 0 && is_ident_byte(t[az_at - 1]) {
        return None;
    }
    let group = match group {
        "account" => "account",
        "container" => "container",
        "blob" => "blob",
        "share" => "share",
        "file" => "file",
        "queue" => "queue",
        "table" => "table",
        _ => return None,
    };
    Some((az_at, group))
}

/// The command's words after the anchor, with their ranges, up to the end of its logical
/// line (or a `;`, `|`, `&`, an unbalanced `)`, a comment or an unclosed quote).
pub(super) fn words(t: &[u8], from: usize, limit: usize) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut i = from;
    loop {
        // Spaces, and line breaks after a continuation character.
        while i < limit {
            match t[i] {
                b' ' | b'\t' => i += 1,
                b'\\' | b'`' | b'^' if next_is_break(t, i + 1, limit) => {
                    i += 1;
                    while i < limit && matches!(t[i], b' ' | b'\t' | b'\r') {
                        i += 1;
                    }
                    i += 1;
                }
                _ => break,
            }
        }
        if i >= limit || matches!(t[i], b'\n' | b'\r' | b';' | b'|' | b'&' | b')' | b'#') {
            return out;
        }
        let start = i;
        let mut depth = 0usize;
        while i < limit {
            match t[i] {
                b'"' | b'\'' => match memchr::memchr(t[i], &t[i + 1..limit]) {
                    Some(p) if !t[i + 1..i + 1 + p].contains(&b'\n') => i += p + 2,
                    _ => return out,
                },
                b'(' => {
                    depth += 1;
                    i += 1;
                }
                b')' if depth > 0 => {
                    depth -= 1;
                    i += 1;
                }
                b' ' | b'\t' | b'\n' | b'\r' | b';' | b'|' | b'&' | b')' if depth == 0 => break,
                b'\n' => return out,
                _ => i += 1,
            }
        }
        let mut word = unquote(&String::from_utf8_lossy(&t[start..i]));
        // A flag whose dashes a word processor made one typographic dash (`–permissions`,
        // `–Permission`), as translated docs print them: the dashes the tool reads.
        if let Some(rest) = word.strip_prefix(['\u{2013}', '\u{2014}']) {
            let dashes = if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                "-"
            } else {
                "--"
            };
            word = format!("{dashes}{rest}");
        }
        out.push((start..i, word));
    }
}

fn next_is_break(t: &[u8], mut i: usize, limit: usize) -> bool {
    while i < limit && matches!(t[i], b' ' | b'\t' | b'\r') {
        i += 1;
    }
    i < limit && t[i] == b'\n'
}

/// A word without its outer quotes.
fn unquote(w: &str) -> String {
    let b = w.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'"' | b'\'') && b[b.len() - 1] == b[0] {
        w[1..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// A value the text fixes: not a variable, a substitution or a template expression.
pub(super) fn literal(v: &str) -> Option<String> {
    let fixed = !v.is_empty() && !v.contains(['$', '{', '%', '<', '(']);
    fixed.then(|| v.to_string())
}

/// A value written as a name set before the command (`--expiry $end`, `"$EXPIRY"`,
/// `${end}` after `end=$(date -u -d "5 years" …)`, `-Permission $perm` after
/// `$perm = "rwdl"`): the value assigned, without its quotes, and its range. `None` when
/// the word is no bare name or no assignment is found (a parameter, a name set elsewhere).
pub(super) fn assigned(t: &[u8], written: &Range<usize>) -> Option<(String, Range<usize>)> {
    defs::bare_name(t, written)?;
    let r = defs::resolve(t, written);
    (r != *written).then(|| (unquote(String::from_utf8_lossy(&t[r.clone()]).trim()), r))
}

/// Whether a value assigned to a name is one word the text fixes (not `Get-Date`'s call
/// nor `` `curl …` ``): letters, digits and the marks of a time or a list.
pub(super) fn assigned_literal(v: &str) -> bool {
    v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-:.,+/_".contains(&b))
        && (!v.contains('-') || crate::scan::time::parse_time(v).is_some())
}

/// The expiry a command value sets: as written, or as assigned to the name it is, and
/// `$start.AddYears(1)` after `$start = Get-Date` either way; a duration site only where
/// the command writes it.
pub(super) fn command_expiry(
    t: &[u8],
    written: &Range<usize>,
    value: &str,
    def: Option<&Range<usize>>,
) -> (Expiry, Option<(Range<usize>, sites::DurationSyntax)>) {
    let (r, site) = match def {
        None => (written, command_site(t, written, value)),
        Some(r) => (r, None),
    };
    match when::command(value) {
        // `$start.AddYears(1)`, written there or assigned.
        Expiry::Unknown => (when::named_now(t, r), None),
        e => (e, site),
    }
}

/// Where the duration of a command value (written as the word at `written`) sits.
pub(super) fn command_site(
    t: &[u8],
    written: &Range<usize>,
    value: &str,
) -> Option<(Range<usize>, sites::DurationSyntax)> {
    let at = written.start + sites::value_offset(&t[written.clone()], value)?;
    let (r, syntax) = sites::command_duration(value)?;
    Some((at + r.start..at + r.end, syntax))
}

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    let (start, group) = head(t, anchor.start)?;
    let words = words(t, anchor.end, limit);
    // A command named in prose (`run az storage account generate-sas to …`) is no call.
    if !words.iter().any(|(_, w)| w.starts_with("--")) {
        return None;
    }
    let kind = if group == "account" {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    };
    let mut f = Facts::new(kind);
    f.protocol_state = Protocol::Default;
    f.resource = super::resource_of(group);
    let mut end = anchor.end;
    let mut user = false;
    let mut i = 0;
    while i < words.len() {
        let (r, w) = &words[i];
        end = r.end;
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (w.clone(), None),
        };
        if !flag.starts_with('-') {
            // A bare variable may hold more options.
            if flag.starts_with('$') {
                f.protocol_state = Protocol::Unknown;
            }
            i += 1;
            continue;
        }
        let takes_value = !matches!(
            flag.as_str(),
            "--https-only" | "--as-user" | "--full-uri" | "--only-show-errors"
        );
        let mut written = r.clone();
        let value = if !takes_value {
            None
        } else if inline.is_some() {
            inline
        } else {
            match words.get(i + 1) {
                Some((vr, v)) if !v.starts_with("--") => {
                    end = vr.end;
                    written = vr.clone();
                    i += 1;
                    Some(v.clone())
                }
                _ => None,
            }
        };
        // `--expiry=$end`: the name after the `=`.
        let named = match (&value, t[written.clone()].starts_with(b"--")) {
            (Some(_), true) => t[written.clone()]
                .iter()
                .position(|b| *b == b'=')
                .map_or(written.clone(), |eq| written.start + eq + 1..written.end),
            _ => written.clone(),
        };
        let def = value.as_ref().and_then(|_| assigned(t, &named));
        let value = def.as_ref().map(|(v, _)| v.clone()).or(value);
        let fixed = value
            .as_deref()
            .and_then(literal)
            .filter(|v| def.is_none() || assigned_literal(v));
        match flag.as_str() {
            "--services" => f.services = fixed.filter(|v| v.chars().all(|c| c.is_ascii_alphabetic())),
            "--resource-types" => f.resource_types = fixed.filter(|v| v.chars().all(|c| c.is_ascii_alphabetic())),
            "--permissions" => f.permissions = fixed.filter(|v| super::letters::is_letters(v)),
            "--expiry" => {
                if let Some(v) = value.as_deref() {
                    (f.expiry, f.sites.duration) = command_expiry(t, &written, v, def.as_ref().map(|d| &d.1));
                }
            }
            "--start" => f.start = fixed,
            "--ip" => f.ip = fixed,
            "--https-only" => {
                f.give_protocol("https");
            }
            "--as-user" => user = true,
            "--policy-name" | "--id" => f.policy = fixed,
            "--account-name" => f.account = fixed,
            "--name" | "-n" | "--table-name" if group == "table" => f.table = fixed,
            _ => {}
        }
        i += 1;
    }
    if group == "table" && f.table.is_none() {
        f.table = Some("(named in the command)".into());
    }
    if user {
        f.kind = TokenKind::UserDelegationSas;
    } else if f.policy.is_some() && kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    if f.protocol_state == Protocol::Default && sites::command_ends_at(t, end) {
        f.sites.https_only = Some((end..end, " --https-only".into()));
    }
    let call = format!("az storage {group} generate-sas");
    Some((start..end, Surface::AzCli, call, f))
}
