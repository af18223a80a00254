//! The one place a backend teaches the client its vendor's error bodies.

use std::time::Duration;

use super::response::ApiResponse;
use crate::error::Error;
use crate::vendor::Vendor;

/// A vendor's error hook, implemented once per backend.
///
/// The client calls it on **every** response, successful HTTP status or not, because some
/// vendors answer errors with HTTP 200 (GenAuth's envelope `statusCode != 200`). The retry loop
/// classifies with the returned error ([`Error::is_retryable`]), so an envelope-level 5xx or 429
/// is retried like a real one. Returning `None` for a non-2xx answer falls back to
/// [`ApiResponse::status_error`].
///
/// Typical implementation: parse the vendor's error body (e.g. Auth0
/// `{statusCode,error,message,errorCode}`, Keycloak `{errorMessage}` or
/// `{error,error_description}`), fill an [`ErrorDetails`], and call
/// [`ApiResponse::error_from`] for the status-to-category mapping; special-case only what the
/// vendor adds (e.g. Auth0's missing scope in a 403 message).
pub trait VendorErrors: Send + Sync + 'static {
    /// `Some(error)` when `response` is an error, `None` when it is a success.
    fn error_for(&self, response: &ApiResponse) -> Option<Error>;
}

/// The status-only hook: every non-2xx answer becomes [`ApiResponse::status_error`].
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusErrors;

impl VendorErrors for StatusErrors {
    fn error_for(&self, response: &ApiResponse) -> Option<Error> {
        response.status_error()
    }
}

/// What a vendor's error body said, before it becomes an [`Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// The HTTP status, or the envelope's status code for vendors that answer errors with HTTP 200.
    pub status: u16,
    /// The vendor's message, for a person.
    pub message: String,
    /// The vendor's machine code (`errorCode`, `apiCode`, OAuth `error`), when it sent one.
    pub code: Option<String>,
    /// The vendor's request id, when it sent one.
    pub request_id: Option<String>,
    /// For a 403: the scope the vendor said was missing.
    pub missing_scope: Option<String>,
}

impl ErrorDetails {
    /// Details with a status and message only.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ErrorDetails {
            status,
            message: message.into(),
            code: None,
            request_id: None,
            missing_scope: None,
        }
    }

    /// Sets the vendor's error code.
    pub fn with_code(mut self, code: Option<impl Into<String>>) -> Self {
        self.code = code.map(Into::into);
        self
    }

    /// Sets the vendor's request id.
    pub fn with_request_id(mut self, request_id: Option<impl Into<String>>) -> Self {
        self.request_id = request_id.map(Into::into);
        self
    }

    /// Sets the scope a 403 said was missing.
    pub fn with_missing_scope(mut self, scope: Option<impl Into<String>>) -> Self {
        self.missing_scope = scope.map(Into::into);
        self
    }
}

/// The default status-to-category mapping every backend shares:
/// 401 → [`Error::Unauthorized`], 403 → [`Error::Forbidden`], 404 → [`Error::NotFound`],
/// 409 → [`Error::Conflict`], 429 → [`Error::RateLimited`] (with `retry_after`),
/// 5xx → [`Error::Server`], any other status → [`Error::Rejected`]. (408 stays `Rejected`;
/// the retry loop retries it, since the server says it did not read the whole request.)
pub fn map_status(vendor: Vendor, details: ErrorDetails, retry_after: Option<Duration>) -> Error {
    let ErrorDetails {
        status,
        message,
        code,
        request_id,
        missing_scope,
    } = details;
    match status {
        401 => Error::Unauthorized { vendor, message },
        403 => Error::Forbidden {
            vendor,
            message,
            missing_scope,
        },
        404 => Error::NotFound {
            vendor,
            what: message,
        },
        409 => Error::Conflict {
            vendor,
            message,
            request_id,
        },
        429 => Error::RateLimited {
            vendor,
            retry_after,
        },
        500..=599 => Error::Server {
            vendor,
            status,
            message,
            request_id,
        },
        _ => Error::Rejected {
            vendor,
            status,
            code,
            message,
            request_id,
        },
    }
}
