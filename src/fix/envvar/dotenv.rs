//! Reading and extending `.env` files as dotenv readers (python-dotenv, Node's dotenv,
//! Docker Compose) understand them.

/// The variables a `.env` file defines, in order.
pub fn parse(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        out.push((name.to_string(), unquote(value.trim())));
    }
    out
}

fn unquote(v: &str) -> String {
    if let Some(inner) = v.strip_prefix('\'').and_then(|r| r.rfind('\'').map(|i| &r[..i])) {
        return inner.to_string();
    }
    if let Some(inner) = v.strip_prefix('"').and_then(|r| r.rfind('"').map(|i| &r[..i])) {
        return inner.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_string(),
        None => v.to_string(),
    }
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

/// Where a value goes: the name to use, and the text to append (`None` when a variable of
/// that name already holds exactly this value). A name taken by another value gets a
/// numbered suffix.
pub fn place(existing_text: &str, base: &str, value: &str) -> (String, Option<String>) {
    let entries = parse(existing_text);
    let mut name = base.to_string();
    let mut n = 1;
    loop {
        match entries.iter().rev().find(|(k, _)| *k == name) {
            Some((_, v)) if v == value => return (name, None),
            Some(_) => {
                n += 1;
                name = format!("{base}_{n}");
            }
            None => break,
        }
    }
    let sep = if existing_text.is_empty() || existing_text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    (name.clone(), Some(format!("{sep}{name}={}\n", quote(value))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_quote_and_place() {
        let env = "# comment\nexport A='x&y=1'\nB=\"q\\\"r\"\nC=plain # note\nD=";
        assert_eq!(
            parse(env),
            vec![
                ("A".into(), "x&y=1".into()),
                ("B".into(), "q\"r".into()),
                ("C".into(), "plain".into()),
                ("D".into(), "".into())
            ]
        );
        assert_eq!(quote("sv=1&sig=a%2Bb%3D"), "'sv=1&sig=a%2Bb%3D'");
        assert_eq!(quote("it's"), "\"it's\"");
        // Same value: reused. Other value: a new name. No trailing newline: one is added.
        assert_eq!(place(env, "A", "x&y=1"), ("A".into(), None));
        assert_eq!(place(env, "A", "other"), ("A_2".into(), Some("\nA_2='other'\n".into())));
        assert_eq!(place("", "NEW", "v"), ("NEW".into(), Some("NEW='v'\n".into())));
        assert_eq!(parse(&format!("{env}\nA_2='other'\n")).last().unwrap().1, "other");
    }
}
