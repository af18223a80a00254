//! Keycloak's two error bodies, and the answers built from them.
//!
//! Keycloak answers errors in one of two shapes:
//! an explicit `ErrorResponse` is `{"errorMessage": "..."}`, and anything thrown and caught by
//! `KeycloakErrorHandler` is `{"error": "...", "error_description"?: "..."}`, where `error` is
//! the JAX-RS exception's message (`HTTP 404 Not Found`) or `unknown_error`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A refused request: the status and the Keycloak body to answer with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// `{"errorMessage": message}` with `status` (Keycloak's `ErrorResponse.error`/`exists`).
pub(crate) fn error_message(status: StatusCode, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        body: json!({ "errorMessage": message.into() }),
    }
}

/// `{"error": error}` with `status` (a JAX-RS exception through `KeycloakErrorHandler`).
pub(crate) fn error(status: StatusCode, error: impl Into<String>) -> Refusal {
    Refusal {
        status,
        body: json!({ "error": error.into() }),
    }
}

/// `{"error": error, "error_description": description}` with `status`.
pub(crate) fn error_with_description(
    status: StatusCode,
    error: impl Into<String>,
    description: impl Into<String>,
) -> Refusal {
    Refusal {
        status,
        body: json!({ "error": error.into(), "error_description": description.into() }),
    }
}

/// 404 `{"error":"HTTP 404 Not Found"}`: unknown alias, unknown route, malformed `first`/`max`.
pub(crate) fn not_found() -> Refusal {
    error(StatusCode::NOT_FOUND, "HTTP 404 Not Found")
}

/// 401 `{"error":"HTTP 401 Unauthorized"}`: an admin route without a valid bearer token.
pub(crate) fn unauthorized() -> Refusal {
    error(StatusCode::UNAUTHORIZED, "HTTP 401 Unauthorized")
}

/// 403 `{"error":"HTTP 403 Forbidden"}`: a token without the role the route needs.
pub(crate) fn forbidden() -> Refusal {
    error(StatusCode::FORBIDDEN, "HTTP 403 Forbidden")
}

/// 400 `{"error":"invalid_request","error_description":"Cannot parse the JSON"}`: a body that is
/// not JSON, or JSON of the wrong shape (measured on Keycloak 26.7.1, see the module docs of
/// [`super::rep`]).
pub(crate) fn cannot_parse_json() -> Refusal {
    error_with_description(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "Cannot parse the JSON",
    )
}

/// 500 `{"error":"unknown_error","error_description":"For more on this error consult the server log."}`.
pub(crate) fn server_error() -> Refusal {
    error_with_description(
        StatusCode::INTERNAL_SERVER_ERROR,
        "unknown_error",
        "For more on this error consult the server log.",
    )
}
