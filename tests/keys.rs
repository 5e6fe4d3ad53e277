//! Table-driven tests of keys found without a connection string: passed by position to the
//! SDK calls that take them, assigned to a name on the next line or far from their `=`,
//! given as command-line options, printed by the Azure CLI; and the values that must stay
//! quiet (placeholders, variables, integrity hashes, other vendors' names). Secrets are
//! synthetic (random bytes, base64).

mod common;

use common::{key32, key64, now, pct, sig};
use sasguard::config::Settings;
use sasguard::lsp::document::{Context, Document};
use sasguard::policy::{analyze, Finding};
use sasguard::redact::scrub;
use sasguard::scan::{TokenForm, TokenKind};

const EMULATOR_KEY: &str = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// A storage key carrying the `+ASt` marker of newer keys at characters 77–80.
fn marked_key(seed: u64) -> String {
    let k = key64(seed);
    format!("{}+ASt{}", &k[..76], &k[80..])
}

/// Fills a template: `{key64}`, `{key32}` (second Service Bus key `{key32b}`), `{mkey}` a
/// marked storage key, `{sig}` a percent-encoded signature, `{emu}` the emulator key.
fn fill(template: &str) -> String {
    template
        .replace("{key64}", &key64(7))
        .replace("{key32}", &key32(9))
        .replace("{key32b}", &key32(10))
        .replace("{mkey}", &marked_key(11))
        .replace("{sig}", &pct(&sig(1)))
        .replace("{emu}", EMULATOR_KEY)
}

fn findings(text: &str) -> Vec<Finding> {
    analyze(text.as_bytes(), &Settings::default(), now())
}

fn describe(found: &[Finding]) -> String {
    let parts: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{:?} {:?} {:?} {:?}",
                f.token.kind, f.token.form, f.token.account, f.token.key_name
            )
        })
        .collect();
    scrub(&parts.join("; "))
}

struct Case {
    name: &'static str,
    text: &'static str,
    kind: TokenKind,
    /// The secret each finding must cover, in order (`{key64}`, `{key32}`, …).
    secrets: &'static [&'static str],
    account: Option<&'static str>,
    key_name: Option<&'static str>,
}

const STORAGE: TokenKind = TokenKind::StorageAccountKey;
const BUS: TokenKind = TokenKind::SharedAccessKey;
const K64: &[&str] = &["{key64}"];
const K32: &[&str] = &["{key32}"];

fn cases() -> Vec<Case> {
    let c = |name, text, kind, secrets, account, key_name| Case {
        name,
        text,
        kind,
        secrets,
        account,
        key_name,
    };
    vec![
        // A bare `key` name: a storage key with Azure context nearby.
        c("YAML key: beside its account name", "azure:\n  storage:\n    accountName: prodacct\n    key: {key64}\n", STORAGE, K64, Some("prodacct"), None),
        c("YAML key: with the value on the next line", "storage:\n  account_name: prodacct\n  key:\n    \"{key64}\"\n", STORAGE, K64, Some("prodacct"), None),
        c("JavaScript key: beside a storage endpoint", "const storage = { endpoint: \"https://prodacct.blob.core.windows.net\", key: \"{key64}\" };", STORAGE, K64, Some("prodacct"), None),
        // Passed by position.
        c(".NET legacy StorageCredentials", "var creds = new StorageCredentials(\"prodacct\", \"{key64}\");", STORAGE, K64, Some("prodacct"), None),
        c(".NET legacy StorageCredentials, key on the next line", "var creds = new StorageCredentials(\n    \"prodacct\",\n    \"{key64}\");", STORAGE, K64, Some("prodacct"), None),
        c(".NET StorageSharedKeyCredential", "var cred = new StorageSharedKeyCredential(\"prodacct\", \"{key64}\");", STORAGE, K64, Some("prodacct"), None),
        c(".NET StorageSharedKeyCredential, verbatim, named arguments", "var cred = new StorageSharedKeyCredential(accountName: \"prodacct\", accountKey: @\"{key64}\");", STORAGE, K64, Some("prodacct"), None),
        c("Java StorageSharedKeyCredential", "StorageSharedKeyCredential credential = new StorageSharedKeyCredential(accountName, \"{key64}\");", STORAGE, K64, None, None),
        c("JS StorageSharedKeyCredential", "const cred = new StorageSharedKeyCredential(account, '{key64}');", STORAGE, K64, None, None),
        c("Python AzureNamedKeyCredential, storage", "cred = AzureNamedKeyCredential(\"prodacct\", \"{key64}\")", STORAGE, K64, Some("prodacct"), None),
        c("Python AzureNamedKeyCredential, Service Bus", "cred = AzureNamedKeyCredential(\"RootManageSharedAccessKey\", \"{key32}\")", BUS, K32, None, Some("RootManageSharedAccessKey")),
        c(".NET AzureNamedKeyCredential, Event Hubs", "var cred = new AzureNamedKeyCredential(\"send\", \"{key32}\");", BUS, K32, None, Some("send")),
        c("Python BlobServiceClient credential=", "client = BlobServiceClient(account_url=\"https://prodacct.blob.core.windows.net\", credential=\"{key64}\")", STORAGE, K64, Some("prodacct"), None),
        c("Python BlobServiceClient, credential on its own line", "client = BlobServiceClient(\n    account_url=url,\n    credential=\"{key64}\",\n)", STORAGE, K64, None, None),
        c("Python BlobServiceClient by position", "client = BlobServiceClient(\"https://prodacct.blob.core.windows.net\", \"{key64}\")", STORAGE, K64, Some("prodacct"), None),
        c("Python credential dict", "client = BlobServiceClient(url, credential={\"account_name\": \"prodacct\", \"account_key\": \"{key64}\"})", STORAGE, K64, Some("prodacct"), None),
        c("Service Bus TokenProvider", "var tp = TokenProvider.CreateSharedAccessSignatureTokenProvider(\"RootManageSharedAccessKey\", \"{key32}\");", BUS, K32, None, Some("RootManageSharedAccessKey")),
        c("Rust StorageCredentials::access_key", "let creds = StorageCredentials::access_key(account.clone(), \"{key64}\");", STORAGE, K64, None, None),
        c("Rust StorageCredentials::access_key, String::from", "let creds = StorageCredentials::access_key(\n    \"prodacct\",\n    String::from(\"{key64}\"),\n);", STORAGE, K64, Some("prodacct"), None),
        c("Rust StorageCredentials::access_key, Secret::new", "StorageCredentials::access_key(\"prodacct\", Secret::new(\"{key64}\"))", STORAGE, K64, Some("prodacct"), None),
        c(".NET TableSharedKeyCredential", "var cred = new TableSharedKeyCredential(\"prodacct\", \"{key64}\");", STORAGE, K64, Some("prodacct"), None),
        c("C++ make_shared StorageSharedKeyCredential", "auto cred = std::make_shared<StorageSharedKeyCredential>(\"prodacct\", \"{key64}\");", STORAGE, K64, Some("prodacct"), None),
        c("C++ legacy storage_credentials", "azure::storage::storage_credentials creds(U(\"prodacct\"), U(\"{key64}\"));", STORAGE, K64, Some("prodacct"), None),
        c("Java SharedAccessSignatureTokenProvider", "TokenProvider tp = new SharedAccessSignatureTokenProvider(\"RootManageSharedAccessKey\", \"{key32}\", 3600);", BUS, K32, None, Some("RootManageSharedAccessKey")),
        c("Go azblob.NewSharedKeyCredential", "cred, err := azblob.NewSharedKeyCredential(accountName, \"{key64}\")", STORAGE, K64, None, None),
        c("Go backquoted", "cred, err := aztables.NewSharedKeyCredential(\"prodacct\", `{key64}`)", STORAGE, K64, Some("prodacct"), None),
        c("Java legacy StorageCredentialsAccountAndKey", "StorageCredentials c = new StorageCredentialsAccountAndKey(\"prodacct\", \"{key64}\");", STORAGE, K64, Some("prodacct"), None),
        c("Node legacy createBlobService", "const svc = azure.createBlobService('prodacct', '{key64}');", STORAGE, K64, Some("prodacct"), None),
        // Names with the value further away.
        c("value on the line after `=`", "accountKey =\n    \"{key64}\"", STORAGE, K64, None, None),
        c("JSON value on the next line", "{\n  \"AccountKey\":\n    \"{key64}\"\n}", STORAGE, K64, None, None),
        c("black-style parentheses", "client = make(\n    account_key=(\n        \"{key64}\"\n    ),\n)", STORAGE, K64, None, None),
        c("wide alignment", "ACCOUNT_NAME       = \"prodacct\"\nACCOUNT_KEY        =     \"{key64}\"", STORAGE, K64, Some("prodacct"), None),
        c("YAML folded scalar", "storage:\n  accountKey: >-\n    {key64}\n", STORAGE, K64, None, None),
        c(".NET appSettings", "<add key=\"StorageAccountKey\" value=\"{key64}\" />", STORAGE, K64, None, None),
        c("XML element", "<AccountKey>{key64}</AccountKey>", STORAGE, K64, None, None),
        // Command-line options.
        c("az --account-key after a space", "az storage blob upload --account-name prodacct --account-key {key64} -c c -f f", STORAGE, K64, Some("prodacct"), None),
        c("az --account-key quoted", "az storage container list --account-name prodacct --account-key \"{key64}\"", STORAGE, K64, Some("prodacct"), None),
        c("az --account-key=", "az storage share list --account-key={key64}", STORAGE, K64, None, None),
        c("PowerShell -StorageAccountKey", "$ctx = New-AzStorageContext -StorageAccountName prodacct -StorageAccountKey \"{key64}\"", STORAGE, K64, Some("prodacct"), None),
        c("PowerShell -StorageAccountKey unquoted", "New-AzStorageContext -StorageAccountName prodacct -StorageAccountKey {key64}", STORAGE, K64, Some("prodacct"), None),
        // Azure CLI output.
        c("az storage account keys list", "[\n  {\n    \"creationTime\": \"2026-01-01T00:00:00.000000+00:00\",\n    \"keyName\": \"key1\",\n    \"permissions\": \"FULL\",\n    \"value\": \"{key64}\"\n  }\n]", STORAGE, K64, None, None),
        c("az storage account keys list, one line", "[{\"keyName\":\"key1\",\"permissions\":\"FULL\",\"value\":\"{key64}\"},{\"keyName\":\"key2\",\"permissions\":\"FULL\",\"value\":\"{mkey}\"}]", STORAGE, &["{key64}", "{mkey}"], None, None),
        c("az servicebus authorization-rule keys list", "{\n  \"aliasPrimaryConnectionString\": null,\n  \"aliasSecondaryConnectionString\": null,\n  \"keyName\": \"RootManageSharedAccessKey\",\n  \"primaryKey\": \"{key32}\",\n  \"secondaryKey\": \"{key32b}\"\n}", BUS, &["{key32}", "{key32b}"], None, Some("RootManageSharedAccessKey")),
        c("az eventhubs keys list with connection strings", "{\n  \"keyName\": \"send\",\n  \"primaryConnectionString\": null,\n  \"primaryKey\": \"{key32}\",\n  \"secondaryConnectionString\": null\n}", BUS, K32, None, Some("send")),
        c("az iot hub policy show", "{\"keyName\": \"registryRead\", \"primaryKey\": \"{key32}\", \"rights\": \"RegistryRead\"}", BUS, K32, None, Some("registryRead")),
        // Service Bus names.
        c("SERVICEBUS_KEY", "SERVICEBUS_KEY={key32}", BUS, K32, None, None),
        c("EVENTHUB_KEY", "export EVENTHUB_KEY=\"{key32}\"", BUS, K32, None, None),
        c("SERVICE_BUS_SHARED_ACCESS_KEY", "SERVICE_BUS_SHARED_ACCESS_KEY: {key32}", BUS, K32, None, None),
        c("eventHubsSasKey", "\"eventHubsSasKey\": \"{key32}\"", BUS, K32, None, None),
        // Azure names and Azure context.
        c("Kubernetes secret for Azure Files", "kubectl create secret generic azure-secret --from-literal=azurestorageaccountname=prodacct --from-literal=azurestorageaccountkey={key64}", STORAGE, K64, Some("prodacct"), None),
        c("Kubernetes stringData", "stringData:\n  azurestorageaccountname: prodacct\n  azurestorageaccountkey: {key64}\n", STORAGE, K64, Some("prodacct"), None),
        c("another name is not the account", "accountNamePrefix = \"zzz\"\nAZURE_STORAGE_KEY={key64}", STORAGE, K64, None, None),
        c("the nearest account is the key's", "src = \"https://other.blob.core.windows.net\"\n\nAccountName=nearacct\nAZURE_STORAGE_KEY={key64}", STORAGE, K64, Some("nearacct"), None),
        c("AZURE_STORAGE_KEY", "AZURE_STORAGE_KEY={key64}", STORAGE, K64, None, None),
        c("STORAGE_ACCOUNT_KEY", "STORAGE_ACCOUNT_KEY = '{key64}'", STORAGE, K64, None, None),
        c("access_key with an account name above", "ACCOUNT_NAME = \"prodacct\"\nACCESS_KEY = \"{key64}\"", STORAGE, K64, Some("prodacct"), None),
        c("access_key with an endpoint below", "access_key = \"{key64}\"\nurl = \"https://prodacct.blob.core.windows.net/c\"", STORAGE, K64, Some("prodacct"), None),
        c("access_key carrying the +ASt marker", "access_key = \"{mkey}\"", STORAGE, &["{mkey}"], None, None),
        c("a foreign name, but the +ASt marker", "JWT_ACCESS_KEY=\"{mkey}\"", STORAGE, &["{mkey}"], None, None),
    ]
}

#[test]
fn keys_found_by_what_surrounds_them() {
    let mut failures = Vec::new();
    for case in cases() {
        let text = fill(case.text);
        let found = findings(&text);
        let want: Vec<String> = case.secrets.iter().map(|s| fill(s)).collect();
        let got: Vec<&str> = found.iter().map(|f| &text[f.token.secret.clone()]).collect();
        let ok = found.len() == want.len()
            && got.iter().zip(&want).all(|(g, w)| g == w)
            && found.iter().all(|f| {
                f.token.kind == case.kind
                    && f.token.form == TokenForm::BareKey
                    && f.token.range == f.token.secret
                    && f.token.account.as_deref() == case.account
                    && f.token.key_name.as_deref() == case.key_name
            });
        if !ok {
            failures.push(format!("{}: found {}", case.name, describe(&found)));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Hard negatives: one or more for every positive shape.
const QUIET: &[(&str, &str)] = &[
    (
        "a bare key: without Azure context",
        "jwt:\n  issuer: me\n  key: {key64}\n",
    ),
    (
        "a bare key: of a map entry",
        "entries:\n  - key: {key64}\n    value: 1\n",
    ),
    (
        "a bare key: holding a placeholder",
        "storage:\n  accountName: prodacct\n  key: <your-key>\n",
    ),
    (
        "StorageCredentials placeholder",
        "var creds = new StorageCredentials(\"prodacct\", \"<key>\");",
    ),
    (
        "StorageCredentials variable",
        "var creds = new StorageCredentials(accountName, accountKey);",
    ),
    (
        "StorageCredentials emulator account",
        "var creds = new StorageCredentials(\"devstoreaccount1\", \"{key64}\");",
    ),
    (
        "StorageCredentials emulator key",
        "var creds = new StorageCredentials(\"acct\", \"{emu}\");",
    ),
    (
        "StorageCredentials with a SAS method",
        "var creds = StorageCredentials::sas_token(\"{key64}\");",
    ),
    (
        "StorageSharedKeyCredential YOUR_KEY",
        "new StorageSharedKeyCredential(name, \"YOUR_KEY\")",
    ),
    (
        "StorageSharedKeyCredential from the environment",
        "new StorageSharedKeyCredential(name, Environment.GetEnvironmentVariable(\"AZURE_STORAGE_KEY\"))",
    ),
    (
        "StorageSharedKeyCredential built at run time",
        "cred = StorageSharedKeyCredential(name, f\"{prefix}{key}\")",
    ),
    (
        "StorageSharedKeyCredential key in the account position",
        "new StorageSharedKeyCredential(\"{key64}\", name)",
    ),
    (
        "a type name, no call",
        "private readonly StorageSharedKeyCredential _cred; // \"{key64}\"",
    ),
    (
        "AzureNamedKeyCredential placeholder",
        "AzureNamedKeyCredential(\"RootManageSharedAccessKey\", \"<shared-access-key>\")",
    ),
    (
        "AzureNamedKeyCredential short value",
        "AzureNamedKeyCredential(\"send\", \"c2VjcmV0LXZhbHVl\")",
    ),
    (
        "TokenProvider storage-length key",
        "TokenProvider.CreateSharedAccessSignatureTokenProvider(\"RootManageSharedAccessKey\", \"{key64}\")",
    ),
    ("credential variable", "client = BlobServiceClient(url, credential=key)"),
    (
        "credential from the environment",
        "client = BlobServiceClient(url, credential=os.environ[\"AZURE_STORAGE_KEY\"])",
    ),
    (
        "credential placeholder",
        "client = BlobServiceClient(url, credential=\"<account-key>\")",
    ),
    ("credential= with no client or Azure near", "credential=\"{key64}\""),
    ("credential comparison", "if credential == \"{key64}\": pass"),
    (
        "credential dict placeholder",
        "credential={\"account_name\": \"prodacct\", \"account_key\": \"YOUR_ACCOUNT_KEY\"}",
    ),
    (
        "Go variable",
        "cred, err := azblob.NewSharedKeyCredential(accountName, accountKey)",
    ),
    (
        "Rust variable",
        "let creds = StorageCredentials::access_key(account, key);",
    ),
    (
        "next line holds another assignment",
        "accountKey =\nOTHER = \"{key64}\"",
    ),
    ("three lines down is too far", "accountKey =\n\n\n\n    \"{key64}\""),
    (
        "--account-key variable",
        "az storage blob upload --account-name prodacct --account-key $AZURE_STORAGE_KEY",
    ),
    (
        "--account-key placeholder",
        "az storage blob list --account-key <key> -c c",
    ),
    (
        "--account-key emulator",
        "az storage blob list --account-key {emu} -c c",
    ),
    (
        "-StorageAccountKey placeholder",
        "New-AzStorageContext -StorageAccountName x -StorageAccountKey \"YOUR_STORAGE_KEY\"",
    ),
    (
        "-StorageAccountKey variable",
        "New-AzStorageContext -StorageAccountName x -StorageAccountKey $key",
    ),
    (
        "account-key as a word, not an option",
        "see account-key {key64} in the vault",
    ),
    (
        "JSON value without az context",
        "{\"name\": \"cache\", \"value\": \"{key64}\"}",
    ),
    (
        "keyName without permissions",
        "{\"keyName\": \"key1\", \"value\": \"{key64}\"}",
    ),
    (
        "keyName that is not key1/key2",
        "{\"keyName\": \"signing\", \"permissions\": \"FULL\", \"value\": \"{key64}\"}",
    ),
    (
        "value before keyName",
        "{\"value\": \"{key64}\", \"keyName\": \"key1\", \"permissions\": \"FULL\"}",
    ),
    ("primaryKey alone", "{\"primaryKey\": \"{key32}\"}"),
    (
        "primaryKey with a keyName but no az context",
        "{\"keyName\": \"custom\", \"primaryKey\": \"{key32}\"}",
    ),
    (
        "az keys list placeholder",
        "[{\"keyName\": \"key1\", \"permissions\": \"FULL\", \"value\": \"<key>\"}]",
    ),
    (
        "az keys list emulator",
        "[{\"keyName\": \"key1\", \"permissions\": \"FULL\", \"value\": \"{emu}\"}]",
    ),
    ("SERVICEBUS_KEY storage length", "SERVICEBUS_KEY={key64}"),
    ("SERVICEBUS_KEY placeholder", "SERVICEBUS_KEY=<key>"),
    ("AZURE_STORAGE_KEY Service Bus length", "AZURE_STORAGE_KEY={key32}"),
    ("package-lock integrity with +ASt", "\"integrity\": \"sha512-{mkey}\""),
    ("yarn.lock integrity with +ASt", "  integrity sha512-{mkey}"),
    (
        "HTML integrity with +ASt",
        "<script src=\"x.js\" integrity=\"sha384-abc sha512-{mkey}\" crossorigin=\"anonymous\"></script>",
    ),
    ("JWT_ACCESS_KEY", "JWT_ACCESS_KEY={key64}"),
    ("MINIO_ACCESS_KEY", "MINIO_ACCESS_KEY=\"{key64}\""),
    ("SESSION_STORAGE_KEY", "SESSION_STORAGE_KEY: {key64}"),
    ("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY={key64}"),
    (
        "AWS_SECRET_ACCESS_KEY with an Azure endpoint near",
        "AWS_SECRET_ACCESS_KEY={key64}\nurl = \"https://prodacct.blob.core.windows.net\"",
    ),
    ("localStorageKey", "const localStorageKey = \"{key64}\";"),
    ("access_key without Azure context", "access_key = \"{key64}\""),
    (
        "access_key, account name four lines away",
        "ACCOUNT_NAME = \"prodacct\"\n\n\n\nACCESS_KEY = \"{key64}\"",
    ),
    ("accountKeyName is not a key", "accountKeyName = \"{key64}\""),
];

#[test]
fn must_stay_quiet() {
    let mut failures = Vec::new();
    for (name, template) in QUIET {
        let found = findings(&fill(template));
        if !found.is_empty() {
            failures.push(format!("{name}: {}", describe(&found)));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_bare_sas_passed_to_azure_sas_credential_is_found() {
    let text =
        fill("cred = AzureSasCredential(\"sv=2024-11-04&sr=c&sp=rwl&se=2026-02-14T12:00:00Z&spr=https&sig={sig}\")");
    let found = findings(&text);
    assert_eq!(found.len(), 1, "{}", describe(&found));
    assert_eq!(found[0].token.form, TokenForm::Query);
    assert_eq!(found[0].token.kind, TokenKind::ServiceSas);
}

#[test]
fn service_bus_keys_from_cli_output_sit_beside_their_connection_strings() {
    let text = fill(
        "{\n  \"keyName\": \"RootManageSharedAccessKey\",\n  \"primaryConnectionString\": \"Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key32}\",\n  \"primaryKey\": \"{key32}\",\n  \"secondaryConnectionString\": \"Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key32b}\",\n  \"secondaryKey\": \"{key32b}\"\n}",
    );
    let found = findings(&text);
    let forms: Vec<&TokenForm> = found.iter().map(|f| &f.token.form).collect();
    assert_eq!(
        forms,
        [
            &TokenForm::ConnectionString,
            &TokenForm::BareKey,
            &TokenForm::ConnectionString,
            &TokenForm::BareKey
        ],
        "{}",
        describe(&found)
    );
    assert!(found.iter().all(|f| f.rule.id() == "SAS010"));
    assert_eq!(found[1].fingerprint_of(), found[0].fingerprint_of());
}

trait Fingerprint {
    fn fingerprint_of(&self) -> &str;
}

impl Fingerprint for Finding {
    fn fingerprint_of(&self) -> &str {
        &self.token.fingerprint
    }
}

#[test]
fn messages_never_show_the_key() {
    for case in cases() {
        let text = fill(case.text);
        for f in findings(&text) {
            let secret = &text[f.token.secret.clone()];
            assert!(
                !common::shows_piece(f.message(), secret, 12),
                "{}: {}",
                case.name,
                scrub(f.message())
            );
        }
    }
}

/// An edit of the line `line` that starts at byte `at`: the range replaced and the text.
type LineEdit = dyn Fn(&str, usize) -> (std::ops::Range<usize>, String);

/// Every shape whose decision reaches across lines, edited line by line in an editor:
/// the incremental findings equal a full scan after each edit.
#[test]
fn edits_near_multi_line_keys_equal_a_full_scan() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        now: now(),
    };
    let shapes: Vec<String> = cases()
        .iter()
        .filter(|c| c.text.contains('\n'))
        .map(|c| c.text)
        .chain([
            "ACCOUNT_NAME = \"prodacct\"\n\n\n\nACCESS_KEY = \"{key64}\"",
            "x\nx\nx\nx\nx\nx\nx\nACCOUNT_NAME = \"prodacct\"\nx\nx\nACCESS_KEY = \"{key64}\"\nx\nx\nx\nx\nx\nx\n",
        ])
        .map(fill)
        .collect();
    let edits: &[&LineEdit] = &[
        // Empty the line.
        &|line, at| (at..at + line.len(), String::new()),
        // Break the line in two.
        &|_, at| (at..at, "\n".into()),
        // Join it to the one before.
        &|_, at| (at.saturating_sub(1)..at, String::new()),
        // Comment it out.
        &|_, at| (at..at, "# ".into()),
    ];
    for text in &shapes {
        let lines: Vec<(usize, &str)> = text
            .split('\n')
            .scan(0, |at, l| {
                let start = *at;
                *at += l.len() + 1;
                Some((start, l))
            })
            .collect();
        for &(at, line) in &lines {
            for edit in edits {
                let mut doc = Document::new(text, 1, "plaintext", ctx);
                let (range, new) = edit(line, at);
                doc.edit(range, &new, ctx);
                let full = analyze(doc.text().as_bytes(), &settings, now());
                assert_eq!(doc.findings, full, "after editing {:?} of {}", scrub(line), scrub(text));
                // And back again.
                let mut doc2 = Document::new(&doc.text(), 1, "plaintext", ctx);
                doc2.replace_all(text, ctx);
                assert_eq!(doc2.findings, findings(text));
            }
        }
    }
}

/// The fuzz seeds of these shapes, cut at every byte and at every byte to the end: no
/// panic, and every secret lies inside its token and the text.
#[test]
fn every_cut_of_the_key_seeds_scans_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/engine");
    let seeds = [
        "seed-positional-calls",
        "seed-az-keys-list",
        "seed-servicebus-keys-list",
        "seed-cli-options",
        "seed-next-line-keys",
        "seed-quiet-lookalikes",
    ];
    for seed in seeds {
        let text = std::fs::read(dir.join(seed)).unwrap();
        let found = findings(&String::from_utf8_lossy(&text));
        assert_eq!(found.is_empty(), seed.contains("quiet"), "{seed}: {}", describe(&found));
        for cut in 0..text.len() {
            for part in [&text[..cut], &text[cut..]] {
                for f in analyze(part, &Settings::default(), now()) {
                    let t = &f.token;
                    assert!(
                        t.range.start <= t.secret.start && t.secret.end <= t.range.end && t.range.end <= part.len()
                    );
                }
            }
        }
    }
}
