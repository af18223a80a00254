//! A hostile or broken server: endless bodies, unreachable hosts, errors that quote secrets back.

mod http_support;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use bytes::Bytes;
use futures::stream;
use idconn_core::http::{
    ApiRequest, Auth, ClientCredentials, HttpClient, HttpConfig, RetryConfig, StatusErrors, Url,
};
use idconn_core::{ClientSecret, Error, Vendor};

use http_support::serve;

const MIB: usize = 1024 * 1024;

/// A body of `chunks` MiB of `x`, streamed without a length, with `status`.
fn endless(status: StatusCode, chunks: usize) -> Response {
    let chunk = Bytes::from(vec![b'x'; MIB]);
    let body = stream::iter((0..chunks).map(move |_| Ok::<_, Infallible>(chunk.clone())));
    Response::builder()
        .status(status)
        .body(Body::from_stream(body))
        .unwrap()
}

/// The process's peak resident memory so far, in bytes (Linux `VmHWM`).
fn peak_rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

fn client(url: Url, retry: RetryConfig, auth: Auth) -> HttpClient {
    let mut config = HttpConfig::new(Vendor::Auth0, url);
    config.retry = retry;
    HttpClient::new(config, StatusErrors, auth).unwrap()
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_without_retrying_and_in_bounded_memory() {
    let hits = Arc::new(AtomicU32::new(0));
    let counted = hits.clone();
    let router = Router::new()
        .route(
            "/error",
            get(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { endless(StatusCode::INTERNAL_SERVER_ERROR, 1024) }
            }),
        )
        .route("/ok", get(|| async { endless(StatusCode::OK, 1024) }));
    let url = serve(router).await;
    let mut config = HttpConfig::new(Vendor::Auth0, url);
    config.retry = RetryConfig::new(8, Duration::from_millis(10), Duration::from_secs(60));
    assert_eq!(
        config.max_response_bytes,
        32 * MIB,
        "the documented default"
    );
    let http = HttpClient::new(config, StatusErrors, Auth::None).unwrap();

    let before = peak_rss();
    let started = Instant::now();
    for path in ["/error", "/ok"] {
        let error = http.send(ApiRequest::get(path)).await.unwrap_err();
        assert!(
            matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 32 * MIB),
            "{path}: {error}"
        );
        assert!(error.to_string().contains("max_response_bytes"), "{error}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "an oversized error is not retried"
    );
    // Two 1 GiB answers: read up to the limit each, never whole.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let grown = peak_rss().saturating_sub(before);
    assert!(grown < 256 * MIB, "peak memory grew by {} MiB", grown / MIB);
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_reading() {
    // axum would correct a lying Content-Length: answer by hand.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1099511627776\r\n\r\n{\"a\":";
        socket.write_all(head.as_bytes()).await.unwrap();
        // Hold the connection open: the client must not wait for the rest.
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let http = client(url, RetryConfig::disabled(), Auth::None);
    let started = Instant::now();
    let error = http.send(ApiRequest::get("/big")).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { status: 200, .. }),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_refused_connection_fails_within_seconds_with_the_default_budget() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    drop(listener);
    let http = client(url, RetryConfig::default(), Auth::None);
    let started = Instant::now();
    let error = http
        .send(ApiRequest::get("/api/v2/connections"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                maybe_sent: false,
                ..
            }
        ),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
}

/// Answers 400 with whatever the request carried, under keys that look harmless.
async fn echo(headers: HeaderMap, body: String) -> (StatusCode, String) {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let quoted = serde_json::json!({"detail": format!("you sent {authorization} and {body}")});
    (StatusCode::BAD_REQUEST, quoted.to_string())
}

#[tokio::test]
async fn secrets_the_process_knows_are_scrubbed_from_vendor_errors_under_any_key() {
    let router = Router::new()
        .route("/echo", post(echo))
        .route("/oauth/token", post(echo));
    let url = serve(router).await;

    // The bearer token sent, and a connection secret put on the wire by a backend's mapping.
    let connection_secret = ClientSecret::known("conn-secret-Zq9/+w");
    let payload = serde_json::json!({"options": {"shh": connection_secret.expose()}});
    let http = client(
        url.clone(),
        RetryConfig::disabled(),
        Auth::bearer("bearer-token-Xy7Qp".to_owned().into()),
    );
    let request = ApiRequest::post("/echo").json(&payload).unwrap();
    let error = http.send(request).await.unwrap_err().to_string();
    assert!(error.contains("you sent"), "{error}");
    for secret in [
        "bearer-token-Xy7Qp",
        "conn-secret-Zq9/+w",
        "conn-secret-Zq9",
    ] {
        assert!(!error.contains(secret), "{secret} in {error}");
    }

    // The provider's own client secret, echoed (form-encoded) by its token endpoint.
    let grant =
        ClientCredentials::new("/oauth/token", "cid", "grant-secret+Kw4&".to_owned().into());
    let http = client(url, RetryConfig::disabled(), Auth::source(grant));
    let error = http
        .send(ApiRequest::get("/anything"))
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("client_secret="), "{error}");
    assert!(!error.contains("grant-secret"), "{error}");
}
