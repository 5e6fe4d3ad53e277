//! Java, Go and the legacy .NET and Python SDKs, read on samples rewritten from their
//! docs and sources (some over-permissive themselves), and negatives.

use super::tests::{expires_in, letters, mints, one};
use super::*;

fn protocol(t: &Token) -> Protocol {
    t.mint().unwrap().protocol
}

const YEARS_30: i64 = (30.0 * 365.25 * 86_400.0) as i64;

#[test]
fn java_account_values_inline_and_over_permissive() {
    let t = one(
        "AccountSasSignatureValues values = new AccountSasSignatureValues(\n    OffsetDateTime.now().plusYears(30),\n    \
         AccountSasPermission.parse(\"rwdlacup\"),\n    AccountSasService.parse(\"bfqt\"),\n    AccountSasResourceType.parse(\"sco\"))\n    \
         .setProtocol(SasProtocol.HTTPS_HTTP);\nString sas = serviceClient.generateAccountSas(values);\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(t.mint().unwrap().surface, Surface::JavaSdk);
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(expires_in(&t), Some(YEARS_30));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    assert!(t.secret.is_empty());
}

#[test]
fn java_setter_objects_default_protocol_and_statements() {
    let t = one(
        "AccountSasSignatureValues v = new AccountSasSignatureValues(OffsetDateTime.now(ZoneOffset.UTC).plus(Duration.ofDays(3650)),\n  \
         new AccountSasPermission().setReadPermission(true).setWritePermission(true).setDeletePermission(false).setListPermission(true),\n  \
         new AccountSasService().setBlobAccess(true).setFileAccess(true),\n  new AccountSasResourceType().setContainer(true).setObject(true));\n\
         v.setStartTime(OffsetDateTime.parse(\"2026-01-15T00:00:00Z\"));\n",
    );
    assert_eq!(letters(&t.params.permissions), "lrw");
    assert_eq!(letters(&t.params.services), "bf");
    assert_eq!(letters(&t.params.resource_types), "co");
    assert_eq!(expires_in(&t), Some(3650 * 86_400));
    assert_eq!(protocol(&t), Protocol::Default);
    assert!(t.params.start.is_some());
    let t = one("v = new AccountSasSignatureValues(e, p, s, r);\nv.setProtocol(SasProtocol.HTTPS_ONLY);");
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
}

#[test]
fn java_docs_sample_reads_the_values_in_variables() {
    // The docs' account SAS sample builds each value in a variable first; services and
    // resource types assigned elsewhere stay unknown.
    let t = one(
        "OffsetDateTime expiryTime = OffsetDateTime.now().plusDays(1);\nAccountSasPermission accountSasPermission = new AccountSasPermission()\n        \
         .setReadPermission(true);\nAccountSasSignatureValues accountSasValues = new AccountSasSignatureValues(expiryTime, accountSasPermission, services, resourceTypes)\n        \
         .setStartTime(OffsetDateTime.now().minusMinutes(5));\nString sasToken = blobServiceClient.generateAccountSas(accountSasValues);\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.permissions), "r");
    assert_eq!(expires_in(&t), Some(86_400));
    assert_eq!(
        (t.params.services.clone(), t.params.resource_types.clone()),
        (None, None)
    );
    assert_eq!(t.params.start, None, "a start relative to now is the call's time");
}

/// The account SAS sample of the Java docs with every value in a variable, long-lived and
/// writable, and the blob SAS of the same docs (a day, read only).
const JAVA_VARIABLES: &str = "class Sas {\n  String make(BlobServiceClient client) {\n    \
    OffsetDateTime expiryTime = OffsetDateTime.now().plusYears(30);\n    \
    AccountSasPermission accountSasPermission = new AccountSasPermission()\n        .setReadPermission(true)\n        .setWritePermission(true)\n        .setDeletePermission(true);\n    \
    AccountSasService services = new AccountSasService().setBlobAccess(true);\n    \
    AccountSasResourceType resourceTypes = new AccountSasResourceType().setContainer(true).setObject(true);\n    \
    AccountSasSignatureValues accountSasValues = new AccountSasSignatureValues(expiryTime, accountSasPermission, services, resourceTypes);\n    \
    return client.generateAccountSas(accountSasValues);\n  }\n  String blob(BlobClient blobClient) {\n    \
    OffsetDateTime expiryTime = OffsetDateTime.now().plusDays(1);\n    \
    BlobSasPermission permission = new BlobSasPermission().setReadPermission(true);\n    \
    BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(expiryTime, permission).setStartTime(OffsetDateTime.now());\n    \
    return blobClient.generateSas(values);\n  }\n}\n";

#[test]
fn java_constructor_arguments_named_before_the_call() {
    let m = mints(JAVA_VARIABLES);
    assert_eq!(m.len(), 2, "{m:?}");
    let t = &m[0];
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.permissions), "drw");
    assert_eq!(letters(&t.params.services), "b");
    assert_eq!(letters(&t.params.resource_types), "co");
    assert_eq!(expires_in(t), Some(YEARS_30));
    // The second method's own assignments, not the first's.
    let t = &m[1];
    assert_eq!(t.kind, TokenKind::ServiceSas);
    assert_eq!(letters(&t.params.permissions), "r");
    assert_eq!(expires_in(t), Some(86_400));
}

#[test]
fn java_setter_arguments_and_parse_named_before_the_call() {
    let t = one(
        "OffsetDateTime expiryTime = OffsetDateTime.now().plusYears(10);\nBlobSasPermission permission = BlobSasPermission.parse(\"rwdl\");\n\
         BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues()\n    .setPermissions(permission);\n\
         values.setExpiryTime(expiryTime);\nString sas = blobClient.generateSas(values);\n",
    );
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert_eq!(expires_in(&t), Some((10.0 * 365.25 * 86_400.0) as i64));
    // Values in a variable passed to `generateUserDelegationSas` (over lines) stay a user
    // delegation SAS.
    let t = one(
        "OffsetDateTime expiryTime = OffsetDateTime.now().plusHours(1);\nBlobSasPermission permission = BlobSasPermission.parse(\"r\");\n\
         BlobServiceSasSignatureValues sasValues = new BlobServiceSasSignatureValues(expiryTime, permission);\n\
         String sas = blobClient.generateUserDelegationSas(\n    sasValues, userDelegationKey);\n",
    );
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    assert_eq!(
        (letters(&t.params.permissions).as_str(), expires_in(&t)),
        ("r", Some(3600))
    );
}

#[test]
fn java_names_the_text_does_not_fix_stay_unknown() {
    // A parameter of a method without modifiers, though an earlier method assigns the name.
    let t = mints(
        "  String make() {\n    OffsetDateTime expiryTime = OffsetDateTime.now().plusYears(30);\n    return \"\";\n  }\n\
         String blob(BlobClient blobClient, OffsetDateTime expiryTime) {\n    \
         return blobClient.generateSas(new BlobServiceSasSignatureValues(expiryTime, BlobSasPermission.parse(\"r\")));\n  }\n",
    );
    assert_eq!(t.len(), 1);
    assert_eq!(expires_in(&t[0]), None);
    // An unknown value; a permission object changed by statements after it is made.
    let t = one(
        "OffsetDateTime expiryTime = request.getExpiry();\nBlobSasPermission permission = new BlobSasPermission();\n\
         permission.setWritePermission(canWrite);\nBlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(expiryTime, permission);\n",
    );
    assert_eq!((t.params.permissions.clone(), expires_in(&t)), (None, None));
    // A permission named by a setter but assigned nowhere the call can see.
    let t =
        one("BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues().setPermissions(permission);");
    assert_eq!(t.params.permissions, None);
}

#[test]
fn java_service_values_user_delegation_and_policy() {
    let t = one("BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1), BlobSasPermission.parse(\"r\"));\nString sas = blobClient.generateUserDelegationSas(values, userDelegationKey);");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    assert_eq!(expires_in(&t), Some(3600));
    let t = one("String sas = client.generateUserDelegationSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusDays(7), new BlobContainerSasPermission().setReadPermission(true)), key);");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    assert_eq!(letters(&t.params.permissions), "r");
    let t = one("String sas = client.generateSas(new BlobServiceSasSignatureValues(\"readers\"));");
    assert_eq!(
        (t.kind, t.params.policy.as_deref()),
        (TokenKind::StoredPolicySas, Some("readers"))
    );
    let t = one("String sas = client.generateSas(new BlobServiceSasSignatureValues(policyName));");
    assert_eq!(t.kind, TokenKind::ServiceSas, "a policy in a variable may be null");
    let t = one("String sas = tableClient.generateSas(new TableSasSignatureValues(OffsetDateTime.now().plusYears(5), TableSasPermission.parse(\"raud\")));");
    assert_eq!(letters(&t.params.permissions), "adru");
    assert!(t.params.table.is_some());
}

#[test]
fn java_lookalikes() {
    assert!(mints("import com.azure.storage.common.sas.AccountSasSignatureValues;").is_empty());
    assert!(mints("public String sign(AccountSasSignatureValues values) {").is_empty());
    assert!(mints("class MyAccountSasSignatureValues extends Base {}").is_empty());
    assert!(mints("AccountSasSignatureValues values = build();").is_empty());
    assert!(mints("new AccountSasSignatureValues(e, p, s, r").is_empty(), "unclosed");
}

#[test]
fn go_account_values_over_permissive() {
    let t = one(
        "sasQueryParams, err := sas.AccountSignatureValues{\n\tProtocol:      sas.ProtocolHTTPSandHTTP,\n\t\
         ExpiryTime:    time.Now().UTC().AddDate(30, 0, 0),\n\t\
         Permissions:   to.Ptr(sas.AccountPermissions{Read: true, Write: true, Delete: true, List: true, Add: true, Create: true, Update: true, Process: true}).String(),\n\t\
         ResourceTypes: to.Ptr(sas.AccountResourceTypes{Service: true, Container: true, Object: true}).String(),\n}.SignWithSharedKey(credential)\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(t.mint().unwrap().surface, Surface::GoSdk);
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(expires_in(&t), Some(YEARS_30));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    assert_eq!(t.params.services, None, "each package signs its own service");
}

#[test]
fn go_docs_sample_and_defaults() {
    // The docs' sample: HTTPS, two days, read and list.
    let t = one(
        "sasQueryParams, err := sas.AccountSignatureValues{\n\tProtocol:      sas.ProtocolHTTPS,\n\tExpiryTime:    time.Now().UTC().Add(48 * time.Hour),\n\t\
         Permissions:   to.Ptr(sas.AccountPermissions{Read: true, List: true}).String(),\n\tResourceTypes: to.Ptr(sas.AccountResourceTypes{Container: true, Object: true}).String(),\n}.SignWithSharedKey(credential)",
    );
    assert_eq!(letters(&t.params.permissions), "lr");
    assert_eq!(expires_in(&t), Some(48 * 3600));
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    let t = one("qp, _ := sas.BlobSignatureValues{ContainerName: c, BlobName: b, Permissions: (&sas.BlobPermissions{Read: true, Write: true}).String(), ExpiryTime: time.Now().Add(time.Hour * 24 * 365)}.SignWithSharedKey(cred)");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("b"))
    );
    assert_eq!(letters(&t.params.permissions), "rw");
    assert_eq!(expires_in(&t), Some(365 * 86_400));
    assert_eq!(protocol(&t), Protocol::Default);
    let t = one("v := sas.BlobSignatureValues{ContainerName: c, Permissions: perms, ExpiryTime: expiry, Protocol: proto}\nqp, err := v.SignWithSharedKey(cred)");
    assert_eq!((t.params.permissions.clone(), t.params.expiry.clone()), (None, None));
    assert_eq!(protocol(&t), Protocol::Unknown);
}

#[test]
fn go_user_delegation_policy_and_get_sas_url() {
    let t = one("sig, err := sas.BlobSignatureValues{\n\tProtocol: sas.ProtocolHTTPS,\n\tExpiryTime: time.Now().Add(time.Hour).UTC(),\n\tPermissions: to.Ptr(sas.BlobPermissions{Read: true}).String(),\n\tContainerName: c,\n}.SignWithUserDelegation(udc)");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    assert_eq!(expires_in(&t), Some(3600));
    let t = one("values := sas.BlobSignatureValues{ContainerName: c, ExpiryTime: time.Now().Add(15 * time.Minute)}\nqp, err := values.SignWithUserDelegation(udc)");
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    let t = one("sas.BlobSignatureValues{ContainerName: c, Identifier: \"readers\"}.SignWithSharedKey(cred)");
    assert_eq!(t.kind, TokenKind::StoredPolicySas);
    let t = one("u, err := containerClient.GetSASURL(sas.ContainerPermissions{Read: true, Write: true, Delete: true, List: true}, time.Now().AddDate(1, 0, 0), nil)");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert_eq!(expires_in(&t), Some((365.25 * 86_400.0) as i64));
    assert_eq!(
        protocol(&t),
        Protocol::Unknown,
        "GetSASURL's protocol differs between releases"
    );
    let t = one("u, _ := svc.GetSASURL(sas.AccountResourceTypes{Service: true, Container: true, Object: true}, sas.AccountPermissions{Read: true, Write: true}, time.Now().Add(24*time.Hour), nil)");
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "rw");
}

#[test]
fn go_lookalikes() {
    assert!(mints("func sign(v sas.BlobSignatureValues) error {").is_empty());
    assert!(mints("var values sas.AccountSignatureValues").is_empty());
    assert!(mints("all := []sas.BlobSignatureValues{}").is_empty());
    assert!(mints("v := sas.BlobSignatureValues{}").is_empty());
    assert!(mints("func (c *Client) GetSASURL(permissions sas.BlobPermissions, expiry time.Time, o *GetSASURLOptions) (string, error) {").is_empty());
    assert!(mints("// GetSASURL is a convenience method").is_empty());
    assert!(mints("mysas.BlobSignatureValues{X: 1}").is_empty());
}

#[test]
fn dotnet_legacy_account_policy() {
    let t = one(
        "SharedAccessAccountPolicy policy = new SharedAccessAccountPolicy()\n{\n    Permissions = SharedAccessAccountPermissions.Read | SharedAccessAccountPermissions.Write | \
         SharedAccessAccountPermissions.Delete | SharedAccessAccountPermissions.List | SharedAccessAccountPermissions.Add | SharedAccessAccountPermissions.Create | \
         SharedAccessAccountPermissions.Update | SharedAccessAccountPermissions.ProcessMessages,\n    \
         Services = SharedAccessAccountServices.Blob | SharedAccessAccountServices.File | SharedAccessAccountServices.Queue | SharedAccessAccountServices.Table,\n    \
         ResourceTypes = SharedAccessAccountResourceTypes.Service | SharedAccessAccountResourceTypes.Container | SharedAccessAccountResourceTypes.Object,\n    \
         SharedAccessExpiryTime = DateTime.UtcNow.AddYears(30),\n    Protocols = SharedAccessProtocol.HttpsOrHttp\n};\nreturn storageAccount.GetSharedAccessSignature(policy);\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(t.mint().unwrap().surface, Surface::DotnetLegacySdk);
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(expires_in(&t), Some(YEARS_30));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    // The docs' sample: a day, HTTPS only.
    let t = one("var policy = new SharedAccessAccountPolicy { Permissions = SharedAccessAccountPermissions.Read | SharedAccessAccountPermissions.List, Services = SharedAccessAccountServices.Blob, ResourceTypes = SharedAccessAccountResourceTypes.Service, SharedAccessExpiryTime = DateTime.UtcNow.AddHours(24), Protocols = SharedAccessProtocol.HttpsOnly };");
    assert_eq!(letters(&t.params.permissions), "lr");
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    let t = one("var p = new SharedAccessAccountPolicy { Permissions = perms, SharedAccessExpiryTime = expiry };");
    assert_eq!((t.params.permissions.clone(), t.params.expiry.clone()), (None, None));
    assert_eq!(protocol(&t), Protocol::Default);
}

#[test]
fn dotnet_legacy_blob_policy_only_when_signed() {
    let t = one("SharedAccessBlobPolicy adHocPolicy = new SharedAccessBlobPolicy()\n{\n    SharedAccessExpiryTime = DateTime.UtcNow.AddHours(24),\n    \
                 Permissions = SharedAccessBlobPermissions.Write | SharedAccessBlobPermissions.List\n};\nsasContainerToken = container.GetSharedAccessSignature(adHocPolicy, null);\n");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(letters(&t.params.permissions), "lw");
    assert_eq!(expires_in(&t), Some(24 * 3600));
    assert_eq!(protocol(&t), Protocol::Default);
    let t = one("string sas = blob.GetSharedAccessSignature(new SharedAccessBlobPolicy { Permissions = SharedAccessBlobPermissions.Read, SharedAccessExpiryTime = DateTimeOffset.UtcNow.AddYears(10) }, headers, null, SharedAccessProtocol.HttpsOnly, null);");
    assert_eq!(t.params.resource.as_deref(), Some("b"));
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    // A stored access policy is written with the same class and mints nothing itself.
    assert!(mints("SharedAccessBlobPolicy sharedPolicy = new SharedAccessBlobPolicy()\n{\n    SharedAccessExpiryTime = DateTime.UtcNow.AddYears(30),\n    \
                   Permissions = SharedAccessBlobPermissions.Read\n};\npermissions.SharedAccessPolicies.Add(policyName, sharedPolicy);\nawait container.SetPermissionsAsync(permissions);\n")
        .is_empty());
    assert!(mints("permissions.SharedAccessPolicies.Add(\"p\", new SharedAccessBlobPolicy { Permissions = SharedAccessBlobPermissions.Read });").is_empty());
}

#[test]
fn dotnet_legacy_lookalikes() {
    assert!(mints("using Microsoft.Azure.Storage; // SharedAccessAccountPolicy").is_empty());
    assert!(
        mints("public string Sign(SharedAccessAccountPolicy policy) => account.GetSharedAccessSignature(policy);")
            .is_empty()
    );
    assert!(mints("class MySharedAccessAccountPolicy {}").is_empty());
}

#[test]
fn python_legacy_account_and_service_signatures() {
    let t = one(
        "token = block_blob_service.generate_account_shared_access_signature(\n    ResourceTypes.CONTAINER + ResourceTypes.OBJECT,\n    \
         AccountPermissions.READ + AccountPermissions.WRITE + AccountPermissions.DELETE + AccountPermissions.LIST + AccountPermissions.ADD + AccountPermissions.CREATE,\n    \
         datetime.utcnow() + timedelta(days=3650),\n)\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(t.mint().unwrap().surface, Surface::PythonLegacySdk);
    assert_eq!(letters(&t.params.resource_types), "co");
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(expires_in(&t), Some(3650 * 86_400));
    assert_eq!(protocol(&t), Protocol::Default);
    let t = one("sas = service.generate_blob_shared_access_signature(container_name, blob_name, BlobPermissions.READ, datetime.utcnow() + timedelta(hours=1))");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("b"))
    );
    assert_eq!(letters(&t.params.permissions), "r");
    assert_eq!(expires_in(&t), Some(3600));
    let t = one("service.generate_container_shared_access_signature('images', permission=ContainerPermissions(read=True, list=True, write=True), expiry='2051-01-01', protocol='https')");
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(letters(&t.params.permissions), "lrw");
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    let t = one("table_service.generate_table_shared_access_signature('orders', id='readers')");
    assert_eq!(
        (t.kind, t.params.table.as_deref()),
        (TokenKind::StoredPolicySas, Some("orders"))
    );
    let t = one("file_service.generate_file_shared_access_signature(share, None, name, FilePermissions.READ, expiry)");
    assert_eq!(letters(&t.params.permissions), "r");
    assert_eq!(t.params.expiry, None);
}

#[test]
fn python_legacy_lookalikes() {
    assert!(mints("    def generate_account_shared_access_signature(self, resource_types, permission,\n            expiry, start=None, ip=None, protocol=None):").is_empty());
    assert!(mints("Use generate_blob_shared_access_signature to make one.").is_empty());
    assert!(mints("svc.generate_blob_shared_access_signature_v2(c, b)").is_empty());
    let t = one("svc.generate_blob_shared_access_signature(c, b, perm, expiry, protocol=proto)");
    assert_eq!(protocol(&t), Protocol::Unknown);
}

#[test]
fn the_quick_search_finds_the_new_anchors() {
    for text in [
        "new AccountSasSignatureValues( x new BlobServiceSasSignatureValues( TableAccountSasSignatureValues",
        "sas.AccountSignatureValues{ sas.BlobSignatureValues{ sas.DatalakeSignatureValues c.GetSASURL(",
        "s.generate_account_shared_access_signature( s.generate_file_shared_access_signature",
        "new SharedAccessAccountPolicy { new SharedAccessBlobPolicy() GetSharedAccessSignature(",
        "sas.sas.SignatureValues{ sassas.AccountSignatureValues",
    ] {
        let quick: Vec<_> = find_anchors(text.as_bytes()).map(|m| m.range()).collect();
        let full: Vec<_> = anchors().find_iter(text.as_bytes()).map(|m| m.range()).collect();
        assert_eq!(quick, full, "{text}");
        assert!(!quick.is_empty(), "{text}");
    }
}

#[test]
fn javascript_permissions_from_an_object() {
    let t = one("const sas = generateAccountSASQueryParameters({\n  expiresOn: new Date(Date.now() + 86400 * 1000 * 365 * 30),\n  \
        permissions: AccountSASPermissions.from({ read: true, write: true, delete: true, list: true, add: true, create: true, update: true, process: true }),\n  \
        resourceTypes: AccountSASResourceTypes.parse(\"sco\").toString(),\n  services: AccountSASServices.parse(\"bfqt\").toString(),\n}, credential).toString();");
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    let t = one("containerClient.generateSasUrl({ permissions: ContainerSASPermissions.from({ read: true, list: true, write: false }), expiresOn: new Date(\"2051-01-01\") })");
    assert_eq!(letters(&t.params.permissions), "lr");
    let t = one(
        "generateTableSasQueryParameters({ permissions: TableSASPermissions.from({ query: true, add: true }) }, cred)",
    );
    assert_eq!(letters(&t.params.permissions), "ar");
    for unknown in [
        "BlobSASPermissions.from({ read: true, write: canWrite })",
        "BlobSASPermissions.from({ read })",
        "BlobSASPermissions.from({ ...base, read: true })",
        "BlobSASPermissions.from(like)",
    ] {
        let t = one(&format!(
            "blobClient.generateSasUrl({{ permissions: {unknown}, expiresOn: new Date(\"2051-01-01\") }})"
        ));
        assert_eq!(t.params.permissions, None, "{unknown}");
    }
}

const YEARS_10: i64 = (10.0 * 365.25 * 86_400.0) as i64;

#[test]
fn javascript_options_object_assigned_before_the_call() {
    let t = one(
        "function share(cred) {\n  const sasOptions = {\n    containerName: \"reports\",\n    \
         permissions: ContainerSASPermissions.parse(\"racwdl\"),\n    \
         expiresOn: new Date(new Date().valueOf() + 365 * 24 * 60 * 60 * 1000),\n  };\n  \
         return generateBlobSASQueryParameters(sasOptions, cred).toString();\n}\n",
    );
    assert_eq!(t.kind, TokenKind::ServiceSas);
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(expires_in(&t), Some(365 * 86_400));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Default);
    // Its duration is written before the call: no edit offered there.
    assert_eq!(t.mint().unwrap().sites.duration, None);
    // Signed with a user delegation key, it stays a user delegation SAS.
    let t = one(
        "const sasOptions = { containerName, permissions: ContainerSASPermissions.parse(\"r\"), expiresOn: new Date(Date.now() + 3600 * 1000) };\n\
         const sas = generateBlobSASQueryParameters(sasOptions, userDelegationKey, accountName).toString();",
    );
    assert_eq!(t.kind, TokenKind::UserDelegationSas);
    assert_eq!(expires_in(&t), Some(3600));
    // A parameter, an object changed after it is made, a name assigned nowhere.
    for text in [
        "const sasOptions = { permissions: BlobSASPermissions.parse(\"r\") };\nfunction sign(sasOptions, cred) {\n  return generateBlobSASQueryParameters(sasOptions, cred);\n}",
        "const sasOptions = { permissions: BlobSASPermissions.parse(\"r\") };\nsasOptions.permissions = perms;\ngenerateBlobSASQueryParameters(sasOptions, cred);",
        "generateBlobSASQueryParameters(sasOptions, cred);",
    ] {
        let t = one(text);
        assert_eq!((t.params.permissions.clone(), t.mint().unwrap().protocol), (None, Protocol::Unknown), "{text}");
    }
}

/// The blob SAS sample of the JavaScript docs with its values in names, long-lived and
/// writable.
const JS_SHORTHAND: &str = "function getSas(containerName, blobName, cred) {\n  const expiresOn = new Date();\n  \
    expiresOn.setFullYear(expiresOn.getFullYear() + 10);\n  const permissions = BlobSASPermissions.parse(\"racwd\");\n  \
    const sas = generateBlobSASQueryParameters({\n    containerName,\n    blobName,\n    permissions,\n    startsOn: new Date(),\n    expiresOn,\n  }, cred).toString();\n  \
    return sas;\n}\n";

#[test]
fn javascript_shorthand_members_and_dates_set_before_the_call() {
    let t = one(JS_SHORTHAND);
    assert_eq!(letters(&t.params.permissions), "acdrw");
    assert_eq!(t.params.resource.as_deref(), Some("b"));
    assert_eq!(expires_in(&t), Some(YEARS_10));
    for (setters, secs) in [
        ("e.setDate(e.getDate() + 30);", 30 * 86_400),
        (
            "e.setHours(e.getHours() + 2);\ne.setMinutes(e.getMinutes() + 30);",
            9000,
        ),
        ("e.setTime(e.getTime() + 7 * 24 * 60 * 60 * 1000);", 7 * 86_400),
        ("e.setUTCFullYear(e.getUTCFullYear() + 1);", (365.25 * 86_400.0) as i64),
    ] {
        let t = one(&format!(
            "const e = new Date();\n{setters}\nconst url = await blobClient.generateSasUrl({{ permissions: BlobSASPermissions.parse(\"r\"), expiresOn: e }});"
        ));
        assert_eq!(expires_in(&t), Some(secs), "{setters}");
    }
    // A name for a name, a TypeScript annotation, a member value that is a name.
    let t = one(
        "const oneYear: number = 365 * 86400 * 1000;\nconst expiry: Date = new Date(Date.now() + 31536000000);\nconst expiresOn = expiry;\n\
         const perms = ContainerSASPermissions.parse(\"rwl\");\ncontainerClient.generateSasUrl({ permissions: perms, expiresOn });",
    );
    assert_eq!(
        (letters(&t.params.permissions).as_str(), expires_in(&t)),
        ("lrw", Some(365 * 86_400))
    );
    assert_eq!(t.mint().unwrap().sites.duration, None);
    // Unknown: a date from elsewhere, a number not written, a fixed year, no setter, a
    // date changed another way, a parameter (a function, a TypeScript method).
    for text in [
        "const e = new Date(start);\ne.setFullYear(e.getFullYear() + 10);\nblobClient.generateSasUrl({ expiresOn: e });",
        "const e = new Date();\ne.setDate(e.getDate() + days);\nblobClient.generateSasUrl({ expiresOn: e });",
        "const e = new Date();\ne.setFullYear(2036);\nblobClient.generateSasUrl({ expiresOn: e });",
        "const e = new Date();\nblobClient.generateSasUrl({ expiresOn: e });",
        "const e = new Date(Date.now() + 1000);\nbump(e);\nblobClient.generateSasUrl({ expiresOn: e });",
        "const expiresOn = new Date(Date.now() + 3650 * 86400 * 1000);\nfunction f(expiresOn) {\n  blobClient.generateSasUrl({ expiresOn });\n}",
        "const expiresOn = new Date(Date.now() + 3650 * 86400 * 1000);\nfunction f(opts) {\n  const { expiresOn } = opts;\n  blobClient.generateSasUrl({ expiresOn });\n}",
        "const expiresOn = new Date(Date.now() + 3650 * 86400 * 1000);\n  async sas(client: BlobClient, expiresOn: Date) {\n  return client.generateSasUrl({ expiresOn });\n}",
    ] {
        assert_eq!(expires_in(&one(text)), None, "{text}");
    }
}

#[test]
fn javascript_account_sas_url_arguments_named_before_the_call() {
    let t = one(
        "const expiresOn = new Date();\nexpiresOn.setFullYear(expiresOn.getFullYear() + 10);\n\
         const permissions = AccountSASPermissions.parse(\"rwdlacup\");\nconst resourceTypes = AccountSASResourceTypes.parse(\"sco\").toString();\n\
         const opts = { protocol: SASProtocol.HttpsAndHttp };\n\
         const url = serviceClient.generateAccountSasUrl(expiresOn, permissions, resourceTypes, opts);",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(expires_in(&t), Some(YEARS_10));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    // The protocol is written before the call: no edit offered there.
    assert_eq!(t.mint().unwrap().sites.https_only, None);
    // Short-lived and read-only, read as such.
    let t = one(
        "const expiresOn = new Date();\nexpiresOn.setHours(expiresOn.getHours() + 1);\n\
         const url = serviceClient.generateAccountSasUrl(expiresOn, AccountSASPermissions.parse(\"r\"), \"o\");",
    );
    assert_eq!(
        (letters(&t.params.permissions).as_str(), expires_in(&t)),
        ("r", Some(3600))
    );
}

#[test]
fn dotnet_legacy_values_set_before_the_policy() {
    let t = one(
        "DateTime expiry = DateTime.UtcNow.AddYears(10);\nvar perms = SharedAccessBlobPermissions.Read | SharedAccessBlobPermissions.Write | SharedAccessBlobPermissions.Delete;\n\
         SharedAccessBlobPolicy adHocPolicy = new SharedAccessBlobPolicy()\n{\n    SharedAccessExpiryTime = expiry,\n    Permissions = perms\n};\n\
         string sasContainerToken = container.GetSharedAccessSignature(adHocPolicy, null);\n",
    );
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(letters(&t.params.permissions), "drw");
    assert_eq!(expires_in(&t), Some((10.0 * 365.25 * 86_400.0) as i64));
    // A parameter, and a value from elsewhere.
    let t = one(
        "public static string GetSas(CloudBlobContainer container, DateTime expiry)\n{\n    var perms = GetPermissions();\n    \
         var policy = new SharedAccessBlobPolicy { SharedAccessExpiryTime = expiry, Permissions = perms };\n    \
         return container.GetSharedAccessSignature(policy);\n}\n",
    );
    assert_eq!((t.params.permissions.clone(), t.params.expiry.clone()), (None, None));
}

#[test]
fn go_values_set_before_the_literal_and_get_sas_url() {
    let t = one(
        "func accountSAS(cred *azblob.SharedKeyCredential) (string, error) {\n\
         \texpiry := time.Now().UTC().Add(87600 * time.Hour)\n\
         \tperms := sas.AccountPermissions{Read: true, Write: true, Delete: true, List: true, Add: true, Create: true}\n\
         \tresources := sas.AccountResourceTypes{Service: true, Container: true, Object: true}\n\
         \tqp, err := sas.AccountSignatureValues{\n\t\tProtocol:      sas.ProtocolHTTPS,\n\t\tExpiryTime:    expiry,\n\
         \t\tPermissions:   perms.String(),\n\t\tResourceTypes: resources.String(),\n\t}.SignWithSharedKey(cred)\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.permissions), "acdlrw");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(expires_in(&t), Some(87600 * 3600));
    let t = one(
        "func shareURL(c *container.Client) (string, error) {\n\tperms := &sas.ContainerPermissions{Read: true, Write: true, Delete: true, List: true}\n\
         \texpiry := time.Now().AddDate(5, 0, 0)\n\treturn c.GetSASURL(*perms, expiry, nil)\n}\n",
    );
    assert_eq!(t.params.permissions, None, "`*perms` is not a bare name");
    let t = one(
        "func shareURL(c *container.Client) (string, error) {\n\tperms := sas.ContainerPermissions{Read: true, Write: true, Delete: true, List: true}\n\
         \texpiry := time.Now().AddDate(5, 0, 0)\n\treturn c.GetSASURL(perms, expiry, nil)\n}\n",
    );
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert_eq!(expires_in(&t), Some((5.0 * 365.25 * 86_400.0) as i64));
    let t = one(
        "\tresources := sas.AccountResourceTypes{Container: true, Object: true}\n\tperms := sas.AccountPermissions{Read: true, List: true}\n\
         \tu, err := svc.GetSASURL(resources, perms, time.Now().Add(time.Hour), nil)\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.resource_types), "co");
    assert_eq!(letters(&t.params.permissions), "lr");
    // A start named now, the expiry added to it.
    let t = one(
        "\tnow := time.Now().UTC()\n\tqp, err := sas.BlobSignatureValues{\n\t\tContainerName: containerName,\n\t\tStartTime:     now,\n\
         \t\tExpiryTime:    now.AddDate(2, 0, 0),\n\t\tPermissions:   to.Ptr(sas.ContainerPermissions{Read: true, List: true}).String(),\n\
         \t}.SignWithSharedKey(cred)\n",
    );
    assert_eq!(expires_in(&t), Some((2.0 * 365.25 * 86_400.0) as i64));
    assert_eq!(t.params.start, None);
    let t = one(
        "\tnow := startOfDay()\n\tqp, err := sas.BlobSignatureValues{ContainerName: c, ExpiryTime: now.AddDate(2, 0, 0)}.SignWithSharedKey(cred)\n",
    );
    assert_eq!(t.params.expiry, None);
}

#[test]
fn go_values_the_text_does_not_fix_make_no_claim() {
    // Parameters, an unknown call's result, and values set in another function above.
    for text in [
        "func sign(cred *azblob.SharedKeyCredential, expiry time.Time, perms sas.BlobPermissions) {\n\
         \tqp, _ := sas.BlobSignatureValues{ContainerName: \"c\", ExpiryTime: expiry, Permissions: perms.String()}.SignWithSharedKey(cred)\n",
        "func sign(cred *azblob.SharedKeyCredential) {\n\texpiry := expiryFromConfig()\n\tperms := permsFor(role)\n\
         \tqp, _ := sas.BlobSignatureValues{ContainerName: \"c\", ExpiryTime: expiry, Permissions: perms.String()}.SignWithSharedKey(cred)\n",
        "func defaults() {\n\texpiry := time.Now().Add(87600 * time.Hour)\n\tperms := sas.BlobPermissions{Read: true, Write: true}\n\t_ = expiry\n}\n\n\
         func sign(\n\tcred *azblob.SharedKeyCredential,\n\texpiry time.Time,\n\tperms sas.BlobPermissions,\n) {\n\
         \tqp, _ := sas.BlobSignatureValues{ContainerName: \"c\", ExpiryTime: expiry, Permissions: perms.String()}.SignWithSharedKey(cred)\n",
        "func defaults() {\n\texpiry := time.Now().Add(87600 * time.Hour)\n\tperms := sas.BlobPermissions{Read: true, Write: true}\n}\n\n\
         func url(c *blob.Client, perms sas.BlobPermissions, expiry time.Time) (string, error) {\n\treturn c.GetSASURL(perms, expiry, nil)\n",
        "\tperms := sas.BlobPermissions{Read: true}\n\tif admin {\n\t\tperms.Write = true\n\t}\n\texpiry := time.Now().Add(time.Hour)\n\
         \texpiry = expiry.Add(extra)\n\treturn c.GetSASURL(perms, expiry, nil)\n",
    ] {
        let t = one(text);
        assert_eq!((t.params.permissions.clone(), t.params.expiry.clone()), (None, None), "{text}");
    }
}

#[test]
fn python_legacy_values_set_before_the_call() {
    let t = one(
        "def get_sas(block_blob_service, container_name, blob_name):\n    \
         permission = BlobPermissions.READ + BlobPermissions.WRITE + BlobPermissions.DELETE\n    \
         expiry = datetime.utcnow() + timedelta(days=3650)\n    \
         return block_blob_service.generate_blob_shared_access_signature(container_name, blob_name, permission, expiry)\n",
    );
    assert_eq!(letters(&t.params.permissions), "drw");
    assert_eq!(expires_in(&t), Some(3650 * 86_400));
    let t = one(
        "def get_sas(block_blob_service, container_name, blob_name, permission, expiry):\n    \
         return block_blob_service.generate_blob_shared_access_signature(container_name, blob_name, permission, expiry)\n",
    );
    assert_eq!((t.params.permissions.clone(), t.params.expiry.clone()), (None, None));
}

/// The legacy docs' own pattern: the policy made empty, its properties set one statement
/// at a time, then signed.
#[test]
fn dotnet_legacy_properties_set_after_the_policy() {
    let t = one(
        "SharedAccessBlobPolicy sasConstraints = new SharedAccessBlobPolicy();\n\
         sasConstraints.SharedAccessExpiryTime = DateTimeOffset.UtcNow.AddDays(60);\n\
         sasConstraints.Permissions = SharedAccessBlobPermissions.Write | SharedAccessBlobPermissions.List;\n\
         string sasContainerToken = container.GetSharedAccessSignature(sasConstraints);\n",
    );
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(letters(&t.params.permissions), "lw");
    assert_eq!(expires_in(&t), Some(60 * 86_400));
    let t = one(
        "var policy = new SharedAccessAccountPolicy();\npolicy.Permissions = SharedAccessAccountPermissions.Read;\n\
         policy.Services = SharedAccessAccountServices.Blob;\npolicy.ResourceTypes = SharedAccessAccountResourceTypes.Object;\n\
         policy.SharedAccessExpiryTime = DateTime.UtcNow.AddYears(2);\nvar sas = account.GetSharedAccessSignature(policy);\n",
    );
    assert_eq!(
        (letters(&t.params.permissions), letters(&t.params.services)),
        ("r".into(), "b".into())
    );
    assert_eq!(expires_in(&t), Some((2.0 * 365.25 * 86_400.0) as i64));
    // Made empty and never signed here: a stored access policy, no claim.
    assert!(mints("var p = new SharedAccessBlobPolicy();\np.Permissions = SharedAccessBlobPermissions.Write;\npermissions.SharedAccessPolicies.Add(\"writers\", p);\n").is_empty());
}

/// The legacy JavaScript SDK (azure-storage for Node): the policy object, written there or
/// assigned before, its constants added, a stored policy's `Id`.
#[test]
fn javascript_legacy_shared_access_signature() {
    let t = one(
        "const azure = require('azure-storage');\nfunction sas(container, blobService) {\n  \
         const permissions = azure.BlobUtilities.SharedAccessPermissions.READ +\n    azure.BlobUtilities.SharedAccessPermissions.WRITE +\n    \
         azure.BlobUtilities.SharedAccessPermissions.DELETE;\n  const expiry = new Date();\n  expiry.setDate(expiry.getDate() + 60);\n  \
         const sharedAccessPolicy = {\n    AccessPolicy: {\n      Permissions: permissions,\n      Expiry: expiry\n    }\n  };\n  \
         return blobService.generateSharedAccessSignature(container, '', sharedAccessPolicy);\n}\n",
    );
    assert_eq!(t.mint().unwrap().surface, Surface::JavascriptLegacySdk);
    assert_eq!(t.params.resource.as_deref(), Some("c"));
    assert_eq!(letters(&t.params.permissions), "drw");
    assert_eq!(expires_in(&t), Some(60 * 86_400));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Default);
    // The account SAS, inline, HTTPS only.
    let t = one(
        "var sas = azure.generateAccountSharedAccessSignature(connectionString, null, {\n  AccessPolicy: {\n    \
         Services: 'b', ResourceTypes: 'sco', Permissions: 'rwdl',\n    Expiry: new Date(Date.now() + 365 * 24 * 3600 * 1000),\n    \
         Protocols: 'https'\n  }\n});\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.services), "b");
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    assert_eq!(expires_in(&t), Some(365 * 86_400));
    // A stored access policy; a policy from a parameter.
    let t = one("var token = queueService.generateSharedAccessSignature(queue, { Id: 'readers' });");
    assert_eq!(t.kind, TokenKind::StoredPolicySas);
    assert!(mints("function f(policy) { return blobService.generateSharedAccessSignature(c, b, policy); }").is_empty());
    // Its own definition, a look-alike: no call.
    assert!(mints(
        "BlobService.prototype.generateSharedAccessSignature = function (container, blob, sharedAccessPolicy) {"
    )
    .is_empty());
}

/// The management plane asks Resource Manager to sign: Python's `list_account_sas` with
/// `AccountSasParameters`, named before or inline, and Go's `ListAccountSAS`, both SDK
/// generations.
#[test]
fn management_plane_account_sas() {
    let t = one(
        "expiry = datetime.utcnow() + relativedelta(years=20)\nparams = AccountSasParameters(\n    services='bqft',\n    \
         resource_types='sco',\n    permissions='rwdlacup',\n    protocols='https',\n    shared_access_expiry_time=expiry\n)\n\
         data = storage_client.storage_accounts.list_account_sas(\n    resource_group_name=rg,\n    account_name=name,\n    parameters=params\n)\n",
    );
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(t.mint().unwrap().surface, Surface::PythonSdk);
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(t.params.protocol.as_deref(), Some("https"));
    assert_eq!(expires_in(&t), Some((20.0 * 365.25 * 86_400.0) as i64));
    let t = one(
        "res, err := d.accounts.ListAccountSAS(\n\tctx, rg, name, mgmtstorage.AccountSasParameters{\n\t\tServices: mgmtstorage.B,\n\t\t\
         ResourceTypes: mgmtstorage.SignedResourceTypesO,\n\t\tPermissions: \"cw\",\n\t\tProtocols: mgmtstorage.HTTPS,\n\t\t\
         SharedAccessExpiryTime: &date.Time{Time: time.Now().Add(24 * time.Hour)},\n\t})\n",
    );
    assert_eq!(t.mint().unwrap().surface, Surface::GoSdk);
    assert_eq!(
        (letters(&t.params.services), letters(&t.params.permissions)),
        ("b".into(), "cw".into())
    );
    assert_eq!(expires_in(&t), Some(86_400));
    let t = one(
        "r, err := client.ListAccountSAS(ctx, rg, name, armstorage.AccountSasParameters{\n\tPermissions: to.Ptr(armstorage.PermissionsR),\n\t\
         ResourceTypes: to.Ptr(armstorage.SignedResourceTypesO),\n\tServices: to.Ptr(armstorage.ServicesB),\n\t\
         SharedAccessExpiryTime: to.Ptr(time.Now().Add(48 * time.Hour)),\n}, nil)\n",
    );
    assert_eq!(letters(&t.params.permissions), "r");
    assert_eq!(expires_in(&t), Some(2 * 86_400));
    assert_eq!(t.mint().unwrap().protocol, Protocol::Unknown);
    // Not a call with its parameters: a usage lookup, a prose mention.
    assert!(mints("usage = storage_client.storage_accounts.list_account_sas(\n    resource_group_name=rg,\n    account_name=sa.name\n)").is_empty());
    assert!(mints("# storage_accounts.list_account_sas()").is_empty());
}
