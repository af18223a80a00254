//! Writing neutral settings and a logo into a strategy's `options`, over a base object
//! (extras' options on create; the server's options merged with extras' on update) so that
//! unmodelled keys survive Auth0's whole-`options` replace.

use idconn_core::{
    ClientAuthMethod, ClientSecret, DirectorySettings, Error, Loss, OAuthSettings, Result,
    SamlSettings, Settings, json,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::options_read::parse_signing_cert;
use super::protocol;
use super::scopes;
use super::secrets;
use super::strategy::{Family, ScopeFormat};
use crate::wire::{
    AzureAdOptions, DirectoryOptions, OAuth2Options, OidcOptions, OpaqueOptions, SamlOptions,
    SocialOptions,
};

/// What the options must say.
pub(crate) struct Desired<'a> {
    pub strategy: &'a str,
    pub settings: &'a Settings,
    pub logo_url: Option<&'a str>,
}

/// The options to send: `base` with the modelled keys replaced by `desired`. `base_field`
/// names the base in errors (`extras.auth0.options`).
pub(crate) fn write(
    family: Family,
    desired: &Desired<'_>,
    base: Map<String, Value>,
    base_field: &str,
    losses: &mut Vec<Loss>,
) -> Result<Map<String, Value>> {
    let strategy = desired.strategy;
    let none = OAuthSettings::default();
    let oauth = desired.settings.oauth().unwrap_or(&none);
    let mut icon_held = true;
    let options = match family {
        Family::Oidc { channels } => {
            let mut o: OidcOptions = parse(base, base_field)?;
            held_only(oauth, OIDC_HELD, strategy, losses);
            // "Discovery runs only when connection.options.oidc_metadata is empty" (OAS
            // ConnectionDomainOkta): a stale document would pin the old provider. Only a
            // stored URL tells it is stale (extras' options never hold the modelled URL).
            if o.discovery_url.is_some() && o.discovery_url != oauth.discovery_url {
                o.rest.remove("oidc_metadata");
            }
            o.client_id = oauth.client_id.clone();
            o.client_secret = secrets::merge(&oauth.client_secret, o.client_secret, losses);
            o.scope = oidc_scope(&oauth.scopes, losses);
            o.issuer = oauth.issuer.clone();
            o.discovery_url = oauth.discovery_url.clone();
            o.authorization_endpoint = oauth.authorization_url.clone();
            o.token_endpoint = oauth.token_url.clone();
            o.userinfo_endpoint = oauth.userinfo_url.clone();
            o.jwks_uri = oauth.jwks_url.clone();
            o.token_endpoint_auth_method = auth_method(oauth.client_auth_method.as_ref(), losses);
            if let Some(pkce) = oauth.pkce {
                set_pkce(&mut o.rest, pkce);
            }
            protocol::write_channel(strategy, channels, oauth.channel, &mut o.rest, losses);
            o.icon_url = desired.logo_url.map(String::from);
            to_map(&o)
        }
        Family::Saml => {
            let mut o: SamlOptions = parse(base, base_field)?;
            saml(desired.settings.saml(), &mut o, losses);
            o.icon_url = desired.logo_url.map(String::from);
            to_map(&o)
        }
        Family::AzureAd => {
            let mut o: AzureAdOptions = parse(base, base_field)?;
            held_only(
                oauth,
                &["client_id", "client_secret", "scopes", "tenant"],
                strategy,
                losses,
            );
            o.client_id = oauth.client_id.clone();
            o.client_secret = secrets::merge(&oauth.client_secret, o.client_secret, losses);
            o.scope = (!oauth.scopes.is_empty()).then(|| oauth.scopes.clone());
            o.tenant_domain = oauth.tenant.clone();
            o.icon_url = desired.logo_url.map(String::from);
            to_map(&o)
        }
        Family::OAuth2 => {
            let mut o: OAuth2Options = parse(base, base_field)?;
            held_only(
                oauth,
                &[
                    "client_id",
                    "client_secret",
                    "scopes",
                    "authorization_url",
                    "token_url",
                    "pkce",
                ],
                strategy,
                losses,
            );
            o.client_id = oauth.client_id.clone();
            o.client_secret = secrets::merge(&oauth.client_secret, o.client_secret, losses);
            o.scope = scopes::write(&oauth.scopes, ScopeFormat::Either, o.scope.as_ref());
            o.authorization_url = oauth.authorization_url.clone();
            o.token_url = oauth.token_url.clone();
            o.pkce_enabled = oauth.pkce;
            o.icon_url = desired.logo_url.map(String::from);
            to_map(&o)
        }
        Family::Social {
            scopes: format,
            icon,
            app_secret,
        } => {
            let mut o: SocialOptions = parse(base, base_field)?;
            held_only(
                oauth,
                &["client_id", "client_secret", "scopes"],
                strategy,
                losses,
            );
            o.client_id = oauth.client_id.clone();
            let slot = if app_secret {
                &mut o.app_secret
            } else {
                &mut o.client_secret
            };
            *slot = secrets::merge(&oauth.client_secret, slot.take(), losses);
            o.scope = scopes::write(&oauth.scopes, format, o.scope.as_ref());
            icon_held = icon;
            if icon {
                o.icon_url = desired.logo_url.map(String::from);
            }
            to_map(&o)
        }
        Family::Directory { adfs } => {
            let mut o: DirectoryOptions = parse(base, base_field)?;
            let directory = match desired.settings {
                Settings::Directory(d) => d.clone(),
                _ => DirectorySettings::default(),
            };
            if adfs {
                o.adfs_server = directory.url.clone();
            } else if let Some(url) = &directory.url {
                losses.push(not_held("settings.url", url, strategy));
            }
            if let Some(base_dn) = &directory.base_dn {
                losses.push(not_held("settings.base_dn", base_dn, strategy));
            }
            o.icon_url = desired.logo_url.map(String::from);
            to_map(&o)
        }
        Family::Opaque => {
            let mut o: OpaqueOptions = parse(base, base_field)?;
            icon_held = false;
            match desired.settings {
                Settings::OAuth(s) => {
                    held_only(s, &["client_id", "client_secret"], strategy, losses);
                    o.client_id = s.client_id.clone();
                    o.client_secret = secrets::merge(&s.client_secret, o.client_secret, losses);
                }
                // The whole settings block has no place in opaque options.
                Settings::Saml(s) if *s != SamlSettings::default() => {
                    losses.push(opaque_settings("saml", strategy));
                }
                Settings::Directory(d) if *d != DirectorySettings::default() => {
                    losses.push(opaque_settings("directory", strategy));
                }
                Settings::Saml(_) | Settings::Directory(_) | Settings::None => {}
                // A protocol family newer than this backend.
                _ => losses.push(opaque_settings("other", strategy)),
            }
            to_map(&o)
        }
    };
    if !icon_held && let Some(logo) = desired.logo_url {
        losses.push(Loss::dropped(
            "logo_url",
            logo,
            format!("Auth0 {strategy} connections have no icon_url option"),
        ));
    }
    options
}

/// What OIDC and Okta options hold of the OAuth settings: everything but a directory tenant
/// (OAS `ConnectionOptionsOIDC`).
const OIDC_HELD: &[&str] = &[
    "client_id",
    "client_secret",
    "scopes",
    "issuer",
    "discovery_url",
    "authorization_url",
    "token_url",
    "userinfo_url",
    "jwks_url",
    "client_auth_method",
    "pkce",
    "channel",
];

/// OIDC `scope` must include `openid` (OAS `ConnectionScopeOIDC`); a list without it gets it
/// added, and that change is a loss.
fn oidc_scope(scopes: &[String], losses: &mut Vec<Loss>) -> Option<String> {
    if scopes.is_empty() {
        return None;
    }
    let mut list = scopes.to_vec();
    if !list.iter().any(|s| s == "openid") {
        list.insert(0, "openid".into());
        losses.push(Loss::changed(
            "settings.scopes",
            scopes.join(" "),
            list.join(" "),
            "Auth0 OIDC scopes must include openid",
        ));
    }
    Some(list.join(" "))
}

/// `token_endpoint_auth_method`: only `client_secret_post` and `private_key_jwt` exist on
/// Auth0 (OAS `ConnectionTokenEndpointAuthMethodEnum`).
fn auth_method(method: Option<&ClientAuthMethod>, losses: &mut Vec<Loss>) -> Option<String> {
    match method {
        None => None,
        Some(m @ (ClientAuthMethod::ClientSecretPost | ClientAuthMethod::PrivateKeyJwt)) => {
            Some(m.as_str().to_string())
        }
        Some(other) => {
            losses.push(Loss::dropped(
                "settings.client_auth_method",
                other.as_str(),
                "Auth0 supports only client_secret_post and private_key_jwt",
            ));
            None
        }
    }
}

fn set_pkce(rest: &mut Map<String, Value>, on: bool) {
    let value = Value::String(if on { "S256" } else { "disabled" }.into());
    match rest
        .get_mut("connection_settings")
        .and_then(Value::as_object_mut)
    {
        Some(settings) => {
            settings.insert("pkce".into(), value);
        }
        None => {
            let mut settings = Map::new();
            settings.insert("pkce".into(), value);
            rest.insert("connection_settings".into(), Value::Object(settings));
        }
    }
}

fn saml(settings: Option<&SamlSettings>, o: &mut SamlOptions, losses: &mut Vec<Loss>) {
    let none = SamlSettings::default();
    let s = settings.unwrap_or(&none);
    saml_losses(
        s,
        &[
            "sign_in_url",
            "sign_out_url",
            "sp_entity_id",
            "signing_certificates",
            "sign_requests",
            "request_signing_key",
        ],
        "samlp",
        losses,
    );
    protocol::write_saml(s, &mut o.rest, losses);
    o.sign_in_endpoint = s.sign_in_url.clone();
    o.sign_out_endpoint = s.sign_out_url.clone();
    o.entity_id = s.sp_entity_id.clone();
    o.sign_saml_request = s.sign_requests;
    write_signing_key(s, o, losses);
    match s.signing_certificates.first() {
        Some(first) => o.signing_cert = Some(first.to_base64_der()),
        // A stored value that never parsed as a certificate was not modelled: keep it.
        None => {
            o.signing_cert = o
                .signing_cert
                .take()
                .filter(|text| parse_signing_cert(text).is_none());
        }
    }
    for (i, extra) in s.signing_certificates.iter().enumerate().skip(1) {
        losses.push(Loss::dropped(
            format!("settings.signing_certificates[{i}]"),
            format!("certificate of {} DER bytes", extra.der().len()),
            "Auth0 SAML connections hold one signingCert",
        ));
    }
}

/// `signing_key` from the model's request-signing key pair: a known key replaces what is stored;
/// a masked or absent one keeps the stored pair (on update, the server's), as for the client
/// secret; a masked one with nothing stored cannot be written, a loss.
fn write_signing_key(s: &SamlSettings, o: &mut SamlOptions, losses: &mut Vec<Loss>) {
    match (&s.request_signing_key, &s.request_signing_certificate) {
        (ClientSecret::Known(_), Some(cert)) => {
            let key = s.request_signing_key.expose().unwrap_or_default();
            o.rest.insert(
                "signing_key".into(),
                serde_json::json!({"cert": cert.to_pem(), "key": key}),
            );
        }
        (ClientSecret::Known(_), None) => losses.push(Loss::dropped(
            "settings.request_signing_key",
            "(set)",
            "Auth0 takes a SAML signing key only with its certificate (signing_key.cert)",
        )),
        (ClientSecret::Masked, _) if !o.rest.contains_key("signing_key") => {
            losses.push(Loss::dropped(
                "settings.request_signing_key",
                "(masked)",
                "the source did not reveal the signing key, so Auth0 cannot be given it; set it explicitly",
            ));
        }
        _ => {}
    }
}

fn saml_losses(s: &SamlSettings, held: &[&str], strategy: &str, losses: &mut Vec<Loss>) {
    let key =
        (!s.request_signing_key.is_absent()).then(|| s.request_signing_key.describe().to_string());
    let set: [(&str, Option<String>); 8] = [
        ("request_signing_key", key),
        ("sign_in_url", s.sign_in_url.clone()),
        ("sign_out_url", s.sign_out_url.clone()),
        ("idp_entity_id", s.idp_entity_id.clone()),
        ("sp_entity_id", s.sp_entity_id.clone()),
        (
            "signing_certificates",
            (!s.signing_certificates.is_empty())
                .then(|| format!("{} certificate(s)", s.signing_certificates.len())),
        ),
        ("name_id_format", s.name_id_format.clone()),
        ("sign_requests", s.sign_requests.map(|b| b.to_string())),
    ];
    for (field, value) in set {
        if let Some(value) = value
            && !held.contains(&field)
        {
            losses.push(not_held(&format!("settings.{field}"), &value, strategy));
        }
    }
}

/// Reports every set OAuth field outside `held` as a loss.
fn held_only(s: &OAuthSettings, held: &[&str], strategy: &str, losses: &mut Vec<Loss>) {
    // Readers, not values: a create runs this once per connection, and the fields a strategy
    // holds (most of them) need no copy.
    type Read = fn(&OAuthSettings) -> Option<String>;
    let fields: [(&str, Read); 13] = [
        ("client_id", |s| s.client_id.clone()),
        ("client_secret", |s| {
            (!s.client_secret.is_absent()).then(|| s.client_secret.describe().to_string())
        }),
        ("scopes", |s| {
            (!s.scopes.is_empty()).then(|| s.scopes.join(" "))
        }),
        ("issuer", |s| s.issuer.clone()),
        ("discovery_url", |s| s.discovery_url.clone()),
        ("authorization_url", |s| s.authorization_url.clone()),
        ("token_url", |s| s.token_url.clone()),
        ("userinfo_url", |s| s.userinfo_url.clone()),
        ("jwks_url", |s| s.jwks_url.clone()),
        ("client_auth_method", |s| {
            s.client_auth_method
                .as_ref()
                .map(|m| m.as_str().to_string())
        }),
        ("pkce", |s| s.pkce.map(|b| b.to_string())),
        ("tenant", |s| s.tenant.clone()),
        ("channel", |s| s.channel.map(|c| c.to_string())),
    ];
    for (field, read) in fields {
        if held.contains(&field) {
            continue;
        }
        if let Some(value) = read(s) {
            losses.push(not_held(&format!("settings.{field}"), &value, strategy));
        }
    }
}

fn opaque_settings(protocol: &str, strategy: &str) -> Loss {
    Loss::dropped(
        "settings",
        format!("{protocol} settings"),
        format!(
            "Auth0 keeps the options of a {strategy} connection opaque; only a client id and secret are modelled"
        ),
    )
}

fn not_held(field: &str, value: &str, strategy: &str) -> Loss {
    Loss::dropped(
        field,
        value,
        format!("Auth0 {strategy} connections have no such option"),
    )
}

fn parse<T: DeserializeOwned>(base: Map<String, Value>, base_field: &str) -> Result<T> {
    json::from_value(Value::Object(base))
        .map_err(|e| Error::invalid(format!("{base_field}.{}", e.path), e.message))
}

fn to_map<T: Serialize>(options: &T) -> Result<Map<String, Value>> {
    match serde_json::to_value(options) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        Err(e) => Err(Error::invalid("options", e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ScopeValue;
    use idconn_core::ClientSecret;

    #[test]
    fn held_only_reports_every_unheld_field_and_never_a_secret_value() {
        let s = OAuthSettings {
            client_id: Some("id".into()),
            client_secret: ClientSecret::known("hunter2"),
            issuer: Some("https://issuer.example".into()),
            tenant: Some("contoso".into()),
            ..OAuthSettings::default()
        };
        let mut losses = Vec::new();
        held_only(&s, &["client_id"], "github", &mut losses);
        let fields: Vec<&str> = losses.iter().map(|l| l.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "settings.client_secret",
                "settings.issuer",
                "settings.tenant"
            ]
        );
        assert!(losses.iter().all(|l| !l.source.contains("hunter2")));
        let mut losses = Vec::new();
        held_only(&s, OIDC_HELD, "oidc", &mut losses);
        assert_eq!(losses.len(), 1);
        assert_eq!(losses[0].field, "settings.tenant");
    }

    #[test]
    fn scope_value_shape_is_kept_for_oauth2() {
        let stored = ScopeValue::List(vec!["a".into()]);
        let written = scopes::write(&["b".into()], ScopeFormat::Either, Some(&stored));
        assert!(matches!(written, Some(ScopeValue::List(_))));
    }
}
