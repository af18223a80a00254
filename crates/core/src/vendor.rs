//! The vendors idconn speaks to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// A vendor whose connection-management API idconn drives.
///
/// The serialized names (`auth0`, `genauth`, `eztoauth`, `keycloak`) are also the keys of
/// [`Connection::extras`](crate::Connection::extras), the CLI's `--vendor` values and
/// the `IDCONN_VENDOR` environment variable's values. The older spellings `ezto` and
/// `authing` are read everywhere too (files and [`FromStr`]), and never written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Vendor {
    /// Auth0 Management API v2, `/api/v2/connections`.
    #[serde(rename = "auth0")]
    Auth0,
    /// GenAuth (formerly Authing) V3 management API, ext-idp connections.
    #[serde(rename = "genauth", alias = "authing")]
    GenAuth,
    /// ezto auth identity providers (Keycloak's admin API under a workspace).
    #[serde(rename = "eztoauth", alias = "ezto")]
    Ezto,
    /// A plain Keycloak server's identity providers (the admin API ezto auth is built on, with
    /// Keycloak's own defaults: no `/auth` prefix, tokens from the `master` realm).
    #[serde(rename = "keycloak")]
    Keycloak,
}

impl Vendor {
    /// Every vendor, in a stable order.
    pub const ALL: [Vendor; 4] = [
        Vendor::Auth0,
        Vendor::GenAuth,
        Vendor::Ezto,
        Vendor::Keycloak,
    ];

    /// The stable machine name (`auth0`, `genauth`, `eztoauth`, `keycloak`).
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Auth0 => "auth0",
            Vendor::GenAuth => "genauth",
            Vendor::Ezto => "eztoauth",
            Vendor::Keycloak => "keycloak",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Vendor {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auth0" => Ok(Vendor::Auth0),
            "genauth" | "authing" => Ok(Vendor::GenAuth),
            "eztoauth" | "ezto" => Ok(Vendor::Ezto),
            "keycloak" => Ok(Vendor::Keycloak),
            other => Err(Error::invalid(
                "vendor",
                format!(
                    "unknown vendor \"{other}\"; expected one of auth0, genauth, eztoauth, keycloak"
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_is_written_and_the_old_spellings_are_read_in_files_and_on_the_command_line() {
        for (old, vendor) in [("ezto", Vendor::Ezto), ("authing", Vendor::GenAuth)] {
            let read: Vendor = serde_json::from_value(serde_json::json!(old)).unwrap();
            assert_eq!(read, vendor);
            assert_eq!(old.parse::<Vendor>().unwrap(), vendor);
            assert_eq!(serde_json::to_value(read).unwrap(), vendor.as_str());
        }
        let keyed: std::collections::BTreeMap<Vendor, u8> =
            serde_json::from_str(r#"{"ezto": 1}"#).unwrap();
        assert_eq!(keyed.get(&Vendor::Ezto), Some(&1));
        assert_eq!(serde_json::to_string(&keyed).unwrap(), r#"{"eztoauth":1}"#);
    }
}
