//! The Auth0 backend of idconn: Management API v2 `/connections`.
//!
//! Files follow DESIGN.md: [`config`] (settings and environment), [`wire`] (the vendor's JSON),
//! [`mapping`] (pure neutral <-> wire translation).
#![warn(missing_docs)]

pub mod config;
pub mod mapping;
pub mod wire;

pub use config::{Config, Credentials};
