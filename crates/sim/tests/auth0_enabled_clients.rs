//! `GET`/`PATCH /api/v2/connections/{id}/clients`, pinned after the official Node SDK's
//! `connections.clients.get/update` met a 404 from the simulator
//! (conformance/node/auth0-story.mjs); `GET`/`POST /api/v2/clients`; and the provisioning reads
//! Auth0's Deploy CLI export makes.

mod support;

use idconn_sim::auth0::{ALL_CONNECTION_SCOPES, Auth0Sim};
use idconn_sim::{Knobs, Sim, SimHandle};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Tenant {
    /// The simulator, to mint more tokens of the same tenant.
    sim: Auth0Sim,
    handle: SimHandle,
    http: reqwest::Client,
    token: String,
}

/// The connection scopes and the two the applications endpoints need.
const SCOPES: &[&str] = &[
    "read:connections",
    "update:connections",
    "create:connections",
    "read:clients",
    "create:clients",
    "read:directory_provisionings",
    "read:scim_config",
];

impl Tenant {
    async fn start(scopes: &[&str]) -> Tenant {
        let sim = Auth0Sim::new();
        let token = sim.mint_token(scopes);
        let handle = Sim::start(sim.clone(), Knobs::default(), 0).await.unwrap();
        Tenant {
            sim,
            handle,
            http: reqwest::Client::new(),
            token,
        }
    }

    /// Creates an application through `POST /api/v2/clients`; returns its client id.
    async fn application(&self, name: &str) -> String {
        let (status, body) = self
            .call(
                Method::POST,
                "/clients",
                Some(json!({ "name": name, "app_type": "spa" })),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            (&body["name"], &body["app_type"]),
            (&json!(name), &json!("spa"))
        );
        body["client_id"].as_str().unwrap().to_string()
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_with(&self.token, method, path, body).await
    }

    /// [`call`](Self::call) with another token of this tenant.
    async fn call_with(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}/api/v2{path}", self.handle.base_url());
        let request = self.http.request(method, url).bearer_auth(token);
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
    let tenant = Tenant::start(SCOPES).await;
    let id = tenant.connection().await;
    let path = format!("/connections/{id}/clients");
    let mut clients = Vec::new();
    for n in 1..=5 {
        clients.push(tenant.application(&format!("app{n}")).await);
    }
    let [client1, client2, client3, client4, client5] = clients.clone().try_into().unwrap();

    let (status, body) = tenant.call(Method::GET, &path, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "clients": [] })));

    let enable: Vec<Value> = clients
        .iter()
        .map(|client_id| json!({ "client_id": client_id, "status": true }))
        .collect();
    let (status, body) = tenant
        .call(Method::PATCH, &path, Some(Value::Array(enable)))
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = tenant
        .call(
            Method::PATCH,
            &path,
            Some(json!([{ "client_id": client2, "status": false }])),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // Checkpoint pages of 2: client1, client3 | client4, client5 (no next on the last page).
    let (_, first) = tenant
        .call(Method::GET, &format!("{path}?take=2"), None)
        .await;
    assert_eq!(
        first["clients"],
        json!([{ "client_id": client1 }, { "client_id": client3 }])
    );
    let next = first["next"].as_str().unwrap();
    let (_, second) = tenant
        .call(Method::GET, &format!("{path}?take=2&from={next}"), None)
        .await;
    assert_eq!(
        second,
        json!({ "clients": [{ "client_id": client4 }, { "client_id": client5 }] })
    );

    // The deprecated `enabled_clients` of the connection shows the same list.
    let (_, connection) = tenant
        .call(Method::GET, &format!("/connections/{id}"), None)
        .await;
    assert_eq!(
        connection["enabled_clients"],
        json!([client1, client3, client4, client5])
    );

    // A client the tenant does not have: 404, and nothing changes.
    let (status, body) = tenant
        .call(
            Method::PATCH,
            &path,
            Some(json!([{ "client_id": client2, "status": true }, { "client_id": "nope", "status": true }])),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["message"], "The client does not exist");
    let (_, all) = tenant.call(Method::GET, &path, None).await;
    assert_eq!(all["clients"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn clients_list_in_the_three_shapes_the_spec_declares() {
    let tenant = Tenant::start(SCOPES).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(tenant.application(&format!("app{n}")).await);
    }
    // Checkpoint: `{clients, next?}`, projected to the fields asked for.
    let (status, first) = tenant
        .call(
            Method::GET,
            "/clients?take=2&fields=client_id,name&include_fields=true",
            None,
        )
        .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        first["clients"],
        json!([{ "client_id": ids[0], "name": "app0" }, { "client_id": ids[1], "name": "app1" }])
    );
    let next = first["next"].as_str().unwrap();
    let (_, second) = tenant
        .call(Method::GET, &format!("/clients?take=2&from={next}"), None)
        .await;
    assert_eq!(
        second,
        json!({ "clients": [{ "client_id": ids[2], "name": "app2", "app_type": "spa" }] })
    );
    // Offset with totals, and a bare array without.
    let (_, totals) = tenant
        .call(
            Method::GET,
            "/clients?page=1&per_page=2&include_totals=true",
            None,
        )
        .await;
    assert_eq!(
        (
            totals["start"].clone(),
            totals["limit"].clone(),
            totals["total"].clone()
        ),
        (json!(2), json!(2), json!(3))
    );
    assert_eq!(totals["clients"][0]["client_id"], json!(ids[2]));
    let (_, array) = tenant.call(Method::GET, "/clients", None).await;
    assert_eq!(array.as_array().unwrap().len(), 3);

    for bad in [
        "/clients?take=101",
        "/clients?per_page=101",
        "/clients?colour=blue",
    ] {
        let (status, body) = tenant.call(Method::GET, bad, None).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    for bad in [
        json!({}),
        json!({ "name": "" }),
        json!({ "name": "a<b" }),
        json!({ "name": "a", "app_type": "robot" }),
    ] {
        let (status, body) = tenant
            .call(Method::POST, "/clients", Some(bad.clone()))
            .await;
        assert_eq!(
            (status, body["errorCode"].clone()),
            (StatusCode::BAD_REQUEST, json!("invalid_body")),
            "{bad}: {body}"
        );
    }
    // Any one of the four read scopes of the OAS's `get_clients` lists them; none of them, 403
    // naming all four.
    for scope in [
        "read:clients",
        "read:client_keys",
        "read:client_credentials",
        "read:client_summary",
    ] {
        let token = tenant.sim.mint_token(&[scope]);
        let (status, body) = tenant
            .call_with(&token, Method::GET, "/clients", None)
            .await;
        assert_eq!(status, 200, "{scope}: {body}");
        assert_eq!(body.as_array().map(Vec::len), Some(3), "{scope}");
    }
    let token = tenant.sim.mint_token(&["read:connections"]);
    let (status, body) = tenant
        .call_with(&token, Method::GET, "/clients", None)
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        body["message"],
        "Insufficient scope, expected any of: read:clients, read:client_keys, read:client_credentials, read:client_summary"
    );
}

#[tokio::test]
async fn provisioning_reads_answer_as_a_tenant_with_none_configured() {
    let tenant = Tenant::start(SCOPES).await;
    let (status, body) = tenant
        .call(
            Method::GET,
            "/connections-directory-provisionings?take=50",
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "directory_provisionings": [] }))
    );
    let id = tenant.connection().await;
    let (status, body) = tenant
        .call(
            Method::GET,
            &format!("/connections/{id}/scim-configuration"),
            None,
        )
        .await;
    assert_eq!(
        (status, body["message"].clone()),
        (StatusCode::NOT_FOUND, json!("Not Found"))
    );
    let (status, body) = tenant
        .call(
            Method::GET,
            "/connections/con_0000000000000000/scim-configuration",
            None,
        )
        .await;
    assert_eq!(
        (status, body["message"].clone()),
        (
            StatusCode::NOT_FOUND,
            json!("The connection does not exist")
        )
    );
}

/// What the provisioning reads refuse: the OAS's `take` range (1 to 100), query keys it does not
/// declare, ids that are not connection ids, and tokens without their scope.
#[tokio::test]
async fn provisioning_reads_refuse_bad_queries_ids_and_missing_scopes() {
    let tenant = Tenant::start(SCOPES).await;
    for bad in ["?take=0", "?take=101", "?take=many", "?colour=blue"] {
        let (status, body) = tenant
            .call(
                Method::GET,
                &format!("/connections-directory-provisionings{bad}"),
                None,
            )
            .await;
        assert_eq!(
            (status, body["errorCode"].clone()),
            (StatusCode::BAD_REQUEST, json!("invalid_query_string")),
            "{bad}: {body}"
        );
    }
    for good in ["?take=1", "?take=100", "?from=anything&take=10"] {
        let (status, body) = tenant
            .call(
                Method::GET,
                &format!("/connections-directory-provisionings{good}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{good}: {body}");
    }
    let (status, body) = tenant
        .call(
            Method::GET,
            "/connections/not-an-id/scim-configuration",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // A token of the same tenant with the connection scopes only.
    let id = tenant.connection().await;
    let reader = tenant.sim.mint_token(ALL_CONNECTION_SCOPES);
    for (path, scope) in [
        (
            "/connections-directory-provisionings".to_string(),
            "read:directory_provisionings",
        ),
        (
            format!("/connections/{id}/scim-configuration"),
            "read:scim_config",
        ),
    ] {
        let (status, body) = tenant.call_with(&reader, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(
            body["message"],
            format!("Insufficient scope, expected any of: {scope}"),
            "{path}"
        );
    }
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
