//! Settings of an ezto auth provider, from code or from `EZTO_*` environment variables.
//!
//! ezto serves Keycloak's admin API under the legacy `/auth` context path;
//! a plain Keycloak 17+ serves it at the root, so the prefix
//! is configurable and may be empty.

use idconn_core::env::Vars;
use idconn_core::{Error, Result, validate};
use secrecy::SecretString;
use url::Url;

/// ezto's API prefix (Keycloak's legacy `/auth` context path).
pub const DEFAULT_API_PREFIX: &str = "/auth";

/// How the provider authenticates to the admin API: Keycloak's client-credentials grant at
/// `{host}{prefix}/realms/{token_realm}/protocol/openid-connect/token` (a
/// confidential client whose service account holds `manage-identity-providers`), or a ready
/// bearer token (`EZTO_TOKEN`). Core's type, shared with Auth0.
pub use idconn_core::Credentials;

/// Everything an [`EztoProvider`](crate::EztoProvider) needs to reach one workspace.
#[derive(Debug, Clone)]
pub struct Config {
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
}

impl Config {
    /// Settings for `host` and `workspace` with client credentials, the `/auth` prefix and
    /// tokens from the workspace's own realm. Fails when `host` is not a bare base URL or the
    /// workspace is empty.
    pub fn new(host: &str, workspace: &str, credentials: Credentials) -> Result<Self> {
        let config = Config {
            host: parse_host(host, "host")?,
            workspace: workspace.to_string(),
            api_prefix: DEFAULT_API_PREFIX.to_string(),
            credentials,
            token_realm: None,
            allow_insecure_http: false,
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

    /// Reads the settings from the process environment (see [`Config::from_vars`]).
    pub fn from_env() -> Result<Self> {
        Self::read(&Vars::process())
    }

    /// Reads the settings from `KEY=VALUE` pairs: `EZTO_HOST`, `EZTO_WORKSPACE`, either
    /// `EZTO_CLIENT_ID` + `EZTO_CLIENT_SECRET` or `EZTO_TOKEN`, and optionally `EZTO_API_PREFIX`
    /// (default `/auth`; set but empty means no prefix), `EZTO_TOKEN_REALM` (default: the
    /// workspace) and `EZTO_ALLOW_INSECURE_HTTP` (`true`/`false`, `1`/`0`, `yes`/`no`). Each
    /// missing or malformed variable is an [`Error::InvalidInput`] naming it. A simulator's
    /// `env_vars()` fit as is.
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        Self::read(&Vars::pairs(vars))
    }

    /// The same as [`Config::from_vars`] through `lookup` (a variable's value by name).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        Self::read(&Vars::lookup(lookup))
    }

    fn read(vars: &Vars) -> Result<Self> {
        let host = parse_host(&vars.required("EZTO_HOST")?, "EZTO_HOST")?;
        let workspace = vars.required("EZTO_WORKSPACE")?;
        check_realm_name("EZTO_WORKSPACE", &workspace)?;
        let token = vars.optional("EZTO_TOKEN")?;
        let has_client = vars.is_set("EZTO_CLIENT_ID")? || vars.is_set("EZTO_CLIENT_SECRET")?;
        let credentials = match (token, has_client) {
            (Some(_), true) => {
                return Err(Error::invalid(
                    "EZTO_TOKEN",
                    "set either EZTO_TOKEN or EZTO_CLIENT_ID + EZTO_CLIENT_SECRET, not both",
                ));
            }
            (Some(token), false) => Credentials::Token(SecretString::from(token)),
            (None, _) => Credentials::ClientCredentials {
                client_id: vars.optional("EZTO_CLIENT_ID")?.ok_or_else(|| {
                    Error::invalid(
                        "EZTO_CLIENT_ID",
                        "is not set; set EZTO_CLIENT_ID and EZTO_CLIENT_SECRET, or EZTO_TOKEN",
                    )
                })?,
                client_secret: SecretString::from(vars.required("EZTO_CLIENT_SECRET")?),
            },
        };
        let config = Config {
            host,
            workspace,
            api_prefix: vars
                .raw("EZTO_API_PREFIX")?
                .map_or_else(|| DEFAULT_API_PREFIX.to_string(), |p| normalize_prefix(&p)),
            credentials,
            token_realm: vars.optional("EZTO_TOKEN_REALM")?,
            allow_insecure_http: vars.flag("EZTO_ALLOW_INSECURE_HTTP")?.unwrap_or(false),
        };
        config.validate_as("EZTO_WORKSPACE", "EZTO_TOKEN_REALM")?;
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
                "EZTO_API_PREFIX",
                format!(
                    "\"{}\" does not form a URL with the host: {e}",
                    self.api_prefix
                ),
            )
        })
    }
}

fn parse_host(value: &str, field: &str) -> Result<Url> {
    let url = validate::http_url(field, value.trim())?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            field,
            format!(
                "\"{value}\" must be scheme://host[:port] only; put a path prefix in EZTO_API_PREFIX"
            ),
        ));
    }
    Ok(url)
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
        let config = Config::from_vars(&BASE).unwrap();
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
        let config = Config::from_vars(&pairs).unwrap();
        assert_eq!(config.api_prefix, "");
        assert_eq!(config.token_realm(), "master");
        assert_eq!(
            config.base_url().unwrap().as_str(),
            "https://id.example.com/"
        );
    }

    #[test]
    fn a_token_replaces_client_credentials() {
        let config = Config::from_vars(&[
            ("EZTO_HOST", "https://id.example.com"),
            ("EZTO_WORKSPACE", "acme"),
            ("EZTO_TOKEN", "tok"),
        ])
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
            let err = Config::from_vars(pairs).unwrap_err();
            match err {
                Error::InvalidInput { field: got, .. } => assert_eq!(&got, field, "{pairs:?}"),
                other => panic!("{other}"),
            }
        }
        let mut pairs = BASE.to_vec();
        pairs.push(("EZTO_ALLOW_INSECURE_HTTP", "yes"));
        assert!(Config::from_vars(&pairs).unwrap().allow_insecure_http);
        pairs.push(("EZTO_ALLOW_INSECURE_HTTP", "maybe"));
        assert!(
            Config::from_vars(&pairs)
                .unwrap_err()
                .to_string()
                .contains("EZTO_ALLOW_INSECURE_HTTP")
        );
    }
}
