//! Deriving the variable name from context: the variable, constant, key or property the
//! literal is assigned to (`MODEL_URL = "…"` gives `MODEL_URL`, `"storageConnection": "…"`
//! gives `STORAGE_CONNECTION`), else from the kind and account.

use crate::scan::{Token, TokenKind};

/// Words that are syntax, not names.
const KEYWORDS: &[&str] = &[
    "let",
    "const",
    "var",
    "val",
    "string",
    "String",
    "str",
    "static",
    "final",
    "readonly",
    "public",
    "private",
    "protected",
    "internal",
    "export",
    "ENV",
    "ARG",
    "set",
    "mut",
    "auto",
    "new",
    "return",
    "default",
    "value",
    "url",
    "uri",
];

/// The name a literal starting at `literal_start` is assigned to, on its line.
pub fn assigned_name(t: &[u8], literal_start: usize) -> Option<String> {
    let line_start = t[..literal_start]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let before = String::from_utf8_lossy(&t[line_start..literal_start]);
    // `X = (` with the literal on this or the next line: the parenthesis is grouping.
    let mut s = before.trim_end();
    if let Some(rest) = s.strip_suffix('(') {
        if rest.trim_end().ends_with('=') {
            s = rest.trim_end();
        }
    }
    let mut assigned = false;
    for op in [":=", "=>", "=", ":", "("] {
        if let Some(rest) = s.strip_suffix(op) {
            s = rest.trim_end();
            assigned = op != "(";
            break;
        }
    }
    if !assigned {
        return None;
    }
    // Type annotations: `url: str = …`, `const X: &str = …`.
    if let Some(i) = s.rfind(':') {
        let (head, ty) = s.split_at(i);
        if !ty.contains(['"', '\'', '{', '[', ',']) && !head.trim_end().is_empty() && !head.ends_with(':') {
            s = head.trim_end();
        }
    }
    let s = s.trim_end_matches(['"', '\'', ']', ' ']);
    let ident: String = s
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let ident = ident.trim_start_matches(['$', '.', '-']);
    let ident = ident.rsplit('.').next().unwrap_or(ident);
    if ident.is_empty()
        || KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(ident))
        || ident.chars().next()?.is_ascii_digit()
    {
        return None;
    }
    let name = upper_snake(ident);
    (!name.is_empty()).then_some(name)
}

/// `storageConnection` → `STORAGE_CONNECTION`, `model-url` → `MODEL_URL`, `MODEL_URL` stays.
pub fn upper_snake(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let boundary = i > 0
                && c.is_ascii_uppercase()
                && (chars[i - 1].is_ascii_lowercase()
                    || chars[i - 1].is_ascii_digit()
                    || (chars[i - 1].is_ascii_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// `AZURE_STORAGE_<ACCOUNT>_SAS` and its kin, for literals assigned to nothing.
pub fn fallback_name(token: &Token) -> String {
    let account = token.account.as_deref().map(upper_snake).filter(|a| !a.is_empty());
    let (service, what) = match token.kind {
        TokenKind::StorageAccountKey => ("STORAGE", "KEY"),
        TokenKind::SharedAccessKey => ("SERVICEBUS", "KEY"),
        TokenKind::ServiceBusSas => ("SERVICEBUS", "SAS"),
        TokenKind::IotDeviceKey | TokenKind::IotModuleKey => ("IOTHUB", "DEVICE_KEY"),
        TokenKind::CosmosAccountKey => ("COSMOS", "KEY"),
        TokenKind::CosmosMasterToken | TokenKind::CosmosResourceToken => ("COSMOS", "TOKEN"),
        TokenKind::LogicAppsTrigger => ("LOGICAPP", "TRIGGER_URL"),
        TokenKind::ApimSas => ("APIM", "SAS"),
        TokenKind::EventGridSas => ("EVENTGRID", "SAS"),
        TokenKind::EventGridKey => ("EVENTGRID", "KEY"),
        TokenKind::SignalRKey => ("SIGNALR", "KEY"),
        TokenKind::WebPubSubKey => ("WEBPUBSUB", "KEY"),
        TokenKind::CommunicationKey => ("COMMUNICATION", "KEY"),
        _ => ("STORAGE", "SAS"),
    };
    let what = if token.form == crate::scan::TokenForm::ConnectionString {
        "CONNECTION_STRING"
    } else {
        what
    };
    match account {
        Some(a) => format!("AZURE_{service}_{a}_{what}"),
        None => format!("AZURE_{service}_{what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(line: &str) -> Option<String> {
        let at = ["\"x\"", "'x'"].iter().find_map(|l| line.find(l)).unwrap_or(line.len());
        assigned_name(line.as_bytes(), at)
    }

    #[test]
    fn names_from_assignments_keys_and_properties() {
        assert_eq!(name("MODEL_URL = \"x\"").as_deref(), Some("MODEL_URL"));
        assert_eq!(
            name("  \"storageConnection\": \"x\"").as_deref(),
            Some("STORAGE_CONNECTION")
        );
        assert_eq!(name("const sasUrl = 'x'").as_deref(), Some("SAS_URL"));
        assert_eq!(
            name("private static final String BLOB_SAS = \"x\";").as_deref(),
            Some("BLOB_SAS")
        );
        assert_eq!(name("    modelURL := \"x\"").as_deref(), Some("MODEL_URL"));
        assert_eq!(name("self.download_url = \"x\"").as_deref(), Some("DOWNLOAD_URL"));
        assert_eq!(name("const URL: &str = \"x\";").as_deref(), None);
        assert_eq!(name("const BLOB: &str = \"x\";").as_deref(), Some("BLOB"));
        assert_eq!(name("  sas_token: \"x\"").as_deref(), Some("SAS_TOKEN"));
        assert_eq!(name("$conn = \"x\"").as_deref(), Some("CONN"));
        assert_eq!(name("config[\"blobSas\"] = \"x\"").as_deref(), Some("BLOB_SAS"));
        assert_eq!(name("print(\"x\")"), None);
        assert_eq!(name("\"x\""), None);
    }

    #[test]
    fn snake_case() {
        assert_eq!(upper_snake("HTTPSUrl"), "HTTPS_URL");
        assert_eq!(upper_snake("model-url.v2"), "MODEL_URL_V2");
    }
}
