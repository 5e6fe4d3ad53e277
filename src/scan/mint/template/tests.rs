//! Bicep and ARM minting calls, on the quickstart storage account rewritten
//! (tests/fixtures/iac), and negatives.

use super::super::{scan, Expiry, Protocol, Surface};
use super::iso_duration;
use crate::scan::token::{Token, TokenKind};

const YEAR: f64 = 365.25 * 86_400.0;

fn mints(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(text.as_bytes(), &mut out);
    out.retain(|t| t.mint().is_some_and(|m| m.posture.is_none()));
    out
}

fn one(text: &str) -> Token {
    let m = mints(text);
    assert_eq!(m.len(), 1, "{text}: {m:?}");
    m.into_iter().next().unwrap()
}

fn letters(l: &Option<crate::scan::token::Letters>) -> String {
    l.as_ref().map(|l| l.letters().collect()).unwrap_or_default()
}

#[test]
fn iso_durations() {
    assert_eq!(iso_duration("P30Y"), Some((30.0 * YEAR) as i64));
    assert_eq!(iso_duration("P7D"), Some(7 * 86_400));
    assert_eq!(iso_duration("PT1H30M"), Some(5400));
    assert_eq!(iso_duration("P1M").map(|s| s / 86_400), Some(30));
    assert_eq!(iso_duration("30Y"), None);
    assert_eq!(iso_duration("PT"), None);
    assert_eq!(iso_duration("P1H"), None);
}

#[test]
fn bicep_method_form_output_from_the_quickstart() {
    let text = include_str!("../../../../tests/fixtures/iac/storage.bicep");
    let t = one(text);
    let m = t.mint().unwrap();
    assert_eq!((m.surface, m.call.as_str()), (Surface::Bicep, "listAccountSas"));
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    // `param baseTime string = utcNow('u')`, declared in reach before the call.
    assert_eq!(m.expires_in, Some((30.0 * YEAR) as i64));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    assert_eq!(m.protocol, Protocol::Given);
    assert!(m.output, "an output");
    // From the receiver to `.accountSasToken`.
    let range = &text[t.range.clone()];
    assert!(range.starts_with("storageAccount.listAccountSas(") && range.ends_with(").accountSasToken"));
    assert!(t.secret.is_empty());
}

#[test]
fn bicep_function_form_and_service_sas() {
    let t = one(
        "var sas = listServiceSas(sa.id, '2023-01-01', {\n  canonicalizedResource: '/blob/acct/reports'\n  \
         signedPermission: 'rl'\n  signedExpiry: '2051-01-01T00:00:00Z'\n  signedProtocol: 'https'\n}).serviceSasToken\n",
    );
    let m = t.mint().unwrap();
    assert_eq!(t.kind, TokenKind::ServiceSas);
    assert_eq!(t.params.resource.as_deref(), Some("c"), "from canonicalizedResource");
    assert_eq!(t.account.as_deref(), Some("acct"));
    assert_eq!(letters(&t.params.permissions), "lr");
    assert_eq!(
        t.params.expiry.as_ref().map(|e| e.text.as_str()),
        Some("2051-01-01T00:00:00Z")
    );
    assert!(!m.output, "a variable, not an output");
    // A stored policy named by a literal.
    let t = one("x: listServiceSas(sa.id, '2023-01-01', { canonicalizedResource: '/blob/a/c/b.txt', signedIdentifier: 'readers' }).serviceSasToken");
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::StoredPolicySas, Some("b"))
    );
}

#[test]
fn arm_create_object_output_from_the_quickstart() {
    let text = include_str!("../../../../tests/fixtures/iac/azuredeploy.json");
    let t = one(text);
    let m = t.mint().unwrap();
    assert_eq!(m.surface, Surface::ArmTemplate);
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    // `"baseTime": {"type": "string", "defaultValue": "[utcNow()]"}` is 20 lines above.
    assert_eq!(m.expires_in, Some((30.0 * YEAR) as i64));
    assert_eq!(t.params.protocol.as_deref(), Some("https,http"));
    assert!(m.output);
}

#[test]
fn unknown_values_claim_nothing() {
    // Properties in a variable or parameter.
    let t = one("output s string = sa.listAccountSas('2023-01-01', sasProps).accountSasToken");
    assert_eq!((t.params.permissions.clone(), t.params.services.clone()), (None, None));
    assert_eq!(
        t.mint().unwrap().protocol,
        Protocol::Unknown,
        "no signedProtocol: not claimed"
    );
    // A time from a parameter not declared as utcNow(), and interpolated letters.
    let t = one("param t string\nvar s = sa.listAccountSas('2023-01-01', {\n  signedPermission: '${p}'\n  signedExpiry: dateTimeAdd(t, 'P30Y')\n}).accountSasToken\n");
    assert_eq!(t.params.permissions, None);
    assert_eq!(t.mint().unwrap().expires_in, None);
    assert_eq!(t.params.expiry, None);
    // A spread hides the rest.
    let t = one("var s = sa.listAccountSas('2023-01-01', {\n  ...base\n  signedPermission: 'r'\n})");
    assert_eq!(t.params.permissions, None);
    let _ = Expiry::Unknown;
}

#[test]
fn secure_outputs_and_sdk_calls_are_not_templates_outputs() {
    let t =
        one("@secure()\noutput s string = sa.listAccountSas('2023-01-01', { signedPermission: 'r' }).accountSasToken");
    assert!(!t.mint().unwrap().output);
    let text = include_str!("../../../../tests/fixtures/iac/azuredeploy-locked.json");
    let t = one(text);
    assert!(!t.mint().unwrap().output, "securestring");
    // Java's management SDK: no API version literal.
    assert!(mints("storageAccounts().listAccountSas(resourceGroup, accountName, parameters);").is_empty());
    assert!(mints("mylistAccountSas('2023-01-01', {})").is_empty());
    // A Key Vault secret's value: not an output.
    let text = include_str!("../../../../tests/fixtures/iac/storage-locked.bicep");
    let t = one(text);
    assert!(!t.mint().unwrap().output);
    // Its `param baseTime string = utcNow()` is more than 40 lines above: out of reach,
    // so the expiry is unknown (an edit there would not re-read the call).
    assert_eq!(t.mint().unwrap().expires_in, None);
    let near = text.replace("dateTimeAdd(baseTime, 'PT1H')", "dateTimeAdd(utcNow(), 'PT1H')");
    assert_eq!(one(&near).mint().unwrap().expires_in, Some(3600));
}

#[test]
fn bicep_properties_in_a_variable() {
    let text = "param storageAccountName string\n\
resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {\n  name: storageAccountName\n}\n\
var sasConfig = {\n  signedResourceTypes: 'sco'\n  signedPermission: 'rwdlacup'\n  signedServices: 'bfqt'\n  \
signedExpiry: '2050-01-01T00:00:00Z'\n}\n\
output sasToken string = sa.listAccountSas('2023-01-01', sasConfig).accountSasToken\n";
    let t = one(text);
    assert_eq!(t.kind, TokenKind::AccountSas);
    assert_eq!(letters(&t.params.services), "bfqt");
    assert_eq!(letters(&t.params.resource_types), "cos");
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    assert_eq!(
        t.params.expiry.as_ref().map(|e| e.text.as_str()),
        Some("2050-01-01T00:00:00Z")
    );
    assert!(t.mint().unwrap().output);
    // The function form and a service SAS.
    let t = one(
        "var props = {\n  canonicalizedResource: '/blob/acct/data'\n  signedPermission: 'rwl'\n}\n\
output s string = listServiceSas(sa.id, '2023-01-01', props).serviceSasToken\n",
    );
    assert_eq!(
        (t.kind, t.params.resource.as_deref()),
        (TokenKind::ServiceSas, Some("c"))
    );
    assert_eq!(letters(&t.params.permissions), "lrw");
    // The API version named, not written; the function name in capitals.
    let t = one(
        "var sasDefinition = {\n  signedServices: 'b'\n  signedPermission: 'rwdlacup'\n  signedResourceTypes: 'sco'\n}\n\n\
var sasToken = listAccountSas(storageAccountId, storageAccountApiVersion, sasDefinition).accountSasToken\n",
    );
    assert_eq!(letters(&t.params.permissions), "acdlpruw");
    let t = one(
        "output s string = storageAccount.listServiceSAS(storageAccount.apiVersion, {\n  canonicalizedResource: '/blob/acct/data'\n  \
signedResource: 'c'\n  signedPermission: 'rwdl'\n  signedExpiry: '3000-01-01T00:00:00Z'\n}).serviceSasToken\n",
    );
    assert_eq!(letters(&t.params.permissions), "dlrw");
    // Not an API version: another function of that name.
    assert!(mints("x = client.listAccountSas(resourceGroup, accountName)").is_empty());
}

#[test]
fn bicep_members_in_variables() {
    let text = "param baseTime string = utcNow('u')\n\
var sasExpiry = dateTimeAdd(baseTime, 'P30Y')\nvar perms = 'rwdl'\n\
output sas string = listAccountSas(sa.id, '2021-04-01', {\n  signedServices: 'b'\n  signedResourceTypes: 'sco'\n  \
signedPermission: perms\n  signedExpiry: sasExpiry\n}).accountSasToken\n";
    let t = one(text);
    let m = t.mint().unwrap();
    assert_eq!(m.expires_in, Some((30.0 * YEAR) as i64));
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert!(m.output, "a multi-line output");
    let range = &text[t.range.clone()];
    assert!(range.starts_with("listAccountSas(") && range.ends_with("}).accountSasToken"));
}

#[test]
fn bicep_variables_from_parameters_stay_unknown() {
    // A variable assigned from a parameter, and a parameter's object.
    let t = one(
        "param perms string = 'rwdl'\nparam props object\nvar p = perms\nvar cfg = props\n\
output s string = sa.listAccountSas('2023-01-01', cfg).accountSasToken\n\
var x = 1\n",
    );
    assert_eq!(t.params.permissions, None);
    let t = one("param perms string = 'rwdl'\nvar p = perms\n\
var s = sa.listAccountSas('2023-01-01', {\n  signedPermission: p\n  signedExpiry: later\n}).accountSasToken\n");
    assert_eq!(t.params.permissions, None);
    assert_eq!(t.params.expiry, None);
    // An object built from something unknown, and a variable declared after the call.
    let t = one("var cfg = union(base, { signedPermission: 'r' })\n\
output s string = sa.listAccountSas('2023-01-01', cfg).accountSasToken\n");
    assert_eq!(t.params.permissions, None);
    let t = one(
        "output s string = sa.listAccountSas('2023-01-01', cfg).accountSasToken\n\
var cfg = { signedPermission: 'rwdl' }\n",
    );
    assert_eq!(t.params.permissions, None);
    // A parameter's default is not read: a deployment may pass another object.
    let t = one("param cfg object = {\n  signedPermission: 'rwdl'\n}\n\
output s string = sa.listAccountSas('2023-01-01', cfg).accountSasToken\n");
    assert_eq!(t.params.permissions, None);
}

#[test]
fn arm_properties_in_a_variable() {
    let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "storageAccountName": { "type": "string" },
    "baseTime": { "type": "string", "defaultValue": "[utcNow('u')]" }
  },
  "variables": {
    "storageId": "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]",
    "accountSasProperties": {
      "signedServices": "b",
      "signedPermission": "rwdl",
      "signedResourceTypes": "sco",
      "signedExpiry": "[dateTimeAdd(parameters('baseTime'), 'P20Y')]"
    }
  },
  "resources": [],
  "outputs": {
    "accountSas": {
      "type": "string",
      "value": "[ListAccountSas(variables('storageId'), '2018-07-01', variables('accountSasProperties')).accountSasToken]"
    }
  }
}"#;
    let t = one(text);
    let m = t.mint().unwrap();
    assert_eq!((m.surface, t.kind), (Surface::ArmTemplate, TokenKind::AccountSas));
    assert_eq!(letters(&t.params.services), "b");
    assert_eq!(letters(&t.params.permissions), "dlrw");
    assert_eq!(m.expires_in, Some((20.0 * YEAR) as i64));
    assert!(m.output);
    // A literal expiry, and a lower-case call.
    let lit = text
        .replace("[dateTimeAdd(parameters('baseTime'), 'P20Y')]", "2049-01-01T00:00:00Z")
        .replace("ListAccountSas", "listaccountsas");
    let t = one(&lit);
    assert_eq!(
        t.params.expiry.as_ref().map(|e| e.text.as_str()),
        Some("2049-01-01T00:00:00Z")
    );
    // Members from parameters, an unknown variable, a variable that is not an object.
    let t = one(&text.replace("\"rwdl\"", "\"[parameters('perms')]\""));
    assert_eq!(t.params.permissions, None);
    assert_eq!(letters(&t.params.services), "b");
    for other in [
        "variables('other')",
        "variables('storageId')",
        "parameters('accountSasProperties')",
    ] {
        let t = one(&text.replace("variables('accountSasProperties')", other));
        assert_eq!(
            (t.params.permissions.clone(), t.params.services.clone()),
            (None, None),
            "{other}"
        );
    }
    // A time from a parameter with no utcNow() default.
    let t = one(&text.replace("\"defaultValue\": \"[utcNow('u')]\" ", ""));
    assert_eq!(t.mint().unwrap().expires_in, None);
}

#[test]
fn arm_variables_far_above_the_output() {
    let mut text = String::from(
        "{\n  \"variables\": {\n    \"sasProps\": {\n      \"signedPermission\": \"rwdl\",\n      \
                                 \"signedServices\": \"b\"\n    },\n",
    );
    for i in 0..300 {
        text.push_str(&format!("    \"v{i}\": \"[concat('value-', '{i}')]\",\n"));
    }
    text.push_str(
        "    \"w\": 1\n  },\n  \"outputs\": { \"s\": { \"type\": \"string\", \"value\": \
                   \"[listAccountSas(variables('id'), '2023-01-01', variables('sasProps')).accountSasToken]\" } }\n}\n",
    );
    assert!(text.len() > 4 * super::super::MINT_BYTE_REACH);
    let t = one(&text);
    assert_eq!(letters(&t.params.permissions), "dlrw");
    // Beyond the template reach: unknown.
    let far = text.replacen(
        "    \"w\": 1\n",
        &format!("    \"w\": \"{}\"\n", "x".repeat(super::super::TEMPLATE_BACK_REACH)),
        1,
    );
    assert_eq!(one(&far).params.permissions, None);
    // Bicep's names stay within the ordinary reach.
    let mut bicep = String::from("var cfg = {\n  signedPermission: 'rwdl'\n}\n");
    for _ in 0..60 {
        bicep.push_str("// a comment line\n");
    }
    bicep.push_str("output s string = sa.listAccountSas('2023-01-01', cfg).accountSasToken\n");
    assert_eq!(one(&bicep).params.permissions, None);
}

#[test]
fn many_arm_calls_read_their_nearest_variables_each_as_alone() {
    let call = |v: &str| {
        format!("    \"o\": {{ \"type\": \"string\", \"value\": \"[listAccountSas(x, '2023-01-01', variables('{v}'))]\" }},\n")
    };
    let section = |perm: &str| {
        format!(
            "  \"variables\": {{\n    \"a\": {{ \"signedPermission\": \"{perm}\", \"signedPermission\": \"r{perm}\" }},\n    \
             \"B\": {{ \"signedServices\": \"b\" }},\n    \"b\": {{ \"signedServices\": \"f\" }},\n    \"s\": \"x\"\n  }},\n"
        )
    };
    let mut text = String::from("{\n");
    text.push_str(&call("a"));
    text.push_str(&section("w"));
    for v in ["a", "b", "s", "A", "none"] {
        text.push_str(&call(v));
    }
    text.push_str(&section("d"));
    text.push_str(&call("a"));
    // An unclosed section: nothing after it is read.
    text.push_str("  \"variables\": {\n    \"a\": { \"signedPermission\": \"l\" },\n");
    text.push_str(&call("a"));
    text.push_str("}\n");
    let all = mints(&text);
    assert_eq!(all.len(), 8);
    let perms: Vec<String> = all.iter().map(|t| letters(&t.params.permissions)).collect();
    assert_eq!(perms, ["", "rw", "", "", "rw", "", "dr", ""]);
    assert_eq!(
        all.iter().filter(|t| t.params.services.is_some()).count(),
        0,
        "b is defined twice"
    );
    // Each call read alone (the text up to its line's end) reads the same.
    for t in &all {
        let end = text[t.range.end..].find('\n').unwrap() + t.range.end;
        let alone = mints(&text[..end]);
        let last = alone.last().unwrap();
        assert_eq!((last.range.clone(), &last.params), (t.range.clone(), &t.params));
    }
}
