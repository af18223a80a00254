//! The rate-limit gate: every task sharing a client waits here instead of spending requests on 429s.
//!
//! It mirrors the server's bucket from Auth0's headers. What matters
//! is how many requests the server will still take once everything already sent has been
//! processed (`headroom`). Each answer bounds it from below, whatever order the server
//! processed requests in and their answers arrived in: the server reported
//! `x-ratelimit-remaining` = R after counting this request and every request that had finished
//! before this one was sent; the only ones it may not have counted yet are those whose flight
//! overlapped this one's, so at worst all of those still come out of R. The gate keeps the best
//! such bound, takes one off for every request it lets through, and lets one through only while
//! the bound stays positive. Refills only ever add to the truth, so the bound stays safe. (A
//! simpler "remaining minus requests in flight" is not: an answer delayed in transit reports a
//! count from before requests whose answers arrived first.)
//!
//! When nothing may be sent and nothing is in flight to bring news, the gate closes, then lets
//! exactly one request through as a probe, whose answer re-learns the count. It stays closed
//! until `x-ratelimit-reset` (epoch seconds), never more than [`PROBE_INTERVAL`], and, once the
//! refill rate is known, only until about half the bucket (`x-ratelimit-limit`) has refilled:
//! a whole-second reset alone would let a bucket that refills faster than its size per second
//! overflow while everyone waits. The rate is learned from the probes: requests gained between
//! the last count seen before closing and the probe's answer, over the time between.
//!
//! A 429 (or an envelope-level 429) closes the gate until the server's wait (`Retry-After`,
//! else `x-ratelimit-reset`), then probes the same way. Answers without rate-limit headers
//! from a vendor that never sends them (GenAuth, Keycloak) open the gate fully: such vendors
//! are only held back by their 429s. A new client probes with one request before sending more, so a burst smaller
//! than the caller's concurrency is learned before it is exceeded.
//!
//! A client configured with a [`RateLimit`] also keeps that limit itself ([`RateGate::pace`]):
//! every request, token requests included, takes a token from the client's own bucket
//! ([`Pacer`]) after the gate let it through and its bearer token is at hand, just before it is
//! sent. Nothing then depends on the vendor's headers, so a vendor that sends no counts (or a
//! limit shared with other clients) meets no 429s, while the gate still honours every hint and
//! 429 the server does send. The token is taken last because a request that holds one and then
//! waits (for a bearer token that is itself queued behind every other request, say) spends it
//! late: if the server's bucket filled up meanwhile, the late ones arrive together on top of a
//! full burst.

use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::hints;
use super::rate_limit::{Pacer, RateLimit};

/// The longest the gate stays closed on an empty bucket without a server-given wait.
pub(crate) const PROBE_INTERVAL: Duration = Duration::from_secs(1);

pub(crate) struct RateGate {
    state: Mutex<GateState>,
    changed: Notify,
    /// The client's own limit, when one is configured.
    pacer: Option<Pacer>,
}

struct GateState {
    /// A lower bound of the requests the server will still take once everything in flight is
    /// processed; `None` when the server reports no count (no limit known).
    headroom: Option<i64>,
    /// Requests let through whose answers have not arrived.
    in_flight: u32,
    /// Requests let through so far.
    issued: u64,
    /// Requests finished (answered, failed or cancelled) so far.
    finished: u64,
    /// Tasks inside `acquire`: how many requests want to go as soon as the gate opens.
    waiting: u32,
    /// Nobody sends before this.
    closed_until: Option<Instant>,
    /// The next permit handed out is a probe, allowed whatever the bound says.
    probe_pending: bool,
    /// The last `x-ratelimit-reset` seen, as an instant.
    reset_at: Option<Instant>,
    /// `x-ratelimit-limit`: the bucket size.
    limit: Option<u64>,
    /// The last `x-ratelimit-remaining` and when it arrived.
    last_remaining: Option<(Instant, u64)>,
    /// Learned refill rate, requests per second.
    refill_rate: Option<f64>,
    /// The count the pending probe's answer is compared with to learn the refill rate.
    probe_baseline: Option<(Instant, u64)>,
    /// The most requests in flight at once, for servers that send no counts; `None` until the
    /// first 429 from such a server.
    window: Option<f64>,
    /// `issued` when the window was last cut: 429s to requests let through before then belong
    /// to the same burst and do not cut it again.
    window_cut_at: u64,
}

enum Next {
    Sleep(Instant),
    AwaitAnswers,
}

impl RateGate {
    /// A gate that knows nothing of the server yet, pacing requests to `limit` when given.
    pub(crate) fn new(limit: Option<RateLimit>) -> Arc<Self> {
        Arc::new(RateGate {
            state: Mutex::new(GateState {
                // Nothing known yet: one probe first, the rest wait for its answer.
                headroom: Some(0),
                in_flight: 0,
                issued: 0,
                finished: 0,
                waiting: 0,
                closed_until: None,
                probe_pending: true,
                reset_at: None,
                limit: None,
                last_remaining: None,
                refill_rate: None,
                probe_baseline: None,
                window: None,
                window_cut_at: 0,
            }),
            changed: Notify::new(),
            pacer: limit.map(Pacer::new),
        })
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // The state stays consistent between statements, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a token of the client's own bucket, when a limit is configured: the last wait
    /// before a request is sent, gated or not. `Err(wait)` at once when the token would come
    /// after `deadline` (`wait` is how long from now it would come).
    pub(crate) async fn pace(&self, deadline: Instant) -> Result<(), Duration> {
        match &self.pacer {
            Some(pacer) => pacer.take(deadline).await,
            None => Ok(()),
        }
    }

    /// Waits for permission to send. `Err(wait)` when the gate would stay closed past `deadline`
    /// (`wait` is how long from now it would open, zero if unknown).
    pub(crate) async fn acquire(
        self: &Arc<Self>,
        deadline: Instant,
    ) -> Result<GatePermit, Duration> {
        let _waiting = Waiting::enter(self);
        loop {
            let mut notified = pin!(self.changed.notified());
            let next = {
                let mut state = self.lock();
                let now = Instant::now();
                match state.closed_until {
                    Some(until) if until > now => Next::Sleep(until),
                    _ if state.probe_pending || state.may_send() => {
                        let probe = std::mem::take(&mut state.probe_pending);
                        state.in_flight += 1;
                        state.issued += 1;
                        state.headroom = state.headroom.map(|h| h - 1);
                        return Ok(GatePermit {
                            gate: Arc::clone(self),
                            observed: false,
                            probe,
                            finished_before: state.finished,
                            issued_as: state.issued,
                        });
                    }
                    _ if state.in_flight > 0 => {
                        notified.as_mut().enable();
                        Next::AwaitAnswers
                    }
                    _ => {
                        let wait = state.idle_wait(now);
                        state.closed_until = Some(now + wait);
                        state.reset_at = None;
                        state.probe_pending = true;
                        state.probe_baseline = state.last_remaining;
                        tracing::debug!(
                            wait_ms = wait.as_millis() as u64,
                            "rate limit: bucket empty, pausing every task"
                        );
                        Next::Sleep(now + wait)
                    }
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

impl RateGate {
    /// Counts a request sent around the gate (a token request, which cannot wait behind the
    /// request that needs its token; it still waits in [`pace`](Self::pace)): some vendors
    /// draw it from the same bucket, so it comes off the bound as if it did.
    pub(crate) fn spend_ungated(&self) {
        let mut state = self.lock();
        state.headroom = state.headroom.map(|h| h - 1);
    }
}

impl GateState {
    /// Whether the server certainly has room for one more request.
    fn may_send(&self) -> bool {
        self.headroom.is_none_or(|headroom| headroom > 0)
            && self
                .window
                .is_none_or(|window| f64::from(self.in_flight) < window.floor())
    }

    /// A 429 from a server that sends no counts, to the request let through as number
    /// `issued_as`: halve what may be in flight, once per burst.
    fn shrink_window(&mut self, issued_as: u64) {
        if self.window.is_some() && issued_as <= self.window_cut_at {
            return;
        }
        let in_flight = f64::from(self.in_flight);
        let current = self.window.map_or(in_flight, |w| w.min(in_flight));
        self.window = Some((current / 2.0).max(1.0));
        self.window_cut_at = self.issued;
    }

    /// An answer that passed from a server that sends no counts: one more request in flight
    /// for every window's worth of them.
    fn grow_window(&mut self) {
        if let Some(window) = self.window.as_mut() {
            *window += 1.0 / *window;
        }
    }

    /// How long to stay closed on an empty bucket before the probe.
    fn idle_wait(&self, now: Instant) -> Duration {
        let until_reset = self
            .reset_at
            .filter(|at| *at > now)
            .map_or(PROBE_INTERVAL, |at| at - now);
        let cap = until_reset.clamp(Duration::from_millis(1), PROBE_INTERVAL);
        match self.refill_rate.filter(|rate| *rate > 0.0) {
            Some(rate) => {
                // Half a bucket, or fewer if fewer requests are waiting (the tail of a batch).
                let half = self.limit.map_or(1, |limit| (limit / 2).max(1));
                let target = half.min(u64::from(self.waiting)).max(1);
                Duration::from_secs_f64(target as f64 / rate).clamp(Duration::from_millis(1), cap)
            }
            None => cap,
        }
    }

    /// Learns the refill rate from the probe's answer: tokens gained since the last count seen
    /// before closing (the probe took one), over the time between, counted low. A bucket found full only
    /// gives a lower bound; a refused probe halves the estimate.
    fn learn_refill_rate(&mut self, now: Instant, remaining: Option<u64>, rate_limited: bool) {
        let Some((since, before)) = self.probe_baseline.take() else {
            return;
        };
        if rate_limited {
            self.refill_rate = self.refill_rate.map(|rate| rate / 2.0);
            return;
        }
        let elapsed = now.duration_since(since).as_secs_f64();
        let Some(after) = remaining.filter(|_| elapsed > 0.0) else {
            return;
        };
        // `remaining` is rounded down, so the baseline may have been almost one higher: this
        // sample (gained = after + 1 - (before + 1)) never overestimates the refill.
        let sample = after.saturating_sub(before) as f64 / elapsed;
        let full = self.limit.is_some_and(|limit| after + 1 >= limit);
        self.refill_rate = Some(match self.refill_rate {
            None => sample,
            Some(rate) if full => rate.max(sample),
            Some(rate) => (rate + sample) / 2.0,
        });
        tracing::debug!(
            rate = self.refill_rate,
            full,
            "rate limit: refill rate learned"
        );
    }
}

/// Counts a task as waiting in [`RateGate::acquire`] for as long as it is there.
struct Waiting<'a>(&'a RateGate);

impl<'a> Waiting<'a> {
    fn enter(gate: &'a RateGate) -> Self {
        gate.lock().waiting += 1;
        Waiting(gate)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.waiting = state.waiting.saturating_sub(1);
    }
}

/// One request's place in the gate; dropping it frees the place.
pub(crate) struct GatePermit {
    gate: Arc<RateGate>,
    observed: bool,
    /// The one request let through after the gate closed on an empty bucket.
    probe: bool,
    /// Requests finished before this one was let through: the server counted all of them first.
    finished_before: u64,
    /// This request's number in the order the gate let requests through.
    issued_as: u64,
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
            // The latest one: an answer delayed in transit may carry an earlier, stale reset.
            let reset = now + reset;
            state.reset_at = Some(state.reset_at.map_or(reset, |at| at.max(reset)));
        }
        if let Some(limit) = hints::ratelimit_limit(headers) {
            state.limit = Some(limit);
        }
        let remaining = hints::ratelimit_remaining(headers);
        if self.probe {
            state.learn_refill_rate(now, remaining, rate_limited);
        }
        // Requests whose flight overlapped this one's: the server may not have counted them.
        let overlapping =
            i64::try_from(state.issued - self.finished_before - 1).unwrap_or(i64::MAX);
        if remaining.is_none() {
            if rate_limited {
                state.shrink_window(self.issued_as);
            } else {
                state.grow_window();
            }
        }
        if rate_limited {
            // Empty when this was refused: never believe more than that allows.
            let bound = -overlapping;
            state.headroom = Some(state.headroom.map_or(bound, |h| h.min(bound)));
            if let Some(wait) = wait {
                // Closed for the server's wait, then one probe.
                // A hook's own `retry_after` may be anything; a day is as good as forever here.
                let until = now + wait.min(Duration::from_secs(24 * 60 * 60));
                state.closed_until = Some(state.closed_until.map_or(until, |u| u.max(until)));
                state.probe_pending = true;
                state.probe_baseline = None;
            }
        } else if let Some(remaining) = remaining {
            state.last_remaining = Some((now, remaining));
            let bound = i64::try_from(remaining).unwrap_or(i64::MAX) - overlapping;
            state.headroom = Some(state.headroom.map_or(bound, |h| h.max(bound)));
        } else if state.last_remaining.is_none() {
            // This vendor sends no counts: only its 429s hold the gate back.
            state.headroom = None;
        }
        // else: a vendor that sends counts answered without one (a proxy's error page, say):
        // no news, so the bound stands.
    }
}

impl Drop for GatePermit {
    fn drop(&mut self) {
        let mut state = self.gate.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        state.finished += 1;
        if !self.observed && self.probe {
            // The probe brought no news (transport error, cancelled): let another one go.
            state.probe_pending = true;
        }
        drop(state);
        self.gate.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn counts(remaining: u64) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("50"));
        headers.insert(
            "x-ratelimit-remaining",
            HeaderValue::from_str(&remaining.to_string()).unwrap(),
        );
        headers
    }

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    fn headroom(gate: &RateGate) -> Option<i64> {
        gate.lock().headroom
    }

    /// Answers `refused` with a 429 asking for 30 s, then tries to acquire with a budget of
    /// 1 s: the wait the gate says it would take.
    async fn refuse_for_30_seconds(gate: &Arc<RateGate>, mut refused: GatePermit) -> Duration {
        refused.observe(&HeaderMap::new(), true, Some(Duration::from_secs(30)));
        drop(refused);
        gate.acquire(Instant::now() + Duration::from_secs(1))
            .await
            .err()
            .unwrap()
    }

    #[tokio::test]
    async fn an_answer_delayed_in_transit_cannot_raise_the_bound() {
        let gate = RateGate::new(None);
        let mut probe = gate.acquire(far()).await.unwrap();
        probe.observe(&counts(10), false, None);
        drop(probe);
        let mut permits = Vec::new();
        for _ in 0..5 {
            permits.push(gate.acquire(far()).await.unwrap());
        }
        // The server handled the fifth first (9 left), then the others (8, 7, 6, 5), and the
        // fifth's answer arrives last: 5 are left, whatever that late answer says.
        let mut fifth = permits.pop().unwrap();
        for (permit, remaining) in permits.iter_mut().zip([8, 7, 6, 5]) {
            permit.observe(&counts(remaining), false, None);
        }
        drop(permits);
        fifth.observe(&counts(9), false, None);
        drop(fifth);
        assert!(headroom(&gate).unwrap() <= 5, "{:?}", headroom(&gate));
    }

    #[tokio::test]
    async fn an_answer_without_counts_is_no_news_once_counts_were_seen() {
        let gate = RateGate::new(None);
        let mut probe = gate.acquire(far()).await.unwrap();
        probe.observe(&counts(3), false, None);
        drop(probe);
        let mut permit = gate.acquire(far()).await.unwrap();
        permit.observe(&HeaderMap::new(), false, None);
        drop(permit);
        assert_eq!(headroom(&gate), Some(2));
    }

    #[tokio::test]
    async fn a_vendor_without_counts_is_held_back_only_by_its_429s() {
        let gate = RateGate::new(None);
        let mut probe = gate.acquire(far()).await.unwrap();
        probe.observe(&HeaderMap::new(), false, None);
        drop(probe);
        assert_eq!(headroom(&gate), None);
        let permits: Vec<_> = futures::future::join_all((0..20).map(|_| gate.acquire(far())))
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(permits.len(), 20);
        let refused = permits.into_iter().next().unwrap();
        // Closed for the server's 30 s: a caller with a 1 s budget is told how long.
        let error = refuse_for_30_seconds(&gate, refused).await;
        assert!(error > Duration::from_secs(28), "{error:?}");
    }

    #[tokio::test]
    async fn a_new_gate_lets_one_probe_through_first() {
        let gate = RateGate::new(None);
        let _probe = gate.acquire(far()).await.unwrap();
        let second = tokio::time::timeout(Duration::from_millis(50), gate.acquire(far())).await;
        assert!(
            second.is_err(),
            "a second request went before the probe's answer"
        );
    }

    fn since(start: Instant) -> Duration {
        Instant::now() - start
    }

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    /// What the client does before sending: the gate, then the client's bucket.
    async fn admit(gate: &Arc<RateGate>) -> GatePermit {
        let permit = gate.acquire(far()).await.unwrap();
        gate.pace(far()).await.unwrap();
        permit
    }

    /// A token request: around the gate, through the client's bucket.
    async fn token_request(gate: &RateGate) {
        gate.spend_ungated();
        gate.pace(far()).await.unwrap();
    }

    /// A gate paced to `limit` whose probe has been answered without counts (GenAuth,
    /// Keycloak), so only the client's own bucket holds requests back.
    async fn paced(limit: &str) -> Arc<RateGate> {
        let gate = RateGate::new(Some(limit.parse().unwrap()));
        let mut probe = admit(&gate).await;
        probe.observe(&HeaderMap::new(), false, None);
        drop(probe);
        gate
    }

    #[tokio::test(start_paused = true)]
    async fn a_configured_limit_paces_every_request_token_requests_included() {
        let start = Instant::now();
        // Burst 4 (3 at once, one kept in hand), 4/s: the probe and a token request take two
        // tokens at once...
        let gate = paced("4/4").await;
        token_request(&gate).await;
        assert_eq!(since(start), Duration::ZERO);
        // ...so of six concurrent requests one goes at once, the rest every 250 ms.
        let sent = futures::future::join_all((0..6).map(|_| async {
            let permit = admit(&gate).await;
            let at = since(start);
            drop(permit);
            at
        }))
        .await;
        assert_eq!(sent, ms(&[0, 250, 500, 750, 1000, 1250]));
        // A token request waits its turn like any other.
        token_request(&gate).await;
        assert_eq!(since(start), Duration::from_millis(1500));
    }

    #[tokio::test(start_paused = true)]
    async fn the_limit_is_shared_by_every_task_of_a_client() {
        let start = Instant::now();
        let gate = paced("3/10").await;
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let gate = Arc::clone(&gate);
                tokio::spawn(async move {
                    let _permit = admit(&gate).await;
                    since(start)
                })
            })
            .collect();
        let mut sent = Vec::new();
        for task in tasks {
            sent.push(task.await.unwrap());
        }
        sent.sort();
        // The probe took one of the two tokens a burst of 3 spends at once.
        assert_eq!(sent, ms(&[0, 100, 200, 300, 400]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_for_a_token_past_the_deadline_is_refused_without_taking_it() {
        let gate = paced("1/1").await;
        let soon = Instant::now() + Duration::from_millis(400);
        assert_eq!(gate.pace(soon).await.err(), Some(Duration::from_secs(1)));
        assert_eq!(gate.pace(soon).await.err(), Some(Duration::from_secs(1)));
        // Neither refusal took a token: the next one is still due at 1 s.
        let start = Instant::now();
        let _permit = admit(&gate).await;
        assert_eq!(since(start), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_paced_gate_still_honours_a_429_and_its_wait() {
        let start = Instant::now();
        let gate = paced("50/16").await;
        let refused = admit(&gate).await;
        let error = refuse_for_30_seconds(&gate, refused).await;
        assert_eq!(error, Duration::from_secs(30));
        // The bucket has tokens to spare, but nobody goes before the server's wait is over.
        let _probe = admit(&gate).await;
        assert_eq!(since(start), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_limit_pacing_never_waits() {
        let gate = RateGate::new(None);
        let start = Instant::now();
        for _ in 0..1000 {
            gate.pace(start).await.unwrap();
        }
        assert_eq!(since(start), Duration::ZERO);
    }
}
