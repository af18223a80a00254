//! idconn-onboard: turn what a customer's IT team hands over into a neutral [`Connection`].
//!
//! - SAML: their IdP's metadata, as XML text, a file or an https URL ([`saml`]).
//! - OIDC: their issuer (or its discovery URL) plus the client id and secret they registered
//!   for us ([`oidc`]), read through OpenID Connect Discovery 1.0.
//!
//! Every call returns an [`Onboarded`]: the connection, and a [`OnboardReport`] with what the
//! neutral model cannot hold (warnings and notes), so nothing the customer sent is dropped
//! silently. Fetches are https only (loopback excepted, for local test identity providers),
//! bounded in size and time, and never follow a redirect to another host ([`FetchLimits`]).
//!
//! ```no_run
//! use idconn_onboard::{MetadataSource, SamlOptions, onboard_saml};
//!
//! # async fn run() -> idconn_core::Result<()> {
//! let source = MetadataSource::from_arg("https://login.example.com/saml/metadata");
//! let onboarded = onboard_saml("acme-sso", &source, &SamlOptions::new()).await?;
//! println!("{}", serde_json::to_string_pretty(&onboarded.connection).unwrap());
//! for warning in &onboarded.report.warnings {
//!     eprintln!("warning: {warning}");
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod fetch;
mod limits;
pub mod oidc;
mod report;
pub mod saml;

pub use limits::FetchLimits;
pub use oidc::{Discovery, OidcOptions, onboard_oidc, resolve_discovery};
pub use report::{OnboardReport, Onboarded};
pub use saml::{MetadataSource, SamlEndpoint, SamlIdp, SamlOptions, onboard_saml};

#[doc(no_inline)]
pub use idconn_core::Connection;
