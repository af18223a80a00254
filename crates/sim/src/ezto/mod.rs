//! The ezto auth simulator: Keycloak's admin API for identity providers under a configurable
//! prefix (`/auth` by default, as ezto serves it; empty for a plain Keycloak 17+), and the
//! realm's client-credentials token endpoint. [`EztoSim::keycloak`] plays a plain Keycloak: the
//! same API, announced with the `KEYCLOAK_*` variables.
//!
//! Routes:
//! - `POST {prefix}/realms/{realm}/protocol/openid-connect/token`
//! - `GET|POST {prefix}/admin/realms/{workspace}/identity-provider/instances`
//! - `GET|PUT|DELETE {prefix}/admin/realms/{workspace}/identity-provider/instances/{alias}`
//!   (the path segment may also be the provider's `internalId`)
//! - `GET|POST .../instances/{alias}/mappers`, `GET|PUT|DELETE .../mappers/{id}`,
//!   `GET .../instances/{alias}/mapper-types`, `GET .../identity-provider/providers/{providerId}`

mod auth;
mod errors;
mod handlers;
mod mappers;
mod rep;
mod store;
mod validate;
mod write;

use std::collections::BTreeSet;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::{SimVendor, VendorApi};
use auth::{Client, Role, Tokens};
use store::Store;

/// The workspace (Keycloak realm) a default simulator serves.
pub const DEFAULT_WORKSPACE: &str = "idconn";
/// The client id of the default simulator's admin service account.
pub const DEFAULT_CLIENT_ID: &str = "idconn-admin";
/// The client secret of the default simulator's admin service account.
pub const DEFAULT_CLIENT_SECRET: &str = "idconn-admin-secret";
/// ezto's API prefix (Keycloak's legacy `/auth` context path).
pub const DEFAULT_API_PREFIX: &str = "/auth";

/// A simulated ezto auth workspace. Cheap to clone; clones share the stored providers and
/// tokens, so a test can keep one to call [`EztoSim::expire_tokens`] after starting the server.
#[derive(Clone)]
pub struct EztoSim {
    settings: Arc<Settings>,
    shared: Arc<Shared>,
}

struct Settings {
    /// Which product this simulator announces itself as ([`SimVendor::Ezto`] or
    /// [`SimVendor::Keycloak`]): the API is one, the environment variables differ.
    product: SimVendor,
    prefix: String,
    workspace: String,
    token_realm: Option<String>,
    clients: Vec<Client>,
    provider_ids: BTreeSet<String>,
}

#[derive(Default)]
struct Shared {
    store: RwLock<Store>,
    tokens: Tokens,
}

impl Shared {
    fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for EztoSim {
    fn default() -> Self {
        Self::new()
    }
}

impl EztoSim {
    /// Workspace [`DEFAULT_WORKSPACE`] under [`DEFAULT_API_PREFIX`], tokens from the workspace's
    /// own token endpoint for the client [`DEFAULT_CLIENT_ID`] / [`DEFAULT_CLIENT_SECRET`]
    /// (allowed to manage identity providers), and Keycloak's built-in provider ids.
    pub fn new() -> Self {
        EztoSim {
            settings: Arc::new(Settings {
                product: SimVendor::Ezto,
                prefix: DEFAULT_API_PREFIX.to_string(),
                workspace: DEFAULT_WORKSPACE.to_string(),
                token_realm: None,
                clients: vec![Client {
                    id: DEFAULT_CLIENT_ID.to_string(),
                    secret: DEFAULT_CLIENT_SECRET.to_string(),
                    role: Role::Manage,
                }],
                provider_ids: validate::BUILT_IN_PROVIDER_IDS
                    .iter()
                    .map(|id| id.to_string())
                    .collect(),
            }),
            shared: Arc::new(Shared::default()),
        }
    }

    /// A plain Keycloak 17+: the API at the root (no `/auth`), admin tokens from realm
    /// `master` for the client [`DEFAULT_CLIENT_ID`], realm [`DEFAULT_WORKSPACE`] managed, and
    /// [`env_vars`](VendorApi::env_vars) in the `KEYCLOAK_*` names. `with_prefix("/auth")` plays
    /// a Keycloak before 17 (or one started with `--http-relative-path=/auth`).
    pub fn keycloak() -> Self {
        EztoSim::new()
            .with_prefix("")
            .with_token_realm("master")
            .edit(|s| s.product = SimVendor::Keycloak)
    }

    /// Serves the API under `prefix` instead of `/auth`: `""` for a plain Keycloak 17+.
    /// Leading and trailing slashes are normalised (`auth/` becomes `/auth`).
    pub fn with_prefix(self, prefix: &str) -> Self {
        let trimmed = prefix.trim().trim_matches('/');
        let prefix = if trimmed.is_empty() {
            String::new()
        } else {
            format!("/{trimmed}")
        };
        self.edit(|s| s.prefix = prefix)
    }

    /// Serves workspace `workspace` instead of [`DEFAULT_WORKSPACE`].
    pub fn with_workspace(self, workspace: &str) -> Self {
        let workspace = workspace.to_string();
        self.edit(|s| s.workspace = workspace)
    }

    /// Issues tokens from realm `realm` (for example `master`) instead of the workspace.
    pub fn with_token_realm(self, realm: &str) -> Self {
        let realm = realm.to_string();
        self.edit(|s| s.token_realm = Some(realm))
    }

    /// Replaces the admin client's credentials.
    pub fn with_client(self, id: &str, secret: &str) -> Self {
        let client = Client {
            id: id.to_string(),
            secret: secret.to_string(),
            role: Role::Manage,
        };
        self.edit(|s| s.clients[0] = client)
    }

    /// Adds a client that may only read identity providers (`view-identity-providers`): its
    /// writes are answered 403.
    pub fn with_viewer_client(self, id: &str, secret: &str) -> Self {
        let client = Client {
            id: id.to_string(),
            secret: secret.to_string(),
            role: Role::View,
        };
        self.edit(|s| s.clients.push(client))
    }

    /// Registers an extension provider id (for example `apple`, from the community Apple
    /// provider) on top of Keycloak's built-in ones.
    pub fn with_provider_id(self, provider_id: &str) -> Self {
        let provider_id = provider_id.to_string();
        self.edit(|s| {
            s.provider_ids.insert(provider_id);
        })
    }

    /// Invalidates every access token issued so far, as if they had all expired: the next
    /// admin request with one of them is answered 401.
    pub fn expire_tokens(&self) {
        self.shared.tokens.expire_all();
    }

    fn edit(self, change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings {
            product: self.settings.product,
            prefix: self.settings.prefix.clone(),
            workspace: self.settings.workspace.clone(),
            token_realm: self.settings.token_realm.clone(),
            clients: self.settings.clients.clone(),
            provider_ids: self.settings.provider_ids.clone(),
        };
        change(&mut settings);
        EztoSim {
            settings: Arc::new(settings),
            shared: self.shared,
        }
    }

    /// The `KEYCLOAK_*` variables: only those that differ from the Keycloak defaults (no base
    /// path, admin tokens from `master`) are given, as a user of a stock Keycloak would.
    fn keycloak_env_vars(&self, base_url: &str) -> Vec<(String, String)> {
        let s = &self.settings;
        let mut vars = vec![
            ("KEYCLOAK_URL".to_string(), base_url.to_string()),
            ("KEYCLOAK_REALM".to_string(), s.workspace.clone()),
            ("KEYCLOAK_CLIENT_ID".to_string(), s.clients[0].id.clone()),
            (
                "KEYCLOAK_CLIENT_SECRET".to_string(),
                s.clients[0].secret.clone(),
            ),
        ];
        if !s.prefix.is_empty() {
            vars.push(("KEYCLOAK_BASE_PATH".to_string(), s.prefix.clone()));
        }
        if self.token_realm() != "master" {
            vars.push((
                "KEYCLOAK_LOGIN_REALM".to_string(),
                self.token_realm().to_string(),
            ));
        }
        vars
    }

    fn token_realm(&self) -> &str {
        self.settings
            .token_realm
            .as_deref()
            .unwrap_or(&self.settings.workspace)
    }

    /// Keycloak's order on admin routes: authenticate the bearer token (401), find the realm
    /// (404 `Realm not found.`), then check the role (403), before the provider is resolved.
    fn admit(
        &self,
        headers: &HeaderMap,
        workspace: &str,
        need: Role,
    ) -> Result<(), errors::Refusal> {
        let Some(role) = self.shared.tokens.check(headers) else {
            return Err(errors::unauthorized());
        };
        if workspace != self.settings.workspace {
            return Err(errors::error(StatusCode::NOT_FOUND, "Realm not found."));
        }
        if need == Role::Manage && role != Role::Manage {
            return Err(errors::forbidden());
        }
        Ok(())
    }
}

impl VendorApi for EztoSim {
    fn vendor(&self) -> SimVendor {
        self.settings.product
    }

    fn router(self: Arc<Self>) -> Router {
        let prefix = self.settings.prefix.clone();
        let instances = format!("{prefix}/admin/realms/{{workspace}}/identity-provider/instances");
        Router::new()
            .route(
                &format!("{prefix}/realms/{{realm}}/protocol/openid-connect/token"),
                post(handlers::token),
            )
            .route(&instances, get(handlers::list).post(handlers::create))
            .route(
                &format!("{instances}/{{alias}}"),
                get(handlers::get_one)
                    .put(handlers::update)
                    .delete(handlers::delete),
            )
            .route(
                &format!("{instances}/{{alias}}/mappers"),
                get(mappers::list).post(mappers::create),
            )
            .route(
                &format!("{instances}/{{alias}}/mappers/{{id}}"),
                get(mappers::get_one)
                    .put(mappers::update)
                    .delete(mappers::delete),
            )
            .route(
                &format!("{instances}/{{alias}}/mapper-types"),
                get(mappers::mapper_types),
            )
            .route(
                &format!(
                    "{prefix}/admin/realms/{{workspace}}/identity-provider/providers/{{provider_id}}"
                ),
                get(mappers::provider_factory),
            )
            .fallback(handlers::fallback)
            .with_state(self)
    }

    fn env_vars(&self, base_url: &str) -> Vec<(String, String)> {
        if self.settings.product == SimVendor::Keycloak {
            return self.keycloak_env_vars(base_url);
        }
        let s = &self.settings;
        let mut vars = vec![
            ("EZTO_HOST".to_string(), base_url.to_string()),
            ("EZTO_WORKSPACE".to_string(), s.workspace.clone()),
            ("EZTO_CLIENT_ID".to_string(), s.clients[0].id.clone()),
            (
                "EZTO_CLIENT_SECRET".to_string(),
                s.clients[0].secret.clone(),
            ),
        ];
        if s.prefix != DEFAULT_API_PREFIX {
            vars.push(("EZTO_API_PREFIX".to_string(), s.prefix.clone()));
        }
        if let Some(realm) = &s.token_realm {
            vars.push(("EZTO_TOKEN_REALM".to_string(), realm.clone()));
        }
        vars
    }

    fn connections(&self) -> Vec<serde_json::Value> {
        self.shared
            .read()
            .all()
            .map(|idp| idp.to_json(false))
            .collect()
    }

    /// Keycloak has no rate limit of its own and ezto documents none (its status table has no
    /// 429); a gateway in front answers 429 with `Retry-After` in seconds \[inferred\], in
    /// Keycloak's generic error shape.
    fn rate_limited(&self, retry_after: Duration) -> Response {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        let mut response =
            errors::error(StatusCode::TOO_MANY_REQUESTS, "HTTP 429 Too Many Requests")
                .into_response();
        if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }

    fn server_error(&self) -> Response {
        errors::server_error().into_response()
    }

    fn is_token_path(&self, path: &str) -> bool {
        path.strip_prefix(self.settings.prefix.as_str())
            .and_then(|rest| rest.strip_prefix("/realms/"))
            .is_some_and(|rest| rest.ends_with("/protocol/openid-connect/token"))
    }
}
