//! Decoding with JSON paths, and the vendor error hook driving retries (GenAuth's HTTP-200 errors).

mod http_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use idconn_core::Error;
use idconn_core::http::{ApiRequest, ApiResponse, Auth, ErrorDetails, VendorErrors};
use serde::Deserialize;
use serde_json::Value;

use http_support::{client, client_with, quick_retry, serve};

#[derive(Debug, Deserialize)]
struct Page {
    #[allow(dead_code)]
    connections: Vec<Connection>,
}

#[derive(Debug, Deserialize)]
struct Connection {
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    options: Options,
}

#[derive(Debug, Deserialize)]
struct Options {
    #[allow(dead_code)]
    scope: String,
    #[allow(dead_code)]
    client_secret: Option<String>,
}

const LIST: &str = r#"{"connections":[
 {"name":"a","options":{"scope":"openid","client_secret":"hunter2"}},
 {"name":"b","options":{"scope":"openid"}},
 {"name":"c","options":{"scope":"openid"}},
 {"name":"d","options":{"scope":["openid","email"],"client_secret":"hunter3"}}]}"#;

#[tokio::test]
async fn a_bad_field_is_named_by_its_json_path_without_secrets() {
    let url = serve(Router::new().route("/list", get(|| async { LIST }))).await;
    let error = client(url, 1)
        .send_json::<Page>(ApiRequest::get("/list"))
        .await
        .unwrap_err();
    let Error::Decode {
        path,
        excerpt,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(path, "connections[3].options.scope");
    assert!(message.contains("expected a string"), "{message}");
    assert!(excerpt.starts_with(r#"{"connections""#), "{excerpt}");
    assert!(excerpt.chars().count() <= 201, "{excerpt}");
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("hunter3"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_bad_secret_field_is_named_without_quoting_it() {
    let body = r#"{"connections":[{"name":"a","options":{"scope":"x","client_secret":42}}]}"#;
    let url = serve(Router::new().route("/list", get(move || async move { body }))).await;
    let error = client(url, 1)
        .send_json::<Page>(ApiRequest::get("/list"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "connections[0].options.client_secret"),
        "{error:?}"
    );
    assert!(!error.to_string().contains("42,"), "{error}");
}

#[tokio::test]
async fn trailing_garbage_and_html_are_decode_errors() {
    let url = serve(
        Router::new()
            .route("/html", get(|| async { "<html>502 Bad Gateway</html>" }))
            .route("/trailing", get(|| async { r#"{"connections":[]} x"# })),
    )
    .await;
    let http = client(url, 1);
    for path in ["/html", "/trailing"] {
        let error = http
            .send_json::<Page>(ApiRequest::get(path))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{path}: {error:?}");
    }
}

/// GenAuth answers with HTTP 200 and `{statusCode, message, apiCode, requestId, data}`.
struct Envelope;

impl VendorErrors for Envelope {
    fn error_for(&self, response: &ApiResponse) -> Option<Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Env {
            status_code: u16,
            #[serde(default)]
            message: String,
            api_code: Option<u64>,
            request_id: Option<String>,
        }
        let Ok(env) = response.json::<Env>() else {
            return response.status_error();
        };
        (env.status_code != 200).then(|| {
            response.error_from(
                ErrorDetails::new(env.status_code, env.message)
                    .with_code(env.api_code.map(|c| c.to_string()))
                    .with_request_id(env.request_id),
            )
        })
    }
}

/// Answers HTTP 200 with envelope `statusCode` from `codes` in turn, then 200.
async fn envelope(State((hits, codes)): State<(Arc<AtomicU32>, Vec<u16>)>) -> String {
    let n = hits.fetch_add(1, Ordering::SeqCst) as usize;
    match codes.get(n) {
        Some(code) => format!(
            r#"{{"statusCode":{code},"message":"nope","apiCode":2333,"requestId":"req-{n}"}}"#
        ),
        None => r#"{"statusCode":200,"message":"","data":{"id":"x"}}"#.to_owned(),
    }
}

async fn envelope_server(codes: Vec<u16>) -> (idconn_core::http::Url, Arc<AtomicU32>) {
    let hits = Arc::new(AtomicU32::new(0));
    let url = serve(
        Router::new()
            .route("/api/v3/thing", post(envelope).get(envelope))
            .with_state((Arc::clone(&hits), codes)),
    )
    .await;
    (url, hits)
}

#[tokio::test]
async fn envelope_level_5xx_and_429_are_retried() {
    let (url, hits) = envelope_server(vec![503, 429]).await;
    let http = client_with(url, Envelope, Auth::None, quick_retry(5));
    let body: Value = http
        .send_json(ApiRequest::get("/api/v3/thing"))
        .await
        .unwrap();
    assert_eq!(body["data"]["id"], "x");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn envelope_level_rate_limits_are_retried_for_creates_but_5xx_is_not() {
    let (url, hits) = envelope_server(vec![429]).await;
    let http = client_with(url, Envelope, Auth::None, quick_retry(5));
    http.send(ApiRequest::post("/api/v3/thing")).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);

    let (url, hits) = envelope_server(vec![500]).await;
    let http = client_with(url, Envelope, Auth::None, quick_retry(5));
    let error = http
        .send(ApiRequest::post("/api/v3/thing"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Server { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(error.request_id(), Some("req-0"));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn envelope_errors_map_to_categories_with_code_and_request_id() {
    let (url, _) = envelope_server(vec![403]).await;
    let http = client_with(url, Envelope, Auth::None, quick_retry(5));
    let error = http
        .send(ApiRequest::get("/api/v3/thing"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");

    let (url, _) = envelope_server(vec![400]).await;
    let http = client_with(url, Envelope, Auth::None, quick_retry(5));
    let error = http
        .send(ApiRequest::get("/api/v3/thing"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Rejected { status: 400, code: Some(code), request_id: Some(id), .. }
            if code == "2333" && id == "req-0"),
        "{error:?}"
    );
}

#[tokio::test]
async fn default_mapping_covers_the_common_statuses() {
    async fn status(State(code): State<u16>) -> (StatusCode, &'static str) {
        (StatusCode::from_u16(code).unwrap(), "{}")
    }
    for (code, check) in [
        (
            401u16,
            (|e: &Error| matches!(e, Error::Unauthorized { .. })) as fn(&Error) -> bool,
        ),
        (403, |e| matches!(e, Error::Forbidden { .. })),
        (404, |e| matches!(e, Error::NotFound { .. })),
        (409, |e| matches!(e, Error::Conflict { .. })),
        (422, |e| matches!(e, Error::Rejected { status: 422, .. })),
    ] {
        let url = serve(Router::new().route("/x", get(status)).with_state(code)).await;
        let error = client(url, 1)
            .send(ApiRequest::get("/x"))
            .await
            .unwrap_err();
        assert!(check(&error), "{code}: {error:?}");
    }
}
