//! The tenant's machine-to-machine clients, `/oauth/token` (client credentials, form or JSON)
//! and the bearer check with per-operation scopes.

use std::collections::{HashMap, HashSet};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::Rng;
use serde_json::{Value, json};

use super::errors::{ApiError, oauth_error};

/// Every scope a connections manager needs, granted to the default
/// client.
pub const ALL_CONNECTION_SCOPES: &[&str] = &[
    "read:connections",
    "create:connections",
    "update:connections",
    "delete:connections",
    "read:connections_options",
    "update:connections_options",
    // GET /api/v2/clients, to resolve application names.
    "read:clients",
];

/// A machine-to-machine application with a client grant on the Management API.
#[derive(Debug, Clone)]
struct M2mClient {
    secret: String,
    scopes: Vec<String>,
}

/// What an access token grants.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    scopes: HashSet<String>,
    expires_at: u64,
}

impl Grant {
    /// Whether the token carries `scope`.
    pub(crate) fn has(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// 403 `insufficient_scope` unless the token carries `scope`.
    pub(crate) fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.has(scope) {
            Ok(())
        } else {
            Err(ApiError::insufficient_scope(scope))
        }
    }
}

/// Clients, issued tokens and the audience they are for.
#[derive(Debug)]
pub(crate) struct Auth {
    domain: String,
    clients: RwLock<HashMap<String, M2mClient>>,
    tokens: RwLock<HashMap<String, Grant>>,
    lifetime: RwLock<Duration>,
    issued: AtomicU64,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Auth {
    pub(crate) fn new(domain: String) -> Self {
        Auth {
            domain,
            clients: RwLock::default(),
            tokens: RwLock::default(),
            // reference/auth0.md §4: "default lifetime 24 h" (expires_in 86400).
            lifetime: RwLock::new(Duration::from_secs(86_400)),
            issued: AtomicU64::new(0),
        }
    }

    pub(crate) fn domain(&self) -> &str {
        &self.domain
    }

    /// The audience `/oauth/token` accepts: `https://{domain}/api/v2/` with the trailing slash.
    pub(crate) fn audience(&self) -> String {
        format!("https://{}/api/v2/", self.domain)
    }

    pub(crate) fn add_client(&self, id: &str, secret: &str, scopes: &[&str]) {
        let client = M2mClient {
            secret: secret.to_string(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        };
        if let Ok(mut clients) = self.clients.write() {
            clients.insert(id.to_string(), client);
        }
    }

    pub(crate) fn set_lifetime(&self, lifetime: Duration) {
        if let Ok(mut l) = self.lifetime.write() {
            *l = lifetime;
        }
    }

    pub(crate) fn revoke_all(&self) {
        if let Ok(mut tokens) = self.tokens.write() {
            tokens.clear();
        }
    }

    pub(crate) fn issued(&self) -> u64 {
        self.issued.load(Ordering::Relaxed)
    }

    /// Issues a token for `scopes` on behalf of `client_id`, JWT-shaped like Auth0's (the
    /// simulator only looks it up; nothing verifies the signature).
    pub(crate) fn issue(&self, client_id: &str, scopes: &[String]) -> (String, u64) {
        let lifetime = self.lifetime.read().map(|l| *l).unwrap_or_default();
        let iat = now_secs();
        let exp = iat + lifetime.as_secs();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT","kid":"idconn-sim"}"#);
        let payload = json!({
            "iss": format!("https://{}/", self.domain),
            "sub": format!("{client_id}@clients"),
            "aud": self.audience(),
            "iat": iat,
            "exp": exp,
            "scope": scopes.join(" "),
            "gty": "client-credentials",
            "azp": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
        });
        let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
        let signature: [u8; 32] = rand::rng().random();
        let token = format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(signature));
        let grant = Grant {
            scopes: scopes.iter().cloned().collect(),
            expires_at: exp,
        };
        if let Ok(mut tokens) = self.tokens.write() {
            tokens.insert(token.clone(), grant);
        }
        self.issued.fetch_add(1, Ordering::Relaxed);
        (token, lifetime.as_secs())
    }

    /// The grant of the request's bearer token, which must carry `scope`.
    pub(crate) fn authorize(&self, headers: &HeaderMap, scope: &str) -> Result<Grant, ApiError> {
        self.authorize_any(headers, &[scope])
    }

    /// The grant of the request's bearer token, which must carry one of `scopes` (the 403
    /// lists them all, as Auth0's "expected any of: a, b").
    pub(crate) fn authorize_any(
        &self,
        headers: &HeaderMap,
        scopes: &[&str],
    ) -> Result<Grant, ApiError> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (kind, token) = v.split_once(' ')?;
                kind.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::missing_authentication)?;
        let grant = self
            .tokens
            .read()
            .ok()
            .and_then(|tokens| tokens.get(token).cloned())
            .ok_or_else(ApiError::invalid_token)?;
        if grant.expires_at <= now_secs() {
            return Err(ApiError::expired_token());
        }
        if scopes.iter().any(|scope| grant.has(scope)) {
            Ok(grant)
        } else {
            Err(ApiError::insufficient_scope(&scopes.join(", ")))
        }
    }

    /// `POST /oauth/token` (client credentials). Credentials in the body (form or JSON) or in
    /// HTTP Basic; errors in the OAuth shape of AUTHN-OAS.
    pub(crate) fn token_endpoint(&self, headers: &HeaderMap, body: &[u8]) -> Response {
        let Some(mut params) = parse_token_body(headers, body) else {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The request body is not valid JSON or form data",
            );
        };
        if let Some((id, secret)) = basic_credentials(headers) {
            params.entry("client_id".into()).or_insert(id);
            params.entry("client_secret".into()).or_insert(secret);
        }
        let grant_type = params.get("grant_type").map(String::as_str).unwrap_or("");
        if grant_type.is_empty() {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Missing required parameter: grant_type",
            );
        }
        if grant_type != "client_credentials" {
            return oauth_error(
                StatusCode::FORBIDDEN,
                "unauthorized_client",
                &format!("Grant type '{grant_type}' not allowed for the client."),
            );
        }
        let client_id = params.get("client_id").cloned().unwrap_or_default();
        let secret = params.get("client_secret").cloned().unwrap_or_default();
        let client = self
            .clients
            .read()
            .ok()
            .and_then(|clients| clients.get(&client_id).cloned());
        let Some(client) = client.filter(|c| !secret.is_empty() && c.secret == secret) else {
            // The live answer to bad credentials (node-auth0 issue 428).
            return oauth_error(StatusCode::UNAUTHORIZED, "access_denied", "Unauthorized");
        };
        match params.get("audience") {
            None => {
                return oauth_error(
                    StatusCode::FORBIDDEN,
                    "access_denied",
                    "No audience parameter was provided, and no default audience has been configured",
                );
            }
            Some(aud) if *aud != self.audience() => {
                return oauth_error(
                    StatusCode::FORBIDDEN,
                    "access_denied",
                    &format!("Service not found: {aud}"),
                );
            }
            Some(_) => {}
        }
        let (token, expires_in) = self.issue(&client_id, &client.scopes);
        Json(json!({
            "access_token": token,
            "expires_in": expires_in,
            "scope": client.scopes.join(" "),
            "token_type": "Bearer",
        }))
        .into_response()
    }
}

/// The token request's parameters, from JSON (string values) or a form; `None` when the body
/// is neither.
fn parse_token_body(headers: &HeaderMap, body: &[u8]) -> Option<HashMap<String, String>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") {
        let value: Value = serde_json::from_slice(body).ok()?;
        let object = value.as_object()?;
        return Some(
            object
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect(),
        );
    }
    Some(url::form_urlencoded::parse(body).into_owned().collect())
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (kind, encoded) = value.split_once(' ')?;
    if !kind.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}
