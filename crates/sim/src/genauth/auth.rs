//! Who may call the management API: a management token (Bearer or raw, with
//! `x-authing-userpool-id`) or the Node SDK's signed requests (reference/genauth.md §2a).

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
        if signature::is_signed(authorization) {
            return signature::verify(
                request,
                authorization,
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
        match header(request.headers, "x-authing-userpool-id") {
            None => Err(ApiError::unauthorized(
                None,
                "the x-authing-userpool-id header is required",
            )),
            Some(sent) if sent != pool || pool != self.userpool_id => Err(ApiError::forbidden(
                format!("the access token is not scoped to user pool {sent}"),
            )),
            Some(_) => Ok(()),
        }
    }
}

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
