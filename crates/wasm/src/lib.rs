//! WebAssembly exports for the browser playground: thin adapters over `syntax`,
//! `model`, `fmt` and `ide`.
//!
//! [`api`] is the playground's API in plain Rust (tested natively); this file only
//! adapts it to JavaScript: each export converts its arguments with
//! `serde_wasm_bindgen`, calls one `api` function and converts the result back with
//! the one configured [`serializer`]. Failures are JavaScript exceptions
//! (`Error` with a message), never traps.

pub mod api;
pub mod offsets;

use std::collections::BTreeMap;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The one serializer: maps become plain objects, `None` becomes `null`.
fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serializer()).map_err(|e| JsError::new(&format!("cannot convert the result: {e}")))
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("invalid {what}: {e}")))
}

fn api_error(error: api::ApiError) -> JsError {
    JsError::new(&error.0)
}

/// A playground session: a set of virtual files (`ipsec.conf`, `ipsec.d/*.conf`…).
#[wasm_bindgen]
pub struct Playground {
    workspace: api::Workspace,
}

impl Default for Playground {
    fn default() -> Self {
        Playground::new()
    }
}

#[wasm_bindgen]
impl Playground {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        Playground { workspace: api::Workspace::new() }
    }

    /// Replaces every file: `{ "ipsec.conf": "...", "ipsec.d/a.conf": "..." }`.
    #[wasm_bindgen(js_name = setFiles)]
    pub fn set_files(&mut self, files: JsValue) -> Result<(), JsError> {
        let files: BTreeMap<String, String> = from_js(files, "files (expected {name: text})")?;
        self.workspace.set_files(files).map_err(api_error)
    }

    #[wasm_bindgen(js_name = setFile)]
    pub fn set_file(&mut self, name: &str, text: String) -> Result<(), JsError> {
        self.workspace.set_file(name, text).map_err(api_error)
    }

    #[wasm_bindgen(js_name = removeFile)]
    pub fn remove_file(&mut self, name: &str) -> Result<(), JsError> {
        self.workspace.remove_file(name).map_err(api_error)
    }

    #[wasm_bindgen(js_name = fileNames)]
    pub fn file_names(&self) -> Result<JsValue, JsError> {
        to_js(&self.workspace.file_names())
    }

    /// Parse and check `name` as the root file: `{diagnostics, errors, warnings}`.
    pub fn check(&self, name: &str) -> Result<JsValue, JsError> {
        to_js(&self.workspace.check(name).map_err(api_error)?)
    }

    /// The resolved conns of `name` with provenance, and its diagnostics;
    /// `request` is `{filter, limit, implicit}` (all optional) or undefined.
    pub fn resolve(&self, name: &str, request: JsValue) -> Result<JsValue, JsError> {
        let request: api::ResolveRequest = if request.is_undefined() || request.is_null() {
            Default::default()
        } else {
            from_js(request, "resolve request")?
        };
        to_js(&self.workspace.resolve(name, &request).map_err(api_error)?)
    }

    /// Formats `text`; `options` is `{indent: "tab" | "4", alignEquals: bool}` or undefined.
    pub fn format(&self, text: &str, options: JsValue) -> Result<JsValue, JsError> {
        let request: api::FormatRequest = if options.is_undefined() || options.is_null() {
            Default::default()
        } else {
            from_js(options, "format options")?
        };
        to_js(&self.workspace.format(text, &request).map_err(api_error)?)
    }

    #[wasm_bindgen(js_name = syntaxTree)]
    pub fn syntax_tree(&self, name: &str) -> Result<JsValue, JsError> {
        to_js(&self.workspace.syntax_tree(name).map_err(api_error)?)
    }

    /// Hover at a UTF-16 offset: `{from, to, markdown}` or null.
    pub fn hover(&self, name: &str, offset: u32) -> Result<JsValue, JsError> {
        to_js(&self.workspace.hover(name, offset).map_err(api_error)?)
    }

    /// Completions at a UTF-16 offset.
    pub fn completion(&self, name: &str, offset: u32) -> Result<JsValue, JsError> {
        to_js(&self.workspace.completion(name, offset).map_err(api_error)?)
    }

    /// Definitions of what is at a UTF-16 offset: `[{file, from, to, line}]`.
    pub fn definition(&self, name: &str, offset: u32) -> Result<JsValue, JsError> {
        to_js(&self.workspace.definition(name, offset).map_err(api_error)?)
    }

    /// Highlighting of the tokens between two UTF-16 offsets.
    pub fn highlight(&self, name: &str, from: u32, to: u32) -> Result<JsValue, JsError> {
        to_js(&self.workspace.highlight(name, from, to).map_err(api_error)?)
    }
}
