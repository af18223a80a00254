//! idconn-core: the neutral connection model, the [`IdentityConnectionProvider`] trait, the one
//! error type, capabilities, translation policy and reports, pagination, shared validation,
//! settings from environment variables ([`env`](mod@env)) and the HTTP plumbing every backend uses.
#![warn(missing_docs)]

mod applications;
pub mod builder;
mod capabilities;
mod compare;
mod credentials;
pub mod env;
mod error;
mod held_secrets;
pub mod http;
pub mod json;
pub mod model;
mod page;
mod policy;
mod provider;
mod read;
pub mod spelling;
pub mod validate;
mod vendor;

pub use applications::{
    ApplicationDirectory, application_switches, enabled_as_applications,
    off_held_as_no_applications,
};
pub use capabilities::{
    ApplicationSupport, Capabilities, MappingSupport, NameRule, PurposeSupport, SamlRequestSupport,
    Switch, TemplateTargets,
};
pub use compare::{changed_fields, purpose_losses};
pub use credentials::Credentials;
pub use error::{Error, Result};
pub use held_secrets::{HELD_SECRETS, held_secret_losses, record_held_secrets};
pub use http::RateLimit;
pub use model::{
    Application, Applications, AttributeMap, Certificate, ClaimOrigin, ClientAuthMethod,
    ClientSecret, Connection, ConnectionKind, DirectorySettings, Extras, MappingMode, MappingRule,
    MappingSource, OAuthSettings, OidcChannel, Purpose, STANDARD_ATTRIBUTES, SamlBinding,
    SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm, SecretRef, Settings, SocialProvider,
    SyncMode, reveal_secrets, rewrite_placeholders, with_reference_base,
};
pub use page::{
    DEFAULT_READ_CONCURRENCY, Listing, Page, PageRequest, Record, list_all, list_all_complete,
    list_records, list_records_complete, read_all, read_all_complete,
};
pub use policy::{Applied, Loss, Mode, Note, Policy, Translation, TranslationReport};
pub use provider::IdentityConnectionProvider;
pub use read::{Lenient, ReadNote, Skipped};
pub use vendor::Vendor;

/// Re-exported so backends and the facade use the same versions as the trait.
pub use async_trait::async_trait;
