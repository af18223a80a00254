//! OIDC: an issuer (or its discovery URL) and a client registration into an OIDC connection,
//! through OpenID Connect Discovery 1.0.

mod discovery;
mod resolve;

use idconn_core::{ClientSecret, Connection, ConnectionKind, OAuthSettings, Result, Settings};

pub use discovery::Discovery;
pub use resolve::resolve_discovery;

use crate::limits::FetchLimits;
use crate::report::{OnboardReport, Onboarded};

/// The scopes requested when the caller names none (each only where the IdP lists it, and
/// `openid` always).
const DEFAULT_SCOPES: [&str; 3] = ["openid", "profile", "email"];

/// The client the customer registered for us at their IdP, and how to read its discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OidcOptions {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: ClientSecret,
    /// The scopes to request; empty for `openid profile email` (those the IdP lists).
    pub scopes: Vec<String>,
    /// Size and time limits (default [`FetchLimits::discovery`]).
    pub limits: FetchLimits,
}

impl OidcOptions {
    /// A client id and secret, the default scopes and limits.
    pub fn new(client_id: impl Into<String>, client_secret: ClientSecret) -> Self {
        OidcOptions {
            client_id: client_id.into(),
            client_secret,
            scopes: Vec::new(),
            limits: FetchLimits::discovery(),
        }
    }

    /// Requests these scopes (checked against the IdP's `scopes_supported`).
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Other size and time limits.
    pub fn limits(mut self, limits: FetchLimits) -> Self {
        self.limits = limits;
        self
    }
}

/// Reads the discovery document of `issuer` (an issuer URL, or the full
/// `/.well-known/openid-configuration` URL) and builds the OIDC connection `name`.
///
/// The document's `issuer` must be the one asked for; every endpoint must be https (http
/// only on loopback). The client authentication method defaults from
/// `token_endpoint_auth_methods_supported` ([`Discovery::default_client_auth_method`]);
/// requested scopes the IdP does not list are warnings, and the scopes it lists are noted.
pub async fn onboard_oidc(name: &str, issuer: &str, options: &OidcOptions) -> Result<Onboarded> {
    let discovery = Discovery::fetch(issuer, &options.limits).await?;
    Ok(discovery.connection(name, options))
}

impl Discovery {
    /// The OIDC connection `name` for this provider and the client in `options`.
    // Settings are filled field by field, not by a struct literal: the settings types may grow
    // fields and become non-exhaustive.
    #[allow(clippy::field_reassign_with_default)]
    pub fn connection(&self, name: &str, options: &OidcOptions) -> Onboarded {
        let mut report = OnboardReport::default();
        let mut settings = OAuthSettings::default();
        settings.client_id = Some(options.client_id.clone());
        settings.client_secret = options.client_secret.clone();
        settings.scopes = self.scopes(&options.scopes, &mut report);
        self.fill(&mut settings, &mut report);
        if !self.scopes_supported.is_empty() {
            report.note(format!(
                "the IdP lists the scopes {}",
                self.scopes_supported.join(" ")
            ));
        }
        if self
            .code_challenge_methods_supported
            .iter()
            .any(|m| m == "S256")
        {
            report.note("the IdP supports PKCE (S256); turn it on with settings.pkce if wanted");
        }
        let mut connection = Connection::new(name, ConnectionKind::Oidc);
        connection.settings = Settings::OAuth(settings);
        Onboarded { connection, report }
    }

    /// The requested scopes (or the defaults the IdP lists), `openid` first and always.
    fn scopes(&self, requested: &[String], report: &mut OnboardReport) -> Vec<String> {
        let listed = |scope: &str| {
            self.scopes_supported.is_empty() || self.scopes_supported.iter().any(|s| s == scope)
        };
        let mut scopes: Vec<String> = if requested.is_empty() {
            DEFAULT_SCOPES
                .iter()
                .filter(|s| listed(s))
                .map(|s| s.to_string())
                .collect()
        } else {
            for scope in requested.iter().filter(|s| !listed(s)) {
                // Discovery 1.0 section 3: a server need not list every scope it supports.
                report.warn(format!(
                    "the IdP does not list the requested scope \"{scope}\" in scopes_supported"
                ));
            }
            requested.to_vec()
        };
        if !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".to_owned());
            if !requested.is_empty() {
                report.note("the scope openid was added: an OIDC sign-in requires it");
            }
        }
        scopes
    }
}
