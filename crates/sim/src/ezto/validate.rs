//! Keycloak's checks on an identity provider before it is stored.
//!
//! Each refusal is the answer Keycloak gives (Keycloak
//! `ReservedCharValidator`, `RepresentationToModel.toModel`, `OAuth2IdentityProviderConfig`,
//! `OIDCIdentityProviderConfig` and `SAMLIdentityProviderConfig` `validate`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use axum::http::StatusCode;

use super::errors::{self, Refusal};

/// The provider ids a stock Keycloak registers. `apple` and other community
/// extensions are added per simulator with `EztoSim::with_provider_id`.
pub(crate) const BUILT_IN_PROVIDER_IDS: &[&str] = &[
    "oidc",
    "keycloak-oidc",
    "saml",
    "google",
    "github",
    "microsoft",
    "facebook",
    "gitlab",
    "bitbucket",
    "linkedin-openid-connect",
    "instagram",
    "openshift-v3",
    "openshift-v4",
    "paypal",
    "stackoverflow",
    "twitter",
];

/// The authentication flows every Keycloak realm is created with; broker flow aliases must
/// name one of them.
const BUILT_IN_FLOWS: &[&str] = &[
    "browser",
    "direct grant",
    "registration",
    "reset credentials",
    "clients",
    "first broker login",
    "docker auth",
];

/// `ReservedCharValidator.validateNoSpace`: whitespace first, then the URI-reserved characters.
/// Its exception is a `BadRequestException`, so the body is `{"error": message}`.
pub(crate) fn alias_characters(alias: &str) -> Result<(), Refusal> {
    if alias.chars().any(char::is_whitespace) {
        return Err(errors::error(
            StatusCode::BAD_REQUEST,
            "Empty Space not allowed.",
        ));
    }
    const RESERVED: &str = ":/?#@!$&()*+,;=[]\\";
    if let Some(c) = alias.chars().find(|c| RESERVED.contains(*c)) {
        return Err(errors::error(
            StatusCode::BAD_REQUEST,
            format!("Character '{c}' not allowed."),
        ));
    }
    Ok(())
}

/// `Invalid identity provider id [x]` (`[null]` when absent), an `IllegalArgumentException`
/// answered as `{"errorMessage"}` 400.
pub(crate) fn invalid_provider_id(provider_id: Option<&str>) -> Refusal {
    errors::error_message(
        StatusCode::BAD_REQUEST,
        format!(
            "Invalid identity provider id [{}]",
            provider_id.unwrap_or("null")
        ),
    )
}

/// A broker flow alias must name an existing flow. Keycloak throws a `ModelException`
/// ("No available authentication flow with alias: x"); the status it surfaces as is not
/// documented ([inferred] 400).
pub(crate) fn flow_alias(alias: &str) -> Result<(), Refusal> {
    if BUILT_IN_FLOWS.contains(&alias) {
        Ok(())
    } else {
        Err(errors::error_message(
            StatusCode::BAD_REQUEST,
            format!("No available authentication flow with alias: {alias}"),
        ))
    }
}

/// The URL checks of the provider's config class, run on create and on update. The realm's
/// `sslRequired` is `external` (Keycloak's default), so `http` is accepted for local and
/// private hosts only.
pub(crate) fn config_urls(
    provider_id: &str,
    config: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    let checks: &[(&str, &str)] = if provider_id == "saml" {
        &[
            ("singleSignOnServiceUrl", "singleSignOnServiceUrl"),
            ("singleLogoutServiceUrl", "singleLogoutServiceUrl"),
            (
                "artifactResolutionServiceUrl",
                "artifactResolutionServiceUrl",
            ),
        ]
    } else if provider_id == "oidc" || provider_id == "keycloak-oidc" {
        &[
            ("authorizationUrl", "authorization_url"),
            ("tokenUrl", "token_url"),
            ("userInfoUrl", "userinfo_url"),
            ("jwksUrl", "jwks_url"),
            ("logoutUrl", "logout_url"),
        ]
    } else {
        &[
            ("authorizationUrl", "authorization_url"),
            ("tokenUrl", "token_url"),
            ("userInfoUrl", "userinfo_url"),
        ]
    };
    for (key, name) in checks {
        if let Some(value) = config.get(*key) {
            check_url(value, name)?;
        }
    }
    Ok(())
}

/// `SAMLIdentityProviderConfig.validate`'s rules besides URLs: metadata from a URL needs the URL,
/// and a transient NameID cannot identify users when the principal is the subject (the default).
pub(crate) fn saml_config(config: &BTreeMap<String, String>) -> Result<(), Refusal> {
    let refuse = |message: &str| Err(errors::error_message(StatusCode::BAD_REQUEST, message));
    let use_url = config
        .get("useMetadataDescriptorUrl")
        .is_some_and(|v| v == "true");
    let url_blank = config
        .get("metadataDescriptorUrl")
        .is_none_or(|v| v.trim().is_empty());
    if use_url && url_blank {
        return refuse("useMetadataDescriptorUrl needs a non-empty URL for metadataDescriptorUrl");
    }
    let transient = config.get("nameIDPolicyFormat").map(String::as_str)
        == Some("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
    let subject = config.get("principalType").is_none_or(|v| v == "SUBJECT");
    if transient && subject {
        return refuse(
            "Can not have Transient NameID Policy Format together with SUBJECT Principal Type",
        );
    }
    Ok(())
}

/// `IdentityProviderModel.checkUrl`.
fn check_url(value: &str, name: &str) -> Result<(), Refusal> {
    let refuse = |message: String| Err(errors::error_message(StatusCode::BAD_REQUEST, message));
    let Ok(url) = url::Url::parse(value) else {
        return refuse(format!("The url [{name}] is malformed"));
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_local(&url) => Ok(()),
        "http" => refuse(format!("The url [{name}] requires secure connections")),
        _ => refuse(format!("Invalid protocol/scheme for url [{name}]")),
    }
}

/// `SslRequired.EXTERNAL`: loopback, any-local and site-local (private) addresses need no TLS.
fn is_local(url: &url::Url) -> bool {
    let ip = match url.host() {
        Some(url::Host::Domain(d)) => return d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        None => return false,
    };
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_unspecified(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.is_unspecified(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_refusals_name_the_character() {
        assert!(alias_characters("acme-sso_1.x").is_ok());
        assert!(alias_characters("a b").is_err());
        assert!(alias_characters("a/b").is_err());
    }

    #[test]
    fn urls_need_tls_off_the_local_network() {
        let cfg = |v: &str| BTreeMap::from([("tokenUrl".to_string(), v.to_string())]);
        assert!(config_urls("oidc", &cfg("https://idp.example.com/t")).is_ok());
        assert!(config_urls("oidc", &cfg("http://127.0.0.1:9/t")).is_ok());
        assert!(config_urls("oidc", &cfg("http://10.0.0.5/t")).is_ok());
        assert!(config_urls("oidc", &cfg("http://idp.example.com/t")).is_err());
        assert!(config_urls("oidc", &cfg("not a url")).is_err());
        assert!(config_urls("saml", &cfg("http://idp.example.com/t")).is_ok());
    }
}
