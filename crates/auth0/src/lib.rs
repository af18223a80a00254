//! The Auth0 backend of idconn: Management API v2 `/connections`.
//!
//! Files: [`config`] (settings and environment), [`wire`] (the vendor's JSON),
//! [`mapping`] (pure neutral <-> wire translation), `client` ([`Auth0Provider`], HTTP through
//! idconn-core) and `errors` (Auth0's error bodies, mapped in one place).
//!
//! ```no_run
//! use idconn_auth0::Auth0Provider;
//! use idconn_core::{IdentityConnectionProvider, list_all};
//! use futures::TryStreamExt;
//! # async fn demo() -> idconn_core::Result<()> {
//! // AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (or AUTH0_TOKEN), AUTH0_BASE_URL.
//! let auth0 = Auth0Provider::from_env()?;
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
pub use config::{Auth0Builder, Auth0ConfigKey, Config, Credentials};
pub use errors::Auth0Errors;

use idconn_core::{
    ApplicationSupport, Capabilities, MappingMode, MappingSupport, NameRule, PurposeSupport,
    Switch, TemplateTargets, Vendor,
};

/// What Auth0 holds and does.
pub const CAPABILITIES: Capabilities = Capabilities {
    vendor: Vendor::Auth0,
    name: NameRule {
        max_len: mapping::NAME_MAX,
        description: "letters, digits and single inner hyphens, starting and ending with a letter or digit",
    },
    purpose: PurposeSupport {
        // authentication.active
        sign_in: Switch::Settable,
        // No account-linking switch on a connection.
        link: Switch::Unsupported,
        // connected_accounts.active (Token Vault)
        store_tokens: Switch::Settable,
    },
    // Enabling is per application (PATCH /connections/{id}/clients), not on the connection.
    enabled_flag: false,
    // options.icon_url, where the strategy's schema has it.
    logo: true,
    show_on_login: true,
    max_domains: mapping::MAX_REALMS,
    saml: true,
    // An oidc connection may hold only discovery_url; the server fills oidc_metadata.
    oidc_discovery_only: true,
    // client_secret comes back in clear with read:connections_options (reference §1.4).
    reads_secrets: true,
    rename: false,
    // Public cloud's documented maximum for `take` (reference §2; the OAS says 100).
    max_page_size: 50,
    // options.attribute_map (oidc, okta) and options.fieldsMap (samlp): OAS
    // ConnectionAttributeMapOIDC, ConnectionFieldsMapSAML.
    attribute_mapping: MappingSupport {
        rules: true,
        modes: &[MappingMode::Explicit, MappingMode::CopyAll],
        saml_names: 4,
        claim_origins: true,
        constants: true,
        templates: TemplateTargets::Any,
        per_rule_sync: false,
    },
    // Enabled per client: GET/PATCH /api/v2/connections/{id}/clients (Management API v2).
    applications: ApplicationSupport::PerApplication,
};

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
