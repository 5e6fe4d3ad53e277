//! Words for what a token can do: permissions, services, durations and times.

use chrono::{DateTime, Utc};

use crate::scan::{Letters, Token, TokenKind};

/// What a permission letter is read against: the token's kind and, for a service or user
/// delegation SAS, the one service it is for (`b`, `f`, `q`, `t`) when that is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub kind: TokenKind,
    pub service: Option<char>,
}

impl From<TokenKind> for Scope {
    fn from(kind: TokenKind) -> Scope {
        Scope { kind, service: None }
    }
}

impl Scope {
    pub fn of(t: &Token) -> Scope {
        Scope {
            kind: t.kind,
            service: service_of(t),
        }
    }

    /// `p` processes queue messages (reads and deletes them) on an account SAS and on a
    /// queue SAS; on a blob SAS it sets permissions (ACLs).
    fn p_processes(self) -> bool {
        self.kind == TokenKind::AccountSas || self.service == Some('q')
    }
}

/// The service a service or user delegation SAS is for: from `tn` (table), `sr` (blob or
/// file resources), else the host (`acct.queue.core.windows.net`). `None` for an account
/// SAS (it lists its services in `ss`) and when nothing tells.
pub fn service_of(t: &Token) -> Option<char> {
    if t.kind == TokenKind::AccountSas {
        return None;
    }
    let p = &t.params;
    if p.table.is_some() {
        return Some('t');
    }
    match p.resource.as_deref() {
        Some("b" | "bs" | "bv" | "c" | "d") => return Some('b'),
        Some("s" | "f") => return Some('f'),
        _ => {}
    }
    let host = t.host.as_deref()?.to_ascii_lowercase();
    [
        (".blob.", 'b'),
        (".dfs.", 'b'),
        (".file.", 'f'),
        (".queue.", 'q'),
        (".table.", 't'),
    ]
    .into_iter()
    .find(|(part, _)| host.contains(part))
    .map(|(_, s)| s)
}

/// The meaning of a permission letter for a token of `kind` (or a [`Scope`]).
pub fn permission_name(scope: impl Into<Scope>, c: char) -> &'static str {
    let scope = scope.into();
    match c {
        'r' => "read",
        'w' => "write",
        'd' => "delete",
        'x' => "delete version",
        'y' => "permanent delete",
        'l' => "list",
        'a' => "add",
        'c' => "create",
        'u' => "update",
        'p' if scope.p_processes() => "process messages",
        'p' if scope.service.is_some() => "set permissions",
        'p' => "set permissions / process messages",
        't' => "tags",
        'f' => "filter by tags",
        'i' => "set immutability policy",
        'm' => "move",
        'e' => "execute",
        'o' => "set ownership",
        _ => "unknown",
    }
}

/// Letters that change or destroy data or access.
pub const DESTRUCTIVE: &str = "wdxyacupmoie";

pub fn destructive_letters(p: &Letters) -> Vec<char> {
    p.letters().filter(|c| DESTRUCTIVE.contains(*c)).collect()
}

/// Read, write, delete, list and create together: nothing meaningful is withheld.
pub fn is_full_control(p: &Letters) -> bool {
    "rwdlc".chars().all(|c| p.has(c))
}

/// In a few words what `letters` let the holder do: `read-only`, `read and write`,
/// `read, write and delete`, `no effective permissions`.
pub fn access(scope: impl Into<Scope>, letters: &[char]) -> String {
    let has = |set: &str| letters.iter().any(|c| set.contains(*c));
    // `p` processes (reads and deletes) queue messages on an account or queue SAS, and
    // sets permissions on blobs elsewhere.
    let (reads, writes, deletes) = if scope.into().p_processes() {
        ("rlfp", "wacutimeo", "dxyp")
    } else {
        ("rlf", "wacutimeop", "dxy")
    };
    let words: Vec<&str> = [("read", reads), ("write", writes), ("delete", deletes)]
        .into_iter()
        .filter(|(_, set)| has(set))
        .map(|(w, _)| w)
        .collect();
    match words.as_slice() {
        [] => "no effective permissions".to_string(),
        [one] => format!("{one}-only"),
        more => join_words(more),
    }
}

/// `spr` absent, or listing `http`.
pub fn allows_http(spr: Option<&str>) -> bool {
    spr.is_none_or(|spr| spr.split(',').any(|x| x.trim().eq_ignore_ascii_case("http")))
}

/// The order permissions are listed in: reading first, then writing, then destroying.
const PERMISSION_ORDER: &str = "rlwacutfdxyipmeo";

/// Permission names in reading order.
pub fn permission_names(scope: impl Into<Scope>, letters: impl IntoIterator<Item = char>) -> Vec<&'static str> {
    let scope = scope.into();
    let letters: Vec<char> = letters.into_iter().collect();
    PERMISSION_ORDER
        .chars()
        .filter(|c| letters.contains(c))
        .map(|c| permission_name(scope, c))
        .collect()
}

pub fn permission_list(scope: impl Into<Scope>, letters: impl IntoIterator<Item = char>) -> String {
    join_words(&permission_names(scope, letters))
}

pub fn service_name(c: char) -> &'static str {
    match c {
        'b' => "blob",
        'f' => "file",
        'q' => "queue",
        't' => "table",
        _ => "unknown",
    }
}

pub fn services_list(ss: &Letters) -> String {
    let names: Vec<&str> = ss.letters().map(service_name).collect();
    join_words(&names)
}

/// `srt` letters in scope order: service, container, object.
pub fn resource_type_names(srt: &Letters) -> Vec<&'static str> {
    [('s', "service"), ('c', "container"), ('o', "object")]
        .into_iter()
        .filter(|(c, _)| srt.has(*c))
        .map(|(_, n)| n)
        .collect()
}

/// What a service SAS `sr` value points at.
pub fn resource_name(sr: &str) -> &'static str {
    match sr {
        "b" => "one blob",
        "bv" => "one blob version",
        "bs" => "one blob snapshot",
        "c" => "one container",
        "d" => "one directory",
        "f" => "one file",
        "s" => "one file share",
        _ => "one resource",
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A length of time in the largest sensible units: `30 years`, `7 days 2 hours`, `45 minutes`.
pub fn human_duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (day, hour, min) = (86_400u64, 3_600u64, 60u64);
    let plural = |n: u64, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if s >= 365 * day {
        let years = s / (365 * day);
        let months = (s % (365 * day)) / (30 * day);
        if months > 0 && years < 10 {
            return format!("{} {}", plural(years, "year"), plural(months, "month"));
        }
        return plural(years, "year");
    }
    if s >= 60 * day {
        return plural(s / (30 * day), "month");
    }
    if s >= day {
        let hours = (s % day) / hour;
        if hours > 0 && s < 7 * day {
            return format!("{} {}", plural(s / day, "day"), plural(hours, "hour"));
        }
        return plural(s / day, "day");
    }
    if s >= hour {
        return plural(s / hour, "hour");
    }
    if s >= min {
        return plural(s / min, "minute");
    }
    plural(s, "second")
}

pub fn human_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Who the token is for: `storage account 'acct'`, `Service Bus namespace 'ns'`, or the host.
pub fn target(token: &Token) -> String {
    let what = match token.kind {
        TokenKind::ServiceBusSas | TokenKind::SharedAccessKey => "namespace",
        _ => "storage account",
    };
    match (&token.account, &token.host) {
        (Some(a), _) => format!("{what} '{a}'"),
        (None, Some(h)) => format!("host {h}"),
        (None, None) => format!("an unnamed {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(30 * 365 * 86_400 + 86_400), "30 years");
        assert_eq!(human_duration(400 * 86_400), "1 year 1 month");
        assert_eq!(human_duration(8 * 86_400), "8 days");
        assert_eq!(human_duration(86_400 + 7_200), "1 day 2 hours");
        assert_eq!(human_duration(3_600), "1 hour");
        assert_eq!(human_duration(59), "59 seconds");
    }

    #[test]
    fn access_in_a_few_words() {
        use TokenKind::*;
        assert_eq!(access(ServiceSas, &['l', 'r']), "read-only");
        assert_eq!(access(ServiceSas, &['r', 'w']), "read and write");
        assert_eq!(access(AccountSas, &['p', 'r']), "read and delete");
        assert_eq!(access(ServiceSas, &['p']), "write-only");
        let queue = Scope {
            kind: ServiceSas,
            service: Some('q'),
        };
        assert_eq!(access(queue, &['p']), "read and delete");
        assert_eq!(permission_name(queue, 'p'), "process messages");
        let blob = Scope {
            kind: UserDelegationSas,
            service: Some('b'),
        };
        assert_eq!(permission_name(blob, 'p'), "set permissions");
        assert_eq!(permission_name(ServiceSas, 'p'), "set permissions / process messages");
        assert_eq!(access(AccountSas, &[]), "no effective permissions");
        assert!(allows_http(None) && allows_http(Some("https,http")) && !allows_http(Some("https")));
    }

    #[test]
    fn lists() {
        assert_eq!(join_words(&["a", "b", "c"]), "a, b and c");
        let p = Letters::parse("rwdlacupitfx", crate::scan::sas::ACCOUNT_PERMISSIONS);
        assert!(is_full_control(&p));
        assert_eq!(destructive_letters(&p), vec!['a', 'c', 'd', 'i', 'p', 'u', 'w', 'x']);
    }
}
