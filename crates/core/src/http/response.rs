//! What a vendor answered, and decoding it with the path of any bad field.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::hints;
use super::redact;
use super::vendor_errors::{ErrorDetails, map_status};
use crate::error::{Error, Result};
use crate::vendor::Vendor;

/// A complete answer: status, headers and body, already read.
///
/// `Debug` shows the status, the request line and the body size, never the body.
#[derive(Clone)]
pub struct ApiResponse {
    pub(crate) vendor: Vendor,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) attempts: u32,
}

impl ApiResponse {
    /// Builds a response by hand (for vendor error hooks' unit tests).
    pub fn new(vendor: Vendor, status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Self {
        ApiResponse {
            vendor,
            method: Method::GET,
            path: String::new(),
            status,
            headers,
            body,
            attempts: 1,
        }
    }

    /// The vendor that answered.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// All response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header as text, when present and valid UTF-8 (e.g. `location` after a Keycloak create).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body bytes (empty for 204).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The request's method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request's path (no query).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// How many attempts the request took (1 when the first succeeded). A DELETE that answers
    /// 404 on attempt 2 or later probably deleted on an earlier attempt whose answer was lost.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Decodes the body as JSON. A bad field yields [`Error::Decode`] with its JSON path
    /// (e.g. `connections[3].options.scope`) and a short, secret-free excerpt of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(self.vendor, &self.body)
    }

    /// A short excerpt of the body with secret-looking values replaced by `***`.
    pub fn excerpt(&self) -> String {
        redact::excerpt(&self.body)
    }

    /// The wait the server asked for: `Retry-After` (seconds or HTTP date) or, on a rate-limited
    /// answer, Auth0's `x-ratelimit-reset` (epoch seconds), as a duration from now.
    pub fn server_wait(&self, rate_limited: bool) -> Option<Duration> {
        if rate_limited {
            hints::rate_limit_wait(&self.headers)
        } else {
            hints::retry_after(&self.headers)
        }
    }

    /// The default error for what a vendor's error body said: the status picks the category
    /// (401 Unauthorized, 403 Forbidden, 404 NotFound, 409 Conflict, 429 RateLimited with the
    /// server's wait, 5xx Server, anything else Rejected). Use `details.status` for the
    /// envelope's status when the vendor answers errors with HTTP 200 (GenAuth).
    pub fn error_from(&self, details: ErrorDetails) -> Error {
        let wait = self.server_wait(details.status == 429);
        map_status(self.vendor, details, wait)
    }

    /// The default error for this HTTP status when nothing vendor-specific is known about the
    /// body: `None` for 1xx/2xx, otherwise [`error_from`](Self::error_from) with the body's excerpt
    /// (or the status's reason) as the message.
    pub fn status_error(&self) -> Option<Error> {
        if self.status.is_success() || self.status.is_informational() {
            return None;
        }
        let excerpt = self.excerpt();
        let message = if excerpt.trim().is_empty() {
            self.status
                .canonical_reason()
                .unwrap_or("no message")
                .to_owned()
        } else {
            excerpt
        };
        Some(self.error_from(ErrorDetails::new(self.status.as_u16(), message)))
    }
}

impl fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("vendor", &self.vendor)
            .field("status", &self.status)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body_bytes", &self.body.len())
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// Decodes JSON `body` into `T`, naming the path of the first bad field in [`Error::Decode`].
///
/// The error's message never quotes a value found under a secret-looking key, and its excerpt
/// is redacted the same way.
pub fn decode_json<T: DeserializeOwned>(vendor: Vendor, body: &[u8]) -> Result<T> {
    // The plain decoder first: it is the hot path of every call, and tracking the path costs
    // on every field. Only a failure is decoded again to name where it went wrong.
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(_) => decode_json_with_path(vendor, body),
    }
}

fn decode_json_with_path<T: DeserializeOwned>(vendor: Vendor, body: &[u8]) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| decode_error(vendor, body, Some(e.path()), e.inner()))?;
    deserializer
        .end()
        .map_err(|e| decode_error(vendor, body, None, &e))?;
    Ok(value)
}

fn decode_error(
    vendor: Vendor,
    body: &[u8],
    path: Option<&serde_path_to_error::Path>,
    inner: &serde_json::Error,
) -> Error {
    let shown = path.map(ToString::to_string).unwrap_or_default();
    let shown = if shown.is_empty() || shown == "." {
        "(root)".to_owned()
    } else {
        shown
    };
    let touches_secret = path.is_some_and(crate::json::touches_secret);
    let message = if touches_secret {
        // serde quotes the offending value ("invalid type: string \"...\""): not for a secret.
        format!(
            "invalid value at line {} column {} (not shown: secret field)",
            inner.line(),
            inner.column()
        )
    } else {
        inner.to_string()
    };
    Error::Decode {
        vendor,
        path: shown,
        message,
        excerpt: redact::excerpt(body),
    }
}
