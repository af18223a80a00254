//! Option keys that carry secrets: never kept in extras, masked in printable payloads, and
//! carried over from the server's current options on update.

use idconn_core::{ClientSecret, Loss};
use serde_json::{Map, Value};

/// Option keys whose values are secrets or private keys (OAS `ConnectionOptions*`:
/// `client_secret`, Apple `app_secret`, SAML `signing_key` / `decryptionKey` private keys,
/// database `configuration` ("Stores encrypted string only configurations"), token fields,
/// and OAuth2 `customHeaders`, which often carry API keys). An explicit, Auth0-specific list
/// rather than [`idconn_core::validate::is_secret_key`]: that predicate also matches
/// `token_endpoint` and `authorization_endpoint` (URLs this mapping reads and keeps) and misses
/// `configuration`, `customHeaders`, `signing_key` and `decryptionKey`.
pub(crate) const SECRET_OPTION_KEYS: &[&str] = &[
    "client_secret",
    "app_secret",
    "signing_key",
    "decryptionKey",
    "configuration",
    "customHeaders",
    "admin_access_token",
    "admin_refresh_token",
    "twilio_token",
];

/// The mask printed instead of a secret.
pub(crate) const MASK: &str = "********";

/// Removes every secret-bearing key.
pub(crate) fn strip(options: &mut Map<String, Value>) {
    for key in SECRET_OPTION_KEYS {
        options.remove(*key);
    }
}

/// Replaces every secret-bearing value with [`MASK`].
pub(crate) fn mask(options: &mut Map<String, Value>) {
    for key in SECRET_OPTION_KEYS {
        if let Some(value) = options.get_mut(*key)
            && !value.is_null()
        {
            *value = Value::String(MASK.into());
        }
    }
}

/// The secret to write: a known one replaces what is stored; a masked or absent one keeps the
/// stored value (on update, the server's), because sending nothing would wipe it with the
/// whole-options replace. A masked secret with nothing
/// stored cannot be written: that is a loss.
pub(crate) fn merge(
    desired: &ClientSecret,
    stored: Option<String>,
    losses: &mut Vec<Loss>,
) -> Option<String> {
    match desired {
        ClientSecret::Known(_) => desired.expose().map(String::from),
        ClientSecret::Masked if stored.is_none() => {
            losses.push(Loss::dropped(
                "settings.client_secret",
                "(masked)",
                "the source did not reveal the secret, so Auth0 cannot be given it; set it explicitly",
            ));
            None
        }
        ClientSecret::Masked | ClientSecret::Absent => stored,
    }
}

/// A wire secret read back as a model secret: an empty string is no secret (Google allows an
/// empty one, meaning Auth0's development keys).
pub(crate) fn read(value: Option<String>) -> ClientSecret {
    match value {
        Some(v) if !v.is_empty() => ClientSecret::known(v),
        _ => ClientSecret::Absent,
    }
}
