//! An update as GenAuth takes it: `update-ext-idp-conn` merges `fields` one level deep into the
//! stored ones ("增量修改", SPEC `UpdateExtIdpConnDto`) and cannot change `type`,
//! `identifier` or `extIdpId`. So an update lays the desired connection over the stored one
//! and refuses what cannot change.

use idconn_core::{Connection, Result, Settings, Vendor, validate};
use serde_json::Value;

use super::extras_keys;
use crate::wire::{CreateConn, UpdateConn};

/// `desired` laid over `current` (as read from GenAuth), after refusing a change GenAuth
/// cannot make.
///
/// - `name`, `kind` and the parent source (`extras.genauth.extIdpId`) cannot change: a
///   different one is an [`Error::InvalidInput`](idconn_core::Error::InvalidInput); delete and
///   create instead.
/// - What the model does not say is taken from `current`: extras (the desired `fields` keys
///   over the stored ones), the stored secret when the desired one is masked or absent, a
///   linking switch the desired connection leaves unset.
pub fn for_update(current: &Connection, desired: &Connection) -> Result<Connection> {
    check_immutable(current, desired)?;
    let mut merged = desired.clone();
    merged.id.clone_from(&current.id);
    let mut extras = current.extras_for(Vendor::GenAuth);
    for (key, value) in desired.extras_for(Vendor::GenAuth) {
        match (key.as_str(), extras.get_mut(&key), value) {
            (extras_keys::FIELDS, Some(Value::Object(held)), Value::Object(wanted)) => {
                held.extend(wanted);
            }
            (_, _, value) => {
                extras.insert(key, value);
            }
        }
    }
    if !extras.is_empty() {
        merged.extras.insert(Vendor::GenAuth, extras);
    }
    // A switch the desired connection leaves unset (its vendor has none) keeps GenAuth's value:
    // the update omits loginOnly then.
    if merged.purpose.link.is_none() {
        merged.purpose.link = current.purpose.link;
    }
    match (&mut merged.settings, &current.settings) {
        (Settings::OAuth(want), Settings::OAuth(have)) => {
            if !want.client_secret.is_known() {
                want.client_secret = have.client_secret.clone();
            }
            if want.client_id.is_none() {
                want.client_id.clone_from(&have.client_id);
            }
        }
        (Settings::None, Settings::OAuth(_)) => merged.settings = current.settings.clone(),
        _ => {}
    }
    Ok(merged)
}

/// The `update-ext-idp-conn` body for connection `id` from the create body of the merged
/// connection. A logo the stored connection has and the desired one drops is cleared with
/// `""` (GenAuth reads it as no logo).
pub fn update_body(id: &str, body: CreateConn, current: &Connection) -> UpdateConn {
    let logo = match (body.logo, &current.logo_url) {
        (Some(logo), _) => Some(logo),
        (None, Some(_)) => Some(String::new()),
        (None, None) => None,
    };
    UpdateConn {
        id: id.to_string(),
        display_name: body.display_name,
        fields: body.fields,
        logo,
        login_only: body.login_only,
        tenant_id: None,
    }
}

/// Refuses changes `update-ext-idp-conn` cannot make: its body has no `type`, `identifier` or
/// `extIdpId` (SPEC `UpdateExtIdpConnDto`).
fn check_immutable(current: &Connection, desired: &Connection) -> Result<()> {
    validate::unchanged(
        "name",
        "a GenAuth connection's identifier",
        current.name.as_str(),
        desired.name.as_str(),
    )?;
    validate::unchanged(
        "kind",
        "a GenAuth connection's type",
        &current.kind,
        &desired.kind,
    )?;
    let parent = |c: &Connection| {
        c.extras_for(Vendor::GenAuth)
            .get(extras_keys::EXT_IDP_ID)
            .cloned()
    };
    if let (Some(wanted), Some(held)) = (parent(desired), parent(current)) {
        validate::unchanged(
            "extras.genauth.extIdpId",
            "a GenAuth connection's identity source (extIdpId)",
            &text(&held),
            &text(&wanted),
        )?;
    }
    Ok(())
}

/// An extras value as shown in an error: a string without its JSON quotes.
fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}
