//! The Auth0 Management API v2 connections endpoints and `/oauth/token`, after
//! Auth0's Management API v2 OpenAPI document and documentation.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use idconn_sim::{Knobs, Sim, auth0::Auth0Sim};
//! let sim = Auth0Sim::new();
//! let handle = Sim::start(sim.clone(), Knobs::default(), 0).await?;
//! // A token without the options scopes, to see options hidden.
//! let token = sim.mint_token(&["read:connections"]);
//! # let _ = (handle, token); Ok(()) }
//! ```

mod apps;
mod auth;
mod clients;
mod connection;
mod errors;
mod list;
mod provisioning;
mod routes;
mod store;
mod validate;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use axum::Router;
use axum::response::{IntoResponse, Response};

pub use auth::ALL_CONNECTION_SCOPES;

use crate::{SimVendor, VendorApi};
use auth::Auth;
use errors::ApiError;
use store::Store;

/// The simulated tenant's domain unless [`Auth0Sim::with_domain`] says otherwise.
pub const DEFAULT_DOMAIN: &str = "idconn-sim.auth0.test";
/// Scopes the default client holds besides [`ALL_CONNECTION_SCOPES`], for tools that also
/// create applications and read provisioning settings (SDK stories, Auth0's Deploy CLI).
pub const TOOL_SCOPES: &[&str] = &[
    "create:clients",
    "read:directory_provisionings",
    "read:scim_config",
];
/// The default machine-to-machine client, granted [`ALL_CONNECTION_SCOPES`] and [`TOOL_SCOPES`].
pub const DEFAULT_CLIENT_ID: &str = "idconnSimClient0000000000000001";
/// The default client's secret.
pub const DEFAULT_CLIENT_SECRET: &str = "idconn-sim-auth0-client-secret";

/// State shared by the routes.
pub(crate) struct Shared {
    auth: Auth,
    store: RwLock<Store>,
    apps: RwLock<apps::Apps>,
    /// `PATCH /connections/{id}/clients` requests answered 204.
    client_patches: AtomicU64,
}

impl Shared {
    fn read_store(&self) -> Result<RwLockReadGuard<'_, Store>, ApiError> {
        self.store.read().map_err(|_| ApiError::internal())
    }

    fn write_store(&self) -> Result<RwLockWriteGuard<'_, Store>, ApiError> {
        self.store.write().map_err(|_| ApiError::internal())
    }
}

/// A simulated Auth0 tenant. Cheap to clone; clones share the tenant, so a test can keep one
/// to mint tokens or add clients after handing another to [`crate::Sim::start`].
#[derive(Clone)]
pub struct Auth0Sim {
    shared: Arc<Shared>,
}

impl Default for Auth0Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Auth0Sim {
    /// A tenant at [`DEFAULT_DOMAIN`] with the default client ([`DEFAULT_CLIENT_ID`],
    /// [`DEFAULT_CLIENT_SECRET`], every connection scope and [`TOOL_SCOPES`]).
    pub fn new() -> Self {
        Self::with_domain(DEFAULT_DOMAIN)
    }

    /// A tenant at `domain` (token audience `https://{domain}/api/v2/`) with the default client.
    pub fn with_domain(domain: &str) -> Self {
        let sim = Auth0Sim {
            shared: Arc::new(Shared {
                auth: Auth::new(domain.to_string()),
                store: RwLock::new(Store::default()),
                apps: RwLock::new(apps::Apps::default()),
                client_patches: AtomicU64::new(0),
            }),
        };
        let scopes: Vec<&str> = ALL_CONNECTION_SCOPES
            .iter()
            .chain(TOOL_SCOPES)
            .copied()
            .collect();
        sim.add_client(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, &scopes);
        sim
    }

    /// Adds (or replaces) a machine-to-machine client granted `scopes`, for example one
    /// without `read:connections_options`.
    pub fn with_client(self, client_id: &str, secret: &str, scopes: &[&str]) -> Self {
        self.add_client(client_id, secret, scopes);
        self
    }

    /// Adds (or replaces) a client on a running tenant.
    pub fn add_client(&self, client_id: &str, secret: &str, scopes: &[&str]) {
        self.shared.auth.add_client(client_id, secret, scopes);
    }

    /// Sets the lifetime of tokens issued from now on (Auth0's default is 86400 s).
    pub fn with_token_lifetime(self, lifetime: Duration) -> Self {
        self.shared.auth.set_lifetime(lifetime);
        self
    }

    /// The tenant's domain.
    pub fn domain(&self) -> &str {
        self.shared.auth.domain()
    }

    /// Issues a Management API token carrying exactly `scopes`, without `/oauth/token`.
    pub fn mint_token(&self, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        self.shared.auth.issue("idconn-sim-minted", &scopes).0
    }

    /// Invalidates every issued token, so the next call with one gets 401 `Invalid token`.
    pub fn revoke_tokens(&self) {
        self.shared.auth.revoke_all();
    }

    /// Adds an application (`GET /api/v2/clients` lists it) and returns its client id.
    pub fn add_application(&self, name: &str, app_type: Option<&str>) -> String {
        let client = self
            .shared
            .apps
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .add(name, app_type);
        client
            .get("client_id")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    /// How many `PATCH /api/v2/connections/{id}/clients` requests succeeded.
    pub fn client_patches(&self) -> u64 {
        self.shared.client_patches.load(Ordering::Relaxed)
    }

    /// How many tokens have been issued (by `/oauth/token` or [`Auth0Sim::mint_token`]).
    pub fn tokens_issued(&self) -> u64 {
        self.shared.auth.issued()
    }
}

impl VendorApi for Auth0Sim {
    fn vendor(&self) -> SimVendor {
        SimVendor::Auth0
    }

    fn add_application(&self, name: &str) -> Option<String> {
        Some(Auth0Sim::add_application(self, name, Some("regular_web")))
    }

    fn router(self: Arc<Self>) -> Router {
        routes::router(self.shared.clone())
    }

    fn env_vars(&self, base_url: &str) -> Vec<(String, String)> {
        vec![
            ("AUTH0_DOMAIN".into(), self.domain().to_string()),
            ("AUTH0_CLIENT_ID".into(), DEFAULT_CLIENT_ID.into()),
            ("AUTH0_CLIENT_SECRET".into(), DEFAULT_CLIENT_SECRET.into()),
            ("AUTH0_BASE_URL".into(), base_url.to_string()),
        ]
    }

    fn connections(&self) -> Vec<serde_json::Value> {
        self.shared
            .store
            .read()
            .map(|store| store.all())
            .unwrap_or_default()
    }

    fn rate_limited(&self, _retry_after: Duration) -> Response {
        // Auth0 does not promise Retry-After on Management API 429s (reference §3.2); the
        // x-ratelimit-* headers the knobs add say when to come back.
        ApiError::too_many_requests().into_response()
    }

    fn server_error(&self) -> Response {
        ApiError::internal().into_response()
    }

    fn sends_rate_limit_headers(&self) -> bool {
        true
    }

    fn is_token_path(&self, path: &str) -> bool {
        path == "/oauth/token"
    }
}
