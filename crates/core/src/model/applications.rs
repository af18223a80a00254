//! Which applications may use a connection.
//!
//! Documents name applications by their **name**, because ids differ from tenant to tenant;
//! each backend resolves names to its own ids ([`ApplicationDirectory`]).

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The applications that may sign users in through a connection.
///
/// In a document it is the word `"all"` or a list of application names:
/// `"applications": ["Web shop", "Back office"]`. A connection without the field leaves
/// whatever the vendor holds alone (`Connection::applications` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applications {
    /// Every application of the tenant.
    All,
    /// Exactly these applications, by name (none: no application may use the connection).
    Only(BTreeSet<String>),
}

impl Applications {
    /// Exactly the applications `names` names.
    pub fn only<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Applications::Only(names.into_iter().map(Into::into).collect())
    }

    /// No application at all.
    pub fn none() -> Self {
        Applications::Only(BTreeSet::new())
    }

    /// The names, when this is a set (`None` for [`Applications::All`]).
    pub fn names(&self) -> Option<&BTreeSet<String>> {
        match self {
            Applications::All => None,
            Applications::Only(names) => Some(names),
        }
    }
}

impl fmt::Display for Applications {
    /// `all`, `none`, or the names joined by commas, for reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Applications::All => f.write_str("all"),
            Applications::Only(names) if names.is_empty() => f.write_str("none"),
            Applications::Only(names) => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                f.write_str(&quoted.join(", "))
            }
        }
    }
}

const ALL: &str = "all";

impl Serialize for Applications {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Applications::All => serializer.serialize_str(ALL),
            Applications::Only(names) => serializer.collect_seq(names),
        }
    }
}

impl<'de> Deserialize<'de> for Applications {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ApplicationsVisitor)
    }
}

struct ApplicationsVisitor;

impl<'de> Visitor<'de> for ApplicationsVisitor {
    type Value = Applications;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("\"all\" or a list of application names")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Applications, E> {
        if value == ALL {
            Ok(Applications::All)
        } else {
            Err(E::invalid_value(de::Unexpected::Str(value), &self))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Applications, A::Error> {
        let mut names = BTreeSet::new();
        while let Some(name) = seq.next_element::<String>()? {
            if name.trim().is_empty() {
                return Err(de::Error::custom("an application name is empty"));
            }
            if !names.insert(name.clone()) {
                return Err(de::Error::custom(format!(
                    "application \"{name}\" is listed twice"
                )));
            }
        }
        Ok(Applications::Only(names))
    }
}

/// One application of a tenant: an Auth0 client, a GenAuth application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The vendor's id (Auth0 `client_id`, GenAuth `appId`).
    pub id: String,
    /// The name people gave it; not unique on every vendor.
    pub name: String,
}
