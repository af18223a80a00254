//! OAuth-family settings (OIDC, OAuth 2.0, Azure AD, social) <-> `fields`, with the keys of
//! [`super::fields::oauth_keys`].

use idconn_core::spelling;
use idconn_core::{ClientSecret, Loss, Note, OAuthSettings, ReadNote, TranslationReport};
use serde_json::{Map, Value, json};

use super::Intent;
use super::fields::{self, Evidence, OAuthKeys, ScopeFormat};

/// The path an OpenID issuer serves its discovery document at (OpenID Connect Discovery 1.0 §4).
const WELL_KNOWN: &str = "/.well-known/openid-configuration";

/// Writes `oauth` into `fields` for a connection of `connection_type`; what has no key is a
/// loss, and a key known only from GenAuth's login UI is a note.
pub(super) fn write(
    connection_type: &str,
    oauth: &OAuthSettings,
    intent: Intent,
    fields: &mut Map<String, Value>,
    report: &mut TranslationReport,
) {
    let what = fields::described(connection_type);
    let keys = fields::oauth_keys(connection_type);
    let mut out = Writer {
        fields,
        report,
        what: &what,
        keys,
    };
    out.put(
        "settings.client_id",
        "client id",
        |k| Some(k.client_id),
        oauth.client_id.clone().map(Value::String),
    );
    match &oauth.client_secret {
        ClientSecret::Known(_) => {
            let value = oauth.client_secret.expose().map(|s| json!(s));
            out.put_as(
                "settings.client_secret",
                "client secret",
                |k| k.client_secret,
                value,
                "(set)",
            );
        }
        // On update, leaving the key out keeps the stored secret (fields merge).
        ClientSecret::Masked if intent == Intent::Create => out.report.push(Loss::dropped(
            "settings.client_secret",
            "(masked)",
            "the source did not reveal the secret's value",
        )),
        ClientSecret::Masked | ClientSecret::Absent => {}
    }
    if !oauth.scopes.is_empty() {
        let (value, shown) = match keys.and_then(|k| k.scopes) {
            Some((_, ScopeFormat::List)) => (json!(oauth.scopes), oauth.scopes.join(" ")),
            _ => (json!(oauth.scopes.join(" ")), oauth.scopes.join(" ")),
        };
        out.put_as(
            "settings.scopes",
            "scopes",
            |k| k.scopes.map(|s| s.0),
            Some(value),
            &shown,
        );
    }
    let issuer = oauth.issuer.clone().or_else(|| {
        // GenAuth discovers an OIDC connection's endpoints from its issuer, so a discovery URL
        // alone names the issuer.
        let discovery = oauth.discovery_url.as_deref()?;
        let issuer = discovery.strip_suffix(WELL_KNOWN)?;
        keys.and_then(|k| k.issuer).is_some().then(|| {
            out.report.notes.push(Note::new(
                "settings.discovery_url",
                "GenAuth discovers the endpoints from the issuer, which the discovery URL names",
            ));
            issuer.to_string()
        })
    });
    out.put(
        "settings.issuer",
        "issuer",
        |k| k.issuer,
        issuer.clone().map(Value::String),
    );
    if let Some(discovery) = &oauth.discovery_url {
        let implied = issuer
            .as_deref()
            .map(|i| format!("{}{WELL_KNOWN}", i.trim_end_matches('/')));
        let carried =
            keys.and_then(|k| k.issuer).is_some() && implied.as_deref() == Some(discovery.as_str());
        if !carried {
            out.lost("settings.discovery_url", discovery.clone(), "discovery URL");
        }
    }
    out.put(
        "settings.authorization_url",
        "authorization endpoint",
        |k| k.authorization,
        oauth.authorization_url.clone().map(Value::String),
    );
    out.put(
        "settings.token_url",
        "token endpoint",
        |k| k.token,
        oauth.token_url.clone().map(Value::String),
    );
    if let Some(url) = &oauth.userinfo_url {
        out.lost("settings.userinfo_url", url.clone(), "userinfo endpoint");
    }
    if let Some(url) = &oauth.jwks_url {
        out.lost("settings.jwks_url", url.clone(), "JWKS endpoint");
    }
    if let Some(method) = &oauth.client_auth_method {
        out.lost(
            "settings.client_auth_method",
            method.as_str().to_string(),
            "client authentication method",
        );
    }
    if let Some(pkce) = oauth.pkce {
        out.lost("settings.pkce", pkce.to_string(), "PKCE switch");
    }
    if let Some(tenant) = &oauth.tenant {
        out.lost("settings.tenant", tenant.clone(), "directory (tenant)");
    }
    if intent == Intent::Create {
        console_only_notes(connection_type, out.fields, out.report);
    }
    let modes = if connection_type == "oidc" {
        fields::OIDC_MODES
    } else {
        &[]
    };
    let written = spelling::put(
        out.fields,
        fields::OIDC_MODE,
        oauth.channel,
        modes,
        "settings.channel",
        || format!("GenAuth has no setting for the channel of {what}"),
        &mut out.report.losses,
    );
    if written.is_some()
        && let Some(note) = Evidence::LoginUi.note(fields::OIDC_MODE)
    {
        out.report.notes.push(Note::new("settings.channel", note));
        keep_response_type_in_step(oauth.channel, out.fields, out.report);
    }
    // A new OIDC connection needs a mode (the console requires one): one the source does not
    // state is chosen, and said so. An update that states none leaves GenAuth's (fields merge).
    if connection_type == "oidc"
        && intent == Intent::Create
        && oauth.channel.is_none()
        && !out.fields.contains_key(fields::OIDC_MODE)
    {
        // The login UI's two modes: the authorization code flow needs the client secret.
        let mode = if oauth.client_secret.is_absent() {
            "FRONT_CHANNEL"
        } else {
            "BACK_CHANNEL"
        };
        out.fields.insert(fields::OIDC_MODE.into(), json!(mode));
        out.report.notes.push(Note::new(
            "settings",
            format!(
                "`mode` set to {mode}, a key evidenced from GenAuth's login UI code, not its API"
            ),
        ));
    }
}

/// A `responseType` GenAuth holds (kept in extras) that names the other channel's response
/// type is changed to this channel's, with a note; any other value is left as it is.
fn keep_response_type_in_step(
    channel: Option<idconn_core::OidcChannel>,
    fields: &mut Map<String, Value>,
    report: &mut TranslationReport,
) {
    let Some(channel) = channel else { return };
    let Some(held) = fields
        .get(fields::OIDC_RESPONSE_TYPE)
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    let Some(stated) = spelling::value_of(fields::OIDC_RESPONSE_TYPES, &held) else {
        return;
    };
    if stated != channel
        && let Some(wire) = spelling::wire_of(fields::OIDC_RESPONSE_TYPES, channel)
    {
        fields.insert(fields::OIDC_RESPONSE_TYPE.into(), json!(wire));
        report.note(
            "settings.channel",
            format!("`responseType` changed from `{held}` to `{wire}`, in step with `mode`"),
        );
    }
}

/// Settings GenAuth asks for that no other vendor has: a new connection without them says so.
fn console_only_notes(
    connection_type: &str,
    fields: &Map<String, Value>,
    report: &mut TranslationReport,
) {
    let wanted: &[&str] = match connection_type {
        // The OAuth 2.0 form's auth-URL template and its two scripts (code to token, token to
        // user info): GenAuth's guide for OAuth 2.0 connections.
        "oauth" => &[
            "authUrlTemplate",
            "codeToTokenScript",
            "tokenToUserInfoScript",
        ],
        // Which Microsoft sign-in host (global or the 21Vianet cloud): GenAuth's guide for
        // Azure AD connections.
        "azure-ad" => &["microsoftAzureAdDomain"],
        _ => &[],
    };
    let missing: Vec<String> = wanted
        .iter()
        .filter(|key| !fields.contains_key(**key))
        .map(|key| format!("`{key}`"))
        .collect();
    if !missing.is_empty() {
        report.note(
            "settings",
            format!(
                "GenAuth also asks for {} on {}, which idconn does not write; set it in the GenAuth console",
                missing.join(", "),
                fields::described(connection_type)
            ),
        );
    }
}

/// Reads the OAuth settings of a connection of `connection_type` out of `fields`, taking the
/// keys it reads; `None` when it holds none of them. A value of an unexpected JSON type stays
/// in `fields`; a `mode` that is neither of the login UI's stays too, with a read note.
pub(super) fn read(
    connection_type: &str,
    fields: &mut Map<String, Value>,
    notes: &mut Vec<ReadNote>,
) -> Option<OAuthSettings> {
    let keys = fields::oauth_keys(connection_type)?;
    let channel = (connection_type == "oidc")
        .then(|| {
            spelling::take(
                fields,
                fields::OIDC_MODE,
                fields::OIDC_MODES,
                "fields",
                notes,
            )
        })
        .flatten();
    let mut string = |key: Option<&str>| key.and_then(|key| take_string(fields, key));
    let client_id = string(Some(keys.client_id));
    let client_secret = string(keys.client_secret)
        .filter(|s| !s.is_empty())
        .map_or(ClientSecret::Absent, ClientSecret::known);
    let issuer = string(keys.issuer);
    let authorization_url = string(keys.authorization);
    let token_url = string(keys.token);
    let scopes = match keys.scopes {
        Some((key, ScopeFormat::Spaced)) => take_string(fields, key)
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        Some((key, ScopeFormat::List)) => take_list(fields, key).unwrap_or_default(),
        None => Vec::new(),
    };
    let settings = OAuthSettings {
        client_id,
        client_secret,
        scopes,
        issuer,
        authorization_url,
        token_url,
        channel,
        ..OAuthSettings::default()
    };
    (settings != OAuthSettings::default()).then_some(settings)
}

/// Removes and returns `fields[key]` when it is a string.
pub(super) fn take_string(fields: &mut Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key) {
        Some(Value::String(_)) => fields
            .remove(key)
            .and_then(|v| v.as_str().map(str::to_owned)),
        _ => None,
    }
}

/// Removes and returns `fields[key]` when it is an array of strings.
fn take_list(fields: &mut Map<String, Value>, key: &str) -> Option<Vec<String>> {
    let list: Vec<String> = fields
        .get(key)?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect::<Option<_>>()?;
    fields.remove(key);
    Some(list)
}

/// Puts values under their keys, or reports them lost.
struct Writer<'a> {
    fields: &'a mut Map<String, Value>,
    report: &'a mut TranslationReport,
    what: &'a str,
    keys: Option<OAuthKeys>,
}

impl Writer<'_> {
    fn put(
        &mut self,
        field: &str,
        setting: &str,
        key: impl Fn(&OAuthKeys) -> Option<&'static str>,
        value: Option<Value>,
    ) {
        let shown = match &value {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => return,
        };
        self.put_as(field, setting, key, value, &shown);
    }

    fn put_as(
        &mut self,
        field: &str,
        setting: &str,
        key: impl Fn(&OAuthKeys) -> Option<&'static str>,
        value: Option<Value>,
        shown: &str,
    ) {
        let Some(value) = value else { return };
        match self
            .keys
            .as_ref()
            .and_then(|k| key(k).map(|name| (name, k.evidence)))
        {
            Some((name, evidence)) => {
                self.fields.insert(name.to_string(), value);
                if let Some(note) = evidence.note(name) {
                    self.report.notes.push(Note::new(field, note));
                }
            }
            None => self.lost(field, shown.to_string(), setting),
        }
    }

    fn lost(&mut self, field: &str, shown: String, setting: &str) {
        self.report.push(Loss::dropped(
            field,
            shown,
            format!("GenAuth has no setting for the {setting} of {}", self.what),
        ));
    }
}
