//! Keycloak's `IdentityProviderRepresentation` as ezto serves it (Keycloak 26's admin REST API
//! OpenAPI document; ezto "Create New Identity Provider" / "Update Identity Provider").
//! Serde only: the fields the neutral model reads are typed, everything else is kept verbatim.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What Keycloak serves instead of a stored `config.clientSecret`, and what a PUT may send to
/// keep the stored one (`ComponentRepresentation.SECRET_VALUE`).
pub const SECRET_MASK: &str = "**********";

/// The config key holding the client secret, the only one Keycloak masks.
pub const CLIENT_SECRET_KEY: &str = "clientSecret";

/// One identity provider.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProvider {
    /// The unique, immutable key used in every URL (`alias`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The server-generated UUID (`internalId`); the path also accepts it in place of the alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_id: Option<String>,
    /// The provider type (`oidc`, `keycloak-oidc`, `saml`, `google`, ...); not updatable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// The name shown on the login page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Whether the provider is on (Keycloak default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether users may only link accounts with it, not sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_only: Option<bool>,
    /// Whether upstream tokens are stored after login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_token: Option<bool>,
    /// Whether the login page hides its button (Keycloak 26; legacy `config.hideOnLoginPage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_on_login: Option<bool>,
    /// The provider's settings; every value a string.
    #[serde(default)]
    pub config: Config,
    /// Every other field (`trustEmail`, `firstBrokerLoginFlowAlias`, `updateProfileFirstLoginMode`,
    /// `addReadTokenRoleOnCreate`, `authenticateByDefault`, `postBrokerLoginFlowAlias`, `types`, ...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl fmt::Debug for IdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityProvider")
            .field("alias", &self.alias)
            .field("internal_id", &self.internal_id)
            .field("provider_id", &self.provider_id)
            .field("display_name", &self.display_name)
            .field("enabled", &self.enabled)
            .field("link_only", &self.link_only)
            .field("store_token", &self.store_token)
            .field("hide_on_login", &self.hide_on_login)
            .field("config", &self.config)
            .field("other", &self.other)
            .finish()
    }
}

/// `config`: string keys to string values (`"true"`, `"60"`), `Debug` shows
/// the client secret as `[REDACTED]`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Config(pub BTreeMap<String, String>);

impl Config {
    /// One value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| {
                let shown = if k == CLIENT_SECRET_KEY && v != SECRET_MASK {
                    "[REDACTED]"
                } else {
                    v.as_str()
                };
                (k, shown)
            }))
            .finish()
    }
}

/// One identity-provider mapper (`IdentityProviderMapperRepresentation`, Keycloak admin API
/// `/identity-provider/instances/{alias}/mappers`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProviderMapper {
    /// The server-generated id; required in a PUT body (Keycloak updates the mapper it names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name, unique per identity provider.
    #[serde(default)]
    pub name: String,
    /// The provider's alias. Keycloak takes it from the body, not the path: always sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_provider_alias: Option<String>,
    /// The mapper type (`oidc-user-attribute-idp-mapper`, ...).
    #[serde(default)]
    pub identity_provider_mapper: String,
    /// The mapper's settings; every value a string.
    #[serde(default)]
    pub config: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let mut idp = IdentityProvider::default();
        idp.config
            .0
            .insert(CLIENT_SECRET_KEY.into(), "s3cret".into());
        assert!(!format!("{idp:?}").contains("s3cret"));
    }

    #[test]
    fn unmodelled_fields_survive_a_round_trip() {
        let body = r#"{"alias":"a","providerId":"oidc","trustEmail":true,"types":["X"],"config":{"syncMode":"IMPORT"}}"#;
        let idp: IdentityProvider = serde_json::from_str(body).unwrap();
        assert_eq!(idp.other["trustEmail"], true);
        let again: Value = serde_json::to_value(&idp).unwrap();
        assert_eq!(again, serde_json::from_str::<Value>(body).unwrap());
    }
}
