//! The knob layer in front of every vendor router: counting, latency, the rate limit, Auth0's
//! rate-limit headers and seeded fault injection.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, Method, Request};
use axum::response::Response;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tower::ServiceExt;

use crate::VendorApi;
use crate::bucket::TokenBucket;
use crate::knobs::{FaultCounts, Knobs};

/// The wait announced with an injected 429 (the bucket itself was not empty).
const INJECTED_RETRY_AFTER: Duration = Duration::from_secs(1);

/// The answer to a request whose `drop_after` fault fired: hyper closes the connection without
/// writing anything, so the client sees a closed connection after its change was applied.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected fault: connection dropped after the change was applied")
    }
}

impl std::error::Error for DropConnection {}

/// What the knobs decided for one request before the vendor sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    /// The bucket was empty.
    Throttled(Duration),
    /// An injected 429.
    InjectedThrottle,
    /// An injected 5xx; the handler does not run.
    ErrorBefore,
    /// The handler runs, then a 5xx.
    ErrorAfter,
    /// The handler runs, then the connection is dropped.
    DropAfter,
    /// The handler runs and its answer goes out.
    Pass,
}

/// Auth0's rate-limit header values, taken when the request was admitted or refused.
#[derive(Debug, Clone, Copy)]
struct Budget {
    limit: u32,
    remaining: u32,
    /// Epoch seconds when the next token is added.
    reset: u64,
}

struct GateState {
    knobs: Knobs,
    bucket: Option<TokenBucket>,
    rng: StdRng,
}

impl GateState {
    fn new(knobs: Knobs, now: Instant) -> Self {
        GateState {
            knobs,
            bucket: knobs.rate_limit.map(|limit| TokenBucket::new(limit, now)),
            rng: StdRng::seed_from_u64(knobs.seed),
        }
    }

    fn budget(&self) -> Budget {
        let now = SystemTime::now();
        match &self.bucket {
            Some(bucket) => {
                let next = now + bucket.until_next_token().unwrap_or(Duration::ZERO);
                Budget {
                    limit: bucket.burst(),
                    remaining: bucket.remaining(),
                    reset: epoch_seconds_rounded_up(next),
                }
            }
            // Unlimited: a bucket that never drains.
            None => Budget {
                limit: u32::MAX,
                remaining: u32::MAX,
                reset: epoch_seconds_rounded_up(now),
            },
        }
    }

    /// One draw per admitted non-token request, so a run with a given seed repeats whatever
    /// the shares. The shares split `[0, 1)`: 429, error before, then (writes only) error after
    /// and drop after.
    fn draw(&mut self, is_write: bool) -> Verdict {
        let faults = self.knobs.faults;
        let roll: f64 = self.rng.random();
        let mut edge = faults.rate_limited;
        if roll < edge {
            return Verdict::InjectedThrottle;
        }
        edge += faults.error_before;
        if roll < edge {
            return Verdict::ErrorBefore;
        }
        if is_write {
            edge += faults.error_after;
            if roll < edge {
                return Verdict::ErrorAfter;
            }
            edge += faults.drop_after;
            if roll < edge {
                return Verdict::DropAfter;
            }
        }
        Verdict::Pass
    }
}

/// The vendor's router with the knobs around it.
pub(crate) struct Gate {
    api: Arc<dyn VendorApi>,
    router: Router,
    counts: Arc<FaultCounts>,
    state: Mutex<GateState>,
}

impl Gate {
    pub(crate) fn new(
        api: Arc<dyn VendorApi>,
        router: Router,
        knobs: Knobs,
        counts: Arc<FaultCounts>,
    ) -> Self {
        Gate {
            api,
            router,
            counts,
            state: Mutex::new(GateState::new(knobs, Instant::now())),
        }
    }

    /// The knobs in force.
    pub(crate) fn knobs(&self) -> Knobs {
        self.lock().knobs
    }

    /// Replaces the knobs: the bucket starts full and the fault generator restarts from the
    /// new seed, as if the server had just started with them. Counters are kept.
    pub(crate) fn set_knobs(&self, knobs: Knobs) {
        *self.lock() = GateState::new(knobs, Instant::now());
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // A panic elsewhere while holding the lock leaves consistent plain data behind.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Serves one request through the knobs.
    pub(crate) async fn serve(&self, request: Request<Body>) -> Result<Response, DropConnection> {
        self.counts.requests.fetch_add(1, Ordering::Relaxed);
        let latency = self.lock().knobs.faults.latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }

        let is_token = self.api.is_token_path(request.uri().path());
        let is_write = is_write(request.method());
        if is_write && !is_token {
            self.counts.writes.fetch_add(1, Ordering::Relaxed);
        }
        let (verdict, budget) = {
            let mut state = self.lock();
            let admitted = match state.bucket.as_mut() {
                Some(bucket) => bucket.try_take(Instant::now()),
                None => Ok(()),
            };
            let verdict = match admitted {
                Err(wait) => Verdict::Throttled(wait),
                Ok(()) if is_token => Verdict::Pass,
                Ok(()) => state.draw(is_write),
            };
            (verdict, state.budget())
        };

        let mut response = match verdict {
            Verdict::Throttled(wait) => self.throttled(wait),
            Verdict::InjectedThrottle => self.throttled(INJECTED_RETRY_AFTER),
            Verdict::ErrorBefore => {
                self.counts.errors_before.fetch_add(1, Ordering::Relaxed);
                self.api.server_error()
            }
            Verdict::Pass | Verdict::ErrorAfter | Verdict::DropAfter => {
                let answer = match self.router.clone().oneshot(request).await {
                    Ok(answer) => answer,
                    Err(never) => match never {},
                };
                match verdict {
                    Verdict::ErrorAfter => {
                        self.counts.errors_after.fetch_add(1, Ordering::Relaxed);
                        self.api.server_error()
                    }
                    Verdict::DropAfter => {
                        self.counts.drops_after.fetch_add(1, Ordering::Relaxed);
                        return Err(DropConnection);
                    }
                    _ => answer,
                }
            }
        };

        if self.api.sends_rate_limit_headers() {
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", HeaderValue::from(budget.limit));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(budget.remaining));
            headers.insert("x-ratelimit-reset", HeaderValue::from(budget.reset));
            if let Verdict::Throttled(wait) = verdict {
                headers
                    .entry(RETRY_AFTER)
                    .or_insert(HeaderValue::from(whole_seconds_rounded_up(wait)));
            } else if verdict == Verdict::InjectedThrottle {
                headers
                    .entry(RETRY_AFTER)
                    .or_insert(HeaderValue::from(whole_seconds_rounded_up(
                        INJECTED_RETRY_AFTER,
                    )));
            }
        }
        Ok(response)
    }

    fn throttled(&self, wait: Duration) -> Response {
        self.counts.rate_limited.fetch_add(1, Ordering::Relaxed);
        self.api.rate_limited(wait)
    }
}

fn is_write(method: &Method) -> bool {
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method)
}

fn whole_seconds_rounded_up(wait: Duration) -> u64 {
    let seconds = wait.as_secs();
    if wait.subsec_nanos() > 0 {
        seconds + 1
    } else {
        seconds
    }
}

fn epoch_seconds_rounded_up(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map(whole_seconds_rounded_up)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knobs::Faults;

    #[test]
    fn rounding_up() {
        assert_eq!(whole_seconds_rounded_up(Duration::ZERO), 0);
        assert_eq!(whole_seconds_rounded_up(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds_rounded_up(Duration::from_secs(2)), 2);
        assert_eq!(whole_seconds_rounded_up(Duration::from_millis(2001)), 3);
    }

    #[test]
    fn reads_never_draw_the_after_faults() {
        let knobs = Knobs {
            faults: Faults {
                error_after: 0.5,
                drop_after: 0.5,
                ..Faults::default()
            },
            ..Knobs::default()
        };
        let mut state = GateState::new(knobs, Instant::now());
        for _ in 0..200 {
            assert_eq!(state.draw(false), Verdict::Pass);
        }
        let writes: Vec<Verdict> = (0..200).map(|_| state.draw(true)).collect();
        assert!(writes.contains(&Verdict::ErrorAfter));
        assert!(writes.contains(&Verdict::DropAfter));
        assert!(!writes.contains(&Verdict::Pass));
    }

    #[test]
    fn the_same_seed_draws_the_same_faults() {
        let knobs = Knobs {
            faults: Faults {
                error_before: 0.3,
                rate_limited: 0.3,
                ..Faults::default()
            },
            seed: 42,
            ..Knobs::default()
        };
        let run = || {
            let mut state = GateState::new(knobs, Instant::now());
            (0..100).map(|_| state.draw(true)).collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }
}
