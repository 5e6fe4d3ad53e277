//! The only form in which a secret is ever shown: its first and last two characters.

/// `ab…3D` for a secret written `ab…3D`; `…` when it is too short to show any of it.
pub fn redact(secret: &[u8]) -> String {
    let s = String::from_utf8_lossy(secret);
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 8 {
        return "…".to_string();
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail}")
}

/// Values that look like a signature or key wherever they stand (`sig=…`, `sig%3D…`,
/// `sig%253D…`, `sig&#61;…`, `AccountKey=…`, `SharedAccessKey=…`), live or not: what is
/// shown of a line must never reveal one, even when it was not recognised as a token.
pub fn secret_like_ranges(text: &[u8], within: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    const MARKERS: [&[u8]; 9] = [
        b"sig=",
        b"sig%3d",
        b"sig%253d",
        b"sig\\u003d",
        b"sig\\\\u003d",
        b"sig&#61;",
        b"sig&#x3d;",
        b"accountkey=",
        b"sharedaccesskey=",
    ];
    let within = within.start.min(text.len())..within.end.min(text.len());
    let mut out = Vec::new();
    let mut i = within.start;
    while i < within.end {
        let hit = MARKERS
            .iter()
            .find(|m| text.get(i..i + m.len()).is_some_and(|s| s.eq_ignore_ascii_case(m)));
        match hit {
            Some(m) => {
                let start = i + m.len();
                let end = crate::scan::params::signature_end(text, start..text.len());
                if end - start >= 8 {
                    out.push(start..end);
                }
                i = end.max(start);
            }
            None => i += 1,
        }
    }
    out
}

/// How many characters of a known secret in a row give a copy of it away.
const PIECE: usize = 6;

/// Known secrets, remembered as every run of [`PIECE`] characters they hold, so that a
/// copy is found however it was cut (`AbCdEf.GhIjKl-MnOp…`): percent-escapes, `.`, `-`,
/// `_`, `:` and other short separators between the pieces do not hide it.
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// An open-addressing set of packed pieces (0 marks a free slot: a piece is never 0).
    slots: Vec<u64>,
}

fn is_b64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

fn pack(chars: impl Iterator<Item = u8>) -> u64 {
    chars.fold(0u64, |h, b| h << 8 | b as u64)
}

impl Known {
    /// `secrets` as written or decoded; both forms may be given.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a [u8]>) -> Known {
        let mut pieces = Vec::new();
        for s in secrets {
            let decoded = crate::scan::decode::percent_decode(s).unwrap_or_else(|| s.to_vec());
            for form in [s, &decoded[..]] {
                let chars: Vec<u8> = form.iter().copied().filter(|&b| is_b64_char(b)).collect();
                for w in chars.windows(PIECE) {
                    pieces.push(pack(w.iter().copied()));
                }
            }
        }
        if pieces.is_empty() {
            return Known::default();
        }
        let mut k = Known {
            slots: vec![0; (pieces.len() * 4).next_power_of_two()],
        };
        for p in pieces {
            let mut i = k.slot(p);
            while k.slots[i] != 0 && k.slots[i] != p {
                i = (i + 1) & (k.slots.len() - 1);
            }
            k.slots[i] = p;
        }
        k
    }

    fn slot(&self, piece: u64) -> usize {
        (piece.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (self.slots.len() - 1)
    }

    fn contains(&self, piece: u64) -> bool {
        let mut i = self.slot(piece);
        loop {
            match self.slots[i] {
                0 => return false,
                p if p == piece => return true,
                _ => i = (i + 1) & (self.slots.len() - 1),
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The ranges of `text` within `within` that repeat [`PIECE`] or more characters of a
    /// known secret in a row, separators of up to three bytes between them skipped.
    pub fn ranges(&self, text: &[u8], within: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<std::ops::Range<usize>> = Vec::new();
        if self.is_empty() {
            return out;
        }
        let within = within.start.min(text.len())..within.end.min(text.len());
        // The last PIECE base64 characters seen, with their positions.
        let mut ring = [0usize; PIECE];
        let (mut count, mut h, mut last) = (0usize, 0u64, usize::MAX);
        for i in within {
            let b = text[i];
            if !is_b64_char(b) {
                if last != usize::MAX && i - last > 3 {
                    count = 0;
                }
                continue;
            }
            h = (h << 8 | b as u64) & ((1u64 << (8 * PIECE)) - 1);
            ring[count % PIECE] = i;
            count += 1;
            last = i;
            if count >= PIECE && self.contains(h) {
                let start = ring[count % PIECE];
                match out.last_mut() {
                    Some(r) if r.end >= start => r.end = i + 1,
                    _ => out.push(start..i + 1),
                }
            }
        }
        out
    }
}

/// A parameter value fit for display: anything secret-like inside is redacted, and it is
/// cut to 120 characters.
pub fn sanitize(value: &str) -> String {
    sanitize_known(value, &Known::default())
}

/// [`sanitize`], also redacting any copy of a piece of the `known` secrets.
pub fn sanitize_known(value: &str, known: &Known) -> String {
    let clean = scrub_known(value, known);
    if clean.chars().count() > 120 {
        clean.chars().take(119).collect::<String>() + "…"
    } else {
        clean
    }
}

/// Any text fit for display (a path, an option, a setting's value, a URI, a message):
/// every `sig=`/`AccountKey=`-like value and every run of 32 or more base64 characters
/// is redacted. The one function every echoed input passes through.
pub fn scrub(value: &str) -> String {
    scrub_known(value, &Known::default())
}

/// [`scrub`] for a path, one component at a time: a file name can hold a secret (a file
/// `wget` named after a signed URL), but a deep path's folders joined by `/` are not a
/// base64 run (`frontend/components/authentication/providers` stays as it is).
///
/// In a file name, a long run of letters with no digit, `+`, `%` or `=` is a name
/// (`Set-AzKeyVaultManagedStorageSasDefinition.md`), not a secret: 32 random base64
/// characters hold one of those but for a chance of 1 in 760. A `sig=` value is redacted
/// whatever it holds.
pub fn scrub_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    let component = |c: &str| {
        scrub_runs(c, &Known::default(), |run| {
            run.iter()
                .any(|b| b.is_ascii_digit() || matches!(b, b'+' | b'%' | b'='))
        })
    };
    while let Some(at) = rest.find(['/', '\\']) {
        out.push_str(&component(&rest[..at]));
        out.push_str(&rest[at..at + 1]);
        rest = &rest[at + 1..];
    }
    out.push_str(&component(rest));
    out
}

/// [`scrub`], also redacting any copy of a piece of the `known` secrets.
pub fn scrub_known(value: &str, known: &Known) -> String {
    scrub_runs(value, known, |_| true)
}

/// [`scrub_known`], redacting a long base64 run only when `secret_run` says so.
fn scrub_runs(value: &str, known: &Known, secret_run: impl Fn(&[u8]) -> bool) -> String {
    let bytes = value.as_bytes();
    let marked = secret_like_ranges(bytes, 0..bytes.len());
    let mut ranges = marked.clone();
    // A long run of base64 characters is a secret wherever it stands. Runs and marked
    // ranges both come in order, so one cursor walks the marked ranges: linear.
    let mut next_marked = 0;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'+' | b'/' | b'%' | b'=')) {
            i += 1;
        }
        while next_marked < marked.len() && marked[next_marked].end <= start {
            next_marked += 1;
        }
        let inside = marked.get(next_marked).is_some_and(|r| r.start <= start);
        if i - start >= 32 && !inside && secret_run(&bytes[start..i]) {
            ranges.push(start..i);
        }
        i = i.max(start + 1);
    }
    ranges.extend(known.ranges(bytes, 0..bytes.len()));
    let ranges = merge(ranges);
    if ranges.is_empty() {
        value.to_string()
    } else {
        String::from_utf8_lossy(&redact_ranges(bytes, &ranges)).into_owned()
    }
}

/// Sorts `ranges` and merges those that overlap, so no part of one is left out.
pub fn merge(mut ranges: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `text` with every byte range in `secrets` replaced by its redacted form.
pub fn redact_ranges(text: &[u8], secrets: &[std::ops::Range<usize>]) -> Vec<u8> {
    replace_ranges(text, secrets, |s| redact(s).into_bytes())
}

/// `text` with each of `ranges` (overlaps after the first skipped) replaced by `with` of it.
pub fn replace_ranges(text: &[u8], ranges: &[std::ops::Range<usize>], with: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let mut sorted: Vec<_> = ranges.iter().filter(|r| r.end <= text.len()).cloned().collect();
    sorted.sort_by_key(|r| r.start);
    let mut out = Vec::with_capacity(text.len());
    let mut pos = 0;
    for r in sorted {
        if r.start < pos {
            continue;
        }
        out.extend_from_slice(&text[pos..r.start]);
        out.extend_from_slice(&with(&text[r.clone()]));
        pos = r.end;
    }
    out.extend_from_slice(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_scrubbed_one_component_at_a_time() {
        let deep = "frontend/components/authentication/providers/storage.py";
        assert_eq!(scrub_path(deep), deep);
        assert_eq!(scrub(deep), "fr…ge.py", "a whole message is still read as one run");
        let key = "QmFzZTY0S2V5VGhhdExvb2tzUmFuZG9tQW5kTG9uZzEyMzQ1Njc4OTA=";
        let shown = scrub_path(&format!("keys\\{key}.txt"));
        assert!(!shown.contains(key) && shown.starts_with("keys\\"), "{shown}");
        // A long name of letters is a name; a signature in a name is not.
        let doc = "docs/Set-AzKeyVaultManagedStorageSasDefinition.md";
        assert_eq!(scrub_path(doc), doc);
        let signed = "dl/model.zip?sv=2020-08-04&sig=QmFzZTY0U2lnbmF0dXJlVGhhdExvb2tzUmFuZG9t";
        assert!(!scrub_path(signed).contains("QmFzZTY0U2ln"), "{}", scrub_path(signed));
    }

    #[test]
    fn shows_only_two_characters_each_side() {
        assert_eq!(redact(b"abcdefghijklmnop%3D"), "ab…3D");
        assert_eq!(redact(b"short"), "…");
        assert_eq!(sanitize("b&sig=abcdefghijklmnop%3D"), "b&sig=ab…3D");
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(
            secret_like_ranges(b"x SIG=abcdefghij, AccountKey=short", 0..35),
            vec![6..16]
        );
        assert_eq!(
            redact_ranges(b"x=abcdefghij;y", &std::iter::once(2..12).collect::<Vec<_>>()),
            "x=ab…ij;y".as_bytes()
        );
    }
}
