//! Reading and extending `.env` files as dotenv readers (python-dotenv, Node's dotenv,
//! Docker Compose) understand them. Read as bytes: a file that is not UTF-8 still has its
//! names seen and is appended to, never replaced.

/// The variables a `.env` file defines, in order (names and values as bytes).
pub fn parse(text: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = trim_start(line);
        let line = line.strip_prefix(b"export ").map_or(line, trim_start);
        if line.starts_with(b"#") {
            continue;
        }
        let Some(eq) = line.iter().position(|&b| b == b'=') else {
            continue;
        };
        let name = line[..eq].trim_ascii();
        if name.is_empty()
            || !name
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
        {
            continue;
        }
        out.push((name.to_vec(), unquote(line[eq + 1..].trim_ascii())));
    }
    out
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    &s[n..]
}

fn unquote(v: &[u8]) -> Vec<u8> {
    let inner = |q: u8| {
        v.strip_prefix(&[q])
            .and_then(|r| r.iter().rposition(|&b| b == q).map(|i| r[..i].to_vec()))
    };
    if let Some(s) = inner(b'\'') {
        return s;
    }
    if let Some(s) = inner(b'"') {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match (s[i], s.get(i + 1)) {
                (b'\\', Some(b'n')) => out.push(b'\n'),
                (b'\\', Some(&c @ (b'"' | b'\\'))) => out.push(c),
                (c, _) => {
                    out.push(c);
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        return out;
    }
    let end = v.windows(2).position(|w| w == b" #").unwrap_or(v.len());
    v[..end].trim_ascii_end().to_vec()
}

/// The value as a `.env` line expects it: single quotes keep every character literally
/// (`&`, `=`, `$`, `#`, `%`); double quotes only when the value holds a single quote.
pub fn quote(value: &str) -> String {
    if !value.contains('\'') && !value.contains('\n') {
        format!("'{value}'")
    } else {
        format!(
            "\"{}\"",
            value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
        )
    }
}

/// Where a value goes: the name to use, and the line to add (`NAME='value'`, without a
/// line break; `None` when a variable of that name already holds exactly this value). A
/// name taken by another value gets a numbered suffix.
pub fn place(existing: &[u8], base: &str, value: &str) -> (String, Option<String>) {
    let entries = parse(existing);
    let mut name = base.to_string();
    let mut n = 1;
    loop {
        match entries.iter().rev().find(|(k, _)| k == name.as_bytes()) {
            Some((_, v)) if v == value.as_bytes() => return (name, None),
            Some(_) => {
                n += 1;
                name = format!("{base}_{n}");
            }
            None => break,
        }
    }
    (name.clone(), Some(format!("{name}={}", quote(value))))
}

/// `existing` with `line` added as its last line: a line break first when the file does
/// not end with one, the file's own line ending (`\r\n` or `\n`) after it. Bytes before
/// are kept as they are.
pub fn append(existing: &[u8], line: &str) -> Vec<u8> {
    let eol: &[u8] = if existing.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut out = existing.to_vec();
    if !existing.is_empty() && !existing.ends_with(b"\n") {
        out.extend_from_slice(eol);
    }
    out.extend_from_slice(line.as_bytes());
    out.extend_from_slice(eol);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_quote_and_place() {
        let env = b"# comment\nexport A='x&y=1'\nB=\"q\\\"r\"\nC=plain # note\nD=";
        let got: Vec<(String, String)> = parse(env)
            .into_iter()
            .map(|(k, v)| (String::from_utf8(k).unwrap(), String::from_utf8(v).unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A".into(), "x&y=1".into()),
                ("B".into(), "q\"r".into()),
                ("C".into(), "plain".into()),
                ("D".into(), "".into())
            ]
        );
        assert_eq!(quote("sv=1&sig=a%2Bb%3D"), "'sv=1&sig=a%2Bb%3D'");
        assert_eq!(quote("it's"), "\"it's\"");
        // Same value: reused. Other value: a new name.
        assert_eq!(place(env, "A", "x&y=1"), ("A".into(), None));
        assert_eq!(place(env, "A", "other"), ("A_2".into(), Some("A_2='other'".into())));
        assert_eq!(append(env, "A_2='other'"), [&env[..], b"\nA_2='other'\n"].concat());
        assert_eq!(append(b"", "N='v'"), b"N='v'\n");
        assert_eq!(append(b"X=1\r\n", "N='v'"), b"X=1\r\nN='v'\r\n");
        // Not UTF-8: names are still seen.
        let latin1 = b"# caf\xe9\nA='x'\n";
        assert_eq!(place(latin1, "A", "y").0, "A_2");
    }
}
