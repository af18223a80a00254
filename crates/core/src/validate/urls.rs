//! URL checks. The `url` crate (WHATWG parsing) is the authority; `check_*` put a cheap scan
//! in front of it for the plain URLs that fill most connections, because a bulk create
//! validates five or six endpoints per connection and full parsing (IDNA included) was the
//! largest share of a create's client-side CPU in `idconn-bench` profiles.

use url::Url;

use crate::error::{Error, Result};

/// Checks that `value` is an absolute `https` URL (`http` is accepted for loopback hosts only,
/// which is what local test identity providers use).
pub fn https_url(field: &str, value: &str) -> Result<Url> {
    let url = parse(field, value)?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        other => Err(Error::invalid(
            field,
            format!("\"{value}\" uses {other}; an https URL is required"),
        )),
    }
}

/// Checks that `value` is an absolute `http` or `https` URL (a base URL from settings, or a
/// vendor field that allows plain http). Callers add their own rules on the parsed URL.
pub fn http_url(field: &str, value: &str) -> Result<Url> {
    let url = parse(field, value)?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(url)
    } else {
        Err(Error::invalid(
            field,
            format!("\"{value}\" must be an http(s) URL"),
        ))
    }
}

/// [`https_url`] for a caller that only needs the verdict: the same answer, cheaper for
/// plain ASCII URLs.
pub fn check_https_url(field: &str, value: &str) -> Result<()> {
    match value.strip_prefix("https://") {
        Some(rest) if plainly_valid(rest) => Ok(()),
        _ => https_url(field, value).map(drop),
    }
}

/// [`http_url`] for a caller that only needs the verdict: the same answer, cheaper for plain
/// ASCII URLs.
pub fn check_http_url(field: &str, value: &str) -> Result<()> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest) if plainly_valid(rest) => Ok(()),
        _ => http_url(field, value).map(drop),
    }
}

/// True when the URL's host is a loopback address or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            name.trim_end_matches('.').eq_ignore_ascii_case("localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn parse(field: &str, value: &str) -> Result<Url> {
    Url::parse(value).map_err(|e| Error::invalid(field, format!("\"{value}\" is not a URL: {e}")))
}

/// Whether `rest`, what follows `http://` or `https://`, is certain to parse: a host of
/// non-empty ASCII labels (letters, digits, hyphens; none an IDNA `xn--` label, the last
/// starting with a letter so it is never read as an IPv4 number), an optional port, then
/// printable ASCII without spaces (WHATWG parsing escapes, and never refuses, a path, query or
/// fragment). Anything else is left to the full parser; a property test holds the scan to it.
fn plainly_valid(rest: &str) -> bool {
    // Bytes, not `str` patterns: this runs for every URL of every connection written.
    let bytes = rest.as_bytes();
    let host_end = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
        .unwrap_or(bytes.len());
    let (host, after_host) = bytes.split_at(host_end);
    let tail = match after_host.split_first() {
        Some((b':', after_colon)) => {
            let digits = after_colon
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let (port, tail) = after_colon.split_at(digits);
            if !plain_port(port) {
                return false;
            }
            tail
        }
        _ => after_host,
    };
    plain_host(host)
        && tail.first().is_none_or(|b| matches!(b, b'/' | b'?' | b'#'))
        && tail.iter().all(u8::is_ascii_graphic)
}

/// Non-empty dot-separated labels of letters, digits and hyphens (the caller has checked the
/// characters), none an IDNA `xn--` label, the last starting with a letter.
fn plain_host(host: &[u8]) -> bool {
    let plain_label = |label: &[u8]| {
        !label.is_empty()
            && !label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
    };
    host.split(|&b| b == b'.').all(plain_label)
        && host
            .rsplit(|&b| b == b'.')
            .next()
            .and_then(|last| last.first())
            .is_some_and(u8::is_ascii_alphabetic)
}

fn plain_port(port: &[u8]) -> bool {
    (1..=5).contains(&port.len())
        && port
            .iter()
            .fold(0u32, |n, &digit| n * 10 + u32::from(digit - b'0'))
            <= u32::from(u16::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn urls_must_be_https_except_loopback() {
        assert!(https_url("u", "https://idp.example.com/x").is_ok());
        assert!(https_url("u", "http://127.0.0.1:8080/x").is_ok());
        assert!(https_url("u", "http://localhost/x").is_ok());
        let err = https_url("settings.issuer", "http://idp.example.com").unwrap_err();
        assert!(err.to_string().contains("settings.issuer"), "{err}");
        assert!(https_url("u", "not a url").is_err());
    }

    #[test]
    fn http_urls_take_either_scheme_and_nothing_else() {
        assert!(http_url("u", "http://idp.example.com/x").is_ok());
        assert!(http_url("u", "https://idp.example.com").is_ok());
        for bad in ["ftp://idp.example.com", "idp.example.com", "mailto:a@b.c"] {
            let err = http_url("AUTH0_BASE_URL", bad).unwrap_err();
            assert!(err.to_string().contains("AUTH0_BASE_URL"), "{err}");
            assert!(err.to_string().contains(bad), "{err}");
        }
    }

    #[test]
    fn the_scan_takes_plain_urls_and_leaves_the_rest_to_the_parser() {
        for plain in [
            "idp.example.com",
            "idp.example.com/authorize?x=1#y",
            "a-b.example:8443/p",
            "localhost",
        ] {
            assert!(plainly_valid(plain), "{plain}");
        }
        for left in [
            "",
            "idp.example.com:99999",
            "1.2.3.4",
            "xn--nxasmq6b.example",
            "user@idp.example.com",
            "idp..example.com",
            "idp.example.com/a b",
            "bücher.example",
            "[::1]:80",
        ] {
            assert!(!plainly_valid(left), "{left}");
        }
    }

    #[test]
    fn the_cheap_checks_name_the_field_like_the_full_ones() {
        let err = check_https_url("settings.issuer", "http://idp.example.com").unwrap_err();
        assert!(err.to_string().contains("settings.issuer"), "{err}");
        let err = check_http_url("settings.token_url", "https://exa mple.com").unwrap_err();
        assert!(err.to_string().contains("settings.token_url"), "{err}");
        assert!(check_https_url("u", "http://localhost:8080/x").is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// The scan only ever says yes where the full parser does, so the `check_*` functions
        /// give exactly the answers of the functions they stand in front of.
        #[test]
        fn the_scan_never_accepts_what_the_parser_refuses(
            scheme in "https?|HTTPS|ftp",
            host in "(xn--)?[a-zA-Z0-9\\-]{0,6}(\\.[a-zA-Z0-9\\-_]{0,6}){0,3}\\.?",
            port in "(:[0-9]{0,6})?",
            tail in "([/?#][ -~]{0,12})?",
        ) {
            let value = format!("{scheme}://{host}{port}{tail}");
            let rest = &value[scheme.len() + 3..];
            if plainly_valid(rest) {
                prop_assert!(Url::parse(&value).is_ok(), "{value}");
            }
            prop_assert_eq!(
                check_http_url("u", &value).is_ok(),
                http_url("u", &value).is_ok(),
                "{}", value
            );
            prop_assert_eq!(
                check_https_url("u", &value).is_ok(),
                https_url("u", &value).is_ok(),
                "{}", value
            );
        }
    }
}
