//! The OpenID Provider Configuration document (OpenID Connect Discovery 1.0, sections 3 and 4).

use idconn_core::validate::https_url;
use idconn_core::{ClientAuthMethod, Error, OAuthSettings, Result};
use serde::{Deserialize, Serialize};

use crate::fetch::fetch;
use crate::limits::FetchLimits;
use crate::report::OnboardReport;

/// The path the configuration is served at, under the issuer (Discovery 1.0 section 4).
const WELL_KNOWN: &str = "/.well-known/openid-configuration";
const FIELD: &str = "OpenID discovery document";

/// What an OpenID provider's discovery document says, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Discovery {
    /// The issuer, as the document states it (the value its tokens carry).
    pub issuer: String,
    /// Where the document was read.
    pub discovery_url: String,
    /// `authorization_endpoint`.
    pub authorization_endpoint: String,
    /// `token_endpoint` (absent only for implicit-flow-only providers).
    pub token_endpoint: Option<String>,
    /// `userinfo_endpoint`.
    pub userinfo_endpoint: Option<String>,
    /// `jwks_uri`.
    pub jwks_uri: String,
    /// `token_endpoint_auth_methods_supported`; empty when the document omits it (which means
    /// `client_secret_basic`).
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// `scopes_supported`, for checking requested scopes.
    pub scopes_supported: Vec<String>,
    /// `code_challenge_methods_supported` (PKCE).
    pub code_challenge_methods_supported: Vec<String>,
}

/// The members read; anything else in the document is ignored.
#[derive(Deserialize)]
struct Document {
    issuer: Option<String>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    userinfo_endpoint: Option<String>,
    jwks_uri: Option<String>,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    scopes_supported: Vec<String>,
    #[serde(default)]
    code_challenge_methods_supported: Vec<String>,
}

impl Discovery {
    /// The issuer asked for and the discovery URL, from an issuer URL or the full discovery URL.
    pub fn locate(issuer_or_url: &str) -> Result<(String, String)> {
        let given = issuer_or_url.trim();
        https_url("OIDC issuer", given)?;
        Ok(match given.strip_suffix(WELL_KNOWN) {
            Some(issuer) => (issuer.to_owned(), given.to_owned()),
            None => (
                given.to_owned(),
                format!("{}{WELL_KNOWN}", given.trim_end_matches('/')),
            ),
        })
    }

    /// Fetches and checks the discovery document of `issuer_or_url` within `limits`.
    pub async fn fetch(issuer_or_url: &str, limits: &FetchLimits) -> Result<Discovery> {
        let (issuer, url) = Self::locate(issuer_or_url)?;
        let body = fetch(FIELD, &url, "application/json", limits).await?;
        Self::from_json(&issuer, &url, &body)
    }

    /// Checks a fetched document: its `issuer` must be `asked_issuer` (Discovery 1.0 section
    /// 4.3; a trailing `/` on either side is forgiven, as issuers are written both ways), and
    /// the authorization endpoint and `jwks_uri` must be present; every endpoint must be https
    /// (http only on loopback).
    pub fn from_json(asked_issuer: &str, discovery_url: &str, body: &[u8]) -> Result<Discovery> {
        let document: Document = serde_json::from_slice(body).map_err(|e| {
            Error::invalid(
                format!("{FIELD} at {discovery_url}"),
                format!("not a valid JSON object: {e}"),
            )
        })?;
        let required = |name: &str, value: Option<String>| {
            value.ok_or_else(|| {
                Error::invalid(
                    format!("{FIELD} {name}"),
                    format!("missing from {discovery_url}"),
                )
            })
        };
        let issuer = required("issuer", document.issuer)?;
        if issuer.trim_end_matches('/') != asked_issuer.trim_end_matches('/') {
            return Err(Error::invalid(
                format!("{FIELD} issuer"),
                format!(
                    "\"{issuer}\" is not the issuer asked for (\"{asked_issuer}\"); OpenID \
                     Connect Discovery 1.0 section 4.3 requires them to be identical, so the \
                     document cannot be trusted"
                ),
            ));
        }
        let endpoint = |name: &str, value: Option<String>| -> Result<Option<String>> {
            match value {
                Some(url) => {
                    https_url(&format!("{FIELD} {name}"), &url)?;
                    Ok(Some(url))
                }
                None => Ok(None),
            }
        };
        https_url(&format!("{FIELD} issuer"), &issuer)?;
        Ok(Discovery {
            authorization_endpoint: required(
                "authorization_endpoint",
                endpoint("authorization_endpoint", document.authorization_endpoint)?,
            )?,
            token_endpoint: endpoint("token_endpoint", document.token_endpoint)?,
            userinfo_endpoint: endpoint("userinfo_endpoint", document.userinfo_endpoint)?,
            jwks_uri: required("jwks_uri", endpoint("jwks_uri", document.jwks_uri)?)?,
            issuer,
            discovery_url: discovery_url.to_owned(),
            token_endpoint_auth_methods_supported: document.token_endpoint_auth_methods_supported,
            scopes_supported: document.scopes_supported,
            code_challenge_methods_supported: document.code_challenge_methods_supported,
        })
    }

    /// The method for a client with a secret: `client_secret_post`, else `client_secret_basic`,
    /// else `client_secret_jwt`, else `private_key_jwt`, first the IdP supports. An omitted
    /// list means `client_secret_basic` (Discovery 1.0 section 3). `None` when the IdP lists
    /// none of these.
    pub fn default_client_auth_method(&self) -> Option<ClientAuthMethod> {
        if self.token_endpoint_auth_methods_supported.is_empty() {
            return Some(ClientAuthMethod::ClientSecretBasic);
        }
        // Post first: it is the one method every vendor idconn writes to can hold.
        [
            ClientAuthMethod::ClientSecretPost,
            ClientAuthMethod::ClientSecretBasic,
            ClientAuthMethod::ClientSecretJwt,
            ClientAuthMethod::PrivateKeyJwt,
        ]
        .into_iter()
        .find(|m| {
            self.token_endpoint_auth_methods_supported
                .iter()
                .any(|s| s == m.as_str())
        })
    }

    /// Fills what `settings` lacks from this document: issuer, discovery URL, endpoints and the
    /// client authentication method. A value already set is kept; where it differs from the
    /// document, the report says so.
    pub fn fill(&self, settings: &mut OAuthSettings, report: &mut OnboardReport) {
        let pairs = [
            ("issuer", &mut settings.issuer, Some(&self.issuer)),
            (
                "discovery_url",
                &mut settings.discovery_url,
                Some(&self.discovery_url),
            ),
            (
                "authorization_url",
                &mut settings.authorization_url,
                Some(&self.authorization_endpoint),
            ),
            (
                "token_url",
                &mut settings.token_url,
                self.token_endpoint.as_ref(),
            ),
            (
                "userinfo_url",
                &mut settings.userinfo_url,
                self.userinfo_endpoint.as_ref(),
            ),
            ("jwks_url", &mut settings.jwks_url, Some(&self.jwks_uri)),
        ];
        for (field, slot, found) in pairs {
            match (slot.as_ref(), found) {
                (None, Some(found)) => *slot = Some(found.clone()),
                (Some(kept), Some(found)) if kept != found => report.note(format!(
                    "settings.{field} \"{kept}\" is kept; the discovery document says \"{found}\""
                )),
                _ => {}
            }
        }
        if self.token_endpoint.is_none() {
            report.warn("the IdP publishes no token_endpoint: only the implicit flow can work");
        }
        if settings.client_auth_method.is_none() {
            settings.client_auth_method = self.default_client_auth_method();
            match &settings.client_auth_method {
                Some(ClientAuthMethod::PrivateKeyJwt) => report.warn(
                    "the IdP accepts only private_key_jwt at its token endpoint; a client \
                     secret will not be enough",
                ),
                Some(_) => {}
                None => report.warn(format!(
                    "the IdP lists no client authentication method idconn knows ({})",
                    self.token_endpoint_auth_methods_supported.join(", ")
                )),
            }
        }
    }
}
