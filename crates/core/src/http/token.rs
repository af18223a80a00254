//! Bearer tokens: where they come from ([`TokenSource`]) and the single-flight cache in front.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use secrecy::SecretString;
use tokio::time::Instant;

use super::client::HttpClient;
use crate::error::Result;

tokio::task_local! {
    /// Set while a [`TokenSource`] runs, to refuse authenticated requests from inside it.
    static FETCHING_TOKEN: ();
}

/// Whether the current task is inside [`TokenSource::fetch`].
pub(crate) fn inside_token_fetch() -> bool {
    FETCHING_TOKEN.try_with(|()| ()).is_ok()
}

/// A freshly issued access token.
///
/// `Debug` redacts the token (it is a [`SecretString`]).
#[derive(Debug)]
pub struct AccessToken {
    /// The bearer token.
    pub token: SecretString,
    /// How long it is valid from now (`expires_in`); `None` keeps it until a 401.
    pub expires_in: Option<Duration>,
}

/// How a backend obtains an access token from its vendor (Auth0 client credentials, GenAuth
/// `get-management-token`, Keycloak's token endpoint).
///
/// Implementations send their request with [`HttpClient::send`] on the client they are given,
/// marked [`ApiRequest::unauthenticated`](super::ApiRequest::unauthenticated), so the token call
/// gets the same timeouts and retries but never recurses into token refresh.
#[async_trait]
pub trait TokenSource: Send + Sync + 'static {
    /// Fetches a new token. Called lazily, once for many concurrent callers.
    async fn fetch(&self, http: &HttpClient) -> Result<AccessToken>;
}

/// How requests are authenticated.
#[derive(Clone)]
pub enum Auth {
    /// No `Authorization` header (e.g. a client that only calls a token endpoint).
    None,
    /// A fixed bearer token (`AUTH0_TOKEN`, `EZTO_TOKEN`); a 401 is returned as is.
    Static(Arc<SecretString>),
    /// Tokens from a [`TokenSource`], cached, refreshed before expiry and once after a 401.
    Source(Arc<dyn TokenSource>),
}

impl Auth {
    /// A fixed bearer token.
    pub fn bearer(token: SecretString) -> Self {
        Auth::Static(Arc::new(token))
    }

    /// Tokens from `source`, cached by the client.
    pub fn source(source: impl TokenSource) -> Self {
        Auth::Source(Arc::new(source))
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::None => "Auth::None",
            Auth::Static(_) => "Auth::Static([REDACTED])",
            Auth::Source(_) => "Auth::Source(..)",
        })
    }
}

/// The token a request was sent with; `generation` tells a 401's refresh whether someone else
/// already replaced it.
#[derive(Clone)]
pub(crate) struct Bearer {
    pub(crate) token: Arc<SecretString>,
    pub(crate) generation: Option<u64>,
}

#[derive(Clone)]
struct Cached {
    token: Arc<SecretString>,
    generation: u64,
    /// From here on, one caller refreshes while the others keep using this token.
    refresh_at: Option<Instant>,
    /// From here on, nobody may use it.
    expires_at: Option<Instant>,
}

impl Cached {
    fn fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }

    fn usable(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }

    fn bearer(&self) -> Bearer {
        Bearer {
            token: Arc::clone(&self.token),
            generation: Some(self.generation),
        }
    }
}

/// Lazy, single-flight token cache (cf. object_store's `TokenCache`).
///
/// One fetch at a time (`fetch_lock`); a token is refreshed early, within a margin of
/// min(60 s, 10 % of its lifetime) before expiry, by whichever caller gets the lock first while
/// the others keep using it; an expired token makes everyone wait for the one fetch.
pub(crate) struct TokenCache {
    source: Arc<dyn TokenSource>,
    current: RwLock<Option<Cached>>,
    fetch_lock: tokio::sync::Mutex<()>,
}

/// The early-refresh margin: min(60 s, lifetime / 10). Keycloak's default lifetime is 60 s,
/// so a fixed 60 s would refresh on every call.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

impl TokenCache {
    pub(crate) fn new(source: Arc<dyn TokenSource>) -> Self {
        TokenCache {
            source,
            current: RwLock::new(None),
            fetch_lock: tokio::sync::Mutex::new(()),
        }
    }

    fn snapshot(&self) -> Option<Cached> {
        // A poisoned lock only means a panic elsewhere; the cached value is still whole.
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn store(&self, cached: Cached) {
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(cached);
    }

    /// A usable token, fetching one only when needed.
    pub(crate) async fn get(&self, http: &HttpClient) -> Result<Bearer> {
        if let Some(cached) = self.snapshot() {
            let now = Instant::now();
            if cached.fresh(now) {
                return Ok(cached.bearer());
            }
            if cached.usable(now) {
                return Ok(self.refresh_early(http, cached).await);
            }
        }
        let _fetching = self.fetch_lock.lock().await;
        if let Some(cached) = self.snapshot().filter(|c| c.usable(Instant::now())) {
            return Ok(cached.bearer());
        }
        self.fetch(http).await
    }

    /// The token is still valid but due: one caller refreshes, the rest use it meanwhile.
    async fn refresh_early(&self, http: &HttpClient, cached: Cached) -> Bearer {
        let Ok(_fetching) = self.fetch_lock.try_lock() else {
            return cached.bearer();
        };
        if let Some(newer) = self
            .snapshot()
            .filter(|c| c.generation != cached.generation)
        {
            return newer.bearer();
        }
        match self.fetch(http).await {
            Ok(bearer) => bearer,
            Err(error) => {
                tracing::warn!(%error, "early token refresh failed; using the current token meanwhile");
                // Try again a quarter of the remaining life later, not on every call.
                let now = Instant::now();
                let mut retry_later = cached.clone();
                retry_later.refresh_at = cached
                    .expires_at
                    .map(|expiry| now + expiry.saturating_duration_since(now) / 4);
                self.store(retry_later);
                cached.bearer()
            }
        }
    }

    /// After a 401 with `rejected`: fetch a new token unless someone already replaced it.
    pub(crate) async fn refresh_after_rejection(
        &self,
        http: &HttpClient,
        rejected: &Bearer,
    ) -> Result<Bearer> {
        let _fetching = self.fetch_lock.lock().await;
        if let Some(cached) = self.snapshot()
            && Some(cached.generation) != rejected.generation
            && cached.usable(Instant::now())
        {
            return Ok(cached.bearer());
        }
        self.fetch(http).await
    }

    /// Fetches and stores a token; the caller holds `fetch_lock`.
    async fn fetch(&self, http: &HttpClient) -> Result<Bearer> {
        let started = Instant::now();
        let AccessToken { token, expires_in } =
            FETCHING_TOKEN.scope((), self.source.fetch(http)).await?;
        let generation = self.snapshot().map_or(1, |c| c.generation + 1);
        let cached = Cached {
            token: Arc::new(token),
            generation,
            // Measured from before the request: the vendor started the clock when it answered.
            refresh_at: expires_in.map(|life| started + life.saturating_sub(refresh_margin(life))),
            expires_at: expires_in.map(|life| started + life),
        };
        tracing::debug!(
            generation,
            lifetime_s = expires_in.map(|d| d.as_secs()),
            "fetched access token"
        );
        self.store(cached.clone());
        Ok(cached.bearer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_scales_with_short_lifetimes() {
        assert_eq!(
            refresh_margin(Duration::from_secs(60)),
            Duration::from_secs(6)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(86_400)),
            Duration::from_secs(60)
        );
    }
}
