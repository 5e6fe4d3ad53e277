//! Storage account resources in Bicep, ARM JSON and Terraform whose settings let the
//! account's keys sign SAS tokens of any lifetime: shared-key authorization left enabled
//! (`allowSharedKeyAccess` absent or `true`; Terraform's `shared_access_key_enabled`
//! absent or `true`: the service and the provider default to enabled) and no SAS
//! expiration policy (`sasPolicy`; Terraform's `sas_policy {}` block).
//!
//! A finding here holds no secret and mints nothing, but it is reported as a [`Mint`]
//! (the form for "no token in the text yet") with a [`Posture`] marker rather than a new
//! token form: every path that must not look for a secret, a revocation or a redaction in
//! a mint (CLI formats, server diagnostics, hover, code actions) already skips it, and the
//! policy judges only the posture rules on it. Its range is the resource's block, its
//! fingerprint (`mt1:`, as a call's) taken from the resource's first line.
//!
//! A block is read from its anchor forward within the call reach ([`super::MINT_LINE_REACH`]
//! lines, [`super::MINT_BYTE_REACH`] bytes): the quickstart resources take 15 to 25 lines.
//! A block that does not close within the reach, a `properties` value that is not an
//! object literal, a Bicep spread (`...`) or a setting set from a parameter claims
//! nothing for what it may hide.

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use super::syntax::{close_of, ident_at, is_ident_byte, skip_string, skip_ws, trim};
use super::{reach_end, token, Facts, Surface, MINT_LOOKBACK};
use crate::scan::token::{Token, TokenForm, TokenKind};

/// A setting as the resource writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Setting {
    /// Not written: the service's (or provider's) default applies.
    Absent,
    /// Written as enabled (`true`, or a policy block present).
    On,
    /// Written as disabled (`false`).
    Off,
    /// Set from a value the text does not fix: no claim.
    Elsewhere,
}

/// What a storage account resource says about SAS tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Posture {
    /// `allowSharedKeyAccess` / `shared_access_key_enabled`.
    pub shared_key: Setting,
    /// `sasPolicy` / `sas_policy`.
    pub sas_policy: Setting,
}

impl Posture {
    pub fn shared_key_enabled(&self) -> bool {
        matches!(self.shared_key, Setting::Absent | Setting::On)
    }

    pub fn no_sas_policy(&self) -> bool {
        self.sas_policy == Setting::Absent
    }
}

const ANCHORS: &str = r#"Microsoft\.Storage/storageAccounts[@"]|"azurerm_storage_account""#;

fn anchors() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(ANCHORS).expect("posture anchor pattern is valid"))
}

/// Every anchor in `text`: one SIMD search for `torage`, which both hold (`Storage/`,
/// `azurerm_storage_`), and the anchors matched only around its hits: 3.7 to 6 ms per
/// 100 MB of the cargo registry's sources, against 8 ms for the anchors' own search.
fn find_anchors(text: &[u8]) -> impl Iterator<Item = regex::bytes::Match<'_>> + '_ {
    static QUICK: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let quick = QUICK.get_or_init(|| memchr::memmem::Finder::new(b"torage"));
    let mut done = 0;
    quick.find_iter(text).filter_map(move |p| {
        // `Microsoft.S` or `"azurerm_s` before it; `torage/storageAccounts@` or `torage_account"` on.
        let hay = &text[..(p + 32).min(text.len())];
        let m = anchors().find_at(hay, p.saturating_sub(11).max(done))?;
        (m.start() <= p && p < m.end()).then(|| {
            done = m.end();
            m
        })
    })
}

/// Every storage account resource block in `text`, with its settings when they are all in
/// the text.
fn blocks(text: &[u8]) -> impl Iterator<Item = (Block, Option<Posture>)> + '_ {
    find_anchors(text).filter_map(move |m| {
        let limit = reach_end(text, m.start());
        let found = match text[m.end() - 1] {
            b'@' => bicep(text, m.range(), limit),
            _ if text[m.start()] == b'"' => terraform(text, m.range(), limit),
            _ => arm(text, m.range(), limit),
        }?;
        let p = settings(text, &found.0, found.2, found.4);
        Some((found, p))
    })
}

/// The resource block whose range starts at `start` (as its finding's does): its range, its
/// surface and its settings, whatever they are. For fixes, which read a block again after
/// an edit.
pub fn read_at(text: &[u8], start: usize) -> Option<(Range<usize>, Surface, Posture)> {
    blocks(text)
        .find(|((block, ..), _)| block.start == start)
        .and_then(|((block, _, surface, _, _), p)| Some((block, surface, p?)))
}

/// Where `name`'s value starts in the block (see [`key`]), for fixes.
pub fn value_at(text: &[u8], block: &Range<usize>, name: &str, surface: Surface) -> Option<usize> {
    key(text, block, name, surface == Surface::Terraform)
}

/// Every storage account resource in `text` whose settings are worth a claim.
pub fn scan(text: &[u8], out: &mut Vec<Token>) {
    for ((block, head, surface, call, _), p) in blocks(text) {
        let Some(p) = p else {
            continue;
        };
        if !p.shared_key_enabled() && !p.no_sas_policy() {
            continue;
        }
        let mut t = token(text, block, surface, call, Facts::new(TokenKind::AccountSas));
        let head_text: String = String::from_utf8_lossy(&text[head])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut fp = crate::scan::fingerprint(&head_text);
        fp.replace_range(..3, "mt1");
        t.fingerprint = fp;
        if let TokenForm::Mint(mint) = &mut t.form {
            mint.posture = Some(p);
        }
        out.push(t);
    }
}

/// (block, its first line, surface, call, whether `#` starts a comment)
type Block = (Range<usize>, Range<usize>, Surface, String, bool);

fn line_end(t: &[u8], i: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &t[i..]).map_or(t.len(), |p| i + p)
}

/// The start of the word ending before `end` (spaces skipped), within the lookback.
fn word_before(t: &[u8], end: usize) -> Option<Range<usize>> {
    super::syntax::ident_before(t, end)
}

/// `resource NAME 'Microsoft.Storage/storageAccounts@…' = [if (…)|[for …:] {`, not `existing`.
fn bicep(t: &[u8], a: Range<usize>, limit: usize) -> Option<Block> {
    let quote = a.start.checked_sub(1).filter(|q| t[*q] == b'\'')?;
    let name = word_before(t, quote)?;
    let kw = word_before(t, name.start)?;
    // The range starts at most the lookback before its anchor, as a call's does.
    if &t[kw.clone()] != b"resource" || a.start - kw.start > MINT_LOOKBACK {
        return None;
    }
    let close = skip_string(t, quote, limit)?;
    let eq = skip_ws(t, close, limit);
    if t.get(eq) != Some(&b'=') {
        return None; // `existing`: declared elsewhere
    }
    let open = eq + memchr::memchr(b'{', &t[eq..limit])?;
    let end = close_of(t, open, limit, false)?;
    let call = format!(
        "resource {} 'Microsoft.Storage/storageAccounts'",
        String::from_utf8_lossy(&t[name])
    );
    Some((
        kw.start..end,
        kw.start..line_end(t, kw.start),
        Surface::Bicep,
        call,
        false,
    ))
}

/// `{ … "type": "Microsoft.Storage/storageAccounts", … }`, the object opening at most
/// [`MINT_LOOKBACK`] bytes before the anchor.
fn arm(t: &[u8], a: Range<usize>, limit: usize) -> Option<Block> {
    let q = a.start.checked_sub(1).filter(|q| t[*q] == b'"')?;
    let before = trim(&t[q.saturating_sub(MINT_LOOKBACK)..q]);
    if !before.ends_with(b":") || !trim(&before[..before.len() - 1]).ends_with(b"\"type\"") {
        return None;
    }
    let floor = a.start.saturating_sub(MINT_LOOKBACK);
    let mut i = q;
    let mut depth = 0i32;
    let open = loop {
        if i == floor {
            return None;
        }
        i -= 1;
        match t[i] {
            b'}' | b']' => depth += 1,
            b'[' => depth -= 1,
            b'{' if depth == 0 => break i,
            b'{' => depth -= 1,
            _ => {}
        }
    };
    let end = close_of(t, open, limit, false)?;
    let call = "\"type\": \"Microsoft.Storage/storageAccounts\"".to_string();
    Some((
        open..end,
        a.start..line_end(t, a.start),
        Surface::ArmTemplate,
        call,
        false,
    ))
}

/// `resource "azurerm_storage_account" "NAME" {`.
fn terraform(t: &[u8], a: Range<usize>, limit: usize) -> Option<Block> {
    let kw = word_before(t, a.start)?;
    if &t[kw.clone()] != b"resource" {
        return None;
    }
    let name_at = skip_ws(t, a.end, limit);
    let name_end = skip_string(t, name_at, limit)?;
    let open = skip_ws(t, name_end, limit);
    if t.get(open) != Some(&b'{') {
        return None;
    }
    let end = close_of(t, open, limit, true)?;
    let call = format!(
        "resource \"azurerm_storage_account\" {}",
        String::from_utf8_lossy(&t[name_at..name_end])
    );
    Some((
        kw.start..end,
        kw.start..line_end(t, kw.start),
        Surface::Terraform,
        call,
        true,
    ))
}

/// The two settings in a block; `None` when its properties are not all in the text.
fn settings(t: &[u8], block: &Range<usize>, surface: Surface, hash: bool) -> Option<Posture> {
    let (shared, policy) = if surface == Surface::Terraform {
        ("shared_access_key_enabled", "sas_policy")
    } else {
        ("allowSharedKeyAccess", "sasPolicy")
    };
    if surface != Surface::Terraform {
        match key(t, block, "properties", hash) {
            // ARM's quickstart writes `"properties": {}`; a Bicep resource may leave it out.
            None => {}
            Some(v) if t.get(v) == Some(&b'{') => {}
            Some(_) => return None,
        }
        if surface == Surface::Bicep && memchr::memmem::find(&t[block.clone()], b"...").is_some() {
            return None;
        }
    }
    let shared_key = match key(t, block, shared, hash) {
        None => Setting::Absent,
        Some(v) => match word(t, v) {
            b"true" => Setting::On,
            b"false" => Setting::Off,
            _ => Setting::Elsewhere,
        },
    };
    let sas_policy = if key(t, block, policy, hash).is_some() {
        Setting::On
    } else {
        Setting::Absent
    };
    Some(Posture { shared_key, sas_policy })
}

fn word(t: &[u8], at: usize) -> &[u8] {
    let mut e = at;
    while e < t.len() && is_ident_byte(t[e]) {
        e += 1;
    }
    &t[at..e]
}

/// Where the value of `name` starts in the block (after `:` or `=`; for a Terraform block
/// `name {`, or `dynamic "name" {`, the `{`), skipping commented lines.
fn key(t: &[u8], block: &Range<usize>, name: &str, hash: bool) -> Option<usize> {
    let hay = &t[block.clone()];
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&hay[from..], name.as_bytes()) {
        let at = block.start + from + p;
        from += p + name.len();
        let mut s = at;
        if s > 0 && matches!(t[s - 1], b'"' | b'\'') {
            s -= 1;
        }
        let mut e = at + name.len();
        if e < block.end && matches!(t[e], b'"' | b'\'') {
            e += 1;
        }
        if (s > 0 && is_ident_byte(t[s - 1])) || ident_at(t, e, block.end).is_some_and(|r| r.start == e) {
            continue;
        }
        let ls = memchr::memrchr2(b'\n', b'\r', &t[..at]).map_or(0, |p| p + 1);
        let line = &t[ls..at];
        let commented = memchr::memmem::find(line, b"//").is_some() || (hash && line.contains(&b'#'));
        if commented {
            continue;
        }
        let v = skip_ws(t, e, block.end);
        match t.get(v) {
            Some(b':' | b'=') => return Some(skip_ws(t, v + 1, block.end)),
            Some(b'{') if hash => return Some(v),
            _ if hash && trim(line).starts_with(b"dynamic") => return Some(v),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;
