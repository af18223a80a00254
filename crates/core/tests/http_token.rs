//! Tokens: fetched once for many callers, refreshed before expiry, and once after a 401.

mod http_support;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use idconn_core::Error;
use idconn_core::http::{
    AccessToken, ApiRequest, Auth, ClientCredentials, HttpClient, TokenSource,
};
use secrecy::SecretString;
use serde_json::{Value, json};

use http_support::{client_with, quick_retry, serve};

/// A token request's form, as received.
type FormPairs = Vec<(String, String)>;

/// A vendor whose token endpoint mints `tok-1`, `tok-2`, ... and whose API accepts only
/// tokens at or above `min_accepted`.
#[derive(Clone, Default)]
struct Vendor {
    token_calls: Arc<AtomicU32>,
    api_calls: Arc<AtomicU32>,
    unauthorized: Arc<AtomicU32>,
    min_accepted: Arc<AtomicU32>,
    expires_in: Arc<AtomicU32>,
    token_status: Arc<Mutex<Option<StatusCode>>>,
    seen_forms: Arc<Mutex<Vec<FormPairs>>>,
    slow_tokens: Arc<AtomicBool>,
}

async fn token(
    State(v): State<Vendor>,
    Form(form): Form<Vec<(String, String)>>,
) -> (StatusCode, Json<Value>) {
    v.seen_forms.lock().unwrap().push(form);
    let n = v.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
    if v.slow_tokens.load(Ordering::SeqCst) {
        // Keep the fetch in flight long enough for every concurrent caller to pile up behind it.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    if let Some(status) = *v.token_status.lock().unwrap() {
        return (
            status,
            Json(json!({"error": "invalid_client", "error_description": "bad secret"})),
        );
    }
    let expires_in = v.expires_in.load(Ordering::SeqCst);
    (
        StatusCode::OK,
        Json(
            json!({"access_token": format!("tok-{n}"), "expires_in": expires_in, "token_type": "Bearer"}),
        ),
    )
}

async fn api(State(v): State<Vendor>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    v.api_calls.fetch_add(1, Ordering::SeqCst);
    let number = headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer tok-"))
        .and_then(|n| n.parse::<u32>().ok());
    match number {
        Some(n) if n >= v.min_accepted.load(Ordering::SeqCst) => {
            (StatusCode::OK, Json(json!({"token": n})))
        }
        _ => {
            v.unauthorized.fetch_add(1, Ordering::SeqCst);
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"statusCode": 401, "message": "Invalid token"})),
            )
        }
    }
}

async fn start(vendor: &Vendor) -> HttpClient {
    vendor.min_accepted.store(1, Ordering::SeqCst);
    if vendor.expires_in.load(Ordering::SeqCst) == 0 {
        vendor.expires_in.store(3600, Ordering::SeqCst);
    }
    let url = serve(
        Router::new()
            .route("/oauth/token", post(token))
            .route("/api/v2/connections", get(api))
            .with_state(vendor.clone()),
    )
    .await;
    let url_text = url.to_string();
    let tokens = ClientCredentials::new("/oauth/token", "my-client", SecretString::from("s3cret"))
        .with_param("audience", format!("{url_text}api/v2/"));
    client_with(
        url,
        idconn_core::http::StatusErrors,
        Auth::source(tokens),
        quick_retry(3),
    )
}

async fn call(http: &HttpClient) -> Result<u32, Error> {
    let body: Value = http
        .send_json(ApiRequest::get("/api/v2/connections").operation("list"))
        .await?;
    Ok(body["token"].as_u64().unwrap() as u32)
}

#[tokio::test]
async fn a_hundred_concurrent_calls_cause_one_token_request() {
    let vendor = Vendor::default();
    vendor.slow_tokens.store(true, Ordering::SeqCst);
    vendor.expires_in.store(1, Ordering::SeqCst);
    let http = start(&vendor).await;
    assert_eq!(call(&http).await.unwrap(), 1);
    // Let tok-1 expire; the first answer has opened the rate-limit gate, so all hundred calls
    // reach the token cache at once.
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let calls = (0..100).map(|_| {
        let http = http.clone();
        tokio::spawn(async move { call(&http).await })
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap().unwrap(), 2);
    }
    assert_eq!(vendor.token_calls.load(Ordering::SeqCst), 2);
    assert_eq!(vendor.api_calls.load(Ordering::SeqCst), 101);
    let forms = vendor.seen_forms.lock().unwrap();
    let form = &forms[0];
    assert!(form.contains(&("grant_type".into(), "client_credentials".into())));
    assert!(form.contains(&("client_secret".into(), "s3cret".into())));
    assert!(
        form.iter()
            .any(|(k, v)| k == "audience" && v.ends_with("/api/v2/"))
    );
}

#[tokio::test]
async fn a_hundred_calls_during_the_refresh_margin_cause_one_refresh() {
    let vendor = Vendor::default();
    vendor.slow_tokens.store(true, Ordering::SeqCst);
    vendor.expires_in.store(2, Ordering::SeqCst);
    let http = start(&vendor).await;
    assert_eq!(call(&http).await.unwrap(), 1);
    // Inside the margin (the last 10 % of 2 s): one caller refreshes, the others keep tok-1.
    tokio::time::sleep(Duration::from_millis(1850)).await;
    let calls = (0..100).map(|_| {
        let http = http.clone();
        tokio::spawn(async move { call(&http).await })
    });
    for result in futures::future::join_all(calls).await {
        assert!(result.unwrap().unwrap() <= 2);
    }
    assert_eq!(vendor.token_calls.load(Ordering::SeqCst), 2);
    assert_eq!(vendor.unauthorized.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_401_causes_exactly_one_refresh_and_one_retry() {
    let vendor = Vendor::default();
    let http = start(&vendor).await;
    assert_eq!(call(&http).await.unwrap(), 1);
    // The vendor revokes tok-1.
    vendor.min_accepted.store(2, Ordering::SeqCst);
    assert_eq!(call(&http).await.unwrap(), 2);
    assert_eq!(vendor.token_calls.load(Ordering::SeqCst), 2);
    assert_eq!(vendor.unauthorized.load(Ordering::SeqCst), 1);
    assert_eq!(vendor.api_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_hundred_concurrent_401s_cause_one_refresh() {
    let vendor = Vendor::default();
    let http = start(&vendor).await;
    assert_eq!(call(&http).await.unwrap(), 1);
    vendor.min_accepted.store(2, Ordering::SeqCst);
    let calls = (0..100).map(|_| {
        let http = http.clone();
        tokio::spawn(async move { call(&http).await })
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap().unwrap(), 2);
    }
    assert_eq!(vendor.token_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_token_that_stays_refused_is_returned_as_unauthorized_after_one_refresh() {
    let vendor = Vendor::default();
    let http = start(&vendor).await;
    vendor.min_accepted.store(u32::MAX, Ordering::SeqCst);
    let error = call(&http).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(vendor.token_calls.load(Ordering::SeqCst), 2);
    assert_eq!(vendor.api_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_token_request_does_not_loop() {
    let vendor = Vendor::default();
    *vendor.token_status.lock().unwrap() = Some(StatusCode::UNAUTHORIZED);
    let http = start(&vendor).await;
    let error = call(&http).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert!(!error.to_string().contains("s3cret"));
    assert_eq!(vendor.token_calls.load(Ordering::SeqCst), 1);
    assert_eq!(vendor.api_calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_retried_like_any_request() {
    let vendor = Vendor::default();
    *vendor.token_status.lock().unwrap() = Some(StatusCode::SERVICE_UNAVAILABLE);
    let http = start(&vendor).await;
    let error = call(&http).await.unwrap_err();
    assert!(
        matches!(error, Error::Server { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(vendor.token_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn tokens_are_refreshed_before_they_expire() {
    let vendor = Vendor::default();
    vendor.expires_in.store(1, Ordering::SeqCst);
    let http = start(&vendor).await;
    assert_eq!(call(&http).await.unwrap(), 1);
    assert_eq!(call(&http).await.unwrap(), 1);
    // Past the refresh margin (10 % of 1 s) but before expiry: refreshed, no 401 needed.
    tokio::time::sleep(Duration::from_millis(920)).await;
    assert_eq!(call(&http).await.unwrap(), 2);
    assert_eq!(vendor.unauthorized.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_static_token_is_sent_and_a_401_is_final() {
    let vendor = Vendor::default();
    let url = serve(
        Router::new()
            .route("/api/v2/connections", get(api))
            .with_state(vendor.clone()),
    )
    .await;
    vendor.min_accepted.store(7, Ordering::SeqCst);
    let good = client_with(
        url.clone(),
        idconn_core::http::StatusErrors,
        Auth::bearer(SecretString::from("tok-7")),
        quick_retry(3),
    );
    assert_eq!(call(&good).await.unwrap(), 7);
    let stale = client_with(
        url,
        idconn_core::http::StatusErrors,
        Auth::bearer(SecretString::from("tok-6")),
        quick_retry(3),
    );
    let error = call(&stale).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(vendor.api_calls.load(Ordering::SeqCst), 2);
}

/// A vendor-specific source (like GenAuth's `get-management-token`), counting its fetches.
struct Counting(Arc<AtomicU32>);

#[async_trait::async_trait]
impl TokenSource for Counting {
    async fn fetch(&self, _http: &HttpClient) -> idconn_core::Result<AccessToken> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(AccessToken {
            token: SecretString::from(format!("tok-{n}")),
            expires_in: None,
        })
    }
}

#[tokio::test]
async fn custom_token_sources_are_single_flight_too() {
    let vendor = Vendor::default();
    vendor.min_accepted.store(1, Ordering::SeqCst);
    let url = serve(
        Router::new()
            .route("/api/v2/connections", get(api))
            .with_state(vendor.clone()),
    )
    .await;
    let fetches = Arc::new(AtomicU32::new(0));
    let http = client_with(
        url,
        idconn_core::http::StatusErrors,
        Auth::source(Counting(Arc::clone(&fetches))),
        quick_retry(3),
    );
    let calls = (0..100).map(|_| {
        let http = http.clone();
        tokio::spawn(async move { call(&http).await })
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap().unwrap();
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}
