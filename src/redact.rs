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

/// `text` with every byte range in `secrets` replaced by its redacted form.
pub fn redact_ranges(text: &[u8], secrets: &[std::ops::Range<usize>]) -> Vec<u8> {
    let mut sorted: Vec<_> = secrets.iter().filter(|r| r.end <= text.len()).cloned().collect();
    sorted.sort_by_key(|r| r.start);
    let mut out = Vec::with_capacity(text.len());
    let mut pos = 0;
    for r in sorted {
        if r.start < pos {
            continue;
        }
        out.extend_from_slice(&text[pos..r.start]);
        out.extend_from_slice(redact(&text[r.clone()]).as_bytes());
        pos = r.end;
    }
    out.extend_from_slice(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_only_two_characters_each_side() {
        assert_eq!(redact(b"abcdefghijklmnop%3D"), "ab…3D");
        assert_eq!(redact(b"short"), "…");
        assert_eq!(
            redact_ranges(b"x=abcdefghij;y", &std::iter::once(2..12).collect::<Vec<_>>()),
            "x=ab…ij;y".as_bytes()
        );
    }
}
