//! Judging tokens: each live token becomes one [`Finding`] whose severity is the highest
//! of the rules that fired on it. "Now" is passed in, so results are deterministic.

pub mod breakdown;
pub mod describe;
pub mod rules;
mod suppress;

use chrono::{DateTime, Utc};

use crate::config::{Settings, Severity};
use crate::scan::{self, Token, TokenKind};
use describe::{destructive_letters, human_duration, human_time, is_full_control, permission_list, target};
pub use rules::Rule;
pub use suppress::{is_suppressed, markers, Suppressor};

/// A rule that fired on a token, with its effective severity and its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    pub rule: Rule,
    pub severity: Severity,
    pub reason: String,
}

/// One token and everything the rules said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub token: Token,
    /// The highest severity of the rules that fired.
    pub severity: Severity,
    /// The rule that decided the severity.
    pub rule: Rule,
    /// Every rule that fired, headline first.
    pub fired: Vec<Fired>,
    /// What the token grants, to what, until when.
    pub summary: String,
    /// The summary and every other rule that fired, in one line (see [`Finding::message`]).
    message: String,
    /// When the token stops working (the earlier of `se` and, for user delegation, `ske`).
    pub expiry: Option<DateTime<Utc>>,
}

impl Finding {
    /// One line: the summary, then every other rule that fired.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn compose_message(summary: &str, fired: &[Fired]) -> String {
        let others: Vec<String> = fired[1..]
            .iter()
            .map(|f| format!("{} {}", f.rule.id(), f.rule.name()))
            .collect();
        if others.is_empty() {
            summary.to_string()
        } else {
            format!("{summary} Also: {}.", others.join(", "))
        }
    }

    pub fn fired(&self, rule: Rule) -> bool {
        self.fired.iter().any(|f| f.rule == rule)
    }
}

/// Scans `text` and judges every token that is not suppressed or allow-listed.
pub fn analyze(text: &[u8], settings: &Settings, now: DateTime<Utc>) -> Vec<Finding> {
    judge(text, scan::scan(text), settings, now)
}

/// Judges tokens already found in `text`, leaving out suppressed and allow-listed ones.
pub fn judge(text: &[u8], tokens: Vec<Token>, settings: &Settings, now: DateTime<Utc>) -> Vec<Finding> {
    let mut suppressor = Suppressor::new(text);
    tokens
        .into_iter()
        .filter(|t| !suppressor.is_suppressed(&t.range))
        .filter(|t| !settings.allows(t.account.as_deref(), &t.fingerprint))
        .filter_map(|t| evaluate(t, settings, now))
        .collect()
}

/// Judges tokens whose suppression the caller has already decided (none of them is).
pub fn judge_unsuppressed(tokens: Vec<Token>, settings: &Settings, now: DateTime<Utc>) -> Vec<Finding> {
    tokens
        .into_iter()
        .filter(|t| !settings.allows(t.account.as_deref(), &t.fingerprint))
        .filter_map(|t| evaluate(t, settings, now))
        .collect()
}

/// Applies the rules to one token; `None` when every rule that would fire is off.
pub fn evaluate(token: Token, settings: &Settings, now: DateTime<Utc>) -> Option<Finding> {
    let mut j = Judgement::new(&token, settings, now);
    match token.kind {
        TokenKind::StorageAccountKey => j.fire(
            Rule::StorageAccountKey,
            format!(
                "storage account key: full control of {} until the key is rotated",
                target(&token)
            ),
        ),
        TokenKind::SharedAccessKey => {
            let policy = policy_suffix(&token);
            j.fire(
                Rule::SharedAccessKey,
                format!(
                    "shared access key{policy}: signs tokens for {} until it is rotated",
                    target(&token)
                ),
            );
        }
        _ => j.judge_sas(),
    }
    j.finish()
}

/// The working state of [`evaluate`].
struct Judgement<'a> {
    token: &'a Token,
    settings: &'a Settings,
    now: DateTime<Utc>,
    fired: Vec<Fired>,
    expiry: Option<DateTime<Utc>>,
    lifetime: Option<i64>,
    expired: bool,
}

impl<'a> Judgement<'a> {
    fn new(token: &'a Token, settings: &'a Settings, now: DateTime<Utc>) -> Self {
        let p = &token.params;
        let se = p.expiry.as_ref().and_then(|e| e.at);
        let ske = p.key_expiry.as_ref().and_then(|e| e.at);
        let expiry = match (se, ske) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b).filter(|_| se.is_some()),
        };
        let start = p.start.as_ref().and_then(|s| s.at).unwrap_or(now);
        Judgement {
            token,
            settings,
            now,
            fired: Vec::new(),
            expiry,
            lifetime: expiry.map(|e| (e - start).num_seconds()),
            expired: expiry.is_some_and(|e| e <= now),
        }
    }

    fn fire(&mut self, rule: Rule, reason: String) {
        self.fire_at(rule, self.settings.severity(rule), reason);
    }

    fn fire_at(&mut self, rule: Rule, severity: Severity, reason: String) {
        if severity != Severity::Off {
            self.fired.push(Fired { rule, severity, reason });
        }
    }

    fn judge_sas(&mut self) {
        let t = self.token;
        let p = &t.params;
        self.fire(Rule::SasInSource, format!("live {} in the text", t.kind.label()));
        if t.kind == TokenKind::AccountSas {
            let services = p
                .services
                .as_ref()
                .map(describe::services_list)
                .unwrap_or_else(|| "all".into());
            let service_level = p.resource_types.as_ref().is_some_and(|r| r.has('s'));
            let extra = if service_level {
                ", service-level APIs included"
            } else {
                ""
            };
            self.fire(
                Rule::AccountSas,
                format!("account SAS: reaches every container of {services} storage{extra}"),
            );
        }
        if let Some(perms) = &p.permissions {
            let bad = destructive_letters(perms);
            if !bad.is_empty() {
                let full = if is_full_control(perms) { "full control: " } else { "" };
                self.fire(
                    Rule::ExcessivePermissions,
                    format!("{full}can {} (sp={})", permission_list(t.kind, bad), perms.text),
                );
            }
        }
        if t.kind == TokenKind::ServiceBusSas {
            let root = t.key_name.as_deref().is_some_and(is_full_control_policy);
            if root {
                let name = t.key_name.as_deref().unwrap_or_default();
                self.fire(
                    Rule::SharedAccessKey,
                    format!("signed with '{name}': Manage, Send and Listen, full control of the namespace"),
                );
            }
        }
        self.judge_times();
        if t.kind.is_storage_sas() {
            let http = match &p.protocol {
                None => Some("no spr: HTTP and HTTPS both allowed".to_string()),
                Some(spr) if spr.split(',').any(|x| x.trim().eq_ignore_ascii_case("http")) => {
                    Some(format!("spr={spr}: the token may travel over plain HTTP"))
                }
                Some(_) => None,
            };
            if let Some(reason) = http {
                self.fire(Rule::HttpAllowed, reason);
            }
            if p.ip.is_none() {
                self.fire(Rule::NoIpRestriction, "no sip: usable from any IP address".into());
            }
        }
    }

    fn judge_times(&mut self) {
        let p = &self.token.params;
        let Some(se) = &p.expiry else {
            let reason = match &p.policy {
                Some(si) => {
                    format!("no se: the expiry is held by stored access policy '{si}' and cannot be checked here")
                }
                None => "no se: the token carries no expiry".to_string(),
            };
            self.fire(Rule::NoExpiry, reason);
            return;
        };
        let Some(expiry) = self.expiry else {
            self.fire(Rule::NoExpiry, format!("se={} is not a valid time", se.text));
            return;
        };
        if self.expired {
            let ago = human_duration((self.now - expiry).num_seconds());
            self.fire(
                Rule::Expired,
                format!("expired {} ({ago} ago): no longer usable", human_time(expiry)),
            );
        }
        let lifetime = self.lifetime.unwrap_or(0);
        let max = self.settings.max_lifetime;
        if lifetime > max.0 {
            let mut sev = self.settings.severity(Rule::LongLived);
            if lifetime > self.settings.max_lifetime_error.0 {
                sev = sev.escalate();
            }
            let left = if self.expired {
                "expired".to_string()
            } else {
                format!("{} left", human_duration((expiry - self.now).num_seconds()))
            };
            let (name, limit) = if lifetime > self.settings.max_lifetime_error.0 {
                ("maxLifetimeError", self.settings.max_lifetime_error)
            } else {
                ("maxLifetime", max)
            };
            self.fire_at(
                Rule::LongLived,
                sev,
                format!(
                    "lifetime {} exceeds {name} ({}); {left}",
                    human_duration(lifetime),
                    human_duration(limit.0)
                ),
            );
        }
    }

    fn finish(mut self) -> Option<Finding> {
        if self.expired {
            for f in &mut self.fired {
                f.severity = f.severity.min(Severity::Information);
            }
        }
        let severity = self.fired.iter().map(|f| f.severity).max()?;
        let expired = self.expired;
        let rank = |f: &Fired| {
            let pri = PRIORITY.iter().position(|r| *r == f.rule).unwrap_or(PRIORITY.len());
            let expired_first = !(expired && f.rule == Rule::Expired);
            (std::cmp::Reverse(f.severity), expired_first, pri)
        };
        self.fired.sort_by_key(rank);
        let summary = summary(self.token, self.expiry, self.lifetime, self.now);
        let message = Finding::compose_message(&summary, &self.fired);
        Some(Finding {
            rule: self.fired[0].rule,
            token: self.token.clone(),
            severity,
            fired: self.fired,
            summary,
            message,
            expiry: self.expiry,
        })
    }
}

/// Headline order among rules of equal severity.
const PRIORITY: [Rule; 10] = [
    Rule::StorageAccountKey,
    Rule::SharedAccessKey,
    Rule::AccountSas,
    Rule::ExcessivePermissions,
    Rule::LongLived,
    Rule::HttpAllowed,
    Rule::Expired,
    Rule::NoExpiry,
    Rule::SasInSource,
    Rule::NoIpRestriction,
];

/// ` of policy 'NAME'` when the token names its policy.
fn policy_suffix(t: &Token) -> String {
    t.key_name
        .as_deref()
        .map(|n| format!(" of policy '{n}'"))
        .unwrap_or_default()
}

/// Service Bus / Event Hubs / IoT Hub policies that hold every right.
pub fn is_full_control_policy(name: &str) -> bool {
    name.eq_ignore_ascii_case("RootManageSharedAccessKey") || name.eq_ignore_ascii_case("iothubowner")
}

/// One sentence: what the token grants, to what, until when.
fn summary(t: &Token, expiry: Option<DateTime<Utc>>, lifetime: Option<i64>, now: DateTime<Utc>) -> String {
    let p = &t.params;
    let whom = target(t);
    let until = match expiry {
        Some(e) if e <= now => format!("expired {}", human_time(e)),
        Some(e) => format!(
            "until {} ({} lifetime, {} left)",
            human_time(e),
            human_duration(lifetime.unwrap_or(0)),
            human_duration((e - now).num_seconds())
        ),
        None if p.policy.is_some() => "until the expiry of its stored access policy".to_string(),
        None => "with no readable expiry".to_string(),
    };
    match t.kind {
        TokenKind::StorageAccountKey => {
            format!("Storage account key for {whom}: full control of the whole account until the key is rotated.")
        }
        TokenKind::SharedAccessKey => {
            let policy = t.key_name.as_deref().unwrap_or("unknown policy");
            let rights = if is_full_control_policy(policy) {
                "Manage, Send and Listen"
            } else {
                "its policy's rights"
            };
            format!("Shared access key '{policy}' for {whom}: grants {rights} until the key is rotated.")
        }
        TokenKind::ServiceBusSas => {
            let policy = policy_suffix(t);
            let resource = p.resource.as_deref().unwrap_or("an unknown resource");
            format!("Service Bus / Event Hubs SAS{policy} for {resource} ({whom}), {until}.")
        }
        _ => {
            let grants = match &p.permissions {
                Some(perms) if is_full_control(perms) => {
                    format!("full control ({})", permission_list(t.kind, perms.letters()))
                }
                Some(perms) if perms.set != 0 => permission_list(t.kind, perms.letters()),
                Some(_) => "no valid permissions".to_string(),
                None if p.policy.is_some() => "the permissions of its stored access policy".to_string(),
                None => "unknown permissions".to_string(),
            };
            let malformed = match &p.permissions {
                Some(perms) if perms.is_malformed() => format!(" (malformed sp={})", perms.text),
                _ => String::new(),
            };
            let scope = scope(t);
            let kind = t.kind.label();
            let kind = kind[..1].to_uppercase() + &kind[1..];
            let transport = match &p.protocol {
                Some(spr) if !spr.split(',').any(|x| x.trim().eq_ignore_ascii_case("http")) => "HTTPS only",
                _ => "HTTP allowed",
            };
            let ip = match &p.ip {
                Some(ip) => format!("from {ip} only"),
                None => "from any IP".to_string(),
            };
            format!("{kind} grants {grants}{malformed} on {scope} of {whom}, {until}; {transport}, {ip}.")
        }
    }
}

fn scope(t: &Token) -> String {
    let p = &t.params;
    if t.kind == TokenKind::AccountSas {
        let services = p
            .services
            .as_ref()
            .map(describe::services_list)
            .unwrap_or_else(|| "all".into());
        return format!("every container of {services} storage");
    }
    if let Some(tn) = &p.table {
        return format!("table '{tn}'");
    }
    match &p.resource {
        Some(sr) => describe::resource_name(sr).to_string(),
        None => "one resource".to_string(),
    }
}
