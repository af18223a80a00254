//! The ezto auth backend of idconn: the identity providers of an ezto workspace, through
//! Keycloak's admin API under the legacy `/auth` prefix (the prefix
//! is configurable, so a plain Keycloak works as well).
//!
//! ```no_run
//! use idconn_core::{Connection, ConnectionKind, IdentityConnectionProvider, OAuthSettings, Policy, Settings};
//! use idconn_eztoauth::EztoProvider;
//! # async fn demo() -> idconn_core::Result<()> {
//! // EZTO_HOST, EZTO_WORKSPACE, EZTO_CLIENT_ID + EZTO_CLIENT_SECRET (or EZTO_TOKEN)
//! let ezto = EztoProvider::from_env()?;
//! let mut google = Connection::new("google", ConnectionKind::Oidc);
//! google.settings = Settings::OAuth(OAuthSettings {
//!     client_id: Some("client".into()),
//!     authorization_url: Some("https://accounts.google.com/o/oauth2/v2/auth".into()),
//!     token_url: Some("https://oauth2.googleapis.com/token".into()),
//!     ..OAuthSettings::default()
//! });
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

use idconn_core::{
    ApplicationSupport, Capabilities, MappingSupport, NameRule, PurposeSupport, Switch,
    TemplateTargets, Vendor,
};

pub use client::EztoProvider;
pub use config::{Config, Credentials, EztoBuilder, EztoConfigKey};

/// `max` when the caller names no page size: Keycloak's own default.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// What ezto (Keycloak identity providers) can hold and do.
pub const CAPABILITIES: Capabilities = Capabilities {
    vendor: Vendor::Ezto,
    name: NameRule {
        max_len: mapping::MAX_ALIAS_LEN,
        description: "no whitespace and none of : / ? # @ ! $ & ( ) * + , ; = [ ] \\",
    },
    // linkOnly forbids signing in; nothing forbids linking; storeToken keeps upstream tokens.
    purpose: PurposeSupport {
        sign_in: Switch::Settable,
        link: Switch::Fixed(true),
        store_tokens: Switch::Settable,
    },
    enabled_flag: true,
    logo: false,
    show_on_login: true,
    max_domains: 0,
    saml: true,
    // Keycloak needs explicit authorizationUrl/tokenUrl.
    oidc_discovery_only: false,
    // GET answers `**********` for the client secret.
    reads_secrets: false,
    // Aliases are immutable (keycloak PR #47805).
    rename: false,
    // Keycloak takes any `max`; this bounds one answer's size.
    max_page_size: 1000,
    // Identity-provider mappers: one source to one target, a syncMode each, no fallback names
    // and no "copy everything" (Keycloak broker mappers).
    attribute_mapping: MappingSupport {
        rules: true,
        modes: &[],
        saml_names: 1,
        claim_origins: false,
        constants: true,
        templates: TemplateTargets::UsernameOnly,
        per_rule_sync: true,
    },
    // Keycloak identity providers are realm-wide: no client representation names them.
    applications: ApplicationSupport::AllOnly,
};
