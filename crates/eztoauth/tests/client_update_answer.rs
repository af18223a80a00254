//! ezto documents a response body on "Update Identity Provider" (reference §1.1) where Keycloak
//! answers 204. The simulator plays Keycloak, so this one quirk is played by a stand-in server:
//! a 200 with the provider in the body is accepted and used without another read.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use idconn_core::{IdentityConnectionProvider, Policy};
use idconn_eztoauth::{Credentials, EztoBuilder};
use serde_json::{Value, json};

#[derive(Default)]
struct Counts {
    reads: AtomicUsize,
    puts: AtomicUsize,
}

fn stored(display_name: &str) -> Value {
    json!({
        "alias": "acme",
        "internalId": "0df24d90-d39e-4e02-ab3d-7150efa40b1d",
        "providerId": "keycloak-oidc",
        "displayName": display_name,
        "enabled": true,
        "config": {"clientId": "c", "clientSecret": "**********"}
    })
}

#[tokio::test]
async fn a_200_with_the_provider_is_accepted() {
    let counts = Arc::new(Counts::default());
    let instance = "/auth/admin/realms/ws/identity-provider/instances/acme";
    let app = Router::new()
        .route(
            "/auth/realms/ws/protocol/openid-connect/token",
            post(|| async {
                Json(json!({"access_token": "t", "expires_in": 300, "token_type": "Bearer"}))
            }),
        )
        .route(
            instance,
            get(|State(counts): State<Arc<Counts>>| async move {
                counts.reads.fetch_add(1, Ordering::SeqCst);
                Json(stored("Before"))
            })
            .put(
                |State(counts): State<Arc<Counts>>, Json(body): Json<Value>| async move {
                    counts.puts.fetch_add(1, Ordering::SeqCst);
                    assert_eq!(
                        body["config"]["clientSecret"], "**********",
                        "the mask is echoed"
                    );
                    Json(stored(body["displayName"].as_str().unwrap_or_default()))
                },
            ),
        )
        // get and update read the provider's mappers too: it has none.
        .route(
            &format!("{instance}/mappers"),
            get(|| async { Json(json!([])) }),
        )
        .with_state(counts.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let ezto = EztoBuilder::new()
        .with_host(host)
        .with_workspace("ws")
        .with_credentials(Credentials::client("c", "s"))
        .build()
        .unwrap();
    let mut desired = ezto.get("acme").await.unwrap();
    desired.display_name = Some("After".into());
    let applied = ezto
        .update("acme", &desired, &Policy::STRICT)
        .await
        .unwrap();
    assert_eq!(applied.connection.display_name.as_deref(), Some("After"));
    assert_eq!(counts.puts.load(Ordering::SeqCst), 1);
    assert_eq!(
        counts.reads.load(Ordering::SeqCst),
        2,
        "the get and the update's read; none after the PUT"
    );
}
