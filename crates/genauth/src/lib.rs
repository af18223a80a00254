//! The GenAuth (Authing V3) backend of idconn: ext-idp connections.
#![warn(missing_docs)]

pub mod config;
pub mod mapping;
pub mod types;
pub mod wire;

pub use config::{Config, Placement};
