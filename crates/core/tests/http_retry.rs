//! Retries: which failures, how many, and how long the server's own waits are honoured.

mod http_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use http_support::{client, serve};
use idconn_core::Error;
use idconn_core::http::ApiRequest;

/// Counts requests; the first `failures` get `status` with `headers`, later ones 200.
#[derive(Clone)]
struct Flaky {
    hits: Arc<AtomicU32>,
    failures: u32,
    status: StatusCode,
    headers: Vec<(&'static str, String)>,
}

impl Flaky {
    fn new(failures: u32, status: u16) -> Self {
        Flaky {
            hits: Arc::new(AtomicU32::new(0)),
            failures,
            status: StatusCode::from_u16(status).unwrap(),
            headers: Vec::new(),
        }
    }

    fn hits(&self) -> u32 {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn flaky(State(s): State<Flaky>) -> impl IntoResponse {
    let n = s.hits.fetch_add(1, Ordering::SeqCst) + 1;
    let mut headers = HeaderMap::new();
    if n <= s.failures {
        for (name, value) in &s.headers {
            headers.insert(*name, value.parse().unwrap());
        }
        (s.status, headers, r#"{"message":"try later"}"#)
    } else {
        (StatusCode::OK, headers, r#"{"ok":true}"#)
    }
}

async fn serve_flaky(state: Flaky) -> idconn_core::http::Url {
    serve(
        Router::new()
            .route("/thing", get(flaky).post(flaky))
            .with_state(state),
    )
    .await
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = Flaky::new(2, 503);
    let http = client(serve_flaky(server.clone()).await, 5);
    let body: serde_json::Value = http.send_json(ApiRequest::get("/thing")).await.unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn gives_up_after_the_attempt_bound_with_the_last_error() {
    let server = Flaky::new(100, 502);
    let http = client(serve_flaky(server.clone()).await, 3);
    let error = http.send(ApiRequest::get("/thing")).await.unwrap_err();
    assert!(
        matches!(error, Error::Server { status: 502, .. }),
        "{error:?}"
    );
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn gives_up_when_the_total_time_would_be_exceeded() {
    let mut server = Flaky::new(100, 503);
    server.headers = vec![("retry-after", "5".into())];
    let url = serve_flaky(server.clone()).await;
    let http = http_support::client_with(
        url,
        idconn_core::http::StatusErrors,
        idconn_core::http::Auth::None,
        idconn_core::http::RetryConfig::new(10, Duration::from_millis(10), Duration::from_secs(2)),
    );
    let started = Instant::now();
    let error = http.send(ApiRequest::get("/thing")).await.unwrap_err();
    assert!(
        matches!(error, Error::Server { status: 503, .. }),
        "{error:?}"
    );
    // The server's 5 s wait does not fit in 2 s: no second attempt, no sleeping first.
    assert_eq!(server.hits(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = Flaky::new(100, 400);
    let http = client(serve_flaky(server.clone()).await, 5);
    let error = http.send(ApiRequest::get("/thing")).await.unwrap_err();
    assert!(
        matches!(error, Error::Rejected { status: 400, .. }),
        "{error:?}"
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn request_timeout_408_is_retried_even_for_creates() {
    let server = Flaky::new(1, 408);
    let http = client(serve_flaky(server.clone()).await, 5);
    http.send(ApiRequest::post("/thing")).await.unwrap();
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn waits_out_retry_after() {
    let mut server = Flaky::new(1, 429);
    server.headers = vec![("retry-after", "1".into())];
    let http = client(serve_flaky(server.clone()).await, 5);
    let started = Instant::now();
    http.send(ApiRequest::get("/thing")).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn waits_out_retry_after_as_an_http_date_on_503() {
    let mut server = Flaky::new(1, 503);
    let at = SystemTime::now() + Duration::from_secs(2);
    server.headers = vec![("retry-after", httpdate::fmt_http_date(at))];
    let http = client(serve_flaky(server.clone()).await, 5);
    http.send(ApiRequest::get("/thing")).await.unwrap();
    // HTTP dates have whole seconds: the wait ends at `at` rounded down, at most 1 s early.
    let floor = UNIX_EPOCH + Duration::from_secs(at.duration_since(UNIX_EPOCH).unwrap().as_secs());
    assert!(SystemTime::now() >= floor);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn waits_out_x_ratelimit_reset_as_an_epoch() {
    let mut server = Flaky::new(1, 429);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let reset = now.as_secs() + 2;
    server.headers = vec![
        ("x-ratelimit-limit", "10".into()),
        ("x-ratelimit-remaining", "0".into()),
        ("x-ratelimit-reset", reset.to_string()),
    ];
    let http = client(serve_flaky(server.clone()).await, 5);
    http.send(ApiRequest::get("/thing")).await.unwrap();
    let after = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    assert!(after >= Duration::from_secs(reset), "{after:?} < {reset}");
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_create_is_not_retried_after_a_5xx_but_is_after_a_429() {
    let server = Flaky::new(1, 500);
    let http = client(serve_flaky(server.clone()).await, 5);
    let error = http
        .send(ApiRequest::post("/thing").operation("create"))
        .await
        .unwrap_err();
    assert!(error.is_ambiguous(), "{error:?}");
    assert_eq!(server.hits(), 1);

    let limited = Flaky::new(1, 429);
    let http = client(serve_flaky(limited.clone()).await, 5);
    http.send(ApiRequest::post("/thing")).await.unwrap();
    assert_eq!(limited.hits(), 2);
}

async fn slow(State(hits): State<Arc<AtomicU32>>) -> &'static str {
    hits.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(3)).await;
    "late"
}

#[tokio::test]
async fn timeouts_are_retried_for_reads_only() {
    let hits = Arc::new(AtomicU32::new(0));
    let url = serve(
        Router::new()
            .route("/slow", get(slow).post(slow))
            .with_state(Arc::clone(&hits)),
    )
    .await;
    let mut config = idconn_core::http::HttpConfig::new(idconn_core::Vendor::Ezto, url);
    config.timeout = Duration::from_millis(150);
    config.retry = http_support::quick_retry(2);
    let http = idconn_core::http::HttpClient::new(
        config,
        idconn_core::http::StatusErrors,
        idconn_core::http::Auth::None,
    )
    .unwrap();

    let error = http.send(ApiRequest::get("/slow")).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.to_string().contains("GET /slow"), "{error}");
    assert_eq!(hits.load(Ordering::SeqCst), 2);

    let error = http.send(ApiRequest::post("/slow")).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }) && error.is_ambiguous());
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_creates_and_reported_as_not_sent() {
    // Bind then drop a listener: the port is (almost certainly) closed afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = idconn_core::http::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let http = client(url, 3);
    let started = Instant::now();
    let error = http.send(ApiRequest::post("/thing")).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                maybe_sent: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_ambiguous());
    // Two backoffs of at least 10 ms and 20 ms: it was retried.
    assert!(started.elapsed() >= Duration::from_millis(30));
}
