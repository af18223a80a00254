//! Typed reads of JSON already held as a [`Value`] (a vendor's `options` object): the failure
//! names the path of the first bad field, and never quotes a value under a secret-looking key.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::{Path, Segment};

use crate::validate::is_secret_key;

/// Why a JSON value does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// Where, from the value's root (`scope`, `connection_settings.pkce`; `.` for the root).
    pub path: String,
    /// What serde found wrong; without the value when the path passes a secret-looking key.
    pub message: String,
}

/// Deserializes `value` into `T`.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, PathError> {
    from_ref(&value)
}

/// Deserializes `value` into `T`, leaving `value` to the caller (who may keep it verbatim when
/// it does not fit).
pub fn from_ref<T: DeserializeOwned>(value: &Value) -> Result<T, PathError> {
    // The plain borrowed deserializer first: it is several times faster than one tracking the
    // path, and this runs for every connection read or written. Only a failure is decoded again
    // to name where it went wrong.
    if let Ok(typed) = T::deserialize(value) {
        return Ok(typed);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let message = if touches_secret(e.path()) {
            "invalid value (not shown: secret field)".to_owned()
        } else {
            e.inner().to_string()
        };
        PathError {
            path: e.path().to_string(),
            message,
        }
    })
}

/// The message of an error at `path` inside a value serde handed over whole (the content of an
/// internally tagged enum, where serde's own path tracking stops): `at `path`: message`.
/// A reader of the outer error joins the two paths with [`split_nested`].
pub fn nested_error(path: &str, message: &str) -> String {
    format!("at `{path}`: {message}")
}

/// The inner path and the rest of a message made by [`nested_error`], if it is one.
pub fn split_nested(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("at `")?;
    rest.split_once("`: ")
}

/// Whether any key on `path` may hold a secret, so that serde's message (which quotes the
/// offending value) must not be shown.
pub(crate) fn touches_secret(path: &Path) -> bool {
    path.iter().any(|segment| match segment {
        Segment::Map { key } => is_secret_key(key),
        Segment::Enum { variant } => is_secret_key(variant),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Options {
        #[serde(default)]
        scope: Option<String>,
        #[serde(default)]
        client_secret: Option<String>,
    }

    #[test]
    fn a_fitting_value_reads() {
        let options: Options =
            from_value(json!({"scope": "openid", "client_secret": "s"})).unwrap();
        assert_eq!(options.scope.as_deref(), Some("openid"));
        assert_eq!(options.client_secret.as_deref(), Some("s"));
    }

    #[test]
    fn a_misfit_names_its_path_and_hides_secret_values() {
        let err = from_value::<Options>(json!({"scope": 42})).unwrap_err();
        assert_eq!(err.path, "scope");
        assert!(err.message.contains("42"), "{}", err.message);
        let err = from_value::<Options>(json!({"client_secret": 123456789})).unwrap_err();
        assert_eq!(err.path, "client_secret");
        assert!(!err.message.contains("123456789"), "{}", err.message);
    }
}
