//! The token bucket behind [`RateLimit`]: `burst` tokens at most, refilled continuously.

use std::time::{Duration, Instant};

use crate::knobs::RateLimit;

/// The longest wait the bucket ever reports, for limits that never refill (`per_second` 0).
const LONGEST_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// A token bucket. One token is one request.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    refilled_at: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub(crate) fn new(limit: RateLimit, now: Instant) -> Self {
        TokenBucket {
            limit,
            tokens: f64::from(limit.burst),
            refilled_at: now,
        }
    }

    /// Takes one token, or says how long until one is there.
    pub(crate) fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.until_next_token().unwrap_or(LONGEST_WAIT))
        }
    }

    /// Whole tokens left (Auth0's `x-ratelimit-remaining`).
    pub(crate) fn remaining(&self) -> u32 {
        // tokens is within 0..=burst, so the cast cannot truncate beyond the floor.
        self.tokens.floor().clamp(0.0, f64::from(self.limit.burst)) as u32
    }

    /// The bucket size (Auth0's `x-ratelimit-limit`).
    pub(crate) fn burst(&self) -> u32 {
        self.limit.burst
    }

    /// How long until the next whole token is added; `None` when the bucket is full.
    pub(crate) fn until_next_token(&self) -> Option<Duration> {
        if self.tokens >= f64::from(self.limit.burst) {
            return None;
        }
        let missing = 1.0 - self.tokens.fract();
        if !self.refills() {
            return Some(LONGEST_WAIT);
        }
        let wait = Duration::try_from_secs_f64(missing / self.limit.per_second)
            .unwrap_or(LONGEST_WAIT)
            .min(LONGEST_WAIT);
        Some(wait)
    }

    /// Whether tokens ever come back (a zero, negative or NaN rate never refills).
    fn refills(&self) -> bool {
        self.limit.per_second.is_finite() && self.limit.per_second > 0.0
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.refilled_at = now;
        if self.refills() {
            self.tokens =
                (self.tokens + elapsed * self.limit.per_second).min(f64::from(self.limit.burst));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(burst: u32, per_second: f64) -> RateLimit {
        RateLimit { burst, per_second }
    }

    #[test]
    fn burst_then_refused_then_refilled() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(limit(3, 2.0), start);
        assert_eq!(bucket.until_next_token(), None);
        for left in [2, 1, 0] {
            assert_eq!(bucket.try_take(start), Ok(()));
            assert_eq!(bucket.remaining(), left);
        }
        let wait = bucket.try_take(start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert!(bucket.try_take(start + Duration::from_millis(499)).is_err());
        assert_eq!(bucket.try_take(start + Duration::from_millis(500)), Ok(()));
    }

    #[test]
    fn refill_stops_at_burst() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(limit(2, 100.0), start);
        bucket.try_take(start).unwrap();
        bucket.refill(start + Duration::from_secs(60));
        assert_eq!(bucket.remaining(), 2);
    }

    #[test]
    fn a_limit_that_never_refills_reports_a_long_wait() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(limit(1, 0.0), start);
        bucket.try_take(start).unwrap();
        assert_eq!(bucket.try_take(start), Err(LONGEST_WAIT));
        let mut nan = TokenBucket::new(limit(1, f64::NAN), start);
        nan.try_take(start).unwrap();
        assert_eq!(
            nan.try_take(start + Duration::from_secs(5)),
            Err(LONGEST_WAIT)
        );
    }
}
