//! The shared knobs every simulator honours: a rate limit, seeded fault injection, latency.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A token-bucket rate limit: `burst` requests at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Bucket size.
    pub burst: u32,
    /// Refill rate, requests per second.
    pub per_second: f64,
}

/// Shares of requests that fail on purpose, drawn from a seeded generator so a run repeats.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Faults {
    /// Share answered with a 5xx before the request is handled (nothing changes).
    pub error_before: f64,
    /// Share of writes that are applied, then answered with a 5xx.
    pub error_after: f64,
    /// Share of writes that are applied, then the connection is dropped with no answer.
    pub drop_after: f64,
    /// Share answered with the vendor's 429 although the rate limit was not reached.
    pub rate_limited: f64,
    /// Latency added to every request.
    pub latency: Duration,
}

/// Everything that shapes a simulator's behaviour beyond the vendor's own rules.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Knobs {
    /// The rate limit; `None` for unlimited.
    pub rate_limit: Option<RateLimit>,
    /// Injected faults.
    pub faults: Faults,
    /// The seed of the fault generator.
    pub seed: u64,
}

/// How many faults and refusals a simulator has served, readable from the handle.
#[derive(Debug, Default)]
pub struct FaultCounts {
    /// 5xx answered before handling.
    pub errors_before: AtomicU64,
    /// Writes applied then answered with a 5xx.
    pub errors_after: AtomicU64,
    /// Writes applied then dropped without an answer.
    pub drops_after: AtomicU64,
    /// 429 answers, injected or from the rate limit.
    pub rate_limited: AtomicU64,
    /// Every request received.
    pub requests: AtomicU64,
    /// Writes received (POST, PUT, PATCH, DELETE), token requests excepted: what a run that
    /// should change nothing must leave at its count.
    pub writes: AtomicU64,
}

impl FaultCounts {
    /// Reads one counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
