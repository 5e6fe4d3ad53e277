//! Parsing of every time form a SAS accepts: `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fffffff]]`
//! with `Z` or an offset, Unix seconds (Service Bus), and `MM/DD/YYYY HH:mm:ss`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A time parameter: its text as decoded, and its value when the text is a valid time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimeValue {
    pub text: String,
    pub at: Option<DateTime<Utc>>,
}

impl TimeValue {
    pub fn parse(text: &str) -> Self {
        TimeValue {
            text: text.to_string(),
            at: parse_time(text),
        }
    }
}

/// Parses a decoded time value; `None` when it is not one of the accepted forms.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return DateTime::from_timestamp(s.parse().ok()?, 0);
    }
    if s.contains('/') {
        let dt = NaiveDateTime::parse_from_str(s, "%m/%d/%Y %H:%M:%S").ok()?;
        return Some(Utc.from_utc_datetime(&dt));
    }
    let (date_part, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if date_part.len() != 10 {
        return None;
    }
    let date = NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok()?;
    let Some(rest) = rest else {
        return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    };
    let (clock, offset) = split_zone(rest)?;
    let time = parse_clock(clock)?;
    let local = date.and_time(time);
    let fixed = FixedOffset::east_opt(offset)?;
    let dt = fixed.from_local_datetime(&local).single()?;
    Some(dt.with_timezone(&Utc))
}

/// Splits `hh:mm:ssZ` / `hh:mm+01:00` into the clock and the offset in seconds.
fn split_zone(rest: &str) -> Option<(&str, i32)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    if let Some(i) = rest.rfind(['+', '-']) {
        let (clock, zone) = rest.split_at(i);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let h: i32 = digits[..2].parse().ok()?;
        let m: i32 = digits[2..].parse().ok()?;
        return Some((clock, sign * (h * 3600 + m * 60)));
    }
    Some((rest, 0))
}

fn parse_clock(clock: &str) -> Option<NaiveTime> {
    let (main, frac) = match clock.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (clock, None),
    };
    let mut parts = main.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = match parts.next() {
        Some(p) => p.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let nanos = match frac {
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<9}").parse().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    NaiveTime::from_hms_nano_opt(h, m, s, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        parse_time(s).map(|d| d.to_rfc3339()).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(t("2051-10-06"), "2051-10-06T00:00:00+00:00");
        assert_eq!(t("2051-10-06T07:09Z"), "2051-10-06T07:09:00+00:00");
        assert_eq!(t("2051-10-06T07:09:59Z"), "2051-10-06T07:09:59+00:00");
        assert_eq!(t("2051-10-06T07:09:59.1234567Z"), "2051-10-06T07:09:59.123456700+00:00");
        assert_eq!(t("2051-10-06T07:09:59+02:00"), "2051-10-06T05:09:59+00:00");
        assert_eq!(t("2051-10-06T07:09:59-01:30"), "2051-10-06T08:39:59+00:00");
        assert_eq!(t("1700000000"), "2023-11-14T22:13:20+00:00");
        assert_eq!(t("10/06/2051 07:09:59"), "2051-10-06T07:09:59+00:00");
    }

    #[test]
    fn rejected_forms() {
        for s in [
            "",
            "tomorrow",
            "2051-13-01",
            "2051-10-06T25:00Z",
            "2051-10-06T07:09:59.Z",
            "{se}",
        ] {
            assert_eq!(t(s), "none", "{s}");
        }
    }
}
