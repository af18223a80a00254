//! OAuth-family settings (OIDC, social, custom OAuth providers) <-> `config` keys
//! (OAuth2IdentityProviderConfig, OIDCIdentityProviderConfig, Microsoft's
//! `tenantId`).

use std::collections::{BTreeMap, BTreeSet};

use idconn_core::{
    ClientAuthMethod, ClientSecret, ConnectionKind, Loss, OAuthSettings, OidcChannel, Result,
    validate,
};

use super::kind::{has_oidc_endpoints, kind_of};
use super::values::{flag, flag_text, join_scopes, split_scopes};
use crate::wire::{CLIENT_SECRET_KEY, Config, SECRET_MASK};

/// The OIDC endpoint keys, with the neutral field each holds. `metadataDescriptorUrl` is where
/// Keycloak's import-config records the discovery URL it read (common keys).
const ENDPOINT_KEYS: [(&str, &str); 6] = [
    ("issuer", "settings.issuer"),
    ("metadataDescriptorUrl", "settings.discovery_url"),
    ("authorizationUrl", "settings.authorization_url"),
    ("tokenUrl", "settings.token_url"),
    ("userInfoUrl", "settings.userinfo_url"),
    ("jwksUrl", "settings.jwks_url"),
];

/// Reads the settings of provider `provider_id` from `config`; returns them with the keys it
/// consumed (the rest belong in extras). A value that does not parse is a decode error naming
/// its key; an unknown `clientAuthMethod` is left unconsumed, so it survives in extras.
pub(crate) fn read(
    provider_id: &str,
    config: &Config,
) -> Result<(OAuthSettings, BTreeSet<&'static str>)> {
    let mut used = BTreeSet::new();
    let mut take = |key: &'static str| {
        let value = config.get(key).map(str::to_string);
        if value.is_some() {
            used.insert(key);
        }
        value
    };
    let mut settings = OAuthSettings {
        client_id: take("clientId"),
        client_secret: match take(CLIENT_SECRET_KEY) {
            None => ClientSecret::Absent,
            Some(mask) if mask == SECRET_MASK => ClientSecret::Masked,
            Some(value) => ClientSecret::known(value),
        },
        scopes: take("defaultScope")
            .map(|s| split_scopes(&s))
            .unwrap_or_default(),
        ..OAuthSettings::default()
    };
    if has_oidc_endpoints(provider_id) {
        settings.issuer = take("issuer");
        settings.discovery_url = take("metadataDescriptorUrl");
        settings.authorization_url = take("authorizationUrl");
        settings.token_url = take("tokenUrl");
        settings.userinfo_url = take("userInfoUrl");
        settings.jwks_url = take("jwksUrl");
    }
    if provider_id == "microsoft" {
        settings.tenant = take("tenantId");
    }
    if brokers_oidc(provider_id) {
        settings.channel = Some(OidcChannel::BackChannel);
    }
    settings.pkce = flag(config, "pkceEnabled")?;
    if settings.pkce.is_some() {
        used.insert("pkceEnabled");
    }
    if let Some(method) = config
        .get("clientAuthMethod")
        .and_then(ClientAuthMethod::parse)
    {
        settings.client_auth_method = Some(method);
        used.insert("clientAuthMethod");
    }
    Ok((settings, used))
}

/// Writes `settings` into `config` for provider `provider_id`, pushing a loss for each
/// field that provider cannot hold. URLs are checked first (https, or http to loopback).
pub(crate) fn write(
    provider_id: &str,
    settings: &OAuthSettings,
    config: &mut BTreeMap<String, String>,
    losses: &mut Vec<Loss>,
) -> Result<()> {
    for (field, value) in [
        ("settings.discovery_url", &settings.discovery_url),
        ("settings.authorization_url", &settings.authorization_url),
        ("settings.token_url", &settings.token_url),
        ("settings.userinfo_url", &settings.userinfo_url),
        ("settings.jwks_url", &settings.jwks_url),
    ] {
        if let Some(url) = value {
            validate::check_https_url(field, url)?;
        }
    }
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            config.insert(key.to_string(), value);
        }
    };
    put("clientId", settings.client_id.clone());
    put(
        CLIENT_SECRET_KEY,
        settings.client_secret.expose().map(str::to_string),
    );
    if !settings.scopes.is_empty() {
        put("defaultScope", Some(join_scopes(&settings.scopes)));
    }
    put(
        "clientAuthMethod",
        settings
            .client_auth_method
            .as_ref()
            .map(|m| m.as_str().to_string()),
    );
    put("pkceEnabled", settings.pkce.map(flag_text));
    if matches!(settings.client_secret, ClientSecret::Masked) {
        losses.push(Loss::changed(
            "settings.client_secret",
            "(masked)",
            "(none)",
            "the source did not reveal the secret's value; set it, then update",
        ));
    }

    let endpoint_values = [
        &settings.issuer,
        &settings.discovery_url,
        &settings.authorization_url,
        &settings.token_url,
        &settings.userinfo_url,
        &settings.jwks_url,
    ];
    if has_oidc_endpoints(provider_id) {
        for ((key, _), value) in ENDPOINT_KEYS.iter().zip(endpoint_values) {
            put(key, value.clone());
        }
        // Keycloak does not read a discovery document when a provider is saved: without explicit
        // endpoints it cannot send anyone to the upstream provider (Keycloak's admin REST API:
        // IdentityProviderRepresentation config, authorizationUrl and tokenUrl).
        if let Some(discovery) = &settings.discovery_url {
            for (field, value) in [
                ("settings.authorization_url", &settings.authorization_url),
                ("settings.token_url", &settings.token_url),
            ] {
                if value.is_none() {
                    losses.push(Loss::changed(
                        field,
                        format!("(discoverable from {discovery})"),
                        "(none)",
                        "Keycloak needs explicit authorizationUrl and tokenUrl and does not read \
                         discovery documents; resolve them first with --resolve-discovery \
                         (the resolve_discovery option of migrate in the library)",
                    ));
                }
            }
        }
    } else {
        for ((_, field), value) in ENDPOINT_KEYS.iter().zip(endpoint_values) {
            if let Some(value) = value {
                losses.push(Loss::dropped(
                    *field,
                    value.clone(),
                    format!("Keycloak's {provider_id} provider has fixed endpoints"),
                ));
            }
        }
    }
    match (settings.channel, brokers_oidc(provider_id)) {
        (None | Some(OidcChannel::BackChannel), true) | (None, false) => {}
        (Some(channel), true) => losses.push(Loss::changed(
            "settings.channel",
            channel.to_string(),
            OidcChannel::BackChannel.to_string(),
            "Keycloak brokers OpenID Connect with the authorization code flow (the back channel) only; it has no front-channel mode",
        )),
        (Some(channel), false) => losses.push(Loss::dropped(
            "settings.channel",
            channel.to_string(),
            format!("Keycloak's {provider_id} provider has no channel setting"),
        )),
    }
    match (&settings.tenant, provider_id == "microsoft") {
        (Some(tenant), true) => {
            config.insert("tenantId".to_string(), tenant.clone());
        }
        (Some(tenant), false) => losses.push(Loss::dropped(
            "settings.tenant",
            tenant.clone(),
            format!("Keycloak's {provider_id} provider has no tenant setting"),
        )),
        (None, _) => {}
    }
    Ok(())
}

/// Whether the provider is an OpenID Connect provider, which Keycloak runs with the
/// authorization code flow only (`OIDCIdentityProvider` sends `response_type=code`).
fn brokers_oidc(provider_id: &str) -> bool {
    kind_of(provider_id) == ConnectionKind::Oidc
}

/// Every key [`read`] may consume for `provider_id`, whatever its value: the keys an update
/// replaces from the desired connection rather than keeping from the server.
pub(crate) fn modelled_keys(provider_id: &str) -> Vec<&'static str> {
    let mut keys = vec![
        "clientId",
        CLIENT_SECRET_KEY,
        "defaultScope",
        "clientAuthMethod",
        "pkceEnabled",
    ];
    if has_oidc_endpoints(provider_id) {
        keys.extend(ENDPOINT_KEYS.iter().map(|(key, _)| *key));
    }
    if provider_id == "microsoft" {
        keys.push("tenantId");
    }
    keys
}
