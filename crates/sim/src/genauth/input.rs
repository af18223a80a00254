//! Reading request parameters with the vendor's 400 answers (class-validator style messages)
//! for missing or mistyped ones. Optional keys may be absent: the Python SDK strips `None` and
//! the Node SDK drops `undefined`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::errors::ApiError;

/// A JSON request body.
pub struct Body(pub Map<String, Value>);

impl Body {
    /// Parses a body; an empty body is an empty object (a POST with nothing to say).
    pub fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body(Map::new()));
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Body(map)),
            Ok(_) => Err(ApiError::invalid("the request body must be a JSON object")),
            Err(e) => Err(ApiError::invalid(format!(
                "the request body is not valid JSON: {e}"
            ))),
        }
    }

    /// A required, non-empty string.
    pub fn string(&self, name: &str) -> Result<String, ApiError> {
        match self.0.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(Value::String(_)) => Err(ApiError::invalid(format!("{name} should not be empty"))),
            None | Some(Value::Null) => Err(ApiError::invalid(format!(
                "{name} must be a string; {name} should not be empty"
            ))),
            Some(_) => Err(ApiError::invalid(format!("{name} must be a string"))),
        }
    }

    /// An optional string (`null` counts as absent).
    pub fn opt_string(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid(format!("{name} must be a string"))),
        }
    }

    /// A required boolean.
    pub fn bool(&self, name: &str) -> Result<bool, ApiError> {
        self.opt_bool(name)?
            .ok_or_else(|| ApiError::invalid(format!("{name} must be a boolean value")))
    }

    /// An optional boolean.
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::invalid(format!("{name} must be a boolean value"))),
        }
    }

    /// A required JSON object.
    pub fn object(&self, name: &str) -> Result<Map<String, Value>, ApiError> {
        match self.0.get(name) {
            Some(Value::Object(map)) => Ok(map.clone()),
            _ => Err(ApiError::invalid(format!("{name} must be an object"))),
        }
    }

    /// An optional array of strings.
    pub fn opt_strings(&self, name: &str) -> Result<Option<Vec<String>>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(ApiError::invalid(format!(
                        "each value in {name} must be a string"
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid(format!("{name} must be an array"))),
        }
    }

    /// A required array of strings.
    pub fn strings(&self, name: &str) -> Result<Vec<String>, ApiError> {
        self.opt_strings(name)?
            .ok_or_else(|| ApiError::invalid(format!("{name} must be an array")))
    }
}

/// A query string.
pub struct Query(pub HashMap<String, String>);

impl Query {
    /// Parses a raw query string (form-urlencoded, as axios and requests send it).
    pub fn parse(raw: Option<&str>) -> Self {
        Query(
            url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// A required, non-empty parameter.
    pub fn string(&self, name: &str) -> Result<String, ApiError> {
        match self.0.get(name) {
            Some(v) if !v.is_empty() => Ok(v.clone()),
            _ => Err(ApiError::invalid(format!(
                "{name} must be a string; {name} should not be empty"
            ))),
        }
    }

    /// An optional parameter (empty counts as absent).
    pub fn opt_string(&self, name: &str) -> Option<String> {
        self.0.get(name).filter(|v| !v.is_empty()).cloned()
    }

    /// An optional `social` / `enterprise` filter.
    pub fn category(&self) -> Result<Option<String>, ApiError> {
        match self.opt_string("type") {
            Some(t) if t == "social" || t == "enterprise" => Ok(Some(t)),
            Some(_) => Err(ApiError::invalid(
                "type must be one of the following values: social, enterprise",
            )),
            None => Ok(None),
        }
    }

    /// An optional positive integer within `1..=max`, or `default`.
    pub fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(raw) = self.opt_string(name) else {
            return Ok(default);
        };
        match raw.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::invalid(format!(
                "{name} must be a number between 1 and {max}"
            ))),
        }
    }
}
