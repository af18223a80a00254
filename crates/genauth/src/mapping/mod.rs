//! Pure translation between the neutral [`Connection`] and GenAuth's connection JSON. No I/O.
//!
//! | neutral | GenAuth (`CreateExtIdpConnDto` / `ExtIdpConnDetail` of the V3 management API) |
//! |---|---|
//! | `name` | `identifier` (immutable) |
//! | `display_name` | `displayName` (required: the name stands in when there is none) |
//! | `kind` | `type` ([`kind_of`]) |
//! | `settings` | `fields`, with the keys of each connection type ([`fields`]) |
//! | `purpose` | `loginOnly` (see [`purpose_of`]) |
//! | `logo_url` | `logo` (`""` is none) |
//! | `extras.genauth` | `extIdpId`, the other `fields` keys, read-only keys |
//!
//! GenAuth publishes no schema for `fields`. The keys with evidence are mapped per connection
//! type ([`fields`]); a setting with no known key is a reported loss, and a setting carried
//! under a key known only from GenAuth's login UI is a note. Every other key travels verbatim
//! in `extras.genauth.fields`, except secret-looking keys, which never go to extras (an update
//! merges `fields`, so the server keeps them).

pub mod applications;
pub mod fields;
mod kind;
mod merge;
mod name;
mod oauth;
pub mod placement;
mod purpose;
mod saml;
mod secrets;

use idconn_core::validate;
use idconn_core::{
    Connection, Error, Loss, Policy, Result, Settings, Translation, TranslationReport, Vendor,
    held_secret_losses, purpose_losses, record_held_secrets,
};
use serde_json::{Map, Value, json};

pub use kind::{CONNECTION_TYPES, EXT_IDP_TYPES, connection_type, ext_idp_type, kind_of};
pub use merge::{for_update, update_body};
pub use name::{NAME_MAX, NAME_RULE, is_valid_name, name_char};
pub use purpose::purpose_of;
pub use secrets::{is_secret_key, printable};

use crate::wire::{Conn, CreateConn};
use fields::Family;
use name::identifier;

/// Keys of `extras.genauth`.
pub mod extras_keys {
    /// The parent identity source.
    pub const EXT_IDP_ID: &str = "extIdpId";
    /// The `fields` keys the model does not read (see [`fields`](super::fields)).
    pub const FIELDS: &str = "fields";
    /// Read-only.
    pub const ASSOCIATION_MODE: &str = "associationMode";
    /// Read-only.
    pub const CHALLENGE_BINDING_METHODS: &str = "challengeBindingMethods";
}

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
    let (mut body, mut report) = to_wire(connection, intent)?;
    if body.ext_idp_id.is_empty()
        && let Some(id) = fixed_parent
    {
        body.ext_idp_id = id.to_string();
    }
    let mut held = readback(&body)?;
    held.applications = applications::held(connection);
    if chosen_mode(connection) {
        // The mode a new OIDC connection gets when the source states none is GenAuth's
        // requirement, not the source's: an update that states none leaves the stored one, so
        // it is no part of what must match.
        if let Settings::OAuth(settings) = &mut held.settings {
            settings.channel = None;
        }
    }
    report.losses.extend(held_secret_losses(
        connection,
        Vendor::GenAuth,
        intent == Intent::Create,
    ));
    report.losses.extend(purpose_losses(
        &connection.purpose,
        &held.purpose,
        PURPOSE_REASON,
    ));
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

/// Whether `to_wire` chooses the OIDC `mode` of `connection`: neither its channel nor its
/// GenAuth extras state one.
fn chosen_mode(connection: &Connection) -> bool {
    let stated = connection
        .settings
        .oauth()
        .is_some_and(|s| s.channel.is_some())
        || connection
            .extras_for(Vendor::GenAuth)
            .get(extras_keys::FIELDS)
            .is_some_and(|fields| fields.get(fields::OIDC_MODE).is_some());
    !stated
}

/// Translates a neutral connection into a `create-ext-idp-conn` body (its `extIdpId` from
/// extras, or empty for the client to place), and its report: every loss except purpose
/// losses, which the caller computes from the read-back ([`idconn_core::purpose_losses`]), and
/// a note for each setting carried under a key known only from GenAuth's login UI.
///
/// Fails with [`Error::InvalidInput`] on a local rule (display name, logo URL, settings that do
/// not fit the kind, malformed extras) and [`Error::Unsupported`] for a kind GenAuth lacks.
pub fn to_wire(connection: &Connection, intent: Intent) -> Result<(CreateConn, TranslationReport)> {
    connection.check_settings_fit_kind()?;
    let mut report = TranslationReport::new(Vendor::GenAuth, connection.name.clone());
    let losses = &mut report.losses;
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
    let identifier = identifier(&connection.name, losses)?;
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
    // Extras hold a modelled key only when the model could not read its value: it goes back
    // as it came unless the settings now say otherwise.
    settings_to_fields(connection, &kind, intent, &mut fields, &mut report)?;
    let losses = &mut report.losses;

    // loginOnly from the link switch; sign-in cannot be forbidden (a widening the caller finds
    // with purpose_losses on the read-back).
    let login_only = connection.purpose.link.map(|link| !link);

    losses.extend(applications::losses(connection));
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
        read_only_losses(&extras, losses);
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
        report,
    ))
}

fn settings_to_fields(
    connection: &Connection,
    connection_type: &str,
    intent: Intent,
    fields: &mut Map<String, Value>,
    report: &mut TranslationReport,
) -> Result<()> {
    let what = fields::described(connection_type);
    let lost = |setting: &str| format!("GenAuth has no setting for the {setting} of {what}");
    match &connection.settings {
        Settings::None => {}
        Settings::OAuth(settings) => {
            oauth::write(connection_type, settings, intent, fields, report)
        }
        Settings::Saml(settings) if fields::family(connection_type) == Family::Saml => {
            saml::write(settings, intent, fields, report)?;
        }
        Settings::Saml(_) => report.push(Loss::dropped(
            "settings",
            "SAML settings",
            lost("SAML settings"),
        )),
        Settings::Directory(directory) => {
            for (field, value, setting) in [
                ("settings.url", &directory.url, "directory URL"),
                ("settings.base_dn", &directory.base_dn, "base DN"),
            ] {
                if let Some(value) = value {
                    report.push(Loss::dropped(field, value.clone(), lost(setting)));
                }
            }
        }
        // A protocol family newer than this backend.
        _ => report.push(Loss::dropped(
            "settings",
            "(settings of another protocol)",
            "this GenAuth backend does not know the protocol",
        )),
    }
    Ok(())
}

/// `associationMode` and `challengeBindingMethods` are console-managed (`UpdateExtIdpConnDto`
/// has neither): a new connection starts with GenAuth's defaults, so a source that had others
/// loses them.
fn read_only_losses(extras: &Map<String, Value>, losses: &mut Vec<Loss>) {
    let why = "GenAuth's management API cannot set it (only its console can); a new connection gets the console's default";
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

/// Reads a stored connection (with `fields`, as `get-ext-idp` lists it) into the model. A
/// record without an identifier is no connection (the identifier is its name): that is an
/// [`Error::Decode`], which a listing reports as a skipped record.
pub fn from_wire(conn: &Conn) -> Result<Connection> {
    if conn.identifier.is_empty() {
        return Err(Error::Decode {
            vendor: Vendor::GenAuth,
            path: "identifier".into(),
            message: "a connection needs an identifier".into(),
            excerpt: conn.id.clone(),
        });
    }
    let kind = kind_of(&conn.kind);
    let mut fields = conn.fields.clone().unwrap_or_default();
    let mut read_notes = Vec::new();
    let settings = match fields::family(&conn.kind) {
        Family::Saml => {
            let (settings, notes) = saml::read(&mut fields);
            read_notes.extend(notes);
            settings.map(Settings::Saml)
        }
        Family::Unknown => None,
        Family::Oidc | Family::OAuth2 | Family::AzureAd | Family::Social => {
            oauth::read(&conn.kind, &mut fields, &mut read_notes).map(Settings::OAuth)
        }
    }
    .unwrap_or_default();
    // Secrets never go to extras; their names do, so that a copy elsewhere reports them.
    let mut held_secrets: Vec<String> = fields
        .keys()
        .filter(|key| is_secret_key(key))
        .map(|key| format!("fields.{key}"))
        .collect();
    fields.retain(|key, _| !is_secret_key(key));

    let mut extras = conn.other.clone();
    held_secrets.extend(extras.keys().filter(|key| is_secret_key(key)).cloned());
    extras.retain(|key, _| !is_secret_key(key));
    record_held_secrets(&mut extras, held_secrets);
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
    connection.read_notes = read_notes;
    Ok(connection)
}

/// The connection GenAuth will hold after creating `body` (before server defaults), as the
/// other backends' `readback` answers it.
pub fn readback(body: &CreateConn) -> Result<Connection> {
    from_wire(&held(body))
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
