//! Settings read from environment variables, the same way by every backend.
//!
//! A backend's `Config::from_env`, `from_vars` and `from_lookup` each build a [`Vars`] and read
//! it with one function, so the three sources cannot drift apart. Every failure is an
//! [`Error::InvalidInput`] naming the variable. A value is never part of an error message
//! unless it failed to parse (and secrets are read with [`Vars::optional`] or
//! [`Vars::required`], which never show them).

use std::ffi::OsString;
use std::fmt;

use crate::error::{Error, Result};
use crate::http::RateLimit;

/// A variable's value by name: `Ok(None)` when it is not set.
type Lookup<'a> = Box<dyn Fn(&str) -> Result<Option<String>> + 'a>;

/// Where variables come from: the process environment, `KEY=VALUE` pairs or any lookup.
pub struct Vars<'a> {
    lookup: Lookup<'a>,
}

impl fmt::Debug for Vars<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets.
        f.write_str("Vars { .. }")
    }
}

impl<'a> Vars<'a> {
    /// The process environment. Only the variables asked for are read; one whose value is not
    /// UTF-8 is an error naming it, never read as unset.
    pub fn process() -> Vars<'static> {
        Vars {
            lookup: Box::new(|name| utf8(name, std::env::var_os(name))),
        }
    }

    /// `KEY=VALUE` pairs, such as a simulator's `env_vars()`. When a key appears twice the
    /// last pair wins, as when a shell assigns a variable twice, so an override can be pushed
    /// onto a list.
    pub fn pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &'a [(K, V)]) -> Vars<'a> {
        Vars {
            lookup: Box::new(move |name| {
                Ok(pairs
                    .iter()
                    .rev()
                    .find(|(key, _)| key.as_ref() == name)
                    .map(|(_, value)| value.as_ref().to_string()))
            }),
        }
    }

    /// A variable's value by name (`None`: not set).
    pub fn lookup(lookup: impl Fn(&str) -> Option<String> + 'a) -> Vars<'a> {
        Vars {
            lookup: Box::new(move |name| Ok(lookup(name))),
        }
    }

    /// The value exactly as set (`None`: not set; `Some("")`: set but empty). For settings where
    /// an empty value means something, such as "no prefix".
    pub fn raw(&self, name: &str) -> Result<Option<String>> {
        (self.lookup)(name)
    }

    /// Whether the variable is set at all, even to an empty value.
    pub fn is_set(&self, name: &str) -> Result<bool> {
        Ok(self.raw(name)?.is_some())
    }

    /// The value without surrounding whitespace; a variable that is not set, or is set to
    /// nothing but whitespace, is `None`.
    pub fn optional(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .raw(name)?
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty()))
    }

    /// The value without surrounding whitespace; an error when the variable is not set
    /// ("is not set") or holds only whitespace ("is set but empty").
    pub fn required(&self, name: &str) -> Result<String> {
        match self.raw(name)? {
            None => Err(Error::invalid(name, "is not set")),
            Some(value) if value.trim().is_empty() => Err(Error::invalid(name, "is set but empty")),
            Some(value) => Ok(value.trim().to_string()),
        }
    }

    /// A switch: `true`/`false`, `1`/`0` or `yes`/`no` (any case); `None` when not set or
    /// blank. Anything else is an error naming the variable.
    pub fn flag(&self, name: &str) -> Result<Option<bool>> {
        let Some(value) = self.optional(name)? else {
            return Ok(None);
        };
        let is = |word: &str| value.eq_ignore_ascii_case(word);
        if is("true") || is("1") || is("yes") {
            Ok(Some(true))
        } else if is("false") || is("0") || is("no") {
            Ok(Some(false))
        } else {
            Err(Error::invalid(
                name,
                format!("\"{value}\" is not true or false"),
            ))
        }
    }
}

impl Vars<'_> {
    /// A client-side rate limit, `BURST/PER_SEC` ([`RateLimit`]'s text form, e.g. `50/16`);
    /// `None` when not set or blank. Anything else is an error naming the variable.
    pub fn rate_limit(&self, name: &str) -> Result<Option<RateLimit>> {
        self.optional(name)?
            .map(|text| {
                text.parse().map_err(|error| match error {
                    Error::InvalidInput { reason, .. } => Error::invalid(name, reason),
                    other => other,
                })
            })
            .transpose()
    }
}

/// A process variable's value as text; one that is not UTF-8 is an error naming it.
fn utf8(name: &str, value: Option<OsString>) -> Result<Option<String>> {
    value
        .map(|value| {
            value
                .into_string()
                .map_err(|_| Error::invalid(name, "is not valid UTF-8"))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(error: Error) -> (String, String) {
        match error {
            Error::InvalidInput { field, reason } => (field, reason),
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn unset_blank_and_padded_values() {
        let pairs = [("SET", "  value \n"), ("BLANK", "  "), ("EMPTY", "")];
        let vars = Vars::pairs(&pairs);
        assert_eq!(vars.optional("SET").unwrap().as_deref(), Some("value"));
        assert_eq!(vars.required("SET").unwrap(), "value");
        assert_eq!(vars.raw("SET").unwrap().as_deref(), Some("  value \n"));
        assert_eq!(vars.optional("BLANK").unwrap(), None);
        assert_eq!(vars.optional("UNSET").unwrap(), None);
        assert_eq!(
            reason(vars.required("UNSET").unwrap_err()),
            ("UNSET".into(), "is not set".into())
        );
        assert_eq!(
            reason(vars.required("BLANK").unwrap_err()),
            ("BLANK".into(), "is set but empty".into())
        );
        assert!(vars.is_set("EMPTY").unwrap());
        assert_eq!(vars.raw("EMPTY").unwrap().as_deref(), Some(""));
        assert!(!vars.is_set("UNSET").unwrap());
    }

    #[test]
    fn the_last_of_repeated_pairs_wins() {
        let pairs = vec![
            ("A".to_string(), "first".to_string()),
            ("A".to_string(), "second".to_string()),
        ];
        assert_eq!(
            Vars::pairs(&pairs).required("A").unwrap(),
            "second".to_string()
        );
    }

    #[test]
    fn flags_take_the_usual_spellings_and_name_the_variable_otherwise() {
        let pairs = [
            ("T1", "true"),
            ("T2", "1"),
            ("T3", " YES "),
            ("F1", "False"),
            ("F2", "0"),
            ("F3", "no"),
            ("BLANK", ""),
            ("BAD", "maybe"),
        ];
        let vars = Vars::pairs(&pairs);
        for name in ["T1", "T2", "T3"] {
            assert_eq!(vars.flag(name).unwrap(), Some(true), "{name}");
        }
        for name in ["F1", "F2", "F3"] {
            assert_eq!(vars.flag(name).unwrap(), Some(false), "{name}");
        }
        assert_eq!(vars.flag("BLANK").unwrap(), None);
        assert_eq!(vars.flag("UNSET").unwrap(), None);
        let (field, why) = reason(vars.flag("BAD").unwrap_err());
        assert_eq!(field, "BAD");
        assert!(why.contains("maybe"), "{why}");
    }

    #[test]
    fn a_lookup_function_is_a_source() {
        let vars = Vars::lookup(|name| (name == "X").then(|| "x".to_string()));
        assert_eq!(vars.required("X").unwrap(), "x");
        assert_eq!(vars.optional("Y").unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_process_value_that_is_not_utf8_is_named() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(vec![0xff, 0xfe]);
        let (field, why) = reason(utf8("SOME_VAR", Some(bad)).unwrap_err());
        assert_eq!(
            (field.as_str(), why.as_str()),
            ("SOME_VAR", "is not valid UTF-8")
        );
        assert_eq!(
            utf8("SOME_VAR", Some("ok".into())).unwrap().as_deref(),
            Some("ok")
        );
        assert_eq!(utf8("SOME_VAR", None).unwrap(), None);
        // The real environment: a variable nobody sets reads as unset.
        assert_eq!(
            Vars::process()
                .optional("IDCONN_CORE_ENV_TEST_NEVER_SET")
                .unwrap(),
            None
        );
    }

    #[test]
    fn rate_limits_read_as_burst_slash_rate_and_name_the_variable_otherwise() {
        let pairs = [("GOOD", " 50/16 "), ("BLANK", ""), ("BAD", "50 per second")];
        let vars = Vars::pairs(&pairs);
        let limit = vars.rate_limit("GOOD").unwrap().unwrap();
        assert_eq!(limit.to_string(), "50/16");
        assert_eq!(vars.rate_limit("BLANK").unwrap(), None);
        assert_eq!(vars.rate_limit("UNSET").unwrap(), None);
        let (field, why) = reason(vars.rate_limit("BAD").unwrap_err());
        assert_eq!(field, "BAD");
        assert!(
            why.contains("BURST/PER_SEC") && why.contains("50 per second"),
            "{why}"
        );
    }
}
