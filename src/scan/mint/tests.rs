//! Each surface read on samples rewritten from the official docs, and negatives.

use super::*;

pub(super) fn mints(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(text.as_bytes(), &mut out);
    out
}

pub(super) fn one(text: &str) -> Token {
    let m = mints(text);
    assert_eq!(m.len(), 1, "{text}: {m:?}");
    m.into_iter().next().unwrap()
}

pub(super) fn letters(l: &Option<Letters>) -> String {
    l.as_ref().map(|l| l.letters().collect()).unwrap_or_default()
}

pub(super) fn expires_in(t: &Token) -> Option<i64> {
    t.mint().and_then(|m| m.expires_in)
}

#[test]
fn python_account_sas_with_objects() {
    let t = one(
        "sas_token = generate_account_sas(\n    account_name=\"mystorage\",\n    account_key=key,\n    \
         resource_types=ResourceTypes(service=True, container=True, object=True),\n    \
         permission=AccountSasPermissions(read=True, write=True, delete=True, list=True, add=True, create=True),\n    \
         expiry=datetime.utcnow() + timedelta(days=3650),\n)\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(expires_in(&t), Some(3650 * 86_400));
    assert_eq!(t.account.as_deref(), Some("mystorage"));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Default);
    assert!(t.secret.is_empty() && t.secret_pieces().is_empty());
}

#[test]
fn python_strings_positional_and_protocol() {
    let t = one(
        "generate_account_sas(name, key, ResourceTypes.from_string(\"sco\"), \"rwdlacup\", \
         datetime.now(timezone.utc) + timedelta(days=365 * 30), services=Services(blob=True, fileshare=True), protocol=\"https\")",
    );
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(t.params.permissions, None, "a positional string is not claimed");
    assert_eq!(letters(&t.params.services), "bf");
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Given);
    assert_eq!(expires_in(&t), Some(365 * 30 * 86_400));
}

#[test]
fn python_service_kinds() {
    let t = one("url = generate_blob_sas(account_name=acct, container_name=c, blob_name=b, account_key=k, permission=BlobSasPermissions(read=True), expiry=datetime.utcnow() + timedelta(hours=1))");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("b"))
    );
    assert_eq!(letters(&t.params.permissions), "r");
    let t = one("generate_container_sas(acct, 'c', user_delegation_key=udk, permission='racwdl', expiry=datetime.utcnow() + timedelta(days=7))");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    let t = one("generate_queue_sas(acct, 'q', key, policy_id='readonly')");
    assert_eq!(
        (t.kind, t.params.policy.as_deref()),
        (TokenKind::StoredPolicySas, Some("readonly"))
    );
    let t = one("generate_table_sas(credential, table_name='orders', permission=TableSasPermissions(read=True, add=True, update=True, delete=True), expiry=\"2051-01-01T00:00:00Z\")");
    assert_eq!(t.params.table.as_deref(), Some("orders"));
    assert_eq!(letters(&t.params.permissions), "adru");
    assert!(t.params.expiry.as_ref().unwrap().at.is_some());
}

#[test]
fn python_unknowns_make_no_claim() {
    let t = one("generate_blob_sas(a, c, b, account_key=k, permission=perm, expiry=expiry_time, protocol=proto)");
    assert_eq!(t.params.permissions, None);
    assert_eq!(t.params.expiry, None);
    assert_eq!(t.mint().unwrap().protocol, Protocol::Unknown);
    let t = one("generate_blob_sas(a, c, b, permission=BlobSasPermissions(read=True, write=can_write), **kwargs)");
    assert_eq!(t.params.permissions, None);
    assert_eq!(t.mint().unwrap().protocol, Protocol::Unknown);
}

#[test]
fn python_lookalikes_are_not_calls() {
    assert!(
        mints("def generate_account_sas(account_name, account_key, resource_types, permission, expiry):").is_empty()
    );
    assert!(mints("from azure.storage.blob import generate_account_sas, ResourceTypes").is_empty());
    assert!(mints("my_generate_blob_sas(a, b)").is_empty());
    assert!(mints("generate_blob_sas_url(a, b)").is_empty());
    assert!(mints("generate_account(update, context)").is_empty());
    assert!(mints("generate_blob_sas(a, b").is_empty(), "unclosed");
}

#[test]
fn az_cli_account_sas_over_lines() {
    let t = one(
        "az storage account generate-sas \\\n  --account-name mystorage \\\n  --services bfqt \\\n  \
         --resource-types sco \\\n  --permissions acdlpruw \\\n  --expiry 2051-01-01T00:00Z \\\n  -o tsv\necho done\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(t.params.expiry.as_ref().unwrap().text, "2051-01-01T00:00Z");
    assert_eq!(t.mint().unwrap().protocol, Protocol::Default);
    assert_eq!(t.account.as_deref(), Some("mystorage"));
    let text = "az storage account generate-sas \\\n  --account-name mystorage \\\n  --services bfqt \\\n  \
         --resource-types sco \\\n  --permissions acdlpruw \\\n  --expiry 2051-01-01T00:00Z \\\n  -o tsv\n";
    assert_eq!(t.range.end, text.len() - 1, "ends with the command");
}

#[test]
fn az_cli_powershell_backticks_https_and_user() {
    let t = one("$sas = az storage container generate-sas `\n  --name images `\n  --permissions rl `\n  --expiry (Get-Date).AddYears(30) `\n  --https-only\n");
    assert_eq!(t.kind, TokenKind::ServiceSas);
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(expires_in(&t), Some((30.0 * 365.25 * 86_400.0) as i64));
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    let t = one("end=$(az storage blob generate-sas -c c -n b --permissions r --expiry $end --as-user --auth-mode login -o tsv)");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    assert_eq!(t.params.expiry, None);
    let t = one("az storage container generate-sas -n c --policy-name ro --account-name $ACCOUNT");
    assert_eq!(t.kind, TokenKind::StoredPolicySas);
    assert_eq!(t.account, None);
    let t = one("az storage container generate-sas -n c --permissions rwdl --expiry $(date -u -d \"+10 years\" '+%Y-%m-%dT%H:%MZ') $EXTRA");
    assert_eq!(expires_in(&t), Some((10.0 * 365.25 * 86_400.0) as i64));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Unknown);
}

#[test]
fn az_cli_lookalikes() {
    assert!(mints("az storage account keys list --account-name a").is_empty());
    assert!(mints("see generate-sas in the docs").is_empty());
    assert!(mints("az storage fs generate-sas -n x").is_empty());
}

#[test]
fn dotnet_account_builder_and_statements() {
    let t = one(
        "AccountSasBuilder sasBuilder = new AccountSasBuilder()\n{\n    Services = AccountSasServices.Blobs | AccountSasServices.Files,\n    \
         ResourceTypes = AccountSasResourceTypes.All,\n    ExpiresOn = DateTimeOffset.UtcNow.AddYears(30),\n    \
         Protocol = SasProtocol.HttpsAndHttp\n};\nsasBuilder.SetPermissions(AccountSasPermissions.All);\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.services), "bf");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "acdfilprtuwxy");
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    assert_eq!(expires_in(&t), Some((30.0 * 365.25 * 86_400.0) as i64));
}

#[test]
fn dotnet_constructor_target_typed_and_generate() {
    let t = one("var b = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)) { BlobContainerName = c, Resource = \"c\" };");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(letters(&t.params.permissions), "r");
    assert_eq!(expires_in(&t), Some(3600));
    let t = one("BlobSasBuilder b = new() { Identifier = \"policy\" };");
    assert_eq!(t.kind, TokenKind::StoredPolicySas);
    let t = one("Uri u = blobClient.GenerateSasUri(BlobSasPermissions.All, DateTimeOffset.UtcNow.AddDays(3650));");
    assert_eq!(t.params.resource.as_deref(), Some("b"));
    assert_eq!(expires_in(&t), Some(3650 * 86_400));
    let t = one("var b = new BlobSasBuilder { BlobContainerName = c, Resource = \"b\", ExpiresOn = DateTimeOffset.UtcNow.AddHours(1) };\nb.SetPermissions(BlobSasPermissions.Read);\nvar q = b.ToSasQueryParameters(userDelegationKey, accountName);");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
}

#[test]
fn dotnet_lookalikes() {
    assert!(mints("public Uri Make(BlobSasBuilder builder) => client.GenerateSasUri(builder);").is_empty());
    assert!(mints("using Azure.Storage.Sas; // AccountSasBuilder").is_empty());
    assert!(mints("class MyAccountSasBuilder {}").is_empty());
}

#[test]
fn reach_is_bounded() {
    let mut text = String::from("generate_blob_sas(a,\n");
    for _ in 0..MINT_LINE_REACH + 2 {
        text.push_str("  # filler\n");
    }
    text.push_str("permission='rwdl')\n");
    assert!(mints(&text).is_empty(), "a call longer than the reach is not read");
}

#[test]
fn the_quick_search_finds_what_the_anchor_search_finds() {
    for text in [
        "generate_blob_sas( generate_account_sas(x)",
        "generate_blob_sas_url(x) generate_blob_sas",
        "new AccountSasBuilder { } AccountSasBuilderX DataLakeSasBuilder",
        "az storage account generate-sas\naz storage blob generate-sas",
        "generate_blob_sasgenerate_blob_sas Sas sas c.GenerateSasUri( c.GenerateAccountSasUri(",
        "sas_sas_generate_queue_sas_sas",
        "New-AzStorageAccountSASToken -x new-azstorageblobsastoken SAS data \"azurerm_storage_account_blob_container_sas\"",
        "generateAccountSASQueryParameters({}) generateDataLakeSasQueryParameters( c.generateSasUrl(x) generateAccountSasUrl(",
    ] {
        let quick: Vec<_> = find_anchors(text.as_bytes()).map(|m| m.range()).collect();
        let full: Vec<_> = anchors().find_iter(text.as_bytes()).map(|m| m.range()).collect();
        assert_eq!(quick, full, "{text}");
    }
}

const TF_ACCOUNT: &str = r#"data "azurerm_storage_account_sas" "example" {
  connection_string = azurerm_storage_account.example.primary_connection_string
  signed_version    = "2022-11-02"

  resource_types {
    service   = true
    container = true
    object    = true
  }

  services {
    blob  = true
    queue = false
    table = false
    file  = true
  }

  start  = "2026-01-15T00:00:00Z"
  expiry = timeadd(timestamp(), "87600h")

  permissions {
    read    = true
    write   = true
    delete  = true
    list    = true
    add     = true
    create  = true
    update  = false
    process = false
    tag     = false
    filter  = false
  }
}
"#;

#[test]
fn terraform_account_sas_block() {
    let t = one(TF_ACCOUNT);
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.services), "bf");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(expires_in(&t), Some(87_600 * 3600));
    assert_eq!(
        t.params.protocol.as_deref(),
        Some("https"),
        "https_only defaults to true"
    );
    assert_eq!(t.range, 0..TF_ACCOUNT.trim_end().len());
    let t = one(&TF_ACCOUNT.replace("signed_version", "https_only = false\n  signed_version"));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    let t = one(&TF_ACCOUNT.replace("    write   = true", "    write   = var.can_write"));
    assert_eq!(t.params.permissions, None);
}

#[test]
fn terraform_container_sas_and_references() {
    let t = one("data \"azurerm_storage_account_blob_container_sas\" \"c\" {\n  container_name = \"x\"\n  expiry = \"2051-01-01\"\n  permissions {\n    read = true\n    add = false\n    create = false\n    write = false\n    delete = false\n    list = true\n  }\n}\n");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(letters(&t.params.permissions), "lr");
    assert!(mints("output \"sas\" { value = data.azurerm_storage_account_sas.example.sas }").is_empty());
}

#[test]
fn powershell_cmdlets() {
    let t = one("New-AzStorageAccountSASToken -Service Blob,File,Table,Queue -ResourceType Service,Container,Object -Permission \"racwdlup\" -ExpiryTime (Get-Date).AddYears(30) -Context $ctx");
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(expires_in(&t), Some((30.0 * 365.25 * 86_400.0) as i64));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Default);
    let t = one("$sas = New-AzStorageContainerSASToken -Name images `\n  -Permission rl `\n  -Protocol HttpsOnly `\n  -ExpiryTime \"2026-01-16\"");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    assert_eq!(t.params.expiry.as_ref().unwrap().text, "2026-01-16");
    let t = one("new-azstorageblobsastoken -Container c -Blob b -Policy readers");
    assert_eq!(t.kind, TokenKind::StoredPolicySas);
    let t = one("New-AzStorageTableSASToken -Name orders -Permission raud -ExpiryTime $end @extra");
    assert_eq!(t.params.table.as_deref(), Some("orders"));
    assert_eq!(t.params.expiry, None);
    assert_eq!(t.mint().unwrap().protocol, Protocol::Unknown);
    assert!(mints("Get-Help New-AzStorageAccountSASTokenX").is_empty());
}

#[test]
fn a_policy_named_by_a_variable_is_not_claimed() {
    // The docs' sample: permissions in one branch, a stored policy in the other.
    let t = one("BlobSasBuilder sasBuilder = new BlobSasBuilder()\n{\n    BlobContainerName = c,\n    Resource = \"b\"\n};\nif (storedPolicyName == null)\n{\n    sasBuilder.ExpiresOn = DateTimeOffset.UtcNow.AddHours(1);\n    sasBuilder.SetPermissions(BlobSasPermissions.Read | BlobSasPermissions.Write);\n}\nelse\n{\n    sasBuilder.Identifier = storedPolicyName;\n}\n");
    assert_eq!(t.kind, TokenKind::ServiceSas);
    assert_eq!(letters(&t.params.permissions), "rw");
    assert_eq!(expires_in(&t), Some(3600));
    let t = one("generate_blob_sas(a, c, b, account_key=k, policy_id=policy)");
    assert_eq!((t.kind, t.params.policy.clone()), (TokenKind::ServiceSas, None));
}

#[test]
fn javascript_calls() {
    let t = one("const sas = generateAccountSASQueryParameters({\n  expiresOn: new Date(Date.now() + 86400 * 1000 * 365 * 10),\n  \
        permissions: AccountSASPermissions.parse(\"rwdlacup\"),\n  resourceTypes: AccountSASResourceTypes.parse(\"sco\").toString(),\n  \
        services: AccountSASServices.parse(\"btqf\").toString(),\n  protocol: SASProtocol.HttpsAndHttp,\n}, sharedKeyCredential).toString();");
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(expires_in(&t), Some(86_400 * 365 * 10));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    let t = one("generateBlobSASQueryParameters({ containerName, blobName, permissions: BlobSASPermissions.parse(\"r\"), expiresOn: new Date(new Date().valueOf() + 3600 * 1000) }, userDelegationKey, accountName)");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    let t = one("const url = await containerClient.generateSasUrl({ permissions: ContainerSASPermissions.parse(\"racwdl\"), expiresOn: new Date(\"2051-01-01\") });");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(t.mint().unwrap().protocol, Protocol::Default);
    let t = one("generateBlobSASQueryParameters(values, credential)");
    assert_eq!(
        (t.params.permissions.clone(), t.mint().unwrap().protocol),
        (None, Protocol::Unknown)
    );
    assert!(mints("export function generateBlobSASQueryParameters(").is_empty());
    assert!(mints("export declare function generateAccountSASQueryParameters(accountSASSignatureValues: AccountSASSignatureValues, sharedKeyCredential: StorageSharedKeyCredential): SASQueryParameters;").is_empty());
    assert!(mints("generateAccountSasUrl(expiresOn?: Date, permissions: AccountSASPermissions = AccountSASPermissions.parse(\"r\"), resourceTypes: string = \"sco\", options = {}): string {").is_empty());
}

#[test]
fn terraform_times_in_locals() {
    let locals =
        "locals {\n  sas_start  = \"2026-01-15T00:00:00Z\"\n  sas_expiry = timeadd(timestamp(), \"87600h\")\n}\n\n";
    let block = TF_ACCOUNT
        .replace("start  = \"2026-01-15T00:00:00Z\"", "start  = local.sas_start")
        .replace("expiry = timeadd(timestamp(), \"87600h\")", "expiry = local.sas_expiry");
    let t = one(&format!("{locals}{block}"));
    assert_eq!(expires_in(&t), Some(87_600 * 3600));
    assert_eq!(
        t.params.start.as_ref().map(|s| s.text.as_str()),
        Some("2026-01-15T00:00:00Z")
    );
    // The fix edits the call only: no site in the locals.
    assert!(t.mint().unwrap().sites.duration.is_none());
    // A literal date in a local.
    let t = one(&format!("locals {{\n  sas_expiry = \"2051-01-01\"\n}}\n{block}"));
    assert_eq!(t.params.expiry.as_ref().map(|e| e.text.as_str()), Some("2051-01-01"));
    // A local from a variable, one set after the block, one not set: unknown.
    for text in [
        format!("locals {{\n  sas_expiry = var.expiry\n}}\n{block}"),
        format!("{block}locals {{\n  sas_expiry = timeadd(timestamp(), \"87600h\")\n}}\n"),
        format!("locals {{\n  other = timeadd(timestamp(), \"87600h\")\n}}\n{block}"),
        format!("locals {{\n  sas_expiry_long = timeadd(timestamp(), \"87600h\")\n}}\n{block}"),
    ] {
        let t = one(&text);
        assert_eq!((expires_in(&t), t.params.expiry.clone()), (None, None), "{text}");
    }
}
