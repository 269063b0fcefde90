//! Settings from `initializationOptions` and `workspace/didChangeConfiguration`.

use std::path::PathBuf;

use ide::{AnalysisOptions, Version};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Absolute include paths are taken below this folder.
    pub root_dir: Option<PathBuf>,
    /// Spaces per indentation level when formatting; `None` means a tab.
    pub indent_spaces: Option<u8>,
    pub version: Version,
    pub warnings: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { root_dir: None, indent_spaces: None, version: Version::default(), warnings: true }
    }
}

impl Settings {
    /// Applies the keys present in `value` (plain, or under an `ipsecconf` key);
    /// returns the problems found, one message each.
    pub fn update(&mut self, value: &Value) -> Vec<String> {
        let value = value.get("ipsecconf").unwrap_or(value);
        let mut problems = Vec::new();
        let Some(object) = value.as_object() else { return problems };
        for (key, item) in object {
            match (key.as_str(), item) {
                ("rootDir" | "root", Value::String(dir)) => {
                    self.root_dir = (!dir.is_empty()).then(|| PathBuf::from(dir));
                }
                ("rootDir" | "root", Value::Null) => self.root_dir = None,
                ("indent", Value::String(tab)) if tab == "tab" => self.indent_spaces = None,
                ("indent", Value::Number(n)) if n.as_u64().is_some_and(|n| (1..=16).contains(&n)) => {
                    self.indent_spaces = n.as_u64().map(|n| n as u8);
                }
                ("version", Value::String(v)) => match Version::parse(v) {
                    Some(version) => self.version = version,
                    None => problems.push(format!("unknown libreswan version `{v}` (use 3.20, 4.10 or current)")),
                },
                ("warnings", Value::Bool(on)) => self.warnings = *on,
                (key, item) => problems.push(format!("ignored setting `{key}`: {item}")),
            }
        }
        problems
    }

    pub fn analysis_options(&self) -> AnalysisOptions {
        AnalysisOptions { root_dir: self.root_dir.clone(), version: self.version, warnings: self.warnings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_and_nested_settings_and_reports_bad_ones() {
        let mut settings = Settings::default();
        let problems = settings.update(&serde_json::json!({
            "ipsecconf": {"rootDir": "/srv", "indent": 4, "version": "3.20", "warnings": false, "colour": 1}
        }));
        assert_eq!(problems, ["ignored setting `colour`: 1"]);
        assert_eq!(
            settings,
            Settings {
                root_dir: Some("/srv".into()),
                indent_spaces: Some(4),
                version: Version::V3_20,
                warnings: false
            }
        );
        assert_eq!(settings.update(&serde_json::json!({"version": "9"})).len(), 1);
        assert_eq!(settings.version, Version::V3_20);
    }
}
