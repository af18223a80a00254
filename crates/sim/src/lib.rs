//! Faithful in-process simulators of the Auth0, GenAuth, ezto auth and Keycloak
//! connection-management APIs, for tests, the demo, and other languages' clients (through the `idconn-sim` binary).
//!
//! Each vendor module implements [`VendorApi`]; [`Sim::start`] serves one on 127.0.0.1 with an
//! OS-chosen port, wrapped in the shared [`Knobs`] (rate limit, seeded faults, latency).
//! [`upstream`] plays a customer's identity provider (discovery, JWKS, SAML metadata) for
//! onboarding.
#![warn(missing_docs)]

mod bucket;
mod gate;
mod knob_spec;
mod knobs;
mod server;

pub mod auth0;
pub mod ezto;
pub mod genauth;
pub mod upstream;

pub use knob_spec::KnobParseError;
pub use knobs::{FaultCounts, Faults, Knobs, RateLimit};
pub use server::{Sim, SimHandle};

use std::time::Duration;

use axum::Router;
use axum::response::Response;

/// Which vendor a simulator plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimVendor {
    /// Auth0 Management API v2.
    Auth0,
    /// GenAuth (Authing V3) management API.
    GenAuth,
    /// ezto auth (Keycloak admin API under `/auth`).
    Ezto,
    /// A plain Keycloak 17+ (its admin API at the root, admin tokens from `master`).
    Keycloak,
}

/// One vendor's simulated API: its routes and state, and how it answers the shared knobs.
///
/// Implemented by each vendor module; [`Sim::start`] adds the knobs around [`VendorApi::router`].
pub trait VendorApi: Send + Sync + 'static {
    /// Which vendor this is.
    fn vendor(&self) -> SimVendor;

    /// The vendor's routes, serving this state. Called once when the server starts.
    fn router(self: std::sync::Arc<Self>) -> Router;

    /// The environment variables the `idconn` CLI needs to reach this simulator at `base_url`
    /// (for example `AUTH0_BASE_URL`, `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET`).
    fn env_vars(&self, base_url: &str) -> Vec<(String, String)>;

    /// Every stored connection, as the vendor's own JSON (secrets unmasked), for assertions.
    fn connections(&self) -> Vec<serde_json::Value>;

    /// The vendor's answer when the rate limit refuses a request.
    fn rate_limited(&self, retry_after: Duration) -> Response;

    /// The vendor's answer to an injected server error.
    fn server_error(&self) -> Response;

    /// Whether the vendor sends `x-ratelimit-limit/-remaining/-reset` on every response (Auth0).
    fn sends_rate_limit_headers(&self) -> bool {
        false
    }

    /// Adds an application named `name` to the tenant and returns its id, where the vendor
    /// enables connections per application (Auth0, GenAuth); `None` where every application
    /// may use every connection (Keycloak's realm-wide identity providers).
    fn add_application(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }

    /// Whether a request path is the vendor's token endpoint (never subject to injected faults,
    /// so that faults land on the connection API where tests look for them).
    fn is_token_path(&self, path: &str) -> bool;
}
