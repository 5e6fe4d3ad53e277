//! Bicep and ARM JSON: `listAccountSas(…)` and `listServiceSas(…)`, the template functions
//! that ask the storage resource provider to sign a SAS (REST `AccountSasParameters`:
//! `signedServices`, `signedResourceTypes`, `signedPermission`, `signedStart`,
//! `signedExpiry`, `signedProtocol`, `signedIp`, `keyToSign`; `ServiceSasParameters`:
//! `canonicalizedResource`, `signedResource`, `signedPermission`, `signedIdentifier`, the
//! same times, protocol and IP).
//!
//! Read: Bicep's function form `listAccountSas(sa.id, '2023-01-01', { … })`, its method
//! form `sa.listAccountSas('2023-01-01', { … })`, and ARM's
//! `"[listAccountSas(resourceId(…), '2023-01-01', createObject('signedServices', 'b', …))…]"`.
//! The API version must be a literal date string: that tells a template from an SDK's
//! `listAccountSas(resourceGroup, account, parameters)`. A properties object in a Bicep
//! `var` before the call (within the ordinary reach), or in an ARM template's
//! `"variables"` section up to [`super::TEMPLATE_BACK_REACH`] before it
//! (`variables('sasProps')`), is read; one in a parameter is unknown, default or not (a
//! deployment may pass another). Bicep members naming a `var` are read from it. `signedExpiry` is a literal time, or
//! `dateTimeAdd(utcNow(), 'P30Y')`; `utcNow()` is valid only as a parameter's default, so
//! a parameter declared within the call's reach before it as `param t string = utcNow()`
//! (ARM: `"t": {"type": "string", "defaultValue": "[utcNow()]"}`) is now too. No
//! `signedProtocol` is left unknown: the resource provider signs the token, and whether it
//! then writes `spr` was not verified.
//!
//! A call whose value is a deployment output (Bicep `output x string = …`, not `@secure()`;
//! an ARM `outputs` entry's `value`) is marked: the deployment history keeps outputs.

use std::ops::Range;

use regex::bytes::Regex;

use super::syntax::{
    arguments, close_of, ident_at, is_ident_byte, segments, skip_string, skip_ws, string_value, trim_range,
};
use super::{Expiry, Facts, Surface};
use crate::scan::token::TokenKind;

type Found = (Range<usize>, Surface, String, Facts);
/// A property's name and its value's range.
type Pair = (String, Range<usize>);

/// `t` starts at `base` of the scanned text; the call's ordinary reach starts at `near` in
/// `t` (later than `t`'s start for an ARM call, which reads its `variables` from farther).
pub fn read(
    t: &[u8],
    anchor: Range<usize>,
    limit: usize,
    base: usize,
    near: usize,
    vars: &mut ArmVars,
) -> Option<Found> {
    let name = std::str::from_utf8(&t[anchor.clone()]).ok()?;
    // ARM's functions are case-insensitive (`ListAccountSas`).
    let account = name.eq_ignore_ascii_case("listAccountSas");
    let before = anchor.start.checked_sub(1).map(|i| t[i]);
    if before.is_some_and(is_ident_byte) {
        return None;
    }
    let method = before == Some(b'.');
    let open = skip_ws(t, anchor.end, limit);
    if t.get(open) != Some(&b'(') {
        return None;
    }
    let (args, mut end) = arguments(t, open, limit, false)?;
    let (version, props) = if method { (0, 1) } else { (1, 2) };
    if args.len() != props + 1 || !is_api_version(t, &args[version].value) {
        return None;
    }
    // `.accountSasToken` / `.serviceSasToken`
    if t.get(end) == Some(&b'.') {
        if let Some(member) = ident_at(t, end + 1, limit) {
            end = member.end;
        }
    }
    let line_start = line_start(t, anchor.start);
    let arm = memchr::memmem::find(&t[line_start..anchor.start], b"\"[").is_some();
    let start = if method {
        let dot = anchor.start - 1;
        super::syntax::ident_before(t, dot)
            .map(|r| r.start)
            .filter(|s| anchor.start - s <= super::MINT_LOOKBACK)
            .unwrap_or(dot)
    } else {
        anchor.start
    };
    let mut f = Facts::new(if account {
        TokenKind::AccountSas
    } else {
        TokenKind::ServiceSas
    });
    // `t` may start far back (for ARM's variables); Bicep's names are read within the
    // ordinary reach.
    let floor = near;
    let near = |r: &Range<usize>| {
        let v = super::defs::resolve(&t[floor..], &(r.start - floor..r.end - floor));
        v.start + floor..v.end + floor
    };
    // Bicep: `var sasConfig = { … }` before the call.
    let v = if arm {
        args[props].value.clone()
    } else {
        near(&args[props].value)
    };
    let pairs = if t[v.start] == b'{' {
        object(t, v.start, limit)
    } else if starts_with_ignore_case(&t[v.clone()], b"createObject(") {
        create_object(t, v.start + "createObject".len(), limit)
    } else if arm && starts_with_ignore_case(&t[v.clone()], b"variables(") {
        arm_variable(t, base, v.start + "variables".len(), limit, anchor.start, vars)
    } else {
        None
    };
    for (key, val) in pairs.unwrap_or_default() {
        // Bicep: `signedExpiry: sasExpiry` and `var sasExpiry = …` before the call.
        let val = if arm { val } else { near(&val) };
        let s = literal(t, &val);
        match key.as_str() {
            "signedServices" => f.services = s,
            "signedResourceTypes" => f.resource_types = s,
            "signedPermission" => f.permissions = s,
            "signedStart" => f.start = s,
            "signedIp" => f.ip = s,
            "signedIdentifier" => f.policy = s,
            "signedResource" => f.resource = s,
            "canonicalizedResource" => {
                if let Some(c) = s {
                    canonical(&mut f, &c);
                }
            }
            "signedExpiry" => f.expiry = expiry(t, &val, floor, arm),
            "signedProtocol" => {
                if let Some(p @ ("https" | "https,http")) = s.as_deref() {
                    f.give_protocol(p);
                }
            }
            _ => {}
        }
    }
    if f.policy.is_some() && !account {
        f.kind = TokenKind::StoredPolicySas;
    }
    f.output = if arm {
        arm_output(t, floor, anchor.start)
    } else {
        bicep_output(t, floor, line_start)
    };
    let surface = if arm { Surface::ArmTemplate } else { Surface::Bicep };
    Some((start..end, surface, name.to_string(), f))
}

/// `'2023-01-01'`, `'2023-01-01-preview'`.
/// An API version: a literal date (`'2023-01-01'`), or a name for one
/// (`storageAccount.apiVersion`, `storageAccountApiVersion`, `variables('apiVersion')`,
/// `providers(…).apiVersions[0]`).
fn is_api_version(t: &[u8], r: &Range<usize>) -> bool {
    let literal = t.get(r.start) == Some(&b'\'')
        && string_value(t, r)
            .is_some_and(|v| v.len() >= 10 && v.as_bytes()[..10].iter().all(|b| b.is_ascii_digit() || *b == b'-'));
    let s = &t[r.clone()];
    literal || s.len() <= 128 && s.windows(10).any(|w| w.eq_ignore_ascii_case(b"apiversion")) && !s.contains(&b'\n')
}

fn line_start(t: &[u8], at: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &t[..at]).map_or(0, |p| p + 1)
}

/// A literal string value (no Bicep `${…}` interpolation, no ARM `[…]` expression).
fn literal(t: &[u8], r: &Range<usize>) -> Option<String> {
    let s = string_value(t, r)?;
    (!s.contains("${") && !s.starts_with('[')).then_some(s)
}

/// A Bicep object literal's properties (`key: value`, one a line or comma-separated), or
/// a JSON object's members.
fn object(t: &[u8], open: usize, limit: usize) -> Option<Vec<(String, Range<usize>)>> {
    let end = close_of(t, open, limit, false)?;
    let mut out = Vec::new();
    for r in segments(t, open + 1..end - 1, true, false) {
        let r = trim_range(t, r);
        if t[r.clone()].starts_with(b"...") {
            // A spread: the properties are not all in the text.
            return None;
        }
        if let Some(p) = property(t, r) {
            out.push(p);
        }
    }
    Some(out)
}

/// `key: value`, `'key': value` or JSON's `"key": value`.
fn property(t: &[u8], r: Range<usize>) -> Option<(String, Range<usize>)> {
    let (key, after) = if matches!(t.get(r.start), Some(b'\'' | b'"')) {
        let e = skip_string(t, r.start, r.end)?;
        (string_value(t, &(r.start..e))?, e)
    } else {
        let k = ident_at(t, r.start, r.end)?;
        (std::str::from_utf8(&t[k.clone()]).ok()?.to_string(), k.end)
    };
    let colon = skip_ws(t, after, r.end);
    (t.get(colon) == Some(&b':')).then(|| (key, trim_range(t, colon + 1..r.end)))
}

/// ARM's `createObject('key', value, …)`.
fn create_object(t: &[u8], open: usize, limit: usize) -> Option<Vec<(String, Range<usize>)>> {
    let (args, _) = arguments(t, open, limit, false)?;
    if args.len() % 2 != 0 {
        return None;
    }
    args.chunks(2)
        .map(|kv| Some((string_value(t, &kv[0].value)?, kv[1].value.clone())))
        .collect()
}

/// `/blob/account/container[/blob]`, `/file/account/share[/path]`, `/queue/…`, `/table/…`.
fn canonical(f: &mut Facts, c: &str) {
    let parts: Vec<&str> = c.trim_start_matches('/').split('/').collect();
    if let [service, account, rest @ ..] = parts.as_slice() {
        f.account = Some((*account).to_string()).filter(|a| !a.is_empty());
        match (*service, rest.len()) {
            ("table", 1..) => f.table = Some(rest[0].to_string()),
            ("blob", 1) if f.resource.is_none() => f.resource = Some("c".into()),
            ("blob", 2..) if f.resource.is_none() => f.resource = Some("b".into()),
            ("file", 1) if f.resource.is_none() => f.resource = Some("s".into()),
            ("file", 2..) if f.resource.is_none() => f.resource = Some("f".into()),
            _ => {}
        }
    }
}

fn now_pattern() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?-u)^(?:utcNow\([^()]*\)|parameters\('([A-Za-z_][0-9A-Za-z_-]*)'\)|([A-Za-z_][0-9A-Za-z_]*))$"#)
            .expect("valid pattern")
    })
}

/// A literal time, or `dateTimeAdd(NOW, 'P30Y'[, format])` where NOW is `utcNow()` or a
/// parameter whose default, declared in reach before the call, is `utcNow()`.
fn expiry(t: &[u8], r: &Range<usize>, floor: usize, arm: bool) -> Expiry {
    if let Some(s) = literal(t, r) {
        return Expiry::At(s);
    }
    // A JSON string holding an ARM expression (a member of a template's variable):
    // `"[dateTimeAdd(parameters('baseTime'), 'P1Y')]"`.
    let r = &match arm_expression(t, r) {
        Some(inner) => inner,
        None => r.clone(),
    };
    let v = &t[r.clone()];
    if !v.starts_with(b"dateTimeAdd") {
        return Expiry::Unknown;
    }
    let open = skip_ws(t, r.start + "dateTimeAdd".len(), r.end);
    let Some((args, _)) = arguments(t, open, r.end, false) else {
        return Expiry::Unknown;
    };
    if !(2..=3).contains(&args.len()) {
        return Expiry::Unknown;
    }
    let base = &t[args[0].value.clone()];
    let Some(c) = now_pattern().captures(base) else {
        return Expiry::Unknown;
    };
    let is_now = match (c.get(1), c.get(2)) {
        (Some(p), _) if arm => arm_param_is_now(&t[floor..r.start], p.as_bytes()),
        (None, Some(p)) if !arm => bicep_param_is_now(&t[floor..r.start], p.as_bytes()),
        (None, None) => true,
        _ => false,
    };
    match (is_now, string_value(t, &args[1].value).and_then(|d| iso_duration(&d))) {
        (true, Some(secs)) => Expiry::In(secs),
        _ => Expiry::Unknown,
    }
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The expression inside a JSON string `"[…]"` (not an escaped `"[[…"`).
fn arm_expression(t: &[u8], r: &Range<usize>) -> Option<Range<usize>> {
    let r = trim_range(t, r.clone());
    let s = &t[r.clone()];
    (s.len() >= 4
        && s.starts_with(b"\"[")
        && !s.starts_with(b"\"[[")
        && s.ends_with(b"]\"")
        && !s[2..s.len() - 2].contains(&b'"'))
    .then(|| r.start + 2..r.end - 2)
}

/// The properties of `AccountSasParameters` and `ServiceSasParameters` the reader reads.
const PROPERTIES: [&str; 10] = [
    "signedServices",
    "signedResourceTypes",
    "signedPermission",
    "signedStart",
    "signedIp",
    "signedIdentifier",
    "signedResource",
    "canonicalizedResource",
    "signedExpiry",
    "signedProtocol",
];

/// What one scan has read of ARM `"variables"` sections, so that many calls after one
/// section (or none) cost one pass over it, not one each: calls come in order, so the
/// text is searched for `"variables"` once, and the nearest section's close is looked for
/// by one walk resumed call after call. Positions are in the scanned text.
#[derive(Default)]
pub struct ArmVars {
    /// The text is searched for `"variables"` up to here, and the last one found there.
    searched: usize,
    last: Option<usize>,
    section: Option<Section>,
}

/// The nearest `"variables": {` section: how far its close was looked for, and once found,
/// its members.
struct Section {
    brace: usize,
    walk: Walk,
    /// By lower-cased name: the members of an object-valued variable (`None` when the name
    /// is defined twice or its value is not an object literal).
    members: Option<std::collections::HashMap<String, Option<Vec<Pair>>>>,
}

/// A bracket walk that can stop anywhere and go on later (as [`close_of`] reads).
struct Walk {
    at: usize,
    depth: usize,
    quote: Option<u8>,
    comment: bool,
    /// The close found (past it), or the walk failed (`Some(None)`).
    end: Option<Option<usize>>,
}

impl Walk {
    fn new(open: usize) -> Walk {
        Walk {
            at: open,
            depth: 0,
            quote: None,
            comment: false,
            end: None,
        }
    }

    /// Walks on up to `to` (in `t`, whose first byte is at `base`).
    fn run(&mut self, t: &[u8], base: usize, to: usize) {
        while self.end.is_none() && self.at < to {
            let b = t[self.at - base];
            self.at += 1;
            if self.comment {
                self.comment = !matches!(b, b'\n' | b'\r');
                continue;
            }
            if let Some(q) = self.quote {
                match b {
                    b'\\' if self.at < to => self.at += 1,
                    b'\\' => {
                        // The escaped byte is not here yet.
                        self.at -= 1;
                        return;
                    }
                    b'\n' => self.end = Some(None),
                    b if b == q => self.quote = None,
                    _ => {}
                }
                continue;
            }
            match b {
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => match self.depth.checked_sub(1) {
                    Some(0) => self.end = Some(Some(self.at)),
                    Some(d) => self.depth = d,
                    None => self.end = Some(None),
                },
                b'"' | b'\'' => self.quote = Some(b),
                b'/' if self.at < to && t[self.at - base] == b'/' => self.comment = true,
                b'/' if self.at >= to => {
                    // Whether a comment starts is not known yet.
                    self.at -= 1;
                    return;
                }
                _ => {}
            }
        }
    }
}

/// ARM's `variables('NAME')` when the template's `"variables"` section before the call
/// (at `before`; `t` starts at `base` of the scanned text) defines NAME as an object: its
/// members (JSON string values).
fn arm_variable(
    t: &[u8],
    base: usize,
    open: usize,
    limit: usize,
    before: usize,
    vars: &mut ArmVars,
) -> Option<Vec<(String, Range<usize>)>> {
    let (args, _) = arguments(t, open, limit, false)?;
    let [arg] = args.as_slice() else { return None };
    if t.get(arg.value.start) != Some(&b'\'') {
        return None;
    }
    let name = string_value(t, &arg.value)?.to_ascii_lowercase();
    // The nearest `"variables"` before the call, in `t`.
    const KEY: &[u8] = b"\"variables\"";
    let (abs_before, end) = (base + before, base + t.len());
    if vars.searched > abs_before || vars.searched > end {
        *vars = ArmVars::default();
    }
    let from = vars.searched.saturating_sub(KEY.len() - 1).max(base);
    if let Some(p) = memchr::memmem::rfind(&t[from - base..before], KEY) {
        vars.last = Some(from + p);
    }
    vars.searched = abs_before;
    let section = vars.last.filter(|p| *p >= base)? - base;
    let colon = skip_ws(t, section + KEY.len(), before);
    if t.get(colon) != Some(&b':') {
        return None;
    }
    let brace = skip_ws(t, colon + 1, before);
    if t.get(brace) != Some(&b'{') {
        return None;
    }
    let s = match &mut vars.section {
        Some(s) if s.brace == base + brace => s,
        s => s.insert(Section {
            brace: base + brace,
            walk: Walk::new(base + brace),
            members: None,
        }),
    };
    s.walk.run(t, base, abs_before);
    let close = s.walk.end.flatten()? - base;
    let members = s.members.get_or_insert_with(|| {
        let mut m = std::collections::HashMap::new();
        for (k, v) in object(t, brace, close).unwrap_or_default() {
            let value = (t.get(v.start) == Some(&b'{'))
                .then(|| object(t, v.start, close))
                .flatten()
                .map(|pairs| {
                    // The properties read, the last of each (as the call reads them): a
                    // few, however many the object holds.
                    let mut kept: Vec<(String, Range<usize>)> = Vec::new();
                    for (k, r) in pairs.into_iter().filter(|(k, _)| PROPERTIES.contains(&k.as_str())) {
                        kept.retain(|(q, _)| *q != k);
                        kept.push((k, r.start + base..r.end + base));
                    }
                    kept
                });
            // ARM matches variable names case-insensitively; a name defined twice is not
            // read.
            m.entry(k.to_ascii_lowercase())
                .and_modify(|e| *e = None)
                .or_insert(value);
        }
        m
    });
    let pairs = members.get(&name)?.as_ref()?;
    Some(
        pairs
            .iter()
            .map(|(k, r)| (k.clone(), r.start - base..r.end - base))
            .collect(),
    )
}

/// `param NAME string = utcNow()` in `before` (no regex built per call: a hostile text
/// may hold many calls).
fn bicep_param_is_now(before: &[u8], name: &[u8]) -> bool {
    before.split(|b| *b == b'\n' || *b == b'\r').any(|line| {
        let words: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace() || *b == b'=')
            .filter(|w| !w.is_empty())
            .collect();
        matches!(words.as_slice(), [b"param", n, b"string", v, ..] if *n == name && v.starts_with(b"utcNow("))
            && line.contains(&b'=')
    })
}

/// `"NAME": { "type": "string", "defaultValue": "[utcNow()]" }` in `before`.
fn arm_param_is_now(before: &[u8], name: &[u8]) -> bool {
    let key = [b"\"", name, b"\""].concat();
    memchr::memmem::find_iter(before, &key).any(|p| {
        let rest = &before[p + key.len()..];
        let rest = super::syntax::trim(rest);
        let Some(rest) = rest.strip_prefix(b":") else {
            return false;
        };
        let rest = super::syntax::trim(rest);
        let Some(body) = rest.strip_prefix(b"{") else {
            return false;
        };
        let body = &body[..memchr::memchr(b'}', body).unwrap_or(body.len())];
        let squeezed: Vec<u8> = body.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
        memchr::memmem::find(&squeezed, b"\"defaultValue\":\"[utcNow(").is_some()
    })
}

/// An ISO 8601 duration (`P30Y`, `P1Y6M`, `P7D`, `PT1H`, `P2W`) in seconds.
pub fn iso_duration(d: &str) -> Option<i64> {
    const DAY: f64 = 86_400.0;
    const YEAR: f64 = 365.25 * DAY;
    let rest = d.strip_prefix('P').or_else(|| d.strip_prefix('p'))?;
    let (mut total, mut num, mut time) = (0.0, String::new(), false);
    for c in rest.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        if c == 'T' {
            time = true;
            continue;
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        total += n * match (c, time) {
            ('Y', false) => YEAR,
            ('M', false) => YEAR / 12.0,
            ('W', false) => 7.0 * DAY,
            ('D', false) => DAY,
            ('H', true) => 3600.0,
            ('M', true) => 60.0,
            ('S', true) => 1.0,
            _ => return None,
        };
    }
    (num.is_empty() && total > 0.0 && total < 1e13).then_some(total.round() as i64)
}

/// The call is the value of `output NAME TYPE = …` on its line, not under `@secure()`.
fn bicep_output(t: &[u8], floor: usize, line_start: usize) -> bool {
    let line = super::syntax::trim(&t[line_start..]);
    if !line.starts_with(b"output ") {
        return false;
    }
    // The decorator on a line of its own just above.
    let above = &t[floor..line_start];
    let prev = above
        .split(|b| *b == b'\n' || *b == b'\r')
        .map(super::syntax::trim)
        .rfind(|l| !l.is_empty());
    !prev.is_some_and(|l| l.starts_with(b"@secure()") || l.starts_with(b"@sys.secure()"))
}

/// The call is in the `value` of an entry of `"outputs"` whose type is not secure.
fn arm_output(t: &[u8], floor: usize, anchor: usize) -> bool {
    // The JSON string holding the call, and the key before it.
    let Some(q) = memchr::memrchr(b'"', &t[floor..anchor]).map(|p| floor + p) else {
        return false;
    };
    let key_end = t[floor..q]
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map(|p| floor + p);
    if key_end.map(|k| t[k]) != Some(b':') || !t[floor..key_end.unwrap_or(floor)].ends_with(b"\"value\"") {
        return false;
    }
    let Some(o) = memchr::memmem::rfind(&t[floor..q], b"\"outputs\"").map(|p| floor + p) else {
        return false;
    };
    // Two objects open between `"outputs"` and the value: the section's and the entry's.
    let (mut depth, mut i, mut entry) = (0i32, o + 9, o);
    while i < q {
        match t[i] {
            b'{' => {
                depth += 1;
                entry = i;
            }
            b'}' => depth -= 1,
            b'"' => {
                i = json_string_end(t, i, q);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let secure = String::from_utf8_lossy(&t[entry..q])
        .to_ascii_lowercase()
        .contains("\"secure");
    depth == 2 && !secure
}

fn json_string_end(t: &[u8], at: usize, limit: usize) -> usize {
    let mut i = at + 1;
    while i < limit {
        match t[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    limit
}

#[cfg(test)]
mod tests;
