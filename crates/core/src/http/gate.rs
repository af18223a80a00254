//! The rate-limit gate: every task sharing a client waits here instead of spending requests on 429s.
//!
//! It mirrors the server's bucket from Auth0's headers (reference/auth0.md §3.2):
//! `x-ratelimit-remaining` is how many more requests the server will take right now, so at most
//! that many (minus the requests already in flight, which it may not have counted yet) are let
//! through. When none are left and nothing is in flight to bring news, the gate closes until
//! `x-ratelimit-reset` (epoch seconds, so at most [`PROBE_INTERVAL`] later is used: a bucket
//! refilling several times a second has tokens long before a whole-second reset shows it), then
//! lets exactly one request through as a probe whose answer re-learns `remaining`. Waiting costs
//! no throughput while the server's bucket is below its burst size, since it refills meanwhile.
//!
//! A 429 (or an envelope-level 429) closes the gate until the server's wait (`Retry-After`,
//! else `x-ratelimit-reset`), then probes the same way. An answer without rate-limit headers
//! opens the gate fully: vendors that do not send them (GenAuth, Keycloak) are only held back
//! by their 429s. A new client probes with one request before sending more, so a burst smaller
//! than the caller's concurrency is learned before it is exceeded.

use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::hints;

/// The longest the gate stays closed on an exhausted bucket without a server-given wait.
pub(crate) const PROBE_INTERVAL: Duration = Duration::from_secs(1);

pub(crate) struct RateGate {
    state: Mutex<GateState>,
    changed: Notify,
}

struct GateState {
    /// Requests that may still be sent; `None` when the server gives no count.
    credits: Option<i64>,
    in_flight: u32,
    /// Nobody sends before this.
    closed_until: Option<Instant>,
    /// The last `x-ratelimit-reset` seen, as an instant.
    reset_at: Option<Instant>,
}

enum Next {
    Sleep(Instant),
    AwaitAnswers,
}

impl RateGate {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(RateGate {
            state: Mutex::new(GateState {
                credits: Some(1),
                in_flight: 0,
                closed_until: None,
                reset_at: None,
            }),
            changed: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // The state stays consistent between statements, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for permission to send. `Err(wait)` when the gate would stay closed past `deadline`
    /// (`wait` is how long from now it would open, zero if unknown).
    pub(crate) async fn acquire(
        self: &Arc<Self>,
        deadline: Instant,
    ) -> Result<GatePermit, Duration> {
        loop {
            let mut notified = pin!(self.changed.notified());
            let next = {
                let mut state = self.lock();
                let now = Instant::now();
                match state.closed_until {
                    Some(until) if until > now => Next::Sleep(until),
                    _ => match state.credits {
                        Some(credits) if credits <= 0 => {
                            if state.in_flight > 0 {
                                notified.as_mut().enable();
                                Next::AwaitAnswers
                            } else {
                                let until = match state.reset_at.filter(|at| *at > now) {
                                    Some(reset) => reset.min(now + PROBE_INTERVAL),
                                    None => now + PROBE_INTERVAL,
                                };
                                state.closed_until = Some(until);
                                state.reset_at = None;
                                state.credits = Some(1);
                                tracing::debug!(
                                    wait_ms = (until - now).as_millis() as u64,
                                    "rate limit: bucket empty, pausing every task"
                                );
                                Next::Sleep(until)
                            }
                        }
                        credits => {
                            state.credits = credits.map(|c| c - 1);
                            state.in_flight += 1;
                            return Ok(GatePermit {
                                gate: Arc::clone(self),
                                observed: false,
                            });
                        }
                    },
                }
            };
            match next {
                Next::Sleep(until) => {
                    if until > deadline {
                        return Err(until.saturating_duration_since(Instant::now()));
                    }
                    tokio::time::sleep_until(until).await;
                }
                Next::AwaitAnswers => {
                    if tokio::time::timeout_at(deadline, notified).await.is_err() {
                        return Err(Duration::ZERO);
                    }
                }
            }
        }
    }
}

/// One request's place in the gate; dropping it frees the place.
pub(crate) struct GatePermit {
    gate: Arc<RateGate>,
    observed: bool,
}

impl GatePermit {
    /// Learns from an answer: its rate-limit headers, whether it was refused as rate limited,
    /// and the wait the server asked for.
    pub(crate) fn observe(
        &mut self,
        headers: &HeaderMap,
        rate_limited: bool,
        wait: Option<Duration>,
    ) {
        self.observed = true;
        let now = Instant::now();
        let mut state = self.gate.lock();
        if let Some(reset) = hints::ratelimit_reset(headers) {
            state.reset_at = Some(now + reset);
        }
        let others_in_flight = i64::from(state.in_flight.saturating_sub(1));
        if rate_limited {
            match wait {
                Some(wait) => {
                    // Closed for the server's wait, then one probe.
                    let until = now + wait;
                    state.closed_until = Some(state.closed_until.map_or(until, |u| u.max(until)));
                    state.credits = Some(1);
                }
                // No wait given: closed for the probe interval once nothing is in flight.
                None => state.credits = Some(0),
            }
        } else if let Some(remaining) = hints::ratelimit_remaining(headers) {
            let remaining = i64::try_from(remaining).unwrap_or(i64::MAX);
            state.credits = Some(remaining - others_in_flight);
        } else {
            state.credits = None;
        }
    }
}

impl Drop for GatePermit {
    fn drop(&mut self) {
        let mut state = self.gate.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        if !self.observed {
            // No answer (transport error, cancelled): the server may not have counted it.
            state.credits = state.credits.map(|c| c + 1);
        }
        drop(state);
        self.gate.changed.notify_waiters();
    }
}
