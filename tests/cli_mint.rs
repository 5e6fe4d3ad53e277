//! `sasguard check` on code and commands that mint a SAS: every format labels the finding
//! as a mint and says what the call would mint; a key passed to the call never shows.

mod cli_support;
mod common;

use cli_support::{json, sasguard, write, NOW};
use common::key64;

const DEPLOY: &str = "#!/bin/sh\nset -e\nsas=$(az storage account generate-sas \\\n  --account-name leakydemo \\\n  \
    --account-key KEY \\\n  --services bfqt \\\n  --resource-types sco \\\n  --permissions acdlpruw \\\n  \
    --expiry 2056-01-15T12:00Z \\\n  -o tsv)\necho \"$sas\"\n";

const PYTHON: &str = "from datetime import datetime, timedelta\nfrom azure.storage.blob import generate_blob_sas, BlobSasPermissions\n\n\
    def share(name):\n    return generate_blob_sas(\n        account_name=\"leakydemo\",\n        container_name=\"reports\",\n        \
    blob_name=name,\n        account_key=key,\n        permission=BlobSasPermissions(read=True),\n        \
    expiry=datetime.utcnow() + timedelta(hours=1),\n    )\n";

fn tree() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let key = key64(21);
    write(tmp.path(), "deploy.sh", DEPLOY.replace("KEY", &key));
    // Read-only and short-lived: quiet.
    write(tmp.path(), "share.py", PYTHON);
    (tmp, key)
}

#[test]
fn json_reports_a_mint_with_what_it_would_mint() {
    let (tmp, key) = tree();
    let out = sasguard(tmp.path(), &["check", ".", "--format", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let findings = v["findings"].as_array().unwrap();
    // The mint, and the account key passed to it (reported on its own, redacted).
    let mints: Vec<_> = findings.iter().filter(|f| f["form"]["mint"].is_object()).collect();
    assert_eq!(mints.len(), 1, "{findings:#?}");
    let m = mints[0];
    assert_eq!(m["path"], "deploy.sh");
    assert_eq!((m["line"].as_u64(), m["column"].as_u64()), (Some(3), Some(7)));
    assert_eq!(m["endLine"], 10);
    assert_eq!(m["rule"], "SAS002");
    assert_eq!(m["form"]["mint"]["surface"], "az-cli");
    assert_eq!(m["form"]["mint"]["call"], "az storage account generate-sas");
    assert_eq!(m["token"]["mintedBy"], "az storage account generate-sas (az CLI)");
    assert_eq!(m["token"]["account"], "leakydemo");
    assert!(m["token"]["fingerprint"].as_str().unwrap().starts_with("mt1:"));
    let msg = m["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Mints an account SAS with full control of blob, file, queue and table, valid until 2056-01-15 12:00 UTC (30 years from now), HTTP allowed."),
        "{msg}"
    );
    let ids: Vec<&str> = m["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["SAS002", "SAS003", "SAS004", "SAS006"]);
    assert!(
        findings.iter().all(|f| f["path"] != "share.py"),
        "read-only, one hour: quiet"
    );
    assert!(!out.stdout.contains(&key));
}

#[test]
fn human_and_sarif_say_it_too() {
    let (tmp, key) = tree();
    let human = sasguard(tmp.path(), &["check", ".", "--now", NOW, "--color", "never"], None);
    assert!(
        human
            .stdout
            .contains("deploy.sh:3:7: error[SAS002 account-sas]: Mints an account SAS"),
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains(&key));
    // Nothing live to revoke in a call: the steps are for the tokens it has minted.
    assert!(
        human
            .stdout
            .contains("= revoke: the tokens this call has minted, if it has run: az storage account keys renew"),
        "{}",
        human.stdout
    );
    let sarif = sasguard(tmp.path(), &["check", ".", "--format", "sarif", "--now", NOW], None);
    let v = json(&sarif);
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Mints an account SAS")));
    assert!(!sarif.stdout.contains(&key));
}

/// An account SAS minted for ten years, its names and key in variables: no secret in it.
const CALL_ALONE: &str = "sas = generate_account_sas(account_name=name, account_key=key,\n    \
     resource_types=ResourceTypes(service=True, container=True, object=True),\n    \
     permission=\"rwdlacup\", expiry=datetime.utcnow() + timedelta(days=3650))\n";

/// A file whose only finding is a call (no secret in it) still counts as a file with
/// findings.
#[test]
fn a_call_alone_makes_a_file_with_findings() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "mint.py", CALL_ALONE);
    let out = sasguard(tmp.path(), &["check", ".", "--now", NOW, "--color", "never"], None);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.ends_with("1 finding (1 error) in 1 of 1 file.\n"),
        "{}",
        out.stdout
    );
    let v = json(&sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None));
    assert_eq!(v["summary"]["filesWithFindings"], 1);
    assert_eq!(v["findings"][0]["revoke"]["minted"], true);
}

/// A call's fingerprint (`mt1:`) goes in `allow.fingerprints` like a token's.
#[test]
fn a_call_is_allowed_by_its_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "mint.py", CALL_ALONE);
    let v = json(&sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None));
    let fp = v["findings"][0]["token"]["fingerprint"].as_str().unwrap().to_string();
    assert!(fp.starts_with("mt1:"), "{fp}");
    write(
        tmp.path(),
        ".sasguard.toml",
        format!("[allow]\nfingerprints = [\"{fp}\"]\n"),
    );
    let out = sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 0);
}

/// The JavaScript docs' blob SAS samples with their values in names before the call:
/// shorthand members, a date moved by a setter, the options object passed by name; a
/// short-lived read-only twin stays quiet.
const JS_VALUES_BEFORE: &str = "const { generateBlobSASQueryParameters, BlobSASPermissions, ContainerSASPermissions, SASProtocol } = require(\"@azure/storage-blob\");\n\n\
    function getBlobSas(containerName, blobName, cred) {\n  const expiresOn = new Date();\n  \
    expiresOn.setFullYear(expiresOn.getFullYear() + 10);\n  const permissions = BlobSASPermissions.parse(\"racwd\");\n  \
    return generateBlobSASQueryParameters({\n    containerName,\n    blobName,\n    permissions,\n    startsOn: new Date(),\n    expiresOn,\n  }, cred).toString();\n}\n\n\
    function getContainerSas(cred) {\n  const sasOptions = {\n    containerName: \"reports\",\n    \
    permissions: ContainerSASPermissions.parse(\"racwdl\"),\n    expiresOn: new Date(new Date().valueOf() + 365 * 24 * 60 * 60 * 1000),\n  };\n  \
    return generateBlobSASQueryParameters(sasOptions, cred).toString();\n}\n\n\
    async function getReadUrl(blobClient) {\n  const expiresOn = new Date();\n  expiresOn.setHours(expiresOn.getHours() + 1);\n  \
    const permissions = BlobSASPermissions.parse(\"r\");\n  \
    return blobClient.generateSasUrl({ permissions, expiresOn, protocol: SASProtocol.Https });\n}\n";

/// The Java docs' account SAS sample with each value in a variable, and a one-day
/// read-only blob SAS twin (quiet).
const JAVA_VALUES_BEFORE: &str = "class Sas {\n  String account(BlobServiceClient client) {\n    \
    OffsetDateTime expiryTime = OffsetDateTime.now().plusYears(30);\n    \
    AccountSasPermission accountSasPermission = new AccountSasPermission()\n        .setReadPermission(true)\n        .setWritePermission(true)\n        .setDeletePermission(true);\n    \
    AccountSasService services = new AccountSasService().setBlobAccess(true);\n    \
    AccountSasResourceType resourceTypes = new AccountSasResourceType().setContainer(true).setObject(true);\n    \
    AccountSasSignatureValues accountSasValues = new AccountSasSignatureValues(expiryTime, accountSasPermission, services, resourceTypes);\n    \
    return client.generateAccountSas(accountSasValues);\n  }\n\n  String blob(BlobClient blobClient) {\n    \
    OffsetDateTime expiryTime = OffsetDateTime.now().plusDays(1);\n    \
    BlobSasPermission permission = new BlobSasPermission().setReadPermission(true);\n    \
    BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(expiryTime, permission)\n        .setProtocol(SasProtocol.HTTPS_ONLY);\n    \
    return blobClient.generateSas(values);\n  }\n}\n";

#[test]
fn values_set_before_the_call_are_read_in_javascript_and_java() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "sas.js", JS_VALUES_BEFORE);
    write(tmp.path(), "Sas.java", JAVA_VALUES_BEFORE);
    let out = sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let found: Vec<(String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let m = f["message"].as_str().unwrap();
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                m[..m.find(" Call:").unwrap()].to_string(),
            )
        })
        .collect();
    let want = [
        (
            "Sas.java",
            10,
            "Mints an account SAS with read, write and delete access to blob, valid 30 years, HTTP allowed.",
        ),
        (
            "sas.js",
            7,
            "Mints a service SAS with read, write and delete access to one blob, valid 10 years, HTTP allowed.",
        ),
        (
            "sas.js",
            22,
            "Mints a service SAS with full control of one container, valid 1 year, HTTP allowed.",
        ),
    ];
    let want: Vec<(String, u64, String)> = want
        .iter()
        .map(|(p, l, m)| (p.to_string(), *l, m.to_string()))
        .collect();
    assert_eq!(found, want);
}

/// Values set before the call are read from their assignments: a .NET builder, an Az
/// PowerShell cmdlet and an az CLI command each name their expiry; their twins name a
/// parameter or a value the text does not fix, and make no claim about it.
#[test]
fn values_set_before_the_call_dotnet_powershell_az() {
    let tmp = tempfile::tempdir().unwrap();
    let filler = "    // …\n".repeat(20);
    write(
        tmp.path(),
        "Sas.cs",
        format!(
            "class S\n{{\n  public string Make(BlobContainerClient containerClient)\n  {{\n    var expiresOn = DateTimeOffset.UtcNow.AddYears(5);\n{filler}    \
             BlobSasBuilder sasBuilder = new BlobSasBuilder()\n    {{\n        BlobContainerName = containerClient.Name,\n        Resource = \"c\",\n        \
             ExpiresOn = expiresOn\n    }};\n    sasBuilder.SetPermissions(BlobContainerSasPermissions.All);\n    \
             return containerClient.GenerateSasUri(sasBuilder).ToString();\n  }}\n\n  \
             public string Twin(BlobContainerClient containerClient, DateTimeOffset expiresOn)\n  {{\n    \
             var b = new BlobSasBuilder {{ BlobContainerName = containerClient.Name, Resource = \"c\", ExpiresOn = expiresOn }};\n    \
             b.SetPermissions(BlobContainerSasPermissions.All);\n    return containerClient.GenerateSasUri(b).ToString();\n  }}\n}}\n"
        ),
    );
    write(
        tmp.path(),
        "mint.ps1",
        "$StartTime = Get-Date\n$EndTime = $StartTime.AddYears(10)\n\
         New-AzStorageContainerSASToken -Name \"ContainerName\" -Permission rwdl -StartTime $StartTime -ExpiryTime $EndTime -Context $ctx\n\n\
         function New-Twin {\n    param([DateTime]$Expiry)\n    New-AzStorageContainerSASToken -Name \"c\" -Permission rwdl -ExpiryTime $Expiry -Context $ctx\n}\n",
    );
    write(
        tmp.path(),
        "mint.sh",
        "#!/bin/bash\nend=`date -u -d \"5 years\" '+%Y-%m-%dT%H:%MZ'`\n\
         az storage container generate-sas --account-name mystore --name data --permissions acdlrw --expiry $end --auth-mode key\n\
         twin=$(get_expiry)\naz storage container generate-sas --account-name mystore --name data --permissions acdlrw --expiry \"$twin\" --auth-mode key\n",
    );
    let out = sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let mut got: Vec<(String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let msg = f["message"].as_str().unwrap();
            let life = if msg.contains("expiry set elsewhere") {
                "unknown".to_string()
            } else {
                msg.split("valid ")
                    .nth(1)
                    .unwrap()
                    .split(',')
                    .next()
                    .unwrap()
                    .to_string()
            };
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                life,
            )
        })
        .collect();
    got.sort();
    let want = [
        ("Sas.cs", 26, "5 years"),
        ("Sas.cs", 38, "unknown"),
        ("mint.ps1", 3, "10 years"),
        ("mint.ps1", 7, "unknown"),
        ("mint.sh", 3, "5 years"),
        ("mint.sh", 5, "unknown"),
    ]
    .map(|(p, l, s)| (p.to_string(), l, s.to_string()));
    assert_eq!(got, want);
}

#[test]
fn values_set_before_the_call_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "named.py", PY_NAMED);
    write(tmp.path(), "passed.py", PY_PASSED);
    write(tmp.path(), "sas.go", GO_NAMED);
    let out = sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let found: Vec<(String, u64, Vec<String>)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let ids = f["rules"].as_array().unwrap().iter();
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                ids.map(|r| r["id"].as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    let want =
        |p: &str, l: u64, ids: &[&str]| (p.to_string(), l, ids.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(
        found,
        [
            want("named.py", 8, &["SAS002", "SAS003", "SAS004", "SAS006"]),
            want("named.py", 20, &["SAS004"]),
            want("sas.go", 6, &["SAS003", "SAS004"]),
        ],
        "{v:#}"
    );
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("full control") && msg.contains("valid 10 years"), "{msg}");
}

/// Values set before the call, in the same function, as the SDK samples write them: an
/// account SAS with full control for ten years, a read-only blob SAS for a year from a
/// `start` named now, and Go's struct fields and `GetSASURL` arguments by name.
const PY_NAMED: &str = "from datetime import datetime, timedelta\n\
from azure.storage.blob import AccountSasPermissions, BlobSasPermissions, ResourceTypes, generate_account_sas, generate_blob_sas\n\n\
def make_sas(account_name, account_key):\n    expiry_time = datetime.utcnow() + timedelta(days=3650)\n    \
permissions = AccountSasPermissions(read=True, write=True, delete=True, list=True, add=True, create=True, update=True, process=True)\n    \
resource_types = ResourceTypes(service=True, container=True, object=True)\n    \
sas_token = generate_account_sas(\n        account_name=account_name,\n        account_key=account_key,\n        \
resource_types=resource_types,\n        permission=permissions,\n        expiry=expiry_time,\n    )\n    return sas_token\n\n\
def blob_sas(account_name, account_key, container, blob):\n    start = datetime.utcnow()\n    expiry = start + timedelta(days=365)\n    \
return generate_blob_sas(account_name, container, blob, account_key=account_key,\n                             \
permission=BlobSasPermissions(read=True), expiry=expiry, protocol=\"https\")\n";

/// The negative twin: the same calls with their values passed in.
const PY_PASSED: &str = "def blob_sas(account_name, account_key, container, blob, permission, expiry):\n    \
return generate_blob_sas(account_name, container, blob, account_key=account_key,\n        \
permission=permission, expiry=expiry, protocol=\"https\")\n";

const GO_NAMED: &str = "package main\n\nfunc containerURL(client *container.Client) (string, error) {\n\
\tperms := sas.ContainerPermissions{Read: true, Write: true, Delete: true, List: true}\n\
\texpiry := time.Now().UTC().Add(87600 * time.Hour)\n\treturn client.GetSASURL(perms, expiry, nil)\n}\n";

/// The legacy JavaScript SDK end to end: the policy assigned before the call, in JSON with
/// its surface, and in SARIF.
#[test]
fn legacy_javascript_calls_are_reported_in_json_and_sarif() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "sas.js",
        "const azure = require('azure-storage');\nfunction sas(blobService, container) {\n  \
         const policy = { AccessPolicy: { Permissions: 'rwdl', Expiry: new Date(Date.now() + 90 * 24 * 3600 * 1000) } };\n  \
         return blobService.generateSharedAccessSignature(container, '', policy);\n}\n",
    );
    let out = sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let f = &v["findings"][0];
    assert_eq!(f["line"], 4);
    assert_eq!(f["form"]["mint"]["surface"], "javascript-legacy-sdk", "{f}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.starts_with(
            "Mints a service SAS with read, write and delete access to one container, valid 3 months, HTTP allowed."
        ),
        "{m}"
    );
    let out = sasguard(tmp.path(), &["check", ".", "-f", "sarif", "--now", NOW], None);
    let s = json(&out);
    assert_eq!(s["runs"][0]["results"].as_array().unwrap().len(), 1);
}

/// The management plane end to end: a Python `list_account_sas` with its parameters named
/// before the call, in JSON.
#[test]
fn management_plane_calls_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "sas.py",
        "def token(client, rg, name):\n    expiry = datetime.utcnow() + relativedelta(years=20)\n    \
         params = AccountSasParameters(services='b', resource_types='sco', permissions='rwdl', shared_access_expiry_time=expiry)\n    \
         return client.storage_accounts.list_account_sas(rg, name, params).account_sas_token\n",
    );
    let out = sasguard(tmp.path(), &["check", ".", "-f", "json", "--now", NOW], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let f = &v["findings"][0];
    assert_eq!(f["line"], 4);
    let m = f["message"].as_str().unwrap();
    assert!(
        m.starts_with("Mints an account SAS with read, write and delete access to blob, valid 20 years."),
        "{m}"
    );
}
