//! The one place onboarding reads a URL: https only (loopback excepted), bounded in size and
//! time, redirects followed only to the same host.
//!
//! idconn-core's `HttpClient` speaks to a vendor's management API (errors name the vendor, a
//! redirect is never followed); a customer's IdP is no vendor, so this small fetch stands apart.

use idconn_core::validate::https_url;
use idconn_core::{Error, Result};
use reqwest::header::{ACCEPT, CONTENT_LENGTH};
use url::Url;

use crate::limits::FetchLimits;

/// GETs `url` within `limits`. `what` names the document in errors ("SAML metadata",
/// "OpenID discovery document"); the URL is named too. Returns the body, at most
/// `limits.max_bytes` long.
pub(crate) async fn fetch(
    what: &str,
    url: &str,
    accept: &str,
    limits: &FetchLimits,
) -> Result<Vec<u8>> {
    let field = format!("{what} URL");
    let origin = https_url(&field, url)?;
    let client = reqwest::Client::builder()
        .timeout(limits.timeout)
        .connect_timeout(limits.timeout)
        .user_agent(concat!("idconn/", env!("CARGO_PKG_VERSION")))
        .redirect(same_host_redirects(origin.clone(), limits.max_redirects))
        .build()
        .map_err(|e| Error::invalid(&field, describe(&e)))?;
    let fail = |reason: String| Error::invalid(&field, format!("{url}: {reason}"));
    let mut response = client
        .get(origin.clone())
        .header(ACCEPT, accept)
        .send()
        .await
        .map_err(|e| fail(describe(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!(
            "the server answered HTTP {}",
            status.as_u16()
        )));
    }
    let too_large = || {
        fail(format!(
            "the {what} is larger than the limit of {} bytes",
            limits.max_bytes
        ))
    };
    let announced = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|len| len > limits.max_bytes as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| fail(describe(&e)))? {
        if body.len() + chunk.len() > limits.max_bytes {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Follows at most `max` redirects, each to the origin's scheme, host and port (a redirect
/// elsewhere could hand the customer's configuration to someone else's server).
fn same_host_redirects(origin: Url, max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        let next = attempt.url();
        let same_host = next.scheme() == origin.scheme()
            && next.host_str() == origin.host_str()
            && next.port_or_known_default() == origin.port_or_known_default();
        if !same_host {
            let to = next.host_str().unwrap_or("no host").to_owned();
            attempt.error(format!(
                "refused a redirect to another host ({to}); give the final URL instead"
            ))
        } else if attempt.previous().len() > max {
            attempt.error(format!("more than {max} redirects"))
        } else {
            attempt.follow()
        }
    })
}

/// The error and its causes on one line, without the URL (the caller names it once).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        error.to_string()
    };
    if let Some(url) = error.url() {
        text = text.replace(&format!(" ({url})"), "");
    }
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}
