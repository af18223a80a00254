//! The identity-provider representation: decoding request bodies the way Keycloak does,
//! filling in its defaults, and serving it back (with the client secret masked).
//!
//! Sources: Keycloak `IdentityProviderRepresentation` (Keycloak's admin OpenAPI document, 26.x)
//! and measurements of a live Keycloak 26.7.1
//! (strict decoding: an unknown field is a 400 naming it with a line and column; a malformed
//! body is `invalid_request` / `Cannot parse the JSON`; an empty body is a 500).
//! ezto documents the legacy (pre-17) representation, whose booleans are primitives and
//! therefore always present, with `updateProfileFirstLoginMode` defaulting to `"on"` and
//! `firstBrokerLoginFlowAlias` to `"first broker login"` (ezto "Update Identity Provider"
//! response sample); this simulator serves that shape.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value, json};

use super::errors::{self, Refusal};

/// What Keycloak serves instead of a stored `config.clientSecret` (`ComponentRepresentation.SECRET_VALUE`).
pub(crate) const SECRET_MASK: &str = "**********";

/// The first-broker-login flow Keycloak assigns when the body names none.
pub(crate) const DEFAULT_FIRST_BROKER_LOGIN_FLOW: &str = "first broker login";

/// One stored identity provider, with its real client secret.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Idp {
    pub(crate) internal_id: String,
    pub(crate) alias: String,
    pub(crate) display_name: Option<String>,
    pub(crate) provider_id: String,
    pub(crate) enabled: bool,
    pub(crate) update_profile_first_login_mode: String,
    pub(crate) trust_email: bool,
    pub(crate) store_token: bool,
    pub(crate) add_read_token_role_on_create: bool,
    pub(crate) authenticate_by_default: bool,
    pub(crate) link_only: bool,
    pub(crate) hide_on_login: bool,
    pub(crate) first_broker_login_flow_alias: String,
    pub(crate) post_broker_login_flow_alias: Option<String>,
    pub(crate) config: BTreeMap<String, String>,
}

impl Idp {
    /// The full representation. With `mask`, `config.clientSecret` is served as
    /// [`SECRET_MASK`] unless it is a vault reference (`StripSecretsUtils`).
    pub(crate) fn to_json(&self, mask: bool) -> Value {
        let mut config = Map::new();
        for (key, value) in &self.config {
            let served = if mask && key == "clientSecret" && !value.starts_with("${vault.") {
                SECRET_MASK.to_string()
            } else {
                value.clone()
            };
            config.insert(key.clone(), Value::String(served));
        }
        let mut rep = json!({
            "alias": self.alias,
            "internalId": self.internal_id,
            "providerId": self.provider_id,
            "enabled": self.enabled,
            "updateProfileFirstLoginMode": self.update_profile_first_login_mode,
            "trustEmail": self.trust_email,
            "storeToken": self.store_token,
            "addReadTokenRoleOnCreate": self.add_read_token_role_on_create,
            "authenticateByDefault": self.authenticate_by_default,
            "linkOnly": self.link_only,
            "hideOnLogin": self.hide_on_login,
            "firstBrokerLoginFlowAlias": self.first_broker_login_flow_alias,
            "config": config,
        });
        if let Value::Object(map) = &mut rep {
            if let Some(name) = &self.display_name {
                map.insert("displayName".into(), Value::String(name.clone()));
            }
            if let Some(flow) = &self.post_broker_login_flow_alias {
                map.insert(
                    "postBrokerLoginFlowAlias".into(),
                    Value::String(flow.clone()),
                );
            }
        }
        rep
    }

    /// `briefRepresentation=true`: internalId, providerId, alias, displayName, enabled
    /// (`ModelToRepresentation.toBriefRepresentation`, keycloak#22003).
    pub(crate) fn to_brief_json(&self) -> Value {
        let mut rep = json!({
            "internalId": self.internal_id,
            "providerId": self.provider_id,
            "alias": self.alias,
            "enabled": self.enabled,
        });
        if let (Value::Object(map), Some(name)) = (&mut rep, &self.display_name) {
            map.insert("displayName".into(), Value::String(name.clone()));
        }
        rep
    }
}

/// A decoded request body: every field as sent, `None` where absent or `null`.
#[derive(Debug, Default)]
pub(crate) struct Incoming {
    pub(crate) alias: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) internal_id: Option<String>,
    pub(crate) provider_id: Option<String>,
    pub(crate) enabled: Option<bool>,
    pub(crate) update_profile_first_login_mode: Option<String>,
    pub(crate) trust_email: Option<bool>,
    pub(crate) store_token: Option<bool>,
    pub(crate) add_read_token_role_on_create: Option<bool>,
    pub(crate) authenticate_by_default: Option<bool>,
    pub(crate) link_only: Option<bool>,
    pub(crate) hide_on_login: Option<bool>,
    pub(crate) first_broker_login_flow_alias: Option<String>,
    pub(crate) post_broker_login_flow_alias: Option<String>,
    pub(crate) organization_id: Option<String>,
    /// The config as sent, minus `null` and empty-string values (`removeEmptyString`).
    pub(crate) config: BTreeMap<String, String>,
}

/// Every field of `IdentityProviderRepresentation` in the 26.6.0 and 26.8.1 specs. Deserializing
/// into it only serves to locate an unknown field (line and column) for the error message.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct KnownFields {
    alias: Option<IgnoredAny>,
    display_name: Option<IgnoredAny>,
    internal_id: Option<IgnoredAny>,
    provider_id: Option<IgnoredAny>,
    enabled: Option<IgnoredAny>,
    update_profile_first_login_mode: Option<IgnoredAny>,
    trust_email: Option<IgnoredAny>,
    store_token: Option<IgnoredAny>,
    add_read_token_role_on_create: Option<IgnoredAny>,
    authenticate_by_default: Option<IgnoredAny>,
    link_only: Option<IgnoredAny>,
    hide_on_login: Option<IgnoredAny>,
    first_broker_login_flow_alias: Option<IgnoredAny>,
    post_broker_login_flow_alias: Option<IgnoredAny>,
    organization_id: Option<IgnoredAny>,
    organization_links: Option<IgnoredAny>,
    config: Option<IgnoredAny>,
    types: Option<IgnoredAny>,
    update_profile_first_login: Option<IgnoredAny>,
}

const KNOWN: &[&str] = &[
    "alias",
    "displayName",
    "internalId",
    "providerId",
    "enabled",
    "updateProfileFirstLoginMode",
    "trustEmail",
    "storeToken",
    "addReadTokenRoleOnCreate",
    "authenticateByDefault",
    "linkOnly",
    "hideOnLogin",
    "firstBrokerLoginFlowAlias",
    "postBrokerLoginFlowAlias",
    "organizationId",
    "organizationLinks",
    "config",
    "types",
    "updateProfileFirstLogin",
];

/// Decodes a POST or PUT body the way Keycloak's strict JSON provider does.
pub(crate) fn decode(body: &[u8]) -> Result<Incoming, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        // Measured: an empty body reaches the resource as null and fails inside it.
        return Err(errors::server_error());
    }
    let value: Value = serde_json::from_slice(body).map_err(|_| errors::cannot_parse_json())?;
    let Value::Object(fields) = value else {
        return Err(errors::cannot_parse_json());
    };
    if let Some(unknown) = fields.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(unrecognized_field(body, unknown));
    }
    let string = |key: &str| -> Result<Option<String>, Refusal> {
        match fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(errors::cannot_parse_json()),
        }
    };
    let boolean = |key: &str| -> Result<Option<bool>, Refusal> {
        match fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(errors::cannot_parse_json()),
        }
    };
    let list_ok = |key: &str| fields.get(key).is_none_or(is_array_or_null);
    if !list_ok("types") || !list_ok("organizationLinks") {
        return Err(errors::cannot_parse_json());
    }
    boolean("updateProfileFirstLogin")?;
    Ok(Incoming {
        alias: string("alias")?,
        display_name: string("displayName")?,
        internal_id: string("internalId")?,
        provider_id: string("providerId")?,
        enabled: boolean("enabled")?,
        update_profile_first_login_mode: string("updateProfileFirstLoginMode")?,
        trust_email: boolean("trustEmail")?,
        store_token: boolean("storeToken")?,
        add_read_token_role_on_create: boolean("addReadTokenRoleOnCreate")?,
        authenticate_by_default: boolean("authenticateByDefault")?,
        link_only: boolean("linkOnly")?,
        hide_on_login: boolean("hideOnLogin")?,
        first_broker_login_flow_alias: string("firstBrokerLoginFlowAlias")?,
        post_broker_login_flow_alias: string("postBrokerLoginFlowAlias")?,
        organization_id: string("organizationId")?,
        config: decode_config(fields.get("config"))?,
    })
}

fn is_array_or_null(value: &Value) -> bool {
    matches!(value, Value::Array(_) | Value::Null)
}

/// `config` is `Map<String, String>`: every value a string. A non-string value is refused
/// (the simulator is stricter than Jackson's scalar coercion here, on purpose: a client that
/// sends `true` instead of `"true"` is wrong for every Keycloak version's documented schema).
fn decode_config(config: Option<&Value>) -> Result<BTreeMap<String, String>, Refusal> {
    let mut out = BTreeMap::new();
    match config {
        None | Some(Value::Null) => {}
        Some(Value::Object(entries)) => {
            for (key, value) in entries {
                match value {
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    Value::String(s) => {
                        out.insert(key.clone(), s.clone());
                    }
                    _ => return Err(errors::cannot_parse_json()),
                }
            }
        }
        Some(_) => return Err(errors::cannot_parse_json()),
    }
    Ok(out)
}

/// 400 `{"error":"Invalid json representation for IdentityProviderRepresentation. Unrecognized
/// field \"zzz\" at line 1 column 58."}` (measured). The position is serde's, which points just
/// past the field name as Jackson's does.
fn unrecognized_field(body: &[u8], field: &str) -> Refusal {
    let position = match serde_json::from_slice::<KnownFields>(body) {
        Err(e) => format!(" at line {} column {}", e.line(), e.column()),
        Ok(_) => String::new(),
    };
    errors::error(
        StatusCode::BAD_REQUEST,
        format!(
            "Invalid json representation for IdentityProviderRepresentation. Unrecognized field \"{field}\"{position}."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_is_named_with_a_position() {
        let err = decode(br#"{"alias":"a","zzz":1}"#).unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            err.body["error"],
            "Invalid json representation for IdentityProviderRepresentation. Unrecognized field \"zzz\" at line 1 column 18."
        );
    }

    #[test]
    fn empty_config_values_are_dropped() {
        let incoming = decode(br#"{"config":{"a":"","b":null,"c":"x"}}"#).unwrap();
        assert_eq!(incoming.config.len(), 1);
        assert_eq!(incoming.config["c"], "x");
    }

    #[test]
    fn non_string_config_values_are_refused() {
        assert!(decode(br#"{"config":{"a":true}}"#).is_err());
        assert!(decode(br#"{"config":{"a":60}}"#).is_err());
        assert!(decode(br#"{"config":[]}"#).is_err());
    }

    #[test]
    fn masks_only_the_client_secret_and_not_vault_references() {
        let mut idp = Idp {
            internal_id: "i".into(),
            alias: "a".into(),
            display_name: None,
            provider_id: "oidc".into(),
            enabled: true,
            update_profile_first_login_mode: "on".into(),
            trust_email: false,
            store_token: false,
            add_read_token_role_on_create: false,
            authenticate_by_default: false,
            link_only: false,
            hide_on_login: false,
            first_broker_login_flow_alias: DEFAULT_FIRST_BROKER_LOGIN_FLOW.into(),
            post_broker_login_flow_alias: None,
            config: BTreeMap::from([
                ("clientSecret".to_string(), "s3cret".to_string()),
                ("clientId".to_string(), "cid".to_string()),
            ]),
        };
        let served = idp.to_json(true);
        assert_eq!(served["config"]["clientSecret"], SECRET_MASK);
        assert_eq!(served["config"]["clientId"], "cid");
        idp.config
            .insert("clientSecret".into(), "${vault.idp_secret}".into());
        assert_eq!(
            idp.to_json(true)["config"]["clientSecret"],
            "${vault.idp_secret}"
        );
    }
}
