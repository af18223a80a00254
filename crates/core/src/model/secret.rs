use std::cell::Cell;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::secret_ref::SecretRef;

/// A client secret as far as idconn knows it.
///
/// - `Known`: the value. It never appears in `Debug`, logs or errors, and serializes as
///   `{"masked": true}` unless the caller serializes inside [`reveal_secrets`].
/// - `Masked`: the vendor says a secret exists but will not show it (Keycloak's `**********`).
///   It is never written back as a value.
/// - `Absent`: no secret is known to exist (or the source did not say).
///
/// In the file format a plain string is a known secret, `{"masked": true}` is masked and a
/// missing or `null` field is absent. `{"env": NAME}` and `{"file": PATH}` are read while the
/// file is read and become a known secret ([`SecretRef`]); a reference is never written back.
#[derive(Clone, Default)]
pub enum ClientSecret {
    /// The secret's value.
    Known(SecretString),
    /// The vendor holds a secret but did not show it.
    Masked,
    /// No secret.
    #[default]
    Absent,
}

impl ClientSecret {
    /// A known secret.
    pub fn known(value: impl Into<String>) -> Self {
        ClientSecret::Known(SecretString::from(value.into()))
    }

    /// The value, when known. Call only where the value must go on the wire; from then on
    /// the value is scrubbed from every error this process prints
    /// ([`remember_secret`](crate::http::remember_secret)).
    pub fn expose(&self) -> Option<&str> {
        match self {
            ClientSecret::Known(s) => {
                crate::http::remember_secret(s.expose_secret());
                Some(s.expose_secret())
            }
            _ => None,
        }
    }

    /// True for `Absent`.
    pub fn is_absent(&self) -> bool {
        matches!(self, ClientSecret::Absent)
    }

    /// True for `Known`.
    pub fn is_known(&self) -> bool {
        matches!(self, ClientSecret::Known(_))
    }

    /// A rendering safe to print: `(set)`, `(masked)` or `(none)`.
    pub fn describe(&self) -> &'static str {
        match self {
            ClientSecret::Known(_) => "(set)",
            ClientSecret::Masked => "(masked)",
            ClientSecret::Absent => "(none)",
        }
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientSecret::Known(_) => f.write_str("Known([redacted])"),
            ClientSecret::Masked => f.write_str("Masked"),
            ClientSecret::Absent => f.write_str("Absent"),
        }
    }
}

/// Two known secrets are equal when their values are; this is what `plan` needs to tell
/// whether a secret changed. `Masked` equals only `Masked`.
impl PartialEq for ClientSecret {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ClientSecret::Known(a), ClientSecret::Known(b)) => {
                a.expose_secret() == b.expose_secret()
            }
            (ClientSecret::Masked, ClientSecret::Masked) => true,
            (ClientSecret::Absent, ClientSecret::Absent) => true,
            _ => false,
        }
    }
}

impl Eq for ClientSecret {}

thread_local! {
    static REVEAL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with known secrets serialized as their values, for an explicit opt-in such as
/// `idconn export --include-secrets`. Serialization is synchronous, so the switch is scoped to
/// this thread and reset even if `f` panics.
pub fn reveal_secrets<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            REVEAL.with(|r| r.set(self.0));
        }
    }
    let _reset = Reset(REVEAL.with(|r| r.replace(true)));
    f()
}

impl Serialize for ClientSecret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ClientSecret::Known(s) if REVEAL.with(Cell::get) => {
                crate::http::remember_secret(s.expose_secret());
                serializer.serialize_str(s.expose_secret())
            }
            ClientSecret::Known(_) | ClientSecret::Masked => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("masked", &true)?;
                map.end()
            }
            ClientSecret::Absent => serializer.serialize_none(),
        }
    }
}

/// The forms a client secret takes in a document, as errors name them. One place, so that a
/// new form (a reference to an environment variable or a file) is added to the message here.
pub const SECRET_FORMS: &str = "a string, {masked: true}, {env: NAME} or {file: PATH}";

impl<'de> Deserialize<'de> for ClientSecret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecretVisitor)
    }
}

/// Reads a secret from a string, `{masked: true}`, a reference or null; anything else fails
/// with [`SECRET_FORMS`] and never quotes the value it got.
struct SecretVisitor;

/// The map forms of a secret.
enum Form {
    Masked(bool),
    Reference(SecretRef),
}

impl<'de> de::Visitor<'de> for SecretVisitor {
    type Value = ClientSecret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SECRET_FORMS)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<ClientSecret, E> {
        Ok(if value.is_empty() {
            ClientSecret::Absent
        } else {
            ClientSecret::known(value)
        })
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<ClientSecret, E> {
        Ok(if value.is_empty() {
            ClientSecret::Absent
        } else {
            ClientSecret::Known(SecretString::from(value))
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<ClientSecret, E> {
        Ok(ClientSecret::Absent)
    }

    fn visit_unit<E: de::Error>(self) -> Result<ClientSecret, E> {
        Ok(ClientSecret::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<ClientSecret, D::Error> {
        inner.deserialize_any(SecretVisitor)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<ClientSecret, A::Error> {
        let mut form: Option<Form> = None;
        while let Some(key) = map.next_key::<String>()? {
            let next = match key.as_str() {
                "masked" if form.is_none() => Form::Masked(map.next_value::<bool>()?),
                "env" if form.is_none() => Form::Reference(SecretRef::Env(map.next_value()?)),
                "file" if form.is_none() => Form::Reference(SecretRef::File(map.next_value()?)),
                _ => {
                    return Err(de::Error::custom(format!(
                        "unexpected key `{}` in a client secret; expected {SECRET_FORMS}",
                        crate::validate::escape_controls(&key)
                    )));
                }
            };
            form = Some(next);
        }
        match form {
            Some(Form::Masked(true)) => Ok(ClientSecret::Masked),
            // Settings are tagged by protocol, so a path to the field stops at `settings`: the
            // message names the field itself. It says what is missing, never a value.
            Some(Form::Reference(reference)) => reference
                .resolve()
                .map(ClientSecret::known)
                .map_err(|e| de::Error::custom(format!("client_secret: {e}"))),
            _ => Err(de::Error::custom(format!(
                "a client secret map must be {{masked: true}}, {{env: NAME}} or {{file: PATH}}; expected {SECRET_FORMS}"
            ))),
        }
    }

    // Numbers, booleans and lists: the default messages quote the value (`invalid type:
    // integer `42``), which for a secret field must not be shown.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ClientSecret, E> {
        Err(E::custom(format!("got a boolean; expected {SECRET_FORMS}")))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ClientSecret, E> {
        Err(E::custom(format!("got a number; expected {SECRET_FORMS}")))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ClientSecret, E> {
        Err(E::custom(format!("got a number; expected {SECRET_FORMS}")))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ClientSecret, E> {
        Err(E::custom(format!("got a number; expected {SECRET_FORMS}")))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<ClientSecret, A::Error> {
        Err(de::Error::custom(format!(
            "got a list; expected {SECRET_FORMS}"
        )))
    }
}
