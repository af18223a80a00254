//! Which `fields` keys hold secrets, and payloads safe to print.

use serde_json::{Value, json};

use crate::wire::CreateConn;

/// How a secret shows in a printable payload.
const MASK: &str = "******";

/// Whether a field key looks like it holds a secret; such keys never go to extras and are
/// masked in printable payloads.
///
/// Narrower than [`idconn_core::validate::is_secret_key`], which hides error excerpts and also
/// matches `token` and `authorization`: GenAuth's `fields` hold endpoint URLs under such names
/// (Authing's own OIDC and OAuth connection configs: `authorizationEdpoint`, `authEndPoint`,
/// `tokenEndPoint`), and dropping those from extras would lose them on export and migration.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    // `samlSpKey`: a SAML connection's request-signing private key (GenAuth's login UI code
    // calls it "saml request 签名私钥").
    key == "samlspkey"
        || ["secret", "password", "private"]
            .iter()
            .any(|s| key.contains(s))
}

/// `body` as JSON safe to print: `fields.clientSecret` and secret-looking keys masked, an
/// undecided `extIdpId` left out.
pub fn printable(body: &CreateConn) -> Value {
    let mut value = serde_json::to_value(body).unwrap_or(Value::Null);
    if let Some(fields) = value.get_mut("fields").and_then(Value::as_object_mut) {
        for (key, field) in fields.iter_mut() {
            if is_secret_key(key) {
                *field = json!(MASK);
            }
        }
    }
    if body.ext_idp_id.is_empty()
        && let Some(map) = value.as_object_mut()
    {
        map.remove("extIdpId");
    }
    value
}
