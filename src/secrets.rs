//! Client secrets a migration cannot read from its source (ezto masks them), given by the
//! caller as a map of connection name to client secret.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use idconn_core::ClientSecret;
use secrecy::SecretString;

use crate::document::{DocumentError, Format, InputLimits, check_nesting, parse_value, read_text};

/// Connection name to client secret. `Debug` shows the names only.
#[derive(Clone, Default)]
pub struct Secrets {
    by_name: BTreeMap<String, SecretString>,
}

impl Secrets {
    /// No secrets.
    pub fn new() -> Self {
        Secrets::default()
    }

    /// Adds (or replaces) the secret of the connection named `name`.
    pub fn insert(&mut self, name: impl Into<String>, secret: impl Into<String>) {
        self.by_name
            .insert(name.into(), SecretString::from(secret.into()));
    }

    /// The secret of the connection named `name`, as a known [`ClientSecret`].
    pub fn get(&self, name: &str) -> Option<ClientSecret> {
        self.by_name
            .get(name)
            .map(|s| ClientSecret::Known(s.clone()))
    }

    /// How many secrets are held.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// True when no secret is held.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Reads a JSON (or, for `.yaml`/`.yml`, YAML) object of name to secret string, within
    /// the default [`InputLimits`].
    pub fn read(path: &Path) -> Result<Secrets, DocumentError> {
        Secrets::read_within(path, InputLimits::default())
    }

    /// [`read`](Self::read) within `limits`: a larger or deeper file fails before it is parsed.
    pub fn read_within(path: &Path, limits: InputLimits) -> Result<Secrets, DocumentError> {
        let file = path.display().to_string();
        let text = read_text(path, limits)?;
        let format = Format::from_path(path);
        check_nesting(&text, format, &file, limits)?;
        Secrets::parse(&text, format, &file)
    }

    /// Parses a map of name to secret string. `file` names the source in errors.
    pub fn parse(text: &str, format: Format, file: &str) -> Result<Secrets, DocumentError> {
        // Values are read into SecretString directly, so a wrong-typed entry's error names its
        // key without echoing any value.
        let by_name: BTreeMap<String, SecretString> = parse_value(text, format, file)?;
        if let Some((name, _)) = by_name
            .iter()
            .find(|(_, s)| secrecy::ExposeSecret::expose_secret(*s).is_empty())
        {
            return Err(DocumentError::Invalid {
                file: file.to_string(),
                path: name.clone(),
                message: "the client secret is empty".into(),
            });
        }
        Ok(Secrets { by_name })
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("names", &self.by_name.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_never_debugs_values() {
        let s = Secrets::parse(r#"{"a": "value-one"}"#, Format::Json, "s.json").unwrap();
        assert_eq!(s.get("a").unwrap().expose(), Some("value-one"));
        assert!(s.get("b").is_none());
        assert!(!format!("{s:?}").contains("value-one"));
    }

    #[test]
    fn wrong_type_and_empty_values_name_the_key() {
        let err = Secrets::parse("a: [1, 2]\n", Format::Yaml, "s.yaml").unwrap_err();
        assert!(err.to_string().starts_with("s.yaml: a: "), "{err}");
        let err = Secrets::parse(r#"{"b": ""}"#, Format::Json, "s.json").unwrap_err();
        assert_eq!(err.to_string(), "s.json: b: the client secret is empty");
    }
}
