//! Keys passed by position to the constructors and helpers that take them:
//! `new StorageCredentials("acct", "<key>")` (.NET legacy), `StorageSharedKeyCredential`
//! (.NET, Java, JS), `NewSharedKeyCredential` (Go), `AzureNamedKeyCredential` (Python,
//! .NET, JS, Java: a storage key or a Service Bus key), `StorageCredentialsAccountAndKey`
//! (Java legacy), `StorageCredentials::access_key(account, key)` (Rust), `createBlobService`
//! (Node legacy), `azure::storage::storage_credentials(name, key)` (C++ legacy),
//! `TokenProvider.CreateSharedAccessSignatureTokenProvider(rule, key)` (.NET Service Bus,
//! Relay; Java `new SharedAccessSignatureTokenProvider(rule, key, ttl)`),
//! `BlobServiceClient(url, "<key>")` and `credential="<key>"` (Python). The key is the
//! second argument of each.

use std::ops::Range;

use super::literal::{literal_at, skip_space};
use super::nearby::{account_near, storage_context};
use crate::scan::connstr::{key_token, live_key};
use crate::scan::is_emulator_account;
use crate::scan::token::{Token, TokenKind};

/// What a call takes at its key position.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Takes {
    /// A storage account key; the first argument is the account.
    Storage,
    /// A storage key (first argument: account) or a Service Bus key (first: rule name).
    Named,
    /// A Service Bus key; the first argument is the rule name.
    ServiceBus,
}

/// Longest argument list read, in bytes; deepest nesting inside an argument.
const MAX_ARGS: usize = 384;
const MAX_DEPTH: usize = 3;
/// Line breaks allowed inside the argument list.
const MAX_BREAKS: usize = 3;

/// The call an anchor starts, with the offset of its `(`: `None` when the anchor is only
/// a type name or another method (`StorageCredentials::sas_token(…)`).
fn call_of(t: &[u8], anchor: Range<usize>) -> Option<(Takes, usize)> {
    let name = t[anchor.clone()].to_ascii_lowercase();
    let rest = &t[anchor.end..];
    let after = |tails: &[&[u8]]| {
        tails.iter().find_map(|tail| {
            let n = tail.len();
            (rest.len() >= n && rest[..n].eq_ignore_ascii_case(tail)).then_some(anchor.end + n)
        })
    };
    let (takes, mut i) = match name.as_slice() {
        b"storagecredentials" | b"storage_credentials" => (
            Takes::Storage,
            after(&[b"accountandkey", b"::access_key", b"::key", b""])?,
        ),
        b"sharedkeycredential"
        | b"createblobservice"
        | b"createqueueservice"
        | b"createtableservice"
        | b"createfileservice"
        | b"serviceclient" => (Takes::Storage, anchor.end),
        b"namedkeycredential" => (Takes::Named, anchor.end),
        b"sharedaccesssignaturetokenprovider" => (Takes::ServiceBus, anchor.end),
        _ => return None,
    };
    // C++ `std::make_shared<StorageSharedKeyCredential>(…)` and `storage_credentials c(…)`.
    let skip = |mut i: usize, ident: bool| {
        while i < t.len()
            && (matches!(t[i], b' ' | b'\t' | b'>') || (ident && (t[i].is_ascii_alphanumeric() || t[i] == b'_')))
        {
            i += 1;
        }
        i
    };
    let j = skip(i, false);
    // A declared name, after a space (`ServiceClientCredentials(` is another type).
    i = if j > i && t.get(j).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        skip(j, true)
    } else {
        j
    };
    (t.get(i) == Some(&b'(')).then_some((takes, i))
}

/// One argument: its single string literal, when it has exactly one.
struct Arg {
    literal: Option<Range<usize>>,
}

/// The arguments of the call whose `(` is at `open`, up to its `)`; `None` when the list
/// is cut off (budget, nesting, a statement end).
fn arguments(t: &[u8], open: usize) -> Option<Vec<Arg>> {
    let limit = (open + 1 + MAX_ARGS).min(t.len());
    let mut args = Vec::new();
    let mut i = open + 1;
    let mut breaks = MAX_BREAKS;
    let mut depth = 0usize;
    let mut literals: Vec<Range<usize>> = Vec::new();
    while i < limit {
        let b = t[i];
        match b {
            b'"' | b'\'' | b'`' => {
                let (content, next) = literal_at(t, i)?;
                literals.push(content);
                i = next;
                continue;
            }
            b'\n' => {
                breaks = breaks.checked_sub(1)?;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return None;
                }
            }
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b',' | b')' if depth == 0 => {
                let literal = (literals.len() == 1).then(|| literals[0].clone());
                args.push(Arg { literal });
                literals.clear();
                if b == b')' {
                    return Some(args);
                }
            }
            b';' | b'}' if depth == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// An account name as the storage service allows it (3–24 lowercase letters and digits).
fn account_name(s: &[u8]) -> bool {
    (3..=24).contains(&s.len()) && s.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The key a call anchored at `anchor` passes by position, if it is a live literal.
pub fn scan_call(t: &[u8], anchor: Range<usize>) -> Option<Token> {
    let (takes, open) = call_of(t, anchor)?;
    let args = arguments(t, open)?;
    let key = args.get(1)?.literal.clone()?;
    let first = args[0].literal.clone().map(|r| &t[r]);
    if first.is_some_and(|f| is_emulator_account(&String::from_utf8_lossy(f))) {
        return None;
    }
    let name = first.map(|f| String::from_utf8_lossy(f).into_owned());
    match takes {
        Takes::Storage => storage_key(t, key, name),
        Takes::Named => storage_key(t, key.clone(), name.clone()).or_else(|| service_bus_key(t, key, name)),
        Takes::ServiceBus => service_bus_key(t, key, name),
    }
}

fn storage_key(t: &[u8], key: Range<usize>, first: Option<String>) -> Option<Token> {
    let live = live_key(t, key.clone(), 64)?;
    let account = first
        .filter(|f| account_name(f.as_bytes()))
        .or_else(|| account_near(t, key.clone()));
    Some(bare(TokenKind::StorageAccountKey, key, &live, account, None))
}

fn service_bus_key(t: &[u8], key: Range<usize>, rule: Option<String>) -> Option<Token> {
    let live = live_key(t, key.clone(), 32)?;
    let rule = rule.filter(|r| !r.is_empty() && r.len() <= 256);
    Some(bare(TokenKind::SharedAccessKey, key, &live, None, rule))
}

/// A key standing alone at `key` (its whole token).
fn bare(kind: TokenKind, key: Range<usize>, live: &str, account: Option<String>, rule: Option<String>) -> Token {
    key_token(kind, key.clone(), key, live, None, account, rule)
}

/// Python's `credential="<key>"` (a keyword of every storage client): a storage key when
/// a client call or Azure context is near.
pub fn scan_credential(t: &[u8], anchor: Range<usize>) -> Option<Token> {
    if anchor.start > 0 && (t[anchor.start - 1].is_ascii_alphanumeric() || t[anchor.start - 1] == b'_') {
        return None;
    }
    let (i, _) = skip_space(t, anchor.end, 0);
    if t.get(i) != Some(&b'=') || t.get(i + 1) == Some(&b'=') {
        return None;
    }
    let (i, _) = skip_space(t, i + 1, 1);
    let (key, _) = literal_at(t, i)?;
    let live = live_key(t, key.clone(), 64)?;
    if !storage_context(t, key.clone(), &[b"Client(", b"client("]) {
        return None;
    }
    let account = account_near(t, key.clone());
    Some(bare(TokenKind::StorageAccountKey, key, &live, account, None))
}
