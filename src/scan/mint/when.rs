//! Expiries as call sites write them: a literal time, or now plus a literal duration
//! (`datetime.utcnow() + timedelta(days=3650)`, `DateTimeOffset.UtcNow.AddYears(30)`,
//! `$(date -u -d "+30 years" …)`, `(Get-Date).AddYears(30)`). Anything else is unknown.

use std::ops::Range;

use super::syntax::{arguments, number, string_value, trim, trim_range};
use super::Expiry;

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3_600.0;
const DAY: f64 = 86_400.0;
const WEEK: f64 = 7.0 * DAY;
/// A calendar year and month, on average.
const YEAR: f64 = 365.25 * DAY;
const MONTH: f64 = YEAR / 12.0;

/// Seconds in one `unit` (`days`, `AddHours`, `year`, …), matched on its stem.
fn unit(name: &str) -> Option<f64> {
    let n = name.to_ascii_lowercase();
    let n = n.trim_start_matches("add").trim_start_matches("from");
    Some(match n.trim_end_matches('s') {
        "second" | "sec" => 1.0,
        "minute" | "min" => MINUTE,
        "hour" => HOUR,
        "day" => DAY,
        "week" => WEEK,
        "month" => MONTH,
        "year" => YEAR,
        _ => return None,
    })
}

fn seconds(f: f64) -> Option<i64> {
    (f.is_finite() && f.abs() < 1e13).then_some(f.round() as i64)
}

/// A few words for a duration, for the expiry's text (`now + 30 years`).
pub fn duration_words(secs: i64) -> String {
    let s = secs as f64;
    let (n, w) = if s >= YEAR - DAY {
        (s / YEAR, "year")
    } else if s >= 2.0 * MONTH {
        (s / MONTH, "month")
    } else if s >= DAY {
        (s / DAY, "day")
    } else if s >= HOUR {
        (s / HOUR, "hour")
    } else if s >= MINUTE {
        (s / MINUTE, "minute")
    } else {
        (s, "second")
    };
    let n = n.round() as i64;
    format!("{n} {w}{}", if n == 1 { "" } else { "s" })
}

/// Splits `r` at its top-level `+` signs.
pub(super) fn terms(t: &[u8], r: &Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, r.start);
    let mut i = r.start;
    while i < r.end {
        match t[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'"' | b'\'' => {
                i = super::syntax::skip_string(t, i, r.end).unwrap_or(r.end);
                continue;
            }
            b'+' if depth == 0 => {
                out.push(trim_range(t, start..i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(trim_range(t, start..r.end));
    out
}

/// Python: `datetime.utcnow()`, `datetime.now(timezone.utc)`, `datetime.datetime.now()`,
/// `datetime.today()`.
pub(super) fn python_now(s: &[u8]) -> bool {
    let s = trim(s);
    let Some(open) = s.iter().position(|b| *b == b'(') else {
        return false;
    };
    let head = &s[..open];
    let Some(dot) = head.iter().rposition(|b| *b == b'.') else {
        return false;
    };
    head[..dot].ends_with(b"datetime")
        && matches!(&head[dot + 1..], b"utcnow" | b"now" | b"today")
        && s.ends_with(b")")
        && s[open..].iter().filter(|b| **b == b'(').count() <= 2
}

/// The seconds of `timedelta(days=…, hours=…)` (or `relativedelta(years=…)`).
pub(super) fn python_delta(t: &[u8], r: &Range<usize>) -> Option<i64> {
    let s = &t[r.clone()];
    let open = s.iter().position(|b| *b == b'(')?;
    let name = std::str::from_utf8(&s[..open]).ok()?.trim();
    let name = name.rsplit('.').next()?;
    if name != "timedelta" && name != "relativedelta" {
        return None;
    }
    let (args, end) = arguments(t, r.start + open, r.end, true)?;
    if end != r.end {
        return None;
    }
    // timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)
    const POSITIONAL: [f64; 7] = [DAY, 1.0, 1e-6, 1e-3, MINUTE, HOUR, WEEK];
    let mut total = 0.0;
    for (i, a) in args.iter().enumerate() {
        let n = number(&t[a.value.clone()])?;
        let per = match &a.name {
            Some(k) => unit(std::str::from_utf8(&t[k.clone()]).ok()?).or_else(|| match &t[k.clone()] {
                b"microseconds" => Some(1e-6),
                b"milliseconds" => Some(1e-3),
                _ => None,
            })?,
            None if name == "timedelta" => *POSITIONAL.get(i)?,
            None => return None,
        };
        total += n * per;
    }
    seconds(total)
}

/// `datetime(2051, 1, 1)` or `datetime.datetime(2051, 1, 1, 0, 0)`.
fn python_literal(t: &[u8], r: &Range<usize>) -> Option<String> {
    let s = &t[r.clone()];
    let open = s.iter().position(|b| *b == b'(')?;
    let name = std::str::from_utf8(&s[..open]).ok()?.trim();
    if name != "datetime" && name != "datetime.datetime" {
        return None;
    }
    let (args, end) = arguments(t, r.start + open, r.end, true)?;
    if end != r.end || args.len() < 3 || args.iter().any(|a| a.name.is_some()) {
        return None;
    }
    let n: Vec<i64> = args
        .iter()
        .take(6)
        .map(|a| number(&t[a.value.clone()]).map(|f| f as i64))
        .collect::<Option<_>>()?;
    Some(iso(&n))
}

/// A Python expiry expression.
pub fn python(t: &[u8], r: &Range<usize>) -> Expiry {
    if let Some(s) = string_value(t, r) {
        return Expiry::At(s);
    }
    if let Some(s) = python_literal(t, r) {
        return Expiry::At(s);
    }
    let parts = terms(t, r);
    if parts.len() == 2 {
        for (now, delta) in [(&parts[0], &parts[1]), (&parts[1], &parts[0])] {
            // `start + timedelta(…)` with `start = datetime.utcnow()` in the same function.
            let now = super::defs::resolve_in_scope(t, now, super::defs::PYTHON_SCOPES);
            if python_now(&t[now]) {
                if let Some(secs) = python_delta(t, delta) {
                    return Expiry::In(secs);
                }
            }
        }
    }
    Expiry::Unknown
}

/// A date written as its parts, `year, month, day[, hour, minute, second, …]` (.NET's
/// `new DateTime(2051, 1, 1)`, Java's `OffsetDateTime.of(…)`, Go's `time.Date(…)`): the
/// time it names, when at least year, month and day are literal numbers.
pub(super) fn date_parts(args: &[u8]) -> Option<Expiry> {
    let n: Vec<i64> = args
        .split(|b| *b == b',')
        .take(6)
        .map_while(|p| number(p).map(|f| f as i64))
        .collect();
    (n.len() >= 3).then(|| Expiry::At(iso(&n)))
}

/// `2051-01-01T00:00:00Z` from year, month, day and as many of hour, minute and second as
/// are given.
fn iso(n: &[i64]) -> String {
    let at = |i: usize| n.get(i).copied().unwrap_or(0);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at(0),
        at(1),
        at(2),
        at(3),
        at(4),
        at(5)
    )
}

/// .NET: `DateTimeOffset.UtcNow.AddYears(30)`, `DateTime.UtcNow.AddDays(1).AddHours(2)`,
/// `DateTimeOffset.UtcNow + TimeSpan.FromDays(1)`, `DateTimeOffset.UtcNow.Add(TimeSpan.FromHours(1))`,
/// `DateTimeOffset.Parse("2051-01-01")`, `new DateTimeOffset(2051, 1, 1, …)`.
pub fn dotnet(t: &[u8], r: &Range<usize>) -> Expiry {
    let s = trim(&t[r.clone()]);
    let parts = terms(t, r);
    if parts.len() == 2 {
        if let (Some(0), Some(d)) = (dotnet_chain(&t[parts[0].clone()]), timespan(&t[parts[1].clone()])) {
            return Expiry::In(d);
        }
        return Expiry::Unknown;
    }
    if let Some(secs) = dotnet_chain(s) {
        return if secs > 0 { Expiry::In(secs) } else { Expiry::Unknown };
    }
    for parse in [&b"DateTimeOffset.Parse("[..], b"DateTime.Parse("] {
        if let Some(rest) = s.strip_prefix(parse) {
            let inner = rest.strip_suffix(b")").unwrap_or(rest);
            if let Some(v) = string_value(inner, &(0..inner.len())) {
                return Expiry::At(v);
            }
        }
    }
    for ctor in [&b"new DateTimeOffset("[..], b"new DateTime("] {
        if let Some(rest) = s.strip_prefix(ctor) {
            let inner = rest.strip_suffix(b")").unwrap_or(rest);
            if let Some(at) = date_parts(inner) {
                return at;
            }
        }
    }
    Expiry::Unknown
}

/// `DateTimeOffset.UtcNow` followed by `.AddX(n)` and `.Add(TimeSpan.FromX(n))` calls: the
/// seconds added (0 for now alone); `None` when it is not that.
pub(super) fn dotnet_chain(s: &[u8]) -> Option<i64> {
    let s = trim(s);
    let rest = [
        &b"DateTimeOffset.UtcNow"[..],
        b"DateTimeOffset.Now",
        b"DateTime.UtcNow",
        b"DateTime.Now",
        b"DateTime.Today",
    ]
    .iter()
    .find_map(|p| s.strip_prefix(*p))?;
    let mut total = 0.0;
    let mut i = 0;
    while i < rest.len() {
        let r = &rest[i..];
        if r.starts_with(b".ToUniversalTime()") {
            i += ".ToUniversalTime()".len();
            continue;
        }
        let r = r.strip_prefix(b".")?;
        let open = r.iter().position(|b| *b == b'(')?;
        let close = super::syntax::close_of(r, open, r.len(), false)?;
        let name = std::str::from_utf8(&r[..open]).ok()?;
        let arg = &r[open + 1..close - 1];
        total += if name == "Add" {
            timespan(arg)? as f64
        } else {
            number(arg)? * unit(name)?
        };
        i += 1 + close;
    }
    seconds(total)
}

/// `TimeSpan.FromDays(1)` or `new TimeSpan(d, h, m, s)`.
pub(super) fn timespan(s: &[u8]) -> Option<i64> {
    let s = trim(s);
    if let Some(rest) = s.strip_prefix(b"TimeSpan.") {
        let open = rest.iter().position(|b| *b == b'(')?;
        let arg = rest.get(open + 1..rest.len().checked_sub(1)?)?;
        if rest.last() != Some(&b')') {
            return None;
        }
        return seconds(number(arg)? * unit(std::str::from_utf8(&rest[..open]).ok()?)?);
    }
    let inner = s.strip_prefix(b"new TimeSpan(")?.strip_suffix(b")")?;
    let n: Vec<f64> = inner.split(|b| *b == b',').map(number).collect::<Option<_>>()?;
    let secs = match n.as_slice() {
        [h, m, s] => h * HOUR + m * MINUTE + s,
        [d, h, m, s] => d * DAY + h * HOUR + m * MINUTE + s,
        _ => return None,
    };
    seconds(secs)
}

/// A command-line value: a literal time, `$(date … -d "+30 years" …)` (GNU `date`),
/// `` `date -d '1 year' …` `` or PowerShell's `(Get-Date).AddYears(30)`.
pub fn command(word: &str) -> Expiry {
    let w = word.trim();
    if w.starts_with("$(date") || w.starts_with("`date") {
        return gnu_date(w).map_or(Expiry::Unknown, Expiry::In);
    }
    if let Some(rest) = powershell_now(w) {
        return powershell_chain(rest).map_or(Expiry::Unknown, Expiry::In);
    }
    if w.starts_with(|c: char| c.is_ascii_digit()) && super::super::time::parse_time(w).is_some() {
        return Expiry::At(w.to_string());
    }
    Expiry::Unknown
}

/// The offset `date -d "+N unit"` (or `--date=`) adds to now.
pub(super) fn gnu_date(w: &str) -> Option<i64> {
    let after = w
        .split_once(" -d ")
        .or_else(|| w.split_once(" --date "))
        .or_else(|| w.split_once(" --date="))?
        .1;
    let q = after.chars().next()?;
    let spec = if q == '"' || q == '\'' {
        after[1..].split(q).next()?
    } else {
        after.split_whitespace().next()?
    };
    let mut total = 0.0;
    let words: Vec<&str> = spec.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if word == "now" || word == "today" {
            i += 1;
            continue;
        }
        // `+30 years`, `30years`
        let digits_end = word
            .trim_start_matches('+')
            .find(|c: char| !c.is_ascii_digit())
            .map_or(word.len(), |p| p + (word.len() - word.trim_start_matches('+').len()));
        let n: f64 = word[..digits_end].trim_start_matches('+').parse().ok()?;
        let u = if digits_end < word.len() {
            &word[digits_end..]
        } else {
            i += 1;
            words.get(i)?
        };
        total += n * unit(u)?;
        i += 1;
    }
    (total > 0.0).then(|| seconds(total)).flatten()
}

/// What follows PowerShell's now: `(Get-Date)`, `$(Get-Date)`, `[DateTime]::UtcNow`,
/// `([DateTime]::UtcNow)`, `$([System.DateTime]::Now`, `[System.DateTimeOffset]::Now`
/// (type names in any case, as PowerShell reads them).
fn powershell_now(w: &str) -> Option<&str> {
    // Opened by `$(`, `(` or `$((`, each closed after now or after the calls on it.
    let open = ["$((", "$(", "("]
        .iter()
        .find(|o| w.starts_with(**o))
        .map_or(0, |o| o.len());
    let rest = &w[open..];
    let lower = rest.get(..32.min(rest.len()))?.to_ascii_lowercase();
    let lower = lower.as_str();
    let typed = [
        "[system.datetimeoffset]::",
        "[datetimeoffset]::",
        "[system.datetime]::",
        "[datetime]::",
    ]
    .iter()
    .find_map(|ty| {
        let after = lower.strip_prefix(ty)?;
        ["utcnow", "now"]
            .iter()
            .find(|n| after.starts_with(**n))
            .map(|n| ty.len() + n.len())
    });
    let len = match typed {
        Some(n) => n,
        None if lower.starts_with("get-date") => "get-date".len(),
        None => return None,
    };
    // `(Get-Date)` and `([DateTime]::UtcNow)` close here; `$([DateTime]::Now.AddYears(1))`
    // after its calls.
    let rest = &rest[len..];
    Some(if open > 0 {
        rest.strip_prefix(')').unwrap_or(rest)
    } else {
        rest
    })
}

/// A name assigned now before it and then `.AddX(n)` calls: PowerShell's
/// `$EndTime = $StartTime.AddYears(10)` after `$StartTime = Get-Date` (or
/// `[DateTime]::UtcNow`, `(Get-Date).ToUniversalTime()`), .NET's `start.AddDays(1)` after
/// `var start = DateTimeOffset.UtcNow;` (or now plus a duration): now plus the calls.
/// Unknown for anything else (a parameter, a name assigned something else).
pub fn named_now(t: &[u8], r: &Range<usize>) -> Expiry {
    let r = trim_range(t, r.clone());
    let s = &t[r.clone()];
    let sigil = usize::from(s.first() == Some(&b'$'));
    let len = s[sigil..]
        .iter()
        .take_while(|b| super::syntax::is_ident_byte(**b))
        .count();
    let name = r.start + sigil..r.start + sigil + len;
    if len == 0 || s[sigil].is_ascii_digit() || t.get(name.end) != Some(&b'.') {
        return Expiry::Unknown;
    }
    let Some(v) = super::defs::definition(t, &t[name.clone()], name.start) else {
        return Expiry::Unknown;
    };
    let Ok(rest) = std::str::from_utf8(&t[name.end..r.end]) else {
        return Expiry::Unknown;
    };
    let v = trim(&t[v]);
    let secs = if sigil == 1 {
        let Ok(v) = std::str::from_utf8(v) else {
            return Expiry::Unknown;
        };
        let v = v.trim();
        let now = v.eq_ignore_ascii_case("get-date")
            || powershell_now(v)
                .is_some_and(|after| after.is_empty() || after.eq_ignore_ascii_case(".ToUniversalTime()"));
        if !now {
            return Expiry::Unknown;
        }
        powershell_chain(rest)
    } else {
        // `start` may itself be now plus a duration.
        let Some(base) = dotnet_chain(v) else {
            return Expiry::Unknown;
        };
        dotnet_chain(format!("DateTimeOffset.UtcNow{rest}").as_bytes())
            .map(|s| s + base)
            .filter(|s| *s > 0)
    };
    secs.map_or(Expiry::Unknown, Expiry::In)
}

/// `.AddYears(30).ToUniversalTime().ToString("…")` after PowerShell's now.
pub(super) fn powershell_chain(rest: &str) -> Option<i64> {
    let mut total = 0.0;
    let mut r = rest;
    while let Some(after) = r.strip_prefix('.') {
        let open = after.find('(')?;
        let close = open + after[open..].find(')')?;
        let name = &after[..open];
        if name.starts_with("Add") {
            total += number(&after.as_bytes()[open + 1..close])? * unit(name)?;
        }
        r = &after[close + 1..];
    }
    (total > 0.0).then(|| seconds(total)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(s: &str) -> Expiry {
        python(s.as_bytes(), &(0..s.len()))
    }

    fn net(s: &str) -> Expiry {
        dotnet(s.as_bytes(), &(0..s.len()))
    }

    #[test]
    fn python_now_plus_a_literal_duration() {
        assert_eq!(
            py("datetime.utcnow() + timedelta(days=3650)"),
            Expiry::In(3650 * 86_400)
        );
        assert_eq!(
            py("datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)"),
            Expiry::In(3600)
        );
        assert_eq!(
            py("timedelta(weeks=1) + datetime.now(timezone.utc)"),
            Expiry::In(7 * 86_400)
        );
        assert_eq!(
            py("datetime.utcnow() + timedelta(days=365 * 30)"),
            Expiry::In(365 * 30 * 86_400)
        );
        assert_eq!(py("datetime.utcnow() + timedelta(1)"), Expiry::In(86_400));
        assert_eq!(
            py("\"2051-01-01T00:00:00Z\""),
            Expiry::At("2051-01-01T00:00:00Z".into())
        );
        assert_eq!(py("datetime(2051, 1, 1)"), Expiry::At("2051-01-01T00:00:00Z".into()));
    }

    #[test]
    fn python_values_held_elsewhere_are_unknown() {
        assert_eq!(py("expiry_time"), Expiry::Unknown);
        assert_eq!(py("start + timedelta(days=1)"), Expiry::Unknown);
        assert_eq!(py("datetime.utcnow() + timedelta(days=n)"), Expiry::Unknown);
        assert_eq!(py("datetime.utcnow() + lifetime"), Expiry::Unknown);
    }

    #[test]
    fn dotnet_forms() {
        assert_eq!(
            net("DateTimeOffset.UtcNow.AddYears(30)"),
            Expiry::In((30.0 * YEAR) as i64)
        );
        assert_eq!(net("DateTime.UtcNow.AddDays(1).AddHours(2)"), Expiry::In(26 * 3600));
        assert_eq!(net("DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5)"), Expiry::In(300));
        assert_eq!(
            net("DateTimeOffset.UtcNow.Add(TimeSpan.FromHours(1))"),
            Expiry::In(3600)
        );
        assert_eq!(
            net("DateTimeOffset.Parse(\"2051-01-01\")"),
            Expiry::At("2051-01-01".into())
        );
        assert_eq!(
            net("new DateTimeOffset(2051, 1, 1, 0, 0, 0, TimeSpan.Zero)"),
            Expiry::At("2051-01-01T00:00:00Z".into())
        );
        assert_eq!(net("expiresOn"), Expiry::Unknown);
        assert_eq!(net("DateTimeOffset.UtcNow.AddHours(hours)"), Expiry::Unknown);
        assert_eq!(net("DateTimeOffset.UtcNow"), Expiry::Unknown);
    }

    #[test]
    fn command_forms() {
        assert_eq!(command("2051-01-01"), Expiry::At("2051-01-01".into()));
        assert_eq!(command("2051-01-01T00:00Z"), Expiry::At("2051-01-01T00:00Z".into()));
        assert_eq!(
            command("$(date -u -d \"+30 years\" '+%Y-%m-%dT%H:%MZ')"),
            Expiry::In((30.0 * YEAR) as i64)
        );
        assert_eq!(command("$(date -u -d '30 minutes' +%Y-%m-%dT%H:%MZ)"), Expiry::In(1800));
        assert_eq!(command("(Get-Date).AddYears(30)"), Expiry::In((30.0 * YEAR) as i64));
        assert_eq!(command("([DateTime]::UtcNow).AddYears(1)"), Expiry::In(YEAR as i64));
        assert_eq!(command("[datetime]::UtcNow.AddDays(7)"), Expiry::In(7 * 86_400));
        assert_eq!(command("[DateTime]::UtcNow"), Expiry::Unknown);
        // The forms real scripts write: `System.` and `Now`, inside `$(…)`.
        let ten = Expiry::In((10.0 * YEAR) as i64);
        assert_eq!(command("$([System.DateTime]::Now.AddYears(10))"), ten);
        assert_eq!(command("[System.DateTime]::Now.AddYears(10)"), ten);
        assert_eq!(command("$((Get-Date).AddYears(10))"), ten);
        assert_eq!(command("(Get-Date -Date $when).AddYears(10)"), Expiry::Unknown);
        assert_eq!(command("$end"), Expiry::Unknown);
        assert_eq!(command("$(date -u -d \"$LIFETIME\" +%F)"), Expiry::Unknown);
    }

    #[test]
    fn a_name_assigned_now_then_added_to() {
        let at = |s: &str, e: &str| {
            let i = s.rfind(e).unwrap();
            named_now(s.as_bytes(), &(i..i + e.len()))
        };
        let ps = "$StartTime = Get-Date\n$EndTime = $StartTime.AddYears(10)";
        assert_eq!(at(ps, "$StartTime.AddYears(10)"), Expiry::In((10.0 * YEAR) as i64));
        let ps = "$now = (Get-Date).ToUniversalTime()\n$e = $now.AddHours(1).ToString(\"o\")";
        assert_eq!(at(ps, "$now.AddHours(1).ToString(\"o\")"), Expiry::In(3600));
        let ps = "$now = [DateTime]::UtcNow; $now.AddDays(7)";
        assert_eq!(at(ps, "$now.AddDays(7)"), Expiry::In(7 * 86_400));
        let net = "var start = DateTimeOffset.UtcNow;\nvar end = start.AddYears(5);";
        assert_eq!(at(net, "start.AddYears(5)"), Expiry::In((5.0 * YEAR) as i64));
        // Not now: a parameter, another date, an unknown call, nothing assigned.
        for (s, e) in [
            ("param([DateTime]$Start)\n$Start.AddYears(10)", "$Start.AddYears(10)"),
            (
                "$Start = Get-Date -Date $when\n$Start.AddYears(10)",
                "$Start.AddYears(10)",
            ),
            ("$Start = Get-StartTime\n$Start.AddYears(10)", "$Start.AddYears(10)"),
            ("$Start.AddYears(10)", "$Start.AddYears(10)"),
            ("var s = DateTimeOffset.UtcNow;\ns.AddYears(n)", "s.AddYears(n)"),
            ("var s = other;\ns.AddYears(1)", "s.AddYears(1)"),
        ] {
            assert_eq!(at(s, e), Expiry::Unknown, "{s}");
        }
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(duration_words((30.0 * YEAR) as i64), "30 years");
        assert_eq!(duration_words(3650 * 86_400), "10 years");
        assert_eq!(duration_words(3600), "1 hour");
        assert_eq!(duration_words(7 * 86_400), "7 days");
    }
}
