//! Property: any sequence of edits applied incrementally gives exactly the findings of a
//! fresh full scan of the final text.

mod common;

use common::{key32, key64, now, pct, sig};
use proptest::prelude::*;
use sasguard::config::Settings;
use sasguard::lsp::document::{Context, Document};
use sasguard::policy::analyze;

fn fragments() -> Vec<String> {
    vec![
        format!(
            "u = \"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&sig={}\"",
            pct(&sig(1))
        ),
        format!(
            "?sv=2024-11-04&sr=b&sp=r&se=2026-01-15T13:00Z&spr=https&sig={}",
            pct(&sig(2))
        ),
        format!("AccountName=a;AccountKey={};", key64(3)),
        format!(
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={}",
            key32(4)
        ),
        "sig=".into(),
        "&sp=rwd".into(),
        "%3D".into(),
        "\n".into(),
        "\r\n".into(),
        "\r".into(),
        "// sasguard:ignore-next-line\n".into(),
        " # sasguard:ignore".into(),
        "😀中".into(),
        " ".into(),
        "\"".into(),
        "x".into(),
        // Tokens in pieces: literals joined by the language, continued and wrapped lines.
        "\"https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&\"".into(),
        format!("\"sig={}\"", &pct(&sig(8))[..20]),
        format!("\"{}\"", &pct(&sig(8))[20..]),
        format!("sig={}", &pct(&sig(8))[..20]),
        pct(&sig(8))[20..].to_string(),
        " +\n    ".into(),
        " ".into(),
        "\\\n".into(),
        "<br>".into(),
        "&\n".into(),
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=o&sp=r&se=2051-01-01&".into(),
        "(\"AccountName=a;\"\n \"AccountKey=".into(),
        format!("{}\")", key64(9)),
        "\n  ".into(),
        "..".into(),
        "\" \"".into(),
        // Calls that mint a token, over several lines, and their parts.
        "az storage account generate-sas \\\n  --services bfqt \\\n  --resource-types sco \\\n  --permissions rwdlacup \\\n  --expiry 2056-01-01".into(),
        "sas = generate_account_sas(\n    account_name,\n".into(),
        "    permission=AccountSasPermissions(read=True, write=True, delete=True, list=True, create=True),\n".into(),
        "    expiry=datetime.utcnow() + timedelta(days=3650),\n".into(),
        ")\n".into(),
        "var b = new AccountSasBuilder {\n    Services = AccountSasServices.All,\n".into(),
        "    ExpiresOn = DateTimeOffset.UtcNow.AddYears(30) };\n".into(),
        "b.SetPermissions(AccountSasPermissions.All);\n".into(),
        "data \"azurerm_storage_account_sas\" \"x\" {\n  services {\n    blob = true\n  }\n".into(),
        "  expiry = timeadd(timestamp(), \"87600h\")\n  permissions {\n    write = true\n  }\n}\n".into(),
        // Java, Go and legacy calls whose reading depends on a statement after them.
        "v = new AccountSasSignatureValues(OffsetDateTime.now().plusYears(30), AccountSasPermission.parse(\"rwdl\"), s, r);\n".into(),
        "v.setProtocol(SasProtocol.HTTPS_HTTP);\n".into(),
        "v := sas.BlobSignatureValues{\n\tExpiryTime: time.Now().AddDate(30, 0, 0),\n\tPermissions: \"rwd\",\n}\n".into(),
        "qp, _ := v.SignWithUserDelegation(udc)\n".into(),
        "p = new SharedAccessBlobPolicy { Permissions = SharedAccessBlobPermissions.Write };\n".into(),
        "container.GetSharedAccessSignature(p);\n".into(),
        "svc.generate_account_shared_access_signature(ResourceTypes.OBJECT, 'rwdl', datetime.utcnow() + timedelta(days=3650))\n".into(),
        // Templates: a storage account's settings, a parameter that is now, a SAS output.
        "param t string = utcNow()\n".into(),
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  properties: {\n".into(),
        "    allowSharedKeyAccess: false\n".into(),
        "  }\n}\n".into(),
        "output s string = sa.listAccountSas('2023-01-01', {\n  signedPermission: 'rwdlacup'\n".into(),
        "  signedExpiry: dateTimeAdd(t, 'P30Y')\n}).accountSasToken\n".into(),
        "resource \"azurerm_storage_account\" \"x\" {\n  sas_policy {\n  }\n".into(),
        // Values a call names, assigned before it (or a parameter that hides them).
        "expiry = datetime.utcnow() + timedelta(days=3650)\n".into(),
        "    expiry=expiry,\n".into(),
        "def f(expiry):\n".into(),
        "end=$(date -u -d \"30 years\" '+%Y-%m-%dT%H:%MZ')\n".into(),
        "az storage container generate-sas --name c --permissions rwdl --expiry $end\n".into(),
        "$EndTime = (Get-Date).AddYears(10)\n".into(),
        "New-AzStorageContainerSASToken -Name c -Permission rwdl -ExpiryTime $EndTime\n".into(),
        "var expiresOn = DateTimeOffset.UtcNow.AddYears(5);\n".into(),
        "    ExpiresOn = expiresOn,\n".into(),
        "const policy = { AccessPolicy: { Permissions: 'rwdl', Expiry: new Date(Date.now() + 9e10) } };\n".into(),
        "blobService.generateSharedAccessSignature(c, '', policy);\n".into(),
        "params = AccountSasParameters(services='b', resource_types='o', permissions='rwdl', shared_access_expiry_time=expiry)\n".into(),
        "client.storage_accounts.list_account_sas(rg, name, params)\n".into(),
    ]
}

fn text_from(pieces: &[usize]) -> String {
    let f = fragments();
    pieces.iter().map(|i| f[i % f.len()].as_str()).collect()
}

#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    delete: usize,
    insert: Vec<usize>,
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    (0.0..=1.0f64, 0usize..40, prop::collection::vec(0usize..64, 0..3)).prop_map(|(at, delete, insert)| Edit {
        at,
        delete,
        insert,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn incremental_equals_full_scan(initial in prop::collection::vec(0usize..64, 0..30),
                                    edits in prop::collection::vec(edit_strategy(), 1..25)) {
        let settings = Settings::default();
        let ctx = Context { settings: &settings, now: now() };
        let mut doc = Document::new(&text_from(&initial), 1, "plaintext", ctx);
        for e in edits {
            let len = doc.rope.len_bytes();
            let start = ((len as f64) * e.at) as usize;
            doc.edit(start..start + e.delete, &text_from(&e.insert), ctx);
            let full = analyze(doc.text().as_bytes(), &settings, now());
            prop_assert_eq!(&doc.findings, &full);
        }
    }
}

#[test]
fn an_edit_that_completes_a_token_is_seen_and_one_that_breaks_it_clears_it() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let url = fragments()[0].clone();
    let head = &url[..url.len() - 10];
    let text = format!("line one\n{head}\nlast line\n");
    let mut doc = Document::new(&text, 1, "python", ctx);
    assert!(doc.findings.is_empty());
    let at = text.find("\nlast").unwrap();
    doc.edit(at..at, &url[url.len() - 10..], ctx);
    assert_eq!(doc.findings.len(), 1);
    assert_eq!(&doc.text()[doc.findings[0].token.range.clone()], &url[5..url.len() - 1]);
    // Insert a line above: the finding moves with the text.
    doc.edit(0..0, "new first line\r\n", ctx);
    assert_eq!(&doc.text()[doc.findings[0].token.range.clone()], &url[5..url.len() - 1]);
    // Suppress it from the line above.
    let line_start = doc.text().find("u = ").unwrap();
    doc.edit(line_start..line_start, "# sasguard:ignore-next-line\n", ctx);
    assert!(doc.findings.is_empty());
}

/// Pieces of a minified line: tokens in every form, separators, markers and near-misses.
fn line_fragments() -> Vec<String> {
    let mut f: Vec<String> = fragments().into_iter().filter(|s| !s.contains(['\n', '\r'])).collect();
    f.extend([
        "\",\"".to_string(),
        format!("\"accountKey\": \"{}\"", key64(5)),
        format!(
            "SharedAccessSignature sr=ns.servicebus.windows.net&sig={}&se=2051000000&skn=Root",
            pct(&sig(6))
        ),
        format!("&a=xsig={}", "ABCDEFGHIJKLMNOPQRSTUV"),
        "sasguard:ignore".into(),
        "/*sasguard:ignore*/".into(),
        " // sasguard:ignore".into(),
        "'".into(),
        "x".repeat(700),
        // Calls that mint a token, on the long line.
        "az storage account generate-sas --services bfqt --resource-types sco --permissions rwdlacup --expiry 2056-01-01 ; ".into(),
        "generate_blob_sas(a, c, b, permission='rwdl', expiry=datetime.utcnow() + timedelta(days=400))".into(),
        "new BlobSasBuilder(BlobSasPermissions.All, DateTimeOffset.UtcNow.AddYears(30)) { Resource = \"b\" }".into(),
    ]);
    f
}

fn line_from(pieces: &[usize]) -> String {
    let f = line_fragments();
    pieces.iter().map(|i| f[i % f.len()].as_str()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, .. ProptestConfig::default() })]

    /// Edits inside one long line go through a window around the edit: the result must
    /// still equal a full scan, whatever the edit cuts or joins.
    #[test]
    fn windowed_edits_on_a_long_line_equal_full_scan(
        initial in prop::collection::vec(0usize..40, 300..600),
        edits in prop::collection::vec(edit_strategy(), 1..12),
    ) {
        let settings = Settings::default();
        let ctx = Context { settings: &settings, now: now() };
        let text = format!("first line\n{}\nlast line\n", line_from(&initial));
        let mut doc = Document::new(&text, 1, "plaintext", ctx);
        for e in edits {
            let len = doc.rope.len_bytes();
            let start = ((len as f64) * e.at) as usize;
            let insert: Vec<usize> = e.insert.iter().map(|i| i * 7 + 3).collect();
            doc.edit(start..start + e.delete, &line_from(&insert), ctx);
            let full = analyze(doc.text().as_bytes(), &settings, now());
            prop_assert_eq!(&doc.findings, &full);
        }
    }
}

#[test]
fn edits_beside_a_token_on_a_long_line_change_what_depends_on_them() {
    // A key's name and a header's prefix sit outside the token's own run of characters:
    // editing them must re-judge the token even though the edit does not touch it.
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let filler = "\"x\",".repeat(10_000);
    let key = format!("\"accountKey\": \"{}\"", key64(5));
    let header = format!(
        "SharedAccessSignature sr=ns.servicebus.windows.net&sig={}&se=2051000000&skn=Root",
        pct(&sig(6))
    );
    let text = format!("{filler}{key} {header} {filler}\n");
    let mut doc = Document::new(&text, 1, "plaintext", ctx);
    let check = |doc: &Document| {
        let full = analyze(doc.text().as_bytes(), &settings, now());
        assert_eq!(doc.findings, full);
        full.len()
    };
    assert_eq!(check(&doc), 2);
    let name = text.find("accountKey").unwrap() + 7;
    doc.edit(name..name + 1, "X", ctx); // accountXey: no longer a key name
    assert_eq!(check(&doc), 1);
    doc.edit(name..name + 1, "K", ctx);
    assert_eq!(check(&doc), 2);
    let prefix = text.find("SharedAccessSignature ").unwrap() + 3;
    doc.edit(prefix..prefix + 1, "r", ctx);
    check(&doc);
    doc.edit(prefix..prefix + 1, "e", ctx);
    assert_eq!(check(&doc), 2);
}

#[test]
fn a_quote_typed_far_from_a_marker_on_a_long_line_changes_what_it_suppresses() {
    // What a marker suppresses depends on the quotes before it anywhere on its line: a
    // windowed edit 20 KiB away must still be judged as a full scan judges it.
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let url = format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={}",
        pct(&sig(7))
    );
    let filler = "\"x\",".repeat(10_000);
    let text = format!("first\n{filler} \"{url}\" // sasguard:ignore\nlast\n");
    let mut doc = Document::new(&text, 1, "plaintext", ctx);
    let check = |doc: &Document| {
        let full = analyze(doc.text().as_bytes(), &settings, now());
        assert_eq!(doc.findings, full);
        full.len()
    };
    assert_eq!(check(&doc), 0);
    // An unclosed quote at the line's start puts the marker inside a string.
    doc.edit(6..6, "\"", ctx);
    assert_eq!(check(&doc), 1);
    doc.edit(6..7, "", ctx);
    assert_eq!(check(&doc), 0);
    // An inline comment attached to the token, then code typed between them.
    let at = doc.text().find(" // sasguard").unwrap();
    doc.edit(at..at + 3, "/*", ctx);
    let close = doc.text().find("sasguard:ignore").unwrap() + 15;
    doc.edit(close..close, "*/ y", ctx);
    assert_eq!(check(&doc), 0);
    let at = doc.text().find("/* sasguard").unwrap();
    doc.edit(at..at, "+z", ctx);
    assert_eq!(check(&doc), 1);

    // A token attached to an inline comment across 8 KiB of spaces: a letter typed in the
    // middle, far from both, detaches it; deleting it attaches it again.
    let gap = " ".repeat(8 << 10);
    let text = format!("first\n{filler} \"{url}\"{gap}/*sasguard:ignore*/ {filler}\nlast\n");
    let mut doc = Document::new(&text, 1, "plaintext", ctx);
    assert_eq!(check(&doc), 0);
    let mid = text.find("/*sasguard").unwrap() - (4 << 10);
    doc.edit(mid..mid, "y", ctx);
    assert_eq!(check(&doc), 1);
    doc.edit(mid..mid + 1, "", ctx);
    assert_eq!(check(&doc), 0);
}

#[test]
fn an_edit_to_any_piece_of_a_token_over_many_lines_equals_full_scan() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let s = pct(&sig(11));
    let text = format!(
        "a = 1\nconn = (\n    \"BlobEndpoint=https://acct.blob.core.windows.net/;\"\n    \"SharedAccessSignature=\"\n    \"sv=2020-08-04&ss=b&srt=sco&sp=rwdl&\"\n    \"se=2051-01-01&\"\n    \"sig=\"\n    \"{}\"\n    \"{}\"\n)\nb = 2\n",
        &s[..20],
        &s[20..]
    );
    // Each edit, at every line of the chain: break a link, join it again, change a value.
    for (what, with) in [("\"\n    \"", "\";\n    \""), ("sp=rwdl", "sp=r"), ("acct", "other")] {
        let mut doc = Document::new(&text, 1, "python", ctx);
        let check = |doc: &Document| {
            let full = analyze(doc.text().as_bytes(), &settings, now());
            assert_eq!(doc.findings, full, "after replacing {what:?}");
            full.len()
        };
        assert_eq!(check(&doc), 1);
        let mut from = 0;
        while let Some(i) = doc.text()[from..].find(what) {
            let at = from + i;
            doc.edit(at..at + what.len(), with, ctx);
            check(&doc);
            doc.edit(at..at + with.len(), what, ctx);
            assert_eq!(check(&doc), 1);
            from = at + what.len();
        }
    }
}

#[test]
fn an_edit_to_any_line_of_a_call_that_mints_a_token_equals_full_scan() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let mut text = String::from("using Azure.Storage.Sas;\n\nvar builder = new AccountSasBuilder\n{\n");
    for _ in 0..6 {
        text.push_str("    // a comment line inside the initialiser\n");
    }
    text.push_str("    Services = AccountSasServices.All,\n    ResourceTypes = AccountSasResourceTypes.All,\n    ExpiresOn = DateTimeOffset.UtcNow.AddYears(30),\n};\n");
    text.push_str("builder.SetPermissions(AccountSasPermissions.Read);\nreturn builder;\n");
    // Each edit far from the builder's first line changes its verdict.
    for (what, with) in [
        ("AccountSasPermissions.Read", "AccountSasPermissions.All"),
        ("AddYears(30)", "AddHours(1)"),
        ("AccountSasServices.All", "AccountSasServices.Blobs"),
    ] {
        let mut doc = Document::new(&text, 1, "csharp", ctx);
        let before = doc.findings.clone();
        assert_eq!(before, analyze(text.as_bytes(), &settings, now()));
        let at = text.find(what).unwrap();
        doc.edit(at..at + what.len(), with, ctx);
        let full = analyze(doc.text().as_bytes(), &settings, now());
        assert_eq!(doc.findings, full, "after replacing {what:?}");
        assert_ne!(doc.findings, before, "replacing {what:?} changes the verdict");
        doc.edit(at..at + with.len(), what, ctx);
        assert_eq!(doc.findings, before);
    }
}

#[test]
fn an_edit_far_into_a_call_on_a_long_line_re_reads_the_call() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    // The call starts more than a window's margin before the edit.
    let call = format!(
        "generate_blob_sas(a, c, b,{} permission='r', expiry=datetime.utcnow() + timedelta(days=400))",
        " a,".repeat(500)
    );
    let text = format!("first\n{}{call}{}\nlast\n", "x ".repeat(9000), " y".repeat(9000));
    let mut doc = Document::new(&text, 1, "python", ctx);
    assert_eq!(doc.findings.len(), 1);
    let at = text.find("days=400").unwrap();
    doc.edit(at..at + "days=400".len(), "days=1", ctx);
    assert_eq!(doc.findings, analyze(doc.text().as_bytes(), &settings, now()));
    assert!(doc.findings.is_empty());
}

#[test]
fn a_call_over_lines_ended_by_cr_alone_is_re_read_whole() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    // More lines than the reach, ended by `\r` alone (as an editor counts them): the call is
    // not read, in full or incrementally.
    let mut text = String::from("x = generate_account_sas(\r  a,\r");
    for _ in 0..45 {
        text.push_str("  # filler\r");
    }
    text.push_str("  permission='rwdl', expiry=datetime.utcnow() + timedelta(days=400))\r");
    let mut doc = Document::new(&text, 1, "python", ctx);
    assert!(doc.findings.is_empty());
    // An edit at its end, far from its first line.
    let at = text.find("'rwdl'").unwrap();
    doc.edit(at..at + 6, "'r'", ctx);
    assert_eq!(doc.findings, analyze(doc.text().as_bytes(), &settings, now()));
    // Lines removed just above its end until it is within reach: read once it is.
    for _ in 0..45 {
        let at = doc.text().rfind("  # filler\r").unwrap();
        doc.edit(at..at + "  # filler\r".len(), "", ctx);
        assert_eq!(doc.findings, analyze(doc.text().as_bytes(), &settings, now()));
    }
    assert_eq!(doc.findings.len(), 1);
}

/// A value assigned lines above the call that names it: typing on the assignment re-reads
/// the call exactly as far as a full scan lets the call look back (40 lines), on either side
/// of that bound, and with the lines between made long (the 2 KB bound).
#[test]
fn edits_to_a_value_above_its_call_equal_full_scan() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let def = "expiry = datetime.utcnow() + timedelta(days=3650)\n";
    let call = "sas = generate_account_sas(a, k, permission='rwdl', expiry=expiry)\n";
    for filler in [
        "# a line between\n",
        "# a much longer line between the assignment and the call, to reach the byte bound first\n",
    ] {
        for gap in [0, 20, 37, 38, 39, 40, 41, 60, 80, 100] {
            let text = format!("{def}{}{call}", filler.repeat(gap));
            let mut doc = Document::new(&text, 1, "python", ctx);
            assert_eq!(doc.findings, analyze(text.as_bytes(), &settings, now()));
            let at = text.find("days=3650").unwrap();
            doc.edit(at..at + "days=3650".len(), "hours=1", ctx);
            assert_eq!(
                doc.findings,
                analyze(doc.text().as_bytes(), &settings, now()),
                "gap {gap}, {filler:?}"
            );
        }
    }
}
