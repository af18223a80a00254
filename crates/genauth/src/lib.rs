//! The GenAuth (Authing V3) backend of idconn: the identity-provider connections of a user
//! pool, which GenAuth keeps under identity sources (ext-idps).
//!
//! ```no_run
//! use idconn_core::{Connection, ConnectionKind, IdentityConnectionProvider, Policy, SocialProvider};
//! use idconn_genauth::{Config, GenAuthProvider};
//! # async fn demo() -> idconn_core::Result<()> {
//! // GENAUTH_HOST (default https://api.genauth.ai), GENAUTH_USERPOOL_ID,
//! // GENAUTH_ACCESS_KEY_ID, GENAUTH_ACCESS_KEY_SECRET, optional GENAUTH_TENANT_ID.
//! let genauth = GenAuthProvider::from_env()?;
//! let mut github = Connection::new("github-login", ConnectionKind::Social(SocialProvider::GitHub));
//! github.display_name = Some("GitHub".into());
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
//!   arrive with HTTP 200 ([`errors`]).
#![warn(missing_docs)]

mod client;
pub mod config;
pub mod errors;
pub mod mapping;
pub mod wire;

use idconn_core::{
    ApplicationSupport, Capabilities, MappingSupport, NameRule, PurposeSupport, Switch,
    TemplateTargets, Vendor,
};

pub use client::GenAuthProvider;
pub use config::{Config, GenAuthBuilder, GenAuthConfigKey, Placement};

/// Connections per page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// What GenAuth can hold and do, as this backend maps it.
pub const CAPABILITIES: Capabilities = Capabilities {
    vendor: Vendor::GenAuth,
    name: NameRule {
        max_len: mapping::NAME_MAX,
        description: mapping::NAME_RULE,
    },
    // loginOnly: sign-in always allowed, linking switchable; no token storage.
    purpose: PurposeSupport {
        sign_in: Switch::Fixed(true),
        link: Switch::Settable,
        store_tokens: Switch::Unsupported,
    },
    // On/off is per application (change-ext-idp-conn-state), not on the connection.
    enabled_flag: false,
    logo: true,
    show_on_login: false,
    max_domains: 0,
    // SAML connections carry their sign-in and sign-out URLs, certificate and request signing
    // under the keys GenAuth's login UI reads (mapping::fields).
    saml: true,
    oidc_discovery_only: false,
    // get-ext-idp returns `fields`, clientSecret included.
    reads_secrets: true,
    rename: false,
    // The library pages (the API does not); larger pages read more sources per request.
    max_page_size: 100,
    // No attribute mapping for ext-idp connections in the V3 management API.
    attribute_mapping: MappingSupport {
        rules: false,
        modes: &[],
        saml_names: 0,
        claim_origins: false,
        constants: false,
        templates: TemplateTargets::None,
        per_rule_sync: false,
    },
    // Switched on per application: POST /api/v3/change-ext-idp-conn-state.
    applications: ApplicationSupport::PerApplication,
};
