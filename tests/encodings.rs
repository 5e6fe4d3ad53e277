//! Table-driven tests of the encodings and containers a token hides in: base64 values
//! (Kubernetes Secrets), URLs percent-encoded twice inside another URL, JSON inside JSON,
//! HTML character references. Every case that must be found has a twin that must stay
//! quiet. Secrets are synthetic (random bytes, base64).

mod common;

use common::{base64, key32, key64, now, pct, sig, Rng};
use sasguard::config::Settings;
use sasguard::policy::{analyze, Finding};
use sasguard::redact::scrub;
use sasguard::scan::{scan, TokenForm, TokenKind};

const QUERY: &str = "sv=2022-11-02&sr=c&sp=rl&se=2030-01-01&sig=";
const CONN: &str = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={key64};EndpointSuffix=core.windows.net";

fn fill(template: &str) -> String {
    template
        .replace("{sig}", &pct(&sig(1)))
        .replace("{rawsig}", &sig(1))
        .replace("{key64}", &key64(7))
        .replace("{key32}", &key32(9))
}

fn findings(text: &str) -> Vec<Finding> {
    analyze(text.as_bytes(), &Settings::default(), now())
}

struct Case {
    name: &'static str,
    text: String,
    kind: TokenKind,
    form: TokenForm,
    /// What the token's range (and secret) must be, as written in the text.
    secret: String,
}

fn b64(inner: &str) -> String {
    base64(fill(inner).as_bytes())
}

fn cases() -> Vec<Case> {
    let conn64 = b64(CONN);
    let url = format!("https://acct.blob.core.windows.net/c?{QUERY}{{sig}}");
    let url64 = b64(&url);
    let sas_conn = format!("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature={QUERY}{{sig}}");
    let sas_conn64 = b64(&sas_conn);
    let sb = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key32}";
    let sb64 = b64(sb);
    let mut out = vec![
        Case {
            name: "Kubernetes Secret data value: storage connection string",
            text: format!("apiVersion: v1\nkind: Secret\ndata:\n  AZURE_STORAGE_CONNECTION_STRING: {conn64}\n"),
            kind: TokenKind::StorageAccountKey,
            form: TokenForm::Base64(Box::new(TokenForm::ConnectionString)),
            secret: conn64.clone(),
        },
        Case {
            name: "base64 in a JSON Secret manifest: SAS URL",
            text: format!("{{\"data\": {{\"url\": \"{url64}\"}}}}"),
            kind: TokenKind::ServiceSas,
            form: TokenForm::Base64(Box::new(TokenForm::Url)),
            secret: url64.clone(),
        },
        Case {
            name: "base64 of a SharedAccessSignature connection string",
            text: format!("  conn: {sas_conn64}\n"),
            kind: TokenKind::ServiceSas,
            form: TokenForm::Base64(Box::new(TokenForm::ConnectionString)),
            secret: sas_conn64.clone(),
        },
        Case {
            name: "base64 of a Service Bus connection string",
            text: format!("  sb: \"{sb64}\"\n"),
            kind: TokenKind::SharedAccessKey,
            form: TokenForm::Base64(Box::new(TokenForm::ConnectionString)),
            secret: sb64.clone(),
        },
        Case {
            name: "base64 value assigned to a key-like name (inside the anchor's extent)",
            text: format!("AZURE_STORAGE_KEY={conn64}\n"),
            kind: TokenKind::StorageAccountKey,
            form: TokenForm::Base64(Box::new(TokenForm::ConnectionString)),
            secret: conn64.clone(),
        },
        Case {
            name: "the second of two base64 values in one extent",
            text: format!("AZURE_STORAGE_KEY=x;b={conn64}\n"),
            kind: TokenKind::StorageAccountKey,
            form: TokenForm::Base64(Box::new(TokenForm::ConnectionString)),
            secret: conn64.clone(),
        },
        Case {
            name: "URL-safe base64 without padding",
            text: format!("v={} ", url64.replace('+', "-").replace('/', "_").trim_end_matches('=')),
            kind: TokenKind::ServiceSas,
            form: TokenForm::Base64(Box::new(TokenForm::Url)),
            secret: url64
                .replace('+', "-")
                .replace('/', "_")
                .trim_end_matches('=')
                .to_string(),
        },
        Case {
            name: "URL percent-encoded twice inside another URL",
            text: fill(&format!(
                "<a href=\"https://login.example.com/?returnUrl={}\">",
                url.replace("{sig}", &pct(&pct(&sig(1))))
                    .replace(':', "%253A")
                    .replace('/', "%252F")
                    .replace('?', "%253F")
                    .replace('=', "%253D")
                    .replace('&', "%2526")
            )),
            kind: TokenKind::ServiceSas,
            form: TokenForm::Url,
            secret: pct(&pct(&sig(1))),
        },
        Case {
            name: "JSON inside JSON: \\\\/ and \\\\u0026, signature JSON-escaped twice",
            text: format!(
                "{{\"body\": \"{{\\\"u\\\":\\\"https:\\\\/\\\\/acct.blob.core.windows.net\\\\/c?{}{}\\\"}}\"}}",
                QUERY.replace('&', "\\\\u0026").replace('=', "\\\\u003d"),
                sig(1).replace('/', "\\\\/")
            ),
            kind: TokenKind::ServiceSas,
            form: TokenForm::Url,
            secret: sig(1).replace('/', "\\\\/"),
        },
    ];
    // HTML character references as separators, and `&amp;amp;` (escaped twice).
    for (name, amp, eq) in [
        ("HTML &#38; and &#61;", "&#38;", "&#61;"),
        ("HTML &#x26; and &#x3D;", "&#x26;", "&#x3D;"),
        ("HTML &amp;amp;", "&amp;amp;", "="),
    ] {
        out.push(Case {
            name,
            text: fill(&format!("<img src=\"{}\">", url.replace('&', amp).replace('=', eq))),
            kind: TokenKind::ServiceSas,
            form: TokenForm::Url,
            secret: pct(&sig(1)),
        });
    }
    // Every trigger word at each of the three alignments: 0, 1 or 2 bytes before it.
    for pad in ["", "x", "xy"] {
        let conn64 = b64(&format!("{pad}{CONN}"));
        out.push(Case {
            name: "connection string at each alignment",
            text: format!("k: {conn64}\n"),
            kind: TokenKind::StorageAccountKey,
            form: TokenForm::Base64(Box::new(TokenForm::ConnectionString)),
            secret: conn64,
        });
        let q64 = b64(&format!("{pad}?{QUERY}{{sig}}"));
        out.push(Case {
            name: "SAS query at each alignment (only sig= to trigger on)",
            text: format!("k: {q64}\n"),
            kind: TokenKind::ServiceSas,
            form: TokenForm::Base64(Box::new(TokenForm::Query)),
            secret: q64,
        });
    }
    out
}

#[test]
fn found_inside_encodings_and_containers() {
    for c in cases() {
        let text = c.text.as_str();
        let toks = scan(text.as_bytes());
        assert_eq!(toks.len(), 1, "{}: {}", c.name, scrub(text));
        let t = &toks[0];
        assert_eq!(t.kind, c.kind, "{}", c.name);
        assert_eq!(t.form, c.form, "{}", c.name);
        assert!(
            text[t.secret.clone()] == c.secret,
            "{}: secret range is {:?}",
            c.name,
            t.secret
        );
        if let TokenForm::Base64(_) = t.form {
            assert_eq!(t.range, t.secret, "{}: the whole value is the token", c.name);
        }
        let f = findings(text);
        assert_eq!(f.len(), 1, "{}", c.name);
        assert!(
            !f[0].message().contains(&c.secret),
            "{}: message shows the secret",
            c.name
        );
    }
}

#[test]
fn base64_findings_say_so_and_keep_the_inner_fingerprint() {
    let plain = fill(CONN);
    let wrapped = format!("data:\n  c: {}\n", b64(CONN));
    let (p, w) = (findings(&plain), findings(&wrapped));
    assert_eq!((p.len(), w.len()), (1, 1));
    assert!(
        w[0].message().contains("base64-encoded connection string"),
        "{}",
        w[0].message()
    );
    assert!(!p[0].message().contains("base64"));
    assert_eq!(p[0].token.fingerprint, w[0].token.fingerprint);
    assert_eq!(p[0].token.account.as_deref(), Some("acct"));
    assert_eq!(w[0].token.account.as_deref(), Some("acct"));
    let url = fill(&format!(
        "u: {}\n",
        b64(&format!("https://acct.blob.core.windows.net/c?{QUERY}{{sig}}"))
    ));
    assert!(findings(&url)[0].message().contains("base64-encoded SAS URL"));
}

#[test]
fn redacting_a_base64_finding_replaces_the_whole_value() {
    let text = format!("data:\n  c: {}\n", b64(CONN));
    let t = &scan(text.as_bytes())[0];
    let edits = sasguard::fix::redact(t);
    assert_eq!(edits.len(), 1);
    let mut fixed = text.clone();
    fixed.replace_range(edits[0].range.clone(), &edits[0].text);
    assert_eq!(fixed, "data:\n  c: REDACTED\n");
}

/// What is shown of a line hides a signature-like value in every encoding the engine
/// reads, recognised as a token or not.
#[test]
fn signature_like_values_are_hidden_in_every_encoding() {
    let s = sig(4);
    for (name, text) in [
        ("encoded twice", format!("x%2526sig%253D{}", pct(&pct(&s)))),
        (
            "JSON inside JSON",
            format!("x\\\\u0026sig\\\\u003d{}", s.replace('/', "\\\\/")),
        ),
        ("HTML decimal reference", format!("x&#38;sig&#61;{}", pct(&s))),
        ("HTML hex reference", format!("x&#x26;sig&#x3D;{}", pct(&s))),
    ] {
        let ranges = sasguard::redact::secret_like_ranges(text.as_bytes(), 0..text.len());
        assert_eq!(ranges.len(), 1, "{name}: {}", scrub(&text));
        assert_eq!(ranges[0].end, text.len(), "{name}: the whole value");
    }
}

#[test]
fn must_stay_quiet() {
    let random64 = base64(&Rng::new(3).bytes(300));
    let placeholder =
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<key>;EndpointSuffix=core.windows.net";
    let emulator = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
    let mut binary = b"AccountKey=".to_vec();
    binary.extend(Rng::new(4).bytes(90));
    let double_placeholder = format!(
        "https://login.example.com/?returnUrl=https%253A%252F%252Facct.blob.core.windows.net%252Fc%253F{}",
        QUERY.replace('=', "%253D").replace('&', "%2526") + "%3Csignature%3E"
    );
    let cases: Vec<(&str, String)> = vec![
        ("base64 of random bytes", format!("k: {random64}\n")),
        ("base64 of random text", format!("k: {}\n", base64(b"The quick brown fox jumps over the lazy dog, sig=1 and AccountKey=2, nothing else here."))),
        ("base64 of a placeholder connection string", format!("k: {}\n", base64(placeholder.as_bytes()))),
        ("base64 of the emulator connection string", format!("k: {}\n", base64(emulator.as_bytes()))),
        ("base64 of binary bytes after AccountKey=", format!("k: {}\n", base64(&binary))),
        ("double-encoded URL with a placeholder signature", double_placeholder),
        ("JSON inside JSON with a placeholder signature", "{\"b\": \"https:\\\\/\\\\/acct.blob.core.windows.net\\\\/c?sv=2022-11-02\\\\u0026sr=c\\\\u0026sp=r\\\\u0026sig=<sig>\"}".into()),
        ("HTML references with a placeholder signature", "<a href=\"https://a.blob.core.windows.net/c?sv=2022-11-02&#38;sr=c&#38;sp=r&#38;sig&#61;XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX%3D\">".into()),
        // An entity that is not `&` does not split parameters: the signature is not one.
        ("another character reference before sig", fill(&(format!("u=https://a.blob.core.windows.net/c?{}", QUERY.replace("&sig=", "&#39;sig=")) + "{sig}"))),
    ];
    for (name, text) in cases {
        assert!(scan(text.as_bytes()).is_empty(), "{name}: {}", scrub(&text));
    }
}

/// A base64 value inside a base64 value is followed when the outer one triggers (its text
/// holds a trigger word too), two levels deep and no further.
#[test]
fn base64_inside_base64_is_followed_two_levels_deep() {
    let wrap = |inner: &str| base64(format!("AccountKey=<key>\nc: {inner}\n").as_bytes());
    let once = b64(CONN);
    let twice = wrap(&once);
    let thrice = wrap(&twice);
    assert_eq!(scan(format!("a: {once}\n").as_bytes()).len(), 1);
    let found = scan(format!("a: {twice}\n").as_bytes());
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].form,
        TokenForm::Base64(Box::new(TokenForm::Base64(Box::new(TokenForm::ConnectionString))))
    );
    assert_eq!(scan(format!("a: {thrice}\n").as_bytes()).len(), 0);
}

proptest::proptest! {
    /// What is taken as UTF-16 and decodes is encoded back to the same bytes, so `--fix`
    /// changes nothing but the secrets (the `utf16` fuzz target checks the same).
    #[test]
    fn utf16_round_trips(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64), mark in 0u8..3, ascii in proptest::prelude::any::<bool>()) {
        use sasguard::scan::utf16;
        // Half the inputs are ASCII-heavy UTF-16, so detection has something to find.
        let mut bytes: Vec<u8> = match mark {
            1 => vec![0xFF, 0xFE],
            2 => vec![0xFE, 0xFF],
            _ => vec![],
        };
        if ascii {
            for b in &body {
                let c = b' ' + b % 95;
                bytes.extend(if mark == 2 { [0, c] } else { [c, 0] });
            }
        } else {
            bytes.extend(&body);
        }
        if let Some(form) = utf16::detect(&bytes) {
            if let Some(text) = utf16::decode(&bytes, form) {
                proptest::prop_assert_eq!(utf16::encode(&text, form), bytes);
            }
        } else if ascii && body.len() >= 2 {
            proptest::prop_assert!(false, "ASCII text in UTF-16 is detected");
        }
    }
}
