//! Settings of a [`GenAuthProvider`]: [`GenAuthBuilder`], from code or from `GENAUTH_*`
//! environment variables.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use idconn_core::builder::{ConfigKey, ConfigValues, flag_text, parse_key};
use idconn_core::env::Vars;
use idconn_core::http::RetryConfig;
use idconn_core::{Error, Result, validate};
use secrecy::SecretString;
use url::Url;

use crate::GenAuthProvider;

/// The default API host (GenAuth docs, "Install the SDK"; `https://api.authing.cn` and private
/// deployments work the same).
pub const DEFAULT_HOST: &str = "https://api.genauth.ai";

/// The most `get-ext-idp` requests a listing or scan keeps in flight at once.
pub const DEFAULT_SCAN_CONCURRENCY: usize = 8;

/// The API host ([`DEFAULT_HOST`] when not set).
pub const ENV_HOST: &str = "GENAUTH_HOST";
/// The user pool id, sent as `x-authing-userpool-id`. Required.
pub const ENV_USERPOOL_ID: &str = "GENAUTH_USERPOOL_ID";
/// The access key id (the user pool id for its global key, or a collaborator's key). Required.
pub const ENV_ACCESS_KEY_ID: &str = "GENAUTH_ACCESS_KEY_ID";
/// The access key secret. Required.
pub const ENV_ACCESS_KEY_SECRET: &str = "GENAUTH_ACCESS_KEY_SECRET";
/// The tenant every call is scoped to. Optional.
pub const ENV_TENANT_ID: &str = "GENAUTH_TENANT_ID";
/// The identity source every new connection goes under ([`Placement::Fixed`]). Optional.
pub const ENV_EXT_IDP_ID: &str = "GENAUTH_EXT_IDP_ID";
/// The most `get-ext-idp` requests in flight while listing or scanning. Optional, default
/// [`DEFAULT_SCAN_CONCURRENCY`].
pub const ENV_SCAN_CONCURRENCY: &str = "GENAUTH_SCAN_CONCURRENCY";
/// `true` to accept plain http to hosts other than loopback. Optional, default `false`.
pub const ENV_ALLOW_INSECURE_HTTP: &str = "GENAUTH_ALLOW_INSECURE_HTTP";
/// The client's own rate limit, `BURST/PER_SEC` (e.g. `10/5`): every request waits for a token
/// of this bucket. Optional; without it only GenAuth's 429s hold requests back (it sends no
/// counts), which costs some refused requests under a tight limit.
pub const ENV_RATE_LIMIT: &str = "GENAUTH_RATE_LIMIT";

/// A client-side rate limit ([`GenAuthBuilder::with_rate_limit`], [`ENV_RATE_LIMIT`]). Core's
/// type, shared by every backend.
pub use idconn_core::RateLimit;

/// One GenAuth setting, spelled the same in code ([`GenAuthBuilder::with_config`]) and in the
/// environment ([`GenAuthConfigKey::env_name`]). Parses from the variable's name or its tail
/// (`GENAUTH_USERPOOL_ID`, `userpool_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GenAuthConfigKey {
    /// [`ENV_HOST`].
    Host,
    /// [`ENV_USERPOOL_ID`].
    UserpoolId,
    /// [`ENV_ACCESS_KEY_ID`].
    AccessKeyId,
    /// [`ENV_ACCESS_KEY_SECRET`].
    AccessKeySecret,
    /// [`ENV_TENANT_ID`].
    TenantId,
    /// [`ENV_EXT_IDP_ID`].
    ExtIdpId,
    /// [`ENV_SCAN_CONCURRENCY`].
    ScanConcurrency,
    /// [`ENV_ALLOW_INSECURE_HTTP`].
    AllowInsecureHttp,
    /// [`ENV_RATE_LIMIT`].
    RateLimit,
}

impl ConfigKey for GenAuthConfigKey {
    const ALL: &'static [Self] = &[
        GenAuthConfigKey::Host,
        GenAuthConfigKey::UserpoolId,
        GenAuthConfigKey::AccessKeyId,
        GenAuthConfigKey::AccessKeySecret,
        GenAuthConfigKey::TenantId,
        GenAuthConfigKey::ExtIdpId,
        GenAuthConfigKey::ScanConcurrency,
        GenAuthConfigKey::AllowInsecureHttp,
        GenAuthConfigKey::RateLimit,
    ];

    fn env_name(self) -> &'static str {
        match self {
            GenAuthConfigKey::Host => ENV_HOST,
            GenAuthConfigKey::UserpoolId => ENV_USERPOOL_ID,
            GenAuthConfigKey::AccessKeyId => ENV_ACCESS_KEY_ID,
            GenAuthConfigKey::AccessKeySecret => ENV_ACCESS_KEY_SECRET,
            GenAuthConfigKey::TenantId => ENV_TENANT_ID,
            GenAuthConfigKey::ExtIdpId => ENV_EXT_IDP_ID,
            GenAuthConfigKey::ScanConcurrency => ENV_SCAN_CONCURRENCY,
            GenAuthConfigKey::AllowInsecureHttp => ENV_ALLOW_INSECURE_HTTP,
            GenAuthConfigKey::RateLimit => ENV_RATE_LIMIT,
        }
    }

    fn is_secret(self) -> bool {
        self == GenAuthConfigKey::AccessKeySecret
    }
}

impl GenAuthConfigKey {
    /// The environment variable of this setting, also its name in errors.
    pub fn env_name(self) -> &'static str {
        ConfigKey::env_name(self)
    }
}

impl FromStr for GenAuthConfigKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        parse_key(s)
    }
}

/// Builds a [`GenAuthProvider`]: the documented way to configure the GenAuth backend.
///
/// Setters never fail; [`build`](Self::build) checks everything at once and names the setting
/// at fault by its environment variable (`GENAUTH_USERPOOL_ID`), wherever the value came from.
///
/// ```no_run
/// use idconn_genauth::GenAuthBuilder;
/// # fn demo() -> idconn_core::Result<()> {
/// let genauth = GenAuthBuilder::new()
///     .with_userpool_id("62a0...")
///     .with_access_key("62a0...", "access-key-secret")
///     .build()?;
/// // Or from GENAUTH_USERPOOL_ID, GENAUTH_ACCESS_KEY_ID, GENAUTH_ACCESS_KEY_SECRET, ...
/// let from_env = GenAuthBuilder::from_env().build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct GenAuthBuilder {
    values: ConfigValues<GenAuthConfigKey>,
}

impl GenAuthBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding every `GENAUTH_*` variable set in the process environment.
    pub fn from_env() -> Self {
        GenAuthBuilder {
            values: ConfigValues::from_env(),
        }
    }

    /// A builder holding the `GENAUTH_*` variables among `KEY=VALUE` pairs, such as a
    /// simulator's `env_vars()`.
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Self {
        GenAuthBuilder {
            values: ConfigValues::from_pairs(vars),
        }
    }

    /// Sets one setting by key, as its environment variable would.
    pub fn with_config(mut self, key: GenAuthConfigKey, value: impl Into<String>) -> Self {
        self.values.set(key, value);
        self
    }

    /// The value given for `key`, if any.
    pub fn get_config(&self, key: GenAuthConfigKey) -> Option<&str> {
        self.values.get(key)
    }

    /// Another API host than [`DEFAULT_HOST`] (`https://api.authing.cn`, a private deployment,
    /// a simulator).
    pub fn with_host(self, host: impl Into<String>) -> Self {
        self.with_config(GenAuthConfigKey::Host, host)
    }

    /// The user pool whose connections are managed.
    pub fn with_userpool_id(self, userpool_id: impl Into<String>) -> Self {
        self.with_config(GenAuthConfigKey::UserpoolId, userpool_id)
    }

    /// The access key that signs in to the management API: the user pool's own id and secret,
    /// or a collaborator's key.
    pub fn with_access_key(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.with_config(GenAuthConfigKey::AccessKeyId, id)
            .with_config(GenAuthConfigKey::AccessKeySecret, secret)
    }

    /// Scopes every call to this tenant.
    pub fn with_tenant(self, tenant_id: impl Into<String>) -> Self {
        self.with_config(GenAuthConfigKey::TenantId, tenant_id)
    }

    /// Where new connections go (by default an identity source found or created for each).
    pub fn with_placement(mut self, placement: Placement) -> Self {
        match placement {
            Placement::FindOrCreate => self.values.remove(GenAuthConfigKey::ExtIdpId),
            Placement::Fixed(id) => self.values.set(GenAuthConfigKey::ExtIdpId, id),
        }
        self
    }

    /// The most `get-ext-idp` requests in flight while listing or scanning.
    pub fn with_scan_concurrency(self, concurrency: usize) -> Self {
        self.with_config(GenAuthConfigKey::ScanConcurrency, concurrency.to_string())
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
        self.with_config(GenAuthConfigKey::AllowInsecureHttp, flag_text(allow))
    }

    /// Paces every request, token requests included, to `limit`, shared by every task using
    /// the provider: set it at or below the user pool's limit ([`RateLimit`]) to meet no 429s.
    pub fn with_rate_limit(self, limit: RateLimit) -> Self {
        self.with_config(GenAuthConfigKey::RateLimit, limit.to_string())
    }

    /// The checked settings, without building a provider.
    pub fn build_config(&self) -> Result<Config> {
        let mut config = Config::read(&self.values.vars()?)?;
        if let Some(retry) = self.values.retry() {
            config.retry = retry.clone();
        }
        config.timeout = self.values.timeout();
        Ok(config)
    }

    /// The provider. Fails with an [`Error::InvalidInput`] naming the first setting at fault.
    pub fn build(self) -> Result<GenAuthProvider> {
        GenAuthProvider::new(self.build_config()?)
            .map_err(|e| ConfigValues::name_base_url(e, GenAuthConfigKey::Host))
    }
}

/// Where a new connection's parent identity source (ext-idp) comes from when the connection
/// does not name one in its GenAuth extras (`extIdpId`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Placement {
    /// Reuse the identity source of the matching type named after the connection, or create
    /// one (the default): a neutral connection needs no GenAuth-specific input.
    #[default]
    FindOrCreate,
    /// Put every new connection under this identity source.
    Fixed(String),
}

impl Placement {
    /// The identity source every new connection goes under, when fixed.
    pub fn fixed_parent(&self) -> Option<&str> {
        match self {
            Placement::Fixed(id) => Some(id),
            Placement::FindOrCreate => None,
        }
    }
}

/// How to reach one GenAuth user pool.
///
/// `Debug` never shows the access key secret.
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    /// The API host, e.g. `https://api.genauth.ai` (`GENAUTH_HOST`).
    pub host: Url,
    /// The user pool id, sent as `x-authing-userpool-id` (`GENAUTH_USERPOOL_ID`).
    pub userpool_id: String,
    /// The access key id: the user pool id for its global key, or a collaborator's key id
    /// (`GENAUTH_ACCESS_KEY_ID`).
    pub access_key_id: String,
    /// The access key secret (`GENAUTH_ACCESS_KEY_SECRET`).
    pub access_key_secret: SecretString,
    /// The tenant every call is scoped to, if any (`GENAUTH_TENANT_ID`).
    pub tenant_id: Option<String>,
    /// Where new connections go (`GENAUTH_EXT_IDP_ID` sets a fixed identity source).
    pub placement: Placement,
    /// The most `get-ext-idp` requests in flight while listing or scanning.
    pub scan_concurrency: usize,
    /// Allow plain http to a host other than loopback (tokens would cross the network in clear).
    pub allow_insecure_http: bool,
    /// Retry bounds of every request (core's defaults).
    pub retry: RetryConfig,
    /// Time allowed for one attempt; `None` keeps core's default (30 s).
    pub timeout: Option<Duration>,
    /// The client's own rate limit (`GENAUTH_RATE_LIMIT`); `None`: only GenAuth's 429s hold
    /// requests back.
    pub rate_limit: Option<RateLimit>,
}

impl Config {
    /// Settings for a user pool at the default host.
    pub fn new(
        userpool_id: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) -> Self {
        Config {
            host: default_host(),
            userpool_id: userpool_id.into(),
            access_key_id: access_key_id.into(),
            access_key_secret: SecretString::from(access_key_secret.into()),
            tenant_id: None,
            placement: Placement::FindOrCreate,
            scan_concurrency: DEFAULT_SCAN_CONCURRENCY,
            allow_insecure_http: false,
            retry: RetryConfig::default(),
            timeout: None,
            rate_limit: None,
        }
    }

    /// These settings at another host (`https://api.authing.cn`, a private deployment, a simulator).
    pub fn with_host(mut self, host: &str) -> Result<Self> {
        self.host = parse_host("host", host)?;
        Ok(self)
    }

    /// These settings scoped to a tenant.
    pub fn with_tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    /// These settings with another placement for new connections.
    pub fn with_placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }

    /// The one reading of the `GENAUTH_*` variables, from the environment or a
    /// [`GenAuthBuilder`].
    fn read(vars: &Vars) -> Result<Self> {
        let host = match vars.optional(ENV_HOST)? {
            Some(host) => parse_host(ENV_HOST, &host)?,
            None => default_host(),
        };
        let mut config = Config::new(
            vars.required(ENV_USERPOOL_ID)?,
            vars.required(ENV_ACCESS_KEY_ID)?,
            vars.required(ENV_ACCESS_KEY_SECRET)?,
        );
        config.host = host;
        config.tenant_id = vars.optional(ENV_TENANT_ID)?;
        if let Some(ext_idp_id) = vars.optional(ENV_EXT_IDP_ID)? {
            config.placement = Placement::Fixed(ext_idp_id);
        }
        if let Some(text) = vars.optional(ENV_SCAN_CONCURRENCY)? {
            config.scan_concurrency = text.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                Error::invalid(
                    ENV_SCAN_CONCURRENCY,
                    format!("\"{text}\" is not a whole number above 0"),
                )
            })?;
        }
        config.allow_insecure_http = vars.flag(ENV_ALLOW_INSECURE_HTTP)?.unwrap_or(false);
        config.rate_limit = vars.rate_limit(ENV_RATE_LIMIT)?;
        Ok(config)
    }
}

/// An absolute http(s) URL with no path, query or credentials (paths are `/api/v3/...`).
fn parse_host(field: &str, value: &str) -> Result<Url> {
    let url = validate::http_url(field, value.trim_end_matches('/'))?;
    if url.host().is_none() || url.query().is_some() || !url.username().is_empty() {
        return Err(Error::invalid(
            field,
            format!("\"{value}\" must be a bare host URL such as {DEFAULT_HOST}"),
        ));
    }
    Ok(url)
}

fn default_host() -> Url {
    #[allow(clippy::expect_used)]
    Url::parse(DEFAULT_HOST).expect("DEFAULT_HOST is a valid URL constant")
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host.as_str())
            .field("userpool_id", &self.userpool_id)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"[redacted]")
            .field("tenant_id", &self.tenant_id)
            .field("placement", &self.placement)
            .field("scan_concurrency", &self.scan_concurrency)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Result<Config> {
        GenAuthBuilder::from_vars(pairs).build_config()
    }

    const BASE: [(&str, &str); 3] = [
        ("GENAUTH_USERPOOL_ID", "pool"),
        ("GENAUTH_ACCESS_KEY_ID", "ak"),
        ("GENAUTH_ACCESS_KEY_SECRET", "sk-value"),
    ];

    #[test]
    fn defaults_and_optional_settings() {
        let config = vars(&BASE).unwrap();
        assert_eq!(config.host.as_str(), "https://api.genauth.ai/");
        assert_eq!(config.tenant_id, None);
        assert_eq!(config.placement, Placement::FindOrCreate);
        let mut all = BASE.to_vec();
        all.extend([
            ("GENAUTH_HOST", "http://127.0.0.1:8080/"),
            ("GENAUTH_TENANT_ID", "t1"),
            ("GENAUTH_EXT_IDP_ID", "idp1"),
        ]);
        let config = vars(&all).unwrap();
        assert_eq!(config.host.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(config.tenant_id.as_deref(), Some("t1"));
        assert_eq!(config.placement, Placement::Fixed("idp1".into()));
    }

    #[test]
    fn each_missing_or_bad_variable_is_named() {
        for missing in [
            "GENAUTH_USERPOOL_ID",
            "GENAUTH_ACCESS_KEY_ID",
            "GENAUTH_ACCESS_KEY_SECRET",
        ] {
            let pairs: Vec<_> = BASE
                .iter()
                .copied()
                .filter(|(k, _)| *k != missing)
                .collect();
            let err = vars(&pairs).unwrap_err().to_string();
            assert!(err.contains(missing), "{err}");
        }
        let mut blank = BASE.to_vec();
        blank[0].1 = "  ";
        assert!(
            vars(&blank)
                .unwrap_err()
                .to_string()
                .contains("GENAUTH_USERPOOL_ID")
        );
        for host in [
            "not a url",
            "ftp://x.example",
            "https://u:p@x.example",
            "https://x.example?q=1",
        ] {
            let mut bad = BASE.to_vec();
            bad.push(("GENAUTH_HOST", host));
            let err = vars(&bad).unwrap_err().to_string();
            assert!(err.contains("GENAUTH_HOST"), "{host}: {err}");
        }
    }

    #[test]
    fn a_rate_limit_comes_from_code_or_the_environment_and_a_bad_one_is_named() {
        assert_eq!(vars(&BASE).unwrap().rate_limit, None);
        let mut pairs = BASE.to_vec();
        pairs.push((ENV_RATE_LIMIT, "10/5"));
        assert_eq!(
            vars(&pairs).unwrap().rate_limit.map(|l| l.to_string()),
            Some("10/5".into())
        );
        let limit: RateLimit = "3/0.5".parse().unwrap();
        let config = GenAuthBuilder::from_vars(&BASE)
            .with_rate_limit(limit)
            .build_config()
            .unwrap();
        assert_eq!(config.rate_limit, Some(limit));
        pairs.push((ENV_RATE_LIMIT, "10 per second"));
        match vars(&pairs).unwrap_err() {
            Error::InvalidInput { field, reason } => {
                assert_eq!(field, ENV_RATE_LIMIT);
                assert!(reason.contains("BURST/PER_SEC"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", vars(&BASE).unwrap());
        assert!(!shown.contains("sk-value"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }
}
