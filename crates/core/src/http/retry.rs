//! Which failures are worth another attempt.

use std::time::Duration;

use crate::error::Error;

/// One failed attempt.
pub(crate) struct Failure {
    pub(crate) error: Error,
    /// What the server asked us to wait, replacing the computed backoff.
    pub(crate) server_wait: Option<Duration>,
    /// The answer's HTTP status, when there was an answer.
    pub(crate) status: Option<u16>,
    /// The host could not be reached at all (refused, name not resolved): retried only briefly.
    pub(crate) unreachable: bool,
}

impl Failure {
    /// A failure with no answer from the server.
    pub(crate) fn local(error: Error) -> Self {
        Failure {
            error,
            server_wait: None,
            status: None,
            unreachable: false,
        }
    }
}

/// Whether to try again after `error`.
///
/// Idempotent requests: whatever [`Error::is_retryable`] says, plus 408. Non-idempotent
/// requests only when the server certainly did not act: a rate limit, a 408 (the server did not
/// read the whole request, RFC 9110 §15.5.9) or a connection that was never made. Timeouts,
/// 5xx and connections dropped after sending are ambiguous and go back to the caller
/// (see [`write_reconciled`](super::write_reconciled)).
pub(crate) fn should_retry(error: &Error, idempotent: bool) -> bool {
    let request_timeout = matches!(error, Error::Rejected { status: 408, .. });
    if idempotent {
        error.is_retryable() || request_timeout
    } else {
        request_timeout
            || matches!(
                error,
                Error::RateLimited { .. }
                    | Error::Transport {
                        maybe_sent: false,
                        ..
                    }
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::Vendor;

    fn server() -> Error {
        Error::Server {
            vendor: Vendor::Auth0,
            status: 503,
            message: String::new(),
            request_id: None,
        }
    }

    fn transport(maybe_sent: bool) -> Error {
        Error::Transport {
            vendor: Vendor::Auth0,
            operation: "POST /x".into(),
            message: String::new(),
            maybe_sent,
        }
    }

    #[test]
    fn creates_retry_only_what_certainly_did_not_happen() {
        assert!(should_retry(&server(), true));
        assert!(!should_retry(&server(), false));
        assert!(should_retry(&transport(false), false));
        assert!(!should_retry(&transport(true), false));
        let limited = Error::RateLimited {
            vendor: Vendor::Auth0,
            retry_after: None,
        };
        assert!(should_retry(&limited, false));
        let conflict = Error::Conflict {
            vendor: Vendor::Auth0,
            message: String::new(),
            request_id: None,
        };
        assert!(!should_retry(&conflict, true));
    }
}
