//! Pure translation between the neutral [`Connection`] and GenAuth's connection JSON. No I/O.
//!
//! | neutral | GenAuth (SPEC `CreateExtIdpConnDto` / `ExtIdpConnDetail`) |
//! |---|---|
//! | `name` | `identifier` (immutable) |
//! | `display_name` | `displayName` (required: the name stands in when there is none) |
//! | `kind` | `type` ([`kind_of`]) |
//! | `settings.client_id`, `settings.client_secret` | `fields.clientId`, `fields.clientSecret` |
//! | `purpose` | `loginOnly` (see [`purpose_of`]) |
//! | `logo_url` | `logo` (`""` is none) |
//! | `extras.genauth` | `extIdpId`, the other `fields` keys, read-only keys |
//!
//! `fields` has no published schema (reference/genauth.md §4d): the only keys with evidence are
//! `clientId` and `clientSecret` (SPEC `CreateExtIdpConnDto.fields` example, the SPEC
//! `x-authing-code-samples` for GitHub and `ad`, DOCS-V3). Those two are mapped; every other
//! key travels verbatim in `extras.genauth.fields`, except secret-looking keys, which never go
//! to extras (an update merges `fields`, so the server keeps them).

mod kind;
mod merge;
mod name;
mod purpose;
mod secrets;

use idconn_core::validate;
use idconn_core::{
    ClientSecret, Connection, ConnectionKind, Error, Loss, OAuthSettings, Policy, Result, Settings,
    Translation, TranslationReport, Vendor, purpose_losses,
};
use serde_json::{Map, Value, json};

pub use kind::{CONNECTION_TYPES, EXT_IDP_TYPES, connection_type, ext_idp_type, kind_of};
pub use merge::{for_update, update_body};
pub use name::{NAME_MAX, NAME_RULE, name_char};
pub use purpose::purpose_of;
pub use secrets::{is_secret_key, printable};

use crate::wire::{Conn, CreateConn};
use name::identifier;

/// Keys of `extras.genauth`.
pub mod extras_keys {
    /// The parent identity source.
    pub const EXT_IDP_ID: &str = "extIdpId";
    /// `fields` keys other than `clientId`/`clientSecret`.
    pub const FIELDS: &str = "fields";
    /// Read-only (reference §4c).
    pub const ASSOCIATION_MODE: &str = "associationMode";
    /// Read-only (reference §4c).
    pub const CHALLENGE_BINDING_METHODS: &str = "challengeBindingMethods";
}

const CLIENT_ID: &str = "clientId";
const CLIENT_SECRET: &str = "clientSecret";

/// Whether a translation feeds a create or an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// A new connection: read-only vendor state cannot be carried over.
    Create,
    /// An existing one: read-only state stays as the server has it.
    Update,
}

/// Why purpose switches may not survive.
const PURPOSE_REASON: &str = "GenAuth connections always allow sign-in, switch only linking (loginOnly) and keep no upstream tokens";

/// The one translation flow: the wire body and its losses, purpose losses from what GenAuth
/// will hold, and the policy's verdict. `fixed_parent` is the identity source every new
/// connection goes under when the configuration names one.
pub fn translate(
    connection: &Connection,
    policy: &Policy,
    intent: Intent,
    fixed_parent: Option<&str>,
) -> Result<(CreateConn, Translation)> {
    let (mut body, mut losses) = to_wire(connection, intent)?;
    if body.ext_idp_id.is_empty()
        && let Some(id) = fixed_parent
    {
        body.ext_idp_id = id.to_string();
    }
    let held = from_wire(&held(&body));
    losses.extend(purpose_losses(
        &connection.purpose,
        &held.purpose,
        PURPOSE_REASON,
    ));
    let report = TranslationReport {
        vendor: Vendor::GenAuth,
        connection: connection.name.clone(),
        losses,
    };
    policy.admit(connection, &report)?;
    let payload = printable(&body);
    Ok((
        body,
        Translation {
            connection: held,
            payload,
            report,
        },
    ))
}

/// Translates a neutral connection into a `create-ext-idp-conn` body (its `extIdpId` from
/// extras, or empty for the client to place), and every loss except purpose losses, which the
/// caller computes from the read-back ([`idconn_core::purpose_losses`]).
///
/// Fails with [`Error::InvalidInput`] on a local rule (display name, logo URL, settings that do
/// not fit the kind, malformed extras) and [`Error::Unsupported`] for a kind GenAuth lacks.
pub fn to_wire(connection: &Connection, intent: Intent) -> Result<(CreateConn, Vec<Loss>)> {
    connection.check_settings_fit_kind()?;
    let mut losses = Vec::new();
    let kind = connection_type(&connection.kind)?;
    let read_back = kind_of(&kind);
    if read_back != connection.kind {
        losses.push(Loss::changed(
            "kind",
            connection.kind.to_string(),
            read_back.to_string(),
            format!("GenAuth type \"{kind}\" is read back as this kind"),
        ));
    }
    let identifier = identifier(&connection.name, &mut losses)?;
    let display_name = match connection.display_name.as_deref() {
        Some(name) if name.trim().is_empty() => {
            return Err(Error::invalid("display_name", "must not be blank"));
        }
        Some(name) => name.to_string(),
        // displayName is required (SPEC CreateExtIdpConnDto): the name shows instead, which is
        // what a login page without a display name shows anyway; not a loss.
        None => connection.name.clone(),
    };
    let logo = match connection.logo_url.as_deref() {
        Some(url) => Some(validate::https_url("logo_url", url)?.to_string()),
        None => None,
    };

    let extras = connection.extras_for(Vendor::GenAuth);
    let ext_idp_id = match extras.get(extras_keys::EXT_IDP_ID) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(id)) => id.clone(),
        Some(_) => {
            return Err(Error::invalid(
                "extras.genauth.extIdpId",
                "must be a string (the parent identity source's id)",
            ));
        }
    };
    let mut fields = match extras.get(extras_keys::FIELDS) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(fields)) => fields.clone(),
        Some(_) => {
            return Err(Error::invalid(
                "extras.genauth.fields",
                "must be an object (GenAuth's connection fields)",
            ));
        }
    };
    // The typed settings own these two keys.
    fields.remove(CLIENT_ID);
    fields.remove(CLIENT_SECRET);
    settings_to_fields(connection, intent, &mut fields, &mut losses);

    // loginOnly from the link switch; sign-in cannot be forbidden (a widening the caller finds
    // with purpose_losses on the read-back).
    let login_only = connection.purpose.link.map(|link| !link);

    if let Some(enabled) = connection.enabled {
        losses.push(Loss::dropped(
            "enabled",
            enabled.to_string(),
            "GenAuth switches connections on per application (change-ext-idp-conn-state), not on the connection",
        ));
    }
    if let Some(show) = connection.show_on_login {
        losses.push(Loss::dropped(
            "show_on_login",
            show.to_string(),
            "GenAuth connections have no show-on-login switch",
        ));
    }
    if !connection.domains.is_empty() {
        losses.push(Loss::dropped(
            "domains",
            connection.domains.join(", "),
            "GenAuth connections hold no home-realm domains",
        ));
    }
    if let Some(map) = &connection.attribute_map {
        // The V3 management API has no attribute mapping for ext-idp connections
        // (CreateExtIdpConnDto, UpdateExtIdpConnDto); unknown `fields` keys would be stored
        // silently and mean nothing, so none is invented.
        losses.extend(map.all_losses("GenAuth has no attribute mapping for ext-idp connections"));
    }
    if intent == Intent::Create {
        read_only_losses(&extras, &mut losses);
    }
    Ok((
        CreateConn {
            ext_idp_id,
            kind,
            identifier,
            display_name,
            fields,
            login_only,
            logo,
            tenant_id: None,
        },
        losses,
    ))
}

fn settings_to_fields(
    connection: &Connection,
    intent: Intent,
    fields: &mut Map<String, Value>,
    losses: &mut Vec<Loss>,
) {
    let no_key = "GenAuth publishes no fields key for it (reference/genauth.md §4d)";
    match &connection.settings {
        Settings::None => {}
        Settings::OAuth(oauth) => {
            if let Some(id) = &oauth.client_id {
                fields.insert(CLIENT_ID.into(), json!(id));
            }
            match &oauth.client_secret {
                ClientSecret::Known(_) => {
                    let value = oauth.client_secret.expose().unwrap_or_default();
                    fields.insert(CLIENT_SECRET.into(), json!(value));
                }
                // On update, leaving the key out keeps the stored secret (fields merge).
                ClientSecret::Masked if intent == Intent::Create => losses.push(Loss::dropped(
                    "settings.client_secret",
                    "(masked)",
                    "the source did not reveal the secret's value",
                )),
                ClientSecret::Masked | ClientSecret::Absent => {}
            }
            let OAuthSettings {
                scopes,
                issuer,
                discovery_url,
                authorization_url,
                token_url,
                userinfo_url,
                jwks_url,
                client_auth_method,
                pkce,
                tenant,
                ..
            } = oauth;
            if !scopes.is_empty() {
                losses.push(Loss::dropped("settings.scopes", scopes.join(" "), no_key));
            }
            for (field, value) in [
                ("settings.issuer", issuer),
                ("settings.discovery_url", discovery_url),
                ("settings.authorization_url", authorization_url),
                ("settings.token_url", token_url),
                ("settings.userinfo_url", userinfo_url),
                ("settings.jwks_url", jwks_url),
                ("settings.tenant", tenant),
            ] {
                if let Some(value) = value {
                    losses.push(Loss::dropped(field, value.clone(), no_key));
                }
            }
            if let Some(method) = client_auth_method {
                losses.push(Loss::dropped(
                    "settings.client_auth_method",
                    method.as_str(),
                    no_key,
                ));
            }
            if let Some(pkce) = pkce {
                losses.push(Loss::dropped("settings.pkce", pkce.to_string(), no_key));
            }
        }
        Settings::Saml(saml) => {
            let strings = [
                ("settings.sign_in_url", &saml.sign_in_url),
                ("settings.sign_out_url", &saml.sign_out_url),
                ("settings.idp_entity_id", &saml.idp_entity_id),
                ("settings.sp_entity_id", &saml.sp_entity_id),
                ("settings.name_id_format", &saml.name_id_format),
            ];
            for (field, value) in strings {
                if let Some(value) = value {
                    losses.push(Loss::dropped(field, value.clone(), no_key));
                }
            }
            if !saml.signing_certificates.is_empty() {
                losses.push(Loss::dropped(
                    "settings.signing_certificates",
                    format!("{} certificate(s)", saml.signing_certificates.len()),
                    no_key,
                ));
            }
            if let Some(sign) = saml.sign_requests {
                losses.push(Loss::dropped(
                    "settings.sign_requests",
                    sign.to_string(),
                    no_key,
                ));
            }
        }
        Settings::Directory(directory) => {
            for (field, value) in [
                ("settings.url", &directory.url),
                ("settings.base_dn", &directory.base_dn),
            ] {
                if let Some(value) = value {
                    losses.push(Loss::dropped(field, value.clone(), no_key));
                }
            }
        }
    }
}

/// `associationMode` and `challengeBindingMethods` are console-managed (reference §4c): a new
/// connection starts with GenAuth's defaults, so a source that had others loses them.
fn read_only_losses(extras: &Map<String, Value>, losses: &mut Vec<Loss>) {
    let why = "read-only through the V3 API (reference/genauth.md §4c); a new connection gets the console default";
    if let Some(mode) = extras.get(extras_keys::ASSOCIATION_MODE) {
        losses.push(Loss::dropped(
            "extras.genauth.associationMode",
            mode.to_string(),
            why,
        ));
    }
    if let Some(methods) = extras.get(extras_keys::CHALLENGE_BINDING_METHODS) {
        losses.push(Loss::dropped(
            "extras.genauth.challengeBindingMethods",
            methods.to_string(),
            why,
        ));
    }
}

/// Reads a stored connection (with `fields`, as `get-ext-idp` lists it) into the model.
pub fn from_wire(conn: &Conn) -> Connection {
    let kind = kind_of(&conn.kind);
    let mut fields = conn.fields.clone().unwrap_or_default();
    let takes_oauth = matches!(
        kind,
        ConnectionKind::Oidc
            | ConnectionKind::OAuth2
            | ConnectionKind::AzureAd
            | ConnectionKind::Social(_)
            | ConnectionKind::Custom(_)
    );
    let mut settings = Settings::None;
    if takes_oauth {
        let client_id = take_string(&mut fields, CLIENT_ID);
        let client_secret = take_string(&mut fields, CLIENT_SECRET)
            .filter(|s| !s.is_empty())
            .map_or(ClientSecret::Absent, ClientSecret::known);
        if client_id.is_some() || client_secret.is_known() {
            settings = Settings::OAuth(OAuthSettings {
                client_id,
                client_secret,
                ..OAuthSettings::default()
            });
        }
    }
    fields.retain(|key, _| !is_secret_key(key));

    let mut extras = conn.other.clone();
    extras.retain(|key, _| !is_secret_key(key));
    if !conn.ext_idp_id.is_empty() {
        extras.insert(extras_keys::EXT_IDP_ID.into(), json!(conn.ext_idp_id));
    }
    if !fields.is_empty() {
        extras.insert(extras_keys::FIELDS.into(), Value::Object(fields));
    }
    if let Some(mode) = conn.association_mode.as_deref().filter(|m| *m != "none") {
        extras.insert(extras_keys::ASSOCIATION_MODE.into(), json!(mode));
    }
    if let Some(methods) = conn
        .challenge_binding_methods
        .as_ref()
        .filter(|m| !m.is_empty())
    {
        extras.insert(
            extras_keys::CHALLENGE_BINDING_METHODS.into(),
            json!(methods),
        );
    }

    let mut connection = Connection::new(conn.identifier.clone(), kind);
    connection.id = Some(conn.id.clone()).filter(|id| !id.is_empty());
    connection.display_name = conn.display_name.clone().filter(|n| !n.is_empty());
    connection.settings = settings;
    connection.purpose = purpose_of(conn.login_only);
    connection.logo_url = conn.logo.clone().filter(|l| !l.is_empty());
    if !extras.is_empty() {
        connection.extras.insert(Vendor::GenAuth, extras);
    }
    connection
}

fn take_string(fields: &mut Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key) {
        Some(Value::String(_)) => fields
            .remove(key)
            .and_then(|v| v.as_str().map(str::to_owned)),
        _ => None,
    }
}

/// What GenAuth will hold after creating `body`: the stored connection it amounts to (no id
/// yet; the server's defaults for what the body leaves out).
pub fn held(body: &CreateConn) -> Conn {
    Conn {
        id: String::new(),
        kind: body.kind.clone(),
        ext_idp_id: body.ext_idp_id.clone(),
        identifier: body.identifier.clone(),
        display_name: Some(body.display_name.clone()),
        logo: body.logo.clone(),
        login_only: body.login_only.unwrap_or(false),
        association_mode: None,
        challenge_binding_methods: None,
        fields: Some(body.fields.clone()),
        other: Map::new(),
    }
}
