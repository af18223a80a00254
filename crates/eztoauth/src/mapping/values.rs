//! Keycloak config values are all strings (`"true"`, `"60"`, space-separated scopes):
//! the conversions to and from the model's types.

use idconn_core::{Error, Result, Vendor};

use crate::wire::Config;

/// A config flag: `"true"` or `"false"`; absent is `None`; anything else is a decode error
/// naming the key.
pub(crate) fn flag(config: &Config, key: &str) -> Result<Option<bool>> {
    match config.get(key) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(bad_value(
            &format!("config.{key}"),
            "expected the string \"true\" or \"false\"",
            other,
        )),
    }
}

/// A flag as Keycloak stores it.
pub(crate) fn flag_text(value: bool) -> String {
    if value { "true" } else { "false" }.to_string()
}

/// `defaultScope` is one space-separated string; the model holds a list.
pub(crate) fn split_scopes(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// The list as one space-separated string.
pub(crate) fn join_scopes(scopes: &[String]) -> String {
    scopes.join(" ")
}

/// A config value that does not decode, found by the readers `from_wire` calls. It catches every
/// one: the value is set aside with a note, or the read fails with [`decode`] under the vendor
/// that served it, so the vendor named here never reaches a caller.
pub(crate) fn bad_value(path: &str, message: &str, excerpt: &str) -> Error {
    decode(Vendor::Ezto, path, message, excerpt)
}

/// A response that does not have the expected shape at `path`.
pub(crate) fn decode(vendor: Vendor, path: &str, message: &str, excerpt: &str) -> Error {
    Error::Decode {
        vendor,
        path: path.to_string(),
        message: message.to_string(),
        excerpt: excerpt.chars().take(80).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_strict_and_name_the_key() {
        let mut config = Config::default();
        config.0.insert("pkceEnabled".into(), "true".into());
        assert_eq!(flag(&config, "pkceEnabled").unwrap(), Some(true));
        assert_eq!(flag(&config, "absent").unwrap(), None);
        config.0.insert("pkceEnabled".into(), "yes".into());
        let err = flag(&config, "pkceEnabled").unwrap_err();
        assert!(err.to_string().contains("config.pkceEnabled"), "{err}");
    }

    #[test]
    fn scopes_split_on_any_whitespace() {
        assert_eq!(
            split_scopes(" openid  email\tprofile "),
            ["openid", "email", "profile"]
        );
        assert_eq!(
            join_scopes(&["openid".into(), "email".into()]),
            "openid email"
        );
    }
}
