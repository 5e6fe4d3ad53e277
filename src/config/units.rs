//! Human-friendly durations (`7d`, `36h`, `1y`, `1d12h`) and sizes (`10MiB`, `500KB`).

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A duration in whole seconds, written `7d`, `12h`, `90m`, `30s`, `2w`, `1y` or combined
/// (`1d12h`), or as a plain number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lifetime(pub i64);

impl Lifetime {
    pub const fn days(d: i64) -> Self {
        Lifetime(d * 86_400)
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("empty duration".into());
        }
        if let Ok(n) = s.parse::<i64>() {
            return if n >= 0 {
                Ok(Lifetime(n))
            } else {
                Err(format!("negative duration `{s}`"))
            };
        }
        let mut total: i64 = 0;
        let mut num = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3_600,
                'd' => 86_400,
                'w' => 7 * 86_400,
                'y' => 365 * 86_400,
                ' ' => continue,
                _ => return Err(format!("`{s}` is not a duration (use s, m, h, d, w or y, e.g. `7d`)")),
            };
            let n: i64 = num
                .parse()
                .map_err(|_| format!("`{s}` is not a duration (a number must precede `{c}`)"))?;
            total = total.saturating_add(n.saturating_mul(unit));
            num.clear();
        }
        if !num.is_empty() {
            return Err(format!("`{s}` is not a duration (missing unit after `{num}`)"));
        }
        Ok(Lifetime(total))
    }
}

impl std::fmt::Display for Lifetime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0;
        for (unit, n) in [("y", 365 * 86_400), ("d", 86_400), ("h", 3_600), ("m", 60)] {
            if s != 0 && s % n == 0 {
                return write!(f, "{}{unit}", s / n);
            }
        }
        write!(f, "{s}s")
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NumOrText {
    Num(i64),
    Text(String),
}

impl<'de> Deserialize<'de> for Lifetime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match NumOrText::deserialize(d)? {
            NumOrText::Num(n) if n >= 0 => Ok(Lifetime(n)),
            NumOrText::Num(n) => Err(de::Error::custom(format!("negative duration {n}"))),
            NumOrText::Text(s) => Lifetime::parse(&s).map_err(de::Error::custom),
        }
    }
}

impl Serialize for Lifetime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// A size in bytes, written as a number or with a unit (`500KB`, `10MiB`, `1GB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

impl ByteSize {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let n: u64 = num.parse().map_err(|_| format!("`{s}` is not a size (e.g. `10MiB`)"))?;
        let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kb" | "kib" => 1 << 10,
            "m" | "mb" | "mib" => 1 << 20,
            "g" | "gb" | "gib" => 1 << 30,
            _ => return Err(format!("`{s}` is not a size (use B, KiB, MiB or GiB)")),
        };
        Ok(ByteSize(n.saturating_mul(mult)))
    }
}

impl std::fmt::Display for ByteSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = self.0;
        for (unit, n) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
            if b >= n && b % n == 0 {
                return write!(f, "{}{unit}", b / n);
            }
            if b >= n {
                return write!(f, "{:.1}{unit}", b as f64 / n as f64);
            }
        }
        write!(f, "{b}B")
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match NumOrText::deserialize(d)? {
            NumOrText::Num(n) if n >= 0 => Ok(ByteSize(n as u64)),
            NumOrText::Num(n) => Err(de::Error::custom(format!("negative size {n}"))),
            NumOrText::Text(s) => ByteSize::parse(&s).map_err(de::Error::custom),
        }
    }
}

impl Serialize for ByteSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(Lifetime::parse("7d").unwrap(), Lifetime::days(7));
        assert_eq!(Lifetime::parse("1d12h").unwrap(), Lifetime(36 * 3600));
        assert_eq!(Lifetime::parse("3600").unwrap(), Lifetime(3600));
        assert_eq!(Lifetime::parse("1y").unwrap(), Lifetime::days(365));
        assert!(Lifetime::parse("7 days").is_err());
        assert!(Lifetime::parse("d").is_err());
        assert!(Lifetime::parse("12").is_ok());
        assert_eq!(Lifetime::days(7).to_string(), "7d");
        assert_eq!(Lifetime(90).to_string(), "90s");
    }

    #[test]
    fn sizes() {
        assert_eq!(ByteSize::parse("10MiB").unwrap(), ByteSize(10 << 20));
        assert_eq!(ByteSize::parse("500 KB").unwrap(), ByteSize(500 << 10));
        assert_eq!(ByteSize::parse("123").unwrap(), ByteSize(123));
        assert!(ByteSize::parse("ten").is_err());
        assert!(ByteSize::parse("10TB").is_err());
        assert_eq!(ByteSize(10 << 20).to_string(), "10MiB");
    }
}
