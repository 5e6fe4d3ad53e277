//! Where the value assigned to a key-like name starts: after `=`, `:`, `:=`, `=>` and any
//! alignment (`ACCOUNT_KEY        =     "…"`), on the same line or up to two lines down
//! (`accountKey =\n    "…"`, black's `account_key=(\n    "…"\n)`, YAML `accountKey: >-`);
//! after a space for command-line options (`--account-key <key>`); inside XML
//! (`<AccountKey>…`) and .NET settings (`<add key="AccountKey" value="…"/>`).

use super::literal::skip_space;
use super::name::KeyName;

/// Bytes between a name and its `=`/`:`; bytes between that and the value.
const MAX_GAP: usize = 64;
const MAX_LEAD: usize = 128;
/// Line breaks allowed between the assignment and the value.
const MAX_BREAKS: usize = 2;

/// The offset where the value assigned to `name` starts.
pub fn value_start(t: &[u8], name: &KeyName) -> Option<usize> {
    let mut i = name.range.end;
    let xml = name.range.start > 0 && t[name.range.start - 1] == b'<';
    let limit = (i + MAX_GAP).min(t.len());
    let mut assigned = false;
    while i < limit {
        match t[i] {
            b' ' | b'\t' | b'"' | b'\'' | b'\\' | b']' => i += 1,
            b':' | b'=' => {
                assigned = true;
                i += 1;
            }
            b'>' if assigned || xml => {
                assigned = true;
                i += 1;
            }
            b'v' | b'V' if !assigned && t[name.range.end..i].contains(&b'"') => {
                // `<add key="AccountKey" value="…"/>`
                if t.get(i..i + 6).is_some_and(|v| v.eq_ignore_ascii_case(b"value=")) {
                    assigned = true;
                    i += 6;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    if !assigned {
        // An option's value follows a space on the same line.
        return (name.option && i > name.range.end && i < t.len()).then_some(i);
    }
    if name.option {
        return Some(i);
    }
    let limit = (i + MAX_LEAD).min(t.len());
    let mut breaks = MAX_BREAKS;
    while i < limit {
        let (j, left) = skip_space(t, i, breaks);
        breaks = left;
        i = j;
        match t.get(i) {
            Some(b'"' | b'\'' | b'`' | b'(' | b'@' | b'|' | b'>' | b'-') => i += 1,
            _ => break,
        }
    }
    (i < limit).then_some(i)
}
