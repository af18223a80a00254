//! Building a client: https unless loopback, and settings named in errors.

use idconn_core::Error;
use idconn_core::Vendor;
use idconn_core::http::{Auth, HttpClient, HttpConfig, StatusErrors, Url};

fn build(url: &str, allow_insecure_http: bool) -> Result<HttpClient, Error> {
    let mut config = HttpConfig::new(Vendor::Auth0, Url::parse(url).unwrap());
    config.allow_insecure_http = allow_insecure_http;
    HttpClient::new(config, StatusErrors, Auth::None)
}

#[test]
fn plain_http_to_a_remote_host_is_refused_naming_the_setting() {
    let error = build("http://acme.eu.auth0.com", false).unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, .. } if field == "allow_insecure_http"),
        "{error:?}"
    );
    assert!(error.to_string().contains("allow_insecure_http"), "{error}");
    // An address that only looks local is still remote.
    assert!(build("http://127.0.0.1.nip.io", false).is_err());
    assert!(build("http://10.0.0.1:8080", false).is_err());
    assert!(build("http://[::2]", false).is_err());
}

#[test]
fn loopback_and_https_are_accepted() {
    for url in [
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://[::1]:3000",
        "http://localhost:4000/auth",
        "http://LOCALHOST",
        "https://acme.eu.auth0.com",
    ] {
        assert!(build(url, false).is_ok(), "{url}");
    }
}

#[test]
fn allow_insecure_http_opens_plain_http() {
    assert!(build("http://keycloak.internal:8080/auth", true).is_ok());
}

#[test]
fn other_schemes_credentials_and_queries_are_refused() {
    for url in [
        "ftp://acme.example",
        "https://user:pass@acme.example",
        "https://acme.example/?token=x",
    ] {
        let error = build(url, true).unwrap_err();
        assert!(
            matches!(&error, Error::InvalidInput { field, .. } if field == "base_url"),
            "{url}: {error:?}"
        );
        assert!(!error.to_string().contains("pass@"), "{error}");
    }
}

#[test]
fn bad_default_headers_are_named() {
    let config = HttpConfig::new(
        Vendor::GenAuth,
        Url::parse("https://api.genauth.ai").unwrap(),
    )
    .with_header("x-authing-userpool-id", "bad\nvalue");
    let error = HttpClient::new(config, StatusErrors, Auth::None).unwrap_err();
    assert!(
        error.to_string().contains("x-authing-userpool-id"),
        "{error}"
    );
}
