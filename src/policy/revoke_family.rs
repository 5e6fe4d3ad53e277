//! How to revoke the wider SAS family's tokens and keys (Cosmos DB, Logic Apps, API
//! Management, Event Grid, SignalR, Web PubSub, Communication Services): regenerate the
//! key that signs them. See [`super::revoke`] for the shape and the rules on names.

use super::revoke::{advice, docs, step, word, Revocation, Step, RG};
use crate::scan::{Token, TokenKind};

fn which_key(what: &str) -> String {
    format!(
        "Which {what} it is cannot be told from the text: renew the one in use, or both in turn. Regenerating breaks \
         every client and token that uses that key."
    )
}

fn one(step: Step, note: String, docs: &'static str) -> Revocation {
    Revocation {
        steps: vec![step],
        note: Some(note),
        prevent: Vec::new(),
        docs,
        expired: None,
        minted: false,
        posture: false,
    }
}

/// The revocation path of a family member (`TokenKind::is_family`, IoT devices aside).
pub fn family(token: &Token) -> Revocation {
    let name = |placeholder| word(token.account.as_deref(), placeholder);
    match token.kind {
        TokenKind::CosmosAccountKey => one(
            cosmos_step(&name("ACCOUNT")),
            which_key("key (primary, secondary or a read-only one)"),
            docs::COSMOS,
        ),
        TokenKind::CosmosMasterToken => one(
            cosmos_step("ACCOUNT"),
            "This signs one request and expires about 15 minutes after its x-ms-date; the account key that made it is \
             used where it was written. Regenerate that key if it may have leaked too: it breaks every client using it."
                .to_string(),
            docs::COSMOS,
        ),
        TokenKind::CosmosResourceToken => Revocation {
            steps: vec![
                advice(
                    "Delete or replace the permission that issued it (the resource token stops with it), or let it \
                     expire (1 hour by default)",
                ),
                step("Or regenerate the account key, which invalidates every resource token", cosmos_step("ACCOUNT").command.unwrap_or_default()),
            ],
            note: Some("Regenerating the account key breaks every client that uses it.".to_string()),
            prevent: Vec::new(),
            docs: docs::COSMOS,
            expired: None,
            minted: false,
            posture: false,
        },
        TokenKind::LogicAppsTrigger => one(
            step(
                "Regenerate the workflow's access key (primary or secondary) that signs its trigger URLs",
                format!(
                    "az rest --method post --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/resourceGroups/{RG}/providers/Microsoft.Logic/workflows/WORKFLOW/regenerateAccessKey?api-version=2019-05-01\" --body '{{\"keyType\":\"Primary\"}}'"
                ),
            ),
            "The URL names the workflow by its id, not its name: fill in WORKFLOW. Which key (Primary or Secondary) \
             signed it cannot be told from the URL: run it again with \"Secondary\" to renew the other. Regenerating \
             the key breaks every callback URL of the workflow signed with it; get new ones from the trigger."
                .to_string(),
            docs::LOGIC_APPS,
        ),
        TokenKind::ApimSas => {
            let svc = name("SERVICE");
            let url = |which: &str| {
                format!(
                    "az rest --method post --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/resourceGroups/{RG}/providers/Microsoft.ApiManagement/service/{svc}/tenant/access/regenerate{which}Key?api-version=2024-05-01\""
                )
            };
            let mut steps = vec![
                step("Regenerate the direct management API's primary key, which signs these tokens", url("Primary")),
                step("And its secondary key", url("Secondary")),
            ];
            if token.key_name.as_deref().is_some_and(|id| id != "integration") {
                steps.push(advice(
                    "Also block the user the token names, in the portal or through the Users API (that this alone \
                     stops the token is not confirmed against the reference)",
                ));
            }
            Revocation {
                steps,
                note: Some(which_key("access key (primary or secondary) signed it")),
                prevent: Vec::new(),
                docs: docs::APIM,
                expired: None,
                minted: false,
                posture: false,
            }
        }
        TokenKind::EventGridSas | TokenKind::EventGridKey => {
            let topic = name("TOPIC");
            Revocation {
                steps: vec![
                    step(
                        format!("Regenerate the key of topic {topic}"),
                        format!("az eventgrid topic key regenerate --resource-group {RG} --name {topic} --key-name key1|key2"),
                    ),
                    step(
                        "Or, if it is a domain",
                        format!("az eventgrid domain key regenerate --resource-group {RG} --name {topic} --key-name key1|key2"),
                    ),
                ],
                note: Some(which_key("key (key1 or key2)")),
                prevent: Vec::new(),
                docs: docs::EVENT_GRID,
                expired: None,
                minted: false,
                posture: false,
            }
        }
        TokenKind::SignalRKey => one(
            step(
                "Regenerate the SignalR access key",
                format!("az signalr key renew --resource-group {RG} --name {} --key-type primary|secondary", name("SERVICE")),
            ),
            which_key("key (primary or secondary)"),
            docs::SIGNALR,
        ),
        TokenKind::WebPubSubKey => one(
            step(
                "Regenerate the Web PubSub access key (webpubsub extension)",
                format!("az webpubsub key regenerate --resource-group {RG} --name {} --key-type primary|secondary", name("SERVICE")),
            ),
            which_key("key (primary or secondary)"),
            docs::WEB_PUBSUB,
        ),
        TokenKind::CommunicationKey => one(
            step(
                "Regenerate the Communication Services access key (communication extension)",
                format!("az communication regenerate-key --resource-group {RG} --name {} --key-type Primary|Secondary", name("RESOURCE")),
            ),
            which_key("key (primary or secondary)"),
            docs::COMMUNICATION,
        ),
        // Kinds revoked elsewhere; kept total so a new kind is never without advice.
        _ => one(
            advice("Regenerate the key that signed it"),
            "Revoking breaks every client using that key.".to_string(),
            docs::STORAGE_KEYS,
        ),
    }
}

fn cosmos_step(account: &str) -> Step {
    step(
        "Regenerate the Cosmos DB account key",
        format!("az cosmosdb keys regenerate --resource-group {RG} --name {account} --key-kind primary|secondary|primaryReadonly|secondaryReadonly"),
    )
}
