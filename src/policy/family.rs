//! Judging the wider SAS family (Logic Apps, API Management, Event Grid, Cosmos DB, SignalR,
//! Web PubSub, Communication Services, IoT Hub devices): what each grants, on what, until
//! when, in its rule's reason, the summary and the breakdown.

use chrono::{DateTime, Utc};

use super::describe::{allows_http, human_duration, human_time};
use super::{Judgement, Rule};
use crate::scan::{Token, TokenKind};

/// `'name'` of the token's resource, or a phrase for an unnamed one.
fn named(what: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{what} '{n}'"),
        None => format!("an unnamed {what}"),
    }
}

fn hub(t: &Token) -> String {
    named("hub", t.account.as_deref())
}

/// The breakdown's label for the name a family member's token carries (`Token::account`).
pub fn name_label(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::IotDeviceKey | TokenKind::IotModuleKey => "Hub",
        TokenKind::CosmosAccountKey => "Cosmos DB account",
        TokenKind::LogicAppsTrigger => "Workflow",
        TokenKind::EventGridSas | TokenKind::EventGridKey => "Topic",
        _ => "Service",
    }
}

/// What the token reaches, for reasons and summaries.
fn whom(t: &Token) -> String {
    match t.kind {
        TokenKind::IotDeviceKey => format!("device '{}' of {}", t.key_name.as_deref().unwrap_or("?"), hub(t)),
        TokenKind::IotModuleKey => format!("module '{}' of {}", t.key_name.as_deref().unwrap_or("?"), hub(t)),
        TokenKind::CosmosAccountKey => named("Cosmos DB account", t.account.as_deref()),
        TokenKind::LogicAppsTrigger => {
            let on = t.host.as_deref().map(|h| format!(" on {h}")).unwrap_or_default();
            format!("{}{on}", named("workflow", t.account.as_deref()))
        }
        TokenKind::ApimSas => named("API Management service", t.account.as_deref()),
        TokenKind::EventGridSas | TokenKind::EventGridKey => named("Event Grid topic", t.account.as_deref()),
        TokenKind::CosmosMasterToken | TokenKind::CosmosResourceToken => "a Cosmos DB account".to_string(),
        TokenKind::SignalRKey => named("SignalR service", t.account.as_deref()),
        TokenKind::WebPubSubKey => named("Web PubSub service", t.account.as_deref()),
        TokenKind::CommunicationKey => named("Communication Services resource", t.account.as_deref()),
        _ => "an unknown resource".to_string(),
    }
}

/// In a few words what the token lets its holder do.
pub fn grants(t: &Token) -> Option<String> {
    let s = match t.kind {
        TokenKind::IotDeviceKey => {
            "connect as the device: send telemetry, receive its messages and twin updates, sign its tokens".to_string()
        }
        TokenKind::IotModuleKey => {
            "connect as the module: send and receive its messages and twin updates, sign its tokens".to_string()
        }
        TokenKind::CosmosAccountKey => {
            "full control of every database, container and item, and new resource tokens".to_string()
        }
        TokenKind::LogicAppsTrigger => format!(
            "anyone may run the workflow{}",
            t.key_name
                .as_deref()
                .map(|n| format!(" (trigger '{n}')"))
                .unwrap_or_default()
        ),
        TokenKind::ApimSas if t.key_name.as_deref() == Some("integration") => {
            "full control of the service through the direct management API".to_string()
        }
        TokenKind::ApimSas => format!(
            "calls the direct management API as user '{}'",
            t.key_name.as_deref().unwrap_or("?")
        ),
        TokenKind::EventGridSas => "publish events".to_string(),
        TokenKind::EventGridKey => "publish events and sign SAS tokens".to_string(),
        TokenKind::CosmosMasterToken => {
            "the one request it was signed for (verb, resource, x-ms-date), for about 15 minutes".to_string()
        }
        TokenKind::CosmosResourceToken => "its permission on one resource (read or all)".to_string(),
        TokenKind::SignalRKey | TokenKind::WebPubSubKey => {
            "full control: connect as any user, send to every hub, group and connection".to_string()
        }
        TokenKind::CommunicationKey => {
            "full control: send SMS and email, create identities, tokens and calls".to_string()
        }
        _ => return None,
    };
    Some(s)
}

/// The breakdown's `Resource` line for a family member.
pub fn resource(t: &Token) -> Option<String> {
    match t.kind {
        TokenKind::IotDeviceKey | TokenKind::IotModuleKey => Some(whom(t)),
        TokenKind::LogicAppsTrigger => Some(format!(
            "{}{}",
            named("workflow", t.account.as_deref()),
            t.params
                .resource
                .as_deref()
                .map(|sp| format!(" (sp={sp})"))
                .unwrap_or_default()
        )),
        TokenKind::ApimSas => Some(format!(
            "direct management API, identifier '{}'",
            t.key_name.as_deref().unwrap_or("?")
        )),
        TokenKind::EventGridSas => t.params.resource.clone(),
        TokenKind::CosmosAccountKey => t
            .key_name
            .as_ref()
            .map(|db| format!("database '{db}' (the key reaches every one)")),
        _ => None,
    }
}

/// How long the token lives: `3 days left`, `expired 2 days ago`, `no expiry`.
fn life(t: &Token, expiry: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match expiry {
        Some(e) if e <= now => format!("expired {} ago", human_duration((now - e).num_seconds())),
        Some(e) => format!("{} left", human_duration((e - now).num_seconds())),
        None if t.params.expiry.is_some() => "unreadable expiry".to_string(),
        None => "no expiry".to_string(),
    }
}

/// The finding's summary: kind, reach, lifetime, access, then a sentence of details.
pub fn summary(t: &Token, expiry: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let life = life(t, expiry, now);
    let until = match expiry {
        Some(e) if e <= now => format!("Expired {}", human_time(e)),
        Some(e) => format!("Expires {}", human_time(e)),
        None => String::new(),
    };
    let transport = if t.params.protocol.is_some() && allows_http(t.params.protocol.as_deref()) {
        ", plain HTTP"
    } else {
        ""
    };
    match t.kind {
        TokenKind::IotDeviceKey | TokenKind::IotModuleKey => format!(
            "{}, {}, until rotated, acts as the {}.",
            capitalize(t.kind.label()),
            whom(t),
            if t.kind == TokenKind::IotDeviceKey { "device" } else { "module" }
        ),
        TokenKind::CosmosAccountKey => format!("Cosmos DB account key, all of {}, until rotated, full control.", whom(t)),
        TokenKind::LogicAppsTrigger => {
            let mut details = vec![match &t.key_name {
                Some(n) => format!("Trigger '{n}'"),
                None => "Trigger unknown".to_string(),
            }];
            if expiry.is_some() {
                details.push(until.to_lowercase());
            } else {
                details.push("valid until the workflow's access keys are regenerated".to_string());
            }
            format!(
                "Logic Apps trigger URL: lets anyone run {}, {life}{transport}. {}.",
                whom(t),
                details.join(", ")
            )
        }
        TokenKind::ApimSas => format!(
            "API Management SAS, {}, {life}, {}. {}.",
            whom(t),
            grants(t).unwrap_or_default(),
            if until.is_empty() { "No readable expiry".to_string() } else { until }
        ),
        TokenKind::EventGridSas => format!(
            "Event Grid SAS, {}, {life}, publish events{transport}. {}.",
            whom(t),
            if until.is_empty() { "No readable expiry".to_string() } else { until }
        ),
        TokenKind::EventGridKey => format!(
            "Event Grid access key, {}, until regenerated, publish events and sign SAS tokens.",
            whom(t)
        ),
        TokenKind::CosmosMasterToken => {
            "Cosmos DB master-key signature, one request, about 15 minutes after its x-ms-date. The account key signs requests where this was written.".to_string()
        }
        TokenKind::CosmosResourceToken => {
            "Cosmos DB resource token, one resource, until it expires (1 hour by default), its permission's access.".to_string()
        }
        TokenKind::SignalRKey | TokenKind::WebPubSubKey | TokenKind::CommunicationKey => format!(
            "{}, {}, until regenerated, {}{transport}.",
            capitalize(t.kind.label()),
            whom(t),
            grants(t).unwrap_or_default()
        ),
        _ => format!("{}.", capitalize(t.kind.label())),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

impl Judgement<'_> {
    pub(super) fn judge_family(&mut self) {
        let t = self.token;
        let whom = whom(t);
        let grants = grants(t).unwrap_or_default();
        match t.kind {
            TokenKind::IotDeviceKey | TokenKind::IotModuleKey => self.fire(
                Rule::SharedAccessKey,
                format!(
                    "{}: lets anyone act as {whom} (send and receive its messages, twin updates, sign its tokens) until it is rotated",
                    t.kind.label()
                ),
            ),
            TokenKind::CosmosAccountKey => self.fire(
                Rule::CosmosAccountKey,
                format!("Cosmos DB account key: {grants} of {whom} until it is regenerated"),
            ),
            TokenKind::LogicAppsTrigger => {
                let until = match t.params.expiry.as_ref().and_then(|e| e.at) {
                    Some(e) => format!("until {}", human_time(e)),
                    None => "no expiry (valid until the workflow's access keys are regenerated)".to_string(),
                };
                self.fire(Rule::LogicAppsTrigger, format!("lets anyone run {whom}, {until}"));
            }
            TokenKind::ApimSas => self.fire(Rule::ApimSas, format!("API Management SAS: {grants} of {whom}")),
            TokenKind::EventGridSas => {
                let to = t.params.resource.as_deref().unwrap_or("its topic");
                self.fire(Rule::EventGridSas, format!("Event Grid SAS: lets anyone publish events to {to}"));
            }
            TokenKind::EventGridKey => self.fire(
                Rule::EventGridKey,
                format!("Event Grid access key: lets anyone {grants} for {whom} until it is regenerated"),
            ),
            TokenKind::CosmosMasterToken => self.fire(
                Rule::CosmosAuthToken,
                format!("Cosmos DB master-key signature: authorizes {grants}; the account key is used where this was written"),
            ),
            TokenKind::CosmosResourceToken => self.fire(
                Rule::CosmosAuthToken,
                format!("Cosmos DB resource token: grants {grants} until it expires (1 hour by default)"),
            ),
            TokenKind::SignalRKey | TokenKind::WebPubSubKey => self.fire(
                Rule::SignalRKey,
                format!("{}: {grants} of {whom} until it is regenerated", t.kind.label()),
            ),
            TokenKind::CommunicationKey => self.fire(
                Rule::CommunicationKey,
                format!("Communication Services access key: {grants} of {whom} until it is regenerated"),
            ),
            _ => {}
        }
        self.family_times();
        if let Some(p) = t.params.protocol.as_deref() {
            if allows_http(Some(p)) && matches!(t.kind, TokenKind::LogicAppsTrigger | TokenKind::EventGridSas) {
                self.fire(
                    Rule::HttpAllowed,
                    format!("the URL is {p}://: the token travels unencrypted"),
                );
            }
        }
    }

    /// Expiry rules for the members that carry one (`se`, `ex`, `e`); a Logic Apps trigger
    /// without `se` has none at all.
    fn family_times(&mut self) {
        let t = self.token;
        match (&t.params.expiry, t.kind) {
            (Some(e), _) if e.at.is_none() => {
                self.fire(Rule::NoExpiry, format!("expiry '{}' is not a valid time", e.text));
            }
            (Some(_), _) => self.judge_times(),
            (None, TokenKind::LogicAppsTrigger) => self.fire(
                Rule::NoExpiry,
                "no se: the URL works until the workflow's access keys are regenerated".to_string(),
            ),
            _ => {}
        }
    }
}
