//! Bounds on what onboarding reads from a customer's identity provider.

use std::time::Duration;

/// How much and how long a fetch (or a parse of given text) may take.
///
/// The defaults are [`FetchLimits::saml_metadata`] and [`FetchLimits::discovery`]; a
/// federation's aggregate metadata may need a larger `max_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchLimits {
    /// The largest document accepted, in bytes.
    pub max_bytes: usize,
    /// The time allowed for one fetch, from connecting until the whole body is read.
    pub timeout: Duration,
    /// Redirects followed, each to the same host only.
    pub max_redirects: usize,
}

impl FetchLimits {
    /// For SAML metadata: 4 MiB (a single IdP's metadata is a few KiB; a small federation's a
    /// few hundred), 20 s, 3 same-host redirects.
    pub const fn saml_metadata() -> Self {
        FetchLimits {
            max_bytes: 4 * 1024 * 1024,
            timeout: Duration::from_secs(20),
            max_redirects: 3,
        }
    }

    /// For an OpenID discovery document: 256 KiB (real ones are a few KiB), 10 s, 3 same-host
    /// redirects.
    pub const fn discovery() -> Self {
        FetchLimits {
            max_bytes: 256 * 1024,
            timeout: Duration::from_secs(10),
            max_redirects: 3,
        }
    }

    /// These limits with another size bound.
    pub const fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// These limits with another time bound.
    pub const fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}
