//! Az PowerShell: `New-AzStorageAccountSASToken`, `New-AzStorageContainerSASToken`,
//! `New-AzStorageBlobSASToken` and the Share, File, Queue and Table cmdlets (and the
//! Azure.Storage module's `New-AzureStorage…SASToken`, the same parameters), with
//! `-Service Blob,File`, `-ResourceType Service,Container,Object`, `-Permission "racwdl"`,
//! `-ExpiryTime (Get-Date).AddYears(30)`, `-Protocol HttpsOnly|HttpsOrHttp` ("The default
//! value is HttpsOrHttp", per the cmdlets' help) and `-Policy`. With no `-ExpiryTime`,
//! `-StartTime` or `-Policy` the token lasts one hour from now (the cmdlets' default).

use std::ops::Range;

use super::azcli::{assigned, assigned_literal, command_expiry, literal, words};
use super::letters::{self, ordered};
use super::syntax::is_ident_byte;
use super::{sites, Expiry, Facts, Protocol, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);

pub fn read(t: &[u8], anchor: Range<usize>, limit: usize) -> Option<Found> {
    if anchor.start > 0 && (is_ident_byte(t[anchor.start - 1]) || t[anchor.start - 1] == b'-') {
        return None;
    }
    let name = std::str::from_utf8(&t[anchor.clone()]).ok()?.to_string();
    let lower = name.to_ascii_lowercase();
    let what = lower
        .strip_prefix("new-azstorage")
        .or_else(|| lower.strip_prefix("new-azurestorage"))?
        .strip_suffix("sastoken")?
        .to_string();
    let kind = if what == "account" {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    };
    let mut f = Facts::new(kind);
    f.protocol_state = Protocol::Default;
    f.resource = match what.as_str() {
        "container" => Some("c".into()),
        "blob" => Some("b".into()),
        "share" => Some("s".into()),
        "file" => Some("f".into()),
        _ => None,
    };
    let words = words(t, anchor.end, limit);
    // A cmdlet named in prose is no call.
    if !words.iter().any(|(_, w)| w.starts_with('-')) {
        return None;
    }
    let mut end = anchor.end;
    // Whether the command may set the lifetime: `-ExpiryTime`, `-StartTime`, `-Policy`, or
    // parameters the text does not show (a splatted hashtable, a variable).
    let mut lifetime_set = false;
    let mut i = 0;
    while i < words.len() {
        let (r, w) = &words[i];
        end = r.end;
        if !w.starts_with('-') {
            // A splatted hashtable or a variable may hold more parameters.
            if w.starts_with('@') || w.starts_with('$') {
                f.protocol_state = Protocol::Unknown;
                lifetime_set = true;
            }
            i += 1;
            continue;
        }
        let flag = w.trim_end_matches(':').to_ascii_lowercase();
        lifetime_set |= matches!(flag.as_str(), "-expirytime" | "-starttime" | "-policy");
        let mut written = r.clone();
        let value = match words.get(i + 1) {
            Some((vr, v)) if !v.starts_with('-') => {
                end = vr.end;
                written = vr.clone();
                i += 1;
                Some(v.clone())
            }
            _ => None,
        };
        // A name set before the call (`-ExpiryTime $EndTime`): the value assigned to it.
        let def = value.as_ref().and_then(|_| assigned(t, &written));
        let value = def.as_ref().map(|(v, _)| v.clone()).or(value);
        let fixed = value
            .as_deref()
            .and_then(literal)
            .filter(|v| def.is_none() || assigned_literal(v));
        let list = |v: Option<String>, one: fn(&str) -> Option<char>, order: &str| -> Option<String> {
            let v = v?;
            let cs: Option<Vec<char>> = v.split(',').map(|p| one(p.trim().trim_matches(['"', '\'']))).collect();
            Some(ordered(&cs?, order))
        };
        match flag.as_str() {
            "-service" => f.services = list(fixed, letters::service, "bfqt"),
            "-resourcetype" => f.resource_types = list(fixed, letters::resource_type, "sco"),
            "-permission" => f.permissions = fixed.filter(|v| letters::is_letters(v)),
            "-expirytime" => {
                if let Some(v) = value.as_deref() {
                    (f.expiry, f.sites.duration) = command_expiry(t, &written, v, def.as_ref().map(|d| &d.1));
                }
            }
            "-starttime" => f.start = fixed,
            "-ipaddressorrange" => f.ip = fixed,
            "-protocol" => {
                f.sites.https_only = None;
                match fixed.as_deref().map(str::to_ascii_lowercase).as_deref() {
                    Some("httpsonly") => {
                        f.protocol = Some("https".into());
                        f.protocol_state = Protocol::Given;
                    }
                    Some("httpsorhttp") => {
                        let v = fixed.as_deref().unwrap_or_default();
                        f.sites.https_only = sites::value_offset(&t[written.clone()], v)
                            .filter(|_| def.is_none())
                            .map(|at| (written.start + at..written.start + at + v.len(), "HttpsOnly".into()));
                        f.protocol = Some("https,http".into());
                        f.protocol_state = Protocol::Given;
                    }
                    _ => f.protocol_state = Protocol::Unknown,
                }
            }
            "-policy" => f.policy = fixed,
            "-name" | "-tablename" if what == "table" => f.table = fixed,
            _ => {}
        }
        i += 1;
    }
    if f.protocol_state == Protocol::Default && sites::command_ends_at(t, end) {
        f.sites.https_only = Some((end..end, " -Protocol HttpsOnly".into()));
    }
    // With neither, the cmdlets sign for one hour from now (`SasTokenHelper
    // .SetupAccessPolicyLifeTime`: "defaultLifeTime = 1.0; //Hours").
    if !lifetime_set {
        f.expiry = Expiry::In(3600);
    }
    if what == "table" && f.table.is_none() {
        f.table = Some("(named in the command)".into());
    }
    if f.policy.is_some() && kind == TokenKind::ServiceSas {
        f.kind = TokenKind::StoredPolicySas;
    }
    Some((anchor.start..end, Surface::Powershell, name, f))
}
