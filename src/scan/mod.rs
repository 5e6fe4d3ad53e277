//! Finding tokens in text: a literal prefilter finds anchors (`sig=`, `AccountKey`, …),
//! the run of token-like bytes around each anchor is parsed once, and every live secret
//! in it becomes a [`Token`]. Works on bytes, so invalid UTF-8 keeps its offsets.
//! No I/O, no editor types.

pub mod connstr;
pub mod decode;
pub mod family;
pub mod host;
pub mod mint;
pub mod params;
pub mod pieces;
mod precision;
pub mod sas;
pub mod time;
pub mod token;
pub mod utf16;

mod ahead;
mod bare;
mod keys;
mod wrapped;

pub use keys::nearby::{BYTE_REACH, LINE_REACH};

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use params::{expand, field_key_value, split_fields, split_params, split_queries, Param};
use sas::{build_sas, Placement};
pub use token::{Letters, Pieces, SasParams, Token, TokenForm, TokenKind};

/// Anchors: every live token holds one of these, or one of [`FAMILY_ANCHORS`] or the
/// anchors of [`keys`]. Case-insensitive (SDK parsers are), except the `+ASt` marker of
/// newer storage keys. A literal-optimised regex finds them at gigabytes per second;
/// everything else runs only around a match. `sig` is matched before any byte that can
/// start its `=` however it is written (`%3D`, `%253D`, `\u003d`, `\\u003d`, `&#61;`) or
/// that ends its piece of a literal (a quote): a wider literal set than the forms
/// themselves, and much faster to search. The exact-case anchors and base64 values (see
/// [`wrapped`]) are found by searches interleaved with this one: one pattern holding them
/// all is slower than the three.
const ANCHORS: &str = r#"(?i:sig[=%\\&"'`]|(?:account|storage|shared[_-]?access|access)[_-]?key)|\+ASt"#;

/// The family's anchors (Event Grid hosts and headers, the `SharedAccessSignature ` header
/// scheme, API Management's `integration&`), written as Azure writes them (a header name
/// also capitalised or in upper case): searched with the exact-case anchors of [`keys`].
const FAMILY_ANCHORS: &str = r"eventgrid\.azure|aeg-sas-|Aeg-Sas-|AEG-SAS-|SharedAccessSignature |integration&";

/// What kind of anchor a prefilter match is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Anchor {
    Signature,
    KeyName,
    KeyMarker,
}

fn anchor_of(matched: &[u8]) -> Anchor {
    match matched.first() {
        Some(b's' | b'S') if matched.len() > 2 && matched[..3].eq_ignore_ascii_case(b"sig") => Anchor::Signature,
        Some(b'+') => Anchor::KeyMarker,
        _ if family::is_family_anchor(matched) => Anchor::Signature,
        _ => Anchor::KeyName,
    }
}

fn prefilter() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(ANCHORS).expect("anchor pattern is valid"))
}

/// The exact-case anchors: the call, option and name anchors of [`keys`] and the family's,
/// searched on their own: in one pattern with [`ANCHORS`] the literal search has too many
/// patterns and runs at a third of the speed of the two searches interleaved.
fn key_prefilter() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!("{}|{FAMILY_ANCHORS}", keys::ANCHORS)).expect("key anchor pattern is valid"))
}

/// Both anchor searches, interleaved.
#[derive(Default)]
struct Anchors {
    main: ahead::Ahead,
    keys: ahead::Ahead,
}

impl Anchors {
    /// The first anchor at or after `pos` (the main search's on a tie) in `text`, which may
    /// end where the caller stops looking.
    fn next(&mut self, text: &[u8], pos: usize) -> Option<Range<usize>> {
        let a = self.main.next(pos, |p| prefilter().find_at(text, p).map(|m| m.range()));
        let b = self
            .keys
            .next(pos, |p| key_prefilter().find_at(text, p).map(|m| m.range()));
        match (a, b) {
            (Some(a), Some(b)) if b.start < a.start => Some(b),
            (a, b) => a.or(b),
        }
    }
}

/// Every live secret in `text`, in order of position.
/// Call sites that mint a SAS ([`mint`]) are found too, as tokens of form
/// [`TokenForm::Mint`].
pub fn scan(text: &[u8]) -> Vec<Token> {
    let mut out = scan_depth(text, 0);
    let before = out.len();
    mint::scan(text, &mut out);
    if out.len() > before {
        out.sort_by_key(|t| (t.range.start, t.secret.start));
    }
    out
}

fn scan_depth(text: &[u8], depth: u8) -> Vec<Token> {
    let mut out = Vec::new();
    let mut pos = 0;
    let (mut anchors, mut triggers) = (Anchors::default(), ahead::Ahead::default());
    while pos < text.len() {
        let m = anchors.next(text, pos);
        let w = triggers.next(pos, |p| wrapped::find_trigger(text, p));
        let m = match (m, w) {
            (m, Some(w)) if m.as_ref().is_none_or(|m| w.start < m.start) => {
                let (found, end) = wrapped::scan_wrapped(text, w.start, pos, depth, scan_depth);
                out.extend(found);
                pos = end.max(w.end);
                continue;
            }
            (Some(m), _) => m,
            (None, _) => break,
        };
        if keys::scan_key_anchor(text, m.clone(), &mut out) {
            pos = m.end;
            continue;
        }
        let extent = expand(text, m.start);
        let mut next = match pieces::chain_at(text, extent.clone()) {
            Some(chain) => scan_chain(text, &chain, &mut out).max(m.end),
            None => scan_anchor(text, m.clone(), extent, &mut out),
        };
        // What was read is skipped whole: a base64 value inside it
        // (`AZURE_STORAGE_KEY=<base64>`) is looked for here.
        let mut from = m.end;
        while let Some(at) = wrapped::trigger_in(text, from..next) {
            let (found, end) = wrapped::scan_wrapped(text, at, from, depth, scan_depth);
            out.extend(found);
            from = end.max(at + 1);
            next = next.max(end);
        }
        pos = next;
    }
    out.sort_by_key(|t| (t.range.start, t.secret.start));
    out.dedup_by(|a, b| a.secret == b.secret);
    out
}

/// The tokens around one anchor match (its extent, or a bare key after a key name), and
/// where scanning may resume.
fn scan_anchor(text: &[u8], m: Range<usize>, extent: Range<usize>, out: &mut Vec<Token>) -> usize {
    let before = out.len();
    scan_extent(text, extent.clone(), out);
    let mut next = extent.end.max(m.end);
    let anchor = anchor_of(&text[m.clone()]);
    let covered = out[before..]
        .iter()
        .any(|t| t.range.start <= m.start && m.end <= t.range.end);
    // A connection string's own key field (`…;AccountKey=…`) was decided with the rest of
    // its connection string (an emulator's account, a local endpoint keep it quiet): it is
    // not read again as a key standing alone.
    let field = text.get(m.end) == Some(&b'=')
        && params::conn_key_index(&text[m.clone()]).is_some()
        && (m.start == extent.start || matches!(text[m.start - 1], b';' | b'='));
    if anchor != Anchor::Signature && !covered && !field {
        if let Some((tok, end)) = bare::scan_bare_key(text, m.clone(), extent, anchor == Anchor::KeyMarker) {
            out.push(tok);
            next = next.max(end);
        }
    }
    next
}

/// Every token of `range` read piece by piece, each piece on its own (no joining).
fn scan_unjoined(text: &[u8], range: Range<usize>, out: &mut Vec<Token>) {
    let mut anchors = Anchors::default();
    let mut pos = range.start;
    while pos < range.end {
        let Some(m) = anchors.next(&text[..range.end], pos) else {
            break;
        };
        if keys::scan_key_anchor(text, m.clone(), out) {
            pos = m.end;
            continue;
        }
        let extent = expand(text, m.start);
        pos = scan_anchor(text, m, extent, out);
    }
}

/// The tokens of a chain of pieces: each piece on its own, and the chain read as one text
/// (unless it has more than [`pieces::MAX_PIECES`]).
/// A token of several pieces replaces the tokens found in its pieces alone when it starts
/// earlier (it holds the URL or parameters they lack); else they stay. Returns the
/// chain's end.
fn scan_chain(text: &[u8], chain: &pieces::Chain, out: &mut Vec<Token>) -> usize {
    let end = chain.pieces.last().map_or(0, |p| p.end);
    let mut direct = Vec::new();
    for p in &chain.pieces {
        scan_unjoined(text, p.clone(), &mut direct);
    }
    if chain.pieces.len() > pieces::MAX_PIECES {
        out.append(&mut direct);
        return end;
    }
    let view = pieces::View::new(text, &chain.pieces);
    let mut inner = Vec::new();
    scan_unjoined(&view.text, 0..view.text.len(), &mut inner);
    // A connection string read from one piece alone is a fragment of the one the chain
    // holds, whose other fields decide it (an emulator's account, a local endpoint): it
    // stays only where the chain's reading finds its secret too.
    let secrets: Vec<Range<usize>> = inner.iter().flat_map(|t| view.pieces(&t.secret)).collect();
    direct.retain(|d| {
        d.form != TokenForm::ConnectionString
            || secrets.iter().any(|s| s.start < d.secret.end && d.secret.start < s.end)
    });
    for tok in inner {
        let ranges = view.pieces(&tok.range);
        if ranges.len() < 2 {
            continue;
        }
        let joined = map_token(&view, tok, ranges, chain.literals);
        let secret = joined.secret_pieces();
        let overlaps = |d: &Token| secret.iter().any(|s| s.start < d.secret.end && d.secret.start < s.end);
        if direct
            .iter()
            .any(|d| overlaps(d) && d.range.start <= joined.range.start)
        {
            continue;
        }
        direct.retain(|d| !overlaps(d));
        out.push(joined);
    }
    out.append(&mut direct);
    end
}

/// A token found in a chain's view, with its ranges in the original text.
fn map_token(view: &pieces::View, mut tok: Token, ranges: Vec<Range<usize>>, literals: bool) -> Token {
    tok.range = view.range(&tok.range);
    tok.secret = view.range(&tok.secret);
    tok.resource_url = tok.resource_url.map(|r| view.range(&r));
    tok.query = tok.query.map(|r| view.range(&r));
    tok.pieces = Some(Pieces { ranges, literals });
    tok
}

/// Parses one extent: connection-string fields first, then URLs and queries.
fn scan_extent(t: &[u8], extent: Range<usize>, out: &mut Vec<Token>) {
    let before = out.len();
    let fields = split_fields(t, extent.clone());
    let mut conn: Vec<connstr::Field> = Vec::new();
    // Keys seen in the current connection string: a repeated key starts the next one
    // (`…;SharedAccessSignature=…;SharedAccessSignature=…` is two of them).
    let mut seen = 0u64;
    for f in fields {
        match field_key_value(t, f.clone()) {
            Some(kv) => {
                let bit = params::conn_key_index(&t[kv.0.clone()]).map_or(0, |i| 1u64 << i);
                if seen & bit != 0 {
                    flush_conn(t, &mut conn, out);
                    seen = 0;
                }
                seen |= bit;
                conn.push(kv);
            }
            None => {
                seen = 0;
                flush_conn(t, &mut conn, out);
                if !f.is_empty() {
                    scan_queries(t, f, extent.start, out);
                }
            }
        }
    }
    flush_conn(t, &mut conn, out);
    family::scan_extent(t, extent, out, before);
}

fn flush_conn(t: &[u8], conn: &mut Vec<connstr::Field>, out: &mut Vec<Token>) {
    if !conn.is_empty() {
        connstr::scan_conn(t, conn, out);
        conn.clear();
    }
}

fn scan_queries(t: &[u8], field: Range<usize>, extent_start: usize, out: &mut Vec<Token>) {
    let parts = split_queries(t, field.clone());
    for (k, part) in parts.iter().enumerate() {
        let url = if k > 0 {
            url_start(t, parts[k - 1].clone()).map(|s| s..parts[k - 1].end)
        } else {
            None
        };
        let params = split_params(t, part.clone());
        for (gi, group) in group_params(t, &params).into_iter().enumerate() {
            if !group.iter().any(|p| p.key_is(t, "sig")) {
                continue;
            }
            let first = group[0].key.start;
            let end = group[group.len() - 1].value.end;
            let (form, start, resource_url) = match (&url, gi) {
                (Some(u), 0) => (TokenForm::Url, u.start, Some(u.clone())),
                (None, 0) if k > 0 => (TokenForm::Query, parts[k - 1].end, None),
                _ => (TokenForm::Query, first, None),
            };
            let place = Placement {
                form,
                range: start..end,
                resource_url,
                host: None,
                account: None,
            };
            if let Some(mut tok) = build_sas(t, group, place) {
                if tok.kind == TokenKind::ServiceBusSas && first == extent_start {
                    const HEADER: &[u8] = b"SharedAccessSignature ";
                    if first >= HEADER.len() && t[first - HEADER.len()..first].eq_ignore_ascii_case(HEADER) {
                        tok.range.start = first - HEADER.len();
                        tok.form = TokenForm::Header;
                    }
                }
                out.push(tok);
            }
        }
    }
}

/// Splits parameters at the first repeated SAS key: each group is one token.
pub fn group_params<'a>(t: &[u8], params: &'a [Param]) -> Vec<&'a [Param]> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut seen = 0u64;
    for (i, p) in params.iter().enumerate() {
        let key = &t[p.key.clone()];
        let Some(bit) = params::SAS_KEYS
            .iter()
            .position(|k| k.as_bytes().eq_ignore_ascii_case(key))
        else {
            continue;
        };
        if seen & (1 << bit) != 0 {
            groups.push(&params[start..i]);
            start = i;
            seen = 0;
        }
        seen |= 1 << bit;
    }
    if start < params.len() {
        groups.push(&params[start..]);
    }
    groups
}

/// Start of the URL scheme (`https://`, `https%3A%2F%2F`, `https%253A%252F%252F`,
/// `https:\/\/`, `https:\\/\\/`) in `part`.
fn url_start(t: &[u8], part: Range<usize>) -> Option<usize> {
    let s = &t[part.clone()];
    let mut best = None;
    for i in 0..s.len() {
        let rest = &s[i..];
        let scheme_len = if starts_ci(rest, b"https") {
            5
        } else if starts_ci(rest, b"http") {
            4
        } else {
            continue;
        };
        let after = &rest[scheme_len..];
        const SEPARATORS: [&[u8]; 5] = [b"://", b"%3a%2f%2f", b"%253a%252f%252f", b":\\/\\/", b":\\\\/\\\\/"];
        if SEPARATORS.iter().any(|p| starts_ci(after, p)) {
            best = Some(part.start + i);
        }
    }
    best
}

fn starts_ci(s: &[u8], p: &[u8]) -> bool {
    s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p)
}

/// The storage emulator's account.
pub fn is_emulator_account(a: &str) -> bool {
    a.eq_ignore_ascii_case("devstoreaccount1")
}

/// The storage emulator's and the Cosmos DB emulator's published keys.
pub fn is_emulator_key(k: &str) -> bool {
    const KEYS: &[&str] = &[
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
    ];
    KEYS.contains(&k)
}

/// A stable, non-reversible fingerprint of a decoded secret: 64-bit FNV-1a of its bytes.
pub fn fingerprint(secret: &str) -> String {
    let bytes = decode::base64_decode(secret).unwrap_or_else(|| secret.as_bytes().to_vec());
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("sg1:{h:016x}")
}
