//! Local checks that backends share. Each failure is an [`Error::InvalidInput`] naming the field.

use std::fmt;

use crate::error::{Error, Result};
use crate::policy::Loss;

mod urls;

pub use self::urls::{check_http_url, check_https_url, http_url, https_url, is_loopback};

/// Checks that `value` is not empty and at most `max` characters long.
pub fn length(field: &str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    // Counting characters walks the string; no more bytes than `max` means no more characters.
    if value.len() <= max {
        return Ok(());
    }
    let len = value.chars().count();
    if len > max {
        return Err(Error::invalid(
            field,
            format!("is {len} characters long; the most allowed is {max}"),
        ));
    }
    Ok(())
}

/// Checks a connection name: not empty, at most `max` characters, and every character accepted
/// by `allowed`. `rule` describes the accepted characters for the error.
pub fn name(
    field: &str,
    value: &str,
    max: usize,
    allowed: fn(char) -> bool,
    rule: &str,
) -> Result<()> {
    length(field, value, max)?;
    if let Some(bad) = value.chars().find(|c| !allowed(*c)) {
        return Err(Error::invalid(
            field,
            format!("\"{value}\" contains {bad:?}; {rule}"),
        ));
    }
    Ok(())
}

/// Refuses an update that changes a field the vendor cannot change in place (a name, a kind,
/// a parent): `what` says whose field it is ("an Auth0 connection's strategy"); the error
/// names `field` and shows both values.
pub fn unchanged<T: PartialEq + fmt::Display + ?Sized>(
    field: &str,
    what: &str,
    current: &T,
    desired: &T,
) -> Result<()> {
    if current == desired {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!(
            "{what} cannot change (\"{current}\" to \"{desired}\"); delete it and create a new one instead"
        ),
    ))
}

/// Whether a JSON key or header name may hold a secret (`client_secret`, `access_token`,
/// `password`, `client_assertion`, `private_key`, `Authorization`, `credentials`, ...): the
/// value behind it is never shown. Broad on purpose, for hiding: it also matches keys such
/// as `token_endpoint` whose values are URLs, so it does not suit deciding which values to
/// *drop* where dropping loses data.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "secret",
        "token",
        "password",
        "assertion",
        "private",
        "authorization",
        "credential",
    ]
    .iter()
    .any(|word| key.contains(word))
}

/// The one deterministic rewrite of a name into a vendor's allowed characters: every run of
/// disallowed characters becomes one `-`, leading and trailing hyphens go, and the result is
/// cut to `max` characters (`acme_corp.sso` becomes `acme-corp-sso`). A migration matches
/// source to target on this rewritten name, so a re-run finds what the first run created.
pub fn rewrite_name(value: &str, max: usize, allowed: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if allowed(c) && c != '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_matches('-').chars().take(max).collect();
    let trimmed = trimmed.trim_end_matches('-').to_string();
    if trimmed.is_empty() {
        "connection".to_string()
    } else {
        trimmed
    }
}

/// The name a vendor will hold: `name` itself when the vendor `holds` it, otherwise its
/// [`rewrite_name`] with the loss that reports the change (`why`: the vendor's rule), so that
/// strict refuses and lenient proceeds on the rewritten name.
pub fn fit_name(
    name: &str,
    holds: bool,
    max: usize,
    allowed: fn(char) -> bool,
    why: &str,
) -> (String, Option<Loss>) {
    if holds {
        return (name.to_string(), None);
    }
    let rewritten = rewrite_name(name, max, allowed);
    let loss = Loss::changed("name", name, rewritten.clone(), why);
    (rewritten, Some(loss))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth0_char(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '-'
    }

    #[test]
    fn rewrite_is_deterministic_and_valid() {
        assert_eq!(
            rewrite_name("acme_corp.sso", 128, auth0_char),
            "acme-corp-sso"
        );
        assert_eq!(rewrite_name("__a  b__", 128, auth0_char), "a-b");
        assert_eq!(rewrite_name("a--b", 128, auth0_char), "a-b");
        assert_eq!(rewrite_name("abcdef", 3, auth0_char), "abc");
        assert_eq!(rewrite_name("ab_cdef", 3, auth0_char), "ab");
        assert_eq!(rewrite_name("___", 10, auth0_char), "connection");
    }

    #[test]
    fn a_name_is_kept_when_held_and_rewritten_with_a_loss_otherwise() {
        assert_eq!(
            fit_name("acme-sso", true, 128, auth0_char, "rule"),
            ("acme-sso".to_string(), None)
        );
        let (name, loss) = fit_name("acme_corp.sso", false, 128, auth0_char, "the rule");
        assert_eq!(name, "acme-corp-sso");
        let loss = loss.expect("a rewrite is a loss");
        assert_eq!(
            (
                loss.field.as_str(),
                loss.source.as_str(),
                loss.target.as_str()
            ),
            ("name", "acme_corp.sso", "acme-corp-sso")
        );
        assert_eq!(loss.reason, "the rule");
    }

    #[test]
    fn name_errors_name_the_field_and_character() {
        let err = name("name", "a b", 10, auth0_char, "letters only").unwrap_err();
        assert!(err.to_string().contains("invalid name"), "{err}");
        assert!(err.to_string().contains("' '"), "{err}");
        let err = length("display_name", &"x".repeat(129), 128).unwrap_err();
        assert!(err.to_string().contains("129"), "{err}");
    }

    #[test]
    fn unchanged_fields_pass_and_changed_ones_name_field_and_values() {
        assert!(unchanged("name", "a connection's name", "a", "a").is_ok());
        let err = unchanged("kind", "an Auth0 connection's strategy", "oidc", "samlp").unwrap_err();
        match err {
            Error::InvalidInput { field, reason } => {
                assert_eq!(field, "kind");
                assert_eq!(
                    reason,
                    "an Auth0 connection's strategy cannot change (\"oidc\" to \"samlp\"); \
                     delete it and create a new one instead"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn secret_looking_keys() {
        for key in [
            "client_secret",
            "clientSecret",
            "access_token",
            "Authorization",
            "client_assertion",
            "private_key",
            "password",
            "credentials",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["client_id", "name", "scope", "issuer"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }
}
