//! Templates: Bicep and ARM calls that mint a SAS judged as the token, a SAS in a
//! deployment output (SAS019), and storage account settings (SAS020 shared-key access,
//! SAS021 no SAS expiration policy), with their severities configurable.

use chrono::{TimeZone, Utc};
use sasguard::config::{Settings, Severity};
use sasguard::policy::{analyze, Finding, Rule};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap()
}

fn findings(text: &str, s: &Settings) -> Vec<Finding> {
    analyze(text.as_bytes(), s, now())
}

const BICEP: &str = include_str!("fixtures/iac/storage.bicep");
const ARM: &str = include_str!("fixtures/iac/azuredeploy.json");
const TF: &str = include_str!("fixtures/iac/main.tf");

#[test]
fn the_bicep_quickstart_with_a_sas_output() {
    let f = findings(BICEP, &Settings::default());
    assert_eq!(f.len(), 2, "{f:#?}");
    let posture = &f[0];
    assert_eq!(
        (posture.rule, posture.severity),
        (Rule::SharedKeyAccess, Severity::Information)
    );
    assert!(posture.fired(Rule::NoSasExpirationPolicy));
    assert_eq!(
        posture.message(),
        "Storage account leaves shared-key authorization enabled (its keys can sign account SAS tokens) and has \
         no SAS expiration policy (tokens of any lifetime are accepted). Resource: resource storageAccount \
         'Microsoft.Storage/storageAccounts' (Bicep). Also: SAS021 no-sas-expiration-policy."
    );
    let call = &f[1];
    assert_eq!(call.rule, Rule::AccountSas);
    assert!(
        call.summary.starts_with(
            "Mints an account SAS with full control of blob, file, queue and table, valid 30 years, HTTP allowed."
        ),
        "{}",
        call.summary
    );
    let output = call.fired.iter().find(|x| x.rule == Rule::SasOutput).expect("SAS019");
    assert_eq!(output.severity, Severity::Warning);
    for r in [Rule::ExcessivePermissions, Rule::LongLived, Rule::HttpAllowed] {
        assert!(call.fired(r), "{r:?}");
    }
}

#[test]
fn arm_and_terraform_samples() {
    let f = findings(ARM, &Settings::default());
    assert_eq!(f.len(), 2);
    assert!(f[0]
        .summary
        .ends_with("Resource: \"type\": \"Microsoft.Storage/storageAccounts\" (ARM template)."));
    assert!(f[1].fired(Rule::SasOutput) && f[1].fired(Rule::LongLived));
    let f = findings(TF, &Settings::default());
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].fired.iter().map(|x| x.reason.as_str()).collect::<Vec<_>>(),
        [
            "shared_access_key_enabled not set (enabled by default): the account keys can sign account SAS tokens",
            "no sas_policy: SAS tokens of any lifetime are accepted"
        ]
    );
}

#[test]
fn negatives_stay_quiet() {
    for text in [
        include_str!("fixtures/iac/storage-locked.bicep"),
        include_str!("fixtures/iac/azuredeploy-locked.json"),
        include_str!("fixtures/iac/main-locked.tf"),
    ] {
        let f = findings(text, &Settings::default());
        assert!(f.is_empty(), "{:?}", f.iter().map(|f| f.message()).collect::<Vec<_>>());
    }
    // A short read-only service SAS as an output is still in the history.
    let out = "output s string = listServiceSas(sa.id, '2023-01-01', {\n  canonicalizedResource: '/blob/a/c'\n  \
               signedResource: 'c'\n  signedPermission: 'r'\n  signedExpiry: dateTimeAdd(utcNow(), 'PT1H')\n  \
               signedProtocol: 'https'\n}).serviceSasToken\n";
    let f = findings(out, &Settings::default());
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].rule, f[0].severity), (Rule::SasOutput, Severity::Warning));
    // ... and quiet as a variable.
    assert!(findings(&out.replace("output s string", "var s"), &Settings::default()).is_empty());
}

#[test]
fn severities_are_configurable() {
    let s = Settings::from_toml(
        "[rules]\nshared-key-access = \"off\"\nSAS021 = \"warning\"\nsas-output = \"error\"\n",
        "t.toml",
    )
    .unwrap();
    let f = findings(TF, &s);
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].rule, f[0].severity),
        (Rule::NoSasExpirationPolicy, Severity::Warning)
    );
    assert_eq!(
        f[0].summary,
        "Storage account has no SAS expiration policy (tokens of any lifetime are accepted). Resource: resource \
         \"azurerm_storage_account\" \"example\" (Terraform)."
    );
    let off = Settings::from_toml("[rules]\nSAS020 = \"off\"\nSAS021 = \"off\"\n", "t.toml").unwrap();
    assert!(findings(TF, &off).is_empty());
    let f = findings(BICEP, &s);
    let call = f.iter().find(|f| f.fired(Rule::SasOutput)).unwrap();
    assert_eq!(
        call.fired.iter().find(|x| x.rule == Rule::SasOutput).unwrap().severity,
        Severity::Error
    );
}
