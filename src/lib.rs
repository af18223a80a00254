//! idconn: manage identity-provider connections (OIDC, SAML, social and directory login
//! sources) across Auth0, GenAuth, ezto auth and Keycloak through one neutral model.
//!
//! - The model ([`Connection`] and its settings), the [`IdentityConnectionProvider`] trait,
//!   [`Error`], [`Policy`], translation reports, capabilities, pagination and [`Credentials`]
//!   come from [`idconn_core`] and are re-exported here. The plumbing for writing a backend of
//!   your own (HTTP client, configuration keys, validation) is under [`backend`].
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
//! A connection is built for its kind, translated offline (no credentials, no network), then
//! written through a backend's builder:
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use idconn::{
//!     Auth0Builder, Connection, Credentials, IdentityConnectionProvider, OAuthSettings, Policy,
//!     Vendor, list_all, translate,
//! };
//!
//! # async fn run() -> idconn::Result<()> {
//! let sso = Connection::oidc(
//!     "acme-sso",
//!     OAuthSettings {
//!         client_id: Some("upstream-client".into()),
//!         discovery_url: Some("https://idp.acme.example/.well-known/openid-configuration".into()),
//!         ..OAuthSettings::default()
//!     },
//! )
//! .with_display_name("Acme SSO");
//! let offline = translate(Vendor::Auth0, &sso, &Policy::STRICT)?;
//! println!("would send {}", offline.payload);
//!
//! // Or `Auth0Builder::from_env()` (AUTH0_DOMAIN, AUTH0_CLIENT_ID, ...); `AnyProvider::from_env`
//! // picks the vendor at run time.
//! let auth0 = Auth0Builder::new()
//!     .with_domain("acme.eu.auth0.com")
//!     .with_credentials(Credentials::client("m2m-client-id", "m2m-client-secret"))
//!     .build()?;
//! auth0.create(&sso, &Policy::STRICT).await?;
//! let all: Vec<_> = list_all(&auth0, None).try_collect().await?;
//! println!("{} connections", all.len());
//! # Ok(()) }
//! ```
//!
//! The crate's `examples/` folder runs each step: `choose_backend` (a backend per cargo
//! feature), `translate_offline`, `simulator` (create and list against an in-process Auth0
//! simulator) and `plan_apply` (a document planned and applied).
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

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
pub use migrate::{MigrateOptions, MigrationReport, migrate, migrate_with_progress};
pub use offline::translate;
pub use plan::{Action, ActionCounts, Change, Plan, PlanOptions, plan};
#[cfg(feature = "onboard")]
#[cfg_attr(docsrs, doc(cfg(feature = "onboard")))]
pub use resolve::resolve_discovery;
pub use secrets::Secrets;
pub use stop::StopSignal;
pub use sync_error::{ConnectionError, SyncError};

// The neutral model, the trait and what every call returns. The list is explicit so that
// backend-author plumbing stays out of the way; that is under [`backend`].
pub use idconn_core::{
    Application, Applications, AttributeMap, Certificate, ClaimOrigin, ClientAuthMethod,
    ClientSecret, Connection, ConnectionKind, DirectorySettings, Extras, MappingMode, MappingRule,
    MappingSource, OAuthSettings, OidcChannel, Purpose, STANDARD_ATTRIBUTES, SamlBinding,
    SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm, SecretRef, Settings, SocialProvider,
    SyncMode, reveal_secrets, with_reference_base,
};
pub use idconn_core::{
    ApplicationSupport, Capabilities, MappingSupport, NameRule, PurposeSupport, SamlRequestSupport,
    Switch, TemplateTargets,
};
pub use idconn_core::{Applied, Loss, Mode, Note, Policy, Translation, TranslationReport};
pub use idconn_core::{Credentials, Error, IdentityConnectionProvider, RateLimit, Result, Vendor};
pub use idconn_core::{
    DEFAULT_READ_CONCURRENCY, Listing, Page, PageRequest, Record, list_all, list_all_complete,
    list_records, list_records_complete, read_all, read_all_complete,
};
pub use idconn_core::{Lenient, ReadNote, Skipped};
/// The secret types [`ClientSecret`] and [`Credentials`] hold, re-exported so callers need not
/// depend on `secrecy` themselves.
pub use secrecy;

/// For writing a backend: the plumbing idconn's own backends share (HTTP client, retries and
/// tokens, builders' typed configuration keys, environment variables, validation, JSON
/// decoding with paths, and the helpers behind translation and read-back). Programs that only
/// use backends need none of it.
pub mod backend {
    pub use idconn_core::{
        ApplicationDirectory, HELD_SECRETS, application_switches, async_trait, changed_fields,
        enabled_as_applications, held_secret_losses, off_held_as_no_applications, purpose_losses,
        record_held_secrets, rewrite_placeholders,
    };
    pub use idconn_core::{builder, env, http, json, spelling, validate};
}

/// The Auth0 backend.
#[cfg(feature = "auth0")]
#[cfg_attr(docsrs, doc(cfg(feature = "auth0")))]
pub use idconn_auth0 as auth0;
#[cfg(feature = "auth0")]
#[cfg_attr(docsrs, doc(cfg(feature = "auth0")))]
pub use idconn_auth0::{Auth0Builder, Auth0Provider};
/// The ezto auth backend.
#[cfg(feature = "eztoauth")]
#[cfg_attr(docsrs, doc(cfg(feature = "eztoauth")))]
pub use idconn_eztoauth as eztoauth;
#[cfg(feature = "eztoauth")]
#[cfg_attr(docsrs, doc(cfg(feature = "eztoauth")))]
pub use idconn_eztoauth::{EztoBuilder, EztoProvider};
#[cfg(feature = "keycloak")]
#[cfg_attr(docsrs, doc(cfg(feature = "keycloak")))]
pub use idconn_eztoauth::{KeycloakBuilder, KeycloakProvider};
/// The GenAuth backend.
#[cfg(feature = "genauth")]
#[cfg_attr(docsrs, doc(cfg(feature = "genauth")))]
pub use idconn_genauth as genauth;
#[cfg(feature = "genauth")]
#[cfg_attr(docsrs, doc(cfg(feature = "genauth")))]
pub use idconn_genauth::{GenAuthBuilder, GenAuthProvider};

/// Onboarding a customer's identity provider from SAML metadata or OIDC discovery.
#[cfg(feature = "onboard")]
#[cfg_attr(docsrs, doc(cfg(feature = "onboard")))]
pub use idconn_onboard as onboard;

/// The README's examples, compiled as doctests so they cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
