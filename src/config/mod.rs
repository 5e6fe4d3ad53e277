//! Typed settings shared by the CLI and the language server, and `.sasguard.toml`
//! discovery. Unknown keys and bad values are errors that name the key and the file.

mod severity;
mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use severity::Severity;
pub use units::{ByteSize, Lifetime};

use crate::policy::rules::Rule;

/// The name of the settings file looked up from the scanned path upwards.
pub const CONFIG_FILE: &str = ".sasguard.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Settings {
    /// Severity per rule, keyed by id (`SAS004`) or name (`long-lived`); `off` disables.
    pub rules: BTreeMap<String, Severity>,
    /// Lifetimes longer than this fire `long-lived` (SAS004).
    pub max_lifetime: Lifetime,
    /// Lifetimes longer than this raise `long-lived` by one level (warning to error).
    pub max_lifetime_error: Lifetime,
    /// Paths to skip, as gitignore-style globs relative to the scanned root.
    pub exclude: Vec<String>,
    /// Files larger than this are skipped with a notice.
    pub max_file_size: ByteSize,
    /// Tokens that are known and accepted.
    pub allow: Allow,
    /// Also report secrets in files that git ignores (such as `.env`, where a secret belongs).
    pub scan_git_ignored: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Allow {
    /// Storage accounts or Service Bus namespaces whose tokens are accepted (for example a
    /// public data set shared read-only on purpose).
    pub accounts: Vec<String>,
    /// Fingerprints (`sg1:…` of tokens, `mt1:…` of calls and template settings, as printed
    /// by `sasguard check --format json`) of accepted findings.
    pub fingerprints: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rules: BTreeMap::new(),
            max_lifetime: Lifetime::days(7),
            max_lifetime_error: Lifetime::days(365),
            exclude: Vec::new(),
            max_file_size: ByteSize(10 << 20),
            allow: Allow::default(),
            scan_git_ignored: false,
        }
    }
}

/// Is `name` the name of a setting (as written in `.sasguard.toml` or by an editor), or
/// of a rule? Messages may quote those; anything else they quote is a value.
pub fn is_setting_name(name: &str) -> bool {
    const NESTED: &[&str] = &[
        "accounts",
        "fingerprints",
        "allow.accounts",
        "allow.fingerprints",
        "logLevel",
    ];
    SETTING_KEYS.contains(&name) || NESTED.contains(&name) || Rule::lookup(name).is_some()
}

/// The top-level keys of the engine's settings, as `.sasguard.toml` and editors write them.
pub const SETTING_KEYS: &[&str] = &[
    "rules",
    "maxLifetime",
    "maxLifetimeError",
    "exclude",
    "maxFileSize",
    "allow",
    "scanGitIgnored",
];

/// A settings problem, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub source: String,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Both echo what the user wrote (a path, a value): never a secret.
        let (source, message) = (crate::redact::scrub(&self.source), crate::redact::scrub(&self.message));
        write!(f, "{source}: {message}")
    }
}

impl std::error::Error for ConfigError {}

impl Settings {
    /// Parses TOML settings; `source` names the file in errors.
    pub fn from_toml(text: &str, source: &str) -> Result<Settings, ConfigError> {
        let s: Settings = toml::from_str(text).map_err(|e| ConfigError {
            source: source.to_string(),
            message: e.to_string().trim_end().replace('\n', "\n  "),
        })?;
        s.validate(source)?;
        Ok(s)
    }

    /// Parses JSON settings (as editors send them); `source` names the channel in errors.
    pub fn from_json(value: serde_json::Value, source: &str) -> Result<Settings, ConfigError> {
        let s: Settings = serde_json::from_value(value).map_err(|e| ConfigError {
            source: source.to_string(),
            message: e.to_string(),
        })?;
        s.validate(source)?;
        Ok(s)
    }

    /// Reads a settings file.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let source = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            source: source.clone(),
            message: format!("cannot read settings: {e}"),
        })?;
        Settings::from_toml(&text, &source)
    }

    /// Checks what serde cannot: rule keys and threshold order.
    pub fn validate(&self, source: &str) -> Result<(), ConfigError> {
        let err = |message: String| ConfigError {
            source: source.to_string(),
            message,
        };
        for key in self.rules.keys() {
            if Rule::lookup(key).is_none() {
                return Err(err(format!(
                    "unknown rule `{key}` in `rules` (use an id SAS001–SAS018 or a name such as `long-lived`)"
                )));
            }
        }
        if self.max_lifetime_error < self.max_lifetime {
            return Err(err(format!(
                "`maxLifetimeError` ({}) is shorter than `maxLifetime` ({})",
                self.max_lifetime_error, self.max_lifetime
            )));
        }
        for (i, f) in self.allow.fingerprints.iter().enumerate() {
            // `sg1:` a token, `mt1:` a call that mints one or a template's setting.
            let known = f.starts_with("sg1:") || f.starts_with("mt1:");
            if !known || f.len() != 20 || !f[4..].bytes().all(|b| b.is_ascii_hexdigit()) {
                // The entry is not echoed: a signature pasted here by mistake must not show.
                return Err(err(format!(
                    "`allow.fingerprints`: entry {} is not a fingerprint (sg1: or mt1: and 16 hex digits, as `sasguard check` prints them)",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    /// The severity of `rule` after settings: the configured value, else its default.
    pub fn severity(&self, rule: Rule) -> Severity {
        self.rules
            .iter()
            .find(|(k, _)| Rule::lookup(k) == Some(rule))
            .map(|(_, s)| *s)
            .unwrap_or(rule.default_severity())
    }

    /// True when the token's account or fingerprint is allow-listed.
    pub fn allows(&self, account: Option<&str>, fingerprint: &str) -> bool {
        account.is_some_and(|a| self.allow.accounts.iter().any(|x| x.eq_ignore_ascii_case(a)))
            || self
                .allow
                .fingerprints
                .iter()
                .any(|f| f.eq_ignore_ascii_case(fingerprint))
    }
}

/// The nearest `.sasguard.toml` in `start` or its ancestors.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(start).ok()?;
    let dir = if abs.is_dir() { abs.as_path() } else { abs.parent()? };
    dir.ancestors().map(|d| d.join(CONFIG_FILE)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let s = Settings::from_toml(
            "maxLifetime = \"1h\"\n[rules]\nSAS007 = \"off\"\nlong-lived = \"error\"\n[allow]\naccounts = [\"pub\"]\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(s.max_lifetime, Lifetime(3600));
        assert_eq!(s.max_lifetime_error, Lifetime::days(365));
        assert_eq!(s.severity(Rule::NoIpRestriction), Severity::Off);
        assert_eq!(s.severity(Rule::LongLived), Severity::Error);
        assert_eq!(s.severity(Rule::AccountSas), Severity::Error);
        assert!(s.allows(Some("PUB"), "sg1:0000000000000000"));
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key_and_file() {
        let e = Settings::from_toml("maxLifetim = \"1h\"\n", "a/.sasguard.toml").unwrap_err();
        assert!(e.to_string().starts_with("a/.sasguard.toml: "), "{e}");
        assert!(e.to_string().contains("maxLifetim"), "{e}");
        let e = Settings::from_toml("[rules]\nSAS099 = \"off\"\n", "x").unwrap_err();
        assert!(e.to_string().contains("SAS099"), "{e}");
        let e = Settings::from_toml("[rules]\nSAS001 = \"loud\"\n", "x").unwrap_err();
        assert!(e.to_string().contains("loud"), "{e}");
        let e = Settings::from_toml("maxLifetime = \"7 days\"\n", "x").unwrap_err();
        assert!(e.to_string().contains("7 days"), "{e}");
        let e = Settings::from_toml("[allow]\nacounts = []\n", "x").unwrap_err();
        assert!(e.to_string().contains("acounts"), "{e}");
        let e = Settings::from_toml("maxLifetime = \"400d\"\n", "x").unwrap_err();
        assert!(e.to_string().contains("maxLifetimeError"), "{e}");
    }

    #[test]
    fn json_settings_use_the_same_names() {
        let s = Settings::from_json(
            serde_json::json!({"maxFileSize": "1MiB", "rules": {"SAS001": "hint"}}),
            "init",
        )
        .unwrap();
        assert_eq!(s.max_file_size, ByteSize(1 << 20));
        assert!(Settings::from_json(serde_json::json!({"bogus": 1}), "init").is_err());
    }
}
