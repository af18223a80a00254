//! What a read could not take into the model, record by record, so that one bad vendor record
//! never fails a whole read.
//!
//! - A vendor value the model cannot decode (a certificate that is not one, a flag that is
//!   neither true nor false) stays verbatim in that vendor's extras; the connection is still
//!   returned, with a [`ReadNote`] in [`Connection::read_notes`](crate::Connection::read_notes)
//!   naming the field and why. An update of that connection writes the value back unchanged.
//! - A record no connection can be made of (it has no name, or is not a record at all) is
//!   [`Skipped`]: a listing reports it by name or id on [`Page::skipped`](crate::Page::skipped)
//!   and goes on with the rest; [`read_all`](crate::read_all) gathers them.

use std::fmt;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A vendor value a read kept verbatim in extras because the model could not decode it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadNote {
    /// The vendor field, as a path (`config.signingCertificate`, `fields.samlIdpCert`).
    pub field: String,
    /// Why the model could not take it, for a person.
    pub reason: String,
}

impl ReadNote {
    /// A note on vendor field `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ReadNote {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ReadNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: kept as the vendor has it ({})",
            self.field, self.reason
        )
    }
}

/// A vendor record a read skipped because no connection can be made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The record's name, or its id when it has none (`(unnamed)` when it has neither).
    pub record: String,
    /// Why no connection could be made of it.
    pub reason: String,
}

impl Skipped {
    /// A skipped record named by the first of `keys` that holds a string in `raw`.
    pub fn of(raw: &Value, keys: &[&str], reason: impl Into<String>) -> Self {
        let record = keys
            .iter()
            .filter_map(|key| raw.get(key).and_then(Value::as_str))
            .find(|name| !name.is_empty())
            .unwrap_or("(unnamed)")
            .to_string();
        Skipped {
            record,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: skipped ({})", self.record, self.reason)
    }
}

/// A JSON array read element by element: the elements that decode as `T`, and the others kept
/// raw with the reason, so that one malformed record never fails the list it is in.
#[derive(Debug, Clone)]
pub struct Lenient<T> {
    /// The elements that decoded.
    pub items: Vec<T>,
    /// The elements that did not, as sent, each with why.
    pub rejected: Vec<(Value, String)>,
}

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient {
            items: Vec::new(),
            rejected: Vec::new(),
        }
    }
}

impl<T: DeserializeOwned> Lenient<T> {
    /// Reads each of `values` as `T`, keeping the ones that do not fit.
    pub fn from_values(values: Vec<Value>) -> Self {
        let mut out = Lenient::default();
        for value in values {
            match crate::json::from_value::<T>(value.clone()) {
                Ok(item) => out.items.push(item),
                Err(error) => out
                    .rejected
                    .push((value, format!("{} at {}", error.message, error.path))),
            }
        }
        out
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Lenient::from_values(Vec::<Value>::deserialize(
            deserializer,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Record {
        name: String,
    }

    #[test]
    fn a_bad_element_is_kept_raw_and_the_rest_read() {
        let list: Lenient<Record> =
            serde_json::from_value(json!([{"name": "a"}, {"id": "x1"}, {"name": "b"}])).unwrap();
        let names: Vec<&str> = list.items.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(list.rejected.len(), 1);
        let skipped = Skipped::of(&list.rejected[0].0, &["name", "id"], &list.rejected[0].1);
        assert_eq!(skipped.record, "x1");
        assert!(skipped.reason.contains("name"), "{skipped}");
    }
}
