//! GenAuth (Authing V3) management API: identity sources (ext-idps) and their connections.
//!
//! Faithful to GenAuth's V3 management API: `/api/v3/<verb-noun>` paths, GET for reads and POST for
//! writes (delete included), the `{statusCode, message, apiCode, requestId, data}` envelope with
//! errors as HTTP 200, real HTTP 429 when throttled, management tokens from
//! `get-management-token` (Bearer or raw, with `x-authing-userpool-id`) and the Node SDK's
//! HMAC-SHA1 request signing.
//!
//! Choices where the vendor says nothing (each documented where it is made):
//! - `get-ext-idp` lists each connection as `ExtIdpConnDetail` plus `fields`, secrets in clear
//!   (`store`); create/update answers omit `fields` as the SPEC's DTO does.
//! - Injected server errors are a real HTTP 500 carrying the envelope (`errors::server_error`).
//! - A connection must sit under a source of its family (`oauth` under `oauth2`, `wechat:pc`
//!   under `wechat`, see `types::ext_idp_type_for`); identifiers are unique per user pool.

mod auth;
mod errors;
mod input;
mod raw_json;
mod routes;
mod signature;
mod store;
mod token;
mod types;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::response::Response;

use crate::{SimVendor, VendorApi};
use auth::Gate;
use signature::NonceLog;
use store::Store;
use token::TokenIssuer;

/// The default user pool id (also the default access key id: a user pool's global key pair is
/// its id and secret, SPEC `GetManagementAccessTokenDto`).
pub const DEFAULT_USERPOOL_ID: &str = "6568f0a1c2b3d4e5f6a7b8c9";
/// The default access key secret.
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "4ae78d3e579a6d0c1aeca7b1e29ec2f0";
/// The default management token lifetime (SPEC `AccessTokenResDto`: 7200 s).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

/// A simulated GenAuth user pool.
pub struct GenAuthSim {
    gate: Gate,
    token_lifetime: Duration,
    store: Mutex<Store>,
}

impl GenAuthSim {
    /// A user pool with the default credentials.
    pub fn new() -> Self {
        Self::with_credentials(
            DEFAULT_USERPOOL_ID,
            DEFAULT_USERPOOL_ID,
            DEFAULT_ACCESS_KEY_SECRET,
        )
    }

    /// A user pool with these credentials.
    pub fn with_credentials(
        userpool_id: &str,
        access_key_id: &str,
        access_key_secret: &str,
    ) -> Self {
        GenAuthSim {
            gate: Gate {
                userpool_id: userpool_id.to_string(),
                access_key_id: access_key_id.to_string(),
                access_key_secret: access_key_secret.to_string(),
                tokens: TokenIssuer::new(),
                nonces: NonceLog::default(),
            },
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            store: Mutex::new(Store::default()),
        }
    }

    /// The same pool issuing tokens that live `lifetime` (to exercise refresh).
    pub fn with_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// The user pool id.
    pub fn userpool_id(&self) -> &str {
        &self.gate.userpool_id
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.gate.access_key_id
    }

    /// The access key secret.
    pub fn access_key_secret(&self) -> &str {
        &self.gate.access_key_secret
    }

    /// Adds an application named `name` (as `create-application` does) and returns its `appId`.
    pub fn add_application(&self, name: &str) -> String {
        self.store()
            .create_app(name.to_string(), None)
            .ok()
            .and_then(|app| app["appId"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The store, locked briefly by each handler (never across an await).
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for GenAuthSim {
    fn default() -> Self {
        Self::new()
    }
}

impl VendorApi for GenAuthSim {
    fn vendor(&self) -> SimVendor {
        SimVendor::GenAuth
    }

    fn add_application(&self, name: &str) -> Option<String> {
        Some(GenAuthSim::add_application(self, name))
    }

    fn router(self: Arc<Self>) -> Router {
        Router::new().fallback(routes::handle).with_state(self)
    }

    fn env_vars(&self, base_url: &str) -> Vec<(String, String)> {
        vec![
            ("GENAUTH_HOST".into(), base_url.to_string()),
            ("GENAUTH_USERPOOL_ID".into(), self.gate.userpool_id.clone()),
            (
                "GENAUTH_ACCESS_KEY_ID".into(),
                self.gate.access_key_id.clone(),
            ),
            (
                "GENAUTH_ACCESS_KEY_SECRET".into(),
                self.gate.access_key_secret.clone(),
            ),
        ]
    }

    fn connections(&self) -> Vec<serde_json::Value> {
        self.store().all_connections()
    }

    fn rate_limited(&self, _retry_after: Duration) -> Response {
        errors::throttled()
    }

    fn server_error(&self) -> Response {
        errors::server_error()
    }

    fn is_token_path(&self, path: &str) -> bool {
        path == routes::TOKEN_PATH
    }
}
