//! Judging tokens: each live token becomes one [`Finding`] whose severity is the highest
//! of the rules that fired on it. "Now" is passed in, so results are deterministic.

pub mod breakdown;
pub mod describe;
pub mod effective;
mod family;
mod headline;
mod mint;
pub mod revoke;
mod revoke_family;
pub mod rules;
mod suppress;

use chrono::{DateTime, Utc};

use crate::config::{Settings, Severity};
use crate::scan::{self, Token, TokenKind};
use describe::{destructive_letters, human_duration, human_time, is_full_control, permission_list, target};
use effective::Effective;
pub use rules::Rule;
pub use suppress::{attaches_across, is_suppressed, line_marks, markers, LineMarks, Suppressor};

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
        .filter(|t| !t.piece_ranges().iter().any(|p| suppressor.is_suppressed(p)))
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
        _ if token.mint().is_some_and(|m| m.posture.is_some()) => j.judge_posture(),
        k if k.is_family() => j.judge_family(),
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
        // A mint's `now + duration` runs from the moment it is judged.
        let minted = token
            .mint()
            .and_then(|m| m.expires_in)
            .map(|secs| now + chrono::Duration::seconds(secs));
        let se = minted.or_else(|| p.expiry.as_ref().and_then(|e| e.at));
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
        let mint = t.mint();
        if mint.is_none() {
            self.fire(Rule::SasInSource, format!("live {} in the text", t.kind.label()));
        }
        if t.kind == TokenKind::AccountSas {
            let services = match (&p.services, mint) {
                (Some(ss), _) => format!("{} storage", describe::services_list(ss)),
                (None, Some(_)) => "the storage services it is minted for".into(),
                (None, None) => "all storage".into(),
            };
            let service_level = p.resource_types.as_ref().is_some_and(|r| r.has('s'));
            let extra = if service_level {
                ", service-level APIs included"
            } else {
                ""
            };
            self.fire(
                Rule::AccountSas,
                format!("account SAS: reaches every container of {services}{extra}"),
            );
        }
        if let Some(perms) = &p.permissions {
            // A mint that leaves an account SAS's services to its package's default is
            // judged on its letters alone.
            let services_known = p.services.is_some() || mint.is_none();
            let reason = if t.kind == TokenKind::AccountSas && services_known {
                account_permissions_reason(perms, p)
            } else {
                let bad = destructive_letters(perms);
                let full = if is_full_control(perms) { "full control: " } else { "" };
                (!bad.is_empty()).then(|| {
                    format!(
                        "{full}can {} (sp={})",
                        permission_list(describe::Scope::of(t), bad),
                        perms.text
                    )
                })
            };
            if let Some(reason) = reason {
                self.fire(Rule::ExcessivePermissions, reason);
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
        if let Some(m) = mint {
            self.judge_mint_times_and_protocol(m);
            if m.output {
                self.fire(
                    Rule::SasOutput,
                    "deployment output: the deployment history keeps the token it mints".into(),
                );
            }
            return;
        }
        self.judge_times();
        if t.kind.is_storage_sas() {
            let http = match &p.protocol {
                None => Some("no spr: HTTP and HTTPS both allowed".to_string()),
                Some(spr) if describe::allows_http(Some(spr)) => {
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

    /// A storage account's settings (see `scan::mint::posture`).
    fn judge_posture(&mut self) {
        let Some(p) = self.token.mint().and_then(|m| m.posture) else {
            return;
        };
        let tf = self
            .token
            .mint()
            .is_some_and(|m| m.surface == scan::mint::Surface::Terraform);
        let (shared, policy) = if tf {
            ("shared_access_key_enabled", "sas_policy")
        } else {
            ("allowSharedKeyAccess", "sasPolicy")
        };
        if p.shared_key_enabled() {
            let how = if p.shared_key == scan::mint::posture::Setting::On {
                format!("{shared} is true")
            } else {
                format!("{shared} not set (enabled by default)")
            };
            self.fire(
                Rule::SharedKeyAccess,
                format!("{how}: the account keys can sign account SAS tokens"),
            );
        }
        if p.no_sas_policy() {
            self.fire(
                Rule::NoSasExpirationPolicy,
                format!("no {policy}: SAS tokens of any lifetime are accepted"),
            );
        }
    }

    /// A mint's lifetime (when the text fixes its expiry; a user delegation SAS ends with
    /// its delegation key, set elsewhere) and protocol (when the text fixes it, or leaves
    /// it to a default that allows HTTP).
    fn judge_mint_times_and_protocol(&mut self, m: &scan::mint::Mint) {
        if self.expiry.is_some() && self.token.kind != TokenKind::UserDelegationSas {
            self.judge_times();
        }
        let reason = match m.protocol {
            scan::mint::Protocol::Default => {
                Some("no protocol given: the token would allow HTTP and HTTPS".to_string())
            }
            scan::mint::Protocol::Given => {
                let spr = self.token.params.protocol.as_deref().unwrap_or_default();
                describe::allows_http(Some(spr))
                    .then(|| format!("protocol {spr}: the token would travel over plain HTTP too"))
            }
            scan::mint::Protocol::Unknown => None,
        };
        if let Some(reason) = reason {
            self.fire(Rule::HttpAllowed, reason);
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
        if let Some(m) = self.token.mint() {
            if !mint::claims(m, &self.fired) {
                return None;
            }
        }
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
        let mut summary = match self.token.mint() {
            Some(m) if m.posture.is_some() => mint::posture_summary(m, &self.fired),
            Some(m) => mint::summary(self.token, m, self.expiry, self.lifetime, self.now),
            None => headline::summary(self.token, self.expiry, self.lifetime, self.now),
        };
        if let Some(note) = self.token.form.note() {
            summary = format!("{summary} {note}");
        }
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
const PRIORITY: [Rule; 21] = [
    Rule::StorageAccountKey,
    Rule::SharedAccessKey,
    Rule::CosmosAccountKey,
    Rule::SignalRKey,
    Rule::CommunicationKey,
    Rule::EventGridKey,
    Rule::LogicAppsTrigger,
    Rule::ApimSas,
    Rule::EventGridSas,
    Rule::CosmosAuthToken,
    Rule::SasOutput,
    Rule::AccountSas,
    Rule::ExcessivePermissions,
    Rule::LongLived,
    Rule::HttpAllowed,
    Rule::Expired,
    Rule::NoExpiry,
    Rule::SasInSource,
    Rule::SharedKeyAccess,
    Rule::NoSasExpirationPolicy,
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

/// SAS003's reason for an account SAS, judged on the letters that take effect on each
/// service; `None` when none of them changes or destroys anything.
fn account_permissions_reason(perms: &scan::Letters, p: &scan::SasParams) -> Option<String> {
    let e = Effective::compute(perms, p.services.as_ref(), p.resource_types.as_ref());
    let kind = TokenKind::AccountSas;
    // Services that can do the same harmful things, grouped, in `ss` order.
    let mut groups: Vec<(Vec<&str>, Vec<char>)> = Vec::new();
    for g in &e.services {
        let bad: Vec<char> = g
            .letters
            .iter()
            .copied()
            .filter(|c| describe::DESTRUCTIVE.contains(*c))
            .collect();
        if bad.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(_, b)| *b == bad) {
            Some((names, _)) => names.push(describe::service_name(g.service)),
            None => groups.push((vec![describe::service_name(g.service)], bad)),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let full = if e.full_control() {
        "full control: ".to_string()
    } else {
        let names: Vec<&str> = e.full_control_of().into_iter().map(describe::service_name).collect();
        if names.is_empty() {
            String::new()
        } else {
            format!("full control of {}: ", describe::join_words(&names))
        }
    };
    let can = if groups.len() == 1 && groups[0].0.len() == e.services.len() {
        format!("can {}", permission_list(kind, groups[0].1.iter().copied()))
    } else {
        groups
            .iter()
            .map(|(names, bad)| {
                format!(
                    "{} can {}",
                    describe::join_words(names),
                    permission_list(kind, bad.iter().copied())
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let inert = if e.inert.is_empty() {
        String::new()
    } else {
        // In the reference's order, whatever order the token wrote them in.
        let letters = |l: Option<&scan::Letters>, order: &str| {
            l.map(|l| order.chars().filter(|c| l.has(*c)).collect::<String>())
                .unwrap_or_default()
        };
        format!(
            "; {} {} nothing with ss={} srt={}",
            permission_list(kind, e.inert.iter().copied()),
            if e.inert.len() == 1 { "grants" } else { "grant" },
            letters(p.services.as_ref(), "bfqt"),
            letters(p.resource_types.as_ref(), "sco")
        )
    };
    Some(format!("{full}{can} (sp={}{inert})", perms.text))
}
