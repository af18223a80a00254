//! Reading a strategy's `options` into neutral settings, a logo, and the unmodelled rest.

use idconn_core::spelling::Spelling;
use idconn_core::{
    Certificate, ClientAuthMethod, ClientSecret, DirectorySettings, Error, OAuthSettings,
    OidcChannel, ReadNote, Result, SamlSettings, Settings, Vendor, json,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::protocol;
use super::scopes;
use super::secrets;
use super::strategy::{Family, ScopeFormat};
use crate::wire::{
    AzureAdOptions, DirectoryOptions, OAuth2Options, OidcOptions, OpaqueOptions, SamlOptions,
    ScopeValue, SocialOptions,
};

/// What a connection's options say in neutral terms.
pub(crate) struct Read {
    pub settings: Settings,
    pub logo_url: Option<String>,
    /// Unmodelled keys, secrets included (the caller strips them before extras).
    pub rest: Map<String, Value>,
    /// Values kept verbatim in `rest` because the model could not decode them.
    pub notes: Vec<ReadNote>,
}

/// Parses `options` of a connection named `name` with the layout of `family`.
pub(crate) fn read(family: Family, name: &str, options: &Value) -> Result<Read> {
    match family {
        Family::Oidc { channels } => oidc(parse(name, options)?, channels),
        Family::Saml => Ok(saml(parse(name, options)?)),
        Family::AzureAd => {
            let o: AzureAdOptions = parse(name, options)?;
            Ok(oauth(
                OAuthSettings {
                    client_id: o.client_id,
                    client_secret: secrets::read(o.client_secret),
                    scopes: scopes::read(o.scope.map(ScopeValue::List), ScopeFormat::Array),
                    tenant: o.tenant_domain,
                    ..OAuthSettings::default()
                },
                o.icon_url,
                o.rest,
            ))
        }
        Family::OAuth2 => {
            let o: OAuth2Options = parse(name, options)?;
            Ok(oauth(
                OAuthSettings {
                    client_id: o.client_id,
                    client_secret: secrets::read(o.client_secret),
                    scopes: scopes::read(o.scope, ScopeFormat::Either),
                    authorization_url: o.authorization_url,
                    token_url: o.token_url,
                    pkce: o.pkce_enabled,
                    ..OAuthSettings::default()
                },
                o.icon_url,
                o.rest,
            ))
        }
        Family::Social {
            scopes: format,
            icon,
            app_secret,
        } => {
            let o: SocialOptions = parse(name, options)?;
            let mut rest = o.rest;
            let secret = if app_secret {
                o.app_secret
            } else {
                o.client_secret
            };
            // Without an icon_url in the strategy's schema, a stored one is unmodelled.
            let logo = match (icon, o.icon_url) {
                (true, logo) => logo,
                (false, Some(url)) => {
                    rest.insert("icon_url".into(), Value::String(url));
                    None
                }
                (false, None) => None,
            };
            Ok(oauth(
                OAuthSettings {
                    client_id: o.client_id,
                    client_secret: secrets::read(secret),
                    scopes: scopes::read(o.scope, format),
                    ..OAuthSettings::default()
                },
                logo,
                rest,
            ))
        }
        Family::Directory { adfs } => {
            let o: DirectoryOptions = parse(name, options)?;
            let mut rest = o.rest;
            let url = match (adfs, o.adfs_server) {
                (true, url) => url,
                (false, Some(server)) => {
                    rest.insert("adfs_server".into(), Value::String(server));
                    None
                }
                (false, None) => None,
            };
            Ok(Read {
                settings: Settings::Directory(DirectorySettings { url, base_dn: None }),
                logo_url: o.icon_url,
                rest,
                notes: Vec::new(),
            })
        }
        Family::Opaque => {
            let o: OpaqueOptions = parse(name, options)?;
            let settings = if o.client_id.is_some() || o.client_secret.is_some() {
                Settings::OAuth(OAuthSettings {
                    client_id: o.client_id,
                    client_secret: secrets::read(o.client_secret),
                    ..OAuthSettings::default()
                })
            } else {
                Settings::None
            };
            Ok(Read {
                settings,
                logo_url: None,
                rest: o.rest,
                notes: Vec::new(),
            })
        }
    }
}

fn oauth(settings: OAuthSettings, logo_url: Option<String>, rest: Map<String, Value>) -> Read {
    Read {
        settings: Settings::OAuth(settings),
        logo_url,
        rest,
        notes: Vec::new(),
    }
}

/// OIDC and Okta. Endpoints the options leave out are taken from the server-filled
/// `oidc_metadata` (the discovery document, OAS `ConnectionOptionsOIDCMetadata`),
/// so that a target needing explicit endpoints gets them. `type` is the channel, of those
/// `channels` names.
fn oidc(o: OidcOptions, channels: Spelling<OidcChannel>) -> Result<Read> {
    let mut rest = o.rest;
    let mut notes = Vec::new();
    let channel = protocol::read_channel(channels, &mut rest, &mut notes);
    let discovered = |key: &str| -> Option<String> {
        rest.get("oidc_metadata")
            .and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .map(String::from)
    };
    let issuer = o.issuer.or_else(|| discovered("issuer"));
    let authorization_url = o
        .authorization_endpoint
        .or_else(|| discovered("authorization_endpoint"));
    let token_url = o.token_endpoint.or_else(|| discovered("token_endpoint"));
    let userinfo_url = o
        .userinfo_endpoint
        .or_else(|| discovered("userinfo_endpoint"));
    let jwks_url = o.jwks_uri.or_else(|| discovered("jwks_uri"));
    let client_auth_method = match o.token_endpoint_auth_method {
        Some(text) => match ClientAuthMethod::parse(&text) {
            Some(method) => Some(method),
            None => {
                rest.insert("token_endpoint_auth_method".into(), Value::String(text));
                None
            }
        },
        None => None,
    };
    let pkce = take_pkce(&mut rest);
    Ok(Read {
        settings: Settings::OAuth(OAuthSettings {
            client_id: o.client_id,
            client_secret: secrets::read(o.client_secret),
            scopes: scopes::read(o.scope.map(ScopeValue::Text), ScopeFormat::Space),
            issuer,
            discovery_url: o.discovery_url,
            authorization_url,
            token_url,
            userinfo_url,
            jwks_url,
            client_auth_method,
            pkce,
            tenant: None,
            channel,
        }),
        logo_url: o.icon_url,
        rest,
        notes,
    })
}

/// `connection_settings.pkce` (OAS `ConnectionConnectionSettingsPkceEnum`): `S256` is PKCE on,
/// `disabled` is off; `auto` and `plain` have no neutral value and stay in extras.
fn take_pkce(rest: &mut Map<String, Value>) -> Option<bool> {
    let settings = rest.get_mut("connection_settings")?.as_object_mut()?;
    let pkce = match settings.get("pkce").and_then(Value::as_str) {
        Some("S256") => true,
        Some("disabled") => false,
        _ => return None,
    };
    settings.remove("pkce");
    if settings.is_empty() {
        rest.remove("connection_settings");
    }
    Some(pkce)
}

/// SAML. `signingCert` is base64 DER (OAS `ConnectionSigningCertSAML`); some tenants hold the
/// base64 of a PEM file, which is accepted too. A value that is neither stays in extras
/// verbatim, with a read note, rather than failing the read.
fn saml(o: SamlOptions) -> Read {
    let mut rest = o.rest;
    let mut certificates = Vec::new();
    let mut notes = Vec::new();
    let (request_signing_key, request_signing_certificate) = signing_key(&mut rest, &mut notes);
    let (request_signature_algorithm, request_digest_algorithm, request_binding) =
        protocol::read_saml(&mut rest, &mut notes);
    if let Some(text) = o.signing_cert {
        match parse_signing_cert(&text) {
            Some(cert) => certificates.push(cert),
            None => {
                rest.insert("signingCert".into(), Value::String(text));
                notes.push(ReadNote::new(
                    "options.signingCert",
                    "not a base64 DER certificate, nor the base64 of a PEM one",
                ));
            }
        }
    }
    Read {
        settings: Settings::Saml(SamlSettings {
            sign_in_url: o.sign_in_endpoint,
            sign_out_url: o.sign_out_endpoint,
            idp_entity_id: None,
            sp_entity_id: o.entity_id,
            signing_certificates: certificates,
            name_id_format: None,
            sign_requests: o.sign_saml_request,
            request_signing_key,
            request_signing_certificate,
            request_signature_algorithm,
            request_digest_algorithm,
            request_binding,
        }),
        logo_url: o.icon_url,
        rest,
        notes,
    }
}

/// `signing_key` (OAS `ConnectionSigningKeySAML`: `{cert, key}`, both PEM), the key pair Auth0
/// signs SAML requests with, taken out of `rest` into the model: the key as a secret, the
/// certificate beside it. A pair without a readable key or certificate stays in `rest` (a
/// secret-bearing option: never in extras, kept by the server on update) with a note.
fn signing_key(
    rest: &mut Map<String, Value>,
    notes: &mut Vec<ReadNote>,
) -> (ClientSecret, Option<Certificate>) {
    let Some(pair) = rest.get("signing_key").and_then(Value::as_object) else {
        return (ClientSecret::Absent, None);
    };
    let key = pair
        .get("key")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    let cert = pair
        .get("cert")
        .and_then(Value::as_str)
        .map(|cert| Certificate::parse(cert, "options.signing_key.cert"));
    match (key, cert) {
        (Some(key), Some(Ok(cert))) => {
            let key = ClientSecret::known(key);
            rest.remove("signing_key");
            (key, Some(cert))
        }
        (Some(key), None) => {
            let key = ClientSecret::known(key);
            rest.remove("signing_key");
            (key, None)
        }
        (_, Some(Err(error))) => {
            notes.push(ReadNote::new("options.signing_key.cert", error.to_string()));
            (ClientSecret::Absent, None)
        }
        // A certificate without its key: the server hides the key from this token.
        (None, Some(Ok(cert))) => {
            rest.remove("signing_key");
            (ClientSecret::Masked, Some(cert))
        }
        // Neither: nothing the model can hold; it stays a secret-bearing option.
        (None, None) => (ClientSecret::Absent, None),
    }
}

/// A `signingCert` value: base64 DER, or base64 of a PEM document.
pub(crate) fn parse_signing_cert(text: &str) -> Option<Certificate> {
    const FIELD: &str = "options.signingCert";
    if let Ok(cert) = Certificate::parse(text, FIELD) {
        return Some(cert);
    }
    use base64::Engine;
    let compact: String = text.split_whitespace().collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    let pem = String::from_utf8(decoded).ok()?;
    Certificate::parse(&pem, FIELD).ok()
}

/// Deserializes options into a typed layout; a wrong type is a decode error naming the path
/// (`options.scope`).
fn parse<T: DeserializeOwned>(name: &str, options: &Value) -> Result<T> {
    json::from_ref(options).map_err(|e| Error::Decode {
        vendor: Vendor::Auth0,
        path: format!("options.{}", e.path),
        message: e.message,
        excerpt: format!("connection \"{name}\""),
    })
}

/// The secret-bearing option keys `rest` holds a value for, as `options.<key>` (the client
/// secret is modelled and never in `rest`).
pub(crate) fn held_secrets(rest: &Map<String, Value>) -> Vec<String> {
    secrets::SECRET_OPTION_KEYS
        .iter()
        .filter(|key| rest.get(**key).is_some_and(|v| !v.is_null()))
        .map(|key| format!("options.{key}"))
        .collect()
}

/// Keeps only the unmodelled keys that are not secrets.
pub(crate) fn without_secrets(mut rest: Map<String, Value>) -> Map<String, Value> {
    secrets::strip(&mut rest);
    rest
}
