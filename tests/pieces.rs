//! Tokens written in pieces: string literals joined by the language, continued and
//! wrapped lines, HTML breaks. Each shape is one finding on its first piece, with every
//! piece's range; redaction replaces every piece of the secret. Secrets are synthetic.

mod common;

use common::{key64, now, pct, sig};
use sasguard::config::Settings;
use sasguard::fix::{apply, redact};
use sasguard::policy::{analyze, Finding};
use sasguard::redact::scrub;
use sasguard::scan::TokenKind;

const URL: &str = "https://acct.blob.core.windows.net/c/model.pt";
const Q1: &str = "sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx";
const Q2: &str = "se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http";

/// `{s}` the encoded signature, `{s1}`/`{s2}` its two halves, `{p1}`/`{p2}` the same cut
/// inside a percent escape (`…%` / `2B…`), `{k}` a storage key, `{k1}`/`{k2}` its halves.
fn fill(template: &str) -> String {
    let s = pct(&sig(3));
    let (s1, s2) = s.split_at(s.len() / 2);
    let cut = s.find('%').expect("the signature holds an escape") + 1;
    let (p1, p2) = s.split_at(cut);
    let k = key64(5);
    let (k1, k2) = k.split_at(40);
    template
        .replace("{url}", URL)
        .replace("{q1}", Q1)
        .replace("{q2}", Q2)
        .replace("{s1}", s1)
        .replace("{s2}", s2)
        .replace("{p1}", p1)
        .replace("{p2}", p2)
        .replace("{s}", &s)
        .replace("{k1}", k1)
        .replace("{k2}", k2)
        .replace("{k}", &k)
}

fn findings(text: &str) -> Vec<Finding> {
    analyze(text.as_bytes(), &Settings::default(), now())
}

fn line_of(text: &str, pos: usize) -> usize {
    text[..pos].matches('\n').count() + 1
}

/// (name, template, kind, line of the first piece, at least this many pieces)
const SHAPES: &[(&str, &str, TokenKind, usize, usize)] = &[
    (
        "python adjacent literals over seven lines",
        "conn = (\n    \"BlobEndpoint=https://acct.blob.core.windows.net/;\"\n    \"SharedAccessSignature=\"\n    \"{q1}&\"\n    \"{q2}&\"\n    \"sig=\"\n    \"{s1}\"\n    \"{s2}\"\n)\n",
        TokenKind::AccountSas,
        2,
        7,
    ),
    (
        "c macro with continuations",
        "#define MODEL_URL \"{url}?{q1}&\" \\\n                  \"{q2}&sig={s}\"\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "objective-c adjacent literals",
        "NSString *u = @\"{url}?{q1}&{q2}\"\n               @\"&sig={s}\";\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "java name and value in different literals",
        "String url = \"{url}?{q1}&{q2}\"\n    + \"&sig\" + \"={s}\";\n",
        TokenKind::AccountSas,
        1,
        3,
    ),
    (
        "csharp verbatim pieces",
        "var url = @\"{url}?{q1}\" +\n          @\"&{q2}&sig={s}\";\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "javascript signature cut in two",
        "const url = '{url}?{q1}&{q2}&sig={s1}' +\n  '{s2}';\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "typescript template literals",
        "const url: string = `{url}?{q1}&` + `{q2}&sig={s}`;\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "kotlin and scala plus",
        "val url = \"{url}?{q1}&\" +\n    \"{q2}&sig={s}\"\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "go plus across lines",
        "url := \"{url}?{q1}&{q2}\" +\n\t\"&sig={s}\"\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "php dot",
        "$url = '{url}?{q1}&{q2}' .\n    '&sig={s}';\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "lua two dots",
        "local url = \"{url}?{q1}&{q2}\" ..\n  \"&sig={s}\"\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "visual basic ampersand and underscore",
        "Dim url As String = \"{url}?{q1}&{q2}\" & _\n    \"&sig={s}\"\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "shell backslash continuation",
        "curl -o model.pt \"{url}?{q1}&\\\n{q2}&sig={s}\"\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "powershell backtick continuation",
        "Invoke-WebRequest -Uri {url}?{q1}&`\n  {q2}&sig={s} -OutFile m.pt\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "yaml folded block scalar",
        "storage:\n  connection: >-\n    BlobEndpoint=https://acct.blob.core.windows.net/;\n    SharedAccessSignature={q1}&{q2}&sig={s}\n",
        TokenKind::AccountSas,
        3,
        2,
    ),
    (
        "yaml literal block with an account key",
        "conn: |\n  DefaultEndpointsProtocol=https;AccountName=acct;\n  AccountKey={k};EndpointSuffix=core.windows.net\n",
        TokenKind::StorageAccountKey,
        2,
        2,
    ),
    (
        "markdown table with a br",
        "| file | link |\n|---|---|\n| model | {url}?{q1}<br>&{q2}<br />&sig={s} |\n",
        TokenKind::AccountSas,
        3,
        3,
    ),
    (
        "console wrap inside the query",
        "Download from:\n{url}?{q1}&{q2}\n&sig={s}\n",
        TokenKind::AccountSas,
        2,
        2,
    ),
    (
        "console wrap inside a percent escape",
        "{url}?{q1}&{q2}&sig={p1}\n{p2}\n",
        TokenKind::AccountSas,
        1,
        2,
    ),
    (
        "storage key cut across adjacent literals",
        "conn = (\"DefaultEndpointsProtocol=https;AccountName=acct;\"\n        \"AccountKey={k1}\"\n        \"{k2};EndpointSuffix=core.windows.net\")\n",
        TokenKind::StorageAccountKey,
        1,
        3,
    ),
];

#[test]
fn every_shape_is_one_finding_on_its_first_piece() {
    for (name, template, kind, line, min_pieces) in SHAPES {
        let text = fill(template);
        let found = findings(&text);
        assert_eq!(found.len(), 1, "{name}: {}", scrub(&format!("{found:?}")));
        let f = &found[0];
        let tok = &f.token;
        assert_eq!(tok.kind, *kind, "{name}");
        assert_eq!(line_of(&text, tok.range.start), *line, "{name}");
        let pieces = tok.piece_ranges();
        assert!(pieces.len() >= *min_pieces, "{name}: {} pieces", pieces.len());
        assert!(
            pieces.windows(2).all(|w| w[0].end <= w[1].start),
            "{name}: pieces in order"
        );
        // The secret read piece by piece is the whole signature or key.
        let secret = String::from_utf8(tok.text_of(text.as_bytes(), &tok.secret)).unwrap();
        let want = if *kind == TokenKind::StorageAccountKey {
            key64(5)
        } else {
            pct(&sig(3))
        };
        assert!(secret == want, "{name}: the joined secret differs");
    }
}

#[test]
fn a_shape_of_one_language_is_judged_like_the_token_in_one_piece() {
    let one = findings(&fill("u = \"{url}?{q1}&{q2}&sig={s}\"\n"));
    let split = findings(&fill(SHAPES[0].1));
    assert_eq!(one.len(), 1);
    let rules = |f: &Finding| f.fired.iter().map(|r| r.rule.id()).collect::<Vec<_>>();
    assert_eq!(one[0].summary, split[0].summary);
    assert_eq!(rules(&one[0]), rules(&split[0]));
    assert_eq!(one[0].token.fingerprint, split[0].token.fingerprint);
    assert_eq!(one[0].token.params, split[0].token.params);
}

#[test]
fn redaction_replaces_every_piece_of_the_secret() {
    for (name, template, ..) in SHAPES {
        let text = fill(template);
        let found = findings(&text);
        let edits: Vec<_> = found.iter().flat_map(|f| redact(&f.token)).collect();
        let after = apply(&text, &edits);
        assert!(findings(&after).is_empty(), "{name}: {}", scrub(&after));
        let secret = if text.contains(&key64(5)) {
            key64(5)
        } else {
            pct(&sig(3))
        };
        let (a, b) = secret.split_at(secret.len() / 2);
        assert!(
            !after.contains(&a[..12]) && !after.contains(&b[b.len() - 12..]),
            "{name}"
        );
    }
}

#[test]
fn what_stays_quiet() {
    for (name, template) in [
        ("built at run time", "u = \"{url}?{q1}&{q2}&sig=\" + sig\n"),
        (
            "a variable between literals",
            "u = \"{url}?{q1}&sig={s1}\" + rest + \"{s2}\"\n",
        ),
        (
            "arguments, not a concatenation",
            "f(\"{url}?{q1}&{q2}&sig={s1}\", \"{s2}\")\n",
        ),
        (
            "placeholder in pieces",
            "u = \"{url}?{q1}&{q2}\" +\n    \"&sig=<signature>\"\n",
        ),
        (
            "placeholder cut in two",
            "u = \"{url}?{q1}&{q2}&sig=XXXXXXXXXXXXXXXXXXXXXX\" + \"XXXXXXXXXXXXXXXXXXXXX%3D\"\n",
        ),
        ("two statements", "a = \"{url}?{q1}&sig={s1}\";\nb = \"{s2}\";\n"),
        ("env lines", "URL={url}?{q1}&{q2}&sig={s1}\nNEXT={s2}\n"),
        (
            "emulator in pieces",
            "c = (\"AccountName=devstoreaccount1;\"\n     \"AccountKey={k}\")\n",
        ),
    ] {
        let text = fill(template);
        let found = findings(&text);
        assert!(found.is_empty(), "{name}: {}", scrub(&format!("{found:?}")));
    }
}

#[test]
fn a_token_whole_in_one_literal_of_a_chain_keeps_its_own_finding() {
    // The literal after it joins the chain but not the token: the token stays as it is.
    let text = fill("u = \"{url}?{q1}&{q2}&sig={s}\" + \"&x=1\"\nv = \"{url}?{q1}&{q2}&sig={s}\" \"abc\"\n");
    let found = findings(&text);
    assert_eq!(found.len(), 2, "{}", scrub(&format!("{found:?}")));
    for (f, line) in found.iter().zip([1, 2]) {
        assert_eq!(line_of(&text, f.token.range.start), line);
        assert!(f.token.pieces.is_none(), "line {line} is one piece");
    }
}
