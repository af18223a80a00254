//! The GenAuth (Authing V3) backend of idconn: the identity-provider connections of a user
//! pool, which GenAuth keeps under identity sources (ext-idps).
//!
//! ```no_run
//! use idconn_core::{Connection, IdentityConnectionProvider, OAuthSettings, Policy, SocialProvider};
//! use idconn_genauth::GenAuthBuilder;
//! # async fn demo() -> idconn_core::Result<()> {
//! // GENAUTH_HOST (default https://api.genauth.ai), GENAUTH_USERPOOL_ID,
//! // GENAUTH_ACCESS_KEY_ID, GENAUTH_ACCESS_KEY_SECRET, optional GENAUTH_TENANT_ID; or the
//! // `with_*` setters.
//! let genauth = GenAuthBuilder::from_env().build()?;
//! let github = Connection::social("github-login", SocialProvider::GitHub, OAuthSettings::default())
//!     .with_display_name("GitHub");
//! // Its parent identity source is found or created (type github, named "github-login").
//! let applied = genauth.create(&github, &Policy::STRICT).await?;
//! println!("created {:?}", applied.connection.id);
//! # Ok(()) }
//! ```
//!
//! How GenAuth shapes this backend (its V3 management API, as Authing's OpenAPI document
//! `management-openapi.json` in `Authing/authing-docs-factory` describes it):
//! - A connection lives under an identity source and needs its id (`extIdpId`, kept in
//!   `extras.genauth`). New connections go under a fixed source ([`Placement::Fixed`],
//!   `GENAUTH_EXT_IDP_ID`) or, by default, one found or created for them.
//! - There is no endpoint to read one connection or to list them: they come back only inside
//!   `get-ext-idp`. Listing reads `list-ext-idp`, then `get-ext-idp` per source, a bounded
//!   number at a time; the cursor is a position in the sorted source ids, so each page reads
//!   only the next few sources (and the source ids are listed once per listing, not per page,
//!   while the provider holds them). `get(id)` costs one `get-ext-idp` for a connection this
//!   provider has seen, otherwise a scan of every source; `find(name)` scans, reading first
//!   the sources named after the connection.
//! - Answers are an envelope that is a success only when `statusCode == 200`; errors usually
//!   arrive with HTTP 200 ([`GenAuthErrorMapper`]).
#![warn(missing_docs)]

mod client;
pub mod config;
mod errors;
pub mod mapping;
pub mod wire;

use idconn_core::{Capabilities, Vendor};

pub use client::GenAuthProvider;
pub use config::{Config, GenAuthBuilder, GenAuthConfigKey, Placement, RateLimit};
pub use errors::GenAuthErrorMapper;

use idconn_core::{Connection, Policy, Result, Translation};

/// What GenAuth would hold of `connection` as a new connection, and every loss: pure, no
/// provider needed. `placement` is where new connections go, as the provider's setting would
/// say; its default, [`Placement::FindOrCreate`], leaves the payload's `extIdpId` to the
/// connection's GenAuth extras (the parent is found or created when the connection is written).
pub fn translate(
    connection: &Connection,
    policy: &Policy,
    placement: &Placement,
) -> Result<Translation> {
    let (_, translation) = mapping::translate(
        connection,
        policy,
        mapping::Intent::Create,
        placement.fixed_parent(),
    )?;
    Ok(translation)
}

/// Connections per page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// What GenAuth holds and does: [`Vendor::GenAuth`]'s capabilities, declared with the vendor
/// in idconn-core so they are known without this backend.
pub const CAPABILITIES: Capabilities = Vendor::GenAuth.capabilities();

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    /// The capabilities core declares say what this backend's mapping enforces.
    #[test]
    fn capabilities_agree_with_the_mapping() {
        assert_eq!(super::CAPABILITIES.name.max_len, super::mapping::NAME_MAX);
        assert_eq!(
            super::CAPABILITIES.name.description,
            super::mapping::NAME_RULE
        );
    }
}
