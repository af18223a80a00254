//! Shared by the `http_*` tests: a 127.0.0.1 axum server and a client pointed at it.
#![allow(dead_code)]

use std::time::Duration;

use axum::Router;
use idconn_core::Vendor;
use idconn_core::http::{
    Auth, HttpClient, HttpConfig, RetryConfig, StatusErrors, Url, VendorErrors,
};

/// Serves `router` on 127.0.0.1 with an OS-chosen port; the server lives until the runtime ends.
pub async fn serve(router: Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Url::parse(&format!("http://{addr}")).unwrap()
}

/// Retries fast enough for tests: 10 ms first backoff, `attempts` in all, 10 s total.
pub fn quick_retry(attempts: u32) -> RetryConfig {
    RetryConfig::new(attempts, Duration::from_millis(10), Duration::from_secs(10))
}

/// A client for `url` with the given hook, auth and retry bounds.
pub fn client_with(
    url: Url,
    errors: impl VendorErrors,
    auth: Auth,
    retry: RetryConfig,
) -> HttpClient {
    let mut config = HttpConfig::new(Vendor::Auth0, url);
    config.retry = retry;
    HttpClient::new(config, errors, auth).unwrap()
}

/// A client with the status-only hook, no auth, and `attempts` quick attempts.
pub fn client(url: Url, attempts: u32) -> HttpClient {
    client_with(url, StatusErrors, Auth::None, quick_retry(attempts))
}
