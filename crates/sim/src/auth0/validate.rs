//! Payload validation of `POST /connections` and `PATCH /connections/{id}`, after the OAS
//! schemas `CreateConnectionRequestContent` and `UpdateConnectionRequestContent` (both
//! `additionalProperties: false`), answering with Auth0's z-schema style messages
//! (`Payload validation error: '<detail>' on property <path>.`).

use serde_json::{Map, Value};

use super::errors::ApiError;

/// Which request body is being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// `CreateConnectionRequestContent`.
    Create,
    /// `UpdateConnectionRequestContent`: no `name`/`strategy`, at least one property,
    /// `options` and `enabled_clients` may be null.
    Update,
}

/// The connection name pattern of the OAS (`CreateConnectionRequestContent.name`).
pub(crate) const NAME_PATTERN: &str = "^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$";

/// Top-level fields of the create body (OAS `CreateConnectionRequestContent`).
const CREATE_FIELDS: &[&str] = &[
    "name",
    "display_name",
    "strategy",
    "options",
    "enabled_clients",
    "is_domain_connection",
    "show_as_button",
    "realms",
    "metadata",
    "authentication",
    "connected_accounts",
    "cross_app_access_requesting_app",
];

/// Strategies accepted on create (OAS `ConnectionIdentityProviderEnum`).
pub(crate) const CREATE_STRATEGIES: &[&str] = &[
    "ad",
    "adfs",
    "amazon",
    "apple",
    "dropbox",
    "bitbucket",
    "auth0-oidc",
    "auth0",
    "baidu",
    "bitly",
    "box",
    "custom",
    "daccount",
    "dwolla",
    "email",
    "evernote-sandbox",
    "evernote",
    "exact",
    "facebook",
    "fitbit",
    "github",
    "google-apps",
    "google-oauth2",
    "instagram",
    "ip",
    "line",
    "linkedin",
    "oauth1",
    "oauth2",
    "office365",
    "oidc",
    "okta",
    "paypal",
    "paypal-sandbox",
    "pingfederate",
    "planningcenter",
    "salesforce-community",
    "salesforce-sandbox",
    "salesforce",
    "samlp",
    "sharepoint",
    "shopify",
    "shop",
    "sms",
    "soundcloud",
    "thirtysevensignals",
    "twitter",
    "untappd",
    "vkontakte",
    "waad",
    "weibo",
    "windowslive",
    "wordpress",
    "yahoo",
    "yandex",
];

/// The list filter accepts one more strategy than create (OAS `ConnectionStrategyEnum`).
pub(crate) fn is_list_strategy(strategy: &str) -> bool {
    strategy == "auth0-adldap" || CREATE_STRATEGIES.contains(&strategy)
}

/// Checks a request body against the create or update schema.
pub(crate) fn validate_body(body: &Value, kind: BodyKind) -> Result<(), ApiError> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::payload(
            &format!("Expected type object but found type {}", type_name(body)),
            None,
        ));
    };
    if kind == BodyKind::Create {
        for required in ["name", "strategy"] {
            if !object.contains_key(required) {
                return Err(ApiError::payload(
                    &format!("Missing required property: {required}"),
                    None,
                ));
            }
        }
    }
    let allowed = |key: &str| match kind {
        BodyKind::Create => CREATE_FIELDS.contains(&key),
        BodyKind::Update => key != "name" && key != "strategy" && CREATE_FIELDS.contains(&key),
    };
    let unknown: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| !allowed(k))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::payload(
            &format!("Additional properties not allowed: {}", unknown.join(",")),
            None,
        ));
    }
    if kind == BodyKind::Update && object.is_empty() {
        return Err(ApiError::payload(
            "Too few properties defined (0), minimum 1",
            None,
        ));
    }
    for (key, value) in object {
        validate_field(key, value, kind)?;
    }
    Ok(())
}

fn validate_field(key: &str, value: &Value, kind: BodyKind) -> Result<(), ApiError> {
    let nullable = kind == BodyKind::Update;
    match key {
        "name" => {
            let name = expect_string(value, key)?;
            check_max_len(name, 128, key)?;
            if !is_valid_name(name) {
                return Err(ApiError::payload(
                    &format!("String does not match pattern {NAME_PATTERN}: {name}"),
                    Some(key),
                ));
            }
        }
        "display_name" => {
            check_max_len(expect_string(value, key)?, 128, key)?;
        }
        "strategy" => {
            let strategy = expect_string(value, key)?;
            if !CREATE_STRATEGIES.contains(&strategy) {
                return Err(ApiError::payload(
                    &format!("No enum match for: \"{strategy}\""),
                    Some(key),
                ));
            }
        }
        "options" if !(value.is_object() || (nullable && value.is_null())) => {
            return Err(type_error(value, "object", key));
        }
        "enabled_clients" if !(nullable && value.is_null()) => {
            string_array(value, key)?;
        }
        "is_domain_connection" | "show_as_button" => expect_bool(value, key)?,
        "realms" => {
            let realms = string_array(value, key)?;
            // reference/auth0.md §1.2: realms 0-10 items.
            if realms.len() > 10 {
                return Err(ApiError::payload(
                    &format!("Array is too long ({}), maximum 10", realms.len()),
                    Some(key),
                ));
            }
        }
        "metadata" => validate_metadata(value)?,
        "authentication" | "cross_app_access_requesting_app" => {
            validate_purpose(value, key, &["active"])?;
        }
        "connected_accounts" => validate_purpose(value, key, &["active", "cross_app_access"])?,
        _ => {}
    }
    Ok(())
}

/// The mapping options of a `strategy`'s `options` against the OAS schemas:
/// `ConnectionAttributeMapOIDC` / `ConnectionAttributeMapOkta` (`mapping_mode` enum per
/// strategy, `userinfo_scope` at most 255 characters, `attributes` an object) and
/// `ConnectionFieldsMapSAML` (at most 44 fields, each a name of at most 2048 characters or at
/// most 4 such names).
pub(crate) fn validate_mapping(strategy: &str, options: &Value) -> Result<(), ApiError> {
    let modes: &[&str] = match strategy {
        "oidc" => &["bind_all", "use_map"],
        "okta" => &["basic_profile", "use_map"],
        "samlp" => &[],
        _ => return Ok(()),
    };
    if strategy == "samlp" {
        let Some(fields) = options.get("fieldsMap") else {
            return Ok(());
        };
        let path = "options.fieldsMap";
        let Some(fields) = fields.as_object() else {
            return Err(type_error(fields, "object", path));
        };
        if fields.len() > 44 {
            return Err(ApiError::payload(
                &format!("Too many properties defined ({}), maximum 44", fields.len()),
                Some(path),
            ));
        }
        for (field, value) in fields {
            let path = format!("{path}.{field}");
            match value {
                Value::String(name) => check_max_len(name, 2048, &path)?,
                Value::Array(names) => {
                    if names.len() > 4 {
                        return Err(ApiError::payload(
                            &format!("Array is too long ({}), maximum 4", names.len()),
                            Some(&path),
                        ));
                    }
                    for (i, name) in names.iter().enumerate() {
                        let path = format!("{path}[{i}]");
                        check_max_len(expect_string(name, &path)?, 2048, &path)?;
                    }
                }
                other => return Err(type_error(other, "string,array", &path)),
            }
        }
        return Ok(());
    }
    let Some(map) = options.get("attribute_map") else {
        return Ok(());
    };
    let path = "options.attribute_map";
    let Some(map) = map.as_object() else {
        return Err(type_error(map, "object", path));
    };
    if let Some(mode) = map.get("mapping_mode") {
        let mode_path = format!("{path}.mapping_mode");
        let mode = expect_string(mode, &mode_path)?;
        if !modes.contains(&mode) {
            return Err(ApiError::payload(
                &format!("No enum match for: \"{mode}\""),
                Some(&mode_path),
            ));
        }
    }
    if let Some(scope) = map.get("userinfo_scope") {
        let scope_path = format!("{path}.userinfo_scope");
        check_max_len(expect_string(scope, &scope_path)?, 255, &scope_path)?;
    }
    if let Some(attributes) = map.get("attributes")
        && !attributes.is_object()
    {
        return Err(type_error(
            attributes,
            "object",
            &format!("{path}.attributes"),
        ));
    }
    Ok(())
}

/// The name rule of the OAS pattern, without a regex engine: ASCII letters and digits, single
/// inner hyphens, starting and ending with a letter or digit.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && !name.contains("--")
}

/// OAS `ConnectionsMetadata`: at most 10 keys, values string (≤255) or null.
fn validate_metadata(value: &Value) -> Result<(), ApiError> {
    let Some(map) = value.as_object() else {
        return Err(type_error(value, "object", "metadata"));
    };
    if map.len() > 10 {
        return Err(ApiError::payload(
            &format!("Too many properties defined ({}), maximum 10", map.len()),
            Some("metadata"),
        ));
    }
    for (key, entry) in map {
        let path = format!("metadata.{key}");
        match entry {
            Value::Null => {}
            Value::String(s) => check_max_len(s, 255, &path)?,
            other => return Err(type_error(other, "string", &path)),
        }
    }
    Ok(())
}

/// `{active: bool}` objects (OAS `ConnectionAuthenticationPurpose` and friends):
/// `active` required, every field boolean, nothing else.
fn validate_purpose(value: &Value, key: &str, fields: &[&str]) -> Result<(), ApiError> {
    let Some(map) = value.as_object() else {
        return Err(type_error(value, "object", key));
    };
    if !map.contains_key("active") {
        return Err(ApiError::payload(
            "Missing required property: active",
            Some(key),
        ));
    }
    let unknown: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !fields.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::payload(
            &format!("Additional properties not allowed: {}", unknown.join(",")),
            Some(key),
        ));
    }
    for (field, flag) in map {
        expect_bool(flag, &format!("{key}.{field}"))?;
    }
    Ok(())
}

fn expect_string<'a>(value: &'a Value, path: &str) -> Result<&'a str, ApiError> {
    value
        .as_str()
        .ok_or_else(|| type_error(value, "string", path))
}

fn expect_bool(value: &Value, path: &str) -> Result<(), ApiError> {
    if value.is_boolean() {
        Ok(())
    } else {
        Err(type_error(value, "boolean", path))
    }
}

fn string_array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, ApiError> {
    let Some(items) = value.as_array() else {
        return Err(type_error(value, "array", path));
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_string() {
            return Err(type_error(item, "string", &format!("{path}[{i}]")));
        }
    }
    Ok(items)
}

fn check_max_len(s: &str, max: usize, path: &str) -> Result<(), ApiError> {
    let len = s.chars().count();
    if len > max {
        return Err(ApiError::payload(
            &format!("String is too long ({len} chars), maximum {max}"),
            Some(path),
        ));
    }
    Ok(())
}

fn type_error(value: &Value, expected: &str, path: &str) -> ApiError {
    ApiError::payload(
        &format!(
            "Expected type {expected} but found type {}",
            type_name(value)
        ),
        Some(path),
    )
}

/// JSON Schema's name of a value's type.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The body as a JSON object (only called after [`validate_body`] succeeded).
pub(crate) fn as_object(body: Value) -> Map<String, Value> {
    match body {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn name_rule_matches_the_oas_pattern() {
        for ok in ["a", "A1", "acme-corp", "a-b-c", "0x"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "a_b", "a.b", "a b", "é"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn update_rejects_name_and_strategy_and_empty_bodies() {
        assert!(validate_body(&json!({"name": "x"}), BodyKind::Update).is_err());
        assert!(validate_body(&json!({"strategy": "oidc"}), BodyKind::Update).is_err());
        assert!(validate_body(&json!({}), BodyKind::Update).is_err());
        assert!(validate_body(&json!({"options": null}), BodyKind::Update).is_ok());
        assert!(validate_body(&json!({"options": null}), BodyKind::Create).is_err());
    }

    #[test]
    fn purpose_objects_need_active() {
        let err = validate_body(
            &json!({"name": "a", "strategy": "oidc", "authentication": {}}),
            BodyKind::Create,
        );
        assert_eq!(err.unwrap_err().status().as_u16(), 400);
    }
}
