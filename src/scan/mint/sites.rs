//! Where a fix may edit a call, read with it: the literal duration of a now-plus-duration
//! expiry (and how it is written), and the protocol (a value to replace, or where to add
//! one). Ranges of the text; what replaces a duration is written by `crate::fix::mint`,
//! which knows the configured lifetime.

use std::ops::Range;

use super::syntax::{close_of, trim_range};
use super::when;

/// How a call writes its literal duration, so a shorter one can be written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationSyntax {
    /// The arguments of Python's `timedelta(…)` / `relativedelta(…)`: `days=7`.
    PythonArgs,
    /// .NET or PowerShell `.AddYears(30)` calls (one or several in a row): `.AddDays(7)`.
    AddCalls,
    /// A .NET `TimeSpan.FromDays(1)` or `new TimeSpan(…)` added to now: `TimeSpan.FromDays(7)`.
    TimeSpan,
    /// GNU `date -d` relative spec inside quotes: `+7 days`.
    DateSpec,
    /// The same, unquoted: `+7days`.
    DateWord,
    /// JavaScript milliseconds added to `Date.now()`: `7 * 24 * 3600 * 1000`.
    Millis,
    /// A Go duration inside quotes (Terraform `timeadd`): `168h`.
    GoDuration,
}

/// Where fixes may edit one call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Sites {
    /// The duration of an expiry written as now plus a literal duration.
    pub duration: Option<(Range<usize>, DurationSyntax)>,
    /// The edit that makes the call HTTPS only: the range to replace (empty to insert) and
    /// the text.
    pub https_only: Option<(Range<usize>, String)>,
}

impl Sites {
    /// Moves every range by `delta` bytes.
    pub fn shift(&mut self, delta: isize) {
        let mv = |r: &mut Range<usize>| {
            r.start = (r.start as isize + delta) as usize;
            r.end = (r.end as isize + delta) as usize;
        };
        if let Some((r, _)) = &mut self.duration {
            mv(r);
        }
        if let Some((r, _)) = &mut self.https_only {
            mv(r);
        }
    }
}

/// Whether the command whose last word ends at `end` ends there too (a line break, a
/// separator, a comment, the end of the text, or a continuation character before an
/// empty line), so a flag added at `end` belongs to it.
pub fn command_ends_at(t: &[u8], end: usize) -> bool {
    let mut i = end;
    while i < t.len() && matches!(t[i], b' ' | b'\t') {
        i += 1;
    }
    match t.get(i) {
        None => true,
        Some(b'\n' | b'\r' | b';' | b'|' | b'&' | b')' | b'#') => true,
        Some(b'\\' | b'`' | b'^') => {
            let mut j = i + 1;
            while j < t.len() && matches!(t[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            t.get(j) == Some(&b'\n')
        }
        _ => false,
    }
}

/// Python: the arguments of the `timedelta(…)` added to now.
pub fn python_duration(t: &[u8], r: &Range<usize>) -> Option<(Range<usize>, DurationSyntax)> {
    let parts = when::terms(t, r);
    let [a, b] = parts.as_slice() else { return None };
    for (now, delta) in [(a, b), (b, a)] {
        if when::python_now(&t[now.clone()]) && when::python_delta(t, delta).is_some() {
            let open = delta.start + t[delta.clone()].iter().position(|c| *c == b'(')?;
            return Some((open + 1..delta.end - 1, DurationSyntax::PythonArgs));
        }
    }
    None
}

const DOTNET_NOW: [&[u8]; 5] = [
    b"DateTimeOffset.UtcNow",
    b"DateTimeOffset.Now",
    b"DateTime.UtcNow",
    b"DateTime.Now",
    b"DateTime.Today",
];

/// .NET: the `TimeSpan` added to now, or the `.AddX(n)` calls (in a row) after it.
pub fn dotnet_duration(t: &[u8], r: &Range<usize>) -> Option<(Range<usize>, DurationSyntax)> {
    let r = trim_range(t, r.clone());
    let parts = when::terms(t, &r);
    if let [now, span] = parts.as_slice() {
        let ok = when::dotnet_chain(&t[now.clone()]) == Some(0) && when::timespan(&t[span.clone()]).is_some();
        return ok.then(|| (span.clone(), DurationSyntax::TimeSpan));
    }
    let s = &t[r.clone()];
    let prefix = DOTNET_NOW.iter().find(|p| s.starts_with(p))?;
    when::dotnet_chain(s).filter(|secs| *secs > 0)?;
    let (mut first, mut last) = (None, None);
    let mut i = prefix.len();
    while i < s.len() {
        let rest = &s[i..];
        let open = rest.iter().position(|b| *b == b'(')?;
        let close = close_of(rest, open, rest.len(), false)?;
        if rest[1..open].starts_with(b"Add") {
            if last.is_some_and(|l| l != i) {
                return None;
            }
            first.get_or_insert(i);
            last = Some(i + close);
        }
        i += close;
    }
    Some((r.start + first?..r.start + last?, DurationSyntax::AddCalls))
}

/// A command-line value (see `when::command`): the duration's range in `word`.
pub fn command_duration(word: &str) -> Option<(Range<usize>, DurationSyntax)> {
    let lead = word.len() - word.trim_start().len();
    let w = word.trim();
    if w.starts_with("$(date") || w.starts_with("`date") {
        when::gnu_date(w)?;
        let (at, len) = [" -d ", " --date ", " --date="]
            .iter()
            .find_map(|s| w.find(s).map(|p| (p, s.len())))?;
        let a = at + len;
        let after = &w[a..];
        let q = after.chars().next()?;
        if q == '"' || q == '\'' {
            let close = after[1..].find(q)?;
            return Some((lead + a + 1..lead + a + 1 + close, DurationSyntax::DateSpec));
        }
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        return Some((lead + a..lead + a + end, DurationSyntax::DateWord));
    }
    let prefix = ["(Get-Date)", "$((Get-Date)", "$(Get-Date)"]
        .into_iter()
        .find(|p| w.starts_with(p))?;
    let rest = &w[prefix.len()..];
    when::powershell_chain(rest)?;
    let (mut first, mut last) = (None, None);
    let mut r = rest;
    while let Some(after) = r.strip_prefix('.') {
        let open = after.find('(')?;
        let close = open + after[open..].find(')')?;
        let here = rest.len() - r.len();
        if after.starts_with("Add") {
            if last.is_some_and(|l| l != here) {
                return None;
            }
            first.get_or_insert(here);
            last = Some(here + close + 2);
        }
        r = &after[close + 1..];
    }
    let base = lead + prefix.len();
    Some((base + first?..base + last?, DurationSyntax::AddCalls))
}

/// Where `value` (a command word's value, unquoted or after `--flag=`) sits in `raw`, the
/// word as written.
pub fn value_offset(raw: &[u8], value: &str) -> Option<usize> {
    memchr::memmem::rfind(raw, value.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str, site: Option<(Range<usize>, DurationSyntax)>) -> (&str, DurationSyntax) {
        let (r, d) = site.expect("a site");
        (&s[r], d)
    }

    #[test]
    fn durations_are_found_where_the_text_writes_them() {
        let s = "datetime.utcnow() + timedelta(days=3650)";
        assert_eq!(
            at(s, python_duration(s.as_bytes(), &(0..s.len()))),
            ("days=3650", DurationSyntax::PythonArgs)
        );
        let s = " DateTimeOffset.UtcNow.AddYears(1).AddDays(2).ToUniversalTime()";
        assert_eq!(
            at(s, dotnet_duration(s.as_bytes(), &(0..s.len()))),
            (".AddYears(1).AddDays(2)", DurationSyntax::AddCalls)
        );
        let s = "DateTimeOffset.UtcNow + TimeSpan.FromDays(90)";
        assert_eq!(
            at(s, dotnet_duration(s.as_bytes(), &(0..s.len()))),
            ("TimeSpan.FromDays(90)", DurationSyntax::TimeSpan)
        );
        let s = "DateTime.UtcNow.AddDays(1).ToUniversalTime().AddHours(2)";
        assert_eq!(dotnet_duration(s.as_bytes(), &(0..s.len())), None);
        let s = "$(date -u -d \"+30 years\" '+%Y-%m-%dT%H:%MZ')";
        assert_eq!(at(s, command_duration(s)), ("+30 years", DurationSyntax::DateSpec));
        let s = "$(date -u -d +30years +%F)";
        assert_eq!(at(s, command_duration(s)), ("+30years", DurationSyntax::DateWord));
        let s = "(Get-Date).AddYears(30).ToUniversalTime()";
        assert_eq!(at(s, command_duration(s)), (".AddYears(30)", DurationSyntax::AddCalls));
        assert_eq!(command_duration("$end"), None);
        assert_eq!(command_duration("2051-01-01"), None);
    }
}
