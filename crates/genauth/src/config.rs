//! Settings of a GenAuth provider, from code or from `GENAUTH_*` environment variables.

use std::fmt;

use idconn_core::env::Vars;
use idconn_core::http::RetryConfig;
use idconn_core::{Error, Result, validate};
use secrecy::SecretString;
use url::Url;

/// The default API host (GENAUTH-DOCS `install.md`; `https://api.authing.cn` and private
/// deployments work the same).
pub const DEFAULT_HOST: &str = "https://api.genauth.ai";

/// The most `get-ext-idp` requests a listing or scan keeps in flight at once.
pub const DEFAULT_SCAN_CONCURRENCY: usize = 8;

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

    /// Reads `GENAUTH_HOST` (optional), `GENAUTH_USERPOOL_ID`, `GENAUTH_ACCESS_KEY_ID`,
    /// `GENAUTH_ACCESS_KEY_SECRET`, and the optional `GENAUTH_TENANT_ID` and `GENAUTH_EXT_IDP_ID`
    /// from the process environment.
    pub fn from_env() -> Result<Self> {
        Self::read(&Vars::process())
    }

    /// The same as [`from_env`](Self::from_env) over `KEY=VALUE` pairs, such as a simulator's
    /// `env_vars()`.
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        Self::read(&Vars::pairs(vars))
    }

    /// The same as [`from_env`](Self::from_env) through `lookup` (a variable's value by name).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        Self::read(&Vars::lookup(lookup))
    }

    fn read(vars: &Vars) -> Result<Self> {
        let host = match vars.optional("GENAUTH_HOST")? {
            Some(host) => parse_host("GENAUTH_HOST", &host)?,
            None => default_host(),
        };
        let mut config = Config::new(
            vars.required("GENAUTH_USERPOOL_ID")?,
            vars.required("GENAUTH_ACCESS_KEY_ID")?,
            vars.required("GENAUTH_ACCESS_KEY_SECRET")?,
        );
        config.host = host;
        config.tenant_id = vars.optional("GENAUTH_TENANT_ID")?;
        if let Some(ext_idp_id) = vars.optional("GENAUTH_EXT_IDP_ID")? {
            config.placement = Placement::Fixed(ext_idp_id);
        }
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
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Result<Config> {
        Config::from_vars(pairs)
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
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", vars(&BASE).unwrap());
        assert!(!shown.contains("sk-value"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }
}
