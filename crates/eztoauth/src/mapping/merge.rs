//! Keycloak's PUT replaces the whole representation: omitted fields reset,
//! omitted config keys vanish, an omitted `clientSecret` is wiped and the mask keeps it.
//! So an update reads the current provider and lays the desired connection over it.

use idconn_core::{Connection, Loss, Result, Vendor, validate};

use super::{from_wire, keeps_stored_secret, kind_of, oauth, saml, to_wire};
use crate::wire::{CLIENT_SECRET_KEY, IdentityProvider};

/// The PUT body that makes `current` (as the server serves it) match `desired`, and the
/// losses of the translation.
///
/// - `alias` and `providerId` cannot change (Keycloak refuses a new alias, keycloak PR #47805,
///   and ignores a new providerId, keycloak#28592): a different name or kind is an
///   [`Error::InvalidInput`](idconn_core::Error::InvalidInput); delete and create instead.
/// - `internalId` and every field and config key the model does not cover are kept from
///   `current`, with the desired connection's extras laid over them.
/// - The modelled config keys come from `desired` only: a setting it leaves empty is removed,
///   except a stored value the model could not decode, which stays unless `desired` states it.
/// - The client secret: a known one is sent; a masked or absent one sends back what the
///   server served (the mask), which keeps the stored secret.
/// - Flags the desired connection leaves unset (`None`) keep their current values.
pub fn for_update(
    vendor: Vendor,
    current: &IdentityProvider,
    desired: &Connection,
) -> Result<(IdentityProvider, Vec<Loss>)> {
    let (payload, mut losses) = to_wire(vendor, desired)?;
    validate::unchanged(
        "name",
        "a Keycloak identity provider's alias",
        current.alias.as_deref().unwrap_or_default(),
        payload.alias.as_deref().unwrap_or_default(),
    )?;
    let current_provider = current.provider_id.as_deref().unwrap_or_default();
    let desired_provider = payload.provider_id.as_deref().unwrap_or_default();
    // Provider ids that read as one kind (`oidc`, `keycloak-oidc`) are no change: the merge
    // keeps the stored providerId.
    validate::unchanged(
        "kind",
        "a Keycloak identity provider's kind (providerId)",
        &kind_of(current_provider),
        &kind_of(desired_provider),
    )?;

    let mut merged = current.clone();
    merged.other.extend(payload.other);
    let modelled: Vec<&str> = if current_provider == "saml" {
        saml::MODELLED_KEYS.to_vec()
    } else {
        oauth::modelled_keys(current_provider)
    };
    let stored_secret = current.config.0.get(CLIENT_SECRET_KEY).cloned();
    // A modelled key whose stored value does not decode was never the model's: it stays unless
    // the desired connection states the setting.
    let undecoded: Vec<String> = from_wire(vendor, current)
        .map(|read| {
            read.read_notes
                .into_iter()
                .filter_map(|note| note.field.strip_prefix("config.").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    merged
        .config
        .0
        .retain(|key, _| !modelled.contains(&key.as_str()) || undecoded.contains(key));
    merged.config.0.extend(payload.config.0);
    if keeps_stored_secret(&desired.settings)
        && let Some(stored) = stored_secret
    {
        merged
            .config
            .0
            .entry(CLIENT_SECRET_KEY.to_string())
            .or_insert(stored);
        losses.retain(|loss| loss.field != "settings.client_secret");
    }
    merged.display_name = payload.display_name;
    merged.enabled = payload.enabled.or(current.enabled);
    merged.link_only = payload.link_only.or(current.link_only);
    merged.store_token = payload.store_token.or(current.store_token);
    merged.hide_on_login = payload.hide_on_login.or(current.hide_on_login);
    // A legacy server reads the flag from config; keep the two in step.
    if let (Some(hide), Some(legacy)) = (
        payload.hide_on_login,
        merged.config.0.get_mut("hideOnLoginPage"),
    ) {
        *legacy = hide.to_string();
    }
    Ok((merged, losses))
}
