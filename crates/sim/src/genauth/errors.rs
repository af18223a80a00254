//! The `{statusCode, message, apiCode, requestId, data}` envelope and the vendor's errors.
//!
//! Errors come back as HTTP 200 with `statusCode != 200` in the body (SPEC tag
//! `开发准备/错误处理`), except throttling (real HTTP 429) and the
//! simulator's injected server errors (real HTTP 500, see [`server_error`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The documented throttle body, verbatim (SPEC tag `开发准备/接口限流`).
pub const THROTTLE_MESSAGE: &str = "您的请求已超过最大数量限制，请稍后重试";

/// A failure answered in the envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status of the answer (200 for business errors).
    pub http: StatusCode,
    /// The envelope's `statusCode`.
    pub status_code: u16,
    /// The envelope's `apiCode`, for failures with a business meaning.
    pub api_code: Option<u32>,
    /// The envelope's `message`.
    pub message: String,
}

impl ApiError {
    fn business(status_code: u16, message: impl Into<String>) -> Self {
        ApiError {
            http: StatusCode::OK,
            status_code,
            api_code: None,
            message: message.into(),
        }
    }

    /// 400 InvalidArgument: a missing or malformed parameter.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::business(400, message)
    }

    /// 401 Unauthorized, optionally with a signature apiCode (1300-1306).
    pub fn unauthorized(api_code: Option<u32>, message: impl Into<String>) -> Self {
        ApiError {
            api_code,
            ..Self::business(401, message)
        }
    }

    /// 403 Forbidden.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::business(403, message)
    }

    /// 404 NotFound.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::business(404, message)
    }

    /// 409 Conflict: a field clashes with an existing resource.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::business(409, message)
    }

    /// 413 PayloadTooLarge.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::business(413, message)
    }

    /// An unknown route: the web framework's own 404, a real HTTP 404 with the same body shape.
    pub fn no_route(method: &str, path: &str) -> Self {
        ApiError {
            http: StatusCode::NOT_FOUND,
            ..Self::business(404, format!("Cannot {method} {path}"))
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        body.insert("statusCode".into(), json!(self.status_code));
        body.insert("message".into(), json!(self.message));
        if let Some(code) = self.api_code {
            body.insert("apiCode".into(), json!(code));
        }
        body.insert("requestId".into(), json!(request_id()));
        (self.http, axum::Json(Value::Object(body))).into_response()
    }
}

/// A success envelope around `data`.
pub fn success(data: Value) -> Response {
    axum::Json(json!({"statusCode": 200, "message": "", "data": data})).into_response()
}

/// The throttle answer: a real HTTP 429 with the documented body and no `apiCode`; no
/// `Retry-After` header, since none is documented.
pub fn throttled() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        axum::Json(json!({"statusCode": 429, "message": THROTTLE_MESSAGE})),
    )
        .into_response()
}

/// An injected server failure.
///
/// Answered as a real HTTP 500 carrying the envelope with `statusCode: 500`. The vendor's
/// business errors are HTTP 200, but an injected fault stands for a failure below the
/// application (crashed worker, gateway) that reaches clients as a real 5xx; clients must
/// handle both forms (the Go SDK even synthesizes `{statusCode: 500}` for transport errors).
pub fn server_error() -> Response {
    let mut error = ApiError::business(500, "Internal server error");
    error.http = StatusCode::INTERNAL_SERVER_ERROR;
    error.into_response()
}

fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
