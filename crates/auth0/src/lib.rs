//! The Auth0 backend of idconn: Management API v2 `/connections`.
//!
//! Files: [`config`] (settings and environment), [`wire`] (the vendor's JSON),
//! [`mapping`] (pure neutral <-> wire translation), `client` ([`Auth0Provider`], HTTP through
//! idconn-core) and `errors` (Auth0's error bodies, mapped in one place).
//!
//! ```no_run
//! use idconn_auth0::Auth0Builder;
//! use idconn_core::{IdentityConnectionProvider, list_all};
//! use futures::TryStreamExt;
//! # async fn demo() -> idconn_core::Result<()> {
//! // AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (or AUTH0_TOKEN), AUTH0_BASE_URL;
//! // each has a `with_*` setter too.
//! let auth0 = Auth0Builder::from_env().build()?;
//! let all: Vec<_> = list_all(&auth0, None).try_collect().await?;
//! println!("{} connections", all.len());
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod client;
pub mod config;
mod errors;
pub mod mapping;
pub mod wire;

pub use client::Auth0Provider;
pub use config::{Auth0Builder, Auth0ConfigKey, Config, Credentials, RateLimit};
pub use errors::Auth0ErrorMapper;
/// What Auth0 would hold of a connection, and every loss: pure, no provider needed.
pub use mapping::translate;

use idconn_core::{Capabilities, Vendor};

/// What Auth0 holds and does: [`Vendor::Auth0`]'s capabilities, declared with the vendor
/// in idconn-core so they are known without this backend.
pub const CAPABILITIES: Capabilities = Vendor::Auth0.capabilities();

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
        assert_eq!(super::CAPABILITIES.max_domains, super::mapping::MAX_REALMS);
    }
}
