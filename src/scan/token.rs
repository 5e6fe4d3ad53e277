//! The typed value of a token found in text. Byte ranges refer to the scanned text.

use std::ops::Range;

use super::time::TimeValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// Signed with the account key; reaches every container of the listed services.
    AccountSas,
    /// Signed with the account key; one resource of one service.
    ServiceSas,
    /// A service SAS whose rules live in a stored access policy (`si`).
    StoredPolicySas,
    /// Signed with an Entra ID user delegation key.
    UserDelegationSas,
    /// Service Bus / Event Hubs / Relay / IoT Hub `SharedAccessSignature` token.
    ServiceBusSas,
    /// A storage account key (usually in a connection string).
    StorageAccountKey,
    /// A Service Bus / Event Hubs / Relay / IoT Hub shared access key.
    SharedAccessKey,
    /// An IoT Hub device's key (`HostName=…;DeviceId=…;SharedAccessKey=…`).
    IotDeviceKey,
    /// An IoT Hub module's key (`…;DeviceId=…;ModuleId=…;SharedAccessKey=…`).
    IotModuleKey,
    /// A Cosmos DB account key (`AccountEndpoint=…;AccountKey=…`).
    CosmosAccountKey,
    /// A Logic Apps / Power Automate trigger URL (`…/triggers/…?…&sv=1.0&sig=…`).
    LogicAppsTrigger,
    /// An API Management SAS (`SharedAccessSignature uid=…&ex=…&sn=…` or `integration&…`).
    ApimSas,
    /// An Event Grid SAS (`r=…&e=…&s=…`).
    EventGridSas,
    /// An Event Grid topic or domain access key (`aeg-sas-key`).
    EventGridKey,
    /// A Cosmos DB authorization signed with the account key (`type=master&ver=1.0&sig=…`).
    CosmosMasterToken,
    /// A Cosmos DB resource token (`type=resource&ver=1&sig=…;…`).
    CosmosResourceToken,
    /// A SignalR Service access key (`Endpoint=…service.signalr.net;AccessKey=…`).
    #[serde(rename = "signalr-key")]
    SignalRKey,
    /// A Web PubSub access key (`Endpoint=…webpubsub.azure.com;AccessKey=…`).
    #[serde(rename = "web-pubsub-key")]
    WebPubSubKey,
    /// An Azure Communication Services access key (`endpoint=…communication.azure.com/;accesskey=…`).
    CommunicationKey,
}

impl TokenKind {
    pub fn label(self) -> &'static str {
        match self {
            TokenKind::AccountSas => "account SAS",
            TokenKind::ServiceSas => "service SAS",
            TokenKind::StoredPolicySas => "service SAS (stored access policy)",
            TokenKind::UserDelegationSas => "user delegation SAS",
            TokenKind::ServiceBusSas => "Service Bus / Event Hubs SAS",
            TokenKind::StorageAccountKey => "storage account key",
            TokenKind::SharedAccessKey => "Service Bus / Event Hubs / IoT shared access key",
            TokenKind::IotDeviceKey => "IoT Hub device key",
            TokenKind::IotModuleKey => "IoT Hub module key",
            TokenKind::CosmosAccountKey => "Cosmos DB account key",
            TokenKind::LogicAppsTrigger => "Logic Apps trigger URL",
            TokenKind::ApimSas => "API Management SAS",
            TokenKind::EventGridSas => "Event Grid SAS",
            TokenKind::EventGridKey => "Event Grid access key",
            TokenKind::CosmosMasterToken => "Cosmos DB master-key signature",
            TokenKind::CosmosResourceToken => "Cosmos DB resource token",
            TokenKind::SignalRKey => "SignalR access key",
            TokenKind::WebPubSubKey => "Web PubSub access key",
            TokenKind::CommunicationKey => "Communication Services access key",
        }
    }

    /// The kinds of the wider SAS family (Logic Apps, API Management, Event Grid, Cosmos DB,
    /// SignalR, Web PubSub, Communication Services, IoT devices), judged by `policy::family`.
    pub fn is_family(self) -> bool {
        !matches!(
            self,
            TokenKind::AccountSas
                | TokenKind::ServiceSas
                | TokenKind::StoredPolicySas
                | TokenKind::UserDelegationSas
                | TokenKind::ServiceBusSas
                | TokenKind::StorageAccountKey
                | TokenKind::SharedAccessKey
        )
    }

    /// A key (it signs tokens or requests) rather than a signed token.
    pub fn is_key(self) -> bool {
        matches!(
            self,
            TokenKind::StorageAccountKey
                | TokenKind::SharedAccessKey
                | TokenKind::IotDeviceKey
                | TokenKind::IotModuleKey
                | TokenKind::CosmosAccountKey
                | TokenKind::EventGridKey
                | TokenKind::SignalRKey
                | TokenKind::WebPubSubKey
                | TokenKind::CommunicationKey
        )
    }

    pub fn is_storage_sas(self) -> bool {
        matches!(
            self,
            TokenKind::AccountSas | TokenKind::ServiceSas | TokenKind::StoredPolicySas | TokenKind::UserDelegationSas
        )
    }

    pub fn is_sas(self) -> bool {
        self.is_storage_sas() || self == TokenKind::ServiceBusSas
    }
}

/// Where a token sits in its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenForm {
    /// A full URL with its SAS query.
    Url,
    /// A bare query string (`?sv=…&sig=…` or `sv=…&sig=…`).
    Query,
    /// A connection string (with `SharedAccessSignature=`, `AccountKey=` or `SharedAccessKey=`).
    ConnectionString,
    /// A `SharedAccessSignature sr=…` header value.
    Header,
    /// A key standing alone.
    BareKey,
    /// Any of the others, base64-encoded (a Kubernetes Secret's `data:` value): the token's
    /// range and secret are the whole base64 value.
    Base64(Box<TokenForm>),
    /// Not a token yet: a call, command or builder that would mint one with these
    /// parameters. Its `secret` is empty: the text holds no signature.
    Mint(Box<super::mint::Mint>),
}

impl TokenForm {
    /// What a finding's message adds about where the token hides, if anything.
    pub fn note(&self) -> Option<String> {
        match self {
            TokenForm::Base64(inner) => {
                let what = match **inner {
                    TokenForm::Url => "SAS URL",
                    TokenForm::Query => "SAS query",
                    TokenForm::Header => "SAS header value",
                    TokenForm::BareKey => "key",
                    _ => "connection string",
                };
                Some(format!("Found in a base64-encoded {what}."))
            }
            _ => None,
        }
    }
}

/// A set of lowercase letters, with the unknown and repeated ones noted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Letters {
    pub set: u32,
    pub unknown: Vec<char>,
    pub repeated: Vec<char>,
    pub text: String,
}

impl Letters {
    /// Reads `text` as a set of letters, where `known` lists the meaningful ones.
    pub fn parse(text: &str, known: &str) -> Self {
        let mut l = Letters {
            text: text.to_string(),
            ..Default::default()
        };
        for c in text.chars() {
            let lc = c.to_ascii_lowercase();
            if !known.contains(lc) || !lc.is_ascii_lowercase() {
                if !l.unknown.contains(&c) {
                    l.unknown.push(c);
                }
                continue;
            }
            let bit = 1u32 << (lc as u8 - b'a');
            if l.set & bit != 0 {
                if !l.repeated.contains(&lc) {
                    l.repeated.push(lc);
                }
            } else {
                l.set |= bit;
            }
        }
        l
    }

    pub fn has(&self, c: char) -> bool {
        c.is_ascii_lowercase() && self.set & (1 << (c as u8 - b'a')) != 0
    }

    pub fn letters(&self) -> impl Iterator<Item = char> + '_ {
        (b'a'..=b'z').map(char::from).filter(|c| self.has(*c))
    }

    pub fn is_malformed(&self) -> bool {
        !self.unknown.is_empty() || !self.repeated.is_empty()
    }
}

/// The parameters of a SAS token, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SasParams {
    pub version: Option<String>,
    pub services: Option<Letters>,
    pub resource_types: Option<Letters>,
    /// `sr`: the signed resource (`b`, `c`, …) or, for Service Bus, the resource URI.
    pub resource: Option<String>,
    pub table: Option<String>,
    pub permissions: Option<Letters>,
    pub start: Option<TimeValue>,
    pub expiry: Option<TimeValue>,
    pub ip: Option<String>,
    pub protocol: Option<String>,
    pub policy: Option<String>,
    pub key_name: Option<String>,
    pub key_start: Option<TimeValue>,
    pub key_expiry: Option<TimeValue>,
    pub encryption_scope: Option<String>,
    pub directory_depth: Option<String>,
}

/// A live secret found in text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    pub kind: TokenKind,
    pub form: TokenForm,
    /// The whole construct: URL, query, connection string, header value or key.
    pub range: Range<usize>,
    /// The signature or key value, as written.
    pub secret: Range<usize>,
    /// The resource URL before the `?`, when the token is a URL.
    pub resource_url: Option<Range<usize>>,
    /// The SAS query (without the `?`), for SAS tokens.
    pub query: Option<Range<usize>>,
    pub account: Option<String>,
    pub host: Option<String>,
    /// Service Bus / IoT policy name (`skn` or `SharedAccessKeyName`).
    pub key_name: Option<String>,
    pub params: SasParams,
    /// A stable, non-reversible fingerprint of the secret (`sg1:` + 16 hex digits).
    pub fingerprint: String,
    /// Where the token is written in more than one piece (string literals joined by the
    /// language, continued or wrapped lines): `range`, `secret` and the other ranges then
    /// span the separators too.
    pub pieces: Option<Pieces>,
}

/// The pieces of a token written in several.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pieces {
    /// The token's text, piece by piece, in order (separators left out).
    pub ranges: Vec<Range<usize>>,
    /// Every piece is a string literal of one expression.
    pub literals: bool,
}

impl Token {
    /// The token's text, piece by piece.
    pub fn piece_ranges(&self) -> Vec<Range<usize>> {
        match &self.pieces {
            Some(p) => p.ranges.clone(),
            None => vec![self.range.clone()],
        }
    }

    /// The secret's text, piece by piece (none for a mint: there is no secret yet).
    pub fn secret_pieces(&self) -> Vec<Range<usize>> {
        if self.secret.is_empty() {
            return Vec::new();
        }
        self.within(&self.secret)
    }

    /// What the call would mint, when this is a call site rather than a token.
    pub fn mint(&self) -> Option<&super::mint::Mint> {
        match &self.form {
            TokenForm::Mint(m) => Some(m),
            _ => None,
        }
    }

    /// The parts of `r` (one of this token's ranges) that are text, not separators.
    pub fn within(&self, r: &Range<usize>) -> Vec<Range<usize>> {
        match &self.pieces {
            None => vec![r.clone()],
            Some(p) => p
                .ranges
                .iter()
                .filter_map(|q| {
                    let (s, e) = (q.start.max(r.start), q.end.min(r.end));
                    (s < e).then_some(s..e)
                })
                .collect(),
        }
    }

    /// Moves every range by `delta` bytes (the token's text moved in its document).
    pub fn shift(&mut self, delta: isize) {
        let mv = |r: &mut Range<usize>| {
            r.start = (r.start as isize + delta) as usize;
            r.end = (r.end as isize + delta) as usize;
        };
        mv(&mut self.range);
        mv(&mut self.secret);
        self.resource_url.iter_mut().chain(self.query.iter_mut()).for_each(mv);
        if let Some(p) = &mut self.pieces {
            p.ranges.iter_mut().for_each(mv);
        }
        if let TokenForm::Mint(m) = &mut self.form {
            m.sites.shift(delta);
        }
    }

    /// The text of `r` (one of this token's ranges) with the separators left out.
    pub fn text_of(&self, t: &[u8], r: &Range<usize>) -> Vec<u8> {
        self.within(r)
            .into_iter()
            .flat_map(|q| t.get(q).unwrap_or_default().iter().copied())
            .collect()
    }
}
