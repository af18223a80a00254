//! Settings of an [`Auth0Provider`]: [`Auth0Builder`], from code or the environment.

use std::time::Duration;

use std::str::FromStr;

use idconn_core::builder::{ConfigKey, ConfigValues, flag_text, parse_key};
use idconn_core::env::Vars;
use idconn_core::http::RetryConfig;
use idconn_core::{Error, Result, validate};
use secrecy::SecretString;
use url::Url;

use crate::Auth0Provider;

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
/// `true` to accept plain http to hosts other than loopback (tokens then cross the network in
/// clear). Optional, default `false`.
pub const ENV_ALLOW_INSECURE_HTTP: &str = "AUTH0_ALLOW_INSECURE_HTTP";
/// The client's own rate limit, `BURST/PER_SEC` (e.g. `50/16`, Auth0's enterprise limit):
/// every request waits for a token of this bucket. Optional; without it only Auth0's rate-limit
/// headers and 429s hold requests back.
pub const ENV_RATE_LIMIT: &str = "AUTH0_RATE_LIMIT";

/// How the provider obtains its Management API token: client credentials at `/oauth/token`
/// (Auth0 docs: "Get Management API Access Tokens for Production"), or a ready token (`AUTH0_TOKEN`). Core's type, shared with ezto auth.
pub use idconn_core::Credentials;

/// A client-side rate limit ([`Auth0Builder::with_rate_limit`], [`ENV_RATE_LIMIT`]). Core's
/// type, shared by every backend.
pub use idconn_core::RateLimit;

/// One Auth0 setting, spelled the same in code ([`Auth0Builder::with_config`]) and in the
/// environment ([`Auth0ConfigKey::env_name`]). Parses from the variable's name or its tail
/// (`AUTH0_CLIENT_ID`, `client_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Auth0ConfigKey {
    /// [`ENV_DOMAIN`].
    Domain,
    /// [`ENV_CLIENT_ID`].
    ClientId,
    /// [`ENV_CLIENT_SECRET`].
    ClientSecret,
    /// [`ENV_TOKEN`].
    Token,
    /// [`ENV_BASE_URL`].
    BaseUrl,
    /// [`ENV_ALLOW_INSECURE_HTTP`].
    AllowInsecureHttp,
    /// [`ENV_RATE_LIMIT`].
    RateLimit,
}

impl ConfigKey for Auth0ConfigKey {
    const ALL: &'static [Self] = &[
        Auth0ConfigKey::Domain,
        Auth0ConfigKey::ClientId,
        Auth0ConfigKey::ClientSecret,
        Auth0ConfigKey::Token,
        Auth0ConfigKey::BaseUrl,
        Auth0ConfigKey::AllowInsecureHttp,
        Auth0ConfigKey::RateLimit,
    ];

    fn env_name(self) -> &'static str {
        match self {
            Auth0ConfigKey::Domain => ENV_DOMAIN,
            Auth0ConfigKey::ClientId => ENV_CLIENT_ID,
            Auth0ConfigKey::ClientSecret => ENV_CLIENT_SECRET,
            Auth0ConfigKey::Token => ENV_TOKEN,
            Auth0ConfigKey::BaseUrl => ENV_BASE_URL,
            Auth0ConfigKey::AllowInsecureHttp => ENV_ALLOW_INSECURE_HTTP,
            Auth0ConfigKey::RateLimit => ENV_RATE_LIMIT,
        }
    }

    fn is_secret(self) -> bool {
        matches!(self, Auth0ConfigKey::ClientSecret | Auth0ConfigKey::Token)
    }
}

impl Auth0ConfigKey {
    /// The environment variable of this setting, also its name in errors.
    pub fn env_name(self) -> &'static str {
        ConfigKey::env_name(self)
    }
}

impl FromStr for Auth0ConfigKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        parse_key(s)
    }
}

/// Builds an [`Auth0Provider`]: the documented way to configure the Auth0 backend.
///
/// Setters never fail; [`build`](Self::build) checks everything at once and names the setting
/// at fault by its environment variable (`AUTH0_DOMAIN`), wherever the value came from.
///
/// ```no_run
/// use idconn_auth0::Auth0Builder;
/// use idconn_core::Credentials;
/// # fn demo() -> idconn_core::Result<()> {
/// let auth0 = Auth0Builder::new()
///     .with_domain("acme.eu.auth0.com")
///     .with_credentials(Credentials::client("client-id", "client-secret"))
///     .build()?;
/// // Or from AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (or AUTH0_TOKEN), ...
/// let from_env = Auth0Builder::from_env().build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Auth0Builder {
    values: ConfigValues<Auth0ConfigKey>,
}

impl Auth0Builder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding every `AUTH0_*` variable set in the process environment.
    pub fn from_env() -> Self {
        Auth0Builder {
            values: ConfigValues::from_env(),
        }
    }

    /// A builder holding the `AUTH0_*` variables among `KEY=VALUE` pairs, such as a
    /// simulator's `env_vars()`.
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Self {
        Auth0Builder {
            values: ConfigValues::from_pairs(vars),
        }
    }

    /// Sets one setting by key, as its environment variable would.
    pub fn with_config(mut self, key: Auth0ConfigKey, value: impl Into<String>) -> Self {
        self.values.set(key, value);
        self
    }

    /// The value given for `key`, if any.
    pub fn get_config(&self, key: Auth0ConfigKey) -> Option<&str> {
        self.values.get(key)
    }

    /// The tenant's domain (`acme.eu.auth0.com`; an `https://` prefix and a trailing slash are
    /// tolerated).
    pub fn with_domain(self, domain: impl Into<String>) -> Self {
        self.with_config(Auth0ConfigKey::Domain, domain)
    }

    /// How the Management API token is obtained: client credentials at `/oauth/token`, or a
    /// ready token. Replaces credentials given before.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.values.set_credentials(
            credentials,
            [
                Auth0ConfigKey::ClientId,
                Auth0ConfigKey::ClientSecret,
                Auth0ConfigKey::Token,
            ],
        );
        self
    }

    /// Calls `base_url` instead of `https://{domain}` (a simulator or a proxy; the token
    /// audience still names the domain).
    pub fn with_base_url(self, base_url: impl Into<String>) -> Self {
        self.with_config(Auth0ConfigKey::BaseUrl, base_url)
    }

    /// Retry bounds other than core's defaults.
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.values.set_retry(retry);
        self
    }

    /// A per-attempt timeout other than core's default (30 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.values.set_timeout(timeout);
        self
    }

    /// Accepts plain http to hosts other than loopback (tokens then cross the network in
    /// clear). Off by default; loopback hosts (simulators) never need it.
    pub fn with_allow_http(self, allow: bool) -> Self {
        self.with_config(Auth0ConfigKey::AllowInsecureHttp, flag_text(allow))
    }

    /// Paces every request, token requests included, to `limit`, shared by every task using
    /// the provider: set it at or below the tenant's limit ([`RateLimit`]) to meet no 429s.
    pub fn with_rate_limit(self, limit: RateLimit) -> Self {
        self.with_config(Auth0ConfigKey::RateLimit, limit.to_string())
    }

    /// The checked settings, without building a provider.
    pub fn build_config(&self) -> Result<Config> {
        let mut config = Config::read(&self.values.vars()?)?;
        config.retry = self.values.retry().cloned();
        config.timeout = self.values.timeout();
        Ok(config)
    }

    /// The provider. Fails with an [`Error::InvalidInput`] naming the first setting at fault.
    pub fn build(self) -> Result<Auth0Provider> {
        Auth0Provider::new(self.build_config()?)
            .map_err(|e| ConfigValues::name_base_url(e, Auth0ConfigKey::BaseUrl))
    }
}

/// Everything the Auth0 backend needs to reach one tenant.
#[derive(Debug, Clone)]
pub struct Config {
    domain: String,
    credentials: Credentials,
    base_url: Option<Url>,
    allow_insecure_http: bool,
    retry: Option<RetryConfig>,
    timeout: Option<Duration>,
    rate_limit: Option<RateLimit>,
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
            rate_limit: None,
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
            rate_limit: None,
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

    /// Paces every request to `limit` ([`Auth0Builder::with_rate_limit`]).
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The one reading of the `ENV_*` variables, from the environment or an [`Auth0Builder`].
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
        let config = match vars.optional(ENV_BASE_URL)? {
            Some(url) => config.with_base_url(&url)?,
            None => config,
        };
        let mut config =
            config.allow_insecure_http(vars.flag(ENV_ALLOW_INSECURE_HTTP)?.unwrap_or(false));
        config.rate_limit = vars.rate_limit(ENV_RATE_LIMIT)?;
        Ok(config)
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

    /// The token audience, `https://{domain}/api/v2/` with its trailing slash
    /// (Auth0 docs: "Get Management API Access Tokens for Production").
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

    /// The client's own rate limit, when set.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.rate_limit
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

    fn field(err: Error) -> String {
        match err {
            Error::InvalidInput { field, .. } => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    fn read(pairs: &[(&str, &str)]) -> Result<Config> {
        Auth0Builder::from_vars(pairs).build_config()
    }

    #[test]
    fn every_missing_variable_is_named() {
        assert_eq!(field(read(&[]).unwrap_err()), ENV_DOMAIN);
        let err = read(&[(ENV_DOMAIN, "a.auth0.com")]).unwrap_err();
        assert_eq!(field(err), ENV_CLIENT_ID);
        let err = read(&[(ENV_DOMAIN, "a.auth0.com"), (ENV_CLIENT_ID, "id")]).unwrap_err();
        assert_eq!(field(err), ENV_CLIENT_SECRET);
        let err = read(&[
            (ENV_DOMAIN, "a.auth0.com"),
            (ENV_TOKEN, "t"),
            (ENV_BASE_URL, "ftp://x"),
        ])
        .unwrap_err();
        assert_eq!(field(err), ENV_BASE_URL);
        let err = read(&[(ENV_DOMAIN, "a b"), (ENV_TOKEN, "t")]).unwrap_err();
        assert_eq!(field(err), ENV_DOMAIN);
        let err = read(&[
            (ENV_DOMAIN, "a.auth0.com"),
            (ENV_TOKEN, "t"),
            (ENV_ALLOW_INSECURE_HTTP, "perhaps"),
        ])
        .unwrap_err();
        assert_eq!(field(err), ENV_ALLOW_INSECURE_HTTP);
    }

    #[test]
    fn builder_errors_name_the_setting_whether_set_in_code_or_environment() {
        let err = Auth0Builder::new()
            .with_credentials(Credentials::token("t"))
            .build()
            .unwrap_err();
        assert_eq!(field(err), ENV_DOMAIN);
        let err = Auth0Builder::new()
            .with_domain("a.auth0.com")
            .with_credentials(Credentials::client("", "s"))
            .build()
            .unwrap_err();
        assert_eq!(field(err), ENV_CLIENT_ID);
        // Plain http to a host other than loopback is refused, naming the base URL...
        let plain = Auth0Builder::new()
            .with_domain("a.auth0.com")
            .with_credentials(Credentials::token("t"))
            .with_base_url("http://proxy.example.com");
        assert_eq!(field(plain.clone().build().unwrap_err()), ENV_BASE_URL);
        // ...unless allowed.
        assert!(plain.with_allow_http(true).build().is_ok());
        let key: Auth0ConfigKey = "client-secret".parse().unwrap();
        assert_eq!(key, Auth0ConfigKey::ClientSecret);
        assert!("tenant".parse::<Auth0ConfigKey>().is_err());
    }

    #[test]
    fn the_last_credentials_given_win() {
        let config = Auth0Builder::from_vars(&[
            (ENV_DOMAIN, "a.auth0.com"),
            (ENV_CLIENT_ID, "id"),
            (ENV_CLIENT_SECRET, "s"),
        ])
        .with_credentials(Credentials::token("t"))
        .with_retry(RetryConfig::default())
        .with_timeout(Duration::from_secs(3))
        .build_config()
        .unwrap();
        assert!(matches!(config.credentials(), Credentials::Token(_)));
        assert_eq!(config.timeout(), Some(Duration::from_secs(3)));
        assert!(config.retry().is_some());
    }

    #[test]
    fn a_rate_limit_comes_from_code_or_the_environment_and_a_bad_one_is_named() {
        let base = [(ENV_DOMAIN, "a.auth0.com"), (ENV_TOKEN, "t")];
        assert_eq!(read(&base).unwrap().rate_limit(), None);
        let mut pairs = base.to_vec();
        pairs.push((ENV_RATE_LIMIT, "50/16"));
        let limit = read(&pairs).unwrap().rate_limit().unwrap();
        assert_eq!((limit.burst(), limit.per_second()), (50, 16.0));
        let limit: RateLimit = "10/2.5".parse().unwrap();
        let config = Auth0Builder::from_vars(&base)
            .with_rate_limit(limit)
            .build_config()
            .unwrap();
        assert_eq!(config.rate_limit(), Some(limit));
        assert_eq!(
            "rate-limit".parse::<Auth0ConfigKey>().unwrap(),
            Auth0ConfigKey::RateLimit
        );
        for bad in ["50", "0/16", "50/0", "fast"] {
            pairs.push((ENV_RATE_LIMIT, bad));
            let err = read(&pairs).unwrap_err();
            assert!(err.to_string().contains("BURST/PER_SEC"), "{bad}: {err}");
            assert_eq!(field(err), ENV_RATE_LIMIT, "{bad}");
        }
    }

    #[test]
    fn token_replaces_client_credentials_and_audience_has_the_slash() {
        let config = read(&[
            (ENV_DOMAIN, "https://acme.eu.auth0.com/"),
            (ENV_TOKEN, "tok"),
        ])
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
        let builder =
            Auth0Builder::new().with_credentials(Credentials::client("cid", "very-secret-value"));
        assert!(!format!("{builder:?}").contains("very-secret-value"));
    }
}
