//! The rate-limit gate: tasks sharing a client wait for the bucket instead of collecting 429s.

mod http_support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use futures::StreamExt;
use idconn_core::http::{ApiRequest, HttpClient};

use http_support::{client_with, serve};

/// An Auth0-like token bucket: `burst` requests, refilled continuously at `rate` per second,
/// answering with `x-ratelimit-limit/-remaining/-reset` (reset: epoch seconds, rounded up,
/// when the next request is added; reference/auth0.md §3.2).
struct Bucket {
    burst: f64,
    rate: f64,
    state: Mutex<(f64, Instant)>,
    served: AtomicU32,
    refused: AtomicU32,
}

impl Bucket {
    fn new(burst: u32, rate: f64) -> Arc<Self> {
        Arc::new(Bucket {
            burst: f64::from(burst),
            rate,
            state: Mutex::new((f64::from(burst), Instant::now())),
            served: AtomicU32::new(0),
            refused: AtomicU32::new(0),
        })
    }
}

async fn limited(State(bucket): State<Arc<Bucket>>) -> (StatusCode, HeaderMap, &'static str) {
    let (allowed, tokens) = {
        let mut state = bucket.state.lock().unwrap();
        let (tokens, at) = *state;
        let now = Instant::now();
        let tokens =
            (tokens + now.duration_since(at).as_secs_f64() * bucket.rate).min(bucket.burst);
        let allowed = tokens >= 1.0;
        let tokens = if allowed { tokens - 1.0 } else { tokens };
        *state = (tokens, now);
        (allowed, tokens)
    };
    let epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let next_token_in = if tokens >= 1.0 {
        0.0
    } else {
        (1.0 - tokens) / bucket.rate
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-ratelimit-limit",
        bucket.burst.to_string().parse().unwrap(),
    );
    headers.insert(
        "x-ratelimit-remaining",
        (tokens.floor() as u64).to_string().parse().unwrap(),
    );
    headers.insert(
        "x-ratelimit-reset",
        ((epoch + next_token_in).ceil() as u64)
            .to_string()
            .parse()
            .unwrap(),
    );
    if allowed {
        bucket.served.fetch_add(1, Ordering::SeqCst);
        (StatusCode::OK, headers, "{}")
    } else {
        bucket.refused.fetch_add(1, Ordering::SeqCst);
        (
            StatusCode::TOO_MANY_REQUESTS,
            headers,
            r#"{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}"#,
        )
    }
}

async fn bucket_client(bucket: &Arc<Bucket>) -> HttpClient {
    let url = serve(
        Router::new()
            .route("/api/v2/connections", get(limited).post(limited))
            .with_state(Arc::clone(bucket)),
    )
    .await;
    client_with(
        url,
        idconn_core::http::StatusErrors,
        idconn_core::http::Auth::None,
        http_support::quick_retry(10),
    )
}

async fn run(http: &HttpClient, requests: usize, concurrency: usize) -> Duration {
    let started = Instant::now();
    let results: Vec<_> = futures::stream::iter(0..requests)
        .map(|_| http.send(ApiRequest::post("/api/v2/connections").operation("create")))
        .buffer_unordered(concurrency)
        .collect()
        .await;
    for result in results {
        result.unwrap();
    }
    started.elapsed()
}

#[tokio::test]
async fn concurrent_tasks_wait_for_the_bucket_instead_of_getting_429s() {
    // Burst 5 then 10/s: 25 creates need (25 - 5) / 10 = 2 s at best.
    let bucket = Bucket::new(5, 10.0);
    let http = bucket_client(&bucket).await;
    let elapsed = run(&http, 25, 12).await;
    eprintln!("25 requests, burst 5, 10/s: {elapsed:?} (ideal 2 s)");
    assert_eq!(bucket.served.load(Ordering::SeqCst), 25);
    assert_eq!(bucket.refused.load(Ordering::SeqCst), 0, "429s received");
    assert!(elapsed >= Duration::from_millis(1900), "{elapsed:?}");
    // Waiting for whole-second resets must not cost much more than the bucket itself.
    assert!(elapsed <= Duration::from_millis(3200), "{elapsed:?}");
}

#[tokio::test]
async fn throughput_follows_the_refill_rate_at_high_concurrency() {
    // Auth0's shape (burst 50, 16/s: less than a burst per second), scaled down: burst 30 then
    // 10/s; 60 requests need (60 - 30) / 10 = 3 s at best. The benchmark bar is within 10 %.
    let bucket = Bucket::new(30, 10.0);
    let http = bucket_client(&bucket).await;
    let elapsed = run(&http, 60, 32).await;
    eprintln!("60 requests, burst 30, 10/s: {elapsed:?} (ideal 3 s)");
    assert_eq!(bucket.served.load(Ordering::SeqCst), 60);
    assert_eq!(bucket.refused.load(Ordering::SeqCst), 0, "429s received");
    assert!(elapsed >= Duration::from_millis(2900), "{elapsed:?}");
    assert!(
        elapsed <= Duration::from_millis(3300),
        "{elapsed:?} vs 3 s ideal"
    );
}

/// A server that refuses everything with 429 + `Retry-After: 1` until one second after its
/// first request, counting both kinds of answers.
#[derive(Clone, Default)]
struct ClosedForASecond {
    first: Arc<Mutex<Option<Instant>>>,
    refused: Arc<AtomicU32>,
    served: Arc<AtomicU32>,
}

async fn closed_for_a_second(State(s): State<ClosedForASecond>) -> (StatusCode, HeaderMap) {
    let opened = {
        let mut first = s.first.lock().unwrap();
        let at = *first.get_or_insert_with(Instant::now);
        at + Duration::from_secs(1)
    };
    let mut headers = HeaderMap::new();
    if Instant::now() < opened {
        s.refused.fetch_add(1, Ordering::SeqCst);
        headers.insert("retry-after", "1".parse().unwrap());
        (StatusCode::TOO_MANY_REQUESTS, headers)
    } else {
        s.served.fetch_add(1, Ordering::SeqCst);
        (StatusCode::OK, headers)
    }
}

#[tokio::test]
async fn a_429_with_retry_after_holds_back_every_task() {
    let server = ClosedForASecond::default();
    let url = serve(
        Router::new()
            .route("/x", get(closed_for_a_second))
            .with_state(server.clone()),
    )
    .await;
    let http = http_support::client(url, 5);
    let started = Instant::now();
    let results: Vec<_> = futures::stream::iter(0..20)
        .map(|_| http.send(ApiRequest::get("/x")))
        .buffer_unordered(20)
        .collect()
        .await;
    assert!(results.iter().all(Result::is_ok));
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.served.load(Ordering::SeqCst), 20);
    assert_eq!(
        server.refused.load(Ordering::SeqCst),
        1,
        "only the probe should meet the 429"
    );
}

/// The same bucket as a server that sends no counts (GenAuth, Keycloak): only `Retry-After`,
/// in whole seconds, on its 429s.
async fn limited_without_counts(
    State(bucket): State<Arc<Bucket>>,
) -> (StatusCode, HeaderMap, &'static str) {
    let (status, _, body) = limited(State(bucket)).await;
    let mut headers = HeaderMap::new();
    if status == StatusCode::TOO_MANY_REQUESTS {
        headers.insert("retry-after", "1".parse().unwrap());
    }
    (status, headers, body)
}

#[tokio::test]
async fn without_counts_a_429_shrinks_what_is_sent_at_once() {
    // Burst 5, 40/s; the server can only say "come back in 1 s". Were every waiting task let
    // go together after each wait, some would lose the race eight times and fail.
    let bucket = Bucket::new(5, 40.0);
    let url = serve(
        Router::new()
            .route("/x", get(limited_without_counts))
            .with_state(Arc::clone(&bucket)),
    )
    .await;
    let http = client_with(
        url,
        idconn_core::http::StatusErrors,
        idconn_core::http::Auth::None,
        idconn_core::http::RetryConfig::new(8, Duration::from_millis(10), Duration::from_secs(30)),
    );
    let results: Vec<_> = futures::stream::iter(0..30)
        .map(|_| http.send(ApiRequest::get("/x")))
        .buffer_unordered(16)
        .collect()
        .await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(failed, 0, "every request eventually passes");
    assert_eq!(bucket.served.load(Ordering::SeqCst), 30);
    let refused = bucket.refused.load(Ordering::SeqCst);
    eprintln!("30 requests, burst 5, 40/s, no counts: {refused} 429s");
    // Measured: 22 with the window, 52 without it.
    assert!(refused <= 30, "{refused} 429s: the window did not shrink");
}

/// A client of `url` paced to `limit`, with a quick retry budget.
fn paced_client(
    url: idconn_core::http::Url,
    auth: idconn_core::http::Auth,
    limit: &str,
) -> HttpClient {
    let mut config = idconn_core::http::HttpConfig::new(idconn_core::Vendor::Keycloak, url);
    config.retry = http_support::quick_retry(10);
    config.rate_limit = Some(limit.parse().unwrap());
    HttpClient::new(config, idconn_core::http::StatusErrors, auth).unwrap()
}

/// The token endpoint of the server without counts, drawing from the same bucket: tokens
/// that live one second, so a run of two seconds fetches several.
async fn token_without_counts(
    State(bucket): State<Arc<Bucket>>,
) -> (StatusCode, HeaderMap, &'static str) {
    let (status, headers, body) = limited_without_counts(State(bucket)).await;
    if status == StatusCode::OK {
        (
            status,
            headers,
            r#"{"access_token":"t0k3n","expires_in":1}"#,
        )
    } else {
        (status, headers, body)
    }
}

#[tokio::test]
async fn a_client_limit_keeps_a_server_without_counts_free_of_429s() {
    // Burst 5, 20/s, and the server says nothing until it refuses: without a limit of its
    // own, a client at concurrency 16 meets 429s at once. With the server's own limit set,
    // every request waits for its token instead, token requests included.
    let bucket = Bucket::new(5, 20.0);
    let url = serve(
        Router::new()
            .route("/x", get(limited_without_counts))
            .route("/token", axum::routing::post(token_without_counts))
            .with_state(Arc::clone(&bucket)),
    )
    .await;
    let tokens = idconn_core::http::ClientCredentials::new("/token", "client", "secret".into());
    let http = paced_client(url, idconn_core::http::Auth::source(tokens), "5/20");
    let results: Vec<_> = futures::stream::iter(0..40)
        .map(|_| http.send(ApiRequest::get("/x")))
        .buffer_unordered(16)
        .collect()
        .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(bucket.refused.load(Ordering::SeqCst), 0, "429s received");
    // 40 requests and at least one token request, each served once.
    assert!(bucket.served.load(Ordering::SeqCst) > 40);
}

#[tokio::test]
async fn two_clients_sharing_a_limit_half_each_meet_no_429s() {
    // One Auth0-like bucket (burst 10, 20/s) behind two clients that do not know of each
    // other: each one's counts are spent by the other as well, so only limits of their own
    // (5/10 each, the server's split in two) keep both inside the bucket.
    let bucket = Bucket::new(10, 20.0);
    let url = serve(
        Router::new()
            .route("/api/v2/connections", get(limited).post(limited))
            .with_state(Arc::clone(&bucket)),
    )
    .await;
    let first = paced_client(url.clone(), idconn_core::http::Auth::None, "5/10");
    let second = paced_client(url, idconn_core::http::Auth::None, "5/10");
    let (a, b) = tokio::join!(run_all(&first, 20, 8), run_all(&second, 20, 8));
    assert!(a.iter().chain(&b).all(Result::is_ok));
    assert_eq!(bucket.served.load(Ordering::SeqCst), 40);
    assert_eq!(bucket.refused.load(Ordering::SeqCst), 0, "429s received");
}

async fn run_all(
    http: &HttpClient,
    requests: usize,
    concurrency: usize,
) -> Vec<idconn_core::Result<idconn_core::http::ApiResponse>> {
    futures::stream::iter(0..requests)
        .map(|_| http.send(ApiRequest::post("/api/v2/connections").operation("create")))
        .buffer_unordered(concurrency)
        .collect()
        .await
}
