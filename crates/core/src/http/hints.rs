//! The server's own idea of when to try again: `Retry-After` and Auth0's `x-ratelimit-*`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

/// Auth0: the bucket size (burst).
pub(crate) static RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// Auth0: requests left in the bucket.
pub(crate) static RATELIMIT_REMAINING: HeaderName =
    HeaderName::from_static("x-ratelimit-remaining");
/// Auth0: when more requests are added, in UNIX epoch **seconds**.
pub(crate) static RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// The longest server wait taken literally; anything beyond exceeds every retry budget anyway,
/// and clamping keeps instant arithmetic from overflowing on a hostile value.
const MAX_SERVER_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

// `HeaderName`s, not `&str`: every answer is read for these, and a `&str` name is parsed again
// on each lookup.
fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// `Retry-After` as a wait from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
/// A date in the past means "now".
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = header(headers, &RETRY_AFTER)?;
    if let Ok(seconds) = value.parse::<f64>() {
        // `try_`: a hostile `1e300` must not panic; it is simply no usable wait.
        return Duration::try_from_secs_f64(seconds)
            .ok()
            .map(|wait| wait.min(MAX_SERVER_WAIT));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// `x-ratelimit-reset` as a wait from now. It is an epoch time, not a duration; `None` when
/// absent, unparseable or already past (a skewed clock must not turn into a zero wait loop).
pub(crate) fn ratelimit_reset(headers: &HeaderMap) -> Option<Duration> {
    let seconds = header(headers, &RATELIMIT_RESET)?.parse::<f64>().ok()?;
    let reset = UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)?;
    let wait = reset.duration_since(SystemTime::now()).ok()?;
    Some(wait.min(MAX_SERVER_WAIT))
}

/// `x-ratelimit-limit` (the bucket size), when present.
pub(crate) fn ratelimit_limit(headers: &HeaderMap) -> Option<u64> {
    header(headers, &RATELIMIT_LIMIT)?.parse().ok()
}

/// `x-ratelimit-remaining`, when present.
pub(crate) fn ratelimit_remaining(headers: &HeaderMap) -> Option<u64> {
    header(headers, &RATELIMIT_REMAINING)?.parse().ok()
}

/// The wait a rate-limited answer asks for: `Retry-After`, else `x-ratelimit-reset`.
pub(crate) fn rate_limit_wait(headers: &HeaderMap) -> Option<Duration> {
    retry_after(headers).or_else(|| ratelimit_reset(headers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "3".into())])),
            Some(Duration::from_secs(3))
        );
        let later = SystemTime::now() + Duration::from_secs(30);
        let wait =
            retry_after(&headers(&[("retry-after", httpdate::fmt_http_date(later))])).unwrap();
        assert!(
            wait > Duration::from_secs(28) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "soon".into())])),
            None
        );
    }

    #[test]
    fn reset_is_an_epoch_not_a_duration() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let wait =
            ratelimit_reset(&headers(&[("x-ratelimit-reset", (now + 5).to_string())])).unwrap();
        assert!(
            wait > Duration::from_secs(3) && wait <= Duration::from_secs(5),
            "{wait:?}"
        );
        // A small number is an epoch long past, not "wait 5 seconds".
        assert_eq!(
            ratelimit_reset(&headers(&[("x-ratelimit-reset", "5".into())])),
            None
        );
    }

    #[test]
    fn hostile_values_are_ignored_not_panics() {
        let day = Some(MAX_SERVER_WAIT);
        assert_eq!(
            retry_after(&headers(&[("retry-after", "1e12".into())])),
            day
        );
        assert_eq!(
            ratelimit_reset(&headers(&[("x-ratelimit-reset", "1e15".into())])),
            day
        );
        for value in ["1e300", "-5", "NaN", "inf", "18446744073709551616"] {
            assert_eq!(
                retry_after(&headers(&[("retry-after", value.into())])),
                None,
                "{value}"
            );
            assert_eq!(
                ratelimit_reset(&headers(&[("x-ratelimit-reset", value.into())])),
                None,
                "{value}"
            );
        }
        let negative = headers(&[("x-ratelimit-remaining", "-1".into())]);
        assert_eq!(ratelimit_remaining(&negative), None);
    }
}
