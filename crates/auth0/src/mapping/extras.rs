//! `extras["auth0"]`: the connection fields the model does not cover, kept verbatim so that a
//! same-vendor round trip loses nothing. Never a secret (see [`super::secrets`]).
//!
//! Keys: `options` (unmodelled option keys), `is_domain_connection`, `metadata`, `strategy`
//! (only `okta` or `adfs`, which the neutral kind does not tell apart), `connected_accounts`
//! (`{cross_app_access}`), `cross_app_access_requesting_app`, and `held_secrets`: the names of
//! the secret-bearing options the server holds (never their values), for the loss report.

use idconn_core::{Connection, Error, Result, Vendor};
use serde_json::{Map, Value};

use super::strategy::needs_hint;
use crate::wire;

const KEYS: &[&str] = &[
    idconn_core::HELD_SECRETS,
    "options",
    "is_domain_connection",
    "metadata",
    "strategy",
    "connected_accounts",
    "cross_app_access_requesting_app",
];

/// Auth0's extras of a connection, checked.
#[derive(Debug, Default, Clone)]
pub(crate) struct Auth0Extras {
    pub options: Map<String, Value>,
    pub is_domain_connection: Option<bool>,
    pub metadata: Option<Map<String, Value>>,
    pub strategy: Option<String>,
    pub cross_app_access: Option<bool>,
    pub cross_app_access_requesting_app: Option<Value>,
}

/// Reads and checks `extras["auth0"]`; each bad entry is an `InvalidInput` naming it.
pub(crate) fn parse(connection: &Connection) -> Result<Auth0Extras> {
    let map = connection.extras_for(Vendor::Auth0);
    let field = |key: &str| format!("extras.auth0.{key}");
    if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(Error::invalid(
            field(unknown),
            format!(
                "is not an Auth0 connection field idconn keeps; expected one of {}",
                KEYS.join(", ")
            ),
        ));
    }
    let mut extras = Auth0Extras::default();
    for (key, value) in map {
        let bad = |what: &str| Error::invalid(field(&key), what.to_string());
        match key.as_str() {
            // Names only, for the loss report; nothing to send.
            idconn_core::HELD_SECRETS => {}
            "options" => {
                extras.options = value
                    .as_object()
                    .cloned()
                    .ok_or_else(|| bad("must be an object"))?;
            }
            "is_domain_connection" => {
                extras.is_domain_connection =
                    Some(value.as_bool().ok_or_else(|| bad("must be a boolean"))?);
            }
            "metadata" => {
                let metadata = value.as_object().ok_or_else(|| bad("must be an object"))?;
                check_metadata(metadata)?;
                extras.metadata = Some(metadata.clone());
            }
            "strategy" => {
                let strategy = value.as_str().ok_or_else(|| bad("must be a string"))?;
                extras.strategy = Some(strategy.to_string());
            }
            "connected_accounts" => {
                let object = value.as_object().ok_or_else(|| bad("must be an object"))?;
                for (k, v) in object {
                    if k != "cross_app_access" {
                        return Err(Error::invalid(
                            format!("{}.{k}", field(&key)),
                            "only cross_app_access is kept here; the active flag is purpose.store_tokens",
                        ));
                    }
                    extras.cross_app_access = Some(v.as_bool().ok_or_else(|| {
                        Error::invalid(format!("{}.{k}", field(&key)), "must be a boolean")
                    })?);
                }
            }
            "cross_app_access_requesting_app" => {
                let active = value.get("active").and_then(Value::as_bool);
                if !value.is_object() || active.is_none() {
                    return Err(bad("must be an object with a boolean `active`"));
                }
                extras.cross_app_access_requesting_app = Some(value.clone());
            }
            _ => {}
        }
    }
    Ok(extras)
}

/// OAS `ConnectionsMetadata`: at most 10 keys, each value a string of at most 255 characters
/// or null.
fn check_metadata(metadata: &Map<String, Value>) -> Result<()> {
    if metadata.len() > 10 {
        return Err(Error::invalid(
            "extras.auth0.metadata",
            format!("has {} keys; Auth0 allows at most 10", metadata.len()),
        ));
    }
    for (key, value) in metadata {
        let field = format!("extras.auth0.metadata.{key}");
        match value {
            Value::Null => {}
            Value::String(s) if s.chars().count() <= 255 => {}
            Value::String(s) => {
                return Err(Error::invalid(
                    field,
                    format!(
                        "is {} characters long; Auth0 allows at most 255",
                        s.chars().count()
                    ),
                ));
            }
            _ => return Err(Error::invalid(field, "must be a string or null")),
        }
    }
    Ok(())
}

/// The extras of a connection read from the server; `rest` holds the unmodelled option keys
/// with secrets already removed.
pub(crate) fn from_wire(wire: &wire::Connection, rest: Map<String, Value>) -> Map<String, Value> {
    let mut extras = Map::new();
    if !rest.is_empty() {
        extras.insert("options".into(), Value::Object(rest));
    }
    if let Some(flag) = wire.is_domain_connection {
        extras.insert("is_domain_connection".into(), Value::Bool(flag));
    }
    if let Some(metadata) = &wire.metadata {
        extras.insert("metadata".into(), Value::Object(metadata.clone()));
    }
    if needs_hint(&wire.strategy) {
        extras.insert("strategy".into(), Value::String(wire.strategy.clone()));
    }
    if let Some(flag) = wire.connected_accounts.and_then(|c| c.cross_app_access) {
        let mut object = Map::new();
        object.insert("cross_app_access".into(), Value::Bool(flag));
        extras.insert("connected_accounts".into(), Value::Object(object));
    }
    if let Some(value) = &wire.cross_app_access_requesting_app {
        extras.insert("cross_app_access_requesting_app".into(), value.clone());
    }
    extras
}
