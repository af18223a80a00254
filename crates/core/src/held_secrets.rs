//! Secret-bearing vendor settings the model does not carry (an Apple `app_secret`, a SAML
//! decryption key): their values never leave the vendor, so they can never be copied to another
//! tenant or vendor. A read lists their *names* in the vendor's extras under [`HELD_SECRETS`],
//! and every translation that cannot keep them reports each as a loss naming it. An update of a
//! connection on its own vendor keeps them: the vendor still holds them.

use serde_json::{Map, Value};

use crate::model::Connection;
use crate::policy::Loss;
use crate::vendor::Vendor;

/// The extras key listing the secret-bearing settings a connection holds that the model does not
/// carry: names only (`options.app_secret`), never values.
pub const HELD_SECRETS: &str = "held_secrets";

/// Lists `names` (vendor setting paths) under [`HELD_SECRETS`] in `extras`, if any.
pub fn record_held_secrets(extras: &mut Map<String, Value>, mut names: Vec<String>) {
    if names.is_empty() {
        return;
    }
    names.sort_unstable();
    names.dedup();
    extras.insert(
        HELD_SECRETS.to_string(),
        Value::Array(names.into_iter().map(Value::String).collect()),
    );
}

/// One loss per secret-bearing setting `connection` holds that a write to `target` cannot keep:
/// all of them when the connection goes to another vendor or is created anew, none when it
/// updates a connection of their own vendor.
pub fn held_secret_losses(connection: &Connection, target: Vendor, create: bool) -> Vec<Loss> {
    let mut losses = Vec::new();
    for (vendor, extras) in &connection.extras {
        if *vendor == target && !create {
            continue;
        }
        let names = extras
            .get(HELD_SECRETS)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        for name in names {
            let reason = if *vendor == target {
                format!(
                    "{vendor} keeps this secret to itself and idconn does not copy it; set it on the new connection"
                )
            } else {
                format!(
                    "{vendor} keeps this secret to itself and {target} has no setting for it; set the equivalent on the new connection"
                )
            };
            losses.push(Loss::dropped(
                format!("extras.{vendor}.{name}"),
                "(secret)",
                reason,
            ));
        }
    }
    losses
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ConnectionKind;

    #[test]
    fn names_become_losses_except_on_an_update_of_their_own_vendor() {
        let mut connection = Connection::new("apple", ConnectionKind::Custom("apple".into()));
        let mut extras = Map::new();
        record_held_secrets(&mut extras, vec!["options.app_secret".into()]);
        connection.extras.insert(Vendor::Auth0, extras);
        let losses = held_secret_losses(&connection, Vendor::GenAuth, false);
        assert_eq!(losses.len(), 1);
        assert_eq!(losses[0].field, "extras.auth0.options.app_secret");
        assert!(losses[0].reason.contains("genauth"), "{}", losses[0].reason);
        assert_eq!(
            held_secret_losses(&connection, Vendor::Auth0, true).len(),
            1
        );
        assert!(held_secret_losses(&connection, Vendor::Auth0, false).is_empty());
    }
}
