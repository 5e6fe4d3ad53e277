//! What a name says about the key assigned to it: `AZURE_STORAGE_KEY` and `accountKey`
//! name a storage key, `SharedAccessKey` and `SERVICEBUS_KEY` a Service Bus key, a bare
//! `access_key` or `key` says nothing (it needs Azure context nearby), and `AWS_SECRET_ACCESS_KEY`
//! or `SESSION_STORAGE_KEY` name someone else's secret.

use std::ops::Range;

/// What kind of key a name holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NameKind {
    /// A storage account key (64 bytes), no context needed.
    Storage,
    /// A Service Bus / Event Hubs / Relay / IoT Hub key (32 bytes).
    ServiceBus,
    /// A storage key only with Azure context nearby (`access_key`).
    Generic,
    /// Someone else's secret (`AWS_SECRET_ACCESS_KEY`): only a key that carries the
    /// `+ASt` marker counts.
    Foreign,
}

/// A key-like name around a prefilter match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyName {
    /// The whole name as written (`AZURE_STORAGE_ACCESS_KEY`, `--account-key`).
    pub range: Range<usize>,
    /// A command-line option (`--account-key`, `-StorageAccountKey`): its value may follow
    /// after a space.
    pub option: bool,
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$')
}

/// Longest name looked at, either side of the match.
const MAX_NAME: usize = 64;

/// Words that make a name another vendor's: other clouds and object stores.
const VENDORS: &[&str] = &[
    "aws",
    "amazon",
    "s3",
    "minio",
    "gcs",
    "gcp",
    "google",
    "spaces",
    "digitalocean",
    "wasabi",
    "r2",
    "cloudflare",
    "backblaze",
    "b2",
    "oss",
    "aliyun",
    "alibaba",
    "tencent",
    "cos",
    "ibm",
    "oci",
    "oracle",
    "linode",
];

/// Words that make a name another purpose's (browser storage, sessions, keys that sign or
/// encrypt rather than open an account), unless the name also says `azure`.
const PURPOSES: &[&str] = &[
    "jwt",
    "session",
    "local",
    "localstorage",
    "sessionstorage",
    "browser",
    "cache",
    "secret",
    "hmac",
    "encryption",
    "encrypt",
    "crypto",
    "signing",
];

/// Words after `key` that make the name another thing's (`accountKeyName`,
/// `storageKeyPrefix`, `accountKeyHash`); others (`_1`, `Primary`, `_PROD`) keep it a key's.
const NOT_THE_KEY: &[&str] = &[
    "name",
    "names",
    "id",
    "ids",
    "prefix",
    "suffix",
    "path",
    "file",
    "vault",
    "ref",
    "uri",
    "url",
    "type",
    "length",
    "len",
    "var",
    "variable",
    "setting",
    "settings",
    "param",
    "field",
    "header",
    "label",
    "hash",
    "sha",
    "digest",
    "fingerprint",
    "version",
    "location",
    "source",
    "expiry",
    "expiration",
    "rotation",
    "policy",
    "permission",
    "permissions",
];

/// Words of a name: split at `_ - . $` and at lower-to-upper and letter-to-digit changes.
fn words(name: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: u8 = 0;
    for &b in name {
        if !b.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev = 0;
            continue;
        }
        let split = (prev.is_ascii_lowercase() && b.is_ascii_uppercase())
            || (prev.is_ascii_alphabetic() && b.is_ascii_digit())
            || (prev.is_ascii_digit() && b.is_ascii_alphabetic());
        if split && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(b.to_ascii_lowercase() as char);
        prev = b;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter().flat_map(split_run_together).collect()
}

/// Words a name may run together in lower case (`azurestorageaccountkey`, as Kubernetes
/// secrets for Azure Files spell it).
const VOCABULARY: &[&str] = &[
    "key", "account", "storage", "access", "shared", "azure", "sas", "bus", "service", "hubs", "hub", "event",
];

/// Splits known words off the end of a word: `azurestorageaccountkey` → `azure storage
/// account key`. A word that does not end in a known one stays whole.
fn split_run_together(word: String) -> Vec<String> {
    let mut tail = Vec::new();
    let mut rest = word.as_str();
    while let Some(w) = VOCABULARY.iter().find(|w| rest.len() > w.len() && rest.ends_with(*w)) {
        tail.push(w.to_string());
        rest = &rest[..rest.len() - w.len()];
        if VOCABULARY.contains(&rest) {
            tail.push(rest.to_string());
            rest = "";
            break;
        }
    }
    if tail.is_empty() {
        return vec![word];
    }
    let mut out: Vec<String> = Vec::new();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out.extend(tail.into_iter().rev());
    out
}

/// The name around the match `anchor` (up to 64 bytes either side); a match that runs on
/// past the name (`key:`) counts up to its end.
pub fn key_name(t: &[u8], anchor: Range<usize>) -> KeyName {
    let within = t[anchor.clone()].iter().position(|&b| !is_name_byte(b));
    let anchor = anchor.start..within.map_or(anchor.end, |i| anchor.start + i);
    let mut start = anchor.start;
    while start > 0 && anchor.start - start < MAX_NAME && is_name_byte(t[start - 1]) {
        start -= 1;
    }
    let mut end = anchor.end;
    while end < t.len() && end - anchor.end < MAX_NAME && is_name_byte(t[end]) && t[end] != b'.' {
        end += 1;
    }
    let option = t[start] == b'-' && (start == 0 || matches!(t[start - 1], b' ' | b'\t' | b'\n'));
    KeyName {
        range: start..end,
        option,
    }
}

impl KeyName {
    /// What kind of key the name holds, read word by word (a dotted path counts whole:
    /// `azure.storage.account-key`); `None` when it is not a key's name (`accountKeyName`,
    /// `storageKeyPrefix`).
    pub fn kind(&self, t: &[u8]) -> Option<NameKind> {
        let w = words(&t[self.range.clone()]);
        let key_at = w.iter().rposition(|x| x == "key")?;
        if w[key_at + 1..].iter().any(|x| NOT_THE_KEY.contains(&x.as_str())) {
            return None;
        }
        let before = &w[..key_at];
        let has = |s: &str| before.iter().any(|x| x == s);
        let ends = |pair: &[&str]| before.len() >= pair.len() && before[before.len() - pair.len()..] == *pair;
        let service_bus = ends(&["shared", "access"])
            || has("servicebus")
            || (has("service") && has("bus"))
            || has("eventhub")
            || has("eventhubs")
            || (has("event") && (has("hub") || has("hubs")));
        let vendor = before.iter().any(|x| VENDORS.contains(&x.as_str()));
        let purpose = before.iter().any(|x| PURPOSES.contains(&x.as_str()));
        let kind = if vendor || (purpose && !has("azure")) {
            NameKind::Foreign
        } else if service_bus {
            NameKind::ServiceBus
        } else if ["azure", "account", "storage", "blob", "datalake", "adls"]
            .iter()
            .any(|x| has(x))
        {
            NameKind::Storage
        } else if ends(&["access"]) || before.is_empty() {
            NameKind::Generic
        } else {
            return None;
        };
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> Option<NameKind> {
        let t = name.as_bytes();
        let lower = name.to_ascii_lowercase();
        let at = [
            "account",
            "storage",
            "shared",
            "access",
            "servicebus",
            "service_bus",
            "eventhub",
        ]
        .iter()
        .filter_map(|a| lower.find(a))
        .min()
        .unwrap_or(0);
        key_name(t, at..at + 3).kind(t)
    }

    #[test]
    fn names_are_read_word_by_word() {
        use NameKind::*;
        for (name, want) in [
            ("AZURE_STORAGE_KEY", Some(Storage)),
            ("STORAGE_ACCOUNT_KEY", Some(Storage)),
            ("accountKey", Some(Storage)),
            ("AccountKey", Some(Storage)),
            ("--account-key", Some(Storage)),
            ("-StorageAccountKey", Some(Storage)),
            ("AZURE_STORAGE_ACCESS_KEY", Some(Storage)),
            ("storageKey1", Some(Storage)),
            ("SharedAccessKey", Some(ServiceBus)),
            ("SERVICEBUS_KEY", Some(ServiceBus)),
            ("SERVICE_BUS_SHARED_ACCESS_KEY", Some(ServiceBus)),
            ("EVENTHUB_KEY", Some(ServiceBus)),
            ("access_key", Some(Generic)),
            ("ACCESS_KEY", Some(Generic)),
            ("JWT_ACCESS_KEY", Some(Foreign)),
            ("MINIO_ACCESS_KEY", Some(Foreign)),
            ("SESSION_STORAGE_KEY", Some(Foreign)),
            ("AWS_SECRET_ACCESS_KEY", Some(Foreign)),
            ("localStorageKey", Some(Foreign)),
            ("AZURE_STORAGE_SECRET_KEY", Some(Storage)),
            ("azurestorageaccountkey", Some(Storage)),
            ("servicebuskey", Some(ServiceBus)),
            ("accesskey", Some(Generic)),
            ("key", Some(Generic)),
            ("primaryKey", None),
            ("monkey", None),
            ("AZURE_AWS_SECRET_KEY", Some(Foreign)),
            ("accountKeyName", None),
            ("storageKeyPrefix", None),
            ("accountKeyHash", None),
            ("AZURE_STORAGE_KEY_PROD", Some(Storage)),
            ("accountKeyPrimary", Some(Storage)),
        ] {
            assert_eq!(kind(name), want, "{name}");
        }
    }
}
