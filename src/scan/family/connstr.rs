//! Connection strings of the family, told apart by their fields and endpoint:
//! - IoT Hub device and module: `HostName=<hub>.azure-devices.net;DeviceId=<d>[;ModuleId=<m>];SharedAccessKey=<32 bytes>`;
//! - Cosmos DB: `AccountEndpoint=https://<account>.documents.azure.com:443/;AccountKey=<64 bytes>;`,
//!   and its Table API written like storage (`…;AccountKey=…;TableEndpoint=https://<account>.table.cosmos.azure.com:443/;`);
//! - SignalR Service and Web PubSub: `Endpoint=https://<name>.service.signalr.net;AccessKey=<key>;Version=1.0;`
//!   (`<name>.webpubsub.azure.com`), the key 32 bytes of base64 or an 84-character annotated key;
//! - Communication Services: `endpoint=https://<name>.communication.azure.com/;accesskey=<key>`,
//!   the key 64 bytes of base64 or an 84-character annotated key.

use std::ops::Range;

use super::value::{is_annotated_key, live_base64};
use crate::redact::{sanitize_known, Known};
use crate::scan::connstr::key_token;
use crate::scan::decode::{decode_lossy, decode_value};
use crate::scan::host::host_and_account;
use crate::scan::params::{signature_end, split_fields};
use crate::scan::token::{Token, TokenKind};

/// Field names of the connection strings read here (compared in any case).
const KEYS: &[&str] = &[
    "accountendpoint",
    "accountkey",
    "endpoint",
    "accesskey",
    "version",
    "port",
    "clientendpoint",
    "serverendpoint",
    "authtype",
    "hostname",
    "deviceid",
    "moduleid",
    "sharedaccesskey",
    "sharedaccesskeyname",
    "gatewayhostname",
    "database",
    "transporttype",
    "defaultendpointsprotocol",
    "accountname",
    "tableendpoint",
    "endpointsuffix",
];

struct Conn {
    fields: Vec<(usize, Range<usize>, Range<usize>)>,
}

impl Conn {
    fn get(&self, name: &str) -> Option<Range<usize>> {
        let i = KEYS.iter().position(|k| *k == name)?;
        self.fields.iter().find(|f| f.0 == i).map(|f| f.2.clone())
    }

    fn range(&self) -> Range<usize> {
        self.fields[0].1.start..self.fields[self.fields.len() - 1].2.end
    }
}

/// The key index and the key and value ranges of a `Key=Value` field, after any assignment
/// prefix (`COSMOS=AccountEndpoint=…`).
fn key_value(t: &[u8], field: Range<usize>) -> Option<(usize, Range<usize>, Range<usize>)> {
    let mut start = field.start;
    loop {
        let eq = (start..field.end).find(|&i| t[i] == b'=')?;
        let key = &t[start..eq];
        if let Some(i) = KEYS.iter().position(|k| k.as_bytes().eq_ignore_ascii_case(key)) {
            return Some((i, start..eq, eq + 1..field.end));
        }
        if !key
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        {
            return None;
        }
        start = eq + 1;
    }
}

fn conns(t: &[u8], extent: Range<usize>) -> Vec<Conn> {
    let mut out = Vec::new();
    let mut cur = Conn { fields: Vec::new() };
    for f in split_fields(t, extent) {
        if f.is_empty() {
            continue;
        }
        match key_value(t, f) {
            Some(kv) => {
                if cur.fields.iter().any(|x| x.0 == kv.0) {
                    out.push(std::mem::replace(&mut cur, Conn { fields: Vec::new() }));
                }
                cur.fields.push(kv);
            }
            None if !cur.fields.is_empty() => out.push(std::mem::replace(&mut cur, Conn { fields: Vec::new() })),
            None => {}
        }
    }
    if !cur.fields.is_empty() {
        out.push(cur);
    }
    out
}

pub fn scan(t: &[u8], extent: Range<usize>, out: &mut Vec<Token>) {
    for c in conns(t, extent) {
        if let Some(tok) = iot(t, &c).or_else(|| cosmos(t, &c)).or_else(|| access_key(t, &c)) {
            out.push(tok);
        }
    }
}

fn text(t: &[u8], r: Range<usize>) -> String {
    decode_lossy(&t[r])
}

fn key_range(t: &[u8], v: Range<usize>) -> Range<usize> {
    v.start..signature_end(t, v.clone())
}

fn is_local(host: &str) -> bool {
    host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host.ends_with(".localhost")
}

fn iot(t: &[u8], c: &Conn) -> Option<Token> {
    let device = c.get("deviceid")?;
    if c.get("sharedaccesskeyname").is_some() {
        return None;
    }
    let secret = key_range(t, c.get("sharedaccesskey")?);
    let key = live_base64(t, secret.clone(), 32)?;
    let hub = c.get("hostname").map(|h| text(t, h).to_ascii_lowercase());
    let known = Known::new([key.as_bytes()]);
    let clean = |v: String| sanitize_known(&v, &known);
    let device = clean(text(t, device));
    let (kind, name) = match c.get("moduleid") {
        Some(m) => (TokenKind::IotModuleKey, format!("{device}/{}", clean(text(t, m)))),
        None => (TokenKind::IotDeviceKey, device),
    };
    let account = hub.as_deref().and_then(|h| h.split('.').next()).map(str::to_string);
    Some(key_token(
        kind,
        c.range(),
        secret,
        &key,
        hub.map(clean),
        account.map(clean),
        Some(name),
    ))
}

/// Cosmos DB's Table API endpoints: its connection strings are written like storage's.
fn is_cosmos_table_host(h: &str) -> bool {
    h.contains(".table.cosmos.") || h.contains(".table.cosmosdb.")
}

fn cosmos(t: &[u8], c: &Conn) -> Option<Token> {
    let endpoint = match c.get("accountendpoint") {
        Some(e) => text(t, e),
        None => text(t, c.get("tableendpoint")?),
    };
    let (host, _) = host_and_account(endpoint.as_bytes());
    let host = host?;
    if is_local(&host) || (c.get("accountendpoint").is_none() && !is_cosmos_table_host(&host)) {
        return None;
    }
    let secret = key_range(t, c.get("accountkey")?);
    let key = live_base64(t, secret.clone(), 64)?;
    let known = Known::new([key.as_bytes()]);
    let account = host.split('.').next().map(|a| sanitize_known(a, &known));
    let db = c.get("database").map(|d| sanitize_known(&text(t, d), &known));
    Some(key_token(
        TokenKind::CosmosAccountKey,
        c.range(),
        secret,
        &key,
        Some(sanitize_known(&host, &known)),
        account,
        db,
    ))
}

fn access_key(t: &[u8], c: &Conn) -> Option<Token> {
    let endpoint = text(t, c.get("endpoint")?);
    let (host, _) = host_and_account(endpoint.as_bytes());
    let host = host?;
    let kind = if host.ends_with(".service.signalr.net")
        || host.ends_with(".signalr.azure.cn")
        || host.ends_with(".signalr.azure.us")
    {
        TokenKind::SignalRKey
    } else if host.ends_with(".webpubsub.azure.com")
        || host.ends_with(".webpubsub.azure.cn")
        || host.ends_with(".webpubsub.azure.us")
    {
        TokenKind::WebPubSubKey
    } else if host.ends_with(".communication.azure.com") || host.ends_with(".communication.azure.us") {
        TokenKind::CommunicationKey
    } else {
        return None;
    };
    let secret = key_range(t, c.get("accesskey")?);
    let bytes = if kind == TokenKind::CommunicationKey { 64 } else { 32 };
    let key = live_base64(t, secret.clone(), bytes)
        .or_else(|| decode_value(&t[secret.clone()]).filter(|k| is_annotated_key(k)))?;
    let known = Known::new([key.as_bytes()]);
    let account = host.split('.').next().map(|a| sanitize_known(a, &known));
    let mut tok = key_token(
        kind,
        c.range(),
        secret,
        &key,
        Some(sanitize_known(&host, &known)),
        account,
        None,
    );
    tok.params.protocol = endpoint.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    Some(tok)
}
