//! Keycloak's client-credentials token endpoint and the bearer check on admin routes.
//!
//! `POST {prefix}/realms/{realm}/protocol/openid-connect/token`, form-encoded, client
//! credentials in the form or in HTTP Basic. Errors are
//! `{error, error_description}`. Admin routes read `Authorization: Bearer`; ezto's docs print
//! the header as `Authentication`, which Keycloak ignores, so such a request is a 401.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;

use super::errors::{self, Refusal};

/// How long an access token lives (Keycloak's realm default access token lifespan, 5 minutes).
pub(crate) const TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// What a token may do on the identity-provider routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `manage-identity-providers`: read and write.
    Manage,
    /// `view-identity-providers`: read only.
    View,
}

/// A confidential client with a service account.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub(crate) id: String,
    pub(crate) secret: String,
    pub(crate) role: Role,
}

/// The access tokens issued and not yet expired.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    issued: Mutex<HashMap<String, (Instant, Role)>>,
}

impl Tokens {
    /// Issues a token for `client`, shaped like Keycloak's (a JWT; the signature is random).
    pub(crate) fn issue(&self, client: &Client, issuer: &str) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let claims = json!({
            "exp": now + TOKEN_LIFETIME.as_secs(),
            "iat": now,
            "jti": uuid::Uuid::new_v4().to_string(),
            "iss": issuer,
            "typ": "Bearer",
            "azp": client.id,
            "scope": "profile email",
        });
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signature = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes());
        let token = format!("{header}.{payload}.{signature}");
        let mut issued = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if issued.len() > 10_000 {
            issued.retain(|_, (expires, _)| *expires > now);
        }
        issued.insert(token.clone(), (now + TOKEN_LIFETIME, client.role));
        token
    }

    /// The role of the bearer token in `Authorization`, if it is one we issued and it is
    /// still valid.
    pub(crate) fn check(&self, headers: &HeaderMap) -> Option<Role> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let issued = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        let (expires, role) = issued.get(token.trim())?;
        (*expires > Instant::now()).then_some(*role)
    }

    /// Forgets every token, as if they had all expired.
    pub(crate) fn expire_all(&self) {
        self.issued
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// The token endpoint's answer for a form body, given the realm it was posted to.
pub(crate) fn token_response(
    tokens: &Tokens,
    clients: &[Client],
    issuer: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Refusal> {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    // TokenEndpoint checks the grant type before authenticating the client.
    match form.get("grant_type").map(String::as_str) {
        None => {
            return Err(errors::error_with_description(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Missing form parameter: grant_type",
            ));
        }
        Some("client_credentials") => {}
        Some(_) => {
            return Err(errors::error_with_description(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Unsupported grant_type",
            ));
        }
    }
    let (id, secret) = match basic_credentials(headers) {
        Some(pair) => pair,
        None => (
            form.get("client_id").cloned().unwrap_or_default(),
            form.get("client_secret").cloned().unwrap_or_default(),
        ),
    };
    let Some(client) = clients.iter().find(|c| c.id == id && c.secret == secret) else {
        // One message for an unknown client and a wrong secret, so clients cannot be enumerated.
        return Err(errors::error_with_description(
            StatusCode::UNAUTHORIZED,
            "unauthorized_client",
            "Invalid client or Invalid client credentials",
        ));
    };
    let token = tokens.issue(client, issuer);
    Ok((
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(json!({
            "access_token": token,
            "expires_in": TOKEN_LIFETIME.as_secs(),
            "refresh_expires_in": 0,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        })),
    )
        .into_response())
}

/// `Authorization: Basic base64(id:secret)`, each half form-url-decoded (RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((form_decode(id), form_decode(secret)))
}

/// Decodes `+` and `%XX` escapes; a malformed escape is kept as written.
fn form_decode(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                i += 2;
            }
            (other, _, _) => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
