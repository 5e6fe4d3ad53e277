//! How to revoke each kind of token: the right command with the names the token's text
//! gives, placeholders where it gives none, no key rotation for a stored access policy or a
//! user delegation SAS, and never a secret in what is shown. Secrets are synthetic.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{key32, key64, now, pct, sig};
use sasguard::policy::revoke::Revocation;
use sasguard::scan::{scan, TokenKind};

/// The one token in `text`, its kind, and its revocation.
fn revoke(text: &str) -> (TokenKind, Revocation) {
    let tokens = scan(text.as_bytes());
    assert_eq!(tokens.len(), 1, "{}", sasguard::redact::scrub(text));
    let t = &tokens[0];
    (t.kind, Revocation::new(text.as_bytes(), t))
}

fn commands(r: &Revocation) -> Vec<String> {
    r.steps.iter().filter_map(|s| s.command.clone()).collect()
}

/// Everything the revocation shows, in one string.
fn shown(r: &Revocation) -> String {
    serde_json::to_string(r).unwrap()
}

fn first_command(r: &Revocation) -> String {
    r.steps[0].command.clone().expect("a command")
}

fn no_key_rotation(r: &Revocation) -> bool {
    !commands(r)
        .iter()
        .any(|c| c.contains("keys renew") || c.contains("key renew"))
}

#[test]
fn account_sas_renews_the_account_key() {
    let text = format!(
        "https://acct.blob.core.windows.net/?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdl&se=2051-10-06T07:09:59Z&sig={}",
        pct(&sig(1))
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::AccountSas);
    assert_eq!(
        first_command(&r),
        "az storage account keys renew --account-name acct --key primary|secondary"
    );
    let note = r.note.as_deref().unwrap();
    assert!(note.contains("cannot be told from the token"), "{note}");
    assert!(
        note.contains("every SAS and connection string signed with that key"),
        "{note}"
    );
    let prevent: Vec<String> = r.prevent.iter().filter_map(|s| s.command.clone()).collect();
    assert!(
        prevent.iter().any(|c| c.contains("--sas-expiration-period")),
        "{prevent:?}"
    );
    assert!(
        prevent
            .iter()
            .any(|c| c == "az storage account update --name acct --resource-group RG --allow-shared-key-access false"),
        "{prevent:?}"
    );
}

#[test]
fn ad_hoc_service_sas_renews_the_account_key() {
    let text = format!(
        "https://files1.blob.core.windows.net/c/b.txt?sv=2024-11-04&sr=b&sp=r&se=2026-01-15T13:00:00Z&spr=https&sig={}",
        pct(&sig(2))
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::ServiceSas);
    assert_eq!(
        first_command(&r),
        "az storage account keys renew --account-name files1 --key primary|secondary"
    );
}

#[test]
fn a_bare_query_gets_placeholders() {
    let text = format!(
        "?sv=2020-08-04&ss=b&srt=o&sp=r&se=2051-10-06T07:09:59Z&sig={}",
        pct(&sig(3))
    );
    let (_, r) = revoke(&text);
    assert_eq!(
        first_command(&r),
        "az storage account keys renew --account-name ACCOUNT --key primary|secondary"
    );
}

#[test]
fn stored_policy_is_deleted_on_its_service_without_key_rotation() {
    let s = pct(&sig(4));
    for (url, command) in [
        (
            format!("https://acct.queue.core.windows.net/jobs?sv=2024-11-04&si=reader&sr=q&spr=https&sig={s}"),
            "az storage queue policy delete --queue-name jobs --name reader --account-name acct",
        ),
        (
            format!("https://acct.blob.core.windows.net/images/a/b.png?sv=2024-11-04&si=pol-1&sr=b&sig={s}"),
            "az storage container policy delete --container-name images --name pol-1 --account-name acct",
        ),
        (
            format!("https://acct.file.core.windows.net/docs/f.txt?sv=2024-11-04&si=p2&sr=f&sig={s}"),
            "az storage share policy delete --share-name docs --name p2 --account-name acct",
        ),
        (
            format!("https://acct.table.core.windows.net/orders?sv=2024-11-04&si=p3&tn=orders&sig={s}"),
            "az storage table policy delete --table-name orders --name p3 --account-name acct",
        ),
        (
            format!("https://acct.blob.core.windows.net/$web/index.html?sv=2024-11-04&si=site&sr=b&sig={s}"),
            "az storage container policy delete --container-name '$web' --name site --account-name acct",
        ),
    ] {
        let (kind, r) = revoke(&url);
        assert_eq!(kind, TokenKind::StoredPolicySas);
        assert_eq!(first_command(&r), command);
        assert!(no_key_rotation(&r), "{:?}", commands(&r));
        assert!(r.note.as_deref().unwrap().starts_with("No key rotation needed"));
    }
}

#[test]
fn stored_policy_in_a_connection_string_names_what_it_can() {
    let text = format!(
        "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024-11-04&si=reader&sr=c&sig={}",
        pct(&sig(5))
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::StoredPolicySas);
    assert_eq!(
        first_command(&r),
        "az storage container policy delete --container-name CONTAINER --name reader --account-name acct"
    );
}

#[test]
fn user_delegation_revokes_delegation_keys_not_account_keys() {
    let text = format!(
        "https://acct.blob.core.windows.net/c/b.txt?sv=2024-11-04&sr=b&sp=r&se=2026-01-15T13:00:00Z\
         &skoid=11111111-2222-3333-4444-555555555555&sktid=99999999-2222-3333-4444-555555555555\
         &skt=2026-01-15T11:45:00Z&ske=2026-01-16T11:45:00Z&sks=b&skv=2024-11-04&sig={}",
        pct(&sig(6))
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::UserDelegationSas);
    assert_eq!(
        first_command(&r),
        "az storage account revoke-delegation-keys --name acct --resource-group RG"
    );
    assert!(no_key_rotation(&r), "{:?}", commands(&r));
    assert!(commands(&r)
        .contains(&"az role assignment list --assignee 11111111-2222-3333-4444-555555555555 --all".to_string()));
}

#[test]
fn storage_account_key_is_renewed() {
    let text = format!(
        "DefaultEndpointsProtocol=https;AccountName=acct4;AccountKey={};EndpointSuffix=core.windows.net",
        key64(7)
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::StorageAccountKey);
    assert_eq!(
        first_command(&r),
        "az storage account keys renew --account-name acct4 --key primary|secondary"
    );
    assert!(!r.prevent.is_empty());
}

#[test]
fn service_bus_key_renews_the_named_rule_and_entity_rules() {
    let text = format!(
        "Endpoint=sb://ns1.servicebus.windows.net/;SharedAccessKeyName=sender;SharedAccessKey={};EntityPath=orders",
        key32(9)
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::SharedAccessKey);
    let c = commands(&r);
    assert_eq!(
        c[0],
        "az servicebus namespace authorization-rule keys renew --resource-group RG --namespace-name ns1 --name sender --key PrimaryKey|SecondaryKey"
    );
    assert!(c.contains(&"az eventhubs namespace authorization-rule keys renew --resource-group RG --namespace-name ns1 --name sender --key PrimaryKey|SecondaryKey".to_string()));
    assert!(c.contains(&"az servicebus queue authorization-rule keys renew --resource-group RG --namespace-name ns1 --queue-name orders --name sender --key PrimaryKey|SecondaryKey".to_string()));
    assert!(c.contains(&"az eventhubs eventhub authorization-rule keys renew --resource-group RG --namespace-name ns1 --eventhub-name orders --name sender --key PrimaryKey|SecondaryKey".to_string()));
}

#[test]
fn service_bus_sas_names_rule_and_entity_from_skn_and_sr() {
    let text = format!(
        "SharedAccessSignature sr=sb%3A%2F%2Fns2.servicebus.windows.net%2Ftelemetry&sig={}&se=1900000000&skn=listen",
        pct(&sig(8))
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::ServiceBusSas);
    let c = commands(&r);
    assert!(c[0].contains("--namespace-name ns2 --name listen"), "{c:?}");
    assert!(
        c.iter().any(|c| c.contains("--eventhub-name telemetry --name listen")),
        "{c:?}"
    );
}

#[test]
fn the_root_rule_is_a_namespace_rule() {
    let text = format!(
        "Endpoint=sb://ns3.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={};EntityPath=q",
        key32(10)
    );
    let (_, r) = revoke(&text);
    assert!(
        commands(&r)
            .iter()
            .all(|c| c.contains(" namespace authorization-rule ")),
        "{:?}",
        commands(&r)
    );
}

#[test]
fn iot_hub_policy_and_device_keys() {
    let text = format!(
        "HostName=hub1.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={}",
        key32(11)
    );
    let (_, r) = revoke(&text);
    assert_eq!(
        first_command(&r),
        "az iot hub policy renew-key --hub-name hub1 --name iothubowner --renew-key primary|secondary"
    );

    let text = format!(
        "HostName=hub1.azure-devices.net;DeviceId=dev7;SharedAccessKey={}",
        key32(12)
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::IotDeviceKey);
    assert_eq!(
        first_command(&r),
        "az iot hub device-identity renew-key --hub-name hub1 --device-id dev7 --key-type primary|secondary"
    );

    let text = format!(
        "HostName=hub1.azure-devices.net;DeviceId=dev7;ModuleId=cam;SharedAccessKey={}",
        key32(13)
    );
    let (kind, r) = revoke(&text);
    assert_eq!(kind, TokenKind::IotModuleKey);
    assert_eq!(
        first_command(&r),
        "az iot hub module-identity renew-key --hub-name hub1 --device-id dev7 --module-id cam --key-type primary|secondary"
    );

    // A device's SAS (no skn): signed with the device key.
    let text = format!(
        "SharedAccessSignature sr=hub1.azure-devices.net%2Fdevices%2Fdev9&sig={}&se=1900000000",
        pct(&sig(14))
    );
    let (_, r) = revoke(&text);
    assert_eq!(
        first_command(&r),
        "az iot hub device-identity renew-key --hub-name hub1 --device-id dev9 --key-type primary|secondary"
    );
}

#[test]
fn family_keys_are_regenerated() {
    for (text, command) in [
        (
            format!(
                "AccountEndpoint=https://mycosmos.documents.azure.com:443/;AccountKey={};",
                key64(15)
            ),
            "az cosmosdb keys regenerate --resource-group RG --name mycosmos --key-kind primary|secondary|primaryReadonly|secondaryReadonly",
        ),
        (
            format!(
                "Endpoint=https://chat1.service.signalr.net;AccessKey={};Version=1.0;",
                key32(16)
            ),
            "az signalr key renew --resource-group RG --name chat1 --key-type primary|secondary",
        ),
        (
            format!(
                "Endpoint=https://pubsub1.webpubsub.azure.com;AccessKey={};Version=1.0;",
                key32(17)
            ),
            "az webpubsub key regenerate --resource-group RG --name pubsub1 --key-type primary|secondary",
        ),
        (
            format!("endpoint=https://acs1.communication.azure.com/;accesskey={}", key64(18)),
            "az communication regenerate-key --resource-group RG --name acs1 --key-type Primary|Secondary",
        ),
        (
            format!(
                "https://topic1.westus2-1.eventgrid.azure.net/api/events?aeg-sas-key={}",
                pct(&key32(19))
            ),
            "az eventgrid topic key regenerate --resource-group RG --name topic1 --key-name key1|key2",
        ),
    ] {
        let (_, r) = revoke(&text);
        assert_eq!(first_command(&r), command);
    }
    let logic = format!(
        "https://prod-00.westus.logic.azure.com:443/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={}",
        sig(20).replace('+', "-").replace('/', "_").trim_end_matches('=')
    );
    let (kind, r) = revoke(&logic);
    assert_eq!(kind, TokenKind::LogicAppsTrigger);
    assert!(
        first_command(&r).contains("/workflows/WORKFLOW/regenerateAccessKey"),
        "{}",
        first_command(&r)
    );
}

/// The REST calls use the operation paths, api-versions and bodies of the REST reference
/// (Workflows - Regenerate Access Key 2019-05-01; Tenant Access - Regenerate Primary/Secondary
/// Key 2024-05-01), and the commands that live in CLI extensions say so.
#[test]
fn rest_calls_and_extensions_follow_the_reference() {
    let logic = format!(
        "https://prod-00.westus.logic.azure.com:443/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={}",
        sig(23).replace('+', "-").replace('/', "_").trim_end_matches('=')
    );
    let (_, r) = revoke(&logic);
    assert_eq!(
        first_command(&r),
        "az rest --method post --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/resourceGroups/RG/providers/Microsoft.Logic/workflows/WORKFLOW/regenerateAccessKey?api-version=2019-05-01\" --body '{\"keyType\":\"Primary\"}'"
    );
    assert_eq!(
        r.docs,
        "https://learn.microsoft.com/rest/api/logic/workflows/regenerate-access-key"
    );

    let sn = key64(24);
    let apim = format!("\"Authorization\": \"SharedAccessSignature integration&202602200500&{sn}\"");
    let (kind, r) = revoke(&apim);
    assert_eq!(kind, TokenKind::ApimSas);
    assert_eq!(
        commands(&r),
        ["Primary", "Secondary"].map(|k| format!(
            "az rest --method post --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/resourceGroups/RG/providers/Microsoft.ApiManagement/service/SERVICE/tenant/access/regenerate{k}Key?api-version=2024-05-01\""
        ))
    );
    // The integration identity is no user: no advice to block one.
    assert_eq!(r.steps.len(), 2);
    assert!(!shown(&r).contains(&sn[..20]));
    // A user's token: blocking the user is offered, and said to be unconfirmed.
    let user = format!("Authorization: SharedAccessSignature uid=5f1a2b3c&ex=2026-01-20T12:00:00.0000000Z&sn={sn}");
    let (kind, r) = revoke(&user);
    assert_eq!(kind, TokenKind::ApimSas);
    assert_eq!(r.steps.len(), 3);
    assert!(r.steps[2].command.is_none());
    assert!(r.steps[2].what.contains("not confirmed"), "{}", r.steps[2].what);

    let acs = format!("endpoint=https://acs1.communication.azure.com/;accesskey={}", key64(25));
    let (_, r) = revoke(&acs);
    assert!(
        r.steps[0].what.contains("communication extension"),
        "{}",
        r.steps[0].what
    );
    assert_eq!(
        r.docs,
        "https://learn.microsoft.com/rest/api/communication/resourcemanager/communication-services/regenerate-key"
    );
    let wps = format!(
        "Endpoint=https://pubsub1.webpubsub.azure.com;AccessKey={};Version=1.0;",
        key32(26)
    );
    assert!(revoke(&wps).1.steps[0].what.contains("webpubsub extension"));
    let dev = format!(
        "HostName=hub1.azure-devices.net;DeviceId=dev7;SharedAccessKey={}",
        key32(27)
    );
    assert!(revoke(&dev).1.steps[0].what.contains("azure-iot extension"));
}

/// Every page a revocation cites is listed in docs/rules.md's Revocation section.
#[test]
fn every_cited_page_is_in_the_rules() {
    use sasguard::policy::revoke::docs;
    let rules = include_str!("../docs/rules.md");
    let section = &rules[rules.find("## Revocation").expect("a Revocation section")..];
    let section = &section[..section.find("\n## What stays quiet").unwrap_or(section.len())];
    for url in [
        docs::STORAGE_KEYS,
        docs::STORED_POLICY,
        docs::USER_DELEGATION,
        docs::SERVICE_BUS,
        docs::IOT_POLICY,
        docs::IOT_DEVICE,
        docs::COSMOS,
        docs::LOGIC_APPS,
        docs::APIM,
        docs::EVENT_GRID,
        docs::SIGNALR,
        docs::WEB_PUBSUB,
        docs::COMMUNICATION,
    ] {
        assert!(section.contains(&format!("({url})")), "{url} is not in docs/rules.md");
    }
}

#[test]
fn names_that_look_like_secrets_are_never_shown() {
    // A container named like a key: the command gets the placeholder.
    let fake = key32(21).trim_end_matches('=').replace(['+', '/'], "x");
    let s = sig(22);
    let text = format!(
        "https://acct.blob.core.windows.net/{fake}/b?sv=2024-11-04&si=p&sr=b&sig={}",
        pct(&s)
    );
    let (_, r) = revoke(&text);
    assert_eq!(
        first_command(&r),
        "az storage container policy delete --container-name CONTAINER --name p --account-name acct"
    );
    let all = shown(&r);
    assert!(!all.contains(&fake[..20]));
    assert!(!all.contains(&s[..20]) && !all.contains(&pct(&s)[..20]));
}

#[test]
fn no_revocation_shows_its_secret() {
    let cases = [
        format!(
            "DefaultEndpointsProtocol=https;AccountName=a1;AccountKey={};",
            key64(30)
        ),
        format!(
            "Endpoint=sb://n.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey={}",
            key32(31)
        ),
        format!(
            "https://a.blob.core.windows.net/c?sv=2024-11-04&sr=c&sp=r&se=2026-01-01&sig={}",
            pct(&sig(32))
        ),
    ];
    for text in cases {
        let tokens = scan(text.as_bytes());
        let t = &tokens[0];
        let secret = String::from_utf8(t.text_of(text.as_bytes(), &t.secret)).unwrap();
        let all = shown(&Revocation::new(text.as_bytes(), t));
        assert!(!all.contains(&secret[..16]), "a revocation shows part of a secret");
    }
}

#[test]
fn an_expired_token_needs_nothing_revoked_for_it_alone() {
    let text = format!(
        "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&sr=b&sp=r&se=2026-01-01T00:00:00Z&sig={}",
        pct(&sig(50))
    );
    let (_, r) = revoke(&text);
    let se = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    assert!(se < now());
    let expired = r.clone().after_expiry(Some(se), now());
    assert_eq!(expired.expired.as_deref(), Some("2026-01-01 00:00 UTC"));
    assert!(
        expired.line().starts_with(
            "not needed, expired 2026-01-01 00:00 UTC; to retire what signed it: az storage account keys renew --account-name acct"
        ),
        "{}",
        expired.line()
    );
    let note = expired.note.as_deref().unwrap();
    assert!(note.starts_with("This token expired 2026-01-01 00:00 UTC"), "{note}");
    assert!(note.contains("cannot be told from the token"), "{note}");
    // Live, or with no readable expiry: unchanged.
    assert_eq!(r.clone().after_expiry(Some(se), se - Duration::hours(1)), r);
    assert_eq!(r.clone().after_expiry(None, now()), r);
    assert!(r.expired.is_none());
}
