//! Local validation before any request: the limits of the OAS request schemas.

use idconn_core::{Connection, Error, Result, Settings, validate};

/// The longest name (OAS `CreateConnectionRequestContent.name`).
pub const NAME_MAX: usize = 128;
/// The longest display name.
pub const DISPLAY_NAME_MAX: usize = 128;
/// The most realms.
pub const MAX_REALMS: usize = 10;

/// The rule in words, for errors and losses.
pub const NAME_RULE: &str =
    "Auth0 names hold letters, digits and single inner hyphens, at most 128 characters";

/// The characters a name may hold, hyphens aside (`^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$`).
pub fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Whether Auth0 accepts `name` as it is: letters and digits, single inner hyphens, at most
/// 128 characters.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            name.len() <= NAME_MAX
                && first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                && !name.contains("--")
        }
        _ => false,
    }
}

/// Lengths, URLs and counts of a connection, each failure naming the field.
pub(crate) fn check(connection: &Connection) -> Result<()> {
    validate::length("name", &connection.name, usize::MAX)?;
    if let Some(display_name) = &connection.display_name {
        validate::length("display_name", display_name, DISPLAY_NAME_MAX)?;
    }
    if connection.domains.len() > MAX_REALMS {
        return Err(Error::invalid(
            "domains",
            format!(
                "has {} entries; Auth0 keeps at most {MAX_REALMS} realms",
                connection.domains.len()
            ),
        ));
    }
    for (i, domain) in connection.domains.iter().enumerate() {
        validate::length(&format!("domains[{i}]"), domain, 255)?;
    }
    if let Some(logo) = &connection.logo_url {
        // OAS ConnectionIconUrl: https only, 8-255 characters.
        validate::length("logo_url", logo, 255)?;
        let url = validate::https_url("logo_url", logo)?;
        if url.scheme() != "https" {
            return Err(Error::invalid(
                "logo_url",
                "Auth0 requires an https icon URL",
            ));
        }
    }
    match &connection.settings {
        Settings::OAuth(s) => {
            if let Some(id) = &s.client_id {
                validate::length("settings.client_id", id, 255)?;
            }
            if let Some(secret) = s.client_secret.expose() {
                // OAS ConnectionClientSecretOIDC: at most 700.
                if secret.chars().count() > 700 {
                    return Err(Error::invalid(
                        "settings.client_secret",
                        "is longer than the 700 characters Auth0 accepts",
                    ));
                }
            }
            for (field, value, max) in [
                ("settings.issuer", &s.issuer, 255),
                ("settings.discovery_url", &s.discovery_url, 255),
                ("settings.authorization_url", &s.authorization_url, 2083),
                ("settings.token_url", &s.token_url, 2083),
                ("settings.userinfo_url", &s.userinfo_url, 2083),
                ("settings.jwks_url", &s.jwks_url, 2083),
            ] {
                if let Some(url) = value {
                    web_url(field, url, max)?;
                }
            }
        }
        Settings::Saml(s) => {
            for (field, value) in [
                ("settings.sign_in_url", &s.sign_in_url),
                ("settings.sign_out_url", &s.sign_out_url),
            ] {
                if let Some(url) = value {
                    web_url(field, url, 2048)?;
                }
            }
            if let Some(entity) = &s.sp_entity_id {
                validate::length("settings.sp_entity_id", entity, 128)?;
            }
        }
        // Directory settings have no length limits; other protocols are refused by the mapping.
        _ => {}
    }
    Ok(())
}

/// OAS `ConnectionHttpsUrlWithHttpFallback`: an absolute http(s) URL of bounded length.
fn web_url(field: &str, value: &str, max: usize) -> Result<()> {
    validate::length(field, value, max)?;
    // http(s) URLs always have a host (the url crate refuses them without one).
    validate::check_http_url(field, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rule_matches_the_oas_pattern() {
        for ok in ["a", "acme-sso", "A1-b2", &"a".repeat(128)] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "a_b", "a.b", &"a".repeat(129)] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
