//! Call sites that mint a SAS, judged by the token rules: samples rewritten from the
//! official docs (some of them over-permissive themselves) and negatives that stay quiet.

use chrono::{TimeZone, Utc};
use sasguard::config::Settings;
use sasguard::policy::{analyze, Finding, Rule};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap()
}

fn findings(text: &str) -> Vec<Finding> {
    analyze(text.as_bytes(), &Settings::default(), now())
}

fn one(text: &str) -> Finding {
    let f = findings(text);
    assert_eq!(f.len(), 1, "{text}: {f:#?}");
    f.into_iter().next().unwrap()
}

fn quiet(text: &str) {
    let f = findings(text);
    assert!(
        f.is_empty(),
        "{text}: {:?}",
        f.iter().map(|f| f.message()).collect::<Vec<_>>()
    );
}

const AZ_ACCOUNT: &str = "az storage account generate-sas \\\n  --account-name leakydemo \\\n  --services bfqt \\\n  \
     --resource-types sco \\\n  --permissions acdlpruw \\\n  --expiry 2056-01-15T12:00Z \\\n  -o tsv\n";

#[test]
fn az_account_sas_for_everything_reads_like_the_token() {
    let f = one(AZ_ACCOUNT);
    assert_eq!(f.rule, Rule::AccountSas);
    assert!(f.fired(Rule::ExcessivePermissions) && f.fired(Rule::LongLived) && f.fired(Rule::HttpAllowed));
    assert!(!f.fired(Rule::SasInSource) && !f.fired(Rule::NoIpRestriction));
    assert!(
        f.message().starts_with(
            "Mints an account SAS with full control of blob, file, queue and table, valid until 2056-01-15 12:00 UTC (30 years from now), HTTP allowed. Call: az storage account generate-sas (az CLI)."
        ),
        "{}",
        f.message()
    );
    assert_eq!(f.token.account.as_deref(), Some("leakydemo"));
}

#[test]
fn a_call_and_the_token_it_mints_get_the_same_verdict() {
    let token = "https://leakydemo.blob.core.windows.net/?sv=2022-11-02&ss=bfqt&srt=sco&sp=acdlpruw&se=2056-01-15T12:00:00Z&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg%3D";
    let t = one(token);
    let m = one(AZ_ACCOUNT);
    assert_eq!(t.severity, m.severity);
    let rules = |f: &Finding, skip: &[Rule]| -> Vec<Rule> {
        f.fired.iter().map(|r| r.rule).filter(|r| !skip.contains(r)).collect()
    };
    // The token's presence in the text and its missing IP range are not the call's.
    assert_eq!(rules(&t, &[Rule::SasInSource, Rule::NoIpRestriction]), rules(&m, &[]));
}

#[test]
fn python_account_sample_with_ten_years() {
    let f = one(
        "sas = generate_account_sas(\n    account_name,\n    account_key=account_key,\n    \
         resource_types=ResourceTypes(service=True, container=True, object=True),\n    \
         permission=AccountSasPermissions(read=True, write=True, delete=True, list=True, add=True, create=True, update=True, process=True),\n    \
         expiry=datetime.utcnow() + timedelta(days=3650),\n)\n",
    );
    assert!(f.fired(Rule::LongLived), "{:?}", f.fired);
    assert!(
        f.message().starts_with(
            "Mints an account SAS with full control of the services it is minted for, valid 10 years, HTTP allowed."
        ),
        "{}",
        f.message()
    );
}

#[test]
fn python_service_sas_sample_over_permissive() {
    let f = one("sas = generate_container_sas(account_name, container_name, account_key=key, permission=ContainerSasPermissions(read=True, write=True, delete=True, list=True), expiry=datetime.now(timezone.utc) + timedelta(days=365))");
    assert_eq!(f.rule, Rule::ExcessivePermissions);
    assert!(f.fired(Rule::LongLived));
    assert!(
        f.message().starts_with(
            "Mints a service SAS with read, write and delete access to one container, valid 1 year, HTTP allowed."
        ),
        "{}",
        f.message()
    );
}

#[test]
fn dotnet_builder_sample() {
    let f = one("AccountSasBuilder sasBuilder = new AccountSasBuilder()\n{\n    Services = AccountSasServices.All,\n    ResourceTypes = AccountSasResourceTypes.All,\n    ExpiresOn = DateTimeOffset.UtcNow.AddYears(30),\n    Protocol = SasProtocol.HttpsAndHttp\n};\nsasBuilder.SetPermissions(AccountSasPermissions.All);\n");
    assert_eq!(f.rule, Rule::AccountSas);
    assert!(
        f.message().starts_with(
            "Mints an account SAS with full control of blob, file, queue and table, valid 30 years, HTTP allowed."
        ),
        "{}",
        f.message()
    );
    assert!(f.fired(Rule::HttpAllowed));
}

#[test]
fn explicit_http_alone_is_worth_a_finding() {
    let f = one("new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)) { Protocol = SasProtocol.HttpsAndHttp }");
    assert_eq!(f.rule, Rule::HttpAllowed);
}

#[test]
fn max_lifetime_is_the_settings() {
    let text =
        "generate_blob_sas(a, c, b, account_key=k, permission='r', expiry=datetime.utcnow() + timedelta(days=30))";
    assert_eq!(one(text).rule, Rule::LongLived);
    let s = Settings {
        max_lifetime: sasguard::config::Lifetime::days(90),
        max_lifetime_error: sasguard::config::Lifetime::days(365),
        ..Default::default()
    };
    assert!(analyze(text.as_bytes(), &s, now()).is_empty());
}

#[test]
fn negatives_stay_quiet() {
    // Read-only and short-lived, from the docs' own samples.
    quiet("sas = generate_blob_sas(account_name, container_name, blob_name, account_key=key, permission=BlobSasPermissions(read=True), expiry=datetime.utcnow() + timedelta(hours=1))");
    quiet("az storage blob generate-sas -c c -n b --permissions r --expiry 2026-01-15T13:00Z --https-only");
    quiet("var b = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1));");
    // User delegation: its lifetime ends with the delegation key.
    quiet("az storage container generate-sas -n c --permissions rl --expiry 2030-01-01 --as-user --auth-mode login");
    quiet("generate_blob_sas(a, c, b, user_delegation_key=udk, permission=BlobSasPermissions(read=True), expiry=datetime.utcnow() + timedelta(days=30))");
    // Values held in variables.
    quiet("generate_container_sas(a, c, account_key=k, permission=perms, expiry=expiry)");
    quiet("az storage container generate-sas -n c --permissions $PERMS --expiry $END");
    quiet("sasBuilder.SetPermissions(permissions); var b = new BlobSasBuilder(perms, expiresOn);");
    // Stored policies hold their own rules.
    quiet("generate_queue_sas(a, 'q', key, policy_id='readonly')");
    // Unrelated functions.
    quiet("def generate_account_sas(account_name, account_key, resource_types, permission, expiry):\n    pass\n");
    quiet("generate_account(update, context)");
    // Named in prose, not called.
    quiet("Run `az storage account generate-sas` to create a token, or call generate_account_sas() from Python.");
    quiet("| New-AzStorageAccountSASToken | Creates an account-level SAS token. |");
}

#[test]
fn an_account_key_passed_to_the_call_is_not_in_the_message() {
    let key = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6MTIzNDU2Nzg5MA==";
    let text = format!("az storage account generate-sas --account-name a --account-key {key} --services b --resource-types o --permissions rwd --expiry 2056-01-01");
    for f in findings(&text) {
        assert!(!f.message().contains(key));
        assert!(f.fired.iter().all(|r| !r.reason.contains(key)));
    }
}

#[test]
fn suppression_and_allow_lists_apply() {
    quiet(&format!(
        "{} # sasguard:ignore",
        AZ_ACCOUNT.lines().collect::<Vec<_>>().join(" ")
    ));
    let mut s = Settings::default();
    s.allow.accounts.push("leakydemo".into());
    assert!(analyze(AZ_ACCOUNT.as_bytes(), &s, now()).is_empty());
}

#[test]
fn terraform_sample_with_ten_years() {
    let tf = "data \"azurerm_storage_account_sas\" \"example\" {\n  connection_string = azurerm_storage_account.example.primary_connection_string\n\n  \
        resource_types {\n    service   = true\n    container = true\n    object    = true\n  }\n\n  \
        services {\n    blob  = true\n    queue = true\n    table = true\n    file  = true\n  }\n\n  \
        start  = \"2026-01-15T12:00:00Z\"\n  expiry = timeadd(timestamp(), \"87600h\")\n\n  \
        permissions {\n    read    = true\n    write   = true\n    delete  = true\n    list    = true\n    \
        add     = true\n    create  = true\n    update  = true\n    process = true\n    tag     = false\n    filter  = false\n  }\n}\n";
    let f = one(tf);
    assert_eq!(f.rule, Rule::AccountSas);
    assert!(f.fired(Rule::LongLived) && !f.fired(Rule::HttpAllowed), "{:?}", f.fired);
    assert!(
        f.message().starts_with("Mints an account SAS with full control of blob, file, queue and table, valid 10 years, HTTPS only. Call: data \"azurerm_storage_account_sas\" (Terraform)."),
        "{}",
        f.message()
    );
    let http = one(&tf.replace("  start", "  https_only = false\n  start"));
    assert!(http.fired(Rule::HttpAllowed));
}

#[test]
fn terraform_read_only_container_sas_is_quiet() {
    quiet("data \"azurerm_storage_account_blob_container_sas\" \"c\" {\n  connection_string = var.cs\n  container_name    = \"reports\"\n  \
        start  = \"2026-01-15T12:00:00Z\"\n  expiry = \"2026-01-15T13:00:00Z\"\n  permissions {\n    read   = true\n    add    = false\n    \
        create = false\n    write  = false\n    delete = false\n    list   = true\n  }\n}\n");
}

#[test]
fn powershell_sample_with_full_permission() {
    // The cmdlet's help example 1, with a 30-year expiry.
    let f = one("New-AzStorageAccountSASToken -Service Blob,File,Table,Queue -ResourceType Service,Container,Object -Permission \"racwdlup\" -ExpiryTime (Get-Date).AddYears(30)");
    assert!(f.fired(Rule::LongLived) && f.fired(Rule::HttpAllowed));
    assert!(
        f.message().starts_with("Mints an account SAS with full control of blob, file, queue and table, valid 30 years, HTTP allowed. Call: New-AzStorageAccountSASToken (Az PowerShell)."),
        "{}",
        f.message()
    );
    quiet(
        "New-AzStorageContainerSASToken -Name c -Permission r -Protocol HttpsOnly -ExpiryTime (Get-Date).AddHours(1)",
    );
}

#[test]
fn javascript_sample_with_a_thousand_days() {
    // The docs' account SAS sample, its expiry pushed out.
    let f = one("const sasToken = generateAccountSASQueryParameters(\n  {\n    expiresOn: new Date(Date.now() + 1000 * 86400 * 1000),\n    \
        permissions: AccountSASPermissions.parse(\"rwdlacup\"),\n    resourceTypes: AccountSASResourceTypes.parse(\"sco\").toString(),\n    \
        services: AccountSASServices.parse(\"btqf\").toString(),\n  },\n  sharedKeyCredential,\n).toString();\n");
    assert!(f.fired(Rule::LongLived) && f.fired(Rule::ExcessivePermissions));
    assert!(
        f.message().starts_with("Mints an account SAS with full control of blob, file, queue and table, valid 2 years 9 months, HTTP allowed. Call: generateAccountSASQueryParameters (JavaScript SDK)."),
        "{}",
        f.message()
    );
    quiet("const url = await blobClient.generateSasUrl({ permissions: BlobSASPermissions.parse(\"r\"), expiresOn: new Date(Date.now() + 3600 * 1000), protocol: SASProtocol.Https });");
}

/// The same request for everything, in each surface added for Java, Go and the legacy
/// .NET and Python SDKs: the call and the token it would mint get the same verdict.
#[test]
fn calls_from_more_sdks_and_the_token_they_mint_get_the_same_verdict() {
    let token = "https://leakydemo.blob.core.windows.net/?sv=2022-11-02&ss=bfqt&srt=sco&sp=acdlpruw&se=2056-01-15T12:00:00Z&spr=https,http&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg%3D";
    let t = one(token);
    let rules = |f: &Finding, skip: &[Rule]| -> Vec<Rule> {
        f.fired.iter().map(|r| r.rule).filter(|r| !skip.contains(r)).collect()
    };
    let calls = [
        (
            "Java SDK",
            "AccountSasSignatureValues v = new AccountSasSignatureValues(OffsetDateTime.now().plusYears(30), AccountSasPermission.parse(\"rwdlacup\"), \
             AccountSasService.parse(\"bfqt\"), AccountSasResourceType.parse(\"sco\")).setProtocol(SasProtocol.HTTPS_HTTP);",
        ),
        (
            "Go SDK",
            "qp, err := sas.AccountSignatureValues{\n\tProtocol: sas.ProtocolHTTPSandHTTP,\n\tExpiryTime: time.Now().UTC().AddDate(30, 0, 0),\n\t\
             Permissions: \"rwdlacup\",\n\tResourceTypes: \"sco\",\n\tServices: \"bfqt\",\n}.SignWithSharedKey(cred)",
        ),
        (
            "legacy .NET SDK",
            "var policy = new SharedAccessAccountPolicy {\n    Permissions = SharedAccessAccountPermissions.Read | SharedAccessAccountPermissions.Write | SharedAccessAccountPermissions.Delete | \
             SharedAccessAccountPermissions.List | SharedAccessAccountPermissions.Add | SharedAccessAccountPermissions.Create | SharedAccessAccountPermissions.Update | \
             SharedAccessAccountPermissions.ProcessMessages,\n    Services = SharedAccessAccountServices.Blob | SharedAccessAccountServices.File | SharedAccessAccountServices.Queue | \
             SharedAccessAccountServices.Table,\n    ResourceTypes = SharedAccessAccountResourceTypes.Service | SharedAccessAccountResourceTypes.Container | \
             SharedAccessAccountResourceTypes.Object,\n    SharedAccessExpiryTime = DateTime.UtcNow.AddYears(30),\n    Protocols = SharedAccessProtocol.HttpsOrHttp\n};",
        ),
        (
            "legacy Python SDK",
            "sas = service.generate_account_shared_access_signature(ResourceTypes(service=True, container=True, object=True), 'rwdlacup', \
             datetime.utcnow() + timedelta(days=365 * 30), protocol='https,http')",
        ),
    ];
    for (surface, call) in calls {
        let m = one(call);
        assert_eq!(t.severity, m.severity, "{surface}: {}", m.message());
        // The token's presence in the text and its missing IP range are not the call's.
        assert_eq!(
            rules(&t, &[Rule::SasInSource, Rule::NoIpRestriction]),
            rules(&m, &[]),
            "{surface}"
        );
        assert!(m.message().contains(&format!("({surface})")), "{}", m.message());
        assert!(m.message().contains("HTTP allowed"), "{}", m.message());
    }
}

#[test]
fn quiet_calls_from_more_sdks() {
    // Read-only and short-lived, HTTPS only; user delegation with HTTPS; a stored policy
    // written with a legacy class; declarations.
    quiet("new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1), BlobSasPermission.parse(\"r\")).setProtocol(SasProtocol.HTTPS_ONLY);");
    quiet("sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPS, ExpiryTime: time.Now().Add(time.Hour), Permissions: \"r\", ContainerName: c}.SignWithUserDelegation(udc)");
    quiet("var p = new SharedAccessBlobPolicy { SharedAccessExpiryTime = DateTime.UtcNow.AddYears(30), Permissions = SharedAccessBlobPermissions.Read };\nperms.SharedAccessPolicies.Add(\"ro\", p);");
    quiet("func (c *Client) GetSASURL(permissions sas.BlobPermissions, expiry time.Time, o *GetSASURLOptions) (string, error) {");
    quiet("    def generate_account_shared_access_signature(self, resource_types, permission, expiry, start=None, ip=None, protocol=None):");
}
