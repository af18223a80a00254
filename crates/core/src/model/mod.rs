//! The neutral model of an identity-provider connection, and idconn's file format.

mod applications;
mod attribute_map;
mod certificate;
mod connection;
mod kind;
mod purpose;
mod secret;
mod secret_ref;
mod settings;

pub use applications::{Application, Applications};
pub use attribute_map::{
    AttributeMap, ClaimOrigin, MappingMode, MappingRule, MappingSource, STANDARD_ATTRIBUTES,
    SyncMode, rewrite_placeholders,
};
pub use certificate::Certificate;
pub use connection::{Connection, Extras};
pub use kind::{ConnectionKind, SocialProvider};
pub use purpose::Purpose;
pub use secret::{ClientSecret, reveal_secrets};
pub use secret_ref::{SecretRef, with_reference_base};
pub use settings::{
    ClientAuthMethod, DirectorySettings, OAuthSettings, OidcChannel, SamlBinding,
    SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm, Settings,
};
