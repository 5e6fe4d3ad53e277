//! Storage account resources rewritten from the Bicep and ARM quickstarts and the
//! azurerm_storage_account docs (tests/fixtures/iac), and negatives.

use super::super::{scan as scan_all, Surface};
use super::{Posture, Setting};
use crate::scan::token::Token;

fn postures(text: &str) -> Vec<(Token, Posture)> {
    let mut out = Vec::new();
    scan_all(text.as_bytes(), &mut out);
    out.into_iter()
        .filter_map(|t| {
            let p = t.mint()?.posture?;
            Some((t, p))
        })
        .collect()
}

const OPEN: Posture = Posture {
    shared_key: Setting::Absent,
    sas_policy: Setting::Absent,
};

#[test]
fn bicep_quickstart_leaves_both_open() {
    let text = include_str!("../../../../tests/fixtures/iac/storage.bicep");
    let found = postures(text);
    assert_eq!(found.len(), 1);
    let (t, p) = &found[0];
    assert_eq!(*p, OPEN);
    let m = t.mint().unwrap();
    assert_eq!(m.surface, Surface::Bicep);
    assert_eq!(m.call, "resource storageAccount 'Microsoft.Storage/storageAccounts'");
    assert!(
        text[t.range.clone()].starts_with("resource storageAccount 'Microsoft.Storage/storageAccounts@2023-01-01' = {")
    );
    assert!(text[t.range.clone()].ends_with("}\n}"));
    assert!(t.fingerprint.starts_with("mt1:") && t.secret.is_empty());
}

#[test]
fn arm_and_terraform_samples_leave_both_open() {
    let arm = postures(include_str!("../../../../tests/fixtures/iac/azuredeploy.json"));
    assert_eq!(arm.len(), 1);
    assert_eq!(
        (arm[0].0.mint().unwrap().surface, arm[0].1),
        (Surface::ArmTemplate, OPEN)
    );
    let tf = postures(include_str!("../../../../tests/fixtures/iac/main.tf"));
    assert_eq!(tf.len(), 1, "the resource group is another type");
    assert_eq!((tf[0].0.mint().unwrap().surface, tf[0].1), (Surface::Terraform, OPEN));
}

#[test]
fn locked_accounts_values_set_elsewhere_and_other_types_are_quiet() {
    for text in [
        include_str!("../../../../tests/fixtures/iac/storage-locked.bicep"),
        include_str!("../../../../tests/fixtures/iac/azuredeploy-locked.json"),
        include_str!("../../../../tests/fixtures/iac/main-locked.tf"),
    ] {
        assert!(postures(text).is_empty(), "{text}");
    }
}

#[test]
fn each_setting_on_its_own() {
    let bicep = |props: &str| {
        format!("resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {{\n  name: 'x'\n  properties: {{\n{props}\n  }}\n}}\n")
    };
    let p = postures(&bicep("    allowSharedKeyAccess: false"));
    assert_eq!(
        p[0].1,
        Posture {
            shared_key: Setting::Off,
            sas_policy: Setting::Absent
        }
    );
    let p = postures(&bicep("    allowSharedKeyAccess: true\n    sasPolicy: {\n      sasExpirationPeriod: '1.00:00:00'\n      expirationAction: 'Log'\n    }"));
    assert_eq!(
        p[0].1,
        Posture {
            shared_key: Setting::On,
            sas_policy: Setting::On
        }
    );
    // A commented-out setting is absent.
    let p = postures(&bicep("    // allowSharedKeyAccess: false\n    sasPolicy: policy"));
    assert_eq!(
        p[0].1,
        Posture {
            shared_key: Setting::Absent,
            sas_policy: Setting::On
        }
    );
    // Properties from a variable, a spread: no claim.
    assert!(postures(
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'x'\n  properties: props\n}\n"
    )
    .is_empty());
    assert!(postures(&bicep("    ...common")).is_empty());
    // A conditional resource and a loop are read too.
    let cond = "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = if (deploy) {\n  name: 'x'\n}\n";
    assert_eq!(postures(cond).len(), 1);
    let tf = "resource \"azurerm_storage_account\" \"x\" {\n  name = \"x\"\n  dynamic \"sas_policy\" {\n    for_each = var.p\n    content {\n      expiration_period = sas_policy.value\n    }\n  }\n}\n";
    assert_eq!(
        postures(tf)[0].1,
        Posture {
            shared_key: Setting::Absent,
            sas_policy: Setting::On
        }
    );
}

#[test]
fn a_block_longer_than_the_reach_claims_nothing() {
    let mut text = String::from("resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  properties: {\n");
    for i in 0..crate::scan::mint::MINT_LINE_REACH {
        text.push_str(&format!("    // note {i}\n"));
    }
    text.push_str("    allowSharedKeyAccess: false\n  }\n}\n");
    assert!(postures(&text).is_empty());
}
