//! idconn: manage identity-provider connections (OIDC, SAML, social and directory login
//! sources) across Auth0, GenAuth, ezto auth and Keycloak through one neutral model.
//!
//! - The model, the [`IdentityConnectionProvider`] trait, errors, policy and reports come from
//!   [`idconn_core`] and are re-exported here.
//! - Each vendor is a cargo feature (all on by default): `auth0` ([`auth0`]), `genauth`
//!   ([`genauth`]), `eztoauth` ([`eztoauth`]),
//!   `keycloak` ([`KeycloakProvider`], served by the ezto auth crate: the same admin API).
//! - [`AnyProvider`] is whichever backend was chosen at run time.
//! - [`onboard`] (feature `onboard`, on by default) turns a customer's SAML metadata or OIDC
//!   issuer into a connection.
//! - The sync engine, generic over any provider: the neutral [`Document`] file format,
//!   [`plan()`], [`apply()`] and [`migrate()`]; a [`StopSignal`] stops the last two between
//!   writes (Ctrl-C in the CLI).
//!
//! ```no_run
//! use idconn::{AnyProvider, IdentityConnectionProvider, Vendor, list_all};
//! use futures::TryStreamExt;
//!
//! # async fn run() -> idconn::Result<()> {
//! let auth0 = AnyProvider::from_env(Vendor::Auth0)?; // AUTH0_DOMAIN, AUTH0_CLIENT_ID, ...
//! let all: Vec<_> = list_all(&auth0, None).try_collect().await?;
//! println!("{} connections", all.len());
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod any;
mod applications;
pub mod apply;
mod converge;
pub mod document;
pub mod migrate;
mod nesting;
mod offline;
pub mod plan;
#[cfg(feature = "onboard")]
mod resolve;
pub mod secrets;
mod stop;
mod sync_error;
#[cfg(feature = "testkit")]
#[cfg_attr(docsrs, doc(cfg(feature = "testkit")))]
pub mod testkit;

pub use any::{AnyProvider, Setting};
pub use applications::{ApplicationChanges, fill_applications, read_application_names};
pub use apply::{
    ApplyOptions, ApplyReport, ConnectionOutcome, Outcome, OutcomeCounts, Progress, apply,
    apply_with_options, apply_with_progress,
};
pub use converge::pending_changes;
pub use document::{
    Document, DocumentError, DocumentWriter, Format, InputLimits, create_private, write_private,
};
pub use idconn_core::*;
pub use migrate::{MigrateOptions, MigrationReport, migrate, migrate_with_progress};
pub use offline::translate;
pub use plan::{Action, ActionCounts, Change, Plan, PlanOptions, plan};
#[cfg(feature = "onboard")]
pub use resolve::resolve_discovery;
pub use secrets::Secrets;
pub use stop::StopSignal;
pub use sync_error::{ConnectionError, SyncError};

/// The Auth0 backend.
#[cfg(feature = "auth0")]
pub use idconn_auth0 as auth0;
#[cfg(feature = "auth0")]
pub use idconn_auth0::{Auth0Builder, Auth0Provider};
/// The ezto auth backend.
#[cfg(feature = "eztoauth")]
pub use idconn_eztoauth as eztoauth;
#[cfg(feature = "eztoauth")]
pub use idconn_eztoauth::{EztoBuilder, EztoProvider};
#[cfg(feature = "keycloak")]
pub use idconn_eztoauth::{KeycloakBuilder, KeycloakProvider};
/// The GenAuth backend.
#[cfg(feature = "genauth")]
pub use idconn_genauth as genauth;
#[cfg(feature = "genauth")]
pub use idconn_genauth::{GenAuthBuilder, GenAuthProvider};

/// Onboarding a customer's identity provider from SAML metadata or OIDC discovery.
#[cfg(feature = "onboard")]
pub use idconn_onboard as onboard;

/// The README's examples, compiled as doctests so they cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
