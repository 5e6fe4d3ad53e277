//! A mint's summary and whether it is worth a finding. A call is judged by the token rules
//! on the parameters it would mint (see `judge_sas`); what cannot apply before the token
//! exists does not: a live token in the text (SAS001), an IP restriction the SDK default
//! leaves out (SAS007), a missing expiry (SAS005: SDKs and the CLI require one, or a stored
//! policy holds it). A protocol left to its default (HTTP allowed) is said, but alone
//! raises no finding: the line made no choice there.

use chrono::{DateTime, Utc};

use super::describe::{self, access, human_duration, human_time, is_full_control, join_words};
use super::effective::Effective;
use super::{Fired, Rule};
use crate::scan::mint::{Mint, Protocol};
use crate::scan::{Token, TokenKind};

/// Whether the rules that fired make the call worth a finding.
pub fn claims(m: &Mint, fired: &[Fired]) -> bool {
    if m.posture.is_some() {
        return !fired.is_empty();
    }
    fired.iter().any(|f| match f.rule {
        Rule::AccountSas | Rule::ExcessivePermissions | Rule::LongLived | Rule::SasOutput => true,
        Rule::HttpAllowed => m.protocol == Protocol::Given,
        _ => false,
    })
}

/// `Mints an account SAS with full control of blob, file, queue and table, valid 30 years,
/// HTTP allowed. Call: az storage account generate-sas (az CLI).`
pub fn summary(
    t: &Token,
    m: &Mint,
    expiry: Option<DateTime<Utc>>,
    lifetime: Option<i64>,
    now: DateTime<Utc>,
) -> String {
    let mut parts = vec![format!("Mints {} with {}", article(t.kind.label()), grants(t, m))];
    parts.push(life(t, m, expiry, lifetime, now));
    match m.protocol {
        Protocol::Unknown => {}
        _ if describe::allows_http(t.params.protocol.as_deref()) => parts.push("HTTP allowed".into()),
        _ => parts.push("HTTPS only".into()),
    }
    format!("{}. Call: {} ({}).", parts.join(", "), m.call, m.surface.label())
}

/// `Storage account leaves shared-key authorization enabled (its keys can sign account SAS
/// tokens) and has no SAS expiration policy (tokens of any lifetime are accepted).
/// Resource: … (Bicep).` Only what fired (a rule set to off is not said).
pub fn posture_summary(m: &Mint, fired: &[Fired]) -> String {
    let has = |r: Rule| fired.iter().any(|f| f.rule == r);
    let mut parts = Vec::new();
    if has(Rule::SharedKeyAccess) {
        parts.push("leaves shared-key authorization enabled (its keys can sign account SAS tokens)");
    }
    if has(Rule::NoSasExpirationPolicy) {
        parts.push("has no SAS expiration policy (tokens of any lifetime are accepted)");
    }
    format!(
        "Storage account {}. Resource: {} ({}).",
        parts.join(" and "),
        m.call,
        m.surface.label()
    )
}

fn article(label: &str) -> String {
    let vowel = label.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {label}", if vowel { "an" } else { "a" })
}

/// `full control of blob and file`, `read-only access to one blob`.
fn grants(t: &Token, m: &Mint) -> String {
    let p = &t.params;
    let Some(perms) = &p.permissions else {
        return if p.policy.is_some() {
            "its stored access policy's permissions".into()
        } else {
            "permissions set elsewhere".into()
        };
    };
    if t.kind == TokenKind::AccountSas {
        let Some(ss) = &p.services else {
            let what = "the services it is minted for";
            let letters: Vec<char> = perms.letters().collect();
            return if is_full_control(perms) {
                format!("full control of {what}")
            } else {
                format!("{} access to {what}", access(t.kind, &letters))
            };
        };
        let e = Effective::compute(perms, Some(ss), p.resource_types.as_ref());
        let names: Vec<&str> = e.services.iter().map(|g| describe::service_name(g.service)).collect();
        if e.full_control() {
            return format!("full control of {}", join_words(&names));
        }
        let full: Vec<&str> = e.full_control_of().into_iter().map(describe::service_name).collect();
        if !full.is_empty() {
            return format!(
                "full control of {} and access to {}",
                join_words(&full),
                join_words(&names)
            );
        }
        return format!("{} access to {}", access(t.kind, &e.union()), join_words(&names));
    }
    let what = match (&p.table, p.resource.as_deref()) {
        (Some(tn), _) if tn.starts_with('(') => "one table".to_string(),
        (Some(tn), _) => format!("table '{tn}'"),
        (None, Some(sr)) => describe::resource_name(sr).to_string(),
        (None, None) if m.call.to_ascii_lowercase().contains("queue") => "one queue".to_string(),
        (None, None) => "one resource".to_string(),
    };
    if is_full_control(perms) {
        format!("full control of {what}")
    } else {
        let letters: Vec<char> = perms.letters().collect();
        format!("{} access to {what}", access(describe::Scope::of(t), &letters))
    }
}

fn life(t: &Token, m: &Mint, expiry: Option<DateTime<Utc>>, lifetime: Option<i64>, now: DateTime<Utc>) -> String {
    if t.kind == TokenKind::UserDelegationSas {
        return "valid until its user delegation key expires (7 days at most)".into();
    }
    match expiry {
        Some(e) if e <= now => format!("already expired ({})", human_time(e)),
        Some(_) if m.expires_in.is_some() => format!("valid {}", human_duration(lifetime.unwrap_or(0))),
        Some(e) => format!(
            "valid until {} ({} from now)",
            human_time(e),
            human_duration((e - now).num_seconds())
        ),
        None if t.params.policy.is_some() => "expiry in its stored access policy".into(),
        None => "expiry set elsewhere".into(),
    }
}
