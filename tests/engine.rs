//! Table-driven tests of the engine: every form, encoding, kind and rule, and every case
//! that must stay quiet. Secrets are synthetic (random bytes, base64).

mod common;

use common::{key32, key64, now, pct, sig};
use sasguard::config::{Settings, Severity};
use sasguard::policy::{analyze, Finding};
use sasguard::scan::{scan, TokenForm, TokenKind};

/// Fills a template: `{sig}` percent-encoded signature, `{rawsig}` as is, `{sig2}` encoded
/// twice, `{key64}` storage key, `{key32}` Service Bus key.
fn fill(template: &str) -> String {
    template
        .replace("{sig}", &pct(&sig(1)))
        .replace("{rawsig}", &sig(1))
        .replace("{sig2}", &pct(&pct(&sig(1))))
        .replace("{jsonsig}", &sig(1).replace('/', "\\/"))
        .replace(
            "{lowsig}",
            &pct(&sig(1))
                .replace("%2B", "%2b")
                .replace("%2F", "%2f")
                .replace("%3D", "%3d"),
        )
        .replace("{key64}", &key64(7))
        .replace("{key32}", &key32(9))
}

fn findings(template: &str) -> Vec<Finding> {
    analyze(fill(template).as_bytes(), &Settings::default(), now())
}

const LEAK: &str = "sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}";
const READ_ONE_BLOB: &str =
    "sv=2024-11-04&sr=b&sp=r&st=2026-01-15T11:45:00Z&se=2026-01-15T13:00:00Z&spr=https&sip=10.1.2.3&sig={sig}";

struct Case {
    name: &'static str,
    text: &'static str,
    kind: TokenKind,
    form: TokenForm,
    severity: Severity,
    headline: &'static str,
    rules: &'static [&'static str],
    account: Option<&'static str>,
}

const LEAK_RULES: &[&str] = &["SAS001", "SAS002", "SAS003", "SAS004", "SAS006", "SAS007"];

fn cases() -> Vec<Case> {
    use Severity::*;
    use TokenForm::*;
    use TokenKind::*;
    let c = |name, text, kind, form, severity, headline, rules, account| Case {
        name,
        text,
        kind,
        form,
        severity,
        headline,
        rules,
        account,
    };
    vec![
        c("python url", "MODEL_URL = \"https://robustnessws4285631339.blob.core.windows.net/public-models/x.pt?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}\"\n", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("robustnessws4285631339")),
        c("bare query with ?", "sas = '?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}'", AccountSas, Query, Error, "SAS002", LEAK_RULES, None),
        c("bare query without ?", "const sas = `sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}`;", AccountSas, Query, Error, "SAS002", LEAK_RULES, None),
        c("env file", "AZURE_SAS=sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}\n", AccountSas, Query, Error, "SAS002", LEAK_RULES, None),
        c("go alphabetical order", "u := \"https://acct.blob.core.windows.net/c?se=2051-10-06T07%3A09%3A59Z&sig={sig}&sp=rwdlacupitfx&spr=https%2Chttp&srt=sco&ss=bfqt&st=2021-10-05T23%3A09%3A59Z&sv=2020-08-04\"", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("html &amp;", "<a href=\"https://acct.blob.core.windows.net/c/b?sv=2020-08-04&amp;ss=bfqt&amp;srt=sco&amp;sp=rwdlacupitfx&amp;se=2051-10-06T07:09:59Z&amp;st=2021-10-05T23:09:59Z&amp;spr=https,http&amp;sig={sig}\">x</a>", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("json escapes", "{\"url\": \"https:\\/\\/acct.blob.core.windows.net\\/c\\/b?sv=2020-08-04\\u0026ss=bfqt\\u0026srt=sco\\u0026sp=rwdlacupitfx\\u0026se=2051-10-06T07:09:59Z\\u0026st=2021-10-05T23:09:59Z\\u0026spr=https,http\\u0026sig={jsonsig}\"}", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("url inside url (encoded once more)", "https://portal.example.com/open?target=https%3A%2F%2Facct.blob.core.windows.net%2Fc%3Fsv%3D2020-08-04%26ss%3Dbfqt%26srt%3Dsco%26sp%3Drwdlacupitfx%26se%3D2051-10-06T07%253A09%253A59Z%26st%3D2021-10-05T23%253A09%253A59Z%26spr%3Dhttps%252Chttp%26sig%3D{sig2}&x=1", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("lower-case hex", "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07%3a09%3a59Z&st=2021-10-05T23%3a09%3a59Z&spr=https,http&sig={lowsig}", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("raw signature", "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06&st=2021-10-05&spr=https,http&sig={rawsig}", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("markdown link", "Download [the models](https://acct.blob.core.windows.net/models?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}).", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("yaml pipeline", "steps:\n  - run: azcopy copy ./out 'https://acct.blob.core.windows.net/drop?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}'\n", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("notebook output", "{\"outputs\": [{\"text\": [\"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}\\n\"]}]}", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("china cloud", "https://acct.blob.core.chinacloudapi.cn/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("custom domain CDN", "https://assets.example.azureedge.net/c/b.bin?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}", AccountSas, Url, Error, "SAS002", LEAK_RULES, None),
        c("read-only one blob, one hour, https, ip", "\"https://acct.blob.core.windows.net/c/b.txt?sv=2024-11-04&sr=b&sp=r&st=2026-01-15T11:45:00Z&se=2026-01-15T13:00:00Z&spr=https&sip=10.1.2.3&sig={sig}\"", ServiceSas, Url, Warning, "SAS001", &["SAS001"], Some("acct")),
        c("service sas, write, 30 days", "https://acct.blob.core.windows.net/c?sv=2024-11-04&sr=c&sp=rwl&se=2026-02-14T12:00:00Z&spr=https&sig={sig}", ServiceSas, Url, Error, "SAS003", &["SAS001", "SAS003", "SAS004", "SAS007"], Some("acct")),
        c("service sas, 2 years: long-lived raised to error", "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&sr=b&sp=r&st=2026-01-01&se=2028-01-01&spr=https&sip=1.2.3.4&sig={sig}", ServiceSas, Url, Error, "SAS004", &["SAS001", "SAS004"], Some("acct")),
        c("stored access policy", "https://acct.queue.core.windows.net/q?sv=2024-11-04&si=reader&sr=q&spr=https&sip=1.2.3.4&sig={sig}", StoredPolicySas, Url, Warning, "SAS001", &["SAS001", "SAS005"], Some("acct")),
        c("user delegation sas, ske bounds the lifetime", "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&sr=b&sp=r&st=2026-01-15T11:00Z&se=2027-01-15T11:00Z&skoid=00000000-0000-0000-0000-000000000001&sktid=00000000-0000-0000-0000-000000000002&skt=2026-01-15T11:00Z&ske=2026-01-16T11:00Z&sks=b&skv=2024-11-04&spr=https&sip=1.2.3.4&sig={sig}", UserDelegationSas, Url, Warning, "SAS001", &["SAS001"], Some("acct")),
        c("table sas", "https://acct.table.core.windows.net/T?sv=2019-02-02&tn=T&sp=raud&se=2026-01-15T13:00Z&spr=https&sip=1.2.3.4&sig={sig}", ServiceSas, Url, Error, "SAS003", &["SAS001", "SAS003"], Some("acct")),
        c("no spr means http too", "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&sr=b&sp=r&se=2026-01-15T13:00Z&sip=1.2.3.4&sig={sig}", ServiceSas, Url, Warning, "SAS006", &["SAS001", "SAS006"], Some("acct")),
        c("expired token caps everything", "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2021-10-05T15:06:23Z&st=2020-06-10T07:06:23Z&spr=https&sig={sig}", AccountSas, Url, Information, "SAS008", &["SAS008", "SAS002", "SAS003", "SAS004", "SAS001", "SAS007"], Some("acct")),
        c("offset time", "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&sr=b&sp=r&st=2026-01-15T12%3A00%3A00%2B01%3A00&se=2026-01-15T13%3A00%3A00.1234567%2B01%3A00&spr=https&sip=1.2.3.4&sig={sig}", ServiceSas, Url, Warning, "SAS001", &["SAS001"], Some("acct")),
        c("storage connection string with SAS", "var conn = \"BlobEndpoint=https://acct.blob.core.windows.net/;QueueEndpoint=https://acct.queue.core.windows.net/;SharedAccessSignature=sv=2020-08-04&ss=bq&srt=sco&sp=rl&se=2026-01-16T00:00:00Z&spr=https&sig={sig}\";", AccountSas, ConnectionString, Error, "SAS002", &["SAS002", "SAS001", "SAS007"], Some("acct")),
        c("connection string SAS in XML", "<add key=\"Storage\" value=\"BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2020-08-04&amp;ss=b&amp;srt=o&amp;sp=r&amp;se=2026-01-16T00:00:00Z&amp;spr=https&amp;sig={sig}\" />", AccountSas, ConnectionString, Error, "SAS002", &["SAS002", "SAS001", "SAS007"], Some("acct")),
        c("account key connection string", "DefaultEndpointsProtocol=https;AccountName=prodacct;AccountKey={key64};EndpointSuffix=core.windows.net", StorageAccountKey, ConnectionString, Error, "SAS009", &["SAS009"], Some("prodacct")),
        c("account key in JSON", "{\"storage\": {\"accountKey\": \"{key64}\"}}", StorageAccountKey, BareKey, Error, "SAS009", &["SAS009"], None),
        c("account key in env", "AZURE_STORAGE_KEY={key64}", StorageAccountKey, BareKey, Error, "SAS009", &["SAS009"], None),
        c("service bus connection string, root", "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key32}", SharedAccessKey, ConnectionString, Error, "SAS010", &["SAS010"], Some("myns")),
        c("event hubs connection string with entity", "Endpoint=sb://hubs.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={key32};EntityPath=events", SharedAccessKey, ConnectionString, Error, "SAS010", &["SAS010"], Some("hubs")),
        c("iot hub connection string", "HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={key32}", SharedAccessKey, ConnectionString, Error, "SAS010", &["SAS010"], Some("myhub")),
        c("service bus sas header, root", "Authorization: SharedAccessSignature sr=https%3A%2F%2Fmyns.servicebus.windows.net%2Fq&sig={sig}&se=1800000000&skn=RootManageSharedAccessKey", ServiceBusSas, Header, Error, "SAS010", &["SAS010", "SAS004", "SAS001"], Some("myns")),
        c("service bus sas, listen policy, short", "token = \"SharedAccessSignature sr=myns.servicebus.windows.net%2Fq&sig={sig}&se=1768482000&skn=listen\"", ServiceBusSas, Header, Warning, "SAS001", &["SAS001"], Some("myns")),
        c("iot device sas without skn", "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev1&sig={sig}&se=1768482000", ServiceBusSas, Header, Warning, "SAS001", &["SAS001"], Some("myhub")),
        c("powershell", "$sas = \"?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}\"", AccountSas, Query, Error, "SAS002", LEAK_RULES, None),
        c("dockerfile", "ENV MODEL_URL=https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("terraform", "  sas_url = \"https://acct.file.core.windows.net/share?sv=2020-08-04&ss=f&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig}\"", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("log line", "2026-01-15 INFO GET https://acct.blob.core.windows.net/c/b?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig={sig} 200", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
        c("upper-case keys", "https://acct.blob.core.windows.net/c?SV=2020-08-04&SS=b&SRT=sco&SP=rwdlacupitfx&SE=2051-10-06T07:09:59Z&ST=2021-10-05T23:09:59Z&SPR=https,http&SIG={sig}", AccountSas, Url, Error, "SAS002", LEAK_RULES, Some("acct")),
    ]
}

#[test]
fn every_form_kind_and_rule() {
    let mut failures = Vec::new();
    for case in cases() {
        let found = findings(case.text);
        let summary = || {
            found
                .iter()
                .map(|f| {
                    format!(
                        "{:?} {:?} {} {:?}",
                        f.token.kind,
                        f.severity,
                        f.rule.id(),
                        f.fired.iter().map(|r| r.rule.id()).collect::<Vec<_>>()
                    )
                })
                .collect::<Vec<_>>()
        };
        if found.len() != 1 {
            failures.push(format!("{}: expected one finding, got {:?}", case.name, summary()));
            continue;
        }
        let f = &found[0];
        let fired: Vec<&str> = f.fired.iter().map(|r| r.rule.id()).collect();
        let mut want: Vec<&str> = case.rules.to_vec();
        let mut got = fired.clone();
        want.sort();
        got.sort();
        let ok = f.token.kind == case.kind
            && f.token.form == case.form
            && f.severity == case.severity
            && f.rule.id() == case.headline
            && got == want
            && f.token.account.as_deref() == case.account;
        if !ok {
            failures.push(format!(
                "{}: got {:?} {:?} {:?} headline {} rules {:?} account {:?}",
                case.name,
                f.token.kind,
                f.token.form,
                f.severity,
                f.rule.id(),
                fired,
                f.token.account
            ));
        }
        // The secret range covers exactly the signature or key as written.
        let text = fill(case.text);
        let secret = &text[f.token.secret.clone()];
        let ok_secret = [
            pct(&sig(1)),
            sig(1),
            pct(&pct(&sig(1))),
            sig(1).replace('/', "\\/"),
            key64(7),
            key32(9),
        ]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(secret));
        if !ok_secret {
            failures.push(format!("{}: secret range does not cover the secret exactly", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const QUIET: &[(&str, &str)] = &[
    ("placeholder <signature>", "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=<signature>"),
    ("placeholder XXXX", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=XXXX"),
    ("placeholder ...", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=..."),
    ("placeholder {sig}", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig={sig_value}"),
    ("placeholder ${SAS_SIG}", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=${SAS_SIG}"),
    ("placeholder %s", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=%s"),
    ("placeholder REDACTED", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=REDACTED"),
    ("placeholder ellipsis", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=…"),
    ("placeholder <SAS token>", "https://acct.blob.core.windows.net/c?<SAS token>"),
    ("low-variety 44 chars", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"),
    ("microsoft doc sample with invalid escapes", "https://myaccount.blob.core.windows.net/?restype=service&comp=properties&sv=2019-02-02&ss=bf&srt=s&st=2019-08-01T22%3A18%3A26Z&se=2019-08-10T02%3A23%3A26Z&sr=b&sp=rw&sip=168.1.5.60-168.1.5.70&spr=https&sig=F%6GRVAZ5Cdj2Pw4tgU7IlSTkWgn7bUkkAg8P6HESXwmf%4B"),
    ("run-time built f-string", "url = f\"{base}?{sas}\"\nsas = generate_blob_sas(account_name=a, container_name=c, permission=BlobSasPermissions(read=True))"),
    ("concatenated signature", "url = base + \"?sv=2020-08-04&sp=r&sr=b&se=2051-10-06&sig=\" + sig"),
    ("bare storage url", "https://acct.blob.core.windows.net/container/blob.txt"),
    ("sv without sig", "https://acct.blob.core.windows.net/c?sv=2020-08-04&sp=r&sr=b&se=2051-10-06"),
    ("emulator account in url", "http://127.0.0.1:10000/devstoreaccount1/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdlacup&se=2051-10-06&sig={sig}"),
    ("emulator connection string", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"),
    ("emulator key alone", "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="),
    ("cosmos emulator key", "accountKey: \"C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==\""),
    ("use development storage", "UseDevelopmentStorage=true"),
    ("emulator account with another key", "c = \"AccountName=devstoreaccount1;AccountKey={key64}\""),
    ("development storage with a key", "c = \"UseDevelopmentStorage=true;AccountKey={key64}\""),
    ("account key placeholder", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<your-key>;EndpointSuffix=core.windows.net"),
    ("service bus key placeholder", "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>"),
    ("sha512 integrity hash is not a key", "\"integrity\": \"sha512-{key64}\""),
    ("logic apps sig (not storage)", "https://prod-00.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={rawsig}"),
    ("signature of wrong length", "?sv=2020-08-04&ss=b&srt=sco&sp=r&se=2051-10-06&sig=c2lnbmF0dXJlLW9mLXdyb25nLWxlbmd0aA%3D%3D"),
    ("word sig= in prose", "Set sig=value to sign. The design sig=1 is fine."),
];

#[test]
fn must_stay_quiet() {
    let noisy = common::noisy(QUIET, findings);
    assert!(noisy.is_empty(), "{}", noisy.join("\n"));
}

#[test]
fn several_tokens_on_one_line_and_invalid_utf8_keep_offsets() {
    let s1 = pct(&sig(1));
    let s2 = pct(&sig(2));
    let mut text = b"\xff\xfe garbage \xc3(".to_vec();
    text.extend_from_slice(
        format!(
            "a='?sv=2024-11-04&sr=b&sp=r&se=2026-01-16&sig={s1}' b='?sv=2024-11-04&sr=b&sp=r&se=2026-01-16&sig={s2}'"
        )
        .as_bytes(),
    );
    let tokens = scan(&text);
    assert_eq!(tokens.len(), 2);
    assert_eq!(&text[tokens[0].secret.clone()], s1.as_bytes());
    assert_eq!(&text[tokens[1].secret.clone()], s2.as_bytes());
    assert_ne!(tokens[0].fingerprint, tokens[1].fingerprint);
}

#[test]
fn fingerprint_is_independent_of_encoding() {
    let a = scan(format!("?sv=2024-11-04&sr=b&sp=r&se=2026-01-16&sig={}", pct(&sig(3))).as_bytes());
    let b = scan(format!("?sv=2024-11-04&sr=b&sp=r&se=2026-01-16&sig={}", sig(3)).as_bytes());
    assert_eq!(a[0].fingerprint, b[0].fingerprint);
    assert!(a[0].fingerprint.starts_with("sg1:") && a[0].fingerprint.len() == 20);
}

#[test]
fn permissions_are_a_set_with_unknown_and_repeated_letters_noted() {
    let text = fill("?sv=2024-11-04&sr=c&sp=rrlz&se=2026-01-15T13:00Z&spr=https&sip=1.1.1.1&sig={sig}");
    let f = &analyze(text.as_bytes(), &Settings::default(), now())[0];
    let p = f.token.params.permissions.as_ref().unwrap();
    assert_eq!(p.letters().collect::<String>(), "lr");
    assert_eq!(p.repeated, vec!['r']);
    assert_eq!(p.unknown, vec!['z']);
    assert!(f.summary.contains("malformed sp=rrlz"), "{}", f.summary);
}

#[test]
fn messages_say_what_to_what_until_when() {
    let f = &findings(&format!("https://acct.blob.core.windows.net/c?{LEAK}"))[0];
    let m = f.message();
    // Problems panels and virtual text cut after about 80 characters: kind, scope, lifetime
    // and access come first; the permissions are spelled out in the breakdown, not here.
    let head = "Account SAS, every container of 4 services, 30 years (25 left), full control, HTTP.";
    assert!(m.starts_with(head), "{m}");
    assert!(head.len() <= 84, "{}", head.len());
    for part in [
        "Storage account 'acct': blob, file, queue and table storage and service-level APIs",
        "expires 2051-10-06 07:09 UTC, from any IP.",
        "Also: SAS003 excessive-permissions",
    ] {
        assert!(m.contains(part), "missing {part:?} in {m}");
    }
    for spelled_out in ["process messages", "delete version", "(read, list"] {
        assert!(!m.contains(spelled_out), "{spelled_out:?} in {m}");
    }
    let long = f.fired.iter().find(|r| r.rule.id() == "SAS004").unwrap();
    assert!(
        long.reason.contains("exceeds maxLifetimeError (1 year)"),
        "{}",
        long.reason
    );
    let f = &findings(&format!("https://acct.blob.core.windows.net/c/b?{READ_ONE_BLOB}"))[0];
    assert_eq!(
        f.summary,
        "Service SAS, one blob, 1 hour (1 hour left), read-only, HTTPS only. \
         Storage account 'acct', expires 2026-01-15 13:00 UTC, from 10.1.2.3 only."
    );
    // No `st`: the lifetime runs from now, said once. Expired: how long ago.
    let f = &findings("?sv=2024-11-04&sr=c&sp=rl&se=2026-01-22T12:00Z&spr=https&sig={sig}")[0];
    assert!(
        f.summary
            .starts_with("Service SAS, one container, 7 days left, read-only, HTTPS only."),
        "{}",
        f.summary
    );
    let f = &findings("?sv=2024-11-04&sr=c&sp=rwdl&se=2026-01-12T12:00Z&sig={sig}")[0];
    assert!(
        f.summary
            .starts_with("Service SAS, one container, expired 3 days ago, read, write and delete, HTTP."),
        "{}",
        f.summary
    );
}

/// Per the account SAS permission table a letter grants something only on some services
/// and resource types; the message, SAS003 and "full control" are judged on what takes effect.
#[test]
fn account_sas_permissions_count_only_where_they_apply() {
    let f = &findings("?sv=2020-08-04&ss=bf&srt=sco&sp=rwdlacup&se=2026-01-16T12:00Z&spr=https&sig={sig}")[0];
    let sas003 = &f.fired.iter().find(|r| r.rule.id() == "SAS003").unwrap().reason;
    for claim in ["update", "process"] {
        assert!(!f.message().contains(claim), "{claim:?} in {}", f.message());
    }
    assert!(
        sas003.starts_with("full control: blob can write, add, create and delete; file can write, create and delete"),
        "{sas003}"
    );
    assert!(
        sas003.contains("update and process messages grant nothing with ss=bf srt=sco"),
        "{sas003}"
    );
    assert!(f.summary.contains(", full control, HTTPS only."), "{}", f.summary);

    // `u` and `p` on blob storage grant nothing: read-only, and SAS003 stays quiet.
    let f = &findings("?sv=2020-08-04&ss=b&srt=sco&sp=rlup&se=2026-01-16T12:00Z&spr=https&sig={sig}")[0];
    assert!(!f.fired(sasguard::policy::Rule::ExcessivePermissions), "{:?}", f.fired);
    assert!(
        f.summary
            .starts_with("Account SAS, every blob container, 1 day left, read-only,"),
        "{}",
        f.summary
    );

    // On a queue the same letters consume and change messages.
    let f = &findings("?sv=2020-08-04&ss=q&srt=o&sp=rlup&se=2026-01-16T12:00Z&spr=https&sig={sig}")[0];
    let sas003 = &f.fired.iter().find(|r| r.rule.id() == "SAS003").unwrap().reason;
    assert_eq!(
        sas003,
        "can update and process messages (sp=rlup; list grants nothing with ss=q srt=o)"
    );

    // Full control of blobs only: `c` creates nothing on queues, and nothing adds or consumes messages.
    let f = &findings("?sv=2020-08-04&ss=bq&srt=sco&sp=rwdlc&se=2026-01-16T12:00Z&spr=https&sig={sig}")[0];
    assert!(
        f.summary.contains(", full control of blob, HTTPS only."),
        "{}",
        f.summary
    );
    let sas003 = &f.fired.iter().find(|r| r.rule.id() == "SAS003").unwrap().reason;
    assert!(
        sas003.starts_with("full control of blob: blob can write, create and delete; queue can write and delete"),
        "{sas003}"
    );
}

#[test]
fn settings_change_severities_thresholds_and_allow_lists() {
    let text = fill(&format!("https://acct.blob.core.windows.net/c?{LEAK}"));
    let s = Settings::from_toml(
        "[rules]\nSAS002 = \"off\"\nexcessive-permissions = \"off\"\nlong-lived = \"hint\"\n",
        "t",
    )
    .unwrap();
    let f = &analyze(text.as_bytes(), &s, now())[0];
    assert_eq!(f.severity, Severity::Warning);
    assert!(!f.fired(sasguard::policy::Rule::AccountSas));
    // Past maxLifetimeError the configured severity is raised one level.
    let sas004 = f.fired.iter().find(|r| r.rule.id() == "SAS004").unwrap();
    assert_eq!(sas004.severity, Severity::Information);

    let s = Settings::from_toml("maxLifetime = \"100y\"\nmaxLifetimeError = \"100y\"\n", "t").unwrap();
    assert!(!analyze(text.as_bytes(), &s, now())[0].fired(sasguard::policy::Rule::LongLived));

    let s = Settings::from_toml("[allow]\naccounts = [\"ACCT\"]\n", "t").unwrap();
    assert!(analyze(text.as_bytes(), &s, now()).is_empty());
    let fp = scan(text.as_bytes())[0].fingerprint.clone();
    let s = Settings::from_toml(&format!("[allow]\nfingerprints = [\"{fp}\"]\n"), "t").unwrap();
    assert!(analyze(text.as_bytes(), &s, now()).is_empty());

    let all_off: String = (1..=10).map(|i| format!("SAS{i:03} = \"off\"\n")).collect();
    let s = Settings::from_toml(&format!("[rules]\n{all_off}"), "t").unwrap();
    assert!(analyze(text.as_bytes(), &s, now()).is_empty());
}

#[test]
fn inline_suppression() {
    let line = fill(&format!("u = 'https://acct.blob.core.windows.net/c?{LEAK}'"));
    assert_eq!(analyze(line.as_bytes(), &Settings::default(), now()).len(), 1);
    let same = format!("{line}  # sasguard:ignore");
    assert!(analyze(same.as_bytes(), &Settings::default(), now()).is_empty());
    let next = format!("// sasguard:ignore-next-line\n{line}\n{line}\n");
    assert_eq!(analyze(next.as_bytes(), &Settings::default(), now()).len(), 1);
}

/// The starts of the tokens `analyze` reports in `text`, as indices into `urls`.
fn reported(text: &str, urls: &[String]) -> Vec<usize> {
    let found = analyze(text.as_bytes(), &Settings::default(), now());
    let mut out: Vec<usize> = found
        .iter()
        .filter_map(|f| {
            urls.iter()
                .position(|u| text[f.token.range.clone()].contains(u.as_str()))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn inline_suppression_counts_only_comments_and_the_attached_token() {
    let urls: Vec<String> = (1..=3)
        .map(|i| {
            format!(
                "https://acct{i}.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={}",
                pct(&sig(i))
            )
        })
        .collect();
    let [a, b, c] = [&urls[0], &urls[1], &urls[2]];
    let cases: Vec<(String, Vec<usize>)> = vec![
        // A marker inside a string literal is data, not a suppression.
        (format!("x = \"sasguard:ignore {a}\"\n"), vec![0]),
        (format!("x = \"{a}\"; y = \"# sasguard:ignore\"\n"), vec![0]),
        (format!("x = `{a} // sasguard:ignore`\n"), vec![0]),
        (format!("x = {a} sasguard:ignore\n"), vec![0]),
        // A trailing comment: every token before it on its line; none after it.
        (format!("f(\"{a}\", \"{b}\")  # sasguard:ignore\n"), vec![]),
        (format!("x = 1 # sasguard:ignore {a}\n"), vec![0]),
        (format!("/* sasguard:ignore */ x = \"{a}\"\n"), vec![0]),
        // An inline comment on a minified line: only the token just before it.
        (
            format!("var p=\"{a}\",q=\"{b}\"/*sasguard:ignore*/,r=\"{c}\";\n"),
            vec![0, 2],
        ),
        (
            format!("<a href=\"{a}\"><!-- sasguard:ignore --> <a href=\"{b}\">\n"),
            vec![1],
        ),
        // ignore-next-line: every token of the next line, only from a comment.
        (format!("# sasguard:ignore-next-line\n{a} {b}\n{c}\n"), vec![2]),
        (format!("s = \"sasguard:ignore-next-line\"\n{a}\n"), vec![0]),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        assert_eq!(&reported(text, &urls), expected, "case {i}");
    }
}

#[test]
fn ignore_comment_goes_where_the_language_sees_a_comment_or_is_not_offered() {
    let url = format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={}",
        pct(&sig(4))
    );
    let cases: Vec<(&str, String, Option<String>)> = vec![
        ("python", format!("DOC = \"\"\"\n{url}\n\"\"\"\n"), None),
        ("python", format!("DOC = \"\"\"see {url}\n\"\"\"\n"), None),
        ("toml", format!("doc = '''\n{url}'''\n"), None),
        ("typescript", format!("const s = `a\n  ${{b}} {url}`;\n"), None),
        ("go", format!("s := `\n{url}`\n"), None),
        ("shellscript", format!("cat <<'EOF' > f\n{url}\nEOF\n"), None),
        (
            "dockerfile",
            format!("FROM alpine\nRUN <<EOT\n  curl '{url}'\nEOT\n"),
            None,
        ),
        ("markdown", format!("Text\n\n~~~\ncurl '{url}'\n~~~\n"), None),
        ("yaml", format!("run: |\n  curl '{url}'\n"), None),
        (
            "shellscript",
            format!("cat <<EOF\nx\nEOF\ncurl '{url}'\n"),
            Some(format!("cat <<EOF\nx\nEOF\ncurl '{url}' # sasguard:ignore\n")),
        ),
        (
            "markdown",
            format!("```\nx\n```\nSee {url}\n"),
            Some(format!("```\nx\n```\nSee {url} <!-- sasguard:ignore -->\n")),
        ),
        // A backslash continues the line: no comment after it, nor between the two lines.
        ("shellscript", format!("curl -H x \\\n  '{url}' \\\n  -o f\n"), None),
        (
            "shellscript",
            format!("curl -H x \\\r\n  '{url}' \\\r\n  -o f\r\n"),
            None,
        ),
        (
            "python",
            format!("u = \"{url}\" \\\n    + \"x\"\n"),
            Some(format!("# sasguard:ignore-next-line\nu = \"{url}\" \\\n    + \"x\"\n")),
        ),
        (
            "plaintext",
            format!("It's at: {url}\n"),
            Some(format!("It's at: {url} # sasguard:ignore\n")),
        ),
    ];
    for (i, (language, text, expected)) in cases.into_iter().enumerate() {
        let tokens = scan(text.as_bytes());
        assert_eq!(tokens.len(), 1, "case {i}");
        let edit = sasguard::fix::ignore_comment(text.as_bytes(), &tokens[0], language);
        let after = edit.map(|e| sasguard::fix::apply(&text, &[e]));
        assert!(after == expected, "case {i}: {language}: unexpected edit");
        if let Some(after) = after {
            assert!(
                analyze(after.as_bytes(), &Settings::default(), now()).is_empty(),
                "case {i}"
            );
        }
    }
}

#[test]
fn each_token_of_a_minified_line_has_its_own_inline_marker() {
    let url = format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={}",
        pct(&sig(9))
    );
    let mut line = String::from("var u=[");
    let mut kept = 0;
    for i in 0..3000 {
        if i == 1500 {
            kept = line.len() + 1;
            line.push_str(&format!("\"{url}\","));
        } else {
            line.push_str(&format!("\"{url}\"/*sasguard:ignore*/,"));
        }
    }
    line.push_str("];\n");
    let start = std::time::Instant::now();
    let found = analyze(line.as_bytes(), &Settings::default(), now());
    let ranges: Vec<usize> = found.iter().map(|f| f.token.range.start).collect();
    assert_eq!(ranges, vec![kept]);
    // One pass over the line, not one per marker and token.
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

#[test]
fn repeated_parameters_start_a_new_token() {
    let text = fill("?sv=2024-11-04&sr=b&sp=r&se=2026-01-16&sig={sig}&sv=2024-11-04&sr=b&sp=r&se=2026-01-16&sig={sig}");
    assert_eq!(scan(text.as_bytes()).len(), 2);
}

#[test]
fn punctuation_lists_and_escapes_around_tokens() {
    let s = pct(&sig(1));
    let s2 = pct(&sig(2));
    let cases = [
        (format!("See https://acct.blob.core.windows.net/c/m.pt?sv=2020-08-04&ss=b&srt=sco&sp=rl&se=2051-01-01&spr=https&sig={s}."), 1),
        (format!("Links: https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={s}, and more"), 1),
        (format!("SAS_URLS=https://acct.blob.core.windows.net/a?sv=2020-08-04&sr=c&sp=rwl&se=2051-01-01&sig={s},https://acct.blob.core.windows.net/b?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={s2}"), 2),
        (format!("{{\\u0022url\\u0022:\\u0022https://acct.blob.core.windows.net/c?sv=2020-08-04\\u0026sr=c\\u0026sp=rl\\u0026se=2051-01-01\\u0026sig={s}\\u0022}}"), 1),
        (format!("curl https://acct.blob.core.windows.net/c?sv=2020-08-04\\&sr=c\\&sp=rl\\&se=2051-01-01\\&sig={s}"), 1),
        (format!("azcopy copy x https://acct.blob.core.windows.net/c?sv=2020-08-04^&sr=c^&sp=rl^&se=2051-01-01^&sig={s}"), 1),
        (format!("storage_access_key = \"{}\"", key64(5)), 1),
        (format!("http://host.docker.internal:10000/devstoreaccount1/c?sv=2020-08-04&ss=b&srt=sco&sp=rl&se=2051-01-01&sig={s}"), 0),
    ];
    for (text, n) in cases {
        let found = analyze(text.as_bytes(), &Settings::default(), now());
        assert_eq!(found.len(), n, "{text}");
        for f in &found {
            let secret = &text[f.token.secret.clone()];
            assert!(
                secret == s || secret == s2 || secret == key64(5),
                "secret range {secret:?} in {text}"
            );
        }
    }
}

#[test]
fn every_shared_access_signature_field_of_a_joined_connection_string_is_a_token() {
    // Three connection strings joined by `;` in one run: each signature is its own token.
    let sigs: Vec<String> = (11..14).map(|s| pct(&sig(s))).collect();
    let text: String = std::iter::once("BlobEndpoint=https://acct.blob.core.windows.net/".to_string())
        .chain(sigs.iter().map(|s| {
            format!(";SharedAccessSignature=sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig={s}")
        }))
        .collect();
    let tokens = scan(text.as_bytes());
    assert_eq!(tokens.len(), 3, "one token per SharedAccessSignature field");
    for (t, s) in tokens.iter().zip(&sigs) {
        assert_eq!(&text[t.secret.clone()], s.as_str());
        assert_eq!(t.kind, TokenKind::AccountSas);
        // Each token spans its own fields, not the whole run.
        assert!(t.range.len() < 200, "token range {:?}", t.range);
    }
    assert_eq!(tokens[0].account.as_deref(), Some("acct"));
}

fn shows_piece(output: &str, secret: &str, n: usize) -> bool {
    common::shows_piece(output, secret, n)
}

#[test]
fn a_secret_copied_into_another_field_in_short_pieces_is_never_shown() {
    let s = sig(21);
    for sep in [".", "-", "_", ":", ".-"] {
        // The signature cut into runs of 7 and pasted into the start parameter.
        let cut: Vec<String> = s
            .trim_end_matches('=')
            .as_bytes()
            .chunks(7)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        let copy = cut.join(sep);
        let text = format!(
            "https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=r&st={copy}&se=2030-01-01T00:00:00Z&sig={}",
            pct(&s)
        );
        let found = analyze(text.as_bytes(), &Settings::default(), now());
        assert_eq!(found.len(), 1, "separator {sep:?}");
        let f = &found[0];
        let breakdown = sasguard::policy::breakdown::Breakdown::new(text.as_bytes(), &f.token, now());
        let shown = format!(
            "{} {} {}",
            f.message(),
            serde_json::to_string(&breakdown).unwrap(),
            f.fired.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>().join(" ")
        );
        assert!(
            !shows_piece(&shown, &s, 12),
            "separator {sep:?}: a piece of the signature is shown"
        );
        let snippet = sasguard::cli::locate::snippet(
            text.as_bytes(),
            0..text.len(),
            &f.token.range,
            std::slice::from_ref(&f.token.secret),
        );
        assert!(
            !shows_piece(&snippet.text, &s, 12),
            "separator {sep:?}: the snippet shows a piece of the signature"
        );
    }
}

#[test]
fn a_long_token_shows_its_head_and_tail_and_no_secret() {
    // One SAS URL whose query carries a megabyte of extra parameters whose values hold
    // `sig=`: the snippet stays short, shows the URL's head and the tail, and no secret.
    let s = sig(31);
    let mut text = format!(
        "u = \"https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2050-01-01T00:00:00Z&sig={}",
        pct(&s)
    );
    for _ in 0..30_000 {
        text.push_str("&a=xsig=ABCDEFGHIJKLMNOPQRSTUV");
    }
    text.push_str("&sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00:00:00Z&sig=");
    let s2 = sig(32);
    text.push_str(&pct(&s2));
    text.push_str("\" # end");
    let t = text.as_bytes();
    let tokens = scan(t);
    assert_eq!(tokens.len(), 2);
    let secrets: Vec<_> = tokens.iter().map(|t| t.secret.clone()).collect();
    for tok in &tokens {
        let sn = sasguard::cli::locate::snippet(t, 0..t.len(), &tok.range, &secrets);
        assert!(
            sn.text.chars().count() < 300,
            "snippet of {} chars",
            sn.text.chars().count()
        );
        assert!(!shows_piece(&sn.text, &s, 12) && !shows_piece(&sn.text, &s2, 12));
        assert!(sn.text.contains("…"));
    }
    let first = sasguard::cli::locate::snippet(t, 0..t.len(), &tokens[0].range, &secrets);
    assert!(first.text.starts_with("u = \"https://acct.blob"), "{}", first.text);
}

#[test]
fn service_sas_letters_are_named_for_their_service() {
    // `p` processes messages on a queue SAS and sets permissions on a blob SAS.
    let s = pct(&sig(41));
    let queue = format!("https://acct.queue.core.windows.net/q?sv=2022-11-02&sp=rap&se=2050-01-01&sig={s}");
    let blob = format!("https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=rwp&se=2050-01-01&sig={s}");
    let names = |text: &str| {
        let found = analyze(text.as_bytes(), &Settings::default(), now());
        assert_eq!(found.len(), 1, "one token");
        let b = sasguard::policy::breakdown::Breakdown::new(text.as_bytes(), &found[0].token, now());
        let reasons: Vec<String> = found[0].fired.iter().map(|f| f.reason.clone()).collect();
        format!("{} {}", serde_json::to_string(&b).unwrap(), reasons.join(" "))
    };
    let q = names(&queue);
    assert!(
        q.contains("process messages"),
        "queue SAS: {}",
        sasguard::redact::scrub(&q)
    );
    assert!(
        !q.contains("set permissions"),
        "queue SAS: {}",
        sasguard::redact::scrub(&q)
    );
    let b = names(&blob);
    assert!(
        b.contains("set permissions"),
        "blob SAS: {}",
        sasguard::redact::scrub(&b)
    );
    assert!(
        !b.contains("process messages"),
        "blob SAS: {}",
        sasguard::redact::scrub(&b)
    );
}
