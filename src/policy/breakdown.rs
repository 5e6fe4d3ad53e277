//! A token's decoded breakdown, shared by `sasguard explain`, JSON output and hover.
//! The secret appears only redacted.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::describe::{self, human_duration, human_time};
use super::effective::Effective;
use crate::redact::redact;
use crate::scan::{Token, TokenKind};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Breakdown {
    pub kind: TokenKind,
    pub kind_label: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_types: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// What a family member (Logic Apps, Event Grid, Cosmos DB, …) lets its holder do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grants: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_left: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_expiry: Option<String>,
    /// How a token written in several pieces is joined (`3 pieces: string literals …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_in: Option<String>,
    /// The call, command or builder that would mint the token (`generate_account_sas
    /// (Python SDK)`), when this is a call site rather than a token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minted_by: Option<String>,
    /// The signature or key, redacted (`ab…3D`).
    pub secret: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    pub letters: String,
    pub names: Vec<&'static str>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub unknown: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub repeated: String,
    /// Account SAS: what the letters grant on each service (the others grant nothing there).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_service: Vec<ServicePermissions>,
    /// Account SAS: letters that grant nothing on any listed service and resource type.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub inert: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePermissions {
    pub service: &'static str,
    pub letters: String,
    pub names: Vec<&'static str>,
    pub full_control: bool,
}

fn time_text(t: &crate::scan::time::TimeValue) -> String {
    match t.at {
        Some(at) => human_time(at),
        None => format!("{} (not a valid time)", t.text),
    }
}

impl Breakdown {
    pub fn new(text: &[u8], token: &Token, now: DateTime<Utc>) -> Breakdown {
        let p = &token.params;
        let resource = match (&p.table, &p.resource) {
            _ if token.kind.is_family() => super::family::resource(token),
            (Some(tn), _) => Some(format!("table '{tn}'")),
            (None, Some(sr)) if token.kind == TokenKind::ServiceBusSas => Some(sr.clone()),
            (None, Some(sr)) => Some(format!("{} (sr={sr})", describe::resource_name(sr))),
            (None, None) => None,
        };
        let expiry_at = p.expiry.as_ref().and_then(|e| e.at);
        let time_left = expiry_at.map(|e| {
            if e <= now {
                format!("expired {} ago", human_duration((now - e).num_seconds()))
            } else {
                human_duration((e - now).num_seconds())
            }
        });
        let posture = token.mint().is_some_and(|m| m.posture.is_some());
        Breakdown {
            kind: token.kind,
            kind_label: if posture {
                "storage account settings"
            } else {
                token.kind.label()
            },
            account: token.account.clone(),
            host: token.host.clone(),
            services: p
                .services
                .as_ref()
                .map(|s| s.letters().map(describe::service_name).collect()),
            resource_types: p.resource_types.as_ref().map(describe::resource_type_names),
            resource,
            grants: super::family::grants(token),
            permissions: p.permissions.as_ref().map(|l| {
                let effective = (token.kind == TokenKind::AccountSas)
                    .then(|| Effective::compute(l, p.services.as_ref(), p.resource_types.as_ref()));
                Permissions {
                    letters: l.text.clone(),
                    names: describe::permission_names(describe::Scope::of(token), l.letters()),
                    unknown: l.unknown.iter().collect(),
                    repeated: l.repeated.iter().collect(),
                    by_service: effective
                        .as_ref()
                        .map(|e| {
                            e.services
                                .iter()
                                .map(|g| ServicePermissions {
                                    service: describe::service_name(g.service),
                                    letters: g.letters.iter().collect(),
                                    names: describe::permission_names(token.kind, g.letters.iter().copied()),
                                    full_control: g.full_control,
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    inert: effective.map(|e| e.inert.into_iter().collect()).unwrap_or_default(),
                }
            }),
            start: p.start.as_ref().map(time_text),
            expiry: match token.mint() {
                Some(m) if m.expires_in.is_some() => p.expiry.as_ref().map(|e| e.text.clone()),
                _ => p.expiry.as_ref().map(time_text),
            },
            time_left,
            protocol: match token.mint().filter(|_| !posture).map(|m| m.protocol) {
                None if posture => None,
                Some(crate::scan::mint::Protocol::Default) => Some("not given: HTTPS and HTTP".into()),
                Some(crate::scan::mint::Protocol::Unknown) => Some("set elsewhere".into()),
                _ => p.protocol.clone(),
            },
            ip: p.ip.clone(),
            version: p.version.clone(),
            policy: p.policy.clone(),
            key_name: token.key_name.clone(),
            key_expiry: p.key_expiry.as_ref().map(time_text),
            written_in: token.pieces.as_ref().map(|p| {
                let how = if p.literals {
                    "string literals of one expression"
                } else {
                    "continued, wrapped or broken lines"
                };
                format!("{} pieces: {how}", p.ranges.len())
            }),
            minted_by: token
                .mint()
                .filter(|_| !posture)
                .map(|m| format!("{} ({})", m.call, m.surface.label())),
            secret: if posture {
                "none: settings of a storage account, whose keys sign SAS tokens".to_string()
            } else if token.mint().is_some() {
                "none yet: the call has not minted the token".to_string()
            } else {
                redact(&token.text_of(text, &token.secret))
            },
            fingerprint: token.fingerprint.clone(),
        }
    }

    /// Label and value pairs, facts first (what it reaches, until when, what it can do), for
    /// text and Markdown renderings.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("Kind", self.kind_label.to_string())];
        if let Some(call) = &self.minted_by {
            out.push(("Minted by", call.clone()));
        }
        let mut add = |label: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((label, v));
            }
        };
        let name = if self.kind.is_family() {
            super::family::name_label(self.kind)
        } else {
            "Account"
        };
        add(name, self.account.clone());
        add("Host", self.host.clone());
        add("Services", self.services.as_ref().map(|s| s.join(", ")));
        add("Resource types", self.resource_types.as_ref().map(|s| s.join(", ")));
        add("Resource", self.resource.clone());
        add("Grants", self.grants.clone());
        let expiry = match (&self.expiry, &self.time_left) {
            (Some(e), Some(l)) if l.starts_with("expired") => Some(format!("{e} ({l})")),
            (Some(e), Some(l)) => Some(format!("{e} ({l} left)")),
            (e, _) => e.clone(),
        };
        add("Expiry", expiry);
        add("Key expiry", self.key_expiry.clone());
        if let Some(p) = &self.permissions {
            let mut s = if p.by_service.is_empty() {
                format!("{} ({})", p.names.join(", "), p.letters)
            } else {
                format!("sp={}, on each service:", p.letters)
            };
            if !p.inert.is_empty() {
                s += &format!(" (grant nothing here: {})", p.inert);
            }
            if !p.unknown.is_empty() {
                s += &format!("; unknown letters: {}", p.unknown);
            }
            if !p.repeated.is_empty() {
                s += &format!("; repeated letters: {}", p.repeated);
            }
            add("Permissions", Some(s));
            for g in &p.by_service {
                let names = if g.names.is_empty() {
                    "nothing".to_string()
                } else {
                    g.names.join(", ")
                };
                let full = if g.full_control { "full control: " } else { "" };
                add(service_label(g.service), Some(format!("{full}{names}")));
            }
        }
        add("Start", self.start.clone());
        add("Protocol", self.protocol.clone());
        add("IP range", self.ip.clone());
        add("Version", self.version.clone());
        add("Stored policy", self.policy.clone());
        add("Key name", self.key_name.clone());
        add("Written in", self.written_in.clone());
        add("Signature", Some(self.secret.clone()));
        add("Fingerprint", Some(self.fingerprint.clone()));
        out
    }
}

/// The label of a service's permissions line, which follows the `Permissions` line.
fn service_label(service: &str) -> &'static str {
    match service {
        "blob" => "on blob",
        "file" => "on file",
        "queue" => "on queue",
        "table" => "on table",
        _ => "on other",
    }
}
