//! `GET`/`PATCH /api/v2/connections/{id}/clients` (reference/auth0.md §1.6), pinned after the
//! official Node SDK's `connections.clients.get/update` met a 404 from the simulator
//! (conformance/node/auth0-story.mjs).

mod support;

use idconn_sim::auth0::{ALL_CONNECTION_SCOPES, Auth0Sim};
use idconn_sim::{Knobs, Sim, SimHandle};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Tenant {
    handle: SimHandle,
    http: reqwest::Client,
    token: String,
}

impl Tenant {
    async fn start(scopes: &[&str]) -> Tenant {
        let sim = Auth0Sim::new();
        let token = sim.mint_token(scopes);
        let handle = Sim::start(sim, Knobs::default(), 0).await.unwrap();
        Tenant {
            handle,
            http: reqwest::Client::new(),
            token,
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("{}/api/v2{path}", self.handle.base_url());
        let request = self.http.request(method, url).bearer_auth(&self.token);
        support::http::exchange(request, body).await
    }

    async fn connection(&self) -> String {
        let (status, body) = self
            .call(
                Method::POST,
                "/connections",
                Some(json!({ "name": "with-clients", "strategy": "oidc" })),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_string()
    }
}

#[tokio::test]
async fn enable_disable_and_page_through_clients() {
    let tenant = Tenant::start(ALL_CONNECTION_SCOPES).await;
    let id = tenant.connection().await;
    let path = format!("/connections/{id}/clients");

    let (status, body) = tenant.call(Method::GET, &path, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "clients": [] })));

    let enable: Vec<Value> = (1..=5)
        .map(|n| json!({ "client_id": format!("client{n}"), "status": true }))
        .collect();
    let (status, body) = tenant
        .call(Method::PATCH, &path, Some(Value::Array(enable)))
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = tenant
        .call(
            Method::PATCH,
            &path,
            Some(json!([{ "client_id": "client2", "status": false }])),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // Checkpoint pages of 2: client1, client3 | client4, client5 (no next on the last page).
    let (_, first) = tenant
        .call(Method::GET, &format!("{path}?take=2"), None)
        .await;
    assert_eq!(
        first["clients"],
        json!([{ "client_id": "client1" }, { "client_id": "client3" }])
    );
    let next = first["next"].as_str().unwrap();
    let (_, second) = tenant
        .call(Method::GET, &format!("{path}?take=2&from={next}"), None)
        .await;
    assert_eq!(
        second,
        json!({ "clients": [{ "client_id": "client4" }, { "client_id": "client5" }] })
    );

    // The deprecated `enabled_clients` of the connection shows the same list.
    let (_, connection) = tenant
        .call(Method::GET, &format!("/connections/{id}"), None)
        .await;
    assert_eq!(
        connection["enabled_clients"],
        json!(["client1", "client3", "client4", "client5"])
    );
}

#[tokio::test]
async fn bad_patches_and_unknown_connections() {
    let tenant = Tenant::start(ALL_CONNECTION_SCOPES).await;
    let id = tenant.connection().await;
    let path = format!("/connections/{id}/clients");
    let too_many: Vec<Value> = (0..51)
        .map(|n| json!({ "client_id": format!("c{n}"), "status": true }))
        .collect();
    for bad in [
        json!([]),
        Value::Array(too_many),
        json!({ "client_id": "c", "status": true }),
        json!([{ "client_id": "c" }]),
        json!([{ "client_id": "c", "status": "yes" }]),
        json!([{ "client_id": "c", "status": true, "extra": 1 }]),
    ] {
        let (status, body) = tenant.call(Method::PATCH, &path, Some(bad.clone())).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["errorCode"], "invalid_body", "{bad}: {body}");
    }
    let (status, body) = tenant
        .call(Method::GET, &format!("{path}?take=0"), None)
        .await;
    assert_eq!(status, 400, "{body}");

    let unknown = "/connections/con_0000000000000000/clients";
    let (status, body) = tenant.call(Method::GET, unknown, None).await;
    assert_eq!(status, 404);
    assert_eq!(body["errorCode"], "inexistent_connection");
    let (status, _) = tenant
        .call(
            Method::PATCH,
            unknown,
            Some(json!([{ "client_id": "c", "status": true }])),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn scopes_are_enforced() {
    let tenant = Tenant::start(&["read:connections"]).await;
    let (status, body) = tenant
        .call(
            Method::PATCH,
            "/connections/con_0000000000000000/clients",
            Some(json!([{ "client_id": "c", "status": true }])),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errorCode"], "insufficient_scope");
}
