//! Editor settings (`initializationOptions`, `workspace/didChangeConfiguration`,
//! `workspace/configuration`) merged over the workspace's `.sasguard.toml`. Unknown,
//! mis-nested or invalid keys are dropped with a warning that names them; the rest apply.

use serde_json::{Map, Value};

use crate::config::{Settings, Severity};
use crate::policy::Rule;

/// Keys the editor integrations send that are not engine settings.
const EDITOR_ONLY: &[&str] = &["logLevel", "trace", "path"];
const ENGINE_KEYS: &[&str] = crate::config::SETTING_KEYS;

/// The outcome of reading settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub settings: Settings,
    pub log_level: Option<String>,
    pub warnings: Vec<String>,
}

/// The object under a `sasguard` section when the editor sends its whole configuration.
pub fn unwrap_section(v: Value) -> Value {
    match v {
        Value::Object(mut m) if m.contains_key("sasguard") && m.len() == 1 => m.remove("sasguard").unwrap_or_default(),
        // Neovim encodes an empty Lua table as an empty JSON array.
        Value::Null => Value::Object(Map::new()),
        Value::Array(a) if a.is_empty() => Value::Object(Map::new()),
        other => other,
    }
}

/// Merges `editor` over `file` (the `.sasguard.toml` as JSON) and reads the result.
pub fn resolve(file: &Value, editor: &Value) -> Resolved {
    let mut warnings = Vec::new();
    let mut log_level = None;
    let mut clean = Map::new();
    match unwrap_section(editor.clone()) {
        Value::Object(m) => {
            for (k, v) in m {
                if k == "logLevel" {
                    log_level = v.as_str().map(str::to_string);
                } else if EDITOR_ONLY.contains(&k.as_str()) {
                } else if ENGINE_KEYS.contains(&k.as_str()) {
                    clean.insert(k.clone(), check_nested(&k, v, &mut warnings));
                } else {
                    warnings.push(format!("unknown setting `{k}` (ignored)"));
                }
            }
        }
        other => warnings.push(format!("settings must be an object, got {}", json_type(&other))),
    }
    let mut merged = match file {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    // Apply editor keys one by one so one bad value does not discard the others.
    for (k, v) in clean {
        let mut attempt = merged.clone();
        merge_key(&mut attempt, &k, v);
        match Settings::from_json(Value::Object(attempt.clone()), "editor settings") {
            Ok(_) => merged = attempt,
            Err(e) => warnings.push(format!("setting `{k}`: {} (ignored)", without_values(&e.message))),
        }
    }
    let settings = Settings::from_json(Value::Object(merged), "settings").unwrap_or_default();
    Resolved {
        settings,
        log_level,
        warnings,
    }
}

fn merge_key(into: &mut Map<String, Value>, key: &str, v: Value) {
    match (into.get_mut(key), v) {
        (Some(Value::Object(base)), Value::Object(over)) => {
            for (k, v) in over {
                base.insert(k, v);
            }
        }
        (_, v) => {
            into.insert(key.to_string(), v);
        }
    }
}

/// Drops unknown keys inside `rules` and `allow`, with warnings.
fn check_nested(key: &str, v: Value, warnings: &mut Vec<String>) -> Value {
    let Value::Object(m) = v else {
        return v;
    };
    let mut out = Map::new();
    for (k, val) in m {
        let ok = match key {
            "rules" => {
                let known = Rule::lookup(&k).is_some();
                let valid = val.as_str().and_then(Severity::parse).is_some();
                if known && !valid {
                    let _ = val;
                    warnings.push(format!(
                        "`rules.{k}`: the value is not a severity (error, warning, information, hint, off)"
                    ));
                    continue;
                }
                known
            }
            "allow" => k == "accounts" || k == "fingerprints",
            _ => true,
        };
        if ok {
            out.insert(k, val);
        } else {
            warnings.push(format!("unknown setting `{key}.{k}` (ignored)"));
        }
    }
    Value::Object(out)
}

/// The kind of a JSON value, to name instead of the value itself.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A settings error with the quoted values it echoes (`"…"` from serde, `` `…` `` from
/// sasguard's own parsers) left out: warnings name keys, never values.
fn without_values(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(['"', '`']) {
        let q = rest.as_bytes()[i] as char;
        out.push_str(&rest[..i]);
        match rest[i + 1..].find(q) {
            Some(j) => {
                let inner = &rest[i + 1..i + 1 + j];
                // Names of settings stay; anything else quoted is a value.
                if crate::config::is_setting_name(inner) {
                    out.push_str(&rest[i..i + 2 + j]);
                } else {
                    out.push_str("(the value)");
                }
                rest = &rest[i + 2 + j..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads `.sasguard.toml` as JSON for merging; an invalid file is an error naming it.
pub fn file_as_json(path: &std::path::Path) -> Result<Value, String> {
    let settings = Settings::load(path).map_err(|e| e.to_string())?;
    serde_json::to_value(settings).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn editor_settings_override_the_file_and_bad_keys_are_named() {
        let file = json!({"maxLifetime": "1d", "rules": {"SAS007": "off"}});
        let r = resolve(
            &file,
            &json!({"sasguard": {"rules": {"SAS001": "hint", "SAS999": "off", "SAS002": "loud"}, "maxLifetme": "2d",
                    "maxFileSize": "huge", "allow": {"acounts": []}, "logLevel": "debug"}}),
        );
        assert_eq!(r.settings.max_lifetime, crate::config::Lifetime::days(1));
        assert_eq!(r.settings.severity(Rule::SasInSource), Severity::Hint);
        assert_eq!(r.settings.severity(Rule::NoIpRestriction), Severity::Off);
        assert_eq!(r.settings.severity(Rule::AccountSas), Severity::Error);
        assert_eq!(r.log_level.as_deref(), Some("debug"));
        let w = r.warnings.join("\n");
        for key in [
            "`maxLifetme`",
            "`rules.SAS999`",
            "`rules.SAS002`",
            "`maxFileSize`",
            "`allow.acounts`",
        ] {
            assert!(w.contains(key), "missing {key} in {w}");
        }
    }
}
