//! Hostile text around each kind of call that mints a SAS: no panic, every call site's
//! range inside the text, within the reach the server's incremental analysis relies on
//! (lines and bytes), with no secret; the fixes' edits inside the text; and the whole
//! engine and policy run on it.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sasguard::config::Settings;
use sasguard::scan::mint::{self, MINT_LINE_REACH, MINT_MAX_LEN};

const HEADS: [&[u8]; 29] = [
    b"sas = generate_account_sas(",
    b"generate_blob_sas(a, c, b, permission=",
    b"az storage account generate-sas ",
    b"az storage container generate-sas --permissions ",
    b"var b = new AccountSasBuilder",
    b"BlobSasBuilder b = new() {",
    b"u = client.GenerateSasUri(",
    b"expiry=datetime.utcnow() + timedelta(",
    b"data \"azurerm_storage_account_sas\" \"x\" {",
    b"New-AzStorageAccountSASToken -Service ",
    b"generateAccountSASQueryParameters({ expiresOn: ",
    b"v = new AccountSasSignatureValues(OffsetDateTime.now().plus",
    b"qp, err := sas.AccountSignatureValues{\n\tExpiryTime: time.Now().Add(",
    b"u, _ := c.GetSASURL(sas.BlobPermissions{",
    b"var p = new SharedAccessBlobPolicy { Permissions = ",
    b"svc.generate_blob_shared_access_signature(c, b, ",
    b"output s string = sa.listAccountSas('2023-01-01', {\n  signedExpiry: dateTimeAdd(",
    b"\"value\": \"[listServiceSas(resourceId('x'), '2023-01-01', createObject(",
    b"{\"variables\": {\"p\": {\"signedPermission\": \"rwdl\", \"signedExpiry\": \"[dateTimeAdd(",
    b"resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  properties: {\n",
    b"{ \"type\": \"Microsoft.Storage/storageAccounts\", \"properties\": {",
    b"az storage account generate-sas --expiry $(date -u -d \"",
    b"New-AzStorageBlobSASToken -ExpiryTime (Get-Date).",
    b"$p = @{ ExpiryTime = (Get-Date).AddYears(1); Permission = 'rwd' }\nNew-AzStorageBlobSASToken @p ",
    b"expiry = datetime.utcnow() + timedelta(days=3650)\nperm = AccountSasPermissions(read=True)\ngenerate_account_sas(a, k, permission=perm, expiry=",
    b"const expiresOn = new Date();\nexpiresOn.setFullYear(expiresOn.getFullYear() + 10);\ngenerateBlobSASQueryParameters({ expiresOn, permissions: ",
    b"const p = { AccessPolicy: { Expiry: new Date(Date.now() + 1) } };\nblobService.generateSharedAccessSignature(c, '', { AccessPolicy: { Permissions: ",
    b"p = AccountSasParameters(services='b', permissions='rwdl', shared_access_expiry_time=\nc.storage_accounts.list_account_sas(rg, a, p",
    b"r, err := c.ListAccountSAS(ctx, rg, a, armstorage.AccountSasParameters{\n\tPermissions: to.Ptr(",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut text = HEADS[pick as usize % HEADS.len()].to_vec();
    text.extend_from_slice(rest);
    let mut out = Vec::new();
    mint::scan(&text, &mut out);
    for t in &out {
        assert!(t.range.start <= t.range.end && t.range.end <= text.len());
        assert!(t.range.len() <= MINT_MAX_LEN, "a call longer than its reach");
        let lines = text[t.range.clone()].iter().filter(|b| **b == b'\n').count();
        assert!(lines <= MINT_LINE_REACH, "a call over more lines than its reach");
        assert!(t.secret.is_empty() && t.secret_pieces().is_empty());
        assert!(t.mint().is_some());
        let fixes = [
            sasguard::fix::mint::shorten_lifetime(&text, t, 7 * 86_400),
            sasguard::fix::mint::https_only(&text, t),
            sasguard::fix::posture::disallow_shared_key(&text, t),
            sasguard::fix::posture::add_sas_policy(&text, t, 7 * 86_400),
        ];
        for e in fixes.into_iter().flatten() {
            assert!(e.range.start <= e.range.end && e.range.end <= text.len());
            assert!(e.range.start >= t.range.start, "an edit before its call");
        }
    }
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
    for f in sasguard::policy::analyze(&text, &Settings::default(), now) {
        assert!(f.token.range.end <= text.len());
    }
});
