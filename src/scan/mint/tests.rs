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
    // No -ExpiryTime: the cmdlets' one hour from now; a splat may hold one, a policy too.
    let t = one("New-AzStorageContainerSASToken -Name \"Test\" -Permission rwdl");
    assert_eq!(t.mint().unwrap().expires_in, Some(3600));
    let t = one("New-AzStorageContainerSASToken -Name c -Permission rwdl @opts");
    assert_eq!(t.params.expiry, None);
    let t = one("New-AzStorageContainerSASToken -Name c -Permission rwdl -StartTime $start");
    assert_eq!(t.params.expiry, None);
    // Now as real scripts write it, inside `$(…)`.
    let t = one("New-AzStorageBlobSASToken -Container c -Blob b -Permission r -ExpiryTime $([System.DateTime]::Now.AddYears(10))");
    assert_eq!(t.mint().unwrap().expires_in, Some((10.0 * 365.25 * 86_400.0) as i64));
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

fn years(n: f64) -> Option<i64> {
    Some((n * 365.25 * 86_400.0) as i64)
}

#[test]
fn dotnet_values_set_before_the_builder() {
    // The docs' container SAS with its expiry in a variable.
    let t = one(
        "string MakeSas(BlobContainerClient containerClient)\n{\n    var expiresOn = DateTimeOffset.UtcNow.AddYears(5);\n    \
         BlobSasBuilder sasBuilder = new BlobSasBuilder()\n    {\n        BlobContainerName = containerClient.Name,\n        \
         Resource = \"c\",\n        ExpiresOn = expiresOn\n    };\n    sasBuilder.SetPermissions(BlobContainerSasPermissions.All);\n    \
         return containerClient.GenerateSasUri(sasBuilder).ToString();\n}\n",
    );
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(expires_in(&t), years(5.0));
    assert_eq!(
        t.mint().unwrap().sites.duration,
        None,
        "the duration is not where the call is"
    );
    // A typed declaration, permissions in a variable, a later statement.
    let t = one(
        "DateTimeOffset expiresOn = DateTimeOffset.UtcNow.AddDays(3650);\nvar perms = BlobSasPermissions.Read | BlobSasPermissions.Write;\n\
         var sasBuilder = new BlobSasBuilder { BlobContainerName = container, BlobName = name, Resource = \"b\" };\n\
         sasBuilder.ExpiresOn = expiresOn;\nsasBuilder.SetPermissions(perms);\n",
    );
    assert_eq!(letters(&t.params.permissions), "rw");
    assert_eq!(expires_in(&t), Some(3650 * 86_400));
    // Constructor arguments by name, and now kept in a variable then added to.
    let t = one(
        "var start = DateTimeOffset.UtcNow;\nvar expiresOn = start.AddYears(2);\nvar permissions = BlobSasPermissions.All;\n\
         var b = new BlobSasBuilder(permissions, expiresOn) { BlobContainerName = c, BlobName = n, Resource = \"b\" };",
    );
    assert_eq!(letters(&t.params.permissions), "acdeilmrtwxy");
    assert_eq!(expires_in(&t), years(2.0));
    // GenerateSasUri's arguments by name.
    let t = one(
        "var permissions = BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List;\nvar expiresOn = DateTimeOffset.UtcNow.AddYears(1);\n\
         Uri sasUri = containerClient.GenerateSasUri(permissions, expiresOn);",
    );
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(letters(&t.params.permissions), "lr");
    assert_eq!(expires_in(&t), years(1.0));
}

#[test]
fn dotnet_values_the_text_does_not_fix_make_no_claim() {
    // A method's parameter.
    let t = one(
        "var expiresOn = DateTimeOffset.UtcNow.AddYears(5);\npublic Uri GetSas(BlobContainerClient client, DateTimeOffset expiresOn)\n{\n    \
         var b = new BlobSasBuilder { BlobContainerName = client.Name, Resource = \"c\", ExpiresOn = expiresOn };\n    \
         b.SetPermissions(BlobContainerSasPermissions.Read);\n    return client.GenerateSasUri(b);\n}\n",
    );
    assert_eq!(t.params.expiry, None);
    // A parameter of a method without modifiers, its signature over lines, after another
    // method's variable of the same name.
    let m = mints(
        "string A(BlobClient c)\n{\n    var expiresOn = DateTimeOffset.UtcNow.AddYears(5);\n    return c.GenerateSasUri(BlobSasPermissions.Read, expiresOn).ToString();\n}\n\n\
         Uri B(\n    BlobClient c,\n    DateTimeOffset expiresOn)\n{\n    return c.GenerateSasUri(BlobSasPermissions.Read, expiresOn);\n}\n",
    );
    assert_eq!(m.len(), 2, "{m:?}");
    assert_eq!((expires_in(&m[0]), m[1].params.expiry.clone()), (years(5.0), None));
    // An unknown value, and permissions from elsewhere.
    let t = one(
        "var expiresOn = GetExpiry(options);\nvar perms = options.Permissions;\nvar b = new BlobSasBuilder { ExpiresOn = expiresOn, Resource = \"c\" };\nb.SetPermissions(perms);",
    );
    assert_eq!((t.params.expiry.clone(), t.params.permissions.clone()), (None, None));
    // A builder's name passed on is not read again as permissions.
    let m = mints(
        "var sasBuilder = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)) { Resource = \"b\" };\nvar uri = blobClient.GenerateSasUri(sasBuilder);",
    );
    assert_eq!(m.len(), 1, "{m:?}");
    // A string is not a name.
    let t = one("var c = \"racwdl\";\nvar b = new BlobSasBuilder { Resource = \"c\" };\nb.SetPermissions(\"c\");");
    assert_eq!(letters(&t.params.permissions), "c");
}

#[test]
fn powershell_values_set_before_the_cmdlet() {
    // The cmdlet's help sample.
    let t = one(
        "$StartTime = Get-Date\n$EndTime = $StartTime.AddYears(10)\n\
         New-AzStorageContainerSASToken -Name \"ContainerName\" -Permission rwdl -StartTime $StartTime -ExpiryTime $EndTime -Context $ctx\n",
    );
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert_eq!(expires_in(&t), years(10.0));
    assert_eq!(t.params.start, None, "Get-Date is no time the text fixes");
    assert_eq!(t.mint().unwrap().sites.duration, None);
    let t = one(
        "$now = [DateTime]::UtcNow\n$expiry = $now.AddDays(30)\n$perm = \"racwdl\"\n$proto = \"HttpsOnly\"\n\
         $sas = New-AzStorageAccountSASToken -Service Blob -ResourceType Container,Object -Permission $perm -Protocol $proto -ExpiryTime $expiry -Context $ctx\n",
    );
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    assert_eq!(expires_in(&t), Some(30 * 86_400));
    let t = one("$Expiry = (Get-Date).AddYears(1)\nNew-AzStorageBlobSASToken -Container c -Blob b -Permission r -ExpiryTime $Expiry");
    assert_eq!(expires_in(&t), years(1.0));
    let t = one("$start = Get-Date\nNew-AzStorageBlobSASToken -Container c -Blob b -Permission r -StartTime $start -ExpiryTime $start.AddDays(365)");
    assert_eq!(expires_in(&t), Some(365 * 86_400));
}

#[test]
fn powershell_values_the_text_does_not_fix_make_no_claim() {
    let t = one("function New-Sas {\n    param([DateTime]$Expiry, [string]$Perm)\n    \
         New-AzStorageContainerSASToken -Name c -Permission $Perm -ExpiryTime $Expiry -Context $ctx\n}\n");
    assert_eq!((t.params.expiry.clone(), t.params.permissions.clone()), (None, None));
    let t = one("$EndTime = Get-SasExpiry\n$p = Read-Host\nNew-AzStorageContainerSASToken -Name c -Permission $p -ExpiryTime $EndTime");
    assert_eq!((t.params.expiry.clone(), t.params.permissions.clone()), (None, None));
    let t = one("$StartTime = Get-Date -Date $when\nNew-AzStorageContainerSASToken -Name c -Permission r -ExpiryTime $StartTime.AddHours(1)");
    assert_eq!(t.params.expiry, None);
}

#[test]
fn az_cli_values_set_before_the_command() {
    // The docs' pattern: a GNU date in a variable.
    let t = one(
        "end=`date -u -d \"30 minutes\" '+%Y-%m-%dT%H:%MZ'`\naz storage container generate-sas --account-name mystore --name data --permissions acdlrw --expiry $end --auth-mode key\n",
    );
    assert_eq!(expires_in(&t), Some(1800));
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(t.mint().unwrap().sites.duration, None);
    let t = one(
        "EXPIRY=$(date -u -d \"+1 year\" +%Y-%m-%dT%H:%MZ)\nPERMS=racwdl\naz storage account generate-sas --account-name mystore --services b \
         --resource-types co --permissions \"$PERMS\" --expiry \"$EXPIRY\"\n",
    );
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(expires_in(&t), years(1.0));
    let t = one("end=\"2051-01-01T00:00Z\"\naz storage blob generate-sas -c c -n b --permissions r --expiry ${end}");
    assert_eq!(t.params.expiry.as_ref().unwrap().text, "2051-01-01T00:00Z");
    let t = one("end=\"2051-01-01T00:00Z\"\naz storage blob generate-sas -c c -n b --permissions=r --expiry=$end");
    assert_eq!(t.params.expiry.as_ref().unwrap().text, "2051-01-01T00:00Z");
    // Hosted in PowerShell.
    let t = one(
        "$expiry = (Get-Date).AddYears(1).ToString(\"yyyy-MM-ddTHH:mm:ssZ\")\n$perms = \"rwdl\"\n\
         az storage container generate-sas --name data --permissions $perms --expiry $expiry --account-name $account\n",
    );
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert_eq!(expires_in(&t), years(1.0));
}

#[test]
fn az_cli_values_the_text_does_not_fix_make_no_claim() {
    let t =
        one("end=$(get_expiry)\nperms=$1\naz storage container generate-sas -n c --permissions $perms --expiry $end");
    assert_eq!((t.params.expiry.clone(), t.params.permissions.clone()), (None, None));
    let t = one("mint() {\n  az storage container generate-sas -n c --permissions rl --expiry \"$EXPIRY\"\n}\n");
    assert_eq!(t.params.expiry, None);
    let t = one("IP=`curl -s ifconfig.me`\nSTART=$(date -u +%FT%TZ)\naz storage container generate-sas -n c --permissions r --ip $IP --start $START --expiry 2051-01-01");
    assert_eq!((t.params.ip.clone(), t.params.start.clone()), (None, None));
}

#[test]
fn python_values_set_before_the_call() {
    let t = one(PY_NAMED);
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(expires_in(&t), Some(3650 * 86_400), "a start named now counts as now");
    assert_eq!(t.params.start, None);
    assert_eq!(t.mint().unwrap().sites.duration, None, "no fix inside the assignment");
    // `utcnow()` then `expiry = start + …`, a permission string, a protocol and positional names.
    let t = one(
        "def share_report(account_name, container_name, blob_name, account_key):\n    \
         start = datetime.utcnow()\n    expiry = start + timedelta(days=365)\n    sas_permissions = \"racwd\"\n    proto = \"https\"\n    \
         return generate_blob_sas(account_name, container_name, blob_name, account_key=account_key,\n        \
         permission=sas_permissions, expiry=expiry, protocol=proto)\n",
    );
    assert_eq!(letters(&t.params.permissions), "acdrw");
    assert_eq!(expires_in(&t), Some(365 * 86_400));
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Given);
    let t = one(
        "    perms = BlobSasPermissions.from_string(\"racwd\")\n    expiry = datetime.utcnow() + timedelta(weeks=520)\n    \
         token = generate_container_sas(account, \"backups\", key, perms, expiry)\n",
    );
    assert_eq!(letters(&t.params.permissions), "acdrw");
    assert_eq!(expires_in(&t), Some(520 * 7 * 86_400));
    let t = one(
        "services = Services(blob=True, queue=True)\ngenerate_account_sas(name, key, ResourceTypes(object=True), \
         AccountSasPermissions(read=True), datetime.utcnow() + timedelta(hours=1), services=services)",
    );
    assert_eq!(letters(&t.params.services), "bq");
    let t = one(
        "    perm_string = \"rwdl\"\n    sas = generate_container_sas(account, \"logs\", account_key=key, \
         permission=ContainerSasPermissions.from_string(perm_string), expiry=datetime.utcnow() + timedelta(days=90))\n",
    );
    assert_eq!(letters(&t.params.permissions), "dlrw");
}

#[test]
fn python_values_the_text_does_not_fix_make_no_claim() {
    // A parameter, a value from an unknown call, a start from an unknown call.
    for text in [
        "def sas_for(account_name, account_key, permissions, expiry):\n    \
         return generate_account_sas(account_name, account_key, ResourceTypes(object=True), permission=permissions, expiry=expiry)\n",
        "    expiry = compute_expiry(settings)\n    permissions = load_permissions()\n    \
         return generate_account_sas(account_name, account_key, ResourceTypes(object=True), permission=permissions, expiry=expiry)\n",
        "    start = get_start_time()\n    expiry = start + timedelta(days=365)\n    \
         return generate_account_sas(account_name, account_key, ResourceTypes(object=True), permission=\"r\", expiry=expiry)\n",
    ] {
        let t = one(text);
        assert_eq!(t.params.expiry, None, "{text}");
        assert!(t.params.permissions.is_none() || letters(&t.params.permissions) == "r", "{text}");
    }
    // Assigned in another function above; here a parameter of a signature over several lines.
    let text = "def defaults():\n    expiry = datetime.utcnow() + timedelta(days=3650)\n    \
         permission = AccountSasPermissions(read=True, write=True, delete=True)\n    return expiry, permission\n\n\
         def sas_for(\n    account_name,\n    account_key,\n    permission,\n    expiry,\n):\n    \
         return generate_account_sas(account_name, account_key, ResourceTypes(object=True), permission=permission, expiry=expiry)\n";
    let t = one(text);
    assert_eq!((t.params.permissions.clone(), t.params.expiry.clone()), (None, None));
    // Module level, then named inside a function: another scope, not read.
    let t = one(
        "EXPIRY = datetime.utcnow() + timedelta(days=3650)\n\ndef sas_for(name, key):\n    \
         return generate_account_sas(name, key, ResourceTypes(object=True), AccountSasPermissions(read=True), expiry=EXPIRY)\n",
    );
    assert_eq!(t.params.expiry, None);
    // Changed after its assignment: the assignment is not the value.
    let t = one(
        "    permission = BlobSasPermissions(read=True)\n    if writable:\n        permission.write = True\n    \
         expiry = datetime.utcnow() + timedelta(hours=1)\n    if keep:\n        expiry += timedelta(days=3650)\n    \
         url = generate_blob_sas(account, container, blob, account_key=key, permission=permission, expiry=expiry)\n",
    );
    assert_eq!((t.params.permissions.clone(), t.params.expiry.clone()), (None, None));
    // A short read-only one read through its names: read, one hour.
    let t = one(
        "    expiry = datetime.utcnow() + timedelta(hours=1)\n    permission = BlobSasPermissions(read=True)\n    \
         url = generate_blob_sas(account, container, blob, account_key=key, permission=permission, expiry=expiry, protocol=\"https\")\n",
    );
    assert_eq!(letters(&t.params.permissions), "r");
    assert_eq!(expires_in(&t), Some(3600));
}

/// The docs' account SAS sample with its values set first, in the same function.
const PY_NAMED: &str = "from datetime import datetime, timedelta, timezone\n\
from azure.storage.blob import AccountSasPermissions, ResourceTypes, generate_account_sas\n\n\
def create_account_sas(account_name: str, account_key: str):\n    \
    # The SAS token grants full access to the account for ten years\n    \
    start_time = datetime.now(timezone.utc)\n    \
    expiry_time = start_time + timedelta(days=3650)\n    \
    permissions = AccountSasPermissions(read=True, write=True, delete=True, list=True, add=True, create=True, update=True, process=True)\n    \
    resource_types = ResourceTypes(service=True, container=True, object=True)\n\n    \
    sas_token = generate_account_sas(\n        account_name=account_name,\n        account_key=account_key,\n        \
    resource_types=resource_types,\n        permission=permissions,\n        expiry=expiry_time,\n        start=start_time,\n    )\n    \
    return sas_token\n";

/// A wrapper's own word for a permission is not the REST letters it holds: no claim.
#[test]
fn a_permission_word_is_not_read_as_letters() {
    let t = one("sas = generate_blob_sas(account, c, b, account_key=k, permission=\"read\", expiry=datetime.utcnow() + timedelta(hours=1))");
    assert_eq!(t.params.permissions, None);
    let t = one("sas = generate_blob_sas(account, c, b, account_key=k, permission=\"rw\", expiry=datetime.utcnow() + timedelta(hours=1))");
    assert_eq!(letters(&t.params.permissions), "rw");
    assert!(mints(
        "blobClient.generateSasUrl({ permissions: \"read\", expiresOn: new Date(Date.now() + 3600 * 1000) })"
    )
    .iter()
    .all(|t| t.params.permissions.is_none()));
}

/// Flags printed with a typographic dash, as translated docs show them.
#[test]
fn flags_with_a_typographic_dash_are_read() {
    let t = one("az storage container generate-sas \u{2013}n data \u{2013}permissions dlrw \u{2013}expiry 2051-01-01");
    assert_eq!(letters(&t.params.permissions), "dlrw");
    let t = one("New-AzStorageContainerSASToken \u{2013}Name c \u{2013}Permission rwdl \u{2013}ExpiryTime (Get-Date).AddYears(2)");
    assert_eq!(letters(&t.params.permissions), "dlrw");
}

/// A call on a line commented out does not run: no claim. One after code on its line does.
#[test]
fn commented_out_calls_mint_nothing() {
    for text in [
        "# az storage account generate-sas --services b --resource-types o --permissions rwdl --expiry 2051-01-01",
        "  // var b = new AccountSasBuilder { ExpiresOn = DateTimeOffset.UtcNow.AddYears(30) };",
        "#New-AzStorageContainerSASToken -Name c -Permission rwdl",
        "REM az storage container generate-sas -n c --permissions rwdl --expiry 2051-01-01",
    ] {
        assert!(mints(text).is_empty(), "{text}");
    }
    one("sas=$(az storage container generate-sas -n c --permissions rwdl --expiry 2051-01-01) # weekly");
    one("- run: az storage container generate-sas -n c --permissions rwdl --expiry 2051-01-01");
}

/// The Azure.Storage module's cmdlets, older names of the same parameters.
#[test]
fn the_older_azure_storage_cmdlets_are_read() {
    let t = one("$sas = New-AzureStorageContainerSASToken -Name $c -Permission rwdl -ExpiryTime (Get-Date).AddYears(5) -Context $ctx");
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert_eq!(t.mint().unwrap().call, "New-AzureStorageContainerSASToken");
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

/// A comment after a Terraform value is not part of it.
#[test]
fn terraform_values_end_before_a_comment() {
    let text = TF_ACCOUNT.replace(
        "expiry = timeadd(timestamp(), \"87600h\")",
        "expiry = timeadd(timestamp(), \"876000h\")\t# 100 years, // not \"this\"",
    );
    assert_ne!(text, TF_ACCOUNT);
    let t = one(&text);
    assert_eq!(expires_in(&t), Some(876_000 * 3600));
}

/// Parameters splatted from a hashtable assigned before the cmdlet are read as written.
#[test]
fn powershell_splatted_parameters() {
    let t = one("$startTime = Get-Date\n$endTime   = $startTime.AddYears(3)\n\n$tokenParams = @{\n    StartTime  = $startTime\n    \
ExpiryTime = $endTime\n    Container  = 'files'\n    Blob       = 'setup.zip'\n    Permission = 'rw'\n    Context    = $context\n    \
FullUri    = $true\n}\n$contentUri = New-AzStorageBlobSASToken @tokenParams\n");
    assert_eq!(letters(&t.params.permissions), "rw");
    assert_eq!(expires_in(&t), Some((3.0 * 365.25 * 86_400.0) as i64));
    // The call's range is the call's, not the hashtable's.
    assert!(t.range.start > 100, "{:?}", t.range);
    let t = one("$sasSplat = @{ Name = 'HelpData'; Context = $context; Permission = 'rwdlacu' # all\n    ExpiryTime = (Get-Date).AddMinutes(30) }\n\
New-AzStorageTableSASToken @sasSplat");
    assert_eq!(expires_in(&t), Some(1800));
    assert_eq!(letters(&t.params.permissions), "acdlruw");
    assert!(t.mint().unwrap().sites.duration.is_none(), "no fix outside the call");
    // A splat the text does not show: no claim about what it holds.
    assert!(mints("New-AzStorageBlobSASToken @params").is_empty());
    let t = one("New-AzStorageBlobSASToken -Container c -Blob b -Permission r @params");
    assert_eq!(t.params.expiry, None);
}

/// The cmdlet help's own sample names the start in two casings; PowerShell reads them as one.
#[test]
fn powershell_names_in_another_case() {
    let t = one("$StartTime = Get-Date\n$EndTime = $startTime.AddHours(2.0)\n\
New-AzStorageContainerSASToken -Name \"ContainerName\" -Permission rwdl -StartTime $StartTime -ExpiryTime $EndTime -Context $ctx");
    assert_eq!(expires_in(&t), Some(7200));
}
