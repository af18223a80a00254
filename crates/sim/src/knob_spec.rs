//! The text forms of the knobs, as the `idconn-sim` binary takes them on its command line.
//!
//! - rate limit: `BURST/PER_SEC`, e.g. `10/2` (10 at once, 2 more per second);
//! - faults: comma-separated `key=value` pairs, e.g.
//!   `error_before=0.1,error_after=0.05,drop_after=0.02,rate_limited=0.05,latency_ms=20`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::knobs::{Faults, RateLimit};

/// Why a knob's text form was refused: names the part at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnobParseError(String);

impl fmt::Display for KnobParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KnobParseError {}

fn refuse(message: impl Into<String>) -> KnobParseError {
    KnobParseError(message.into())
}

impl FromStr for RateLimit {
    type Err = KnobParseError;

    /// Parses `BURST/PER_SEC`: a whole number of at least 1, then a positive rate.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (burst, per_second) = text
            .split_once('/')
            .ok_or_else(|| refuse(format!("expected BURST/PER_SEC, e.g. 10/2, got {text:?}")))?;
        let burst: u32 = burst
            .trim()
            .parse()
            .map_err(|_| refuse(format!("BURST must be a whole number, got {burst:?}")))?;
        if burst == 0 {
            return Err(refuse("BURST must be at least 1"));
        }
        let per_second: f64 = per_second
            .trim()
            .parse()
            .map_err(|_| refuse(format!("PER_SEC must be a number, got {per_second:?}")))?;
        if !per_second.is_finite() || per_second <= 0.0 {
            return Err(refuse(format!(
                "PER_SEC must be a positive number, got {per_second}"
            )));
        }
        Ok(RateLimit { burst, per_second })
    }
}

impl FromStr for Faults {
    type Err = KnobParseError;

    /// Parses `key=value[,key=value...]` with keys `error_before`, `error_after`, `drop_after`,
    /// `rate_limited` (shares from 0 to 1) and `latency_ms` (whole milliseconds).
    /// A write can meet every kind, so the four shares must add up to at most 1.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut faults = Faults::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| refuse(format!("expected key=value, got {pair:?}")))?;
            let (key, value) = (key.trim(), value.trim());
            match key {
                "error_before" => faults.error_before = share(key, value)?,
                "error_after" => faults.error_after = share(key, value)?,
                "drop_after" => faults.drop_after = share(key, value)?,
                "rate_limited" => faults.rate_limited = share(key, value)?,
                "latency_ms" => {
                    let ms: u64 = value.parse().map_err(|_| {
                        refuse(format!(
                            "latency_ms must be whole milliseconds, got {value:?}"
                        ))
                    })?;
                    faults.latency = Duration::from_millis(ms);
                }
                other => {
                    return Err(refuse(format!(
                        "unknown fault {other:?} (known: error_before, error_after, drop_after, rate_limited, latency_ms)"
                    )));
                }
            }
        }
        let total =
            faults.error_before + faults.error_after + faults.drop_after + faults.rate_limited;
        if total > 1.0 + 1e-9 {
            return Err(refuse(format!(
                "the fault shares add up to {total}, more than 1"
            )));
        }
        Ok(faults)
    }
}

fn share(key: &str, value: &str) -> Result<f64, KnobParseError> {
    let share: f64 = value
        .parse()
        .map_err(|_| refuse(format!("{key} must be a number from 0 to 1, got {value:?}")))?;
    if !(0.0..=1.0).contains(&share) {
        return Err(refuse(format!("{key} must be from 0 to 1, got {share}")));
    }
    Ok(share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_parses_and_refuses() {
        assert_eq!(
            "10/2.5".parse::<RateLimit>(),
            Ok(RateLimit {
                burst: 10,
                per_second: 2.5
            })
        );
        for bad in ["10", "0/1", "x/1", "10/0", "10/-1", "10/inf", "10/abc", "/"] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn faults_parse_every_key() {
        let faults: Faults =
            "error_before=0.1, error_after=0.05,drop_after=0.02,rate_limited=0.05,latency_ms=20"
                .parse()
                .unwrap();
        assert_eq!(
            faults,
            Faults {
                error_before: 0.1,
                error_after: 0.05,
                drop_after: 0.02,
                rate_limited: 0.05,
                latency: Duration::from_millis(20),
            }
        );
        assert_eq!("".parse::<Faults>(), Ok(Faults::default()));
    }

    #[test]
    fn faults_refuse_with_the_key_named() {
        let cases = [
            ("error_before=2", "error_before"),
            ("drop_after=x", "drop_after"),
            ("latency_ms=1.5", "latency_ms"),
            ("boom=0.1", "boom"),
            ("error_before", "key=value"),
            ("error_before=0.6,error_after=0.6", "more than 1"),
        ];
        for (text, named) in cases {
            let error = text.parse::<Faults>().unwrap_err().to_string();
            assert!(error.contains(named), "{text}: {error}");
        }
    }
}
