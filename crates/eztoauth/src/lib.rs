//! The ezto auth backend of idconn: identity providers of an ezto workspace, through
//! Keycloak's admin API under the legacy `/auth` prefix (reference/ezto-keycloak.md).
#![warn(missing_docs)]

pub mod config;
pub mod mapping;
pub mod wire;

pub use config::{Config, Credentials};
