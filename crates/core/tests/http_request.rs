//! Building the URL and headers of a request: base prefix, query encoding, ids in paths.

mod http_support;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::routing::any;
use idconn_core::Error;
use idconn_core::http::{
    AccessToken, ApiRequest, Auth, HttpClient, HttpConfig, StatusErrors, TokenSource, Url, segment,
};

use http_support::serve;

/// Records the URI and headers of the last request.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Option<(String, HeaderMap)>>>);

async fn record(
    State(seen): State<Seen>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> &'static str {
    *seen.0.lock().unwrap() = Some((uri.to_string(), headers));
    "{}"
}

async fn start(prefix: &str, seen: &Seen) -> Url {
    let url = serve(Router::new().fallback(any(record)).with_state(seen.clone())).await;
    url.join(prefix).unwrap()
}

#[tokio::test]
async fn paths_go_under_the_base_prefix_and_queries_are_encoded() {
    let seen = Seen::default();
    let base = start("/auth", &seen).await;
    let config = HttpConfig::new(idconn_core::Vendor::Ezto, base)
        .with_header("x-authing-userpool-id", "pool-1");
    let http = HttpClient::new(config, StatusErrors, Auth::None).unwrap();
    let path = format!(
        "/admin/realms/{}/identity-provider/instances/{}",
        segment("acme"),
        segment("a b/../c?d")
    );
    http.send(ApiRequest::get(path).query("q", "x y&z=1").query("max", 10))
        .await
        .unwrap();
    let (uri, headers) = seen.0.lock().unwrap().clone().unwrap();
    assert_eq!(
        uri,
        "/auth/admin/realms/acme/identity-provider/instances/a%20b%2F..%2Fc%3Fd?q=x+y%26z%3D1&max=10"
    );
    assert_eq!(headers["x-authing-userpool-id"], "pool-1");
    assert!(
        headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("idconn/")
    );
    assert!(headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_base_with_a_trailing_slash_does_not_double_it() {
    let seen = Seen::default();
    let base = start("/auth/", &seen).await;
    let http = HttpClient::new(
        HttpConfig::new(idconn_core::Vendor::Ezto, base),
        StatusErrors,
        Auth::None,
    )
    .unwrap();
    http.send(ApiRequest::get("/admin/realms")).await.unwrap();
    assert_eq!(
        seen.0.lock().unwrap().clone().unwrap().0,
        "/auth/admin/realms"
    );
}

#[tokio::test]
async fn paths_that_could_escape_are_refused() {
    let seen = Seen::default();
    let base = start("/auth", &seen).await;
    let http = HttpClient::new(
        HttpConfig::new(idconn_core::Vendor::Ezto, base),
        StatusErrors,
        Auth::None,
    )
    .unwrap();
    for path in [
        "admin",
        "/admin/../master",
        "/admin/%2e%2E/x",
        "/a?b=c",
        "/a#b",
    ] {
        let error = http.send(ApiRequest::get(path)).await.unwrap_err();
        assert!(
            matches!(&error, Error::InvalidInput { field, .. } if field == "request path"),
            "{path}: {error:?}"
        );
    }
    assert!(seen.0.lock().unwrap().is_none(), "nothing may be sent");
}

#[tokio::test]
async fn a_json_body_is_sent_with_its_content_type_and_the_bearer_token() {
    let seen = Seen::default();
    let base = start("/", &seen).await;
    let http = HttpClient::new(
        HttpConfig::new(idconn_core::Vendor::Auth0, base),
        StatusErrors,
        Auth::bearer("tok".into()),
    )
    .unwrap();
    let request = ApiRequest::patch("/api/v2/connections/con_1")
        .json(&serde_json::json!({"display_name": "Acme"}))
        .unwrap();
    assert!(!request.is_idempotent());
    http.send(request).await.unwrap();
    let (_, headers) = seen.0.lock().unwrap().clone().unwrap();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["authorization"], "Bearer tok");
}

/// A token source that wrongly sends an authenticated request.
struct Recursive;

#[async_trait::async_trait]
impl TokenSource for Recursive {
    async fn fetch(&self, http: &HttpClient) -> idconn_core::Result<AccessToken> {
        http.send(ApiRequest::post("/token")).await?;
        unreachable!("the request above must be refused")
    }
}

#[tokio::test]
async fn a_token_source_sending_authenticated_requests_fails_instead_of_deadlocking() {
    let seen = Seen::default();
    let base = start("/", &seen).await;
    let http = HttpClient::new(
        HttpConfig::new(idconn_core::Vendor::GenAuth, base),
        StatusErrors,
        Auth::source(Recursive),
    )
    .unwrap();
    let result = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        http.send(ApiRequest::get("/x")),
    )
    .await
    .expect("deadlocked");
    let error = result.unwrap_err();
    assert!(error.to_string().contains("unauthenticated"), "{error}");
}
