//! The ezto auth backend of idconn: the identity providers of an ezto workspace, through
//! Keycloak's admin API under the legacy `/auth` prefix. The same backend serves a plain
//! Keycloak as its own vendor, `keycloak` ([`KeycloakBuilder`], [`KeycloakProvider`]), with
//! Keycloak's defaults: no prefix, admin tokens from `master`.
//!
//! ```no_run
//! use idconn_core::{Connection, IdentityConnectionProvider, OAuthSettings, Policy};
//! use idconn_eztoauth::EztoBuilder;
//! # async fn demo() -> idconn_core::Result<()> {
//! // EZTO_HOST, EZTO_WORKSPACE, EZTO_CLIENT_ID + EZTO_CLIENT_SECRET (or EZTO_TOKEN); or the
//! // `with_*` setters.
//! let ezto = EztoBuilder::from_env().build()?;
//! let google = Connection::oidc(
//!     "google",
//!     OAuthSettings {
//!         client_id: Some("client".into()),
//!         authorization_url: Some("https://accounts.google.com/o/oauth2/v2/auth".into()),
//!         token_url: Some("https://oauth2.googleapis.com/token".into()),
//!         ..OAuthSettings::default()
//!     },
//! );
//! let applied = ezto.create(&google, &Policy::STRICT).await?;
//! println!("created {} ({:?})", applied.connection.name, applied.connection.id);
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod client;
pub mod config;
mod errors;
pub mod mapping;
pub mod wire;

use idconn_core::{Capabilities, Vendor};

pub use client::{EztoProvider, KeycloakProvider};
pub use config::{
    Config, Credentials, EztoBuilder, EztoConfigKey, KeycloakBuilder, KeycloakConfigKey, RateLimit,
};
pub use errors::KeycloakErrorMapper;
/// What ezto would hold of a connection, and every loss: pure, no provider needed.
pub use mapping::translate;

/// `max` when the caller names no page size: Keycloak's own default.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// What ezto auth holds and does: [`Vendor::Ezto`]'s capabilities, declared with the vendor
/// in idconn-core so they are known without this backend.
pub const CAPABILITIES: Capabilities = Vendor::Ezto.capabilities();

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
    }
}
