//! Pure translation between the neutral [`Connection`] and Keycloak's identity-provider
//! representation. No I/O: `translate`, `plan` and dry runs use it without a network.
//!
//! | neutral | ezto (Keycloak) | source |
//! |---|---|---|
//! | `id` | `internalId` | every `/instances/{alias}` path also accepts it (`getByIdOrAlias`) |
//! | `name` | `alias` (no whitespace, none of `:/?#@!$&()*+,;=[]\`) | `ReservedCharValidator.validateNoSpace` |
//! | `display_name` | `displayName` | |
//! | `kind` | `providerId` | `mapping/kind.rs` |
//! | `settings` | `config`, every value a string | `mapping/oauth.rs`, `mapping/saml.rs` |
//! | `settings.channel` (OIDC) | none: always the back channel (the authorization code flow); the front channel is a loss | `OIDCIdentityProvider` |
//! | `settings.request_signature_algorithm`, `request_digest_algorithm`, `request_binding` (SAML) | `signatureAlgorithm` (its digest is its own hash), `postBindingAuthnRequest` | `SAMLIdentityProviderConfig` |
//! | `purpose.sign_in` / `.link` | `linkOnly: true` → sign in false, link true; `false` → both true | |
//! | `purpose.store_tokens` | `storeToken` | |
//! | `show_on_login` | `!hideOnLogin` (legacy `config.hideOnLoginPage` read too) | |
//! | `enabled` | `enabled` (Keycloak default `true`) | |
//! | `extras["eztoauth"]` | every other field verbatim, `config` keys the model does not read under `"config"`, and `providerId` when it is not the kind's default (`keycloak-oidc`) | |
//! | `logo_url`, `domains` | none: a reported loss | |
//! | `attribute_map` | the provider's mappers (`mapping/mappers.rs`), read and written at their own routes | |
//! | `applications` | none: realm-wide, so "all" is exact and a set a reported loss | `ClientRepresentation` names no provider |

pub mod applications;
mod kind;
pub mod mappers;
mod merge;
mod name;
mod oauth;
mod saml;
mod values;

use std::collections::BTreeMap;

use idconn_core::{
    ClientAuthMethod, ClientSecret, Connection, ConnectionKind, Error, Loss, Policy, Purpose,
    ReadNote, Result, Settings, Translation, TranslationReport, Vendor, held_secret_losses,
    purpose_losses,
};
use serde_json::{Map, Value};

pub use merge::for_update;
pub use name::{NAME_MAX, NAME_RULE, is_valid_name, name_char};

use crate::wire::{
    CLIENT_SECRET_KEY, Config, IdentityProvider, IdentityProviderMapper, SECRET_MASK,
};
use values::{decode, flag};

/// Why purpose switches may not survive.
const PURPOSE_REASON: &str =
    "Keycloak holds linkOnly (no sign-in) and storeToken; linking is always allowed";

/// Whether this crate serves `vendor`: ezto auth, or a plain Keycloak (one admin API, one
/// wire format; they differ in name only, which is the extras key and the reports' vendor).
pub fn serves(vendor: Vendor) -> bool {
    matches!(vendor, Vendor::Ezto | Vendor::Keycloak)
}

/// The other name of this admin API: ezto auth is Keycloak under its own defaults.
fn twin(vendor: Vendor) -> Option<Vendor> {
    match vendor {
        Vendor::Ezto => Some(Vendor::Keycloak),
        Vendor::Keycloak => Some(Vendor::Ezto),
        _ => None,
    }
}

/// The entry of `kept` (extras or kept mappers, by vendor) a write to `vendor` holds verbatim,
/// and whose it is: `vendor`'s own, else its twin's. What ezto auth keeps unmodelled is
/// Keycloak's own representation, so a move between the two carries it whole instead of
/// dropping or reporting it.
pub(crate) fn kept_entry<T>(vendor: Vendor, kept: &BTreeMap<Vendor, T>) -> Option<(Vendor, &T)> {
    std::iter::once(vendor)
        .chain(twin(vendor))
        .find_map(|owner| kept.get(&owner).map(|entry| (owner, entry)))
}

/// The extras a write of `connection` to `vendor` starts from (see [`kept_entry`]).
fn kept_extras(vendor: Vendor, connection: &Connection) -> Map<String, Value> {
    kept_entry(vendor, &connection.extras)
        .map(|(_, extras)| extras.clone())
        .unwrap_or_default()
}

/// The create payload for `connection` and every loss. Names Keycloak cannot hold are
/// rewritten with [`rewrite_name`](idconn_core::validate::rewrite_name) and reported. Purpose losses are not included:
/// they are computed on the read-back connection by [`translate`].
///
/// `vendor` is [`Vendor::Ezto`] or [`Vendor::Keycloak`]: whose extras are read.
pub fn to_wire(vendor: Vendor, connection: &Connection) -> Result<(IdentityProvider, Vec<Loss>)> {
    connection.check_settings_fit_kind()?;
    let mut losses = Vec::new();
    let alias = name::alias(&connection.name, &mut losses)?;
    let mut extras = kept_extras(vendor, connection);
    let preferred = extras
        .get("providerId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let (provider_id, why) = kind::provider_id_for(vendor, &connection.kind, preferred.as_deref())?;
    if let Some(why) = why {
        let held = kind::kind_of(&provider_id);
        losses.push(Loss::changed(
            "kind",
            connection.kind.to_string(),
            held.to_string(),
            why,
        ));
    }
    let kept = extras_config(vendor, extras.remove("config"))?;
    let mut config = BTreeMap::new();
    match &connection.settings {
        Settings::OAuth(settings) => {
            oauth::write(&provider_id, settings, &mut config, &mut losses)?
        }
        Settings::Saml(settings) if provider_id == "saml" => {
            saml::write(settings, &mut config, &mut losses)?;
            // Keycloak signs a SAML provider's requests with the realm's own keys
            // (`SAMLIdentityProviderConfig` has no key of its own).
            if !settings.request_signing_key.is_absent() {
                losses.push(Loss::dropped(
                    "settings.request_signing_key",
                    settings.request_signing_key.describe(),
                    "Keycloak signs SAML requests with the realm's own keys; a connection holds no key pair",
                ));
            }
        }
        Settings::None => {}
        other => {
            return Err(Error::invalid(
                "settings.protocol",
                format!(
                    "{} settings do not fit Keycloak provider \"{provider_id}\"",
                    match other {
                        Settings::Saml(_) => "SAML",
                        _ => "directory",
                    }
                ),
            ));
        }
    }
    keep_unmodelled(&provider_id, &connection.settings, kept, &mut config);
    if let Some(logo) = &connection.logo_url {
        losses.push(Loss::dropped(
            "logo_url",
            logo.clone(),
            "Keycloak identity providers have no logo",
        ));
    }
    if !connection.domains.is_empty() {
        losses.push(Loss::dropped(
            "domains",
            connection.domains.join(", "),
            "Keycloak identity providers have no home-realm domains",
        ));
    }
    losses.extend(applications::losses(connection));
    // What the model covers is written from the model, never from extras; the names of
    // secrets another vendor holds are for the report only.
    extras.remove(idconn_core::HELD_SECRETS);
    for key in [
        "providerId",
        "alias",
        "internalId",
        "displayName",
        "enabled",
        "linkOnly",
        "storeToken",
        "hideOnLogin",
    ] {
        extras.remove(key);
    }
    let payload = IdentityProvider {
        alias: Some(alias),
        internal_id: None,
        provider_id: Some(provider_id),
        display_name: connection.display_name.clone(),
        enabled: connection.enabled,
        link_only: connection.purpose.sign_in.map(|sign_in| !sign_in),
        store_token: connection.purpose.store_tokens,
        hide_on_login: connection.show_on_login.map(|show| !show),
        config: Config(config),
        other: extras,
    };
    Ok((payload, losses))
}

/// The neutral connection for what Keycloak serves. Absent flags read as Keycloak's defaults
/// (enabled, not link-only, no stored tokens, shown on login); `**********` becomes
/// [`ClientSecret::Masked`]. A config value the model cannot decode (Keycloak stores every value
/// as a string and checks none: a `signingCertificate` that is not base64 DER, a flag that is
/// neither `true` nor `false`) stays verbatim in extras with a [`ReadNote`], so one bad value
/// never fails the read. Fails only without an alias or provider id. `vendor` ([`Vendor::Ezto`]
/// or [`Vendor::Keycloak`]) is the key of the extras it fills.
pub fn from_wire(vendor: Vendor, idp: &IdentityProvider) -> Result<Connection> {
    let alias = idp
        .alias
        .clone()
        .filter(|alias| !alias.is_empty())
        .ok_or_else(|| decode(vendor, "alias", "missing", ""))?;
    let provider_id = idp
        .provider_id
        .as_deref()
        .ok_or_else(|| decode(vendor, "providerId", "missing", &alias))?;
    let kind = kind::kind_of(provider_id);
    // Each value that does not decode is set aside (it stays in extras) and the read is tried
    // again without it; every pass sets one more key aside, so this ends.
    let mut readable = idp.config.clone();
    let mut read_notes = Vec::new();
    let (settings, mut used) = loop {
        let read = if provider_id == "saml" {
            saml::read(&readable).map(|(settings, used)| (Settings::Saml(settings), used))
        } else {
            oauth::read(provider_id, &readable)
                .map(|(settings, used)| (Settings::OAuth(settings), used))
        };
        match read {
            Ok(read) => break read,
            Err(Error::Decode { path, message, .. }) => {
                let key = config_key(&path);
                if readable.0.remove(key).is_none() {
                    return Err(decode(vendor, &path, &message, &alias));
                }
                read_notes.push(ReadNote::new(format!("config.{key}"), message));
            }
            Err(error) => return Err(error),
        }
    };
    let hide_on_login = match idp.hide_on_login {
        Some(hide) => hide,
        None => match flag(&idp.config, "hideOnLoginPage") {
            Ok(legacy) => {
                if legacy.is_some() {
                    used.insert("hideOnLoginPage");
                }
                legacy.unwrap_or(false)
            }
            Err(error) => {
                let message = match error {
                    Error::Decode { message, .. } => message,
                    other => other.to_string(),
                };
                read_notes.push(ReadNote::new("config.hideOnLoginPage", message));
                false
            }
        },
    };
    let leftover: Map<String, Value> = idp
        .config
        .0
        .iter()
        .filter(|(key, _)| !used.contains(key.as_str()))
        .map(|(key, value)| (key.clone(), Value::String(value.clone())))
        .collect();
    let mut extras = idp.other.clone();
    if !leftover.is_empty() {
        extras.insert("config".into(), Value::Object(leftover));
    }
    if kind::provider_id_for(vendor, &kind, None)
        .map(|(id, _)| id)
        .ok()
        .as_deref()
        != Some(provider_id)
    {
        extras.insert("providerId".into(), Value::String(provider_id.to_string()));
    }
    let link_only = idp.link_only.unwrap_or(false);
    let mut connection = Connection::new(alias, kind);
    connection.id = idp.internal_id.clone();
    connection.display_name = idp.display_name.clone();
    connection.settings = settings;
    connection.purpose = Purpose {
        sign_in: Some(!link_only),
        link: Some(true),
        store_tokens: Some(idp.store_token.unwrap_or(false)),
    };
    connection.enabled = Some(idp.enabled.unwrap_or(true));
    connection.show_on_login = Some(!hide_on_login);
    if !extras.is_empty() {
        connection.extras.insert(vendor, extras);
    }
    connection.read_notes = read_notes;
    Ok(connection)
}

/// The config key a decode path names: `config.signingCertificate[0]` is `signingCertificate`.
fn config_key(path: &str) -> &str {
    let key = path.strip_prefix("config.").unwrap_or(path);
    key.split('[').next().unwrap_or(key)
}

/// The whole translation of one connection under `policy`: the create payload (printable, with
/// the mappers a stated attribute mapping writes under `mappers`, see [`printable`]), what
/// `vendor` ([`Vendor::Ezto`] or [`Vendor::Keycloak`]) will hold, and every loss. Fails before
/// any I/O when the policy refuses.
pub fn translate(vendor: Vendor, connection: &Connection, policy: &Policy) -> Result<Translation> {
    let (payload, mut losses) = to_wire(vendor, connection)?;
    let mappers = mappers_for(vendor, connection, &payload, &mut losses)?;
    finish(
        vendor,
        connection,
        &payload,
        mappers.as_deref(),
        losses,
        policy,
    )
}

/// The mappers `connection.attribute_map` describes for the provider `payload` (`None` when the
/// connection states no mapping), and their losses.
pub fn mappers_for(
    vendor: Vendor,
    connection: &Connection,
    payload: &IdentityProvider,
    losses: &mut Vec<Loss>,
) -> Result<Option<Vec<IdentityProviderMapper>>> {
    let provider_id = payload.provider_id.as_deref().unwrap_or_default();
    connection
        .attribute_map
        .as_ref()
        .map(|map| mappers::write(vendor, provider_id, map, losses))
        .transpose()
}

/// The provider id a connection is held under (its kind's, or the one kept in extras).
pub fn provider_id_of(vendor: Vendor, connection: &Connection) -> Result<String> {
    let extras = kept_extras(vendor, connection);
    let preferred = extras.get("providerId").and_then(Value::as_str);
    kind::provider_id_for(vendor, &connection.kind, preferred).map(|(id, _)| id)
}

/// Adds the purpose losses of `payload` read back, enforces `policy` and builds the translation.
/// `mappers` are the provider's mappers after the write (`None`: left as they are).
pub(crate) fn finish(
    vendor: Vendor,
    connection: &Connection,
    payload: &IdentityProvider,
    mappers: Option<&[IdentityProviderMapper]>,
    mut losses: Vec<Loss>,
    policy: &Policy,
) -> Result<Translation> {
    let mut held = from_wire(vendor, payload)?;
    if let Some(mappers) = mappers {
        let provider_id = payload.provider_id.as_deref().unwrap_or_default();
        held.attribute_map = mappers::read(vendor, provider_id, mappers);
    }
    held.applications = applications::held(connection);
    // Keycloak holds no secret-bearing setting the model skips: any listed came from another
    // vendor.
    losses.extend(held_secret_losses(connection, vendor, true));
    losses.extend(purpose_losses(
        &connection.purpose,
        &held.purpose,
        PURPOSE_REASON,
    ));
    let report = TranslationReport {
        vendor,
        connection: connection.name.clone(),
        losses,
        notes: Vec::new(),
    };
    policy.admit(connection, &report)?;
    let mut shown = printable(payload);
    if let (Some(mappers), Value::Object(fields)) = (mappers, &mut shown) {
        fields.insert(MAPPERS_KEY.into(), printable_mappers(payload, mappers));
    }
    Ok(Translation {
        connection: held,
        payload: shown,
        report,
    })
}

/// Where a translation's payload shows the mappers (not a field of Keycloak's provider
/// representation: they are written at `/instances/{alias}/mappers`, one request each).
pub const MAPPERS_KEY: &str = "mappers";

/// The payload as JSON with the client secret shown as Keycloak's mask: safe to print.
pub fn printable(payload: &IdentityProvider) -> Value {
    let mut shown = payload.clone();
    if let Some(secret) = shown.config.0.get_mut(CLIENT_SECRET_KEY) {
        *secret = SECRET_MASK.to_string();
    }
    serde_json::to_value(&shown).unwrap_or(Value::Null)
}

/// The mapper bodies a write of `payload` sends after the provider, each naming its provider
/// as Keycloak requires. A mapper's config holds claim and attribute names, never a secret.
fn printable_mappers(payload: &IdentityProvider, mappers: &[IdentityProviderMapper]) -> Value {
    let named: Vec<IdentityProviderMapper> = mappers
        .iter()
        .map(|mapper| IdentityProviderMapper {
            identity_provider_alias: payload.alias.clone(),
            ..mapper.clone()
        })
        .collect();
    serde_json::to_value(named).unwrap_or(Value::Null)
}

/// The unmodelled config keys kept in extras: string values only, and never a secret.
fn extras_config(vendor: Vendor, config: Option<Value>) -> Result<BTreeMap<String, String>> {
    let field = |key: &str| format!("extras.{vendor}.config.{key}");
    let mut out = BTreeMap::new();
    match config {
        None | Some(Value::Null) => {}
        Some(Value::Object(entries)) => {
            for (key, value) in entries {
                match value {
                    // A mask read back from a provider that does not model the secret (SAML):
                    // the merge on update keeps the stored value, a create has none to send.
                    Value::String(mask) if key == CLIENT_SECRET_KEY && mask == SECRET_MASK => {}
                    _ if key == CLIENT_SECRET_KEY => {
                        return Err(Error::invalid(
                            field(&key),
                            "a secret belongs in settings.client_secret",
                        ));
                    }
                    Value::String(text) => {
                        out.insert(key, text);
                    }
                    other => {
                        return Err(Error::invalid(
                            field(&key),
                            format!("Keycloak config values are strings, not {other}"),
                        ));
                    }
                }
            }
        }
        Some(other) => {
            return Err(Error::invalid(
                format!("extras.{vendor}.config"),
                format!("must be an object, not {other}"),
            ));
        }
    }
    Ok(out)
}

/// Adds the extras' config keys to `config`, which holds what the model wrote. Keys the model
/// covers come from the model; extras hold one only when a read could not decode its value
/// (kept verbatim then, so an update writes it back unchanged), and it goes back when the model
/// wrote nothing in its place. A `clientAuthMethod` the model cannot name stays as well.
fn keep_unmodelled(
    provider_id: &str,
    settings: &Settings,
    kept: BTreeMap<String, String>,
    config: &mut BTreeMap<String, String>,
) {
    let modelled = if provider_id == "saml" {
        saml::MODELLED_KEYS.to_vec()
    } else {
        oauth::modelled_keys(provider_id)
    };
    let model_method = settings.oauth().and_then(|s| s.client_auth_method.as_ref());
    for (key, value) in kept {
        let keep = if key == "hideOnLoginPage" {
            false
        } else if key == "clientAuthMethod" {
            model_method.is_none() && ClientAuthMethod::parse(&value).is_none()
        } else {
            !modelled.contains(&key.as_str()) || !config.contains_key(&key)
        };
        if keep {
            config.entry(key).or_insert(value);
        }
    }
}

/// Whether the secret of `settings` is one the server keeps when the PUT echoes the mask.
pub(crate) fn keeps_stored_secret(settings: &Settings) -> bool {
    !matches!(settings.client_secret(), ClientSecret::Known(_))
}

/// The kind a provider id reads as.
pub(crate) fn kind_of(provider_id: &str) -> ConnectionKind {
    kind::kind_of(provider_id)
}
