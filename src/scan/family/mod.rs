//! The wider SAS family: tokens and keys of Azure services other than Storage and Service
//! Bus that are signed or checked the same way (an HMAC key, a signature, an expiry).
//! Each runs only when its cue is in the extent, and a token found here takes the place of
//! any token the storage and Service Bus parsers found for the same secret (an IoT device
//! key is not a policy key, a Cosmos DB key is not a storage key).

mod apim;
mod connstr;
mod cosmos_token;
mod event_grid;
mod logic_apps;
pub mod value;

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use super::token::Token;

/// Cues that a family member may be in an extent. Only these extents are parsed again.
const CUES: &str = r"(?i)sv(?:=|%3d)1\.0|triggers|&sn=|integration&|eventgrid\.azure|aeg-sas-|type(?:=|%3d|%253d)(?:master|resource)|accountendpoint|deviceid|accesskey|\.table\.cosmos";

const LOGIC: u8 = 1;
const APIM: u8 = 2;
const EVENT_GRID: u8 = 4;
const COSMOS_TOKEN: u8 = 8;
const CONN: u8 = 16;

fn cue_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(CUES).expect("cue pattern is valid"))
}

fn cues(t: &[u8], extent: Range<usize>) -> u8 {
    let mut found = 0u8;
    for m in cue_re().find_iter(&t[extent]) {
        let head: Vec<u8> = m.as_bytes().iter().take(3).map(u8::to_ascii_lowercase).collect();
        found |= match head.as_slice() {
            [b's', b'v', ..] | b"tri" => LOGIC,
            b"&sn" | b"int" => APIM,
            b"eve" | b"aeg" => EVENT_GRID,
            b"typ" => COSMOS_TOKEN,
            // `accountendpoint`, `accesskey`, `deviceid`, `.table.cosmos`.
            _ => CONN,
        };
        if found == LOGIC | APIM | EVENT_GRID | COSMOS_TOKEN | CONN {
            break;
        }
    }
    found
}

/// The prefilter's anchors that only family members hold: no bare key follows them.
pub const ANCHORS: [&[u8]; 4] = [
    b"eventgrid.azure",
    b"aeg-sas-",
    b"SharedAccessSignature ",
    b"integration&",
];

pub fn is_family_anchor(matched: &[u8]) -> bool {
    ANCHORS.iter().any(|a| a.eq_ignore_ascii_case(matched))
}

/// Finds the family members in `extent`; they replace the tokens found since `before`
/// whose secret they share.
pub fn scan_extent(t: &[u8], extent: Range<usize>, out: &mut Vec<Token>, before: usize) {
    let mut found = Vec::new();
    // `SharedAccessSignature uid=…&ex=…&sn=…`: the header value follows the scheme's space,
    // outside the extent.
    if t.get(extent.end) == Some(&b' ') && value::preceded_by(t, extent.end, b"SharedAccessSignature") {
        let header_value = crate::scan::params::expand(t, extent.end + 1);
        if cues(t, header_value.clone()) & APIM != 0 {
            apim::scan(t, header_value, &mut found);
        }
    }
    let cues = cues(t, extent.clone());
    if cues == 0 && found.is_empty() {
        return;
    }
    if cues & LOGIC != 0 {
        logic_apps::scan(t, extent.clone(), &mut found);
    }
    if cues & APIM != 0 {
        apim::scan(t, extent.clone(), &mut found);
    }
    if cues & EVENT_GRID != 0 {
        event_grid::scan(t, extent.clone(), &mut found);
    }
    if cues & COSMOS_TOKEN != 0 {
        cosmos_token::scan(t, extent.clone(), &mut found);
    }
    if cues & CONN != 0 {
        connstr::scan(t, extent, &mut found);
    }
    if found.is_empty() {
        return;
    }
    let mut claimed: Vec<Range<usize>> = found.iter().map(|t| t.secret.clone()).collect();
    claimed.sort_by_key(|r| r.start);
    let overlaps = |s: &Range<usize>| {
        // The first claimed range that ends after `s` starts is the only one that can overlap.
        let i = claimed.partition_point(|c| c.end <= s.start);
        claimed.get(i).is_some_and(|c| c.start < s.end)
    };
    let mut kept: Vec<Token> = out.drain(before..).filter(|tok| !overlaps(&tok.secret)).collect();
    out.append(&mut kept);
    out.extend(found);
}
