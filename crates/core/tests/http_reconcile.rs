//! Creates are not idempotent: after an ambiguous failure the name is looked up, never duplicated.

mod http_support;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use idconn_core::Error;
use idconn_core::http::{ApiRequest, Auth, HttpClient, HttpConfig, StatusErrors, write_reconciled};
use serde::{Deserialize, Serialize};

use http_support::{quick_retry, serve};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Item {
    name: String,
}

/// What the server does with one POST.
#[derive(Clone, Copy)]
enum Fault {
    /// Answers 503 without storing anything.
    ErrorBefore,
    /// Stores, then answers 500.
    ErrorAfter,
    /// Stores, then breaks the connection instead of sending the body.
    DropAfter,
    /// Stores, then answers too late for the client.
    SlowAfter,
}

#[derive(Clone, Default)]
struct Store {
    items: Arc<Mutex<Vec<Item>>>,
    plan: Arc<Mutex<VecDeque<Fault>>>,
    posts: Arc<AtomicU32>,
    lookups: Arc<AtomicU32>,
    /// Lookups that still miss a stored item (a lagging read replica).
    lookup_lag: Arc<AtomicU32>,
}

impl Store {
    fn with_plan(plan: &[Fault]) -> Self {
        let store = Store::default();
        store.plan.lock().unwrap().extend(plan.iter().copied());
        store
    }

    fn stored(&self, name: &str) -> usize {
        self.items
            .lock()
            .unwrap()
            .iter()
            .filter(|i| i.name == name)
            .count()
    }
}

async fn create(State(store): State<Store>, Json(item): Json<Item>) -> Response {
    store.posts.fetch_add(1, Ordering::SeqCst);
    let fault = store.plan.lock().unwrap().pop_front();
    if let Some(Fault::ErrorBefore) = fault {
        return (StatusCode::SERVICE_UNAVAILABLE, "{}").into_response();
    }
    {
        let mut items = store.items.lock().unwrap();
        if items.iter().any(|i| i.name == item.name) {
            return (StatusCode::CONFLICT, r#"{"message":"name taken"}"#).into_response();
        }
        items.push(item.clone());
    }
    match fault {
        Some(Fault::ErrorAfter) => (StatusCode::INTERNAL_SERVER_ERROR, "{}").into_response(),
        Some(Fault::DropAfter) => {
            let broken = futures::stream::once(async {
                Err::<Bytes, _>(std::io::Error::other("connection dropped"))
            });
            (StatusCode::CREATED, Body::from_stream(broken)).into_response()
        }
        Some(Fault::SlowAfter) => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            (StatusCode::CREATED, Json(item)).into_response()
        }
        _ => (StatusCode::CREATED, Json(item)).into_response(),
    }
}

#[derive(Deserialize)]
struct ByName {
    name: String,
}

async fn find(State(store): State<Store>, Query(q): Query<ByName>) -> Json<Vec<Item>> {
    store.lookups.fetch_add(1, Ordering::SeqCst);
    let lagging = store
        .lookup_lag
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if lagging {
        return Json(Vec::new());
    }
    let items = store.items.lock().unwrap();
    Json(items.iter().filter(|i| i.name == q.name).cloned().collect())
}

async fn start(store: &Store) -> HttpClient {
    let url = serve(
        Router::new()
            .route("/items", get(find).post(create))
            .with_state(store.clone()),
    )
    .await;
    let mut config = HttpConfig::new(idconn_core::Vendor::Auth0, url);
    config.timeout = Duration::from_millis(300);
    config.retry = quick_retry(5);
    HttpClient::new(config, StatusErrors, Auth::None).unwrap()
}

/// Creates `name` the way a backend would: POST, reconciled by a lookup by name.
async fn create_item(http: &HttpClient, name: &str) -> idconn_core::Result<Item> {
    let item = Item { name: name.into() };
    write_reconciled(
        http.retry_config(),
        || async {
            let request = ApiRequest::post("/items").operation("create").json(&item)?;
            http.send_json::<Item>(request).await
        },
        || async {
            let request = ApiRequest::get("/items")
                .query("name", name)
                .operation("find");
            let found: Vec<Item> = http.send_json(request).await?;
            Ok(found.into_iter().next())
        },
    )
    .await
}

#[tokio::test]
async fn a_500_after_commit_is_reconciled_not_duplicated() {
    let store = Store::with_plan(&[Fault::ErrorAfter]);
    let http = start(&store).await;
    let item = create_item(&http, "acme-sso").await.unwrap();
    assert_eq!(item.name, "acme-sso");
    assert_eq!(store.stored("acme-sso"), 1);
    assert_eq!(store.posts.load(Ordering::SeqCst), 1);
    assert_eq!(store.lookups.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_connection_dropped_after_commit_is_reconciled_not_duplicated() {
    let store = Store::with_plan(&[Fault::DropAfter]);
    let http = start(&store).await;
    create_item(&http, "acme-sso").await.unwrap();
    assert_eq!(store.stored("acme-sso"), 1);
    assert_eq!(store.posts.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_timeout_after_commit_is_reconciled_not_duplicated() {
    let store = Store::with_plan(&[Fault::SlowAfter]);
    let http = start(&store).await;
    create_item(&http, "acme-sso").await.unwrap();
    assert_eq!(store.stored("acme-sso"), 1);
    assert_eq!(store.posts.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failure_before_commit_is_created_again_once() {
    let store = Store::with_plan(&[Fault::ErrorBefore, Fault::ErrorBefore]);
    let http = start(&store).await;
    create_item(&http, "acme-sso").await.unwrap();
    assert_eq!(store.stored("acme-sso"), 1);
    assert_eq!(store.posts.load(Ordering::SeqCst), 3);
    assert_eq!(store.lookups.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_conflict_with_our_own_earlier_attempt_resolves_by_lookup() {
    // The first attempt commits but its answer is lost; the lookup right after lags behind, so
    // the create is sent again and meets its own first attempt as a 409.
    let store = Store::with_plan(&[Fault::ErrorAfter]);
    store.lookup_lag.store(1, Ordering::SeqCst);
    let http = start(&store).await;
    let item = create_item(&http, "acme-sso").await.unwrap();
    assert_eq!(item.name, "acme-sso");
    assert_eq!(store.stored("acme-sso"), 1);
    assert_eq!(store.posts.load(Ordering::SeqCst), 2);
    assert_eq!(store.lookups.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_conflict_on_the_first_attempt_is_a_real_conflict() {
    let store = Store::default();
    store.items.lock().unwrap().push(Item {
        name: "taken".into(),
    });
    let http = start(&store).await;
    let error = create_item(&http, "taken").await.unwrap_err();
    assert!(matches!(error, Error::Conflict { .. }), "{error:?}");
    assert_eq!(store.lookups.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_migration_under_faults_ends_with_each_item_exactly_once() {
    let plan: Vec<Fault> = (0..40)
        .map(|i| match i % 5 {
            0 => Fault::ErrorAfter,
            1 => Fault::DropAfter,
            2 => Fault::ErrorBefore,
            _ => Fault::ErrorBefore,
        })
        .collect();
    let store = Store::with_plan(&plan);
    let http = start(&store).await;
    let names: Vec<String> = (0..30).map(|i| format!("conn-{i}")).collect();
    let results = futures::future::join_all(names.iter().map(|n| create_item(&http, n))).await;
    for (name, result) in names.iter().zip(results) {
        assert_eq!(result.unwrap().name, *name);
        assert_eq!(store.stored(name), 1, "{name}");
    }
    assert_eq!(store.items.lock().unwrap().len(), 30);
}
