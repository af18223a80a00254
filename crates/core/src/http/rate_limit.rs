//! A client-side rate limit: a token bucket every request of one client draws from before it
//! is sent, so that a known vendor limit is kept instead of discovered through 429s.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Error, Result};

/// A token bucket: at most `burst` requests at once, then `per_second` more each second.
///
/// Set to a vendor's own limit, it keeps a client clear of 429s: the client sends at exactly
/// `per_second`, but of a full bucket it spends at most `burst - 1` at once (all of a burst of
/// 1), keeping one token in hand for the time its requests take to reach the server, which
/// counts them when they arrive, not when they leave.
///
/// Its text form is `BURST/PER_SEC`, as the `*_RATE_LIMIT` settings take it: `50/16` is Auth0's
/// enterprise limit (50 at once, 16 more per second); the rate may have a fraction (`5/0.5`).
/// [`Display`](fmt::Display) writes that form back.
///
/// ```
/// use idconn_core::http::RateLimit;
/// let limit: RateLimit = "50/16".parse()?;
/// assert_eq!((limit.burst(), limit.per_second()), (50, 16.0));
/// assert_eq!(limit.to_string(), "50/16");
/// assert!("50".parse::<RateLimit>().is_err());
/// # Ok::<(), idconn_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    burst: u32,
    per_second: f64,
}

/// The longest time one token takes to come back, for rates too small to matter otherwise.
const LONGEST_INTERVAL: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The name [`RateLimit`]'s own errors give the setting; builders rename it to their variable.
const FIELD: &str = "rate_limit";

impl RateLimit {
    /// `burst` requests at once, then `per_second` more each second. Fails when `burst` is 0 or
    /// `per_second` is not a positive number.
    pub fn new(burst: u32, per_second: f64) -> Result<Self> {
        if burst == 0 {
            return Err(Error::invalid(FIELD, "BURST must be at least 1"));
        }
        if !per_second.is_finite() || per_second <= 0.0 {
            return Err(Error::invalid(
                FIELD,
                format!("PER_SEC must be a positive number, got {per_second}"),
            ));
        }
        Ok(RateLimit { burst, per_second })
    }

    /// The most requests sent at once after a pause.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// Requests added to the bucket each second.
    pub fn per_second(&self) -> f64 {
        self.per_second
    }

    /// The time one request's token takes to come back, rounded up to the nanosecond so the
    /// client is never faster than the limit; at most a year (no retry budget waits that long).
    fn interval(&self) -> Duration {
        let nanos = (1e9 / self.per_second).ceil();
        if nanos >= LONGEST_INTERVAL.as_nanos() as f64 {
            LONGEST_INTERVAL
        } else {
            Duration::from_nanos(nanos as u64)
        }
    }
}

impl FromStr for RateLimit {
    type Err = Error;

    /// Parses `BURST/PER_SEC`: a whole number of at least 1, a slash, a positive number.
    /// Every refusal quotes the text, says what is wrong with it and shows the form.
    fn from_str(text: &str) -> Result<Self> {
        let text = text.trim();
        let why = match text.split_once('/') {
            None => "there is no slash".to_string(),
            Some((burst, per_second)) => {
                let (burst, per_second) = (burst.trim(), per_second.trim());
                // Rust also reads "inf" and "NaN" as numbers: neither is a rate.
                let rate = per_second.parse::<f64>().ok().filter(|r| r.is_finite());
                match (burst.parse::<u32>(), rate) {
                    (Err(_), _) => format!("BURST must be a whole number, got \"{burst}\""),
                    (_, None) => format!("PER_SEC must be a number, got \"{per_second}\""),
                    (Ok(burst), Some(rate)) => match RateLimit::new(burst, rate) {
                        Err(Error::InvalidInput { reason, .. }) => reason,
                        other => return other,
                    },
                }
            }
        };
        Err(Error::invalid(
            FIELD,
            format!(
                "\"{text}\" is not BURST/PER_SEC: {why} (e.g. 50/16: 50 requests at once, then \
                 16 more per second)"
            ),
        ))
    }
}

impl fmt::Display for RateLimit {
    /// `BURST/PER_SEC`, the form [`FromStr`] reads (`50/16`, `5/0.5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.burst, self.per_second)
    }
}

/// The bucket behind a [`RateLimit`], shared by every task of one client.
///
/// Kept as the time the bucket would be full again after every token handed out so far (the
/// "theoretical arrival time" of the GCRA): a token is there at `now` when that time is at most
/// `burst - 2` intervals away (`burst - 1` tokens, one kept in hand). A request that finds no token reserves the next one and waits
/// for it, so requests go in the order they asked, and a bucket that tasks keep waiting on
/// sends exactly `per_second`, never a burst on top.
pub(crate) struct Pacer {
    interval: Duration,
    /// How far ahead of now the bucket may be spent: `burst - 2` intervals, the token kept in
    /// hand left out (see [`RateLimit`]).
    tolerance: Duration,
    /// When the bucket is full again, counting every token reserved so far.
    full_at: Mutex<Instant>,
}

impl Pacer {
    /// A full bucket.
    pub(crate) fn new(limit: RateLimit) -> Self {
        let interval = limit.interval();
        Pacer {
            interval,
            // Why one token stays in hand: a request taken from a bucket of exactly the
            // server's size and rate leaves the server with exactly one token when it arrives,
            // and a request that travels faster than those before it (or a rounding of the
            // server's clock) arrives with a little less. One token covers differences of up
            // to one interval; the steady rate is the server's all the same.
            tolerance: interval.saturating_mul(limit.burst.saturating_sub(2)),
            full_at: Mutex::new(Instant::now()),
        }
    }

    /// Reserves the next token: the instant its request may be sent (now, or when the token
    /// comes back). `Err(wait)` when that is later than `deadline`; nothing is reserved then.
    pub(crate) fn reserve(&self, deadline: Instant) -> Result<Instant, Duration> {
        let now = Instant::now();
        // The state is one instant, whole between statements: a poisoned lock is still usable.
        let mut full_at = self.full_at.lock().unwrap_or_else(|p| p.into_inner());
        let from = (*full_at).max(now);
        let ready = from
            .checked_sub(self.tolerance)
            .map_or(now, |at| at.max(now));
        if ready > deadline {
            return Err(ready - now);
        }
        // An overflow would need billions of years of reservations; no panic all the same.
        *full_at = from.checked_add(self.interval).unwrap_or(from);
        Ok(ready)
    }

    /// Waits for the next token; `Err(wait)` at once when it would come after `deadline`.
    /// A task cancelled while waiting leaves its token unused: the bucket never gives it twice.
    pub(crate) async fn take(&self, deadline: Instant) -> Result<(), Duration> {
        let ready = self.reserve(deadline)?;
        if ready > Instant::now() {
            tracing::trace!(
                wait_ms = (ready - Instant::now()).as_millis() as u64,
                "rate limit: waiting for the client's bucket"
            );
            tokio::time::sleep_until(ready).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_form_reads_and_writes_back() {
        for (text, burst, rate, shown) in [
            ("50/16", 50, 16.0, "50/16"),
            (" 10 / 2.5 ", 10, 2.5, "10/2.5"),
            ("1/0.25", 1, 0.25, "1/0.25"),
            ("3/16.0", 3, 16.0, "3/16"),
        ] {
            let limit: RateLimit = text.parse().unwrap();
            assert_eq!((limit.burst(), limit.per_second()), (burst, rate), "{text}");
            assert_eq!(limit.to_string(), shown);
            assert_eq!(shown.parse::<RateLimit>().unwrap(), limit);
        }
    }

    #[test]
    fn malformed_or_zero_limits_are_refused_with_the_reason() {
        for (text, why) in [
            ("", "\"\" is not BURST/PER_SEC: there is no slash"),
            ("50", "\"50\" is not BURST/PER_SEC: there is no slash"),
            ("fifty/16", "BURST must be a whole number, got \"fifty\""),
            ("-1/16", "BURST must be a whole number"),
            ("2.5/16", "BURST must be a whole number"),
            ("0/16", "BURST must be at least 1"),
            ("50/", "PER_SEC must be a number, got \"\""),
            ("50/fast", "PER_SEC must be a number"),
            ("50/inf", "PER_SEC must be a number"),
            ("50/NaN", "PER_SEC must be a number"),
            ("50/0", "PER_SEC must be a positive number"),
            ("50/-16", "PER_SEC must be a positive number"),
            ("50/16/2", "PER_SEC must be a number"),
        ] {
            let error = text.parse::<RateLimit>().unwrap_err();
            assert!(
                matches!(&error, Error::InvalidInput { field, reason }
                    if field == "rate_limit" && reason.contains(why)),
                "{text}: {error:?}"
            );
        }
        assert!(RateLimit::new(0, 1.0).is_err());
        assert!(RateLimit::new(1, 0.0).is_err());
        assert!(RateLimit::new(1, f64::NAN).is_err());
    }

    #[test]
    fn the_interval_is_rounded_up_to_the_nanosecond() {
        let interval = |rate| RateLimit::new(1, rate).unwrap().interval();
        assert_eq!(interval(16.0), Duration::from_micros(62_500));
        assert_eq!(interval(3.0), Duration::from_nanos(333_333_334));
        assert_eq!(interval(1e-30), LONGEST_INTERVAL);
    }

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(3600)
    }

    /// The instants the next `n` tokens are handed out at, each reserved now.
    fn reserve(pacer: &Pacer, n: usize) -> Vec<Duration> {
        let start = Instant::now();
        (0..n)
            .map(|_| pacer.reserve(far()).unwrap() - start)
            .collect()
    }

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_bucket_gives_its_burst_less_one_then_one_token_per_interval() {
        let pacer = Pacer::new("4/2".parse().unwrap());
        assert_eq!(reserve(&pacer, 6), ms(&[0, 0, 0, 500, 1000, 1500]));
        // A burst of 1 or 2 has nothing to keep in hand beyond the one request.
        for limit in ["1/2", "2/2"] {
            let pacer = Pacer::new(limit.parse().unwrap());
            assert_eq!(reserve(&pacer, 3), ms(&[0, 500, 1000]), "{limit}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_bucket_refills_while_idle_but_never_beyond_its_burst() {
        let pacer = Pacer::new("4/2".parse().unwrap());
        reserve(&pacer, 3);
        // Half a second: one token back.
        tokio::time::advance(Duration::from_millis(500)).await;
        assert_eq!(reserve(&pacer, 2), ms(&[0, 500]));
        // A minute idle: the burst less one, not 120.
        tokio::time::advance(Duration::from_secs(60)).await;
        assert_eq!(reserve(&pacer, 5), ms(&[0, 0, 0, 500, 1000]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_past_the_deadline_is_refused_and_not_reserved() {
        let pacer = Pacer::new("1/1".parse().unwrap());
        let start = Instant::now();
        assert_eq!(pacer.reserve(far()), Ok(start));
        let soon = start + Duration::from_millis(400);
        assert_eq!(pacer.reserve(soon), Err(Duration::from_secs(1)));
        assert_eq!(pacer.take(soon).await, Err(Duration::from_secs(1)));
        // Nothing was reserved by the refusals: the next token is still the one at 1 s.
        assert_eq!(pacer.reserve(far()), Ok(start + Duration::from_secs(1)));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_tasks_take_tokens_in_turn() {
        let pacer = std::sync::Arc::new(Pacer::new("3/4".parse().unwrap()));
        let start = Instant::now();
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let pacer = std::sync::Arc::clone(&pacer);
                tokio::spawn(async move {
                    pacer.take(far()).await.unwrap();
                    Instant::now() - start
                })
            })
            .collect();
        let mut sent = Vec::new();
        for task in tasks {
            sent.push(task.await.unwrap());
        }
        sent.sort();
        assert_eq!(sent, ms(&[0, 0, 250, 500, 750, 1000]));
    }
}
