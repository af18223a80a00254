//! Auth0's error bodies: `{statusCode, error, message, errorCode}` for the Management API
//! and the OAuth `{error, error_description}` shape for
//! `/oauth/token`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A Management API error, answered as `{statusCode, error, message, errorCode}`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    error_code: Option<&'static str>,
    /// Auth0's 401s carry `attributes: {error}` instead of an errorCode (from memory of live
    /// responses; the OAS gives only the message texts).
    attributes: Option<Value>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>, code: &'static str) -> Self {
        ApiError {
            status,
            message: message.into(),
            error_code: Some(code),
            attributes: None,
        }
    }

    /// 400 `invalid_body`: "Payload validation error: '<detail>' on property <path>."
    pub(crate) fn payload(detail: &str, property: Option<&str>) -> Self {
        let message = match property {
            Some(path) => format!("Payload validation error: '{detail}' on property {path}."),
            None => format!("Payload validation error: '{detail}'."),
        };
        ApiError::new(StatusCode::BAD_REQUEST, message, "invalid_body")
    }

    /// 400 `invalid_body` for a body that is not JSON at all.
    pub(crate) fn malformed_body() -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "Invalid request payload JSON format",
            "invalid_body",
        )
    }

    /// 400 `invalid_query_string`: "Query validation error: '<detail>' on property <name>."
    pub(crate) fn query(detail: &str, property: Option<&str>) -> Self {
        let message = match property {
            Some(name) => format!("Query validation error: '{detail}' on property {name}."),
            None => format!("Query validation error: '{detail}'."),
        };
        ApiError::new(StatusCode::BAD_REQUEST, message, "invalid_query_string")
    }

    /// 400 `invalid_query_string` with a free message (the offset cap).
    pub(crate) fn query_message(message: String) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message, "invalid_query_string")
    }

    /// 400 `invalid_uri`: "Path validation error: '<detail>' on property id (...)."
    pub(crate) fn path_id(id: &str) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "Path validation error: 'String does not match pattern {}: {id}' on property id (The id of the connection).",
                super::store::ID_PATTERN
            ),
            "invalid_uri",
        )
    }

    /// 401 without a bearer token.
    pub(crate) fn missing_authentication() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "Missing authentication".into(),
            error_code: None,
            attributes: None,
        }
    }

    /// 401 for a token this tenant did not issue (or revoked).
    pub(crate) fn invalid_token() -> Self {
        ApiError::unauthorized("Invalid token")
    }

    /// 401 for an expired token.
    pub(crate) fn expired_token() -> Self {
        ApiError::unauthorized("Expired token received for JSON Web Token validation")
    }

    fn unauthorized(message: &str) -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: message.into(),
            error_code: None,
            attributes: Some(json!({ "error": message })),
        }
    }

    /// 403 `insufficient_scope`: "Insufficient scope, expected any of: <scope>".
    pub(crate) fn insufficient_scope(scope: &str) -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            format!("Insufficient scope, expected any of: {scope}"),
            "insufficient_scope",
        )
    }

    /// 404 `inexistent_connection`.
    pub(crate) fn not_found() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "The connection does not exist",
            "inexistent_connection",
        )
    }

    /// 404 `inexistent_client`: "The client does not exist" (OAS PATCH /connections/{id}/clients).
    pub(crate) fn client_not_found() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "The client does not exist",
            "inexistent_client",
        )
    }

    /// 404 for a path the API does not serve (Hapi's default body, no errorCode).
    pub(crate) fn no_route() -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: "Not Found".into(),
            error_code: None,
            attributes: None,
        }
    }

    /// 409 `connection_conflict`.
    pub(crate) fn conflict() -> Self {
        ApiError::new(
            StatusCode::CONFLICT,
            "A connection with the same name already exists",
            "connection_conflict",
        )
    }

    /// 413 for a body above the documented 1 MB.
    pub(crate) fn too_large(limit: usize) -> Self {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!("Payload content length greater than maximum allowed: {limit}"),
            error_code: None,
            attributes: None,
        }
    }

    /// 429 `too_many_requests` (verbatim message).
    pub(crate) fn too_many_requests() -> Self {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Global limit has been reached",
            "too_many_requests",
        )
    }

    /// 500 (Hapi's default message).
    pub(crate) fn internal() -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "An internal server error occurred".into(),
            error_code: None,
            attributes: None,
        }
    }

    /// The status answered.
    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "statusCode": self.status.as_u16(),
            "error": self.status.canonical_reason().unwrap_or("Error"),
            "message": self.message,
        });
        if let Some(code) = self.error_code {
            body["errorCode"] = json!(code);
        }
        if let Some(attributes) = self.attributes {
            body["attributes"] = attributes;
        }
        (self.status, Json(body)).into_response()
    }
}

/// An OAuth error of `/oauth/token`: `{error, error_description}`.
pub(crate) fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}
