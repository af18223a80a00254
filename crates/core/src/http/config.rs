//! Settings of one vendor's HTTP client: base URL, timeouts, retry bounds, headers, rate limit.

use std::time::Duration;

use url::Url;

use super::rate_limit::RateLimit;
use crate::error::{Error, Result};
use crate::vendor::Vendor;

/// How one provider's [`HttpClient`](super::HttpClient) talks to its vendor.
///
/// Build it with [`HttpConfig::new`] and adjust the public fields; the client checks it when
/// it is built ([`HttpClient::new`](super::HttpClient::new)).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpConfig {
    /// The vendor, named in every error and tracing span.
    pub vendor: Vendor,
    /// Where request paths are appended, e.g. `https://acme.eu.auth0.com` or
    /// `https://id.example.com/auth`. A path here is a prefix kept in front of every request path.
    pub base_url: Url,
    /// Time allowed for one attempt, from connecting until the whole body is read. Default 30 s.
    pub timeout: Duration,
    /// Time allowed to open a TCP/TLS connection. Default 5 s.
    pub connect_timeout: Duration,
    /// Allow plain `http://` to hosts other than loopback. Default `false`: tokens and client
    /// secrets must not cross a network in clear text.
    pub allow_insecure_http: bool,
    /// Retry bounds and backoff.
    pub retry: RetryConfig,
    /// The `User-Agent` header. Default `idconn/<version>`.
    pub user_agent: String,
    /// Headers sent on every request (e.g. GenAuth's `x-authing-userpool-id`). Not for secrets:
    /// the bearer token is added by the client itself.
    pub default_headers: Vec<(String, String)>,
    /// The largest response body read, in bytes. Default 32 MiB: a page of connections is a
    /// few hundred KiB, so anything near the limit is a misbehaving server. A longer answer
    /// fails with [`Error::ResponseTooLarge`] as soon as the limit is crossed (it is read in
    /// chunks, never whole), and is not retried.
    pub max_response_bytes: usize,
    /// The client's own rate limit: every request, token requests included, waits for a token
    /// of this bucket before it is sent, shared by every task using the client. Default `None`:
    /// only the vendor's hints (rate-limit headers, 429s and their `Retry-After`) hold requests
    /// back, which costs some 429s with vendors that send no counts (GenAuth, Keycloak). Set it
    /// at or below the vendor's limit; the hints are honoured either way.
    pub rate_limit: Option<RateLimit>,
}

/// The default [`HttpConfig::max_response_bytes`]: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

impl HttpConfig {
    /// Settings with the defaults documented on each field.
    pub fn new(vendor: Vendor, base_url: Url) -> Self {
        HttpConfig {
            vendor,
            base_url,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            allow_insecure_http: false,
            retry: RetryConfig::default(),
            user_agent: concat!("idconn/", env!("CARGO_PKG_VERSION")).to_owned(),
            default_headers: Vec::new(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            rate_limit: None,
        }
    }

    /// Adds a header sent on every request.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Checks the base URL: http(s) only, no credentials, query or fragment, and https unless
    /// the host is loopback (127.0.0.0/8, ::1, localhost) or `allow_insecure_http` is set.
    pub fn validate(&self) -> Result<()> {
        let url = &self.base_url;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid(
                "base_url",
                "must not contain credentials; configure them as the provider's credentials",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid(
                "base_url",
                format!("`{url}` must not have a query or fragment"),
            ));
        }
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.allow_insecure_http || crate::validate::is_loopback(url) => Ok(()),
            "http" => Err(Error::invalid(
                "allow_insecure_http",
                format!(
                    "base URL `{url}` uses plain http to a non-loopback host; use https, \
                     or set allow_insecure_http to accept sending tokens in clear text"
                ),
            )),
            other => Err(Error::invalid(
                "base_url",
                format!("`{url}` has scheme `{other}`; expected https"),
            )),
        }
    }
}

/// How hard a request is retried.
///
/// Defaults (close to the `object_store` crate's): at most **8 attempts**,
/// backoff from **200 ms** doubling with jitter up to **15 s** between attempts, and no retry
/// that would end later than **120 s** after the first attempt started. A server's own wait
/// (`Retry-After`, Auth0's `x-ratelimit-reset`) replaces the computed backoff but not the bounds.
///
/// A host that cannot be reached at all (connection refused, a name that does not resolve)
/// will not come back within that budget, so it gets only [`unreachable_attempts`]
/// (default **3**, about a second in all) before its error is returned.
///
/// [`unreachable_attempts`]: RetryConfig::unreachable_attempts
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The first backoff; each later one doubles, plus up to as much again of random jitter.
    pub initial_backoff: Duration,
    /// The longest computed backoff.
    pub max_backoff: Duration,
    /// The time from the first attempt after which no new attempt starts.
    pub total_timeout: Duration,
    /// Attempts in all, the first included, when the connection is refused or the host name
    /// does not resolve (timeouts and server errors keep `max_attempts`).
    pub unreachable_attempts: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 8,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(15),
            total_timeout: Duration::from_secs(120),
            unreachable_attempts: 3,
        }
    }
}

impl RetryConfig {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }

    /// Bounds with the given attempts, first backoff and total time; the cap stays at its default.
    pub fn new(max_attempts: u32, initial_backoff: Duration, total_timeout: Duration) -> Self {
        RetryConfig {
            max_attempts: max_attempts.max(1),
            initial_backoff,
            total_timeout,
            ..RetryConfig::default()
        }
    }

    /// When retrying must stop for a request started at `started`.
    pub(crate) fn deadline(&self, started: tokio::time::Instant) -> tokio::time::Instant {
        // A caller may configure "forever" as Duration::MAX; a year is forever enough.
        started
            .checked_add(self.total_timeout)
            .unwrap_or_else(|| started + Duration::from_secs(365 * 24 * 60 * 60))
    }

    /// The delays between attempts: exponential, jittered, capped, as many as retries allowed.
    pub(crate) fn backoff(&self) -> backon::ExponentialBackoff {
        use backon::BackoffBuilder;
        backon::ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .with_jitter()
            // backon without its `std` feature seeds every generator alike; a random seed keeps
            // clients that fail together from retrying in lockstep.
            .with_jitter_seed(rand::random())
            .with_max_times(self.max_attempts.saturating_sub(1) as usize)
            .build()
    }
}
