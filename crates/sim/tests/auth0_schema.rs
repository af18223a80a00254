//! The Auth0 simulator's connection responses validate against the Auth0 OpenAPI document
//! (`specs/auth0/management-api-oas.json`, OpenAPI 3.1), read at test time. Where the document
//! and the live service differ, the simulator follows the live service, as noted at each place.

mod support;

use idconn_sim::auth0::{ALL_CONNECTION_SCOPES, Auth0Sim};
use idconn_sim::{Knobs, Sim};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

async fn call(
    http: &Client,
    base: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = http
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `enabled_clients` is in the create/get/update response schemas but not in `ConnectionForList`;
/// live list responses carry it (reference/auth0.md §1.4, TF-REC), and so does the simulator.
fn without_enabled_clients(mut connections: Value) -> Value {
    for c in connections.as_array_mut().into_iter().flatten() {
        c.as_object_mut().map(|c| c.remove("enabled_clients"));
    }
    connections
}

#[tokio::test]
async fn connection_responses_match_the_spec() {
    let Some(spec) = support::spec("auth0/management-api-oas.json") else {
        return;
    };
    let sim = Auth0Sim::new();
    let handle = Sim::start(sim.clone(), Knobs::default(), 0).await.unwrap();
    let base = handle.base_url();
    let http = Client::new();
    let token = sim.mint_token(ALL_CONNECTION_SCOPES);

    let (status, created) = call(
        &http,
        &base,
        &token,
        Method::POST,
        "/api/v2/connections",
        Some(json!({
            "name": "schema-oidc",
            "strategy": "oidc",
            "display_name": "Schema",
            "options": {"client_id": "x", "client_secret": "y", "scope": "openid"},
            "metadata": {"a": "b", "n": null},
            "show_as_button": true,
            "connected_accounts": {"active": true, "cross_app_access": false},
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    spec.assert_valid(
        "POST 201",
        &spec.response_schema("POST", "/connections", "201"),
        &created,
    );
    let id = created["id"].as_str().unwrap().to_string();

    let (_, got) = call(
        &http,
        &base,
        &token,
        Method::GET,
        &format!("/api/v2/connections/{id}"),
        None,
    )
    .await;
    spec.assert_valid(
        "GET 200",
        &spec.response_schema("GET", "/connections/{id}", "200"),
        &got,
    );

    let (_, patched) = call(
        &http,
        &base,
        &token,
        Method::PATCH,
        &format!("/api/v2/connections/{id}"),
        Some(json!({"options": {"client_id": "z"}})),
    )
    .await;
    spec.assert_valid(
        "PATCH 200",
        &spec.response_schema("PATCH", "/connections/{id}", "200"),
        &patched,
    );

    for _ in 0..3 {
        let n = handle.connections().len();
        call(
            &http,
            &base,
            &token,
            Method::POST,
            "/api/v2/connections",
            Some(json!({"name": format!("extra-{n}"), "strategy": "samlp"})),
        )
        .await;
    }
    // The list's `oneOf` cannot tell `{connections}` apart (it fits both the offset and the
    // checkpoint object, whose properties are all optional), so each shape is checked against
    // its own schema.
    let item = spec.component("ConnectionForList");
    let (_, bare) = call(
        &http,
        &base,
        &token,
        Method::GET,
        "/api/v2/connections",
        None,
    )
    .await;
    for c in without_enabled_clients(bare).as_array().unwrap() {
        spec.assert_valid("list item", &item, c);
    }
    let (_, mut offset) = call(
        &http,
        &base,
        &token,
        Method::GET,
        "/api/v2/connections?include_totals=true&per_page=2",
        None,
    )
    .await;
    offset["connections"] = without_enabled_clients(offset["connections"].take());
    spec.assert_valid(
        "offset page",
        &spec.component("ListConnectionsOffsetPaginatedResponseContent"),
        &offset,
    );
    let (_, mut checkpoint) = call(
        &http,
        &base,
        &token,
        Method::GET,
        "/api/v2/connections?take=2",
        None,
    )
    .await;
    assert!(checkpoint["next"].is_string());
    checkpoint["connections"] = without_enabled_clients(checkpoint["connections"].take());
    spec.assert_valid(
        "checkpoint page",
        &spec.component("ListConnectionsCheckpointPaginatedResponseContent"),
        &checkpoint,
    );

    // Error bodies.
    let (status, bad) = call(
        &http,
        &base,
        &token,
        Method::POST,
        "/api/v2/connections",
        Some(json!({"name": "a_b", "strategy": "oidc"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    spec.assert_valid("400", &spec.component("BadRequestSchema"), &bad);
    let read_only = sim.mint_token(&["read:connections"]);
    let (status, forbidden) = call(
        &http,
        &base,
        &read_only,
        Method::DELETE,
        &format!("/api/v2/connections/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    spec.assert_valid("403", &spec.component("ForbiddenSchema"), &forbidden);
    let (status, unauthorized) = call(
        &http,
        &base,
        "nope",
        Method::GET,
        "/api/v2/connections",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    spec.assert_valid("401", &spec.component("UnauthorizedSchema"), &unauthorized);
    let limited = sim_rate_limited_body(&sim).await;
    spec.assert_valid("429", &spec.component("TooManyRequestsSchema"), &limited);
}

async fn sim_rate_limited_body(sim: &Auth0Sim) -> Value {
    use idconn_sim::VendorApi;
    let response = sim.rate_limited(std::time::Duration::from_secs(1));
    let bytes = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
