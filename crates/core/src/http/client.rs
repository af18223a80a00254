//! The client every backend sends its requests through: auth, rate-limit gate, retries, tracing.

use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::{Instrument, field};
use url::Url;

use super::config::{HttpConfig, RetryConfig};
use super::gate::{GatePermit, RateGate};
use super::redact;
use super::request::ApiRequest;
use super::response::ApiResponse;
use super::retry::{Failure, should_retry};
use super::token::{self, Auth, Bearer, TokenCache};
use super::vendor_errors::VendorErrors;
use crate::error::{Error, Result};
use crate::vendor::Vendor;

/// One provider's HTTP client: a single reqwest connection pool, its auth, its rate-limit gate.
///
/// Cheap to clone (an `Arc`); clones share the pool, the token cache and the gate, so create
/// one per provider and hand clones to concurrent tasks.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: HttpConfig,
    http: reqwest::Client,
    errors: Box<dyn VendorErrors>,
    auth: AuthState,
    gate: Arc<RateGate>,
}

enum AuthState {
    None,
    Static(Bearer),
    Cached(TokenCache),
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("vendor", &self.inner.config.vendor)
            .field("base_url", &self.inner.config.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Builds the client: checks `config` ([`HttpConfig::validate`]: https unless loopback or
    /// `allow_insecure_http`), its headers, and sets up the connection pool.
    pub fn new(config: HttpConfig, errors: impl VendorErrors, auth: Auth) -> Result<Self> {
        config.validate()?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &config.default_headers {
            let (name, value) = header_pair(name, value)?;
            default_headers.insert(name, value);
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .default_headers(default_headers)
            // A redirect could carry the bearer token elsewhere or turn a POST into a GET.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::invalid("http client", e.to_string()))?;
        let auth = match auth {
            Auth::None => AuthState::None,
            Auth::Static(token) => AuthState::Static(Bearer {
                token,
                generation: None,
            }),
            Auth::Source(source) => AuthState::Cached(TokenCache::new(source)),
        };
        let gate = RateGate::new(config.rate_limit);
        Ok(HttpClient {
            inner: Arc::new(Inner {
                config,
                http,
                errors: Box::new(errors),
                auth,
                gate,
            }),
        })
    }

    /// The vendor this client talks to.
    pub fn vendor(&self) -> Vendor {
        self.inner.config.vendor
    }

    /// The base URL request paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.config.base_url
    }

    /// The retry bounds, also used by [`write_reconciled`](super::write_reconciled).
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.config.retry
    }

    /// Sends `request` and returns the answer once it is a success by the vendor's error hook.
    ///
    /// Retries (see [`RetryConfig`]) rate limits, 408, 5xx, timeouts and transport failures of
    /// idempotent requests, waiting what the server asks (`Retry-After`, `x-ratelimit-reset`) or
    /// an exponential, jittered backoff; non-idempotent requests are retried only when the
    /// server certainly did not act (429, 408, connection not made). A 401 on an authenticated
    /// request with a token source refreshes the token once and retries once. The last error is
    /// returned when the bounds run out.
    pub async fn send(&self, request: ApiRequest) -> Result<ApiResponse> {
        let span = tracing::info_span!(
            "http_request",
            vendor = %self.vendor(),
            operation = request.operation,
            method = %request.method,
            path = %request.path,
            status = field::Empty,
            attempt = field::Empty,
            latency_ms = field::Empty,
        );
        self.send_with_retries(&request).instrument(span).await
    }

    /// [`send`](Self::send), then decode the body as JSON ([`ApiResponse::json`]).
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        self.send(request).await?.json()
    }

    async fn send_with_retries(&self, request: &ApiRequest) -> Result<ApiResponse> {
        let span = tracing::Span::current();
        let retry = &self.inner.config.retry;
        let started = Instant::now();
        let deadline = retry.deadline(started);
        let url = self.url_for(request)?;
        if request.authenticated && token::inside_token_fetch() {
            // It would wait for the very token being fetched.
            return Err(Error::invalid(
                "token request",
                "a TokenSource must send its requests with ApiRequest::unauthenticated()",
            ));
        }
        let mut backoff = retry.backoff();
        let mut attempt = 0u32;
        let mut refreshed = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let permit = self.admit(request, deadline).await?;
            // After the gate, so that a long wait there cannot hand out a token about to expire.
            let bearer = if request.authenticated {
                self.bearer().await?
            } else {
                None
            };
            // Last, so that the request goes the moment it holds a token of the client's own
            // bucket (see the gate's docs for why nothing may wait in between).
            self.inner
                .gate
                .pace(deadline)
                .await
                .map_err(|wait| self.rate_limited(wait))?;
            let outcome = self
                .attempt(request, &url, bearer.as_ref(), permit, attempt)
                .await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            let failure = match outcome {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            if let Some(status) = failure.status {
                span.record("status", status);
            }
            if let (Error::Unauthorized { .. }, AuthState::Cached(cache), Some(used), false) =
                (&failure.error, &self.inner.auth, &bearer, refreshed)
            {
                refreshed = true;
                tracing::debug!(attempt, "401: refreshing the token once");
                cache.refresh_after_rejection(self, used).await?;
                continue;
            }
            let max_attempts = if failure.unreachable {
                retry.unreachable_attempts.min(retry.max_attempts)
            } else {
                retry.max_attempts
            };
            if !should_retry(&failure.error, request.idempotent) || attempt >= max_attempts {
                return Err(failure.error);
            }
            let Some(wait) = failure.server_wait.or_else(|| backoff.next()) else {
                return Err(failure.error);
            };
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|at| at > deadline)
            {
                tracing::debug!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "retry budget exhausted"
                );
                return Err(failure.error);
            }
            tracing::info!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                error = %failure.error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Waits at the rate-limit gate. Token requests go around it (they cannot wait behind the
    /// request that needs their token) but still count against it, and still wait for a token
    /// of the client's own bucket ([`HttpConfig::rate_limit`]) like every request.
    async fn admit(&self, request: &ApiRequest, deadline: Instant) -> Result<Option<GatePermit>> {
        if !request.authenticated {
            self.inner.gate.spend_ungated();
            return Ok(None);
        }
        let permit = self
            .inner
            .gate
            .acquire(deadline)
            .await
            .map_err(|wait| self.rate_limited(wait))?;
        Ok(Some(permit))
    }

    /// A wait at the gate or the client's bucket that would end past the retry budget.
    fn rate_limited(&self, wait: std::time::Duration) -> Error {
        Error::RateLimited {
            vendor: self.vendor(),
            retry_after: Some(wait).filter(|w| !w.is_zero()),
        }
    }

    async fn bearer(&self) -> Result<Option<Bearer>> {
        Ok(match &self.inner.auth {
            AuthState::None => None,
            AuthState::Static(bearer) => Some(bearer.clone()),
            AuthState::Cached(cache) => Some(cache.get(self).await?),
        })
    }

    /// One attempt: send, read the whole body, classify with the vendor's hook, teach the gate.
    async fn attempt(
        &self,
        request: &ApiRequest,
        url: &Url,
        bearer: Option<&Bearer>,
        mut permit: Option<GatePermit>,
        attempt: u32,
    ) -> Result<ApiResponse, Failure> {
        let mut builder = self.inner.http.request(request.method.clone(), url.clone());
        for (name, value) in &request.headers {
            let (name, value) = header_pair(name, value).map_err(Failure::local)?;
            builder = builder.header(name, value);
        }
        if let Some(bearer) = bearer {
            // A vendor may quote the header back in an error: scrub the token from what we print.
            super::redact::remember(bearer.token.expose_secret());
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", bearer.token.expose_secret()))
                    .map_err(|_| {
                        Failure::local(Error::invalid(
                            "access token",
                            "contains characters not allowed in an HTTP header",
                        ))
                    })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, body.content_type)
                .body(body.bytes.clone());
        }
        let sent_at = Instant::now();
        let answer = match builder.send().await {
            Ok(answer) => answer,
            Err(e) => {
                // Refused or unresolvable: nothing was sent, and no quick retry will change it.
                let unreachable = e.is_connect() && !e.is_timeout();
                let mut failure = Failure::local(redact::scrub_error(
                    self.transport_error(request, e, sent_at, false),
                ));
                failure.unreachable = unreachable;
                return Err(failure);
            }
        };
        let status = answer.status();
        let headers = answer.headers().clone();
        let body = self.read_body(request, answer, sent_at).await?;
        let response = ApiResponse {
            vendor: self.vendor(),
            method: request.method.clone(),
            path: request.path.clone(),
            status,
            headers,
            body,
            attempts: attempt,
        };
        let error = self
            .inner
            .errors
            .error_for(&response)
            .or_else(|| response.status_error())
            .map(redact::scrub_error);
        let rate_limited = matches!(error, Some(Error::RateLimited { .. }));
        let server_wait = match &error {
            Some(Error::RateLimited { retry_after, .. }) => *retry_after,
            Some(_) => response.server_wait(false),
            None => None,
        };
        if let Some(permit) = permit.as_mut() {
            permit.observe(&response.headers, rate_limited, server_wait);
        }
        tracing::debug!(
            attempt,
            status = status.as_u16(),
            latency_ms = sent_at.elapsed().as_millis() as u64,
            "answer"
        );
        match error {
            None => Ok(response),
            Some(error) => Err(Failure {
                error,
                server_wait,
                status: Some(status.as_u16()),
                unreachable: false,
            }),
        }
    }

    /// Reads the body chunk by chunk, stopping with [`Error::ResponseTooLarge`] as soon as it
    /// would pass [`HttpConfig::max_response_bytes`] (a `Content-Length` over it stops at once).
    async fn read_body(
        &self,
        request: &ApiRequest,
        mut answer: reqwest::Response,
        sent_at: Instant,
    ) -> Result<Vec<u8>, Failure> {
        let limit = self.inner.config.max_response_bytes;
        let status = answer.status().as_u16();
        let too_large = || {
            Failure::local(Error::ResponseTooLarge {
                vendor: self.vendor(),
                operation: format!("{} {}", request.method, request.path),
                status,
                limit,
            })
        };
        let declared = answer.content_length().unwrap_or(0);
        if declared > limit as u64 {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(declared as usize);
        loop {
            match answer.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() > limit => return Err(too_large()),
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => return Ok(body),
                // Headers arrived, so the server got the request: whatever happened, it may have acted.
                Err(e) => {
                    return Err(Failure::local(redact::scrub_error(
                        self.transport_error(request, e, sent_at, true),
                    )));
                }
            }
        }
    }

    fn transport_error(
        &self,
        request: &ApiRequest,
        error: reqwest::Error,
        sent_at: Instant,
        answer_started: bool,
    ) -> Error {
        let operation = format!("{} {}", request.method, request.path);
        if error.is_builder() {
            return Error::invalid("request", describe(error));
        }
        if error.is_connect() && !answer_started {
            // Connecting failed (refused, DNS, TLS, connect timeout): nothing was sent.
            return Error::Transport {
                vendor: self.vendor(),
                operation,
                message: describe(error),
                maybe_sent: false,
            };
        }
        if error.is_timeout() {
            return Error::Timeout {
                vendor: self.vendor(),
                operation,
                elapsed: sent_at.elapsed(),
            };
        }
        Error::Transport {
            vendor: self.vendor(),
            operation,
            message: describe(error),
            maybe_sent: true,
        }
    }

    /// The base URL's path, then the request's path, then its query.
    fn url_for(&self, request: &ApiRequest) -> Result<Url> {
        let path = &request.path;
        if !path.starts_with('/') {
            return Err(Error::invalid(
                "request path",
                format!("`{path}` must start with `/`"),
            ));
        }
        if path.split(['/', '?', '#']).any(is_dot_segment) || path.contains(['?', '#']) {
            return Err(Error::invalid(
                "request path",
                format!(
                    "`{path}` must not contain `.`/`..` segments, `?` or `#`; encode ids with http::segment"
                ),
            ));
        }
        let mut url = self.inner.config.base_url.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        Ok(url)
    }
}

fn is_dot_segment(segment: &str) -> bool {
    matches!(
        segment.to_ascii_lowercase().as_str(),
        "." | ".." | "%2e" | "%2e." | ".%2e" | "%2e%2e"
    )
}

fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(format!("header {name}"), "not a valid header name"))?;
    let header_value = HeaderValue::from_str(value).map_err(|_| {
        Error::invalid(
            format!("header {name}"),
            "value contains characters not allowed in an HTTP header",
        )
    })?;
    Ok((header_name, header_value))
}

/// The error and its causes, without the URL (its query could hold values we never log).
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}
