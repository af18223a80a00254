//! Local checks that backends share. Each failure is an [`Error::InvalidInput`] naming the field.

use std::borrow::Cow;
use std::fmt;

use crate::error::{Error, Result};
use crate::model::{Connection, Settings};
use crate::policy::Loss;

mod urls;

pub use self::urls::{check_http_url, check_https_url, http_url, https_url, is_loopback};

/// Checks that the upstream endpoints of `connection` (OAuth discovery, issuer, authorization,
/// token, userinfo and JWKS; SAML sign-in and sign-out) are https URLs. Plain `http://` is
/// accepted for loopback hosts, and for any host when `allow_http` (the policy's explicit
/// [`allow_insecure_endpoints`](crate::Policy::allow_insecure_endpoints)); the vendor sends
/// the upstream client secret and users' tokens to these URLs.
pub fn upstream_endpoints(connection: &Connection, allow_http: bool) -> Result<()> {
    let endpoints: Vec<(&str, &Option<String>)> = match &connection.settings {
        Settings::OAuth(s) => vec![
            ("settings.discovery_url", &s.discovery_url),
            ("settings.issuer", &s.issuer),
            ("settings.authorization_url", &s.authorization_url),
            ("settings.token_url", &s.token_url),
            ("settings.userinfo_url", &s.userinfo_url),
            ("settings.jwks_url", &s.jwks_url),
        ],
        Settings::Saml(s) => vec![
            ("settings.sign_in_url", &s.sign_in_url),
            ("settings.sign_out_url", &s.sign_out_url),
        ],
        Settings::Directory(_) | Settings::None => Vec::new(),
    };
    for (field, value) in endpoints {
        let Some(value) = value else { continue };
        let plain_http = value
            .get(..7)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
        // The issuer is an identifier that is usually, not always, a URL: only its scheme counts.
        if field == "settings.issuer" && !plain_http {
            continue;
        }
        if plain_http {
            let url = http_url(field, value)?;
            if allow_http || is_loopback(&url) {
                continue;
            }
            return Err(Error::invalid(
                field,
                format!(
                    "{} uses plain http; the vendor would send the client secret and users' \
                     tokens there in clear text. Use https, or allow insecure endpoints \
                     explicitly (--allow-insecure-endpoints)",
                    quoted(value)
                ),
            ));
        }
    }
    Ok(())
}

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
            format!("{} contains {bad:?}; {rule}", quoted(value)),
        ));
    }
    Ok(())
}

/// The characters a vendor reads as URL syntax when a name is placed in a request path
/// (Keycloak addresses an identity provider by its alias): a path separator either way, the
/// start of a query or fragment, and the escape character.
pub const PATH_SYNTAX_CHARS: [char; 5] = ['/', '\\', '?', '#', '%'];

/// The rule [`addressable_name`] enforces, in words.
pub const ADDRESSABLE_NAME_RULE: &str = "a connection name must not be `.` or `..` and must not contain `/`, `\\`, `?`, `#` or `%`, which vendors read as URL path syntax";

/// The longest name idconn accepts for any vendor (none holds more than 255 characters); a
/// longer one is refused before anything else looks at it, so no message repeats it whole.
pub const NAME_LIMIT: usize = 1024;

/// Refuses a name no vendor can address safely: `.` and `..` (a URL path resolves them
/// away, so such a record could be created but never read back or deleted by its name), names
/// with [`PATH_SYNTAX_CHARS`], and names over [`NAME_LIMIT`] characters. Every backend calls it
/// (through [`fit_name`]) before any request, whatever the policy: a rewrite would only move
/// the problem onto another name.
pub fn addressable_name(field: &str, value: &str) -> Result<()> {
    if value.len() > NAME_LIMIT && value.chars().count() > NAME_LIMIT {
        return Err(Error::invalid(
            field,
            format!(
                "{} is {} characters long; the most any vendor holds is 255",
                quoted(value),
                value.chars().count()
            ),
        ));
    }
    let dot_segment = value == "." || value == "..";
    if dot_segment || value.contains(PATH_SYNTAX_CHARS) {
        return Err(Error::invalid(
            field,
            format!("{} is refused: {ADDRESSABLE_NAME_RULE}", quoted(value)),
        ));
    }
    Ok(())
}

/// `text` with every control character (escape sequences, CR, LF, tab, C1 controls) written
/// as a Rust-style escape (`\\u{1b}`, `\\n`), so that a name or a vendor's message printed
/// to a terminal or a table cannot forge lines or drive the terminal. Everything else is kept.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The longest value [`quoted`] shows, in characters.
const QUOTED_CHARS: usize = 64;

/// `value` in double quotes for a message: control characters and quotes escaped (so a value
/// cannot forge or erase output lines), cut after 64 characters with its full length noted.
pub fn quoted(value: &str) -> String {
    let mut shown: String = value.chars().take(QUOTED_CHARS).collect();
    let total = if shown.len() < value.len() {
        Some(value.chars().count())
    } else {
        None
    };
    shown = format!("{:?}", shown);
    if let Some(total) = total {
        shown.truncate(shown.len() - 1);
        shown.push_str(&format!("…\" ({total} characters)"));
    }
    shown
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
///
/// A name no vendor can address ([`addressable_name`]) is refused here, under every policy.
pub fn fit_name(
    name: &str,
    holds: bool,
    max: usize,
    allowed: fn(char) -> bool,
    why: &str,
) -> Result<(String, Option<Loss>)> {
    addressable_name("name", name)?;
    if holds {
        return Ok((name.to_string(), None));
    }
    let rewritten = rewrite_name(name, max, allowed);
    let loss = Loss::changed("name", name, rewritten.clone(), why);
    Ok((rewritten, Some(loss)))
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
            fit_name("acme-sso", true, 128, auth0_char, "rule").unwrap(),
            ("acme-sso".to_string(), None)
        );
        let (name, loss) = fit_name("acme_corp.sso", false, 128, auth0_char, "the rule").unwrap();
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
    fn names_vendors_would_route_as_paths_are_refused_with_the_rule() {
        for bad in [
            ".",
            "..",
            "a/b",
            "../victim",
            "victim?",
            "a#b",
            "100%",
            "a\\b",
        ] {
            let err = fit_name(bad, true, 128, auth0_char, "rule").unwrap_err();
            let text = err.to_string();
            assert!(text.starts_with("invalid name: "), "{text}");
            assert!(text.contains("URL path syntax"), "{text}");
        }
        for fine in ["...", ".a", "a.b", "acme sso"] {
            assert!(addressable_name("name", fine).is_ok(), "{fine}");
        }
        let huge = "x".repeat(1_000_000);
        let text = addressable_name("name", &huge).unwrap_err().to_string();
        assert!(
            text.len() < 300 && text.contains("1000000 characters"),
            "{text}"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_controls("plain ü"), "plain ü");
        assert_eq!(
            escape_controls("a\u{1b}[2J\r\nb\u{9b}"),
            "a\\u{1b}[2J\\r\\nb\\u{9b}"
        );
    }

    #[test]
    fn quoted_values_are_escaped_and_cut() {
        assert_eq!(quoted("a\u{1b}[2J\r\nb"), "\"a\\u{1b}[2J\\r\\nb\"");
        let long = quoted(&"y".repeat(500));
        assert!(
            long.ends_with("…\" (500 characters)") && long.len() < 100,
            "{long}"
        );
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
