//! The shared knobs (rate limit, Auth0 headers, seeded faults, latency, run-time changes, stop)
//! driven over real HTTP against a tiny test-only vendor.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use idconn_sim::{FaultCounts, Faults, Knobs, RateLimit, Sim, SimHandle, SimVendor, VendorApi};
use serde_json::json;

/// A vendor with one counter: `POST /items` adds one, `GET /items` reads it, `POST /token` is
/// its token endpoint.
struct Counter {
    writes: AtomicU64,
    rate_limit_headers: bool,
}

impl Counter {
    fn new(rate_limit_headers: bool) -> Self {
        Counter {
            writes: AtomicU64::new(0),
            rate_limit_headers,
        }
    }
}

impl VendorApi for Counter {
    fn vendor(&self) -> SimVendor {
        SimVendor::Auth0
    }

    fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route(
                "/items",
                post(|State(me): State<Arc<Counter>>| async move {
                    me.writes.fetch_add(1, Ordering::SeqCst);
                    StatusCode::CREATED
                })
                .get(|State(me): State<Arc<Counter>>| async move {
                    me.writes.load(Ordering::SeqCst).to_string()
                }),
            )
            .route("/token", post(|| async { "token" }))
            .with_state(self)
    }

    fn env_vars(&self, base_url: &str) -> Vec<(String, String)> {
        vec![("COUNTER_URL".into(), base_url.into())]
    }

    fn connections(&self) -> Vec<serde_json::Value> {
        vec![json!({ "writes": self.writes.load(Ordering::SeqCst) })]
    }

    fn rate_limited(&self, retry_after: Duration) -> Response {
        let body = json!({ "error": "slow down", "wait_ms": retry_after.as_millis() as u64 });
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response()
    }

    fn server_error(&self) -> Response {
        (StatusCode::SERVICE_UNAVAILABLE, "injected").into_response()
    }

    fn sends_rate_limit_headers(&self) -> bool {
        self.rate_limit_headers
    }

    fn is_token_path(&self, path: &str) -> bool {
        path == "/token"
    }
}

async fn start(knobs: Knobs, rate_limit_headers: bool) -> SimHandle {
    Sim::start(Counter::new(rate_limit_headers), knobs, 0)
        .await
        .unwrap()
}

fn writes(sim: &SimHandle) -> u64 {
    sim.connections()[0]["writes"].as_u64().unwrap()
}

fn count(counter: &AtomicU64) -> u64 {
    FaultCounts::get(counter)
}

fn limited(burst: u32, per_second: f64) -> Knobs {
    Knobs {
        rate_limit: Some(RateLimit { burst, per_second }),
        ..Knobs::default()
    }
}

fn faulty(faults: Faults, seed: u64) -> Knobs {
    Knobs {
        faults,
        seed,
        ..Knobs::default()
    }
}

fn header(response: &reqwest::Response, name: &str) -> Option<u64> {
    response.headers().get(name)?.to_str().ok()?.parse().ok()
}

fn epoch_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn burst_then_429_then_refill() {
    let sim = start(limited(3, 10.0), false).await;
    let http = reqwest::Client::new();
    let url = format!("{}/items", sim.base_url());
    // The token endpoint spends from the same bucket.
    let token = http
        .post(format!("{}/token", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    for _ in 0..2 {
        assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
    }
    let refused = http.post(&url).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "slow down");
    // One token comes back every 100 ms: the vendor is told how long to wait.
    let wait_ms = body["wait_ms"].as_u64().unwrap();
    assert!((1..=100).contains(&wait_ms), "{wait_ms}");
    assert_eq!(writes(&sim), 0, "a refused write is not applied");
    assert_eq!(count(&sim.counts().rate_limited), 1);

    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(http.post(&url).send().await.unwrap().status(), 201);
    assert_eq!(writes(&sim), 1);
    assert_eq!(count(&sim.counts().requests), 5);
    assert_eq!(count(&sim.counts().rate_limited), 1);
}

#[tokio::test]
async fn refill_follows_per_second() {
    let sim = start(limited(5, 10.0), false).await;
    let http = reqwest::Client::new();
    let url = format!("{}/items", sim.base_url());
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(http.get(&url).send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    // 300 ms at 10 a second: 3 tokens (one or two more if this machine is slow between requests).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut admitted = 0;
    for _ in 0..8 {
        if http.get(&url).send().await.unwrap().status() == 200 {
            admitted += 1;
        }
    }
    assert!((3..=5).contains(&admitted), "{admitted} admitted");
}

#[tokio::test]
async fn auth0_headers_are_on_every_response() {
    let sim = start(limited(2, 1.0), true).await;
    let http = reqwest::Client::new();
    let url = format!("{}/items", sim.base_url());
    let mut remaining = Vec::new();
    for expected_status in [201, 201, 429] {
        let response = http.post(&url).send().await.unwrap();
        assert_eq!(response.status(), expected_status);
        assert_eq!(header(&response, "x-ratelimit-limit"), Some(2));
        remaining.push(header(&response, "x-ratelimit-remaining").unwrap());
        let reset = header(&response, "x-ratelimit-reset").unwrap();
        let now = epoch_now();
        assert!(
            (now..=now + 2).contains(&reset),
            "reset {reset} is not epoch seconds in the near future (now {now})"
        );
        let retry_after = header(&response, "retry-after");
        if expected_status == 429 {
            assert_eq!(retry_after, Some(1));
        } else {
            assert_eq!(retry_after, None);
        }
    }
    assert_eq!(remaining, [1, 0, 0]);

    // Injected faults carry them too.
    sim.set_knobs(Knobs {
        rate_limit: Some(RateLimit {
            burst: 5,
            per_second: 1.0,
        }),
        faults: Faults {
            error_before: 1.0,
            ..Faults::default()
        },
        seed: 1,
    });
    let failed = http.get(&url).send().await.unwrap();
    assert_eq!(failed.status(), 503);
    assert_eq!(header(&failed, "x-ratelimit-limit"), Some(5));
    assert_eq!(header(&failed, "x-ratelimit-remaining"), Some(4));
    assert!(header(&failed, "x-ratelimit-reset").unwrap() >= epoch_now());
}

#[tokio::test]
async fn auth0_headers_without_a_limit_describe_a_bucket_that_never_drains() {
    let sim = start(Knobs::default(), true).await;
    let response = reqwest::get(format!("{}/items", sim.base_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "x-ratelimit-limit"),
        Some(u64::from(u32::MAX))
    );
    assert_eq!(
        header(&response, "x-ratelimit-remaining"),
        Some(u64::from(u32::MAX))
    );
    let reset = header(&response, "x-ratelimit-reset").unwrap();
    assert!((epoch_now()..=epoch_now() + 1).contains(&reset));
}

#[tokio::test]
async fn other_vendors_get_no_rate_limit_headers() {
    let sim = start(limited(1, 1.0), false).await;
    let http = reqwest::Client::new();
    let url = format!("{}/items", sim.base_url());
    for status in [200, 429] {
        let response = http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), status);
        assert!(response.headers().get("x-ratelimit-limit").is_none());
        assert!(response.headers().get("x-ratelimit-reset").is_none());
    }
}

#[derive(Debug, Default, PartialEq)]
struct Outcomes {
    created: u64,
    throttled: u64,
    failed: u64,
    dropped: u64,
}

async fn post_many(sim: &SimHandle, times: usize) -> Outcomes {
    let http = reqwest::Client::new();
    let url = format!("{}/items", sim.base_url());
    let mut outcomes = Outcomes::default();
    for _ in 0..times {
        match http.post(&url).send().await {
            Ok(response) => match response.status().as_u16() {
                201 => outcomes.created += 1,
                429 => outcomes.throttled += 1,
                503 => outcomes.failed += 1,
                other => panic!("unexpected status {other}"),
            },
            // A dropped connection: no status, just a failed exchange.
            Err(error) => {
                assert!(error.status().is_none(), "{error}");
                outcomes.dropped += 1;
            }
        }
    }
    outcomes
}

#[tokio::test]
async fn each_fault_comes_at_its_share_and_is_counted() {
    let shares = Faults {
        rate_limited: 0.1,
        error_before: 0.1,
        error_after: 0.1,
        drop_after: 0.1,
        latency: Duration::ZERO,
    };
    let sim = start(faulty(shares, 7), false).await;
    let total = 400;
    let outcomes = post_many(&sim, total).await;
    let counts = sim.counts();
    let (throttled, before, after, drops) = (
        count(&counts.rate_limited),
        count(&counts.errors_before),
        count(&counts.errors_after),
        count(&counts.drops_after),
    );
    // 40 expected each; a binomial standard deviation is 6.
    for (name, n) in [
        ("rate_limited", throttled),
        ("error_before", before),
        ("error_after", after),
        ("drop_after", drops),
    ] {
        assert!((20..=60).contains(&n), "{name}: {n} of {total}");
    }
    assert_eq!(outcomes.throttled, throttled);
    assert_eq!(outcomes.failed, before + after);
    assert_eq!(outcomes.dropped, drops);
    assert_eq!(
        count(&counts.requests),
        total as u64,
        "no request was retried"
    );
    // Writes answered 201, 5xx-after and dropped-after were each applied exactly once; 429s
    // and 5xx-before were not applied.
    assert_eq!(writes(&sim), outcomes.created + after + drops);
    assert_eq!(writes(&sim), total as u64 - throttled - before);
}

#[tokio::test]
async fn the_same_seed_repeats_the_same_faults() {
    let shares = Faults {
        error_before: 0.2,
        drop_after: 0.2,
        ..Faults::default()
    };
    let first = post_many(&start(faulty(shares, 99), false).await, 60).await;
    let second = post_many(&start(faulty(shares, 99), false).await, 60).await;
    assert_eq!(first, second);
}

#[tokio::test]
async fn reads_and_token_requests_never_fail_after_the_fact() {
    let knobs = faulty(
        Faults {
            error_after: 0.5,
            drop_after: 0.5,
            ..Faults::default()
        },
        3,
    );
    let sim = start(knobs, false).await;
    let http = reqwest::Client::new();
    for _ in 0..30 {
        let read = http
            .get(format!("{}/items", sim.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), 200);
    }
    sim.set_knobs(faulty(
        Faults {
            error_before: 1.0,
            ..Faults::default()
        },
        3,
    ));
    for _ in 0..10 {
        let token = http
            .post(format!("{}/token", sim.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(token.status(), 200, "the token endpoint is never faulted");
    }
    assert_eq!(count(&sim.counts().errors_before), 0);
}

#[tokio::test]
async fn a_write_that_drops_is_applied_once_and_the_client_sees_no_answer() {
    let sim = start(
        faulty(
            Faults {
                drop_after: 1.0,
                ..Faults::default()
            },
            0,
        ),
        false,
    )
    .await;
    let error = reqwest::Client::new()
        .post(format!("{}/items", sim.base_url()))
        .send()
        .await
        .unwrap_err();
    assert!(error.status().is_none());
    assert_eq!(writes(&sim), 1);
    assert_eq!(count(&sim.counts().drops_after), 1);
}

#[tokio::test]
async fn knobs_change_at_run_time() {
    let sim = start(Knobs::default(), false).await;
    let http = reqwest::Client::new();
    let url = format!("{}/items", sim.base_url());
    assert_eq!(http.post(&url).send().await.unwrap().status(), 201);

    let broken = faulty(
        Faults {
            error_before: 1.0,
            ..Faults::default()
        },
        5,
    );
    sim.set_knobs(broken);
    assert_eq!(sim.knobs(), broken);
    assert_eq!(http.post(&url).send().await.unwrap().status(), 503);
    assert_eq!(writes(&sim), 1);

    sim.set_knobs(Knobs::default());
    assert_eq!(http.post(&url).send().await.unwrap().status(), 201);
    assert_eq!(writes(&sim), 2);
    assert_eq!(count(&sim.counts().errors_before), 1);
    assert_eq!(count(&sim.counts().requests), 3);
}

#[tokio::test]
async fn latency_is_added_to_every_request() {
    let knobs = faulty(
        Faults {
            latency: Duration::from_millis(150),
            ..Faults::default()
        },
        0,
    );
    let sim = start(knobs, false).await;
    let http = reqwest::Client::new();
    for path in ["/items", "/token"] {
        let started = Instant::now();
        let response = http
            .post(format!("{}{path}", sim.base_url()))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        assert!(started.elapsed() >= Duration::from_millis(150), "{path}");
    }
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let sim = start(Knobs::default(), false).await;
    let url = format!("{}/items", sim.base_url());
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 200);
    assert_eq!(
        sim.env_vars(),
        [("COUNTER_URL".to_string(), sim.base_url())]
    );
    drop(sim);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let error = reqwest::get(&url).await.unwrap_err();
    assert!(error.is_connect(), "{error}");
}

#[tokio::test]
async fn stop_cuts_open_connections_too() {
    let sim = start(Knobs::default(), false).await;
    let url = format!("{}/items", sim.base_url());
    // A pooled keep-alive connection is open when the server stops.
    let http = reqwest::Client::new();
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
    sim.stop();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(http.get(&url).send().await.is_err());
}
