//! Pure translation between the neutral model and Auth0's wire JSON. No I/O.
//!
//! | neutral | Auth0 (OAS schema) |
//! |---|---|
//! | `name` | `name` (rewritten and reported when Auth0 cannot hold it) |
//! | `display_name` | `display_name` (always sent on PATCH: an omitted one resets to `name`) |
//! | `kind` | `strategy`; `okta`/`adfs` remembered in extras |
//! | `settings` | `options` per strategy (`ConnectionOptions*`), merged over unmodelled keys |
//! | `settings.channel` | oidc, okta `options.type` (`mapping/protocol.rs`) |
//! | `settings.request_*` (SAML) | samlp `options.signatureAlgorithm`, `digestAlgorithm`, `protocolBinding` |
//! | `purpose.sign_in` | `authentication.active` |
//! | `purpose.store_tokens` | `connected_accounts.active` (Token Vault) |
//! | `purpose.link` | none: a loss when set |
//! | `enabled` | none on the connection: off is "enabled for no application" (see `applications`) |
//! | `applications` | `GET`/`PATCH /connections/{id}/clients`, client names resolved to ids by the client |
//! | `logo_url` | `options.icon_url` where the strategy's schema has it |
//! | `show_on_login` | `show_as_button` |
//! | `domains` | `realms` (the server's default `[name]` reads as none) |
//! | `attribute_map` | `options.attribute_map` (oidc, okta), `options.fieldsMap` (samlp): `mapping/attribute_map.rs` |
//! | extras | `is_domain_connection`, `metadata`, unmodelled `options` keys, ... |

pub mod applications;
mod attribute_map;
mod checks;
mod extras;
mod options_read;
mod options_write;
mod protocol;
mod scopes;
mod secrets;
mod strategy;

pub use attribute_map::{MAX_FIELDS, MAX_SAML_NAME_LEN, MAX_SAML_NAMES, MAX_USERINFO_SCOPE_LEN};
pub use checks::{DISPLAY_NAME_MAX, MAX_REALMS, NAME_MAX, NAME_RULE, is_valid_name, name_char};

use idconn_core::{
    Connection, ConnectionKind, DirectorySettings, Error, Extras, Loss, OAuthSettings, Policy,
    Purpose, ReadNote, Result, SamlSettings, Settings, Translation, TranslationReport, Vendor,
    held_secret_losses, purpose_losses, record_held_secrets, validate,
};
use serde_json::{Map, Value};

use crate::wire::{self, AuthenticationPurpose, ConnectedAccountsPurpose, CreateConnection};
use options_write::Desired;
use strategy::family;

/// The neutral connection a wire connection describes. Secrets come back as known values when
/// the token may read options; unmodelled fields go to `extras["auth0"]` (secrets never do).
pub fn from_wire(wire: &wire::Connection) -> Result<Connection> {
    from_wire_owned(wire.clone())
}

/// [`from_wire`] for a wire connection the caller no longer needs (an API answer): its
/// options are read in place instead of copied.
pub fn from_wire_owned(mut wire: wire::Connection) -> Result<Connection> {
    if wire.name.is_empty() {
        return Err(Error::Decode {
            vendor: Vendor::Auth0,
            path: "name".into(),
            message: "a connection needs a name".into(),
            excerpt: wire.id.clone().unwrap_or_default(),
        });
    }
    let family = family(&wire.strategy);
    let mut read_notes = Vec::new();
    let (settings, logo_url, mut rest) = match wire.options.take() {
        Some(options) => {
            let options = Value::Object(options);
            match options_read::read(family, &wire.name, &options) {
                Ok(read) => {
                    read_notes = read.notes;
                    (read.settings, read.logo_url, read.rest)
                }
                // Options the model cannot read stay verbatim in extras (secrets aside: the
                // server keeps those on update), and the read says why.
                Err(Error::Decode { path, message, .. }) => {
                    read_notes.push(ReadNote::new(path, message));
                    let options = match options {
                        Value::Object(options) => options,
                        _ => Map::new(),
                    };
                    (Settings::None, None, options)
                }
                Err(error) => return Err(error),
            }
        }
        // Without read:connections_options the server omits options.
        None => (Default::default(), None, Map::new()),
    };
    let settings = if settings.is_empty_settings() {
        Settings::None
    } else {
        settings
    };
    let attribute_map = attribute_map::read(&wire.strategy, &mut rest);
    // The names of the secret-bearing options the server holds (values never leave it): a
    // copy elsewhere reports each as a loss.
    let held_secrets = options_read::held_secrets(&rest);
    let mut extras_map = extras::from_wire(&wire, options_read::without_secrets(rest));
    record_held_secrets(&mut extras_map, held_secrets);
    let mut extras = Extras::new();
    if !extras_map.is_empty() {
        extras.insert(Vendor::Auth0, extras_map);
    }
    let realms = wire.realms.take().unwrap_or_default();
    // OAS: "If the array is empty or the property is not specified, the connection name will
    // be added as realm." That default is not a domain anyone chose.
    let domains = if realms.len() == 1 && realms[0] == wire.name {
        Vec::new()
    } else {
        realms
    };
    Ok(Connection {
        kind: strategy::kind_of(&wire.strategy),
        id: wire.id,
        name: wire.name,
        display_name: wire.display_name,
        settings,
        purpose: purpose_of(wire.authentication, wire.connected_accounts),
        enabled: None,
        logo_url,
        show_on_login: wire.show_as_button,
        domains,
        extras,
        read_notes,
        attribute_map,
        applications: None,
    })
}

/// The purpose Auth0's two switches express (OAS
/// `ConnectionAuthenticationPurpose`, `ConnectionConnectedAccountsPurpose`). Auth0 has no
/// account-linking switch.
fn purpose_of(
    authentication: Option<AuthenticationPurpose>,
    connected_accounts: Option<ConnectedAccountsPurpose>,
) -> Purpose {
    Purpose {
        sign_in: authentication.map(|a| a.active),
        link: None,
        store_tokens: connected_accounts.map(|c| c.active),
    }
}

/// The create payload for a connection, and what it loses. Local validation failures are
/// `InvalidInput` errors; a kind with no Auth0 strategy is `Unsupported`.
pub fn to_wire(connection: &Connection) -> Result<(CreateConnection, Vec<Loss>)> {
    build(connection, None)
}

/// Builds the payload over `current_options` (the server's, on update) or extras' options.
fn build(
    connection: &Connection,
    current_options: Option<&Map<String, Value>>,
) -> Result<(CreateConnection, Vec<Loss>)> {
    connection.check_settings_fit_kind()?;
    checks::check(connection)?;
    let extras = extras::parse(connection)?;
    let strategy = strategy::strategy_of(&connection.kind, extras.strategy.as_deref())?;
    let mut losses = Vec::new();

    let (name, rewritten) = validate::fit_name(
        &connection.name,
        is_valid_name(&connection.name),
        NAME_MAX,
        name_char,
        NAME_RULE,
    )?;
    losses.extend(rewritten);

    let (base, base_field) = match current_options {
        Some(current) => {
            let mut merged = current.clone();
            merged.extend(extras.options.clone());
            (merged, "options")
        }
        None => (extras.options.clone(), "extras.auth0.options"),
    };
    let desired = Desired {
        strategy: &strategy,
        settings: &connection.settings,
        logo_url: connection.logo_url.as_deref(),
    };
    let mut options =
        options_write::write(family(&strategy), &desired, base, base_field, &mut losses)?;
    attribute_map::write(
        &strategy,
        connection.attribute_map.as_ref(),
        &mut options,
        &mut losses,
    )?;

    losses.extend(applications::losses(connection));
    let payload = CreateConnection {
        name,
        strategy,
        display_name: connection.display_name.clone(),
        options,
        realms: (!connection.domains.is_empty()).then(|| connection.domains.clone()),
        is_domain_connection: extras.is_domain_connection,
        show_as_button: connection.show_on_login,
        metadata: extras.metadata,
        authentication: connection
            .purpose
            .sign_in
            .map(|active| AuthenticationPurpose { active }),
        connected_accounts: connection.purpose.store_tokens.map(|active| {
            ConnectedAccountsPurpose {
                active,
                cross_app_access: extras.cross_app_access,
            }
        }),
        cross_app_access_requesting_app: extras.cross_app_access_requesting_app,
    };
    Ok((payload, losses))
}

/// The PATCH body that makes the connection `current` (as the server holds it) match
/// `desired`, and what it loses. The desired settings are merged over the server's options so
/// that keys the model does not cover survive the whole-`options` replace; `display_name` is
/// always sent; `name` and `strategy` never are, and a change to either is refused.
pub fn update_payload(
    desired: &Connection,
    current: &wire::Connection,
) -> Result<(wire::UpdateConnection, Vec<Loss>)> {
    let Some(current_options) = &current.options else {
        return Err(Error::Forbidden {
            vendor: Vendor::Auth0,
            message: "the server hid the connection's options from this token, and a PATCH \
                      with options replaces them whole; refusing to wipe them"
                .into(),
            missing_scope: Some("read:connections_options".into()),
        });
    };
    let (payload, losses) = build(desired, Some(current_options))?;
    validate::unchanged(
        "name",
        "an Auth0 connection's name",
        current.name.as_str(),
        payload.name.as_str(),
    )?;
    validate::unchanged(
        "kind",
        "an Auth0 connection's strategy",
        current.strategy.as_str(),
        payload.strategy.as_str(),
    )?;
    let update = wire::UpdateConnection {
        display_name: payload.display_name.unwrap_or_else(|| payload.name.clone()),
        options: payload.options,
        realms: payload.realms.unwrap_or_default(),
        is_domain_connection: payload.is_domain_connection,
        show_as_button: payload.show_as_button,
        metadata: payload.metadata,
        authentication: payload.authentication,
        connected_accounts: payload.connected_accounts,
        cross_app_access_requesting_app: payload.cross_app_access_requesting_app,
    };
    Ok((update, losses))
}

/// The connection the server will hold after creating `payload` (before server defaults).
pub fn readback(payload: &CreateConnection) -> Result<Connection> {
    from_wire(&wire::Connection {
        id: None,
        name: payload.name.clone(),
        display_name: payload.display_name.clone(),
        strategy: payload.strategy.clone(),
        options: Some(payload.options.clone()),
        realms: payload.realms.clone(),
        is_domain_connection: payload.is_domain_connection,
        show_as_button: payload.show_as_button,
        metadata: payload.metadata.clone(),
        authentication: payload.authentication,
        connected_accounts: payload.connected_accounts,
        cross_app_access_requesting_app: payload.cross_app_access_requesting_app.clone(),
        enabled_clients: None,
    })
}

/// A create's payload to send (with its secrets) and its report: the mapping's losses plus the
/// purpose and kind losses found by comparing the source with what the payload holds, after the
/// policy. No I/O.
pub fn plan_create(
    connection: &Connection,
    policy: &Policy,
) -> Result<(CreateConnection, TranslationReport)> {
    let (payload, mut losses) = to_wire(connection)?;
    losses.extend(held_secret_losses(connection, Vendor::Auth0, true));
    let held = Held {
        kind: strategy::kind_of(&payload.strategy),
        purpose: purpose_of(payload.authentication, payload.connected_accounts),
    };
    let report = report(connection, held, &payload.strategy, losses);
    policy.admit(connection, &report)?;
    Ok((payload, report))
}

/// The PATCH body for an update of `current` to `connection`, and its report, after the
/// policy. No I/O: the caller read `current` first, so that what the server keeps (a secret,
/// unmodelled options) is not counted as lost.
pub fn plan_update(
    connection: &Connection,
    current: &wire::Connection,
    policy: &Policy,
) -> Result<(wire::UpdateConnection, TranslationReport)> {
    let (update, mut losses) = update_payload(connection, current)?;
    losses.extend(held_secret_losses(connection, Vendor::Auth0, false));
    // PATCH semantics: a switch absent from the body keeps its value.
    let held = Held {
        kind: strategy::kind_of(&current.strategy),
        purpose: purpose_of(
            update.authentication.or(current.authentication),
            update.connected_accounts.or(current.connected_accounts),
        ),
    };
    let report = report(connection, held, &current.strategy, losses);
    policy.admit(connection, &report)?;
    Ok((update, report))
}

/// The translation of a create (see [`plan_create`]) without the payload's secrets.
pub fn translate(connection: &Connection, policy: &Policy) -> Result<Translation> {
    let (payload, report) = plan_create(connection, policy)?;
    let mut held = readback(&payload)?;
    held.applications = applications::held(connection);
    Ok(Translation {
        connection: held,
        payload: printable(&payload),
        report,
    })
}

/// What the target will hold of the fields [`report`] compares.
struct Held {
    kind: ConnectionKind,
    purpose: Purpose,
}

/// The report: the mapping's losses plus those found by comparing source and target.
fn report(
    source: &Connection,
    target: Held,
    strategy: &str,
    mut losses: Vec<Loss>,
) -> TranslationReport {
    losses.extend(purpose_losses(
        &source.purpose,
        &target.purpose,
        "Auth0 connections have no account-linking switch",
    ));
    if target.kind != source.kind {
        losses.push(Loss::changed(
            "kind",
            source.kind.to_string(),
            target.kind.to_string(),
            format!("Auth0 holds it as the {strategy} strategy"),
        ));
    }
    TranslationReport {
        vendor: Vendor::Auth0,
        connection: source.name.clone(),
        losses,
        notes: Vec::new(),
    }
}

/// A payload safe to print: every secret-bearing option masked.
pub fn printable(payload: &CreateConnection) -> Value {
    let mut value = serde_json::to_value(payload).unwrap_or(Value::Null);
    if let Some(options) = value.get_mut("options").and_then(Value::as_object_mut) {
        secrets::mask(options);
    }
    value
}

/// Empty typed settings read as no settings, so that a connection whose options say nothing
/// modelled compares equal to one that never had settings.
trait EmptySettings {
    fn is_empty_settings(&self) -> bool;
}

impl EmptySettings for Settings {
    fn is_empty_settings(&self) -> bool {
        match self {
            Settings::OAuth(s) => *s == OAuthSettings::default(),
            Settings::Saml(s) => *s == SamlSettings::default(),
            Settings::Directory(d) => *d == DirectorySettings::default(),
            Settings::None => true,
            _ => false,
        }
    }
}
