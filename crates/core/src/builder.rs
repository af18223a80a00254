//! What every backend's builder shares (as object_store's builders do): typed configuration
//! keys that code and the environment set alike, and the HTTP options every builder offers.
//!
//! A backend declares its keys once as an enum implementing [`ConfigKey`]; its builder holds
//! a [`ConfigValues`] of them. `with_*` setters and `with_config(key, value)` never fail: every
//! value is checked when the builder builds, and each error names the setting at fault by its
//! environment variable (`AUTH0_DOMAIN`), whether the value came from code or the environment.

use std::fmt;
use std::time::Duration;

use secrecy::ExposeSecret;

use crate::credentials::Credentials;
use crate::env::Vars;
use crate::error::{Error, Result};
use crate::http::{HttpConfig, RetryConfig};

/// One setting of a backend: its environment variable, the name errors use, and the shorter
/// spellings [`parse_key`] accepts (`domain`, `client_id`).
pub trait ConfigKey: Copy + Eq + fmt::Debug + 'static {
    /// Every key of the backend, in the order the environment is read.
    const ALL: &'static [Self];

    /// The environment variable, also the setting's name in every error (`AUTH0_DOMAIN`).
    fn env_name(self) -> &'static str;

    /// Whether the value is a secret (never shown by `Debug`).
    fn is_secret(self) -> bool {
        false
    }
}

/// The key whose environment variable is `text`, or whose variable without the backend's
/// prefix is `text` (`AUTH0_CLIENT_ID`, `client_id`, `client-id`; any case). An unknown name is an
/// [`Error::InvalidInput`] listing the known ones.
pub fn parse_key<K: ConfigKey>(text: &str) -> Result<K> {
    let wanted = text.trim().replace('-', "_").to_ascii_uppercase();
    K::ALL
        .iter()
        .copied()
        .find(|key| {
            let name = key.env_name();
            name == wanted
                || name
                    .split_once('_')
                    .is_some_and(|(_, short)| short == wanted)
        })
        .ok_or_else(|| {
            let known: Vec<&str> = K::ALL.iter().map(|k| k.env_name()).collect();
            Error::invalid(
                "configuration key",
                format!(
                    "unknown key \"{text}\"; expected one of {}",
                    known.join(", ")
                ),
            )
        })
}

/// The values a builder has been given, by key, plus the retry bounds and timeout every
/// builder takes from code. Values are kept as text until the builder builds.
#[derive(Clone)]
pub struct ConfigValues<K: ConfigKey> {
    values: Vec<(K, String)>,
    retry: Option<RetryConfig>,
    timeout: Option<Duration>,
    /// The first environment variable that could not be read (not UTF-8), reported on build.
    unreadable: Option<Error>,
}

impl<K: ConfigKey> Default for ConfigValues<K> {
    fn default() -> Self {
        ConfigValues {
            values: Vec::new(),
            retry: None,
            timeout: None,
            unreadable: None,
        }
    }
}

impl<K: ConfigKey> ConfigValues<K> {
    /// No value set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every key's variable that is set in the process environment.
    pub fn from_env() -> Self {
        Self::read(&Vars::process())
    }

    /// Every key's variable found among `KEY=VALUE` pairs (the last pair of a key wins).
    pub fn from_pairs<N: AsRef<str>, V: AsRef<str>>(pairs: &[(N, V)]) -> Self {
        Self::read(&Vars::pairs(pairs))
    }

    fn read(vars: &Vars) -> Self {
        let mut values = Self::new();
        for &key in K::ALL {
            match vars.raw(key.env_name()) {
                Ok(Some(value)) => values.set(key, value),
                Ok(None) => {}
                Err(error) => {
                    values.unreadable.get_or_insert(error);
                }
            }
        }
        values
    }

    /// Sets `key` to `value`, replacing an earlier value.
    pub fn set(&mut self, key: K, value: impl Into<String>) {
        self.remove(key);
        self.values.push((key, value.into()));
    }

    /// Forgets `key`'s value.
    pub fn remove(&mut self, key: K) {
        self.values.retain(|(k, _)| *k != key);
    }

    /// `key`'s value exactly as given, if any.
    pub fn get(&self, key: K) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `credentials` as the values of the keys `[client_id, client_secret, token]`,
    /// clearing those of the other kind, so the last credentials given win.
    pub fn set_credentials(&mut self, credentials: Credentials, [id, secret, token]: [K; 3]) {
        match credentials {
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => {
                self.remove(token);
                self.set(id, client_id);
                self.set(secret, client_secret.expose_secret());
            }
            Credentials::Token(value) => {
                self.remove(id);
                self.remove(secret);
                self.set(token, value.expose_secret());
            }
        }
    }

    /// Sets the retry bounds.
    pub fn set_retry(&mut self, retry: RetryConfig) {
        self.retry = Some(retry);
    }

    /// Sets the per-attempt timeout.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// The retry bounds, when set.
    pub fn retry(&self) -> Option<&RetryConfig> {
        self.retry.as_ref()
    }

    /// The per-attempt timeout, when set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The values as [`Vars`] keyed by environment variable, for the backend's one reading
    /// of its settings; fails first with a variable the environment could not give as text.
    pub fn vars(&self) -> Result<Vars<'_>> {
        if let Some(error) = &self.unreadable {
            return Err(error.clone());
        }
        Ok(Vars::lookup(move |name| {
            self.values
                .iter()
                .find(|(key, _)| key.env_name() == name)
                .map(|(_, value)| value.clone())
        }))
    }

    /// Applies the retry bounds and timeout, when set, to `http`.
    pub fn apply_to(&self, http: &mut HttpConfig) {
        if let Some(retry) = &self.retry {
            http.retry = retry.clone();
        }
        if let Some(timeout) = self.timeout {
            http.timeout = timeout;
        }
    }

    /// Names `key`'s variable in an error about the HTTP client's base URL or its plain-http
    /// check, which [`HttpConfig::validate`] reports under its own field names.
    pub fn name_base_url(error: Error, key: K) -> Error {
        match error {
            Error::InvalidInput { field, reason }
                if field == "base_url" || field == "allow_insecure_http" =>
            {
                Error::InvalidInput {
                    field: key.env_name().to_string(),
                    reason,
                }
            }
            other => other,
        }
    }
}

impl<K: ConfigKey> fmt::Debug for ConfigValues<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.values {
            let shown: &dyn fmt::Debug = if key.is_secret() {
                &"[REDACTED]"
            } else {
                value
            };
            map.entry(&key.env_name(), shown);
        }
        if let Some(retry) = &self.retry {
            map.entry(&"retry", retry);
        }
        if let Some(timeout) = &self.timeout {
            map.entry(&"timeout", timeout);
        }
        map.finish()
    }
}

/// The spelling of a switch that [`Vars::flag`] reads back.
pub fn flag_text(on: bool) -> &'static str {
    if on { "true" } else { "false" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Key {
        Host,
        ClientSecret,
    }

    impl ConfigKey for Key {
        const ALL: &'static [Self] = &[Key::Host, Key::ClientSecret];
        fn env_name(self) -> &'static str {
            match self {
                Key::Host => "DEMO_HOST",
                Key::ClientSecret => "DEMO_CLIENT_SECRET",
            }
        }
        fn is_secret(self) -> bool {
            self == Key::ClientSecret
        }
    }

    #[test]
    fn keys_parse_from_the_variable_or_its_short_name() {
        for text in ["DEMO_HOST", "host", "Host"] {
            assert_eq!(parse_key::<Key>(text).unwrap(), Key::Host, "{text}");
        }
        for text in ["client_secret", "client-secret", "demo_client_secret"] {
            assert_eq!(parse_key::<Key>(text).unwrap(), Key::ClientSecret, "{text}");
        }
        let err = parse_key::<Key>("port").unwrap_err().to_string();
        assert!(err.contains("DEMO_HOST, DEMO_CLIENT_SECRET"), "{err}");
    }

    #[test]
    fn values_read_as_vars_by_variable_and_debug_hides_secrets() {
        let mut values = ConfigValues::<Key>::from_pairs(&[
            ("DEMO_HOST", "a"),
            ("OTHER", "x"),
            ("DEMO_CLIENT_SECRET", "very-secret"),
        ]);
        values.set(Key::Host, "b");
        assert_eq!(values.get(Key::Host), Some("b"));
        {
            let vars = values.vars().unwrap();
            assert_eq!(vars.required("DEMO_HOST").unwrap(), "b");
            assert_eq!(vars.optional("OTHER").unwrap(), None);
        }
        let shown = format!("{values:?}");
        assert!(
            shown.contains("DEMO_HOST") && !shown.contains("very-secret"),
            "{shown}"
        );
        values.remove(Key::Host);
        assert_eq!(values.get(Key::Host), None);
    }

    #[test]
    fn http_errors_name_the_base_url_setting() {
        let named = ConfigValues::<Key>::name_base_url(
            Error::invalid("allow_insecure_http", "plain http"),
            Key::Host,
        );
        assert!(matches!(named, Error::InvalidInput { field, .. } if field == "DEMO_HOST"));
        let other = ConfigValues::<Key>::name_base_url(Error::invalid("name", "x"), Key::Host);
        assert!(matches!(other, Error::InvalidInput { field, .. } if field == "name"));
    }
}
