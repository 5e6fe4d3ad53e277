//! How to revoke a token, as plain data: the commands to run now for its kind, with the
//! account, container, policy or rule its text names filled in (placeholders such as
//! `ACCOUNT` where it names none), what revoking breaks, and what keeps it from happening
//! again. Commands are only printed, for people to run; nothing here runs them.
//!
//! Every name comes from the token's text: it is shown only when it is made of the
//! characters Azure allows in names and survives [`scrub`] unchanged, so a signature or key
//! can never stand in a command.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::describe::{human_time, service_of};
use crate::redact::scrub;
use crate::scan::decode::decode_lossy;
use crate::scan::params::split_params;
use crate::scan::{Token, TokenKind};

/// The revocation path of one token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revocation {
    /// What to do now, in order; alternatives say so in their `what`.
    pub steps: Vec<Step>,
    /// What revoking breaks, or why it needs no key rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Settings that keep such a token from being made or used again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prevent: Vec<Step>,
    /// The official page that describes the revocation.
    pub docs: &'static str,
    /// When the token expired, if it has: it no longer works, and nothing needs revoking
    /// for it alone (see [`Revocation::after_expiry`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired: Option<String>,
    /// The finding is a call that mints tokens when it runs: the steps revoke the tokens
    /// it has minted already.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub minted: bool,
    /// The finding is a storage account's settings: the steps revoke the tokens its keys
    /// have signed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub posture: bool,
}

/// One thing to do, with the command that does it when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

pub(super) fn step(what: impl Into<String>, command: impl Into<String>) -> Step {
    Step {
        what: what.into(),
        command: Some(command.into()),
    }
}

pub(super) fn advice(what: impl Into<String>) -> Step {
    Step {
        what: what.into(),
        command: None,
    }
}

/// The official pages the revocation steps follow (also listed in docs/rules.md, with what
/// each one confirms). Every one was found in Microsoft Learn's reference; none is guessed.
pub mod docs {
    /// Manage account access keys: rotating a key revokes the account and service SAS it signed.
    pub const STORAGE_KEYS: &str = "https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage";
    /// Define a stored access policy: deleting or changing it revokes the SAS that name it.
    pub const STORED_POLICY: &str = "https://learn.microsoft.com/rest/api/storageservices/define-stored-access-policy";
    /// `az storage account revoke-delegation-keys --name --resource-group`.
    pub const USER_DELEGATION: &str =
        "https://learn.microsoft.com/cli/azure/storage/account#az-storage-account-revoke-delegation-keys";
    /// `az servicebus namespace authorization-rule keys renew --key PrimaryKey|SecondaryKey`.
    pub const SERVICE_BUS: &str = "https://learn.microsoft.com/cli/azure/servicebus/namespace/authorization-rule/keys";
    /// `az iot hub policy renew-key --renew-key primary|secondary|swap`.
    pub const IOT_POLICY: &str = "https://learn.microsoft.com/cli/azure/iot/hub/policy";
    /// `az iot hub device-identity renew-key --key-type` (azure-iot extension).
    pub const IOT_DEVICE: &str = "https://learn.microsoft.com/cli/azure/iot/hub/device-identity";
    /// `az cosmosdb keys regenerate --key-kind primary|primaryReadonly|secondary|secondaryReadonly`.
    pub const COSMOS: &str = "https://learn.microsoft.com/cli/azure/cosmosdb/keys";
    /// Workflows - Regenerate Access Key (REST, api-version 2019-05-01, body `keyType`).
    pub const LOGIC_APPS: &str = "https://learn.microsoft.com/rest/api/logic/workflows/regenerate-access-key";
    /// Tenant Access - Regenerate Primary Key (REST, api-version 2024-05-01).
    pub const APIM: &str = "https://learn.microsoft.com/rest/api/apimanagement/tenant-access/regenerate-primary-key";
    /// `az eventgrid topic key regenerate --key-name key1|key2`.
    pub const EVENT_GRID: &str = "https://learn.microsoft.com/cli/azure/eventgrid/topic/key";
    /// `az signalr key renew --key-type primary|secondary`.
    pub const SIGNALR: &str = "https://learn.microsoft.com/cli/azure/signalr/key";
    /// `az webpubsub key regenerate --key-type primary|secondary|salt` (webpubsub extension).
    pub const WEB_PUBSUB: &str = "https://learn.microsoft.com/cli/azure/webpubsub/key";
    /// Communication Services - Regenerate Key (REST). The `az communication regenerate-key`
    /// command (communication extension) calls it; its CLI reference page was not found.
    pub const COMMUNICATION: &str =
        "https://learn.microsoft.com/rest/api/communication/resourcemanager/communication-services/regenerate-key";
}

/// A name fit for a command line, or `placeholder`. Azure names are letters, digits, `.`,
/// `_` and `-` (and `$` in `$web`, `$root`, `$logs`, quoted); anything else, and anything
/// [`scrub`] would redact, is not shown.
pub(super) fn word(name: Option<&str>, placeholder: &str) -> String {
    let Some(n) = name.map(str::trim).filter(|n| !n.is_empty() && n.len() <= 260) else {
        return placeholder.to_string();
    };
    let plain = n
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let dollar = n.starts_with('$') && n[1..].chars().all(|c| c.is_ascii_alphanumeric());
    if !(plain || dollar) || scrub(n) != n {
        return placeholder.to_string();
    }
    if dollar {
        format!("'{n}'")
    } else {
        n.to_string()
    }
}

/// The path segments of a URL or Service Bus resource (`sb://ns.host/queue/x` → queue, x),
/// decoded.
fn path_segments(url: &str) -> Vec<String> {
    let url = if url.contains('%') {
        decode_lossy(url.as_bytes())
    } else {
        url.to_string()
    };
    let after = url.find("://").map_or(url.as_str(), |i| &url[i + 3..]);
    let path = after.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .skip(1)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A SAS parameter read from the token's query (for those the token does not keep).
fn query_param(text: &[u8], token: &Token, key: &str) -> Option<String> {
    let q = token.query.clone()?;
    let t = text.get(..q.end)?;
    split_params(t, q)
        .into_iter()
        .find(|p| p.key_is(t, key))
        .map(|p| decode_lossy(&t[p.value]))
}

/// A connection-string field read from the token's text (`EntityPath=…`).
fn field(text: &[u8], token: &Token, key: &str) -> Option<String> {
    let s = String::from_utf8_lossy(&token.text_of(text, &token.range)).into_owned();
    s.split(';').find_map(|f| {
        let (k, v) = f.split_once('=')?;
        k.trim().eq_ignore_ascii_case(key).then(|| v.trim().to_string())
    })
}

/// The resource group is never in a token: always the placeholder.
pub(super) const RG: &str = "RG";

impl Revocation {
    /// The revocation path of `token`, found in `text` (the text its ranges refer to).
    pub fn new(text: &[u8], token: &Token) -> Revocation {
        let r = Revocation::of_kind(text, token);
        let Some(m) = token.mint() else {
            return r;
        };
        if m.posture.is_some() {
            return Revocation {
                note: Some(format!(
                    "Nothing in the text is live: these are a storage account's settings. SAS tokens its keys have \
                     signed stay valid until they expire; to revoke them:{}",
                    r.note.as_ref().map(|n| format!(" {n}")).unwrap_or_default()
                )),
                posture: true,
                ..r
            };
        }
        Revocation {
            note: Some(format!(
                "Nothing in the text is live: this call mints a new token each time it runs. The tokens it has \
                 minted already stay valid until they expire; to revoke them:{}",
                r.note.as_ref().map(|n| format!(" {n}")).unwrap_or_default()
            )),
            minted: true,
            ..r
        }
    }

    fn of_kind(text: &[u8], token: &Token) -> Revocation {
        match token.kind {
            TokenKind::AccountSas | TokenKind::ServiceSas => key_signed_sas(token),
            TokenKind::StoredPolicySas => stored_policy(text, token),
            TokenKind::UserDelegationSas => user_delegation(text, token),
            TokenKind::StorageAccountKey => storage_key(token),
            TokenKind::ServiceBusSas | TokenKind::SharedAccessKey => messaging(text, token),
            TokenKind::IotDeviceKey | TokenKind::IotModuleKey => iot_device(token),
            _ => super::revoke_family::family(token),
        }
    }

    /// Notes that the token expired at `expiry` (when that is before `now`): the steps stay,
    /// for retiring the key or policy behind it, but the token itself no longer works.
    pub fn after_expiry(mut self, expiry: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Revocation {
        if let Some(e) = expiry.filter(|e| *e <= now) {
            let when = human_time(e);
            self.note = Some(format!(
                "This token expired {when} and no longer works: nothing needs revoking for it alone. The steps retire \
                 what signed it, if that may have leaked too.{}",
                self.note.map(|n| format!(" {n}")).unwrap_or_default()
            ));
            self.expired = Some(when);
        }
        self
    }

    /// One line for compact reports: the first command (or step), and how many more there are.
    pub fn line(&self) -> String {
        let first = self
            .steps
            .first()
            .map(|s| s.command.clone().unwrap_or_else(|| s.what.clone()))
            .unwrap_or_default();
        let first = match &self.expired {
            Some(when) => format!("not needed, expired {when}; to retire what signed it: {first}"),
            None if self.posture => format!("the SAS tokens its keys have signed, if any: {first}"),
            None if self.minted => format!("the tokens this call has minted, if it has run: {first}"),
            None => first,
        };
        match self.steps.len() {
            0 | 1 => first,
            n => format!(
                "{first} ({} more step{}: `sasguard explain`)",
                n - 1,
                if n == 2 { "" } else { "s" }
            ),
        }
    }
}

fn account(token: &Token) -> String {
    word(token.account.as_deref(), "ACCOUNT")
}

fn renew_storage_key(acct: &str) -> Step {
    step(
        "Regenerate the storage account key that signed it",
        format!("az storage account keys renew --account-name {acct} --key primary|secondary"),
    )
}

/// Prevention for SAS signed with an account key, and for the keys themselves.
fn shared_key_prevention(acct: &str) -> Vec<Step> {
    vec![
        step(
            "Set a SAS expiration policy on the account (here 1 day), so long-lived SAS are flagged",
            format!("az storage account update --name {acct} --resource-group {RG} --sas-expiration-period 1.00:00:00"),
        ),
        step(
            "Disallow Shared Key authorization, so account keys and the SAS they sign stop working (clients must use Microsoft Entra ID)",
            format!("az storage account update --name {acct} --resource-group {RG} --allow-shared-key-access false"),
        ),
    ]
}

const KEY_BREAKS: &str =
    "Renewing it breaks every SAS and connection string signed with that key, and every client using the key.";

fn key_signed_sas(token: &Token) -> Revocation {
    let acct = account(token);
    let what = if token.kind == TokenKind::AccountSas {
        "An account SAS"
    } else {
        "An ad hoc service SAS (no stored access policy)"
    };
    Revocation {
        steps: vec![renew_storage_key(&acct)],
        note: Some(format!(
            "{what} can be revoked only by regenerating the key that signed it. Which key (primary or secondary) \
             signed it cannot be told from the token: renew the one its issuer used, or both in turn. {KEY_BREAKS}"
        )),
        prevent: shared_key_prevention(&acct),
        docs: docs::STORAGE_KEYS,
        expired: None,
        minted: false,
        posture: false,
    }
}

fn storage_key(token: &Token) -> Revocation {
    let acct = account(token);
    Revocation {
        steps: vec![step(
            "Regenerate this storage account key",
            format!("az storage account keys renew --account-name {acct} --key primary|secondary"),
        )],
        note: Some(format!(
            "The text does not tell whether this is the primary or the secondary key: compare it with the account's \
             access keys, or renew both in turn. {KEY_BREAKS}"
        )),
        prevent: shared_key_prevention(&acct),
        docs: docs::STORAGE_KEYS,
        expired: None,
        minted: false,
        posture: false,
    }
}

/// The container, share, queue or table a storage SAS is for, from `tn` or the URL path.
fn storage_resource(text: &[u8], token: &Token, service: Option<char>) -> Option<String> {
    if let Some(tn) = &token.params.table {
        return Some(tn.clone());
    }
    let url = token.resource_url.as_ref()?;
    let url = String::from_utf8_lossy(&token.text_of(text, url)).into_owned();
    let first = path_segments(&url).into_iter().next()?;
    Some(match service {
        // `mytable(PartitionKey='a')` or `mytable()`.
        Some('t') => first.split('(').next().unwrap_or("").to_string(),
        _ => first,
    })
}

fn stored_policy(text: &[u8], token: &Token) -> Revocation {
    let acct = account(token);
    let service = service_of(token);
    let policy = word(token.params.policy.as_deref(), "POLICY");
    let resource = storage_resource(text, token, service);
    let (group, flag, placeholder, noun) = match service {
        Some('f') => ("share", "--share-name", "SHARE", "share"),
        Some('q') => ("queue", "--queue-name", "QUEUE", "queue"),
        Some('t') => ("table", "--table-name", "TABLE", "table"),
        _ => ("container", "--container-name", "CONTAINER", "container"),
    };
    let res = word(resource.as_deref(), placeholder);
    let mut steps = vec![step(
        format!("Delete stored access policy {policy} from the {noun}"),
        format!("az storage {group} policy delete {flag} {res} --name {policy} --account-name {acct}"),
    )];
    steps.push(step(
        "Or keep the policy and move its expiry into the past",
        format!(
            "az storage {group} policy update {flag} {res} --name {policy} --expiry 2000-01-01T00:00Z --account-name {acct}"
        ),
    ));
    if service.is_none() {
        steps.push(advice(
            "The token does not tell which service holds the policy: for a share, queue or table run \
             `az storage share|queue|table policy delete` with --share-name, --queue-name or --table-name",
        ));
    }
    Revocation {
        steps,
        note: Some(
            "No key rotation needed: deleting or changing the policy revokes every SAS that names it, and the account \
             keys and other SAS keep working. A change can take up to 30 seconds to take effect."
                .to_string(),
        ),
        prevent: shared_key_prevention(&acct),
        docs: docs::STORED_POLICY,
        expired: None,
        minted: false,
        posture: false,
    }
}

fn user_delegation(text: &[u8], token: &Token) -> Revocation {
    let acct = account(token);
    let signer = query_param(text, token, "skoid");
    let signer = word(signer.as_deref(), "OBJECT_ID");
    Revocation {
        steps: vec![
            step(
                "Revoke every user delegation key of the account",
                format!("az storage account revoke-delegation-keys --name {acct} --resource-group {RG}"),
            ),
            step(
                format!("Or remove the signer's role (skoid {signer}): find its role assignments, then delete the one that grants access"),
                format!("az role assignment list --assignee {signer} --all"),
            ),
        ],
        note: Some(
            "No account key rotation needed: revoking the delegation keys invalidates every user delegation SAS of the \
             account (account keys and other SAS keep working). The SAS stops anyway when its delegation key expires (ske, \
             at most 7 days)."
                .to_string(),
        ),
        prevent: Vec::new(),
        docs: docs::USER_DELEGATION,
        expired: None,
        minted: false,
        posture: false,
    }
}

/// The namespace's host, lowercased (`ns.servicebus.windows.net`, `hub.azure-devices.net`).
fn host(token: &Token) -> String {
    token.host.as_deref().unwrap_or("").to_ascii_lowercase()
}

fn is_iot_host(h: &str) -> bool {
    h.contains(".azure-devices.")
}

/// Service Bus / Event Hubs / Relay / IoT Hub: SAS tokens and shared access keys.
fn messaging(text: &[u8], token: &Token) -> Revocation {
    let rule = token.key_name.as_deref();
    let segments = token.params.resource.as_deref().map(path_segments).unwrap_or_default();
    if is_iot_host(&host(token)) {
        return iot(token, rule, &segments);
    }
    let ns = word(token.account.as_deref(), "NAMESPACE");
    let r = word(rule, "RULE");
    let entity = segments.first().cloned().or_else(|| field(text, token, "EntityPath"));
    let keys = "--key PrimaryKey|SecondaryKey";
    let mut steps = vec![
        step(
            format!("Service Bus namespace: regenerate the key of rule {r}"),
            format!("az servicebus namespace authorization-rule keys renew --resource-group {RG} --namespace-name {ns} --name {r} {keys}"),
        ),
        step(
            "Or, for an Event Hubs namespace",
            format!("az eventhubs namespace authorization-rule keys renew --resource-group {RG} --namespace-name {ns} --name {r} {keys}"),
        ),
        step(
            "Or, for a Relay namespace",
            format!("az relay namespace authorization-rule keys renew --resource-group {RG} --namespace-name {ns} --name {r} {keys}"),
        ),
    ];
    let root = rule.is_some_and(super::is_full_control_policy);
    if let (Some(e), false) = (entity, root) {
        let e = word(Some(&e), "ENTITY");
        steps.push(step(
            format!("If {r} is a rule of queue {e} rather than of the namespace"),
            format!("az servicebus queue authorization-rule keys renew --resource-group {RG} --namespace-name {ns} --queue-name {e} --name {r} {keys}"),
        ));
        steps.push(step(
            format!("Or of topic {e}"),
            format!("az servicebus topic authorization-rule keys renew --resource-group {RG} --namespace-name {ns} --topic-name {e} --name {r} {keys}"),
        ));
        steps.push(step(
            format!("Or of event hub {e}"),
            format!("az eventhubs eventhub authorization-rule keys renew --resource-group {RG} --namespace-name {ns} --eventhub-name {e} --name {r} {keys}"),
        ));
    }
    let what = if token.kind == TokenKind::SharedAccessKey {
        "The text does not tell whether this is the rule's PrimaryKey or SecondaryKey"
    } else {
        "Which key of the rule (PrimaryKey or SecondaryKey) signed it cannot be told from the token"
    };
    Revocation {
        steps,
        note: Some(format!(
            "{what}: renew the one in use, or both in turn. The host does not tell a Service Bus namespace from an Event \
             Hubs or Relay one: run the command for its type. Renewing breaks every SAS token and connection string made \
             with that key."
        )),
        prevent: Vec::new(),
        docs: docs::SERVICE_BUS,
        expired: None,
        minted: false,
        posture: false,
    }
}

const IOT_BREAKS: &str =
    "Renewing breaks every SAS token and connection string made with that key: give its users the new one.";

/// IoT Hub: a policy's key (`skn`, `SharedAccessKeyName`) or, for a SAS without `skn`, the
/// device or module key that signed it (`sr=hub.azure-devices.net/devices/D[/modules/M]`).
fn iot(token: &Token, rule: Option<&str>, segments: &[String]) -> Revocation {
    let hub = word(token.account.as_deref(), "HUB");
    if rule.is_some() || token.kind == TokenKind::SharedAccessKey {
        let p = word(rule, "POLICY");
        return Revocation {
            steps: vec![step(
                format!("Regenerate the key of shared access policy {p}"),
                format!("az iot hub policy renew-key --hub-name {hub} --name {p} --renew-key primary|secondary"),
            )],
            note: Some(format!(
                "Which key of the policy (primary or secondary) it is cannot be told from the text: renew the one in use, \
                 or both in turn. {IOT_BREAKS}"
            )),
            prevent: Vec::new(),
            docs: docs::IOT_POLICY,
            expired: None,
            minted: false,
            posture: false,
        };
    }
    let at = |name: &str| {
        segments
            .iter()
            .position(|s| s.eq_ignore_ascii_case(name))
            .and_then(|i| segments.get(i + 1))
            .map(String::as_str)
    };
    device_steps(&hub, at("devices"), at("modules"))
}

fn device_steps(hub: &str, device: Option<&str>, module: Option<&str>) -> Revocation {
    let dev = word(device, "DEVICE");
    let step = match module {
        Some(m) => {
            let m = word(Some(m), "MODULE");
            step(
                format!("Regenerate the key of module {m} of device {dev} (azure-iot extension)"),
                format!("az iot hub module-identity renew-key --hub-name {hub} --device-id {dev} --module-id {m} --key-type primary|secondary"),
            )
        }
        None => step(
            format!("Regenerate the key of device {dev} (azure-iot extension)"),
            format!(
                "az iot hub device-identity renew-key --hub-name {hub} --device-id {dev} --key-type primary|secondary"
            ),
        ),
    };
    Revocation {
        steps: vec![step],
        note: Some(format!(
            "Which key (primary or secondary) it is cannot be told from the text: renew the one in use, or both in turn. {IOT_BREAKS}"
        )),
        prevent: Vec::new(),
        docs: docs::IOT_DEVICE,
        expired: None,
        minted: false,
        posture: false,
    }
}

fn iot_device(token: &Token) -> Revocation {
    let hub = word(token.account.as_deref(), "HUB");
    let name = token.key_name.as_deref();
    match token.kind {
        TokenKind::IotModuleKey => {
            let (d, m) = name.and_then(|n| n.split_once('/')).unzip();
            device_steps(&hub, d, m.or(Some("")))
        }
        _ => device_steps(&hub, name, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shown_only_when_safe() {
        assert_eq!(word(Some("acct"), "ACCOUNT"), "acct");
        assert_eq!(word(Some("my-container.v2"), "CONTAINER"), "my-container.v2");
        assert_eq!(word(Some("$web"), "CONTAINER"), "'$web'");
        assert_eq!(word(None, "ACCOUNT"), "ACCOUNT");
        assert_eq!(word(Some("a b"), "POLICY"), "POLICY");
        assert_eq!(word(Some("x;rm -rf /"), "POLICY"), "POLICY");
        assert_eq!(word(Some("a`b`"), "POLICY"), "POLICY");
        // A long base64-like run is what a key looks like: never shown.
        assert_eq!(word(Some(&"Ab1".repeat(15)), "RULE"), "RULE");
    }

    #[test]
    fn paths() {
        assert_eq!(
            path_segments("https://a.blob.core.windows.net/c/d/e.txt"),
            ["c", "d", "e.txt"]
        );
        assert_eq!(path_segments("sb%3A%2F%2Fns.servicebus.windows.net%2Fq1"), ["q1"]);
        assert_eq!(path_segments("hub.azure-devices.net/devices/d1"), ["devices", "d1"]);
        assert!(path_segments("https://a.blob.core.windows.net").is_empty());
    }
}
