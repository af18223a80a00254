//! Where a new connection goes: the parent identity source (ext-idp), decided before any
//! request. The client only looks the source up or creates it.

use idconn_core::{Error, Result, Vendor};

use super::ext_idp_type;
use crate::config::Placement;
use crate::wire::ExtIdp;

/// The parent a new connection gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent<'a> {
    /// This identity source, as the configuration names it.
    Fixed(&'a str),
    /// The identity source of this type named after the connection, created when there is none.
    FindOrCreate {
        /// The identity-source type (`oauth2` for connection type `oauth`).
        source_type: &'static str,
    },
}

/// The parent `placement` gives a new connection of `connection_type`. Fails with
/// [`Error::Unsupported`] when a source must be found or created and GenAuth has no identity
/// source type for that connection type.
pub fn parent<'a>(placement: &'a Placement, connection_type: &str) -> Result<Parent<'a>> {
    match placement {
        Placement::Fixed(id) => Ok(Parent::Fixed(id)),
        Placement::FindOrCreate => ext_idp_type(connection_type)
            .map(|source_type| Parent::FindOrCreate { source_type })
            .ok_or_else(|| Error::Unsupported {
                vendor: Vendor::GenAuth,
                what: format!("an identity source for connection type \"{connection_type}\""),
            }),
    }
}

/// Whether `idp` is the source [`Parent::FindOrCreate`] reuses for the connection `name`.
pub fn is_parent_for(idp: &ExtIdp, source_type: &str, name: &str) -> bool {
    idp.kind == source_type && idp.name == name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(kind: &str, name: &str) -> ExtIdp {
        serde_json::from_value(serde_json::json!({"id": "idp1", "name": name, "type": kind}))
            .expect("an ext-idp")
    }

    #[test]
    fn a_fixed_parent_is_taken_as_is_and_otherwise_the_type_follows_the_connection() {
        let fixed = Placement::Fixed("idp-9".into());
        assert_eq!(parent(&fixed, "whatever").unwrap(), Parent::Fixed("idp-9"));
        let found = parent(&Placement::FindOrCreate, "oauth").unwrap();
        assert_eq!(
            found,
            Parent::FindOrCreate {
                source_type: "oauth2"
            }
        );
        let Parent::FindOrCreate { source_type } = found else {
            unreachable!()
        };
        assert!(is_parent_for(
            &source("oauth2", "corp"),
            source_type,
            "corp"
        ));
        assert!(!is_parent_for(&source("oidc", "corp"), source_type, "corp"));
        assert!(!is_parent_for(
            &source("oauth2", "other"),
            source_type,
            "corp"
        ));
    }
}
