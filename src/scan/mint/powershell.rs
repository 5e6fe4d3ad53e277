//! Az PowerShell: `New-AzStorageAccountSASToken`, `New-AzStorageContainerSASToken`,
//! `New-AzStorageBlobSASToken` and the Share, File, Queue and Table cmdlets (and the
//! Azure.Storage module's `New-AzureStorage…SASToken`, the same parameters), with
//! `-Service Blob,File`, `-ResourceType Service,Container,Object`, `-Permission "racwdl"`,
//! `-ExpiryTime (Get-Date).AddYears(30)`, `-Protocol HttpsOnly|HttpsOrHttp` ("The default
//! value is HttpsOrHttp", per the cmdlets' help) and `-Policy`. With no `-ExpiryTime`,
//! `-StartTime` or `-Policy` the token lasts one hour from now (the cmdlets' default).

use std::ops::Range;

use super::azcli::{assigned, assigned_literal, command_expiry, literal, words};
use super::defs;
use super::letters::{self, ordered};
use super::syntax::{is_ident_byte, skip_string, trim_range};
use super::{sites, Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start > 0 && (is_ident_byte(t[anchor.start - 1]) || t[anchor.start - 1] == b'-') {
        return None;
    }
    let name = std::str::from_utf8(&t[anchor.clone()]).ok()?.to_string();
    let lower = name.to_ascii_lowercase();
    let what = lower
        .strip_prefix("new-azstorage")
        .or_else(|| lower.strip_prefix("new-azurestorage"))?
        .strip_suffix("sastoken")?
        .to_string();
    let kind = if what == "account" {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    };
    let mut f = Facts::new(kind);
    f.protocol_state = Protocol::Default;
    f.resource = super::resource_of(what.as_str());
    let words = splats_expanded(t, words(t, anchor.end, limit));
    // A cmdlet named in prose is no call.
    if !words.iter().any(|(_, w)| w.starts_with('-')) {
        return None;
    }
    let mut end = anchor.end;
    // Whether the command may set the lifetime: `-ExpiryTime`, `-StartTime`, `-Policy`, or
    // parameters the text does not show (a splatted hashtable, a variable).
    let mut lifetime_set = false;
    let mut i = 0;
    while i < words.len() {
        let (r, w) = &words[i];
        // A splatted parameter is written before the call: the call still ends at its words.
        let splatted = r.start < anchor.start;
        end = end.max(r.end);
        if !w.starts_with('-') {
            // A splatted hashtable or a variable may hold more parameters.
            if w.starts_with('@') || w.starts_with('$') {
                f.protocol_state = Protocol::Unknown;
                lifetime_set = true;
            }
            i += 1;
            continue;
        }
        let flag = w.trim_end_matches(':').to_ascii_lowercase();
        lifetime_set |= matches!(flag.as_str(), "-expirytime" | "-starttime" | "-policy");
        let mut written = r.clone();
        let value = match words.get(i + 1) {
            Some((vr, v)) if !v.starts_with('-') => {
                end = end.max(vr.end);
                written = vr.clone();
                i += 1;
                Some(v.clone())
            }
            _ => None,
        };
        // A name set before the call (`-ExpiryTime $EndTime`): the value assigned to it.
        let def = value.as_ref().and_then(|_| assigned(t, &written));
        let value = def.as_ref().map(|(v, _)| v.clone()).or(value);
        let fixed = value
            .as_deref()
            .and_then(literal)
            .filter(|v| def.is_none() || assigned_literal(v));
        let list = |v: Option<String>, one: fn(&str) -> Option<char>, order: &str| -> Option<String> {
            let v = v?;
            let cs: Option<Vec<char>> = v.split(',').map(|p| one(p.trim().trim_matches(['"', '\'']))).collect();
            Some(ordered(&cs?, order))
        };
        match flag.as_str() {
            "-service" => f.services = list(fixed, letters::service, "bfqt"),
            "-resourcetype" => f.resource_types = list(fixed, letters::resource_type, "sco"),
            "-permission" => f.permissions = fixed.filter(|v| letters::is_letters(v)),
            "-expirytime" => {
                if let Some(v) = value.as_deref() {
                    (f.expiry, f.sites.duration) = command_expiry(t, &written, v, def.as_ref().map(|d| &d.1));
                }
            }
            "-starttime" => f.start = fixed,
            "-ipaddressorrange" => f.ip = fixed,
            "-protocol" => {
                f.sites.https_only = None;
                match fixed.as_deref().map(str::to_ascii_lowercase).as_deref() {
                    Some("httpsonly") => {
                        f.give_protocol("https");
                    }
                    Some("httpsorhttp") => {
                        let v = fixed.as_deref().unwrap_or_default();
                        f.sites.https_only = sites::value_offset(&t[written.clone()], v)
                            .filter(|_| def.is_none())
                            .map(|at| (written.start + at..written.start + at + v.len(), "HttpsOnly".into()));
                        f.give_protocol("https,http");
                    }
                    _ => f.protocol_state = Protocol::Unknown,
                }
            }
            "-policy" => f.policy = fixed,
            "-name" | "-tablename" if what == "table" => f.table = fixed,
            _ => {}
        }
        // A fix edits the call's own words only.
        if splatted {
            if f.sites.duration.as_ref().is_some_and(|(r, _)| r.start < anchor.start) {
                f.sites.duration = None;
            }
            if f.sites.https_only.as_ref().is_some_and(|(r, _)| r.start < anchor.start) {
                f.sites.https_only = None;
            }
        }
        i += 1;
    }
    if f.protocol_state == Protocol::Default && sites::command_ends_at(t, end) {
        f.sites.https_only = Some((end..end, " -Protocol HttpsOnly".into()));
    }
    // With neither, the cmdlets sign for one hour from now (`SasTokenHelper
    // .SetupAccessPolicyLifeTime`: "defaultLifeTime = 1.0; //Hours").
    if !lifetime_set {
        f.expiry = Expiry::In(3600);
    }
    if what == "table" && f.table.is_none() {
        f.table = Some("(named in the command)".into());
    }
    if f.policy.is_some() && kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    Some((anchor.start..end, Surface::Powershell, name, f))
}

/// `@params` replaced by the entries of the hashtable assigned to `$params` before the
/// call (`$params = @{ Permission = 'rwd'; ExpiryTime = (Get-Date).AddHours(1) }`), each as
/// `-Key` and its value, at their places in the text; a splat whose hashtable the text
/// does not show stays as it is.
fn splats_expanded(t: &[u8], words: Vec<(Range<usize>, String)>) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::with_capacity(words.len());
    for (r, w) in words {
        let name = w
            .strip_prefix('@')
            .filter(|n| !n.is_empty() && n.bytes().all(is_ident_byte));
        let table = name.and_then(|n| defs::definition(t, n.as_bytes(), r.start));
        match table.and_then(|v| hashtable(t, v)) {
            Some(entries) => out.extend(entries),
            None => out.push((r, w)),
        }
    }
    out
}

/// The entries of a hashtable literal `@{ Key = Value … }` at `v`, as a flag word and its
/// value word each; `None` for anything else.
fn hashtable(t: &[u8], v: Range<usize>) -> Option<Vec<(Range<usize>, String)>> {
    let s = &t[v.clone()];
    if !s.starts_with(b"@{") || !s.ends_with(b"}") {
        return None;
    }
    let inner = v.start + 2..v.end - 1;
    let mut out = Vec::new();
    let mut i = inner.start;
    while i < inner.end {
        // One entry per line or `;`: `Key = Value`.
        let e = entry_end(t, i, inner.end);
        let line = trim_range(t, i..e);
        if let Some(eq) = memchr::memchr(b'=', &t[line.clone()]) {
            let key = trim_range(t, line.start..line.start + eq);
            let value = trim_range(t, line.start + eq + 1..line.end);
            // A comment after the value.
            let value = match memchr::memmem::find(&t[value.clone()], b" #") {
                Some(c) => trim_range(t, value.start..value.start + c),
                None => value,
            };
            let k = std::str::from_utf8(&t[key.clone()]).ok()?.trim_matches(['"', '\'']);
            if !k.is_empty() && k.bytes().all(is_ident_byte) && !value.is_empty() {
                out.push((key, format!("-{k}")));
                let word = String::from_utf8_lossy(&t[value.clone()]);
                let word = word.trim_matches(['"', '\'']).to_string();
                out.push((value, word));
            }
        }
        i = e + 1;
    }
    Some(out)
}

/// Where the hashtable entry starting at `i` ends: a line break or `;` outside brackets
/// and quotes.
fn entry_end(t: &[u8], mut i: usize, end: usize) -> usize {
    let mut depth = 0usize;
    while i < end {
        match t[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' | b'\'' => {
                i = skip_string(t, i, end).unwrap_or(end);
                continue;
            }
            b'\n' | b'\r' | b';' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    end
}
