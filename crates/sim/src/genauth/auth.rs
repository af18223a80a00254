//! Who may call the management API: a management token (Bearer or raw, with
//! `x-authing-userpool-id`) or the Node SDK's signed requests.

use axum::http::HeaderMap;

use super::errors::ApiError;
use super::signature::{self, NonceLog, SignedRequest};
use super::token::TokenIssuer;

/// The user pool's one access key and what it takes to check callers.
pub struct Gate {
    /// The user pool id (`scoped_userpool_id`, `x-authing-userpool-id`).
    pub userpool_id: String,
    /// The access key id (for the user pool's global key, the user pool id itself).
    pub access_key_id: String,
    /// The access key secret.
    pub access_key_secret: String,
    /// Mints and checks tokens.
    pub tokens: TokenIssuer,
    /// Nonces of signed requests.
    pub nonces: NonceLog,
}

impl Gate {
    /// Checks a management call's credentials.
    pub fn check(&self, request: &SignedRequest<'_>) -> Result<(), ApiError> {
        let authorization = header(request.headers, "authorization")
            .ok_or_else(|| ApiError::unauthorized(None, "the authorization header is required"))?;
        if let Some(signed) = signature::signed(authorization) {
            return signature::verify(
                request,
                signed,
                &self.access_key_id,
                &self.access_key_secret,
                &self.nonces,
            );
        }
        // PY/GO send `Bearer <token>`; JAVA sends the bare token (§2a).
        let token = strip_bearer(authorization);
        let pool = self
            .tokens
            .verify(token)
            .map_err(|why| ApiError::unauthorized(None, format!("invalid access token: {why}")))?;
        // The Authing SDKs send `x-authing-userpool-id`, GenAuth's rebranded ones
        // `x-genauth-userpool-id`; either names the pool, and every one sent must match.
        let sent: Vec<&str> = USERPOOL_HEADERS
            .iter()
            .filter_map(|name| header(request.headers, name))
            .collect();
        if sent.is_empty() {
            return Err(ApiError::unauthorized(
                None,
                "the x-authing-userpool-id or x-genauth-userpool-id header is required",
            ));
        }
        match sent
            .into_iter()
            .find(|sent| *sent != pool || pool != self.userpool_id)
        {
            Some(sent) => Err(ApiError::forbidden(format!(
                "the access token is not scoped to user pool {sent}"
            ))),
            None => Ok(()),
        }
    }
}

/// The headers that name the user pool, in either brand.
const USERPOOL_HEADERS: [&str; 2] = ["x-authing-userpool-id", "x-genauth-userpool-id"];

fn strip_bearer(value: &str) -> &str {
    let value = value.trim();
    match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => value,
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}
