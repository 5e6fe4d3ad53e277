//! Fixes for calls that mint a SAS: "Shorten the lifetime to …" and "Allow HTTPS only",
//! applied per surface, then the file checked with a real parser where this machine has
//! one (python3, node, terraform, mcs, bash) and judged again: the rule the fix is for no
//! longer fires, and nothing else about the call changed.

use std::io::Write;
use std::process::{Command, Stdio};

use chrono::{TimeZone, Utc};
use sasguard::config::Settings;
use sasguard::fix::{self, mint};
use sasguard::policy::{analyze, Finding, Rule};

const WEEK: i64 = 7 * 86_400;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap()
}

fn one(text: &str) -> Finding {
    let f = analyze(text.as_bytes(), &Settings::default(), now());
    assert_eq!(f.len(), 1, "{text}: {f:#?}");
    f.into_iter().next().unwrap()
}

/// `text` with the lifetime fix applied.
fn shortened(text: &str, max: i64) -> Option<String> {
    let f = one(text);
    assert!(f.fired(Rule::LongLived), "{}", f.message());
    let e = mint::shorten_lifetime(text.as_bytes(), &f.token, max)?;
    Some(fix::apply(text, &[e]))
}

/// `text` with the protocol fix applied.
fn https(text: &str) -> Option<String> {
    let f = one(text);
    assert!(f.fired(Rule::HttpAllowed), "{}", f.message());
    let e = mint::https_only(text.as_bytes(), &f.token)?;
    Some(fix::apply(text, &[e]))
}

/// Both fixes, one after the other, and the call judged again.
fn both(text: &str) -> String {
    let a = shortened(text, WEEK).expect("a lifetime fix");
    let b = https(&a).expect("a protocol fix");
    let f = one(&b);
    assert!(
        !f.fired(Rule::LongLived) && !f.fired(Rule::HttpAllowed),
        "{b}\n{}",
        f.message()
    );
    let before = one(text);
    assert_eq!(f.token.params.permissions, before.token.params.permissions);
    assert_eq!(f.token.kind, before.token.kind);
    b
}

/// The lines that differ between `a` and `b`.
fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    la.iter()
        .zip(lb.iter())
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect()
}

/// Runs `cmd` with `input` on stdin (or `file` written with it); `None` when the tool is
/// not installed here.
fn tool(cmd: &str, args: &[&str], input: &str, file: Option<&str>) -> Option<std::process::Output> {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    if let Some(name) = file {
        let p = dir.path().join(name);
        std::fs::write(&p, input).unwrap();
        args = args.into_iter().map(|a| a.replace("{}", p.to_str().unwrap())).collect();
        args.iter_mut()
            .for_each(|a| *a = a.replace("{dir}", dir.path().to_str().unwrap()));
    }
    let mut child = match Command::new(cmd)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("note: {cmd} is not installed: not checked");
            return None;
        }
    };
    if file.is_none() {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    Some(child.wait_with_output().unwrap())
}

fn parses(cmd: &str, args: &[&str], input: &str, file: Option<&str>) {
    if let Some(out) = tool(cmd, args, input, file) {
        assert!(
            out.status.success(),
            "{cmd} rejects:\n{input}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn python_parses(src: &str) {
    parses(
        "python3",
        &["-c", "import ast,sys; ast.parse(sys.stdin.read())"],
        src,
        None,
    );
}

fn node_parses(src: &str) {
    parses("node", &["--check", "{}"], src, Some("sas.js"));
}

fn terraform_parses(src: &str) {
    parses("terraform", &["fmt", "-"], src, None);
}

fn bash_parses(src: &str) {
    parses("bash", &["-n"], src, None);
}

/// Stand-ins for the SDK's types, so `mcs` compiles the builder as written.
const CS_STUBS: &str = "using System;\nnamespace Azure.Storage.Sas {\n\
public enum SasProtocol { None, HttpsAndHttp, Https }\n\
[Flags] public enum AccountSasServices { Blobs = 1, Queues = 2, Files = 4, Tables = 8, All = 15 }\n\
[Flags] public enum AccountSasResourceTypes { Service = 1, Container = 2, Object = 4, All = 7 }\n\
[Flags] public enum AccountSasPermissions { Read = 1, Write = 2, Delete = 4, List = 8, All = 15 }\n\
public class AccountSasBuilder { public AccountSasServices Services { get; set; } \
public AccountSasResourceTypes ResourceTypes { get; set; } public DateTimeOffset ExpiresOn { get; set; } \
public SasProtocol Protocol { get; set; } public void SetPermissions(AccountSasPermissions p) {} }\n}\n";

fn csharp_compiles(body: &str) {
    let src = format!("{CS_STUBS}namespace App {{ using System; using Azure.Storage.Sas;\nclass P {{ static void Main() {{\n{body}\n}} }} }}\n");
    parses("mcs", &["-nologo", "-out:{dir}/p.exe", "{}"], &src, Some("p.cs"));
}

const PY_ACCOUNT: &str =
    "sas_token = generate_account_sas(\n    account_name=\"mystorage\",\n    account_key=key,\n    \
    resource_types=ResourceTypes(service=True, container=True, object=True),\n    \
    permission=AccountSasPermissions(read=True, write=True, delete=True, list=True),\n    \
    expiry=datetime.utcnow() + timedelta(days=3650),\n    protocol=\"https,http\",\n)\n";

#[test]
fn python_lifetime_and_protocol() {
    let out = both(PY_ACCOUNT);
    assert!(out.contains("expiry=datetime.utcnow() + timedelta(days=7),\n"), "{out}");
    assert!(out.contains("    protocol=\"https\",\n"), "{out}");
    assert_eq!(changed_lines(PY_ACCOUNT, &out).len(), 2);
    python_parses(PY_ACCOUNT);
    python_parses(&out);
}

#[test]
fn python_protocol_is_added_where_the_call_leaves_it_out() {
    let one_line = "sas = generate_container_sas(acct, \"c\", account_key=k, permission=\"rwdl\", expiry=datetime.utcnow() + timedelta(days=365))\n";
    let out = both(one_line);
    assert!(
        out.ends_with("expiry=datetime.utcnow() + timedelta(days=7), protocol=\"https\")\n"),
        "{out}"
    );
    python_parses(&out);
    let no_comma =
        "sas = generate_blob_sas(\n    account_name=acct,\n    container_name=\"c\",\n    blob_name=\"b\",\n    \
        account_key=k,\n    permission=BlobSasPermissions(read=True, write=True, delete=True),\n    \
        expiry=datetime.now(timezone.utc) + timedelta(weeks=52)\n)\n";
    let out = both(no_comma);
    assert!(out.contains("timedelta(days=7),\n    protocol=\"https\"\n)\n"), "{out}");
    python_parses(&out);
    // A file with CRLF line endings keeps them.
    let crlf = no_comma.replace('\n', "\r\n");
    let out = https(&crlf).unwrap();
    assert!(
        out.contains("timedelta(weeks=52),\r\n    protocol=\"https\"\r\n)\r\n"),
        "{out:?}"
    );
    python_parses(&out);
}

#[test]
fn python_shorter_limits_are_written_in_hours() {
    let out = shortened(PY_ACCOUNT, 12 * 3600).unwrap();
    assert!(out.contains("timedelta(hours=12)"), "{out}");
    python_parses(&out);
    assert_eq!(mint::lifetime_title(12 * 3600), "Shorten the lifetime to 12 hours");
    assert_eq!(mint::lifetime_title(WEEK), "Shorten the lifetime to 7 days");
    assert_eq!(mint::lifetime_title(86_400), "Shorten the lifetime to 1 day");
}

#[test]
fn python_no_fix_for_what_the_text_does_not_fix() {
    // The expiry in a variable: no lifetime to shorten (and no SAS004 to begin with).
    let var =
        "sas = generate_account_sas(account_name=\"a\", account_key=k, resource_types=ResourceTypes(object=True), \
        permission=\"rwdl\", expiry=expires_at, protocol=\"https,http\")\n";
    let f = one(var);
    assert!(!f.fired(Rule::LongLived));
    assert_eq!(mint::shorten_lifetime(var.as_bytes(), &f.token, WEEK), None);
    // A protocol in a variable: unknown, no fix.
    let proto = PY_ACCOUNT.replace("protocol=\"https,http\"", "protocol=proto");
    let f = one(&proto);
    assert!(!f.fired(Rule::HttpAllowed));
    assert_eq!(mint::https_only(proto.as_bytes(), &f.token), None);
    // `**kwargs` may carry a protocol: nothing is added.
    let kw = "sas = generate_container_sas(acct, \"c\", permission=\"rwdl\", expiry=datetime.utcnow() + timedelta(days=365), **opts)\n";
    let f = one(kw);
    assert_eq!(mint::https_only(kw.as_bytes(), &f.token), None);
    // A comment after the last argument would swallow what is added: not offered.
    let commented = "sas = generate_container_sas(\n    acct, \"c\", permission=\"rwdl\",\n    \
        expiry=\"2056-01-01T00:00:00Z\"  # long on purpose\n)\n";
    let f = one(commented);
    assert!(f.fired(Rule::HttpAllowed), "{}", f.message());
    assert_eq!(mint::https_only(commented.as_bytes(), &f.token), None);
}

const CS_BUILDER: &str = "var builder = new AccountSasBuilder\n{\n    Services = AccountSasServices.All,\n    \
    ResourceTypes = AccountSasResourceTypes.All,\n    ExpiresOn = DateTimeOffset.UtcNow.AddYears(30),\n    \
    Protocol = SasProtocol.HttpsAndHttp,\n};\nbuilder.SetPermissions(AccountSasPermissions.All);\n";

#[test]
fn dotnet_lifetime_and_protocol() {
    let out = both(CS_BUILDER);
    let lines = changed_lines(CS_BUILDER, &out);
    assert_eq!(
        lines,
        vec![
            (
                "    ExpiresOn = DateTimeOffset.UtcNow.AddYears(30),".to_string(),
                "    ExpiresOn = DateTimeOffset.UtcNow.AddDays(7),".to_string()
            ),
            (
                "    Protocol = SasProtocol.HttpsAndHttp,".to_string(),
                "    Protocol = SasProtocol.Https,".to_string()
            ),
        ]
    );
    csharp_compiles(CS_BUILDER);
    csharp_compiles(&out);
    // `+ TimeSpan` and a protocol set in a statement after the builder.
    let span = "var b = new AccountSasBuilder { Services = AccountSasServices.Blobs, ResourceTypes = AccountSasResourceTypes.Object, \
        ExpiresOn = DateTimeOffset.UtcNow + TimeSpan.FromDays(400) };\nb.SetPermissions(AccountSasPermissions.Read);\n\
        b.Protocol = SasProtocol.HttpsAndHttp;\n";
    let out = both(span);
    assert!(
        out.contains("ExpiresOn = DateTimeOffset.UtcNow + TimeSpan.FromDays(7) }"),
        "{out}"
    );
    assert!(out.contains("b.Protocol = SasProtocol.Https;"), "{out}");
    csharp_compiles(&out);
    // A protocol the text does not fix: no fix.
    let unknown = CS_BUILDER.replace("SasProtocol.HttpsAndHttp", "protocol");
    let f = one(&unknown);
    assert_eq!(mint::https_only(unknown.as_bytes(), &f.token), None);
    // An expiry held in a variable: no lifetime fix.
    let var = CS_BUILDER.replace("DateTimeOffset.UtcNow.AddYears(30)", "expiresOn");
    let f = one(&var);
    assert!(!f.fired(Rule::LongLived));
    assert_eq!(mint::shorten_lifetime(var.as_bytes(), &f.token, WEEK), None);
}

const AZ: &str = "az storage account generate-sas \\\n  --account-name leakydemo \\\n  --services b \\\n  \
    --resource-types o \\\n  --permissions rl \\\n  --expiry $(date -u -d \"+30 years\" '+%Y-%m-%dT%H:%MZ') \\\n  -o tsv\necho done\n";

#[test]
fn az_lifetime_and_https_only() {
    let out = both(AZ);
    assert!(
        out.contains("--expiry $(date -u -d \"+7 days\" '+%Y-%m-%dT%H:%MZ') \\\n"),
        "{out}"
    );
    assert!(out.contains("  -o tsv --https-only\necho done\n"), "{out}");
    bash_parses(&out);
    // GNU date reads the new spec as seven days from now.
    if let Some(o) = tool("date", &["-u", "-d", "+7 days", "+%s"], "", None) {
        let secs: i64 = String::from_utf8_lossy(&o.stdout).trim().parse().unwrap();
        let now = chrono::Utc::now().timestamp();
        assert!((secs - now - WEEK).abs() < 60);
    }
    // A literal date is left alone: no literal date would stay within the limit.
    let literal = AZ.replace("$(date -u -d \"+30 years\" '+%Y-%m-%dT%H:%MZ')", "2056-01-01");
    let f = one(&literal);
    assert!(f.fired(Rule::LongLived));
    assert_eq!(mint::shorten_lifetime(literal.as_bytes(), &f.token, WEEK), None);
    // Inside a command substitution, the flag goes before its `)`.
    let sub = "SAS=$(az storage container generate-sas --account-name a --name c --permissions rwdl --expiry $(date -u -d '+1 year' +%FT%RZ) -o tsv)\n";
    let out = both(sub);
    assert!(
        out.ends_with("--expiry $(date -u -d '+7 days' +%FT%RZ) -o tsv --https-only)\n"),
        "{out}"
    );
    bash_parses(&out);
    // A command whose end the reader does not see (an unclosed quote): nothing added.
    let open = "az storage account generate-sas --services b --resource-types o --permissions rl --expiry 2056-01-01 --ip \"1.2.3.4\n";
    let f = one(open);
    assert_eq!(mint::https_only(open.as_bytes(), &f.token), None);
}

#[test]
fn powershell_lifetime_and_protocol() {
    let ps = "$sas = New-AzStorageAccountSASToken -Service Blob,File -ResourceType Service,Container,Object \
        -Permission \"racwdl\" -ExpiryTime (Get-Date).AddYears(30) -Protocol HttpsOrHttp -Context $ctx\n";
    let out = both(ps);
    assert_eq!(
        out,
        ps.replace(".AddYears(30)", ".AddDays(7)")
            .replace("HttpsOrHttp", "HttpsOnly")
    );
    // Left to its default, the protocol is added at the end of the command.
    let default =
        "New-AzStorageContainerSASToken -Name logs -Permission rwdl -ExpiryTime (Get-Date).AddYears(1) -Context $ctx\n";
    let out = https(default).unwrap();
    assert_eq!(out, default.replace("$ctx\n", "$ctx -Protocol HttpsOnly\n"));
}

const JS: &str = "const sas = generateAccountSASQueryParameters(\n  {\n    \
    expiresOn: new Date(Date.now() + 3650 * 24 * 3600 * 1000),\n    \
    permissions: AccountSASPermissions.parse(\"rwdlacup\"),\n    \
    resourceTypes: AccountSASResourceTypes.parse(\"sco\").toString(),\n    \
    services: AccountSASServices.parse(\"btqf\").toString(),\n    \
    protocol: SASProtocol.HttpsAndHttp,\n  },\n  cred,\n).toString();\n";

#[test]
fn javascript_lifetime_and_protocol() {
    let out = both(JS);
    assert!(out.contains("new Date(Date.now() + 7 * 24 * 3600 * 1000)"), "{out}");
    assert!(out.contains("protocol: SASProtocol.Https,"), "{out}");
    node_parses(JS);
    node_parses(&out);
}

const TF: &str = "data \"azurerm_storage_account_sas\" \"leaky\" {\n  connection_string = azurerm_storage_account.sa.primary_connection_string\n  \
    https_only        = false\n  start             = \"2026-01-01T00:00:00Z\"\n  expiry            = timeadd(timestamp(), \"87600h\")\n\n  \
    resource_types {\n    service   = true\n    container = true\n    object    = true\n  }\n  \
    services {\n    blob  = true\n    queue = false\n    table = false\n    file  = false\n  }\n  \
    permissions {\n    read    = true\n    write   = true\n    delete  = true\n    list    = true\n    add     = true\n    \
    create  = true\n    update  = true\n    process = true\n    tag     = false\n    filter  = false\n  }\n}\n";

#[test]
fn terraform_protocol_and_the_literal_start_that_keeps_the_lifetime() {
    // A literal start moves the lifetime's origin: no lifetime fix would be sure to work.
    let f = one(TF);
    assert!(f.fired(Rule::LongLived));
    assert_eq!(mint::shorten_lifetime(TF.as_bytes(), &f.token, WEEK), None);
    let out = https(TF).unwrap();
    assert!(out.contains("https_only        = true\n"), "{out}");
    terraform_parses(&out);
    let from_now = TF.replace("  start             = \"2026-01-01T00:00:00Z\"\n", "");
    let out = both(&from_now);
    assert!(
        out.contains("expiry            = timeadd(timestamp(), \"168h\")\n"),
        "{out}"
    );
    terraform_parses(&from_now);
    terraform_parses(&out);
}

#[test]
fn the_parsers_used_here_reject_broken_code() {
    let broken: [(&str, &[&str], &str, Option<&str>); 5] = [
        (
            "python3",
            &["-c", "import ast,sys; ast.parse(sys.stdin.read())"],
            "f(a=1 b=2)\n",
            None,
        ),
        ("node", &["--check", "{}"], "f({ a: 1 b: 2 });\n", Some("sas.js")),
        (
            "terraform",
            &["fmt", "-"],
            "data \"x\" \"y\" {\n  a = timeadd(\n}\n",
            None,
        ),
        ("bash", &["-n"], "echo $(date\n", None),
        (
            "mcs",
            &["-nologo", "-out:{dir}/p.exe", "{}"],
            "class P { static void Main() { var d = System.DateTimeOffset.UtcNow.AddDays(7; } }\n",
            Some("p.cs"),
        ),
    ];
    for (cmd, args, src, file) in broken {
        if let Some(out) = tool(cmd, args, src, file) {
            assert!(!out.status.success(), "{cmd} accepted {src}");
        }
    }
}
