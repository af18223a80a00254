//! Settings of an [`Auth0Provider`](crate::Auth0Provider), from code or the environment.

use std::time::Duration;

use idconn_core::env::Vars;
use idconn_core::http::RetryConfig;
use idconn_core::{Error, Result, validate};
use secrecy::SecretString;
use url::Url;

/// The tenant's domain (`acme.eu.auth0.com`). Required.
pub const ENV_DOMAIN: &str = "AUTH0_DOMAIN";
/// The machine-to-machine application's client id. Required unless `AUTH0_TOKEN` is set.
pub const ENV_CLIENT_ID: &str = "AUTH0_CLIENT_ID";
/// The machine-to-machine application's client secret. Required unless `AUTH0_TOKEN` is set.
pub const ENV_CLIENT_SECRET: &str = "AUTH0_CLIENT_SECRET";
/// A ready Management API token, used instead of client credentials. Optional.
pub const ENV_TOKEN: &str = "AUTH0_TOKEN";
/// The full base URL to call instead of `https://{AUTH0_DOMAIN}` (a simulator or a proxy).
/// Optional.
pub const ENV_BASE_URL: &str = "AUTH0_BASE_URL";

/// How the provider obtains its Management API token: client credentials at `/oauth/token`,
/// or a ready token (`AUTH0_TOKEN`). Core's type, shared with ezto auth.
pub use idconn_core::Credentials;

/// Everything the Auth0 backend needs to reach one tenant.
#[derive(Debug, Clone)]
pub struct Config {
    domain: String,
    credentials: Credentials,
    base_url: Option<Url>,
    allow_insecure_http: bool,
    retry: Option<RetryConfig>,
    timeout: Option<Duration>,
}

impl Config {
    /// Client-credentials settings for the tenant at `domain` (`acme.eu.auth0.com`; an
    /// `https://` prefix and a trailing slash are tolerated).
    pub fn new(
        domain: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Self> {
        let client_id = client_id.into();
        let client_secret = client_secret.into();
        if client_id.trim().is_empty() {
            return Err(Error::invalid(ENV_CLIENT_ID, "must not be empty"));
        }
        if client_secret.is_empty() {
            return Err(Error::invalid(ENV_CLIENT_SECRET, "must not be empty"));
        }
        Ok(Config {
            domain: parse_domain(domain)?,
            credentials: Credentials::ClientCredentials {
                client_id: client_id.trim().to_string(),
                client_secret: SecretString::from(client_secret),
            },
            base_url: None,
            allow_insecure_http: false,
            retry: None,
            timeout: None,
        })
    }

    /// Settings that use a ready Management API token for the tenant at `domain`.
    pub fn with_static_token(domain: &str, token: impl Into<String>) -> Result<Self> {
        let token = token.into();
        if token.trim().is_empty() {
            return Err(Error::invalid(ENV_TOKEN, "must not be empty"));
        }
        Ok(Config {
            domain: parse_domain(domain)?,
            credentials: Credentials::Token(SecretString::from(token.trim().to_string())),
            base_url: None,
            allow_insecure_http: false,
            retry: None,
            timeout: None,
        })
    }

    /// Calls `base_url` instead of `https://{domain}` (the token audience still names the
    /// domain). Plain http is accepted for loopback hosts only, unless
    /// [`Config::allow_insecure_http`] is set.
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self> {
        self.base_url = Some(parse_base_url(base_url)?);
        Ok(self)
    }

    /// Accepts plain http to hosts other than loopback (tokens then cross the network in clear).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Retry bounds other than core's defaults.
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// A per-attempt timeout other than core's default.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Reads the settings from the process environment (see the `ENV_*` constants).
    pub fn from_env() -> Result<Self> {
        Self::read(&Vars::process())
    }

    /// Reads the settings from `KEY=VALUE` pairs, such as a simulator handle's `env_vars()`.
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        Self::read(&Vars::pairs(vars))
    }

    /// Reads the settings through `lookup` (an environment variable's value by name).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        Self::read(&Vars::lookup(lookup))
    }

    /// The one reading of the `ENV_*` variables behind the three constructors above.
    fn read(vars: &Vars) -> Result<Self> {
        let domain = vars.optional(ENV_DOMAIN)?.ok_or_else(|| {
            Error::invalid(
                ENV_DOMAIN,
                "is not set; give the tenant domain, e.g. acme.eu.auth0.com",
            )
        })?;
        let missing = |name: &str| Error::invalid(name, format!("is not set (nor is {ENV_TOKEN})"));
        let config = match vars.optional(ENV_TOKEN)? {
            Some(token) => Config::with_static_token(&domain, token)?,
            None => {
                let client_id = vars
                    .optional(ENV_CLIENT_ID)?
                    .ok_or_else(|| missing(ENV_CLIENT_ID))?;
                let client_secret = vars
                    .optional(ENV_CLIENT_SECRET)?
                    .ok_or_else(|| missing(ENV_CLIENT_SECRET))?;
                Config::new(&domain, client_id, client_secret)?
            }
        };
        match vars.optional(ENV_BASE_URL)? {
            Some(url) => config.with_base_url(&url),
            None => Ok(config),
        }
    }

    /// The tenant domain.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// How the token is obtained.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Where requests go: the configured base URL, or `https://{domain}`.
    pub fn api_base(&self) -> Result<Url> {
        match &self.base_url {
            Some(url) => Ok(url.clone()),
            None => Url::parse(&format!("https://{}", self.domain))
                .map_err(|e| Error::invalid(ENV_DOMAIN, format!("is not a host name: {e}"))),
        }
    }

    /// The token audience, `https://{domain}/api/v2/` with its trailing slash.
    pub fn audience(&self) -> String {
        format!("https://{}/api/v2/", self.domain)
    }

    /// Whether plain http to non-loopback hosts is accepted.
    pub fn insecure_http_allowed(&self) -> bool {
        self.allow_insecure_http
    }

    /// The retry bounds, when set.
    pub fn retry(&self) -> Option<&RetryConfig> {
        self.retry.as_ref()
    }

    /// The per-attempt timeout, when set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

fn parse_domain(domain: &str) -> Result<String> {
    let trimmed = domain.trim();
    let bare = trimmed
        .strip_prefix("https://")
        .unwrap_or(trimmed)
        .trim_end_matches('/');
    if bare.is_empty() {
        return Err(Error::invalid(ENV_DOMAIN, "must not be empty"));
    }
    if let Some(bad) = bare
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@'))
    {
        return Err(Error::invalid(
            ENV_DOMAIN,
            format!("\"{domain}\" contains {bad:?}; give a host name such as acme.eu.auth0.com"),
        ));
    }
    Url::parse(&format!("https://{bare}"))
        .map_err(|e| Error::invalid(ENV_DOMAIN, format!("\"{domain}\" is not a host name: {e}")))?;
    Ok(bare.to_string())
}

fn parse_base_url(text: &str) -> Result<Url> {
    let url = validate::http_url(ENV_BASE_URL, text.trim())?;
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(Error::invalid(
            ENV_BASE_URL,
            format!("\"{text}\" must not carry credentials, a query or a fragment"),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn field(err: Error) -> String {
        match err {
            Error::InvalidInput { field, .. } => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn every_missing_variable_is_named() {
        let err = Config::from_lookup(lookup(&[])).unwrap_err();
        assert_eq!(field(err), ENV_DOMAIN);
        let err = Config::from_lookup(lookup(&[(ENV_DOMAIN, "a.auth0.com")])).unwrap_err();
        assert_eq!(field(err), ENV_CLIENT_ID);
        let err = Config::from_lookup(lookup(&[
            (ENV_DOMAIN, "a.auth0.com"),
            (ENV_CLIENT_ID, "id"),
        ]))
        .unwrap_err();
        assert_eq!(field(err), ENV_CLIENT_SECRET);
        let err = Config::from_lookup(lookup(&[
            (ENV_DOMAIN, "a.auth0.com"),
            (ENV_TOKEN, "t"),
            (ENV_BASE_URL, "ftp://x"),
        ]))
        .unwrap_err();
        assert_eq!(field(err), ENV_BASE_URL);
        let err =
            Config::from_lookup(lookup(&[(ENV_DOMAIN, "a b"), (ENV_TOKEN, "t")])).unwrap_err();
        assert_eq!(field(err), ENV_DOMAIN);
    }

    #[test]
    fn token_replaces_client_credentials_and_audience_has_the_slash() {
        let config = Config::from_lookup(lookup(&[
            (ENV_DOMAIN, "https://acme.eu.auth0.com/"),
            (ENV_TOKEN, "tok"),
        ]))
        .unwrap();
        assert_eq!(config.domain(), "acme.eu.auth0.com");
        assert!(matches!(config.credentials(), Credentials::Token(_)));
        assert_eq!(config.audience(), "https://acme.eu.auth0.com/api/v2/");
        assert_eq!(
            config.api_base().unwrap().as_str(),
            "https://acme.eu.auth0.com/"
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let config = Config::new("a.auth0.com", "cid", "very-secret-value").unwrap();
        let shown = format!("{config:?}");
        assert!(shown.contains("cid"));
        assert!(!shown.contains("very-secret-value"), "{shown}");
        let config = Config::with_static_token("a.auth0.com", "token-value").unwrap();
        assert!(!format!("{config:?}").contains("token-value"));
    }
}
