//! Test support: the vendors' OpenAPI documents, read at test time, as JSON Schema validators.
//!
//! The specs are the vendors' files and are not part of the project: they are read from
//! `IDCONN_SPECS_DIR`, or `../shared/specs` beside the workspace root (as in CI). Where neither
//! exists, [`spec`] prints `skipped: <why>` and the test returns without checking anything.
//!
//! OpenAPI 3.1 (Auth0) schemas are JSON Schema 2020-12 and are used as they are. OpenAPI 3.0
//! (GenAuth 3.0.0, Keycloak 3.0.3) schemas are close to JSON Schema draft 4 except for
//! `nullable: true`, which is rewritten into a type union (see [`openapi30`]) before validating.
//! Local `#/components/schemas/...` references resolve because every schema is validated inside
//! a root document that carries the spec's components: there is no network access.
#![allow(dead_code)] // each test file uses a part of it

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

pub mod http;
pub mod openapi30;

/// One vendor's OpenAPI document, ready to validate instances against its schemas.
pub struct Spec {
    file: String,
    document: Value,
    draft: Draft,
    /// The spec's `components`, translated to the draft in use.
    components: Value,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// Where the specs are, or why they cannot be used.
pub fn specs_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("IDCONN_SPECS_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_dir() {
            Ok(dir)
        } else {
            Err(format!(
                "IDCONN_SPECS_DIR={} is not a folder",
                dir.display()
            ))
        };
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/specs");
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(format!(
            "the vendors' OpenAPI documents are not at {} and IDCONN_SPECS_DIR is not set",
            dir.display()
        ))
    }
}

/// The spec at `relative` (e.g. `auth0/management-api-oas.json`) inside the specs folder, parsed
/// once per test binary. `None`, after printing `skipped: <why>`, when there is no specs folder.
/// A folder that is there but lacks the file, or holds a broken one, fails the test.
pub fn spec(relative: &str) -> Option<Arc<Spec>> {
    static LOADED: OnceLock<Mutex<HashMap<String, Arc<Spec>>>> = OnceLock::new();
    let dir = match specs_dir() {
        Ok(dir) => dir,
        Err(why) => {
            println!("skipped: {why}");
            return None;
        }
    };
    let mut loaded = LOADED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(spec) = loaded.get(relative) {
        return Some(spec.clone());
    }
    let path = dir.join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let document: Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
    let spec = Arc::new(Spec::new(relative, document));
    loaded.insert(relative.to_string(), spec.clone());
    Some(spec)
}

impl Spec {
    /// Reads the OpenAPI version and prepares the components for it.
    pub fn new(file: &str, document: Value) -> Self {
        let version = document["openapi"].as_str().unwrap_or_default().to_string();
        let mut components = json!({ "schemas": document["components"]["schemas"].clone() });
        let draft = if version.starts_with("3.1") {
            Draft::Draft202012
        } else if version.starts_with("3.0") {
            openapi30::translate_schema_map(&mut components["schemas"]);
            Draft::Draft4
        } else {
            panic!("{file}: unsupported OpenAPI version {version:?}");
        };
        Spec {
            file: file.to_string(),
            document,
            draft,
            components,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// The whole document.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The response schema of `method path` for `status` (as written in the spec), with
    /// `application/json` content. Panics when the spec has none: a test asked for a schema
    /// the vendor did not document.
    pub fn response_schema(&self, method: &str, path: &str, status: &str) -> Value {
        let operation = &self.document["paths"][path][method.to_ascii_lowercase()];
        assert!(
            operation.is_object(),
            "{}: no operation {method} {path}",
            self.file
        );
        let schema = &operation["responses"][status]["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{}: {method} {path} documents no JSON body for {status}",
            self.file
        );
        schema.clone()
    }

    /// A reference to a component schema, e.g. `component("BadRequestSchema")`.
    pub fn component(&self, name: &str) -> Value {
        assert!(
            self.components["schemas"][name].is_object(),
            "{}: no component schema {name}",
            self.file
        );
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    /// Panics, listing every error, unless `instance` validates against `schema` (`what` names
    /// the response in the message).
    pub fn assert_valid(&self, what: &str, schema: &Value, instance: &Value) {
        let errors = self.errors(schema, instance);
        assert!(
            errors.is_empty(),
            "{what} does not match {} {schema}:\n  {}\ninstance: {instance:#}",
            self.file,
            errors.join("\n  ")
        );
    }

    /// Every validation error of `instance` against `schema`, as `path: message` lines.
    pub fn errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(instance)
            .map(|error| format!("{}: {error}", error.instance_path()))
            .collect()
    }

    fn validator(&self, schema: &Value) -> Arc<Validator> {
        let key = schema.to_string();
        let mut validators = self
            .validators
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(validator) = validators.get(&key) {
            return validator.clone();
        }
        let mut schema = schema.clone();
        if self.draft == Draft::Draft4 {
            openapi30::translate_schema(&mut schema);
        }
        // The schema under test sits in a root document that also holds the components, so
        // `#/components/schemas/...` resolves locally.
        let mut root = Map::new();
        root.insert("allOf".into(), json!([schema]));
        root.insert("components".into(), self.components.clone());
        let validator = jsonschema::options()
            .with_draft(self.draft)
            .build(&Value::Object(root))
            .unwrap_or_else(|error| panic!("{}: the schema does not compile: {error}", self.file));
        let validator = Arc::new(validator);
        validators.insert(key, validator.clone());
        validator
    }
}
