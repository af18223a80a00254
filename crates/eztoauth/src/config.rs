//! Settings of an [`EztoProvider`]: [`EztoBuilder`] for ezto auth (`EZTO_*` variables) and
//! [`KeycloakBuilder`] for a plain Keycloak (`KEYCLOAK_*`), from code or the environment.
//!
//! ezto serves Keycloak's admin API under the legacy `/auth` context path
//! (Keycloak docs, "Migrating to Quarkus distribution": the `/auth` context path); a plain Keycloak 17+ serves it at the root, so the prefix
//! is configurable and may be empty.

use std::str::FromStr;
use std::time::Duration;

use idconn_core::builder::{ConfigKey, ConfigValues, flag_text, parse_key};
use idconn_core::env::Vars;
use idconn_core::http::RetryConfig;
use idconn_core::{Error, Result, Vendor, validate};
use secrecy::SecretString;
use url::Url;

use crate::{EztoProvider, KeycloakProvider};

/// ezto's API prefix (Keycloak's legacy `/auth` context path).
pub const DEFAULT_API_PREFIX: &str = "/auth";

/// `scheme://host[:port]` of the ezto (Keycloak) server, without a path. Required.
pub const ENV_HOST: &str = "EZTO_HOST";
/// The workspace (Keycloak realm) whose identity providers are managed. Required.
pub const ENV_WORKSPACE: &str = "EZTO_WORKSPACE";
/// The client id of a confidential client. Required unless `EZTO_TOKEN` is set.
pub const ENV_CLIENT_ID: &str = "EZTO_CLIENT_ID";
/// That client's secret. Required unless `EZTO_TOKEN` is set.
pub const ENV_CLIENT_SECRET: &str = "EZTO_CLIENT_SECRET";
/// A ready admin API token, used instead of client credentials.
pub const ENV_TOKEN: &str = "EZTO_TOKEN";
/// The path in front of every Keycloak path. Optional, default [`DEFAULT_API_PREFIX`]; set but
/// empty means none (a plain Keycloak 17+).
pub const ENV_API_PREFIX: &str = "EZTO_API_PREFIX";
/// The realm whose token endpoint issues tokens. Optional, default the workspace.
pub const ENV_TOKEN_REALM: &str = "EZTO_TOKEN_REALM";
/// `true` to accept plain http to hosts other than loopback. Optional, default `false`.
pub const ENV_ALLOW_INSECURE_HTTP: &str = "EZTO_ALLOW_INSECURE_HTTP";
/// The client's own rate limit, `BURST/PER_SEC` (e.g. `50/16`): every request waits for a token
/// of this bucket. Optional; without it only the server's 429s hold requests back (Keycloak
/// sends no counts), which costs some refused requests under a tight limit.
pub const ENV_RATE_LIMIT: &str = "EZTO_RATE_LIMIT";

/// A client-side rate limit ([`EztoBuilder::with_rate_limit`],
/// [`KeycloakBuilder::with_rate_limit`]). Core's type, shared by every backend.
pub use idconn_core::RateLimit;

/// One ezto setting, spelled the same in code ([`EztoBuilder::with_config`]) and in the
/// environment ([`EztoConfigKey::env_name`]). Parses from the variable's name or its tail
/// (`EZTO_WORKSPACE`, `workspace`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EztoConfigKey {
    /// [`ENV_HOST`].
    Host,
    /// [`ENV_WORKSPACE`].
    Workspace,
    /// [`ENV_CLIENT_ID`].
    ClientId,
    /// [`ENV_CLIENT_SECRET`].
    ClientSecret,
    /// [`ENV_TOKEN`].
    Token,
    /// [`ENV_API_PREFIX`].
    ApiPrefix,
    /// [`ENV_TOKEN_REALM`].
    TokenRealm,
    /// [`ENV_ALLOW_INSECURE_HTTP`].
    AllowInsecureHttp,
    /// [`ENV_RATE_LIMIT`].
    RateLimit,
}

impl ConfigKey for EztoConfigKey {
    const ALL: &'static [Self] = &[
        EztoConfigKey::Host,
        EztoConfigKey::Workspace,
        EztoConfigKey::ClientId,
        EztoConfigKey::ClientSecret,
        EztoConfigKey::Token,
        EztoConfigKey::ApiPrefix,
        EztoConfigKey::TokenRealm,
        EztoConfigKey::AllowInsecureHttp,
        EztoConfigKey::RateLimit,
    ];

    fn env_name(self) -> &'static str {
        match self {
            EztoConfigKey::Host => ENV_HOST,
            EztoConfigKey::Workspace => ENV_WORKSPACE,
            EztoConfigKey::ClientId => ENV_CLIENT_ID,
            EztoConfigKey::ClientSecret => ENV_CLIENT_SECRET,
            EztoConfigKey::Token => ENV_TOKEN,
            EztoConfigKey::ApiPrefix => ENV_API_PREFIX,
            EztoConfigKey::TokenRealm => ENV_TOKEN_REALM,
            EztoConfigKey::AllowInsecureHttp => ENV_ALLOW_INSECURE_HTTP,
            EztoConfigKey::RateLimit => ENV_RATE_LIMIT,
        }
    }

    fn is_secret(self) -> bool {
        matches!(self, EztoConfigKey::ClientSecret | EztoConfigKey::Token)
    }
}

impl EztoConfigKey {
    /// The environment variable of this setting, also its name in errors.
    pub fn env_name(self) -> &'static str {
        ConfigKey::env_name(self)
    }
}

impl FromStr for EztoConfigKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        parse_key(s)
    }
}

/// Builds an [`EztoProvider`]: the documented way to configure the ezto auth backend.
///
/// Setters never fail; [`build`](Self::build) checks everything at once and names the setting
/// at fault by its environment variable (`EZTO_WORKSPACE`), wherever the value came from.
///
/// ```no_run
/// use idconn_core::Credentials;
/// use idconn_eztoauth::EztoBuilder;
/// # fn demo() -> idconn_core::Result<()> {
/// let ezto = EztoBuilder::new()
///     .with_host("https://id.example.com")
///     .with_workspace("acme")
///     .with_credentials(Credentials::client("idconn", "client-secret"))
///     .build()?;
/// // Or from EZTO_HOST, EZTO_WORKSPACE, EZTO_CLIENT_ID + EZTO_CLIENT_SECRET (or EZTO_TOKEN), ...
/// let from_env = EztoBuilder::from_env().build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct EztoBuilder {
    values: ConfigValues<EztoConfigKey>,
}

impl EztoBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding every `EZTO_*` variable set in the process environment.
    pub fn from_env() -> Self {
        EztoBuilder {
            values: ConfigValues::from_env(),
        }
    }

    /// A builder holding the `EZTO_*` variables among `KEY=VALUE` pairs, such as a
    /// simulator's `env_vars()`.
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Self {
        EztoBuilder {
            values: ConfigValues::from_pairs(vars),
        }
    }

    /// Sets one setting by key, as its environment variable would.
    pub fn with_config(mut self, key: EztoConfigKey, value: impl Into<String>) -> Self {
        self.values.set(key, value);
        self
    }

    /// The value given for `key`, if any.
    pub fn get_config(&self, key: EztoConfigKey) -> Option<&str> {
        self.values.get(key)
    }

    /// `scheme://host[:port]` of the server, without a path (put one in
    /// [`with_api_prefix`](Self::with_api_prefix)).
    pub fn with_host(self, host: impl Into<String>) -> Self {
        self.with_config(EztoConfigKey::Host, host)
    }

    /// The workspace (Keycloak realm) whose identity providers are managed.
    pub fn with_workspace(self, workspace: impl Into<String>) -> Self {
        self.with_config(EztoConfigKey::Workspace, workspace)
    }

    /// How requests are authenticated: Keycloak's client-credentials grant, or a ready token.
    /// Replaces credentials given before.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.values.set_credentials(
            credentials,
            [
                EztoConfigKey::ClientId,
                EztoConfigKey::ClientSecret,
                EztoConfigKey::Token,
            ],
        );
        self
    }

    /// Another prefix than `/auth` (`""` for a plain Keycloak 17+).
    pub fn with_api_prefix(self, prefix: impl Into<String>) -> Self {
        self.with_config(EztoConfigKey::ApiPrefix, prefix)
    }

    /// Fetches tokens from `realm` (for example `master`) instead of the workspace's realm.
    pub fn with_token_realm(self, realm: impl Into<String>) -> Self {
        self.with_config(EztoConfigKey::TokenRealm, realm)
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
        self.with_config(EztoConfigKey::AllowInsecureHttp, flag_text(allow))
    }

    /// Paces every request, token requests included, to `limit`, shared by every task using
    /// the provider: set it at or below the server's limit ([`RateLimit`]) to meet no 429s.
    pub fn with_rate_limit(self, limit: RateLimit) -> Self {
        self.with_config(EztoConfigKey::RateLimit, limit.to_string())
    }

    /// The checked settings, without building a provider.
    pub fn build_config(&self) -> Result<Config> {
        let mut config = Config::read(&self.values.vars()?, &Spelling::EZTO)?;
        config.retry = self.values.retry().cloned();
        config.timeout = self.values.timeout();
        Ok(config)
    }

    /// The provider. Fails with an [`Error::InvalidInput`] naming the first setting at fault.
    pub fn build(self) -> Result<EztoProvider> {
        EztoProvider::new(self.build_config()?)
            .map_err(|e| ConfigValues::name_base_url(e, EztoConfigKey::Host))
    }
}

/// How the provider authenticates to the admin API: Keycloak's client-credentials grant at
/// `{host}{prefix}/realms/{token_realm}/protocol/openid-connect/token` (Keycloak docs,
/// "Service accounts"; a
/// confidential client whose service account holds `manage-identity-providers`), or a ready
/// bearer token (`EZTO_TOKEN`). Core's type, shared with Auth0.
pub use idconn_core::Credentials;

/// Everything an [`EztoProvider`] needs to reach one workspace.
#[derive(Debug, Clone)]
pub struct Config {
    /// Which server this is: [`Vendor::Ezto`], or [`Vendor::Keycloak`] for a plain Keycloak.
    /// One admin API; the vendor names the connections' extras and the reports.
    pub vendor: Vendor,
    /// `scheme://host[:port]` of the ezto (Keycloak) server, without a path.
    pub host: Url,
    /// The workspace (Keycloak realm) whose identity providers are managed.
    pub workspace: String,
    /// The path in front of every Keycloak path: `/auth` for ezto, `""` for a plain Keycloak 17+.
    pub api_prefix: String,
    /// How requests are authenticated.
    pub credentials: Credentials,
    /// The realm whose token endpoint issues tokens; `None` means the workspace itself.
    pub token_realm: Option<String>,
    /// Allow plain `http://` to hosts other than loopback (tokens would cross the network in
    /// clear text). Off by default.
    pub allow_insecure_http: bool,
    /// Retry bounds; `None` keeps core's defaults.
    pub retry: Option<RetryConfig>,
    /// Time allowed for one attempt; `None` keeps core's default (30 s).
    pub timeout: Option<Duration>,
    /// The client's own rate limit (`EZTO_RATE_LIMIT`, `KEYCLOAK_RATE_LIMIT`); `None`: only
    /// the server's 429s hold requests back.
    pub rate_limit: Option<RateLimit>,
}

impl Config {
    /// Settings for `host` and `workspace` with client credentials, the `/auth` prefix and
    /// tokens from the workspace's own realm. Fails when `host` is not a bare base URL or the
    /// workspace is empty.
    pub fn new(host: &str, workspace: &str, credentials: Credentials) -> Result<Self> {
        let config = Config {
            vendor: Vendor::Ezto,
            host: parse_host(host, "host", ENV_API_PREFIX)?,
            workspace: workspace.to_string(),
            api_prefix: DEFAULT_API_PREFIX.to_string(),
            credentials,
            token_realm: None,
            allow_insecure_http: false,
            retry: None,
            timeout: None,
            rate_limit: None,
        };
        config.validate()?;
        Ok(config)
    }

    /// Uses `prefix` instead of `/auth` (`""` for a plain Keycloak); slashes are normalised.
    pub fn with_api_prefix(mut self, prefix: &str) -> Self {
        self.api_prefix = normalize_prefix(prefix);
        self
    }

    /// Fetches tokens from realm `realm` (for example `master`) instead of the workspace.
    pub fn with_token_realm(mut self, realm: &str) -> Self {
        self.token_realm = Some(realm.to_string());
        self
    }

    /// The one reading of a vendor's variables (`EZTO_*` or `KEYCLOAK_*`), from the
    /// environment or a builder.
    fn read(vars: &Vars, names: &Spelling) -> Result<Self> {
        let host = parse_host(&vars.required(names.host)?, names.host, names.api_prefix)?;
        let workspace = vars.required(names.workspace)?;
        check_realm_name(names.workspace, &workspace)?;
        let token = vars.optional(names.token)?;
        let has_client = vars.is_set(names.client_id)? || vars.is_set(names.client_secret)?;
        let credentials = match (token, has_client) {
            (Some(_), true) => {
                return Err(Error::invalid(
                    names.token,
                    format!(
                        "set either {} or {} + {}, not both",
                        names.token, names.client_id, names.client_secret
                    ),
                ));
            }
            (Some(token), false) => Credentials::Token(SecretString::from(token)),
            (None, _) => Credentials::ClientCredentials {
                client_id: vars.optional(names.client_id)?.ok_or_else(|| {
                    Error::invalid(
                        names.client_id,
                        format!(
                            "is not set; set {} and {}, or {}",
                            names.client_id, names.client_secret, names.token
                        ),
                    )
                })?,
                client_secret: SecretString::from(vars.required(names.client_secret)?),
            },
        };
        let config = Config {
            vendor: names.vendor,
            host,
            workspace,
            api_prefix: vars.raw(names.api_prefix)?.map_or_else(
                || names.default_prefix.to_string(),
                |p| normalize_prefix(&p),
            ),
            credentials,
            token_realm: vars
                .optional(names.token_realm)?
                .or(names.default_token_realm.map(str::to_string)),
            allow_insecure_http: vars.flag(names.allow_insecure_http)?.unwrap_or(false),
            retry: None,
            timeout: None,
            rate_limit: vars.rate_limit(names.rate_limit)?,
        };
        config.validate_as(names.workspace, names.token_realm)?;
        Ok(config)
    }

    /// Checks the workspace and token realm names.
    pub fn validate(&self) -> Result<()> {
        self.validate_as("workspace", "token_realm")
    }

    fn validate_as(&self, workspace_field: &str, realm_field: &str) -> Result<()> {
        check_realm_name(workspace_field, &self.workspace)?;
        if let Some(realm) = &self.token_realm {
            check_realm_name(realm_field, realm)?;
        }
        if let Credentials::ClientCredentials { client_id, .. } = &self.credentials {
            if client_id.trim().is_empty() {
                return Err(Error::invalid("client_id", "must not be empty"));
            }
        }
        Ok(())
    }

    /// The realm whose token endpoint issues tokens.
    pub fn token_realm(&self) -> &str {
        self.token_realm.as_deref().unwrap_or(&self.workspace)
    }

    /// `{host}{prefix}`: the base every request path is appended to.
    pub fn base_url(&self) -> Result<Url> {
        let text = format!(
            "{}{}",
            self.host.as_str().trim_end_matches('/'),
            self.api_prefix
        );
        Url::parse(&text).map_err(|e| {
            Error::invalid(
                Spelling::of(self.vendor).api_prefix,
                format!(
                    "\"{}\" does not form a URL with the host: {e}",
                    self.api_prefix
                ),
            )
        })
    }
}

/// `value` as a bare base URL; a path belongs in the prefix variable `prefix_field`.
fn parse_host(value: &str, field: &str, prefix_field: &str) -> Result<Url> {
    let url = validate::http_url(field, value.trim())?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            field,
            format!(
                "\"{value}\" must be scheme://host[:port] only; put a path prefix in {prefix_field}"
            ),
        ));
    }
    Ok(url)
}

/// The variables one vendor served by this crate reads, and its defaults: ezto auth keeps
/// Keycloak's legacy `/auth` prefix and the workspace's own realm for tokens; a plain Keycloak
/// 17+ has no prefix and admin clients live in `master` (Keycloak docs, "Admin REST API").
struct Spelling {
    vendor: Vendor,
    host: &'static str,
    workspace: &'static str,
    client_id: &'static str,
    client_secret: &'static str,
    token: &'static str,
    api_prefix: &'static str,
    token_realm: &'static str,
    allow_insecure_http: &'static str,
    rate_limit: &'static str,
    default_prefix: &'static str,
    default_token_realm: Option<&'static str>,
}

impl Spelling {
    const EZTO: Spelling = Spelling {
        vendor: Vendor::Ezto,
        host: ENV_HOST,
        workspace: ENV_WORKSPACE,
        client_id: ENV_CLIENT_ID,
        client_secret: ENV_CLIENT_SECRET,
        token: ENV_TOKEN,
        api_prefix: ENV_API_PREFIX,
        token_realm: ENV_TOKEN_REALM,
        allow_insecure_http: ENV_ALLOW_INSECURE_HTTP,
        rate_limit: ENV_RATE_LIMIT,
        default_prefix: DEFAULT_API_PREFIX,
        default_token_realm: None,
    };

    const KEYCLOAK: Spelling = Spelling {
        vendor: Vendor::Keycloak,
        host: KEYCLOAK_URL,
        workspace: KEYCLOAK_REALM,
        client_id: KEYCLOAK_CLIENT_ID,
        client_secret: KEYCLOAK_CLIENT_SECRET,
        token: KEYCLOAK_TOKEN,
        api_prefix: KEYCLOAK_BASE_PATH,
        token_realm: KEYCLOAK_LOGIN_REALM,
        allow_insecure_http: KEYCLOAK_ALLOW_INSECURE_HTTP,
        rate_limit: KEYCLOAK_RATE_LIMIT,
        default_prefix: "",
        default_token_realm: Some(KEYCLOAK_DEFAULT_LOGIN_REALM),
    };

    fn of(vendor: Vendor) -> &'static Spelling {
        match vendor {
            Vendor::Keycloak => &Spelling::KEYCLOAK,
            _ => &Spelling::EZTO,
        }
    }
}

/// `auth`, `/auth/` and `/auth` all become `/auth`; blank becomes `""`.
fn normalize_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// A realm name goes into URL paths; Keycloak refuses reserved characters in it.
fn check_realm_name(field: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| c.is_whitespace() || "/?#%\\".contains(*c))
    {
        return Err(Error::invalid(
            field,
            format!("\"{name}\" contains {bad:?}"),
        ));
    }
    Ok(())
}

/// `scheme://host[:port]` of the Keycloak server, without a path. Required.
pub const KEYCLOAK_URL: &str = "KEYCLOAK_URL";
/// The realm whose identity providers are managed. Required.
pub const KEYCLOAK_REALM: &str = "KEYCLOAK_REALM";
/// The client id of a confidential client. Required unless `KEYCLOAK_TOKEN` is set.
pub const KEYCLOAK_CLIENT_ID: &str = "KEYCLOAK_CLIENT_ID";
/// That client's secret. Required unless `KEYCLOAK_TOKEN` is set.
pub const KEYCLOAK_CLIENT_SECRET: &str = "KEYCLOAK_CLIENT_SECRET";
/// A ready admin API token, used instead of client credentials.
pub const KEYCLOAK_TOKEN: &str = "KEYCLOAK_TOKEN";
/// The realm whose token endpoint issues tokens. Optional, default
/// [`KEYCLOAK_DEFAULT_LOGIN_REALM`].
pub const KEYCLOAK_LOGIN_REALM: &str = "KEYCLOAK_LOGIN_REALM";
/// The path in front of every Keycloak path. Optional, default none; `/auth` for servers
/// before Keycloak 17 (Keycloak docs, "Migrating to Quarkus distribution").
pub const KEYCLOAK_BASE_PATH: &str = "KEYCLOAK_BASE_PATH";
/// `true` to accept plain http to hosts other than loopback. Optional, default `false`.
pub const KEYCLOAK_ALLOW_INSECURE_HTTP: &str = "KEYCLOAK_ALLOW_INSECURE_HTTP";
/// The client's own rate limit, `BURST/PER_SEC` (e.g. `50/16`): every request waits for a token
/// of this bucket. Optional; without it only Keycloak's 429s hold requests back.
pub const KEYCLOAK_RATE_LIMIT: &str = "KEYCLOAK_RATE_LIMIT";
/// Where admin tokens come from when `KEYCLOAK_LOGIN_REALM` is not set.
pub const KEYCLOAK_DEFAULT_LOGIN_REALM: &str = "master";

/// One plain-Keycloak setting, spelled the same in code ([`KeycloakBuilder::with_config`]) and in
/// the environment ([`KeycloakConfigKey::env_name`]). Parses from the variable's name or its
/// tail (`KEYCLOAK_REALM`, `realm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeycloakConfigKey {
    /// [`KEYCLOAK_URL`].
    Url,
    /// [`KEYCLOAK_REALM`].
    Realm,
    /// [`KEYCLOAK_CLIENT_ID`].
    ClientId,
    /// [`KEYCLOAK_CLIENT_SECRET`].
    ClientSecret,
    /// [`KEYCLOAK_TOKEN`].
    Token,
    /// [`KEYCLOAK_LOGIN_REALM`].
    LoginRealm,
    /// [`KEYCLOAK_BASE_PATH`].
    BasePath,
    /// [`KEYCLOAK_ALLOW_INSECURE_HTTP`].
    AllowInsecureHttp,
    /// [`KEYCLOAK_RATE_LIMIT`].
    RateLimit,
}

impl ConfigKey for KeycloakConfigKey {
    const ALL: &'static [Self] = &[
        KeycloakConfigKey::Url,
        KeycloakConfigKey::Realm,
        KeycloakConfigKey::ClientId,
        KeycloakConfigKey::ClientSecret,
        KeycloakConfigKey::Token,
        KeycloakConfigKey::LoginRealm,
        KeycloakConfigKey::BasePath,
        KeycloakConfigKey::AllowInsecureHttp,
        KeycloakConfigKey::RateLimit,
    ];

    fn env_name(self) -> &'static str {
        match self {
            KeycloakConfigKey::Url => KEYCLOAK_URL,
            KeycloakConfigKey::Realm => KEYCLOAK_REALM,
            KeycloakConfigKey::ClientId => KEYCLOAK_CLIENT_ID,
            KeycloakConfigKey::ClientSecret => KEYCLOAK_CLIENT_SECRET,
            KeycloakConfigKey::Token => KEYCLOAK_TOKEN,
            KeycloakConfigKey::LoginRealm => KEYCLOAK_LOGIN_REALM,
            KeycloakConfigKey::BasePath => KEYCLOAK_BASE_PATH,
            KeycloakConfigKey::AllowInsecureHttp => KEYCLOAK_ALLOW_INSECURE_HTTP,
            KeycloakConfigKey::RateLimit => KEYCLOAK_RATE_LIMIT,
        }
    }

    fn is_secret(self) -> bool {
        matches!(
            self,
            KeycloakConfigKey::ClientSecret | KeycloakConfigKey::Token
        )
    }
}

impl KeycloakConfigKey {
    /// The environment variable of this setting, also its name in errors.
    pub fn env_name(self) -> &'static str {
        ConfigKey::env_name(self)
    }
}

impl FromStr for KeycloakConfigKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        parse_key(s)
    }
}

/// Builds a [`KeycloakProvider`]: the identity providers of one realm of a plain Keycloak, with
/// Keycloak's own defaults (no path prefix, admin tokens from the `master` realm).
///
/// Setters never fail; [`build`](Self::build) checks everything at once and names the setting
/// at fault by its environment variable (`KEYCLOAK_REALM`), wherever the value came from.
///
/// ```no_run
/// use idconn_core::Credentials;
/// use idconn_eztoauth::KeycloakBuilder;
/// # fn demo() -> idconn_core::Result<()> {
/// let keycloak = KeycloakBuilder::new()
///     .with_url("https://sso.example.com")
///     .with_realm("acme")
///     .with_credentials(Credentials::client("idconn", "client-secret"))
///     .build()?;
/// // Or from KEYCLOAK_URL, KEYCLOAK_REALM, KEYCLOAK_CLIENT_ID + KEYCLOAK_CLIENT_SECRET, ...
/// let from_env = KeycloakBuilder::from_env().build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeycloakBuilder {
    values: ConfigValues<KeycloakConfigKey>,
}

impl KeycloakBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding every `KEYCLOAK_*` variable set in the process environment.
    pub fn from_env() -> Self {
        KeycloakBuilder {
            values: ConfigValues::from_env(),
        }
    }

    /// A builder holding the `KEYCLOAK_*` variables among `KEY=VALUE` pairs, such as a
    /// simulator's `env_vars()`.
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Self {
        KeycloakBuilder {
            values: ConfigValues::from_pairs(vars),
        }
    }

    /// Sets one setting by key, as its environment variable would.
    pub fn with_config(mut self, key: KeycloakConfigKey, value: impl Into<String>) -> Self {
        self.values.set(key, value);
        self
    }

    /// The value given for `key`, if any.
    pub fn get_config(&self, key: KeycloakConfigKey) -> Option<&str> {
        self.values.get(key)
    }

    /// `scheme://host[:port]` of the server, without a path (put one in
    /// [`with_base_path`](Self::with_base_path)).
    pub fn with_url(self, url: impl Into<String>) -> Self {
        self.with_config(KeycloakConfigKey::Url, url)
    }

    /// The realm whose identity providers are managed.
    pub fn with_realm(self, realm: impl Into<String>) -> Self {
        self.with_config(KeycloakConfigKey::Realm, realm)
    }

    /// How requests are authenticated: Keycloak's client-credentials grant, or a ready token.
    /// Replaces credentials given before.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.values.set_credentials(
            credentials,
            [
                KeycloakConfigKey::ClientId,
                KeycloakConfigKey::ClientSecret,
                KeycloakConfigKey::Token,
            ],
        );
        self
    }

    /// The realm tokens come from, when not `master`.
    pub fn with_login_realm(self, realm: impl Into<String>) -> Self {
        self.with_config(KeycloakConfigKey::LoginRealm, realm)
    }

    /// A path in front of every Keycloak path: `/auth` for servers before Keycloak 17.
    pub fn with_base_path(self, path: impl Into<String>) -> Self {
        self.with_config(KeycloakConfigKey::BasePath, path)
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
        self.with_config(KeycloakConfigKey::AllowInsecureHttp, flag_text(allow))
    }

    /// Paces every request, token requests included, to `limit`, shared by every task using
    /// the provider: set it at or below the server's limit ([`RateLimit`]) to meet no 429s.
    pub fn with_rate_limit(self, limit: RateLimit) -> Self {
        self.with_config(KeycloakConfigKey::RateLimit, limit.to_string())
    }

    /// The checked settings, without building a provider.
    pub fn build_config(&self) -> Result<Config> {
        let mut config = Config::read(&self.values.vars()?, &Spelling::KEYCLOAK)?;
        config.retry = self.values.retry().cloned();
        config.timeout = self.values.timeout();
        Ok(config)
    }

    /// The provider. Fails with an [`Error::InvalidInput`] naming the first setting at fault.
    pub fn build(self) -> Result<KeycloakProvider> {
        KeycloakProvider::new(self.build_config()?)
            .map_err(|e| ConfigValues::name_base_url(e, KeycloakConfigKey::Url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: [(&str, &str); 4] = [
        ("EZTO_HOST", "https://id.example.com"),
        ("EZTO_WORKSPACE", "acme"),
        ("EZTO_CLIENT_ID", "cli"),
        ("EZTO_CLIENT_SECRET", "s3cret"),
    ];

    #[test]
    fn defaults_to_the_auth_prefix_and_the_workspace_realm() {
        let config = EztoBuilder::from_vars(&BASE).build_config().unwrap();
        assert_eq!(config.api_prefix, "/auth");
        assert_eq!(config.token_realm(), "acme");
        assert_eq!(
            config.base_url().unwrap().as_str(),
            "https://id.example.com/auth"
        );
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn an_empty_prefix_means_plain_keycloak() {
        let mut pairs = BASE.to_vec();
        pairs.push(("EZTO_API_PREFIX", ""));
        pairs.push(("EZTO_TOKEN_REALM", "master"));
        let config = EztoBuilder::from_vars(&pairs).build_config().unwrap();
        assert_eq!(config.api_prefix, "");
        assert_eq!(config.token_realm(), "master");
        assert_eq!(
            config.base_url().unwrap().as_str(),
            "https://id.example.com/"
        );
    }

    #[test]
    fn builder_errors_name_the_setting_whether_set_in_code_or_environment() {
        let field = |builder: EztoBuilder| match builder.build() {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let base = EztoBuilder::new()
            .with_host("https://id.example.com")
            .with_workspace("acme")
            .with_credentials(Credentials::client("c", "s"));
        assert!(base.clone().build().is_ok());
        assert_eq!(field(base.clone().with_workspace("a/b")), ENV_WORKSPACE);
        assert_eq!(field(base.clone().with_token_realm("a b")), ENV_TOKEN_REALM);
        assert_eq!(field(base.clone().with_host("id.example.com")), ENV_HOST);
        assert_eq!(
            field(base.clone().with_config(EztoConfigKey::Token, "t")),
            ENV_TOKEN
        );
        assert_eq!(
            field(base.clone().with_host("http://id.example.com")),
            ENV_HOST
        );
        assert!(
            base.clone()
                .with_host("http://id.example.com")
                .with_allow_http(true)
                .build()
                .is_ok()
        );
        // The last credentials given win.
        let config = base
            .with_credentials(Credentials::token("t"))
            .with_timeout(std::time::Duration::from_secs(2))
            .build_config()
            .unwrap();
        assert!(matches!(config.credentials, Credentials::Token(_)));
        assert_eq!(config.timeout, Some(std::time::Duration::from_secs(2)));
        assert_eq!(
            "api-prefix".parse::<EztoConfigKey>().unwrap(),
            EztoConfigKey::ApiPrefix
        );
    }

    #[test]
    fn a_token_replaces_client_credentials() {
        let config = EztoBuilder::from_vars(&[
            ("EZTO_HOST", "https://id.example.com"),
            ("EZTO_WORKSPACE", "acme"),
            ("EZTO_TOKEN", "tok"),
        ])
        .build_config()
        .unwrap();
        assert!(matches!(config.credentials, Credentials::Token(_)));
        assert!(!format!("{config:?}").contains("tok\""));
    }

    #[test]
    fn each_bad_variable_is_named() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[], "EZTO_HOST"),
            (&[("EZTO_HOST", "id.example.com")], "EZTO_HOST"),
            (&[("EZTO_HOST", "https://id.example.com/auth")], "EZTO_HOST"),
            (&[("EZTO_HOST", "https://id.example.com")], "EZTO_WORKSPACE"),
            (
                &[
                    ("EZTO_HOST", "https://id.example.com"),
                    ("EZTO_WORKSPACE", "a b"),
                ],
                "EZTO_WORKSPACE",
            ),
            (
                &[
                    ("EZTO_HOST", "https://id.example.com"),
                    ("EZTO_WORKSPACE", "acme"),
                ],
                "EZTO_CLIENT_ID",
            ),
            (
                &[
                    ("EZTO_HOST", "https://id.example.com"),
                    ("EZTO_WORKSPACE", "acme"),
                    ("EZTO_CLIENT_ID", "c"),
                ],
                "EZTO_CLIENT_SECRET",
            ),
            (
                &[
                    ("EZTO_HOST", "https://id.example.com"),
                    ("EZTO_WORKSPACE", "acme"),
                    ("EZTO_CLIENT_ID", "c"),
                    ("EZTO_TOKEN", "t"),
                ],
                "EZTO_TOKEN",
            ),
        ];
        for (pairs, field) in cases {
            let err = EztoBuilder::from_vars(pairs).build_config().unwrap_err();
            match err {
                Error::InvalidInput { field: got, .. } => assert_eq!(&got, field, "{pairs:?}"),
                other => panic!("{other}"),
            }
        }
        let mut pairs = BASE.to_vec();
        pairs.push(("EZTO_ALLOW_INSECURE_HTTP", "yes"));
        assert!(
            EztoBuilder::from_vars(&pairs)
                .build_config()
                .unwrap()
                .allow_insecure_http
        );
        pairs.push(("EZTO_ALLOW_INSECURE_HTTP", "maybe"));
        assert!(
            EztoBuilder::from_vars(&pairs)
                .build_config()
                .unwrap_err()
                .to_string()
                .contains("EZTO_ALLOW_INSECURE_HTTP")
        );
    }

    #[test]
    fn a_rate_limit_comes_from_code_or_either_spelling_and_a_bad_one_is_named() {
        assert_eq!(
            EztoBuilder::from_vars(&BASE)
                .build_config()
                .unwrap()
                .rate_limit,
            None
        );
        let limit: RateLimit = "50/16".parse().unwrap();
        let mut pairs = BASE.to_vec();
        pairs.push((ENV_RATE_LIMIT, "50/16"));
        let from_env = EztoBuilder::from_vars(&pairs).build_config().unwrap();
        assert_eq!(from_env.rate_limit, Some(limit));
        let from_code = EztoBuilder::from_vars(&BASE)
            .with_rate_limit(limit)
            .build_config()
            .unwrap();
        assert_eq!(from_code.rate_limit, Some(limit));
        pairs.push((ENV_RATE_LIMIT, "0/16"));
        let err = EztoBuilder::from_vars(&pairs).build_config().unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, reason }
                if field == ENV_RATE_LIMIT && reason.contains("BURST must be at least 1")),
            "{err:?}"
        );
        let keycloak = [
            (KEYCLOAK_URL, "https://sso.example.com"),
            (KEYCLOAK_REALM, "acme"),
            (KEYCLOAK_TOKEN, "t"),
            (KEYCLOAK_RATE_LIMIT, "5/0.5"),
        ];
        let config = KeycloakBuilder::from_vars(&keycloak)
            .build_config()
            .unwrap();
        assert_eq!(
            config.rate_limit.map(|l| l.to_string()),
            Some("5/0.5".into())
        );
        let config = KeycloakBuilder::from_vars(&keycloak[..3])
            .with_rate_limit(limit)
            .build_config()
            .unwrap();
        assert_eq!(config.rate_limit, Some(limit));
        let mut bad = keycloak.to_vec();
        bad.push((KEYCLOAK_RATE_LIMIT, "5"));
        let err = KeycloakBuilder::from_vars(&bad).build().unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == KEYCLOAK_RATE_LIMIT),
            "{err:?}"
        );
        // EZTO_RATE_LIMIT means nothing to the Keycloak builder.
        let mut mixed = keycloak[..3].to_vec();
        mixed.push((ENV_RATE_LIMIT, "5"));
        assert_eq!(
            KeycloakBuilder::from_vars(&mixed)
                .build_config()
                .unwrap()
                .rate_limit,
            None
        );
    }

    #[test]
    fn keycloak_defaults_to_no_prefix_and_master_tokens() {
        let pairs = [
            ("KEYCLOAK_URL", "https://sso.example.com"),
            ("KEYCLOAK_REALM", "acme"),
            ("KEYCLOAK_CLIENT_ID", "cli"),
            ("KEYCLOAK_CLIENT_SECRET", "s3cret"),
        ];
        let config = KeycloakBuilder::from_vars(&pairs).build_config().unwrap();
        assert_eq!(config.vendor, Vendor::Keycloak);
        assert_eq!(config.api_prefix, "");
        assert_eq!(config.token_realm(), "master");
        assert_eq!(config.workspace, "acme");
        let mut legacy = pairs.to_vec();
        legacy.push(("KEYCLOAK_BASE_PATH", "auth/"));
        legacy.push(("KEYCLOAK_LOGIN_REALM", "acme"));
        let config = KeycloakBuilder::from_vars(&legacy).build_config().unwrap();
        assert_eq!(
            config.base_url().unwrap().as_str(),
            "https://sso.example.com/auth"
        );
        assert_eq!(config.token_realm(), "acme");
        // EZTO_* variables mean nothing to the Keycloak builder.
        assert!(
            KeycloakBuilder::from_vars(&BASE)
                .build_config()
                .is_err_and(|e| e.to_string().contains("KEYCLOAK_URL"))
        );
    }

    #[test]
    fn keycloak_errors_name_keycloak_variables() {
        let field = |pairs: &[(&str, &str)]| match KeycloakBuilder::from_vars(pairs).build() {
            Err(Error::InvalidInput { field, reason }) => (field, reason),
            other => panic!("{other:?}"),
        };
        let url = ("KEYCLOAK_URL", "https://sso.example.com");
        let realm = ("KEYCLOAK_REALM", "acme");
        assert_eq!(field(&[realm]).0, KEYCLOAK_URL);
        let (name, message) = field(&[("KEYCLOAK_URL", "https://sso.example.com/auth"), realm]);
        assert_eq!(name, KEYCLOAK_URL);
        assert!(message.contains("KEYCLOAK_BASE_PATH"), "{message}");
        assert_eq!(field(&[url]).0, KEYCLOAK_REALM);
        let (name, message) = field(&[url, realm]);
        assert_eq!(name, KEYCLOAK_CLIENT_ID);
        assert!(message.contains("KEYCLOAK_TOKEN"), "{message}");
        assert_eq!(
            field(&[
                url,
                realm,
                ("KEYCLOAK_TOKEN", "t"),
                ("KEYCLOAK_CLIENT_ID", "c")
            ])
            .0,
            KEYCLOAK_TOKEN
        );
        assert_eq!(
            field(&[
                url,
                realm,
                ("KEYCLOAK_TOKEN", "t"),
                ("KEYCLOAK_LOGIN_REALM", "a/b")
            ])
            .0,
            KEYCLOAK_LOGIN_REALM
        );
        assert_eq!(
            "login-realm".parse::<KeycloakConfigKey>().unwrap(),
            KeycloakConfigKey::LoginRealm
        );
    }
}
