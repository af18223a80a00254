//! The HTTP plumbing every backend shares: one [`HttpClient`] per provider with https
//! enforcement, bearer tokens ([`Auth`], [`TokenSource`], [`ClientCredentials`]) cached
//! single-flight, a rate-limit gate shared by all tasks (with an optional client-side
//! [`RateLimit`] every request waits for), retries with backoff that honour the server's
//! waits, the vendor error hook ([`VendorErrors`]) and reconciliation of writes that must not
//! be repeated blindly ([`write_reconciled`]).
//!
//! A backend's `client.rs` typically holds:
//!
//! ```no_run
//! use idconn_core::http::{ApiRequest, Auth, ClientCredentials, HttpClient, HttpConfig, StatusErrors};
//! use idconn_core::{Result, Vendor};
//! # async fn demo() -> Result<()> {
//! let config = HttpConfig::new(Vendor::Auth0, "https://acme.eu.auth0.com".parse().unwrap());
//! let tokens = ClientCredentials::new("/oauth/token", "client-id", "secret".into())
//!     .with_param("audience", "https://acme.eu.auth0.com/api/v2/");
//! let http = HttpClient::new(config, StatusErrors, Auth::source(tokens))?;
//! let list: serde_json::Value = http
//!     .send_json(ApiRequest::get("/api/v2/connections").query("take", 50).operation("list"))
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Every request is traced in one `http_request` span with `vendor`, `operation`, `method`,
//! `path` (never the query), `status`, `attempt` and `latency_ms`; no token, secret or body is
//! ever recorded.

mod client;
mod client_credentials;
mod config;
mod gate;
mod hints;
mod rate_limit;
mod reconcile;
pub(crate) mod redact;
mod request;
mod response;
mod retry;
mod token;
mod vendor_errors;

pub use client::HttpClient;
pub use client_credentials::ClientCredentials;
pub use config::{DEFAULT_MAX_RESPONSE_BYTES, HttpConfig, RetryConfig};
pub use rate_limit::RateLimit;
pub use reconcile::write_reconciled;
pub use redact::remember as remember_secret;
pub use request::{ApiRequest, segment};
pub use response::{ApiResponse, decode_json};
pub use token::{AccessToken, Auth, TokenSource};
pub use vendor_errors::{ErrorDetails, StatusErrors, VendorErrors, map_status};

/// Re-exported so backends need no direct reqwest or url dependency for these.
pub use reqwest::header::{HeaderMap, HeaderValue};
pub use reqwest::{Method, StatusCode};
pub use url::Url;
