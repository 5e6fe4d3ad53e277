//! The rules: stable ids, names, default severities and documentation.

use crate::config::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    SasInSource,
    AccountSas,
    ExcessivePermissions,
    LongLived,
    NoExpiry,
    HttpAllowed,
    NoIpRestriction,
    Expired,
    StorageAccountKey,
    SharedAccessKey,
    CosmosAccountKey,
    LogicAppsTrigger,
    ApimSas,
    EventGridSas,
    EventGridKey,
    CosmosAuthToken,
    SignalRKey,
    CommunicationKey,
    SasOutput,
    SharedKeyAccess,
    NoSasExpirationPolicy,
}

/// Where each rule's documentation lives.
pub const DOCS_URL: &str = "https://github.com/sasguard/sasguard/blob/main/docs/rules.md";

impl Rule {
    pub const ALL: [Rule; 21] = [
        Rule::SasInSource,
        Rule::AccountSas,
        Rule::ExcessivePermissions,
        Rule::LongLived,
        Rule::NoExpiry,
        Rule::HttpAllowed,
        Rule::NoIpRestriction,
        Rule::Expired,
        Rule::StorageAccountKey,
        Rule::SharedAccessKey,
        Rule::CosmosAccountKey,
        Rule::LogicAppsTrigger,
        Rule::ApimSas,
        Rule::EventGridSas,
        Rule::EventGridKey,
        Rule::CosmosAuthToken,
        Rule::SignalRKey,
        Rule::CommunicationKey,
        Rule::SasOutput,
        Rule::SharedKeyAccess,
        Rule::NoSasExpirationPolicy,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::SasInSource => "SAS001",
            Rule::AccountSas => "SAS002",
            Rule::ExcessivePermissions => "SAS003",
            Rule::LongLived => "SAS004",
            Rule::NoExpiry => "SAS005",
            Rule::HttpAllowed => "SAS006",
            Rule::NoIpRestriction => "SAS007",
            Rule::Expired => "SAS008",
            Rule::StorageAccountKey => "SAS009",
            Rule::SharedAccessKey => "SAS010",
            Rule::CosmosAccountKey => "SAS011",
            Rule::LogicAppsTrigger => "SAS012",
            Rule::ApimSas => "SAS013",
            Rule::EventGridSas => "SAS014",
            Rule::EventGridKey => "SAS015",
            Rule::CosmosAuthToken => "SAS016",
            Rule::SignalRKey => "SAS017",
            Rule::CommunicationKey => "SAS018",
            Rule::SasOutput => "SAS019",
            Rule::SharedKeyAccess => "SAS020",
            Rule::NoSasExpirationPolicy => "SAS021",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rule::SasInSource => "sas-in-source",
            Rule::AccountSas => "account-sas",
            Rule::ExcessivePermissions => "excessive-permissions",
            Rule::LongLived => "long-lived",
            Rule::NoExpiry => "no-expiry",
            Rule::HttpAllowed => "http-allowed",
            Rule::NoIpRestriction => "no-ip-restriction",
            Rule::Expired => "expired",
            Rule::StorageAccountKey => "storage-account-key",
            Rule::SharedAccessKey => "shared-access-key",
            Rule::CosmosAccountKey => "cosmos-account-key",
            Rule::LogicAppsTrigger => "logic-apps-trigger",
            Rule::ApimSas => "apim-sas",
            Rule::EventGridSas => "event-grid-sas",
            Rule::EventGridKey => "event-grid-key",
            Rule::CosmosAuthToken => "cosmos-auth-token",
            Rule::SignalRKey => "signalr-access-key",
            Rule::CommunicationKey => "communication-services-key",
            Rule::SasOutput => "sas-output",
            Rule::SharedKeyAccess => "shared-key-access",
            Rule::NoSasExpirationPolicy => "no-sas-expiration-policy",
        }
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Rule::SasInSource
            | Rule::HttpAllowed
            | Rule::LongLived
            | Rule::EventGridSas
            | Rule::CosmosAuthToken
            | Rule::SasOutput => Severity::Warning,
            Rule::AccountSas
            | Rule::ExcessivePermissions
            | Rule::StorageAccountKey
            | Rule::SharedAccessKey
            | Rule::CosmosAccountKey
            | Rule::LogicAppsTrigger
            | Rule::ApimSas
            | Rule::EventGridKey
            | Rule::SignalRKey
            | Rule::CommunicationKey => Severity::Error,
            Rule::NoExpiry | Rule::Expired | Rule::SharedKeyAccess => Severity::Information,
            Rule::NoIpRestriction | Rule::NoSasExpirationPolicy => Severity::Hint,
        }
    }

    /// One line: what the rule looks for.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::SasInSource => "A live SAS token is written in the text.",
            Rule::AccountSas => "An account SAS reaches every container of the listed services.",
            Rule::ExcessivePermissions => "The SAS can change or destroy data or access.",
            Rule::LongLived => "The SAS lives longer than the configured maximum.",
            Rule::NoExpiry => "The SAS carries no expiry of its own.",
            Rule::HttpAllowed => "The SAS may be used over plain HTTP.",
            Rule::NoIpRestriction => "The SAS may be used from any IP address.",
            Rule::Expired => "The SAS has expired.",
            Rule::StorageAccountKey => "A storage account key is written in the text.",
            Rule::SharedAccessKey => "A Service Bus, Event Hubs, Relay or IoT Hub key (a policy's, a device's or a module's), or a full-control SAS for one, is written in the text.",
            Rule::CosmosAccountKey => "A Cosmos DB account key is written in the text.",
            Rule::LogicAppsTrigger => "A Logic Apps or Power Automate trigger URL with its signature is written in the text.",
            Rule::ApimSas => "An API Management SAS token is written in the text.",
            Rule::EventGridSas => "An Event Grid SAS token is written in the text.",
            Rule::EventGridKey => "An Event Grid topic or domain access key is written in the text.",
            Rule::CosmosAuthToken => "A Cosmos DB master-key signature or resource token is written in the text.",
            Rule::SignalRKey => "A SignalR Service or Web PubSub access key is written in the text.",
            Rule::CommunicationKey => "A Communication Services access key is written in the text.",
            Rule::SasOutput => "A template's deployment output exposes a SAS it mints.",
            Rule::SharedKeyAccess => "A storage account leaves shared-key authorization enabled: its keys can sign account SAS tokens.",
            Rule::NoSasExpirationPolicy => "A storage account has no SAS expiration policy: it accepts SAS tokens of any lifetime.",
        }
    }

    /// A paragraph: why it matters and what to do.
    pub fn help(self) -> &'static str {
        match self {
            Rule::SasInSource => "Anyone who reads this text can use the token until it expires. Azure does not track SAS tokens, so a leaked token cannot be revoked on its own: only rotating the key that signed it (or deleting its stored access policy) stops it. Load tokens from the environment or a secret store, and redact this one.",
            Rule::AccountSas => "An account SAS (ss/srt) is not limited to one container or blob: it reaches every container, queue, table or share of the services it lists, and service-level APIs when srt includes s. Share a service SAS or a user delegation SAS scoped to the one resource instead.",
            Rule::ExcessivePermissions => "Write, delete, add, create, update, process, move, execute, ownership, permissions and immutability letters let the holder change or destroy data or access. Grant read (and list) only, unless the recipient must write.",
            Rule::LongLived => "The longer a token lives, the longer a leak stays exploitable. Microsoft advises near-term expiry; storage accounts can enforce a SAS expiration policy. The lifetime is se minus st (or minus now when st is absent). Thresholds: maxLifetime and maxLifetimeError.",
            Rule::NoExpiry => "Without se, the expiry lives in a stored access policy (si) that cannot be checked from here. Make sure the policy sets a near expiry.",
            Rule::HttpAllowed => "spr absent or spr=https,http lets the token travel unencrypted. Use spr=https.",
            Rule::NoIpRestriction => "Without sip, the token works from anywhere. Restrict it to the addresses that need it where you can.",
            Rule::Expired => "The token's expiry is in the past, so it no longer works; other rules on it are capped at information. Remove it anyway: it shows how tokens are made here.",
            Rule::StorageAccountKey => "An account key grants full control of the whole storage account, including signing new SAS tokens, until the key is rotated. Rotate it now and load keys from a secret store or use Entra ID.",
            Rule::SharedAccessKey => "A shared access key signs tokens for its policy until rotated. RootManageSharedAccessKey (and iothubowner) has Manage, Send and Listen: full control of the namespace. An IoT Hub device or module key lets anyone act as that device or module. Rotate it and use a narrowly scoped policy, X.509 certificates or Entra ID.",
            Rule::CosmosAccountKey => "A Cosmos DB account key (AccountKey next to a documents.azure.com AccountEndpoint) gives full control of the database account: every database, container and item, and new resource tokens, until the key is regenerated. Regenerate it and use Entra ID (role-based access) or a secret store.",
            Rule::LogicAppsTrigger => "A trigger URL's signature (sv=1.0, sig) lets anyone who holds the URL run the workflow with any input. It carries no expiry unless se is set: it works until the workflow's access keys are regenerated. Regenerate them, keep the URL in a secret store, and restrict callers (IP ranges, OAuth authorization policies).",
            Rule::ApimSas => "An API Management SAS (SharedAccessSignature uid=…&ex=…&sn=…, or integration&…) calls the direct management API: the integration identifier has full control of the service. It works until ex or until the key that signed it is regenerated. Regenerate the management key and use Entra ID with Azure Resource Manager.",
            Rule::EventGridSas => "An Event Grid SAS (r=…&e=…&s=…) lets anyone publish events to its topic, domain or namespace until e. Keep it short-lived and out of the text.",
            Rule::EventGridKey => "An Event Grid access key (aeg-sas-key) publishes events and signs SAS tokens for its topic or domain until regenerated. Regenerate it; use Entra ID or short-lived SAS tokens.",
            Rule::CosmosAuthToken => "A master-key signature (type=master) authorizes one request for about 15 minutes after its x-ms-date, and shows the account key is used where this was written; a resource token (type=resource) grants one permission on one resource until it expires. Remove them; never ship the account key to clients.",
            Rule::SignalRKey => "A SignalR Service or Web PubSub access key signs the tokens of servers and clients: whoever holds it can connect as any user and send to every hub and group until it is regenerated. Regenerate it and use Entra ID.",
            Rule::CommunicationKey => "A Communication Services access key (endpoint=…communication.azure.com;accesskey=…) has full control of the resource: sending SMS and email, creating identities and tokens, calls, until it is regenerated. Regenerate it and use Entra ID.",
            Rule::SasOutput => "A deployment's outputs are kept in its deployment history: anyone who can read the resource group's deployments reads the token, for as long as it lives, long after the deployment. Pass the token where it is needed inside the template (or store it in Key Vault), or mark the output @secure().",
            Rule::SharedKeyAccess => "With allowSharedKeyAccess absent or true (Terraform: shared_access_key_enabled), the account keys authorize requests and sign account and service SAS tokens, like a leaked 'all services, all permissions, 30 years' token. Set allowSharedKeyAccess: false (shared_access_key_enabled = false) and use Entra ID and user delegation SAS, once no client needs the keys.",
            Rule::NoSasExpirationPolicy => "Without sasPolicy (Terraform: sas_policy {}), the account accepts SAS tokens of any lifetime without a trace. Add sasPolicy: { sasExpirationPeriod: '7.00:00:00', expirationAction: 'Log' } (or 'Block') so that longer-lived tokens are logged or refused.",
        }
    }

    /// A rule by id (`SAS004`, any case) or name (`long-lived`).
    pub fn lookup(key: &str) -> Option<Rule> {
        Rule::ALL
            .into_iter()
            .find(|r| r.id().eq_ignore_ascii_case(key) || r.name().eq_ignore_ascii_case(key))
    }

    pub fn docs_url(self) -> String {
        format!("{DOCS_URL}#{}", self.id().to_ascii_lowercase())
    }
}
