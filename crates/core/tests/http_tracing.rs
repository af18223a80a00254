//! Every request is traced with its shape, and never with a token, secret, query value or body.

mod http_support;

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use idconn_core::http::{ApiRequest, Auth, ClientCredentials};
use secrecy::SecretString;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

use http_support::{client_with, quick_retry, serve};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

async fn token(State(calls): State<Arc<AtomicU32>>) -> String {
    let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
    format!(r#"{{"access_token":"eyJ-token-{n}","expires_in":3600}}"#)
}

/// Refuses the first token (so a refresh happens), then echoes nothing secret.
async fn connections(headers: HeaderMap) -> (StatusCode, &'static str) {
    match headers.get("authorization").and_then(|h| h.to_str().ok()) {
        Some("Bearer eyJ-token-2") => (StatusCode::CREATED, r#"{"id":"con_1"}"#),
        _ => (StatusCode::UNAUTHORIZED, r#"{"message":"Invalid token"}"#),
    }
}

#[tokio::test]
async fn spans_carry_the_request_shape_and_no_secrets() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let calls = Arc::new(AtomicU32::new(0));
    let url = serve(
        Router::new()
            .route("/oauth/token", post(token))
            .with_state(calls)
            .route("/api/v2/connections", post(connections)),
    )
    .await;
    let tokens = ClientCredentials::new(
        "/oauth/token",
        "client-id",
        SecretString::from("client-secret-XYZ"),
    );
    let http = client_with(
        url,
        idconn_core::http::StatusErrors,
        Auth::source(tokens),
        quick_retry(3),
    );
    let request = ApiRequest::post("/api/v2/connections")
        .query("secret_query", "query-value-QQQ")
        .operation("create")
        .json(&serde_json::json!({"options": {"client_secret": "body-secret-BBB"}}))
        .unwrap();
    assert!(!format!("{request:?}").contains("BBB"));
    http.send(request).await.unwrap();

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for secret in [
        "client-secret-XYZ",
        "eyJ-token",
        "query-value-QQQ",
        "body-secret-BBB",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into:\n{text}");
    }
    let create_span = text
        .lines()
        .find(|l| {
            l.contains("operation=\"create\"")
                && l.contains("close")
                && !l.contains("operation=\"token\"")
        })
        .unwrap_or_else(|| panic!("no closed create span in:\n{text}"));
    for field in [
        "vendor=auth0",
        "method=POST",
        "path=/api/v2/connections",
        "status=201",
        "attempt=2",
        "latency_ms=",
    ] {
        assert!(
            create_span.contains(field),
            "{field} missing in: {create_span}"
        );
    }
    assert!(
        text.lines()
            .any(|l| l.contains("operation=\"token\"") && l.contains("status=200")),
        "no token span in:\n{text}"
    );
}
