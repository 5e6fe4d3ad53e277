//! Fixes for calls that mint a SAS: shorten a lifetime written as now plus a literal
//! duration to `maxLifetime`, and allow HTTPS only. Each edit is made where the call's
//! reader found the duration or the protocol ([`crate::scan::mint::Sites`]), and is kept
//! only when the call, read again after it, has the intended lifetime or protocol and
//! nothing else changed.

use crate::scan::mint::{self, DurationSyntax, Protocol, MINT_MAX_LEN};
use crate::scan::{Token, TokenKind};

use super::Edit;

/// The title of the protocol fix.
pub const HTTPS_ONLY_TITLE: &str = "Allow HTTPS only";

/// `Shorten the lifetime to 7 days`.
pub fn lifetime_title(max: i64) -> String {
    format!("Shorten the lifetime to {}", in_words(max))
}

/// `7 days`, `12 hours`: `secs` in the largest unit that divides it.
pub(super) fn in_words(secs: i64) -> String {
    let (n, unit) = in_units(secs);
    format!("{n} {}{}", unit.word(), if n == 1 { "" } else { "s" })
}

/// The edit that makes the call's token live `max` seconds (the configured `maxLifetime`),
/// when the call writes its expiry as now plus a literal duration longer than that.
pub fn shorten_lifetime(text: &[u8], token: &Token, max: i64) -> Option<Edit> {
    let m = token.mint()?;
    // A literal start moves the lifetime's origin; a user delegation SAS ends with its key.
    if max <= 0 || token.params.start.is_some() || token.kind == TokenKind::UserDelegationSas {
        return None;
    }
    if m.expires_in? <= max {
        return None;
    }
    let (range, syntax) = m.sites.duration.clone()?;
    let (n, unit) = in_units(max);
    let edit = Edit {
        range,
        text: write(syntax, n, unit),
    };
    let after = reread(text, token, &edit)?;
    let am = after.mint()?;
    (am.expires_in == Some(max) && am.protocol == m.protocol && same_grant(token, &after)).then_some(edit)
}

/// The edit that makes the call's token HTTPS only, when the call allows HTTP (by its
/// protocol, or by leaving it to a default that does).
pub fn https_only(text: &[u8], token: &Token) -> Option<Edit> {
    let m = token.mint()?;
    let allows_http = match m.protocol {
        Protocol::Default => true,
        Protocol::Given => token.params.protocol.as_deref() != Some("https"),
        Protocol::Unknown => false,
    };
    if !allows_http {
        return None;
    }
    let (range, text_) = m.sites.https_only.clone()?;
    let edit = Edit { range, text: text_ };
    let after = reread(text, token, &edit)?;
    let am = after.mint()?;
    let https = am.protocol == Protocol::Given && after.params.protocol.as_deref() == Some("https");
    (https && am.expires_in == m.expires_in && same_grant(token, &after)).then_some(edit)
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Hour,
    Minute,
    Second,
}

impl Unit {
    fn word(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Hour => "hour",
            Unit::Minute => "minute",
            Unit::Second => "second",
        }
    }
}

/// `secs` in the largest unit that divides it (never months or years: their length
/// varies, and 365.25 days would exceed a limit of 365).
fn in_units(secs: i64) -> (i64, Unit) {
    match secs {
        s if s % 86_400 == 0 => (s / 86_400, Unit::Day),
        s if s % 3_600 == 0 => (s / 3_600, Unit::Hour),
        s if s % 60 == 0 => (s / 60, Unit::Minute),
        s => (s, Unit::Second),
    }
}

/// `n` units written the way the call wrote its duration.
fn write(syntax: DurationSyntax, n: i64, unit: Unit) -> String {
    let word = unit.word();
    let cap = match unit {
        Unit::Day => "Days",
        Unit::Hour => "Hours",
        Unit::Minute => "Minutes",
        Unit::Second => "Seconds",
    };
    match syntax {
        DurationSyntax::PythonArgs => format!("{word}s={n}"),
        DurationSyntax::AddCalls => format!(".Add{cap}({n})"),
        DurationSyntax::TimeSpan => format!("TimeSpan.From{cap}({n})"),
        DurationSyntax::DateSpec => format!("+{n} {word}s"),
        DurationSyntax::DateWord => format!("+{n}{word}s"),
        DurationSyntax::Millis => match unit {
            Unit::Day => format!("{n} * 24 * 3600 * 1000"),
            Unit::Hour => format!("{n} * 3600 * 1000"),
            Unit::Minute => format!("{n} * 60 * 1000"),
            Unit::Second => format!("{n} * 1000"),
        },
        DurationSyntax::GoDuration => match unit {
            Unit::Day => format!("{}h", n * 24),
            Unit::Hour => format!("{n}h"),
            Unit::Minute => format!("{n}m"),
            Unit::Second => format!("{n}s"),
        },
    }
}

/// The call at `token` read again with `edit` applied: from where it may look back (a
/// builder's name is on its line, the values it names above) to past its reach. `None`
/// when the edit is outside that window or the call no longer reads as one.
fn reread(text: &[u8], token: &Token, edit: &Edit) -> Option<Token> {
    let start = token.range.start;
    let from = mint::defs::back_reach(text, start);
    let to = (start + MINT_MAX_LEN).min(text.len());
    if edit.range.start < from || edit.range.end > to || edit.range.start > edit.range.end {
        return None;
    }
    let mut window = text[from..edit.range.start].to_vec();
    window.extend_from_slice(edit.text.as_bytes());
    window.extend_from_slice(&text[edit.range.end..to]);
    let mut found = Vec::new();
    mint::scan(&window, &mut found);
    found.into_iter().find(|t| t.range.start == start - from)
}

/// Whether two readings of a call grant the same access.
fn same_grant(a: &Token, b: &Token) -> bool {
    let (p, q) = (&a.params, &b.params);
    a.kind == b.kind
        && p.permissions == q.permissions
        && p.services == q.services
        && p.resource_types == q.resource_types
        && p.resource == q.resource
        && p.policy == q.policy
        && p.ip == q.ip
}
