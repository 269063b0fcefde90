//! Settings from `initializationOptions` and `workspace/didChangeConfiguration`,
//! under the names the editor extensions send: `rootDir`, `indent` (`"tab"` or a
//! number of spaces), `libreswanVersion` (`"3.20"`, `"4"`, `"current"`; `version` is
//! an alias) and `warnings`.

use std::path::PathBuf;

use ide::{AnalysisOptions, FormatOptions, Indent, Version};
use serde_json::Value;
use tower_lsp_server::ls_types::FormattingOptions;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Absolute include paths are taken below this folder.
    pub root_dir: Option<PathBuf>,
    /// Body line indentation when formatting; `None`: the editor's own (from the
    /// request), else a tab.
    pub indent: Option<Indent>,
    pub version: Version,
    pub warnings: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { root_dir: None, indent: None, version: Version::default(), warnings: true }
    }
}

impl Settings {
    /// Applies the keys present in `value` (flat, or under an `ipsecconf` key);
    /// returns the problems found, one message each.
    pub fn update(&mut self, value: &Value) -> Vec<String> {
        let value = value.get("ipsecconf").unwrap_or(value);
        let mut problems = Vec::new();
        let Some(object) = value.as_object() else { return problems };
        for (key, item) in object {
            match (key.as_str(), item) {
                ("rootDir", Value::String(dir)) => {
                    self.root_dir = (!dir.trim().is_empty()).then(|| PathBuf::from(dir.trim()));
                }
                ("rootDir", Value::Null) => self.root_dir = None,
                ("indent", Value::Null) => self.indent = None,
                ("indent", Value::String(tab)) if tab == "tab" => self.indent = Some(Indent::Tab),
                ("indent", Value::Number(n)) if n.as_u64().is_some_and(|n| (1..=16).contains(&n)) => {
                    self.indent = n.as_u64().map(|n| Indent::Spaces(n as u8));
                }
                ("indent", item) => {
                    problems.push(format!("ignored setting `indent`: {item} (use \"tab\" or 1 to 16 spaces)"))
                }
                ("libreswanVersion" | "version", Value::String(v)) => match Version::parse(v) {
                    Some(version) => self.version = version,
                    None => problems.push(format!("unknown libreswan version `{v}` (use 3.20, 4 or current)")),
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

    /// How to format: the `indent` setting when given, else what the request says.
    pub fn format_options(&self, request: &FormattingOptions) -> FormatOptions {
        let from_request = match u8::try_from(request.tab_size) {
            Ok(spaces @ 1..=16) if request.insert_spaces => Indent::Spaces(spaces),
            _ => Indent::Tab,
        };
        FormatOptions { indent: self.indent.unwrap_or(from_request), ..FormatOptions::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_and_flat_settings_and_reports_bad_ones() {
        let mut settings = Settings::default();
        let problems = settings.update(&serde_json::json!({
            "ipsecconf": {"rootDir": "/srv", "indent": 4, "libreswanVersion": "3.20", "warnings": false, "colour": 1}
        }));
        assert_eq!(problems, ["ignored setting `colour`: 1"]);
        assert_eq!(
            settings,
            Settings {
                root_dir: Some("/srv".into()),
                indent: Some(Indent::Spaces(4)),
                version: Version::V3_20,
                warnings: false
            }
        );
        assert_eq!(settings.update(&serde_json::json!({"libreswanVersion": "9"})).len(), 1);
        assert_eq!(settings.version, Version::V3_20);
        let problems = settings.update(&serde_json::json!({"version": "4", "indent": "tab", "rootDir": null}));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            (settings.version, settings.indent, settings.root_dir.clone()),
            (Version::V4, Some(Indent::Tab), None)
        );
        assert!(settings.update(&serde_json::json!({"libreswanVersion": "current", "indent": 0})).len() == 1);
        assert_eq!(settings.version, Version::Current);
    }

    #[test]
    fn the_indent_setting_overrides_the_request() {
        let request = |insert_spaces, tab_size| FormattingOptions { insert_spaces, tab_size, ..Default::default() };
        let mut settings = Settings::default();
        assert_eq!(settings.format_options(&request(true, 2)).indent, Indent::Spaces(2));
        assert_eq!(settings.format_options(&request(false, 8)).indent, Indent::Tab);
        assert_eq!(settings.format_options(&request(true, 400)).indent, Indent::Tab);
        settings.update(&serde_json::json!({"indent": "tab"}));
        assert_eq!(settings.format_options(&request(true, 2)).indent, Indent::Tab);
        settings.update(&serde_json::json!({"indent": 3}));
        assert_eq!(settings.format_options(&request(false, 8)).indent, Indent::Spaces(3));
    }
}
