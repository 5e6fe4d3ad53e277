//! A finding's summary. Problems panels and virtual text cut a diagnostic after about 80
//! characters, so the first sentence carries the facts that decide how bad a token is, in
//! this order: kind, scope, lifetime, access, transport. The second sentence names the
//! account and the exact expiry; the permissions are spelled out in the breakdown (hover,
//! `explain`) and in the SAS003 reason.

use chrono::{DateTime, Utc};

use super::describe::{self, access, human_duration, human_time, target};
use super::effective::Effective;
use super::is_full_control_policy;
use crate::scan::{Token, TokenKind};

/// `Account SAS, every container of 4 services, 30 years (25 left), full control, HTTP.`
/// followed by a sentence of details.
pub fn summary(t: &Token, expiry: Option<DateTime<Utc>>, lifetime: Option<i64>, now: DateTime<Utc>) -> String {
    let p = &t.params;
    let whom = target(t);
    let life = life(t, expiry, lifetime, now);
    let until = match expiry {
        Some(e) if e <= now => Some(format!("expired {}", human_time(e))),
        Some(e) => Some(format!("expires {}", human_time(e))),
        None => None,
    };
    match t.kind {
        k if k.is_family() => super::family::summary(t, expiry, now),
        TokenKind::StorageAccountKey => {
            format!("Storage account key, all of {whom}, until rotated, full control.")
        }
        TokenKind::SharedAccessKey => {
            let policy = t.key_name.as_deref().unwrap_or("unknown policy");
            let rights = if is_full_control_policy(policy) {
                "full control (Manage, Send and Listen)"
            } else {
                "its policy's rights"
            };
            format!("Shared access key '{policy}', {whom}, until rotated, {rights}.")
        }
        TokenKind::ServiceBusSas => {
            let rights = match t.key_name.as_deref() {
                Some(n) if is_full_control_policy(n) => format!("full control (policy '{n}')"),
                Some(n) => format!("rights of policy '{n}'"),
                None => "its policy's rights".to_string(),
            };
            let resource = p.resource.as_deref().unwrap_or("an unknown resource");
            let mut details = vec![format!("resource {resource}")];
            details.extend(until);
            format!(
                "Service Bus / Event Hubs SAS, {whom}, {life}, {rights}. {}.",
                capitalize(&details.join(", "))
            )
        }
        _ => {
            let kind = capitalize(t.kind.label());
            let transport = if describe::allows_http(p.protocol.as_deref()) {
                "HTTP"
            } else {
                "HTTPS only"
            };
            let mut details = vec![match t.kind {
                TokenKind::AccountSas => account_reach(t, &whom),
                _ => capitalize(&whom),
            }];
            if let Some(perms) = p.permissions.as_ref().filter(|l| l.is_malformed()) {
                details.push(format!("malformed sp={}", perms.text));
            }
            details.extend(until);
            details.push(match &p.ip {
                Some(ip) => format!("from {ip} only"),
                None => "from any IP".to_string(),
            });
            format!(
                "{kind}, {}, {life}, {}, {transport}. {}.",
                scope(t),
                access_of(t),
                details.join(", ")
            )
        }
    }
}

/// `30 years (25 left)`, `2 hours (45 minutes left)`, `expired 3 days ago`, `no expiry`.
fn life(t: &Token, expiry: Option<DateTime<Utc>>, lifetime: Option<i64>, now: DateTime<Utc>) -> String {
    match expiry {
        Some(e) if e <= now => format!("expired {} ago", human_duration((now - e).num_seconds())),
        Some(e) => {
            let total = human_duration(lifetime.unwrap_or(0));
            let left = human_duration((e - now).num_seconds());
            if t.params.start.as_ref().and_then(|s| s.at).is_none() {
                // No `st`: the lifetime runs from now.
                format!("{left} left")
            } else {
                format!("{total} ({} left)", shorten_left(&total, &left))
            }
        }
        None if t.params.policy.is_some() => "expiry in its stored access policy".to_string(),
        None if t.params.expiry.is_some() => "unreadable expiry".to_string(),
        None => "no expiry".to_string(),
    }
}

/// `25 years` after `30 years` reads `25`: a plural unit is said once.
fn shorten_left<'a>(total: &str, left: &'a str) -> &'a str {
    let same_plural_unit = |a: &str, b: &str| {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
        a.len() == 2 && b.len() == 2 && a[1] == b[1] && a[1].ends_with('s')
    };
    if same_plural_unit(total, left) {
        left.split(' ').next().unwrap_or(left)
    } else {
        left
    }
}

/// What the token reaches, in a few words.
fn scope(t: &Token) -> String {
    let p = &t.params;
    if t.kind == TokenKind::AccountSas {
        let ss: Vec<char> = p.services.as_ref().map(|s| s.letters().collect()).unwrap_or_default();
        return match ss.as_slice() {
            [] => "every container of every service".to_string(),
            ['b'] => "every blob container".to_string(),
            ['f'] => "every file share".to_string(),
            ['q'] => "every queue".to_string(),
            ['t'] => "every table".to_string(),
            more => format!("every container of {} services", more.len()),
        };
    }
    if let Some(tn) = &p.table {
        return format!("table '{tn}'");
    }
    match &p.resource {
        Some(sr) => describe::resource_name(sr).to_string(),
        None => "one resource".to_string(),
    }
}

/// `full control`, `read-only`, `read and write`, …, judged on the letters that take effect.
fn access_of(t: &Token) -> String {
    let p = &t.params;
    let Some(perms) = &p.permissions else {
        return if p.policy.is_some() {
            "stored policy's permissions".to_string()
        } else {
            "unknown permissions".to_string()
        };
    };
    if t.kind == TokenKind::AccountSas {
        let e = Effective::compute(perms, p.services.as_ref(), p.resource_types.as_ref());
        if e.full_control() {
            return "full control".to_string();
        }
        let full = e.full_control_of();
        if !full.is_empty() {
            let names: Vec<&str> = full.into_iter().map(describe::service_name).collect();
            return format!("full control of {}", describe::join_words(&names));
        }
        return access(t.kind, &e.union());
    }
    if describe::is_full_control(perms) {
        return "full control".to_string();
    }
    access(describe::Scope::of(t), &perms.letters().collect::<Vec<_>>())
}

/// `Storage account 'acct': blob, file, queue and table, service-level APIs included`.
fn account_reach(t: &Token, whom: &str) -> String {
    let p = &t.params;
    let services = p
        .services
        .as_ref()
        .map(describe::services_list)
        .unwrap_or_else(|| "all services".into());
    let service_level = if p.resource_types.as_ref().is_some_and(|r| r.has('s')) {
        " and service-level APIs"
    } else {
        ""
    };
    format!("{}: {services} storage{service_level}", capitalize(whom))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_is_said_once() {
        assert_eq!(shorten_left("30 years", "25 years"), "25");
        assert_eq!(shorten_left("2 hours", "45 minutes"), "45 minutes");
        assert_eq!(shorten_left("1 year 1 month", "1 year"), "1 year");
        assert_eq!(shorten_left("8 days", "3 days 2 hours"), "3 days 2 hours");
        assert_eq!(shorten_left("1 hour", "1 hour"), "1 hour");
    }
}
