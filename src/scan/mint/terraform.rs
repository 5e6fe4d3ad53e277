//! Terraform: `data "azurerm_storage_account_sas"` (an account SAS) and
//! `data "azurerm_storage_account_blob_container_sas"` (a container SAS) blocks, with their
//! `services {}`, `resource_types {}` and `permissions {}` blocks of `true`/`false` flags,
//! `expiry` as a literal or `timeadd(timestamp(), "87600h")`, and `https_only`, which the
//! provider defaults to `true` ("If `false`, both `http` and `https` are permitted").

use std::ops::Range;

use super::letters::{self, ordered};
use super::syntax::{close_of, ident_at, skip_ws, string_value, trim_range};
use super::{DurationSyntax, Expiry, Facts, Protocol, Surface};
use crate::scan::sas::{ACCOUNT_PERMISSIONS, SERVICE_PERMISSIONS};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    // `data "azurerm_…_sas" "name" {`
    if anchor.start < 1 || t[anchor.start - 1] != b'"' || t.get(anchor.end) != Some(&b'"') {
        return None;
    }
    let mut s = anchor.start - 1;
    while s > 0 && matches!(t[s - 1], b' ' | b'\t') && anchor.start - s < super::MINT_LOOKBACK {
        s -= 1;
    }
    let start = s.checked_sub(4)?;
    if &t[start..s] != b"data" || (start > 0 && super::syntax::is_ident_byte(t[start - 1])) {
        return None;
    }
    let i = skip_ws(t, anchor.end + 1, limit);
    let name_end = super::syntax::skip_string(t, i, limit)?;
    let open = skip_ws(t, name_end, limit);
    if t.get(open) != Some(&b'{') {
        return None;
    }
    let end = close_of(t, open, limit, true)?;
    let account = &t[anchor.clone()] == b"azurerm_storage_account_sas";
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    if !account {
        f.resource = Some("c".into());
    }
    // Defaults to `true`.
    f.give_protocol("https");
    let mut i = open + 1;
    while i < end - 1 {
        i = skip_ws(t, i, end - 1);
        if t[i] == b'#' || t[i..].starts_with(b"//") {
            i = line_end(t, i, end - 1);
            continue;
        }
        let Some(key) = ident_at(t, i, end - 1) else {
            i = line_end(t, i, end - 1);
            continue;
        };
        let j = skip_ws(t, key.end, end - 1);
        let k = std::str::from_utf8(&t[key.clone()]).unwrap_or_default();
        match t.get(j) {
            Some(b'{') => {
                let close = close_of(t, j, end - 1, true)?;
                let flags = block_flags(t, j + 1..close - 1);
                let pick = |name: &str| -> Option<String> {
                    let flags = flags.as_ref()?;
                    match name {
                        "services" => Some(ordered(&from_flags(flags, letters::service)?, "bfqt")),
                        "resource_types" => Some(ordered(&from_flags(flags, letters::resource_type)?, "sco")),
                        _ => {
                            let order = if account {
                                ACCOUNT_PERMISSIONS
                            } else {
                                SERVICE_PERMISSIONS
                            };
                            Some(ordered(&from_flags(flags, letters::permission)?, order))
                        }
                    }
                };
                match k {
                    "services" => f.services = pick(k),
                    "resource_types" => f.resource_types = pick(k),
                    "permissions" => f.permissions = pick(k),
                    _ => {}
                }
                i = close;
            }
            Some(b'=') => {
                let ve = comment_start(t, j + 1, line_end(t, j + 1, end - 1));
                let v = trim_range(t, j + 1..ve);
                // `local.sas_expiry` set in a `locals` block before the data block.
                let local = local_value(t, &v, start);
                let v = local.clone().unwrap_or(v);
                match k {
                    "expiry" if local.is_some() => f.expiry = expiry(t, &v),
                    "expiry" => {
                        f.expiry = expiry(t, &v);
                        // The duration between the last quotes.
                        let close = v.end.checked_sub(1).filter(|c| *c > v.start && t[c - 1] == b'"');
                        f.sites.duration = close.and_then(|c| {
                            let q = memchr::memrchr(b'"', &t[v.start..c - 1])?;
                            Some((v.start + q + 1..c - 1, DurationSyntax::GoDuration))
                        });
                    }
                    "start" => f.start = string_value(t, &v),
                    "ip_address" | "ip_addresses" => f.ip = string_value(t, &v),
                    "https_only" => match &t[v.clone()] {
                        b"true" => {}
                        b"false" => {
                            f.protocol = Some("https,http".into());
                            f.sites.https_only = Some((v.clone(), "true".into()));
                        }
                        _ => {
                            f.protocol = None;
                            f.protocol_state = Protocol::Unknown;
                        }
                    },
                    _ => {}
                }
                i = ve;
            }
            _ => i = line_end(t, i, end - 1),
        }
    }
    let call = format!("data \"{}\"", std::str::from_utf8(&t[anchor]).ok()?);
    Some((start..end, Surface::Terraform, call, f))
}

/// Where a `#` or `//` comment starts on the line from `i` to `end` (outside strings), or
/// `end`.
fn comment_start(t: &[u8], mut i: usize, end: usize) -> usize {
    let mut quoted = false;
    while i < end {
        match t[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'#' if !quoted => return i,
            b'/' if !quoted && t.get(i + 1) == Some(&b'/') => return i,
            _ => {}
        }
        i += 1;
    }
    end
}

fn line_end(t: &[u8], i: usize, limit: usize) -> usize {
    memchr::memchr(b'\n', &t[i..limit]).map_or(limit, |p| i + p + 1)
}

/// `name = true|false` lines of a flags block; `None` when a value is not a literal.
fn block_flags(t: &[u8], r: Range<usize>) -> Option<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for line in t[r].split(|b| *b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let (k, v) = line.split_once('=')?;
        let v = match v.trim() {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        out.push((k.trim().to_string(), v));
    }
    Some(out)
}

fn from_flags(flags: &[(String, bool)], letter: fn(&str) -> Option<char>) -> Option<Vec<char>> {
    let mut out = Vec::new();
    for (k, on) in flags {
        let c = letter(k)?;
        if *on {
            out.push(c);
        }
    }
    Some(out)
}

/// The value of `local.NAME` (`v`), set as `NAME = …` on a line of its own in a
/// `locals { … }` block that ends before `before`.
fn local_value(t: &[u8], v: &Range<usize>, before: usize) -> Option<Range<usize>> {
    let name = t[v.clone()].strip_prefix(b"local.")?;
    if name.is_empty() || !name.iter().all(|b| super::syntax::is_ident_byte(*b) || *b == b'-') {
        return None;
    }
    for p in memchr::memmem::find_iter(&t[..before], b"locals") {
        if p > 0 && !matches!(t[p - 1], b'\n' | b'\r' | b' ' | b'\t') {
            continue;
        }
        let brace = super::syntax::skip_ws(t, p + "locals".len(), before);
        if t.get(brace) != Some(&b'{') {
            continue;
        }
        let Some(close) = super::syntax::close_of(t, brace, before, true) else {
            continue;
        };
        let body = brace + 1..close - 1;
        let mut line = body.start;
        while line < body.end {
            let le = line_end(t, line, body.end);
            let l = trim_range(t, line..le);
            if t[l.clone()].starts_with(name) {
                let eq = super::syntax::skip_ws(t, l.start + name.len(), l.end);
                if t.get(eq) == Some(&b'=') && t.get(eq + 1) != Some(&b'=') {
                    return Some(trim_range(t, eq + 1..l.end));
                }
            }
            line = le;
        }
    }
    None
}

/// A literal time, or `timeadd(timestamp(), "87600h")`.
fn expiry(t: &[u8], v: &Range<usize>) -> Expiry {
    if let Some(s) = string_value(t, v) {
        return Expiry::At(s);
    }
    let s = String::from_utf8_lossy(&t[v.clone()]).replace(' ', "");
    let Some(rest) = s.strip_prefix("timeadd(timestamp(),\"") else {
        return Expiry::Unknown;
    };
    let Some(d) = rest.strip_suffix("\")") else {
        return Expiry::Unknown;
    };
    go_duration(d).map_or(Expiry::Unknown, Expiry::In)
}

/// A Go duration (`87600h`, `1h30m`, `45m`, `30s`).
fn go_duration(d: &str) -> Option<i64> {
    let mut total = 0.0;
    let mut num = String::new();
    let mut chars = d.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            'h' => 3600.0,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                0.001
            }
            'm' => 60.0,
            's' => 1.0,
            _ => return None,
        };
    }
    (num.is_empty() && total > 0.0).then_some(total.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::go_duration;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration("87600h"), Some(87_600 * 3600));
        assert_eq!(go_duration("1h30m"), Some(5400));
        assert_eq!(go_duration("24"), None);
        assert_eq!(go_duration("1d"), None);
    }
}
