//! Call sites that mint a SAS: SDK calls, az CLI commands and builders that ask for a token
//! before it exists. Each reader finds its call from a literal anchor, reads what the text
//! fixes (kind, services, resource types, permissions as REST letters, expiry as a literal
//! time or now plus a literal duration, protocol) and leaves the rest unknown; the result is
//! a [`Token`] of form [`TokenForm::Mint`] holding the parameters the minted token would
//! carry, so the policy judges it with the token rules. No I/O, no editor types.
//!
//! A call is read from its anchor forward, at most [`MINT_LINE_REACH`] lines and
//! [`MINT_BYTE_REACH`] bytes, and the values it names as far back ([`defs`]): an editor
//! re-scanning that many lines around an edit re-reads every call the edit touches.

mod azcli;
pub mod defs;
mod dotnet;
mod dotnet_legacy;
mod golang;
mod java;
mod javascript;
mod js_legacy;
mod letters;
mod mgmt;
pub mod posture;
mod powershell;
mod python;
mod python_legacy;
mod sites;
pub mod syntax;
mod template;
mod terraform;
mod when;

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

pub use sites::{DurationSyntax, Sites};

use super::time::TimeValue;
use super::token::{Letters, SasParams, Token, TokenForm, TokenKind};

/// Most lines a call site spans from its anchor's line (a Terraform data block with its
/// flag blocks; a .NET builder, its initialiser and the statements that set its
/// permissions; a command continued over lines).
pub const MINT_LINE_REACH: usize = 40;
/// Most bytes read from an anchor.
pub const MINT_BYTE_REACH: usize = 2048;
/// How far back an ARM template's `listAccountSas`/`listServiceSas` may look for the
/// `variables` section that holds its properties: a template's variables usually come
/// long before its outputs. Only these calls look this far ([`template_back_reach`],
/// [`is_arm_call`]), so the editor and the CLI's chunks re-read them from that far only
/// where the text holds one.
pub const TEMPLATE_BACK_REACH: usize = 64 << 10;
/// How far before its anchor a call site may start (`new `, `az storage account `).
pub const MINT_LOOKBACK: usize = 64;
/// The longest a call site's range can be.
pub const MINT_MAX_LEN: usize = MINT_BYTE_REACH + MINT_LOOKBACK;

/// Where a mint was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    PythonSdk,
    AzCli,
    DotnetSdk,
    JavascriptSdk,
    Terraform,
    Powershell,
    JavaSdk,
    GoSdk,
    DotnetLegacySdk,
    PythonLegacySdk,
    JavascriptLegacySdk,
    Bicep,
    ArmTemplate,
}

impl Surface {
    pub fn label(self) -> &'static str {
        match self {
            Surface::PythonSdk => "Python SDK",
            Surface::AzCli => "az CLI",
            Surface::DotnetSdk => ".NET SDK",
            Surface::JavascriptSdk => "JavaScript SDK",
            Surface::Terraform => "Terraform",
            Surface::Powershell => "Az PowerShell",
            Surface::JavaSdk => "Java SDK",
            Surface::GoSdk => "Go SDK",
            Surface::DotnetLegacySdk => "legacy .NET SDK",
            Surface::PythonLegacySdk => "legacy Python SDK",
            Surface::JavascriptLegacySdk => "legacy JavaScript SDK",
            Surface::Bicep => "Bicep",
            Surface::ArmTemplate => "ARM template",
        }
    }
}

/// What the text says about the protocol the token would allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// Set from a value the text does not fix: no claim.
    Unknown,
    /// Not given: the SDK or CLI leaves `spr` out, and the service allows HTTPS and HTTP.
    Default,
    /// Given as a literal (`spr` is then in `params.protocol`).
    Given,
}

/// What marks a token as minted by a call rather than written in the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mint {
    pub surface: Surface,
    /// The function, builder or command (`generate_account_sas`, `az storage account
    /// generate-sas`, `AccountSasBuilder`).
    pub call: String,
    /// Seconds from the call to the expiry, when the text writes it as now plus a literal
    /// duration.
    pub expires_in: Option<i64>,
    pub protocol: Protocol,
    /// The minted token is a template's deployment output, kept in the deployment history.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub output: bool,
    /// Not a call: a storage account resource whose settings let its keys sign SAS tokens
    /// (see [`posture`]). Its parameters are empty; the policy judges only these settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posture: Option<posture::Posture>,
    /// Where fixes may edit the call (not part of any report).
    #[serde(skip)]
    pub sites: Sites,
}

/// What a reader found in one call: `None` fields are unknown or absent.
#[derive(Debug, Clone)]
pub struct Facts {
    pub kind: TokenKind,
    pub services: Option<String>,
    pub resource_types: Option<String>,
    pub permissions: Option<String>,
    pub expiry: Expiry,
    pub start: Option<String>,
    pub protocol: Option<String>,
    pub protocol_state: Protocol,
    pub ip: Option<String>,
    pub policy: Option<String>,
    /// `sr` of a blob or file service SAS (`b`, `c`, `f`, `s`).
    pub resource: Option<String>,
    pub table: Option<String>,
    pub account: Option<String>,
    /// The call is a template's deployment output.
    pub output: bool,
    /// Where fixes may edit the call: set with the expiry and protocol they would change.
    pub sites: Sites,
}

impl Facts {
    /// The order REST writes permission letters in for this kind: an account SAS's, or a
    /// service SAS's.
    pub fn permission_order(&self) -> &'static str {
        permission_order(self.kind)
    }

    /// The protocol as the call writes it: `"https"` or `"https,http"`.
    pub fn give_protocol(&mut self, protocol: &str) {
        self.protocol = Some(protocol.into());
        self.protocol_state = Protocol::Given;
    }

    pub fn new(kind: TokenKind) -> Facts {
        Facts {
            kind,
            services: None,
            resource_types: None,
            permissions: None,
            expiry: Expiry::Unknown,
            start: None,
            protocol: None,
            protocol_state: Protocol::Unknown,
            ip: None,
            policy: None,
            resource: None,
            table: None,
            account: None,
            output: false,
            sites: Sites::default(),
        }
    }
}

/// The `sr` a service SAS for the resource a function or command names has (`container`,
/// `blob`, `share`, `file`); none for a queue, a table or the account.
pub fn resource_of(what: &str) -> Option<String> {
    Some(
        match what {
            "container" => "c",
            "blob" => "b",
            "share" => "s",
            "file" => "f",
            _ => return None,
        }
        .into(),
    )
}

/// The order REST writes permission letters in for a token of `kind`.
pub fn permission_order(kind: TokenKind) -> &'static str {
    if kind == TokenKind::AccountSas {
        crate::scan::sas::ACCOUNT_PERMISSIONS
    } else {
        crate::scan::sas::SERVICE_PERMISSIONS
    }
}

/// An expiry as the text writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Expiry {
    Unknown,
    /// A literal time (`2051-01-01`, `datetime(2051, 1, 1)`), in a form [`TimeValue`] parses.
    At(String),
    /// Now plus a literal duration, in seconds.
    In(i64),
}

impl Expiry {
    /// The literal time, if it is one (a start written as a date; now or a duration is no
    /// start the text fixes).
    pub fn literal(self) -> Option<String> {
        match self {
            Expiry::At(s) => Some(s),
            _ => None,
        }
    }
}

/// The anchors: every call site holds one.
const ANCHORS: &str = r"(?-u)generate_(?:account|container|blob|share|file|queue|table)_sas\b|generate-sas\b|(?:Account|Blob|Share|Queue|Table|DataLake)SasBuilder\b|Generate(?:Account)?SasUri\b|azurerm_storage_account(?:_blob_container)?_sas\b|(?i:New-Az(?:ure)?Storage(?:Account|Container|Blob|Share|File|Queue|Table)SASToken)\b|generate(?:Account|Blob|DataLake|File|Queue|Table)S(?:AS|as)QueryParameters\b|generate(?:Account)?SasUrl\b|(?:Account|BlobService|ShareService|QueueService|DataLakeService|Table|TableAccount)SasSignatureValues\b|sas\.(?:Account|Blob|Queue|Datalake)?SignatureValues\b|GetSASURL\b|generate_(?:account|container|blob|share|file|queue|table)_shared_access_signature\b|SharedAccess(?:Account|Blob|File|Queue|Table)Policy\b|generate(?:Account)?SharedAccessSignature\b|list_(?:account|service)_sas\b|[lL]ist(?:[Aa]ccount|[Ss]ervice)(?:[Ss]as|SAS)\b";

/// What every anchor holds: one search for these few literals costs about 60% of the
/// search for the anchors themselves (4.4 against 7.1 ms per 100 MB of ordinary code); the
/// anchors are looked for only around its matches, which ordinary text has few of.
/// (`SASToken` and `SASQuery` stand for the cmdlets' and the JavaScript functions' casing,
/// `SASURL` for Go's `GetSASURL`; the legacy SDKs' anchors hold `SharedAccess` or
/// `shared_access` instead.)
const QUICK: &str = "sas|Sas|SAS(?:Token|Query|URL|\\()|SharedAccess|shared_access";

/// How far before its `sas` an anchor starts (`azurerm_storage_account_blob_container_sas`),
/// and how far after it the anchor and its `\b` end (`SASQueryParameters` and the byte
/// after it; `sas.DatalakeSignatureValues`, `SharedAccessAccountPolicy`).
const BEFORE_SAS: usize = 48;
const AFTER_SAS: usize = 32;

fn anchors() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(ANCHORS).expect("mint anchor pattern is valid"))
}

fn quick() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(QUICK).expect("quick pattern is valid"))
}

/// Every anchor in `text`, in order.
fn find_anchors(text: &[u8]) -> impl Iterator<Item = regex::bytes::Match<'_>> + '_ {
    let mut done = 0;
    quick().find_iter(text).filter_map(move |h| {
        let p = h.start();
        // Every anchor has `_sas` or `-sas`, or `sas` followed by the B of `Builder`, the U
        // of `Uri` and `Url`, the T of `Token`, the Q of `QueryParameters`, the S of Java's
        // `SasSignatureValues`, the dot of Go's `sas.` or the `(` of a template's
        // `listAccountSas(`: text about SAS tokens (this
        // tool's own sources) has many other `sas`, not worth a search.
        let before = p.checked_sub(1).map(|i| text[i]);
        let after = text.get(p + 3).copied();
        if h.len() == 3
            && !matches!(before, Some(b'_' | b'-'))
            && !matches!(after, Some(b'B' | b'U' | b'T' | b't' | b'Q' | b'S' | b'.' | b'('))
        {
            return None;
        }
        let hay = &text[..(p + AFTER_SAS).min(text.len())];
        let m = anchors().find_at(hay, p.saturating_sub(BEFORE_SAS).max(done))?;
        // The window ends past the byte after any anchor, which its `\b` looks at.
        (m.start() <= p && p < m.end()).then(|| {
            done = m.end();
            m
        })
    })
}

/// Whether the anchor `a` is a template's `listAccountSas` or `listServiceSas` (any case of
/// the first letters that the anchors allow).
pub fn is_template_anchor(a: &[u8]) -> bool {
    matches!(a.first(), Some(b'l' | b'L')) && a.get(4) != Some(&b'_')
}

/// Where the text a template call at `at` may look back at starts: the first line start
/// at or after [`TEMPLATE_BACK_REACH`] bytes before it (0 when the text is shorter; the
/// floor itself when no line starts between it and the call). It
/// depends only on `t[at - TEMPLATE_BACK_REACH - 1..at]`.
pub fn template_back_reach(t: &[u8], at: usize) -> usize {
    let Some(floor) = at.checked_sub(TEMPLATE_BACK_REACH).filter(|f| *f > 0) else {
        return 0;
    };
    if matches!(t[floor - 1], b'\n' | b'\r') && !(t[floor - 1] == b'\r' && t[floor] == b'\n') {
        return floor;
    }
    // A line longer than the reach: from the floor.
    memchr::memchr2(b'\n', b'\r', &t[floor..at]).map_or(floor, |p| {
        let i = floor + p;
        if t[i] == b'\r' && t.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        }
    })
}

/// Whether the template call at `at` is ARM's (its line holds `"[` before it, within the
/// ordinary reach): only those read as far as [`template_back_reach`]. It depends only on
/// `t[at - MINT_BYTE_REACH..at]`.
pub fn is_arm_call(t: &[u8], at: usize) -> bool {
    arm_line(t, defs::back_reach(t, at), at)
}

/// [`is_arm_call`] with the call's ordinary reach `near` known.
fn arm_line(t: &[u8], near: usize, at: usize) -> bool {
    let line = memchr::memrchr2(b'\n', b'\r', &t[near..at]).map_or(near, |p| near + p + 1);
    memchr::memmem::find(&t[line..at], b"\"[").is_some()
}

/// Where the template calls in `text` are (their anchors' starts).
pub fn template_anchors(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    find_anchors(text)
        .filter(|m| is_template_anchor(m.as_bytes()))
        .map(|m| m.start())
}

/// Where the ARM template calls in `text` are (their anchors' starts), from `from` on
/// (the text before it is context).
pub fn arm_calls(text: &[u8], from: usize) -> impl Iterator<Item = usize> + '_ {
    find_anchors(&text[from..])
        .filter(|m| is_template_anchor(m.as_bytes()))
        .map(move |m| m.start() + from)
        .filter(|at| is_arm_call(text, *at))
}

/// Whether `text` holds an anchor of a call site.
pub fn has_anchor(text: &[u8]) -> bool {
    find_anchors(text).next().is_some()
}

/// Every call site in `text` that mints a SAS, as tokens of form [`TokenForm::Mint`]. Each
/// anchor is read on its own, so a call's reading does not depend on what precedes it.
pub fn scan(text: &[u8], out: &mut Vec<Token>) {
    let mut arm_vars = template::ArmVars::default();
    for m in find_anchors(text) {
        // Each reader sees the text from where its call may look back ([`defs::back_reach`]):
        // the values it names are assigned there.
        // An ARM template's call may read its `variables` from farther.
        let near = defs::back_reach(text, m.start());
        let floor = if is_template_anchor(m.as_bytes()) && arm_line(text, near, m.start()) {
            template_back_reach(text, m.start())
        } else {
            near
        };
        let t = &text[floor..];
        let anchor = m.start() - floor..m.end() - floor;
        let limit = reach_end(t, anchor.start);
        let found = match m.as_bytes() {
            b"generate-sas" => azcli::read(t, anchor, limit),
            a if javascript::is_anchor(a) => javascript::read(t, anchor, limit),
            a if java::is_anchor(a) => java::read(t, anchor, limit),
            a if golang::is_anchor(a) => golang::read(t, anchor, limit),
            a if js_legacy::is_anchor(a) => js_legacy::read(t, anchor, limit),
            a if python_legacy::is_anchor(a) => python_legacy::read(t, anchor, limit),
            a if dotnet_legacy::is_anchor(a) => dotnet_legacy::read(t, anchor, limit),
            [b'g', ..] => python::read(t, anchor, limit),
            [b'G', ..] => dotnet::read_generate(t, anchor, limit),
            [b'a', ..] => terraform::read(t, anchor, limit),
            [b'N' | b'n', ..] => powershell::read(t, anchor, limit),
            // Go's `ListAccountSAS(ctx, …)` is spelled like a template's function.
            a if is_template_anchor(a) => {
                template::read(t, anchor.clone(), limit, floor, near.max(floor) - floor, &mut arm_vars)
                    .or_else(|| mgmt::read(t, anchor, limit).filter(|_| mgmt::is_anchor(a)))
            }
            a if mgmt::is_anchor(a) => mgmt::read(t, anchor, limit),
            _ => dotnet::read_builder(t, anchor, limit),
        };
        if let Some((range, surface, call, mut facts)) = found {
            if commented_out(t, range.start) {
                continue;
            }
            facts.sites.shift(floor as isize);
            out.push(token(
                text,
                range.start + floor..range.end + floor,
                surface,
                call,
                facts,
            ));
        }
    }
    posture::scan(text, out);
}

/// Whether the call starting at `start` is on a line commented out before it (`# az …`,
/// `// var b = new …`, `REM`, `::`): code that does not run mints nothing.
fn commented_out(t: &[u8], start: usize) -> bool {
    let line = memchr::memrchr2(b'\n', b'\r', &t[..start]).map_or(0, |p| p + 1);
    let head = syntax::trim(&t[line..start]);
    head.starts_with(b"#") && !head.starts_with(b"#!")
        || head.starts_with(b"//")
        || head.starts_with(b"::")
        || head.len() >= 3
            && head[..3].eq_ignore_ascii_case(b"rem")
            && head.get(3).is_none_or(|b| b.is_ascii_whitespace())
}

/// End of the text a call at `at` may span: [`MINT_LINE_REACH`] lines after its line (a
/// line ends at `\n`, `\r\n` or `\r`, as an editor's does) and at most
/// [`MINT_BYTE_REACH`] bytes.
pub fn reach_end(t: &[u8], at: usize) -> usize {
    let ceil = (at + MINT_BYTE_REACH).min(t.len());
    let mut seen = 0;
    let mut i = at;
    while i < ceil {
        let brk = t[i] == b'\n' || (t[i] == b'\r' && t.get(i + 1) != Some(&b'\n'));
        if brk {
            seen += 1;
            if seen > MINT_LINE_REACH {
                return i;
            }
        }
        i += 1;
    }
    ceil
}

/// The token a call would mint.
fn token(text: &[u8], range: Range<usize>, surface: Surface, call: String, mut f: Facts) -> Token {
    // A duration is only worth editing where the expiry is now plus it.
    if !matches!(f.expiry, Expiry::In(_)) {
        f.sites.duration = None;
    }
    let (expiry, expires_in) = match f.expiry {
        Expiry::Unknown => (None, None),
        Expiry::At(s) => (Some(TimeValue::parse(&s)), None),
        Expiry::In(secs) => (
            Some(TimeValue {
                text: format!("now + {}", when::duration_words(secs)),
                at: None,
            }),
            Some(secs),
        ),
    };
    let known = match f.kind {
        TokenKind::AccountSas => super::sas::ACCOUNT_PERMISSIONS,
        _ => super::sas::SERVICE_PERMISSIONS,
    };
    let params = SasParams {
        services: f.services.as_deref().map(|s| Letters::parse(s, "bqtf")),
        resource_types: f.resource_types.as_deref().map(|s| Letters::parse(s, "sco")),
        resource: f.resource,
        table: f.table,
        permissions: f.permissions.as_deref().map(|s| Letters::parse(s, known)),
        start: f.start.as_deref().map(TimeValue::parse),
        expiry,
        ip: f.ip,
        protocol: f.protocol,
        policy: f.policy,
        ..Default::default()
    };
    // Allow lists name a mint by its call's text, whitespace left out.
    let call_text: String = String::from_utf8_lossy(&text[range.clone()])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut fp = super::fingerprint(&call_text);
    fp.replace_range(..3, "mt1");
    Token {
        kind: f.kind,
        form: TokenForm::Mint(Box::new(Mint {
            surface,
            call,
            expires_in,
            protocol: f.protocol_state,
            output: f.output,
            posture: None,
            sites: f.sites,
        })),
        secret: range.start..range.start,
        range,
        resource_url: None,
        query: None,
        account: f.account,
        host: None,
        key_name: None,
        params,
        fingerprint: fp,
        pieces: None,
    }
}

#[cfg(test)]
mod sdk_tests;
#[cfg(test)]
mod tests;
