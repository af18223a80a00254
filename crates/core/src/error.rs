//! The one error type every backend returns.
//!
//! Each backend turns its vendor's error bodies into these variants in exactly one place
//! (its `client.rs` error hook), so callers match on categories, never on vendor strings.

use std::time::Duration;

use crate::policy::Loss;
use crate::vendor::Vendor;

/// Shorthand for `Result<T, idconn_core::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, the same categories for every vendor.
///
/// `Display` is one sentence a person can act on; it never contains a secret or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The connection (or the parent resource it lives under) does not exist.
    #[error("{vendor}: not found: {what}")]
    NotFound {
        /// The vendor that answered.
        vendor: Vendor,
        /// What was looked up, e.g. `connection "acme-sso"`.
        what: String,
    },

    /// The name is already taken (or the vendor refused the write as a duplicate).
    #[error("{vendor}: conflict: {message}{}", request_suffix(.request_id))]
    Conflict {
        /// The vendor that answered.
        vendor: Vendor,
        /// The vendor's message.
        message: String,
        /// The vendor's request id, when it sent one.
        request_id: Option<String>,
    },

    /// Caught locally before any request: a field or setting is not acceptable.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, setting or environment variable at fault (e.g. `name`, `AUTH0_DOMAIN`).
        field: String,
        /// Why it was refused.
        reason: String,
    },

    /// The vendor refused the request (a 4xx the other variants do not cover).
    #[error(
        "{vendor}: request rejected (HTTP {status}{}): {message}{}",
        code_suffix(.code),
        request_suffix(.request_id)
    )]
    Rejected {
        /// The vendor that answered.
        vendor: Vendor,
        /// The HTTP status, or the envelope's status code for vendors that answer errors with HTTP 200.
        status: u16,
        /// The vendor's error code (`errorCode`, `apiCode`, `error`), when it sent one.
        code: Option<String>,
        /// The vendor's message.
        message: String,
        /// The vendor's request id, when it sent one.
        request_id: Option<String>,
    },

    /// The credentials were refused (bad client id/secret, expired or invalid token).
    #[error("{vendor}: unauthorized: {message}")]
    Unauthorized {
        /// The vendor that answered.
        vendor: Vendor,
        /// The vendor's message.
        message: String,
    },

    /// The credentials are valid but lack a permission.
    #[error("{vendor}: forbidden: {message}{}", scope_suffix(.missing_scope))]
    Forbidden {
        /// The vendor that answered.
        vendor: Vendor,
        /// The vendor's message.
        message: String,
        /// The scope the vendor said was missing, when it said so.
        missing_scope: Option<String>,
    },

    /// The vendor's rate limit was hit and the retry budget ran out.
    #[error("{vendor}: rate limited{}", wait_suffix(.retry_after))]
    RateLimited {
        /// The vendor that answered.
        vendor: Vendor,
        /// How long the vendor asked us to wait, when it said.
        retry_after: Option<Duration>,
    },

    /// The target vendor cannot hold what the source connection has; every loss is listed.
    #[error("{vendor} cannot represent connection \"{connection}\" without loss: {}", list_losses(.losses))]
    Unrepresentable {
        /// The target vendor.
        vendor: Vendor,
        /// The connection's name.
        connection: String,
        /// Every loss at once, so the caller fixes them in one pass.
        losses: Vec<Loss>,
    },

    /// The vendor has no such operation or feature.
    #[error("{vendor} does not support {what}")]
    Unsupported {
        /// The vendor asked.
        vendor: Vendor,
        /// The operation or feature, e.g. `renaming a connection`.
        what: String,
    },

    /// The request could not be sent or its answer not read (DNS, TCP, TLS, connection reset).
    #[error("{vendor}: transport error on {operation}: {message}")]
    Transport {
        /// The vendor being called.
        vendor: Vendor,
        /// The operation, e.g. `POST /api/v2/connections`.
        operation: String,
        /// The underlying error, with no URL query or header values.
        message: String,
        /// Whether the request may have reached the server (so a non-idempotent write may have happened).
        maybe_sent: bool,
    },

    /// No answer within the configured time.
    #[error("{vendor}: timed out on {operation} after {elapsed:?}")]
    Timeout {
        /// The vendor being called.
        vendor: Vendor,
        /// The operation, e.g. `GET /api/v2/connections`.
        operation: String,
        /// How long we waited.
        elapsed: Duration,
    },

    /// The vendor's answer did not have the expected shape.
    #[error(
        "{vendor}: could not decode the response at `{path}`: {message} (body starts: {excerpt})"
    )]
    Decode {
        /// The vendor that answered.
        vendor: Vendor,
        /// The JSON path of the bad field, e.g. `connections[3].options.scope`.
        path: String,
        /// What was wrong there.
        message: String,
        /// The first bytes of the body, for a person to recognise it.
        excerpt: String,
    },

    /// The vendor failed on its side (5xx) and the retry budget ran out.
    #[error("{vendor}: server error (HTTP {status}){}: {message}", request_suffix(.request_id))]
    Server {
        /// The vendor that answered.
        vendor: Vendor,
        /// The HTTP status, or the envelope's status code.
        status: u16,
        /// The vendor's message.
        message: String,
        /// The vendor's request id, when it sent one.
        request_id: Option<String>,
    },

    /// The vendor's answer was longer than the configured limit; reading stopped at the limit.
    #[error(
        "{vendor}: the answer to {operation} (HTTP {status}) is longer than the {limit}-byte limit; \
         not read further (raise max_response_bytes if this server really sends that much)"
    )]
    ResponseTooLarge {
        /// The vendor that answered.
        vendor: Vendor,
        /// The operation, e.g. `GET /api/v2/connections`.
        operation: String,
        /// The answer's HTTP status.
        status: u16,
        /// The limit in bytes ([`HttpConfig::max_response_bytes`](crate::http::HttpConfig::max_response_bytes)).
        limit: usize,
    },
}

impl Error {
    /// Whether trying the same request again may succeed: rate limits, server errors,
    /// timeouts and transport failures. Validation, auth and not-found errors never are.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. }
                | Error::Server { .. }
                | Error::Timeout { .. }
                | Error::Transport { .. }
        )
    }

    /// Whether a failed write may nevertheless have been applied by the server: the request
    /// was (or may have been) sent and no answer was read, or the server failed after receiving it.
    /// A create that fails this way must be reconciled (look the name up) before it is retried.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Server { .. } => true,
            Error::Transport { maybe_sent, .. } => *maybe_sent,
            _ => false,
        }
    }

    /// Shorthand for an [`Error::InvalidInput`] naming `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The vendor's request id, where the error carries one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Conflict { request_id, .. }
            | Error::Rejected { request_id, .. }
            | Error::Server { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

fn request_suffix(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" [request id {id}]"))
        .unwrap_or_default()
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref()
        .map(|c| format!(", code {c}"))
        .unwrap_or_default()
}

fn scope_suffix(scope: &Option<String>) -> String {
    scope
        .as_deref()
        .map(|s| format!(" (missing scope {s})"))
        .unwrap_or_default()
}

fn wait_suffix(wait: &Option<Duration>) -> String {
    wait.map(|w| format!(", asked to wait {:.1}s", w.as_secs_f64()))
        .unwrap_or_default()
}

fn list_losses(losses: &[Loss]) -> String {
    losses
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
