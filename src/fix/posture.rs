//! Fixes for a storage account resource in a template (Bicep, ARM JSON, Terraform):
//! disallow shared-key authorization, and add a SAS expiration policy of `maxLifetime`.
//! Each edit is a line inserted after an opening brace that ends its line (or a `true`
//! made `false`), indented as the line after it, and is kept only when the resource, read
//! again with it, has the intended setting and the other one unchanged.

use std::ops::Range;

use crate::scan::mint::posture::{read_at, value_at, Setting};
use crate::scan::mint::{Surface, MINT_MAX_LEN};
use crate::scan::Token;

use super::Edit;

pub const SHARED_KEY_TITLE: &str = "Disallow shared-key authorization";

/// `Add a SAS expiration policy of 7 days`.
pub fn sas_policy_title(max: i64) -> String {
    format!("Add a SAS expiration policy of {}", super::mint::in_words(max))
}

/// The edit that turns shared-key authorization off for the resource at `token`.
pub fn disallow_shared_key(text: &[u8], token: &Token) -> Option<Edit> {
    let (block, surface, p) = read_at(text, token.range.start)?;
    let name = match surface {
        Surface::Terraform => "shared_access_key_enabled",
        _ => "allowSharedKeyAccess",
    };
    let edit = match p.shared_key {
        Setting::On => {
            let at = value_at(text, &block, name, surface)?;
            Edit {
                range: at..at + "true".len(),
                text: "false".into(),
            }
        }
        Setting::Absent => match surface {
            Surface::Terraform => insert_after(text, block.start, &block, &[&format!("{name} = false")])?,
            Surface::Bicep => in_properties(text, &block, surface, &[&format!("{name}: false")])?,
            _ => in_properties(text, &block, surface, &[&format!("\"{name}\": false,")])?,
        },
        _ => return None,
    };
    let after = reread(text, token, &edit)?;
    (after.shared_key == Setting::Off && after.sas_policy == p.sas_policy).then_some(edit)
}

/// The edit that adds a SAS expiration policy of `max` seconds to the resource at `token`.
pub fn add_sas_policy(text: &[u8], token: &Token, max: i64) -> Option<Edit> {
    let (block, surface, p) = read_at(text, token.range.start)?;
    if p.sas_policy != Setting::Absent || max <= 0 {
        return None;
    }
    let period = period(max);
    let edit = match surface {
        Surface::Terraform => insert_after(
            text,
            block.start,
            &block,
            &["sas_policy {", &format!("  expiration_period = \"{period}\""), "}"],
        )?,
        Surface::Bicep => in_properties(
            text,
            &block,
            surface,
            &[
                "sasPolicy: {",
                &format!("  sasExpirationPeriod: '{period}'"),
                "  expirationAction: 'Log'",
                "}",
            ],
        )?,
        _ => in_properties(
            text,
            &block,
            surface,
            &[&format!(
                "\"sasPolicy\": {{ \"sasExpirationPeriod\": \"{period}\", \"expirationAction\": \"Log\" }},"
            )],
        )?,
    };
    let after = reread(text, token, &edit)?;
    (after.sas_policy == Setting::On && after.shared_key == p.shared_key).then_some(edit)
}

/// `D.HH:MM:SS`, the form `sasExpirationPeriod` and `expiration_period` take.
fn period(secs: i64) -> String {
    let (d, r) = (secs / 86_400, secs % 86_400);
    format!("{d}.{:02}:{:02}:{:02}", r / 3600, r % 3600 / 60, r % 60)
}

/// Lines inserted inside the block's `properties` object (Bicep, ARM). ARM's lines end
/// with a comma, so the object must hold a member after them.
fn in_properties(text: &[u8], block: &Range<usize>, surface: Surface, lines: &[&str]) -> Option<Edit> {
    let open = value_at(text, block, "properties", surface)?;
    if text.get(open) != Some(&b'{') {
        return None;
    }
    if surface != Surface::Bicep {
        let next = text[open + 1..block.end]
            .iter()
            .position(|b| !b.is_ascii_whitespace())?;
        if text[open + 1 + next] == b'}' {
            return None;
        }
    }
    insert_after(text, open, block, lines)
}

/// Lines inserted after the first `{` at or after `from`, which must end its line: each on
/// a line of its own, indented as the first line after that brace, with the text's line
/// ending there.
fn insert_after(text: &[u8], from: usize, block: &Range<usize>, lines: &[&str]) -> Option<Edit> {
    let open = from + memchr::memchr(b'{', &text[from..block.end])?;
    let eol = open + 1 + memchr::memchr2(b'\n', b'\r', &text[open + 1..block.end])?;
    if !text[open + 1..eol].iter().all(|b| *b == b' ' || *b == b'\t') {
        return None;
    }
    let nl = if text[eol] == b'\r' && text.get(eol + 1) == Some(&b'\n') {
        "\r\n"
    } else if text[eol] == b'\r' {
        "\r"
    } else {
        "\n"
    };
    let next = eol + nl.len();
    let indent: String = text[next..block.end]
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .map(|b| *b as char)
        .collect();
    let body: String = lines.iter().map(|l| format!("{nl}{indent}{l}")).collect();
    Some(Edit {
        range: eol..eol,
        text: body,
    })
}

/// The resource at `token` read again with `edit` applied.
fn reread(text: &[u8], token: &Token, edit: &Edit) -> Option<crate::scan::mint::posture::Posture> {
    let start = token.range.start;
    let to = (start + MINT_MAX_LEN + edit.text.len()).min(text.len());
    if edit.range.start < start || edit.range.end > to {
        return None;
    }
    let from = text[..start]
        .iter()
        .rposition(|b| *b == b'\n' || *b == b'\r')
        .map_or(0, |p| p + 1);
    let mut window = text[from..edit.range.start].to_vec();
    window.extend_from_slice(edit.text.as_bytes());
    window.extend_from_slice(&text[edit.range.end..to]);
    read_at(&window, start - from).map(|(_, _, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str, f: impl Fn(&[u8], &Token) -> Option<Edit>) -> Option<String> {
        let mut found = Vec::new();
        crate::scan::mint::scan(text.as_bytes(), &mut found);
        let t = found.iter().find(|t| t.mint().is_some_and(|m| m.posture.is_some()))?;
        let e = f(text.as_bytes(), t)?;
        let mut out = text.to_string();
        out.replace_range(e.range, &e.text);
        Some(out)
    }

    const BICEP: &str = "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: name\n  location: location\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n  }\n}\n";
    const ARM: &str = "{\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.Storage/storageAccounts\",\n      \"apiVersion\": \"2023-01-01\",\n      \"name\": \"[parameters('name')]\",\n      \"properties\": {\n        \"minimumTlsVersion\": \"TLS1_2\"\n      }\n    }\n  ]\n}\n";
    const TF: &str = "resource \"azurerm_storage_account\" \"sa\" {\r\n  name                     = \"acct\"\r\n  account_tier             = \"Standard\"\r\n}\r\n";

    #[test]
    fn bicep_gets_both_settings_inside_properties() {
        let out = fix(BICEP, disallow_shared_key).unwrap();
        assert!(
            out.contains("  properties: {\n    allowSharedKeyAccess: false\n    minimumTlsVersion"),
            "{out}"
        );
        let out = fix(&out, |t, k| add_sas_policy(t, k, 7 * 86_400)).unwrap();
        assert!(
            out.contains(
                "    sasPolicy: {\n      sasExpirationPeriod: '7.00:00:00'\n      expirationAction: 'Log'\n    }\n"
            ),
            "{out}"
        );
        // Both set: nothing is left to report.
        let mut found = Vec::new();
        crate::scan::mint::scan(out.as_bytes(), &mut found);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn arm_stays_json_and_terraform_keeps_its_line_endings() {
        let out = fix(ARM, disallow_shared_key).unwrap();
        let out = fix(&out, |t, k| add_sas_policy(t, k, 12 * 3600)).unwrap();
        assert!(out.contains("\"sasExpirationPeriod\": \"0.12:00:00\""), "{out}");
        assert!(out.contains("\"allowSharedKeyAccess\": false,"), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
        assert_eq!(v["resources"][0]["properties"]["allowSharedKeyAccess"], false);

        let out = fix(TF, disallow_shared_key).unwrap();
        assert!(
            out.contains("\"sa\" {\r\n  shared_access_key_enabled = false\r\n  name"),
            "{out:?}"
        );
        let out = fix(&out, |t, k| add_sas_policy(t, k, 7 * 86_400)).unwrap();
        assert!(
            out.contains("  sas_policy {\r\n    expiration_period = \"7.00:00:00\"\r\n  }\r\n"),
            "{out:?}"
        );
    }

    #[test]
    fn true_becomes_false_and_what_cannot_be_placed_is_not_offered() {
        let on = BICEP.replace("properties: {\n", "properties: {\n    allowSharedKeyAccess: true\n");
        let out = fix(&on, disallow_shared_key).unwrap();
        assert!(
            out.contains("allowSharedKeyAccess: false") && !out.contains("true"),
            "{out}"
        );
        // An ARM `properties` object that is empty, or a brace followed by members on its
        // line: no place for a line of its own.
        let empty = ARM.replace("{\n        \"minimumTlsVersion\": \"TLS1_2\"\n      }", "{}");
        assert_eq!(fix(&empty, disallow_shared_key), None);
        let inline = BICEP.replace(
            "properties: {\n    minimumTlsVersion: 'TLS1_2'\n  }",
            "properties: { minimumTlsVersion: 'TLS1_2' }",
        );
        assert_eq!(fix(&inline, disallow_shared_key), None);
        // A setting held elsewhere claims nothing, and gets no fix.
        let param = BICEP.replace(
            "properties: {\n",
            "properties: {\n    allowSharedKeyAccess: allowKeys\n",
        );
        assert_eq!(fix(&param, disallow_shared_key), None);
    }
}
