//! Drives the Auth0 simulator's raw HTTP API (no backend crate) through each behaviour of
//! reference/auth0.md §9 and asserts status codes and bodies.

mod support;

use std::time::Duration;

use idconn_sim::auth0::{
    ALL_CONNECTION_SCOPES, Auth0Sim, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_DOMAIN,
};
use idconn_sim::{Knobs, Sim, SimHandle, VendorApi};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

struct Tenant {
    sim: Auth0Sim,
    handle: SimHandle,
    http: Client,
    token: String,
}

impl Tenant {
    async fn start() -> Tenant {
        Self::start_with(Auth0Sim::new()).await
    }

    async fn start_with(sim: Auth0Sim) -> Tenant {
        let handle = Sim::start(sim.clone(), Knobs::default(), 0).await.unwrap();
        let http = Client::new();
        let token = sim.mint_token(ALL_CONNECTION_SCOPES);
        Tenant {
            sim,
            handle,
            http,
            token,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let request = self.http.request(method, self.url(path)).bearer_auth(token);
        support::http::exchange(request, body).await
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, &self.token, None)
            .await
    }

    async fn post(&self, body: Value) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::POST,
            "/api/v2/connections",
            &self.token,
            Some(body),
        )
        .await
    }

    async fn patch(&self, id: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::PATCH,
            &format!("/api/v2/connections/{id}"),
            &self.token,
            Some(body),
        )
        .await
    }

    async fn delete(&self, id: &str) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::DELETE,
            &format!("/api/v2/connections/{id}"),
            &self.token,
            None,
        )
        .await
    }

    async fn create(&self, name: &str, strategy: &str) -> Value {
        let (status, body) = self.post(json!({"name": name, "strategy": strategy})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }
}

fn audience() -> String {
    format!("https://{DEFAULT_DOMAIN}/api/v2/")
}

fn assert_error(body: &Value, status: u16, error_code: &str) {
    assert_eq!(body["statusCode"], status, "{body}");
    assert_eq!(body["errorCode"], error_code, "{body}");
    assert!(
        body["error"].is_string() && body["message"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn token_by_form_and_by_json_with_the_audience_check() {
    let t = Tenant::start().await;
    let form = t
        .http
        .post(t.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("audience", &audience()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let form: Value = form.json().await.unwrap();
    assert_eq!(form["token_type"], "Bearer");
    assert_eq!(form["expires_in"], 86400);
    let scopes: Vec<&str> = form["scope"].as_str().unwrap().split(' ').collect();
    for scope in ALL_CONNECTION_SCOPES {
        assert!(scopes.contains(scope), "{scope} missing");
    }
    let token = form["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3, "JWT-shaped");
    let (status, _) = t
        .send(reqwest::Method::GET, "/api/v2/connections", token, None)
        .await;
    assert_eq!(status, StatusCode::OK);

    let by_json = t
        .http
        .post(t.url("/oauth/token"))
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
            "audience": audience(),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_json.status(), StatusCode::OK);

    let basic = t
        .http
        .post(t.url("/oauth/token"))
        .basic_auth(DEFAULT_CLIENT_ID, Some(DEFAULT_CLIENT_SECRET))
        .form(&[
            ("grant_type", "client_credentials"),
            ("audience", &audience()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
    assert_eq!(
        t.sim.tokens_issued(),
        4,
        "three requests and the minted token"
    );
}

#[tokio::test]
async fn token_errors_use_the_oauth_shape() {
    let t = Tenant::start().await;
    let ask = |fields: Vec<(&'static str, String)>| {
        let request = t.http.post(t.url("/oauth/token")).form(&fields);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let good = |key: &'static str, value: Option<&str>| {
        let mut fields = vec![
            ("grant_type", "client_credentials".to_string()),
            ("client_id", DEFAULT_CLIENT_ID.to_string()),
            ("client_secret", DEFAULT_CLIENT_SECRET.to_string()),
            ("audience", audience()),
        ];
        fields.retain(|(k, _)| *k != key);
        if let Some(value) = value {
            fields.push((key, value.to_string()));
        }
        fields
    };
    let (status, body) = ask(good("audience", Some("https://other.example/api/v2/"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "access_denied");
    assert_eq!(
        body["error_description"],
        "Service not found: https://other.example/api/v2/"
    );
    let (status, _) = ask(good("audience", Some(audience().trim_end_matches('/')))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the trailing slash matters");
    let (status, body) = ask(good("audience", None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "access_denied");
    let (status, body) = ask(good("client_secret", Some("wrong"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({"error": "access_denied", "error_description": "Unauthorized"})
    );
    let (status, body) = ask(good("grant_type", Some("password"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "unauthorized_client");
    let (status, body) = ask(good("grant_type", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    let malformed = t
        .http
        .post(t.url("/oauth/token"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn missing_invalid_revoked_and_expired_tokens_get_401() {
    let t = Tenant::start_with(Auth0Sim::new()).await;
    let response = t
        .http
        .get(t.url("/api/v2/connections"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Missing authentication");
    let (status, body) = t
        .send(reqwest::Method::GET, "/api/v2/connections", "nope", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "Invalid token");

    t.sim.revoke_tokens();
    let (status, _) = t.get("/api/v2/connections").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let short = Tenant::start_with(Auth0Sim::new().with_token_lifetime(Duration::ZERO)).await;
    let (status, body) = short.get("/api/v2/connections").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["message"],
        "Expired token received for JSON Web Token validation"
    );
}

#[tokio::test]
async fn create_answers_201_with_the_server_defaults() {
    let t = Tenant::start().await;
    let created = t.create("acme-oidc", "oidc").await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("con_") && id.len() == 20, "{id}");
    assert_eq!(created["name"], "acme-oidc");
    assert_eq!(created["strategy"], "oidc");
    // Recorded Auth0 traffic (terraform-provider-auth0 TestAccConnectionOIDC): an oidc
    // connection without a map gets bind_all.
    assert_eq!(
        created["options"],
        json!({"attribute_map": {"mapping_mode": "bind_all"}})
    );
    assert_eq!(created["realms"], json!(["acme-oidc"]));
    assert_eq!(created["enabled_clients"], json!([]));
    assert_eq!(created["is_domain_connection"], false);
    assert_eq!(created["authentication"], json!({"active": true}));
    assert_eq!(created["connected_accounts"], json!({"active": false}));

    let db = t.create("Username-Password", "auth0").await;
    assert_eq!(db["options"]["passwordPolicy"], "good");
    assert_eq!(db["options"]["strategy_version"], 2);
    assert_eq!(db["options"]["brute_force_protection"], true);

    let (status, full) = t
        .post(json!({
            "name": "full",
            "strategy": "oidc",
            "display_name": "Full",
            "options": {"client_id": "abc", "client_secret": "s3cret", "custom_key": {"x": 1}},
            "realms": ["example.com"],
            "metadata": {"team": "id", "empty": null},
            "show_as_button": true,
            "is_domain_connection": true,
            "authentication": {"active": false},
            "connected_accounts": {"active": true, "cross_app_access": false},
        }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{full}");
    assert_eq!(
        full["options"]["client_secret"], "s3cret",
        "clear text with read:connections_options"
    );
    assert_eq!(full["options"]["custom_key"], json!({"x": 1}));
    assert_eq!(full["realms"], json!(["example.com"]));
    assert_eq!(full["authentication"], json!({"active": false}));
    assert_eq!(t.handle.connections().len(), 3);
}

#[tokio::test]
async fn create_conflict_is_409_connection_conflict() {
    let t = Tenant::start().await;
    t.create("dup", "oidc").await;
    let (status, body) = t.post(json!({"name": "dup", "strategy": "samlp"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body,
        json!({
            "statusCode": 409,
            "error": "Conflict",
            "message": "A connection with the same name already exists",
            "errorCode": "connection_conflict",
        })
    );
}

#[tokio::test]
async fn create_validation_answers_400_invalid_body() {
    let t = Tenant::start().await;
    let long = "a".repeat(129);
    let cases = vec![
        (
            json!({"name": "a_b", "strategy": "oidc"}),
            "does not match pattern",
        ),
        (
            json!({"name": "-a", "strategy": "oidc"}),
            "does not match pattern",
        ),
        (
            json!({"name": "a--b", "strategy": "oidc"}),
            "does not match pattern",
        ),
        (
            json!({"name": long, "strategy": "oidc"}),
            "String is too long (129 chars), maximum 128",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "display_name": "d".repeat(129)}),
            "maximum 128",
        ),
        (
            json!({"name": "ok", "strategy": "nope"}),
            "No enum match for: \"nope\"",
        ),
        (json!({"name": "ok"}), "Missing required property: strategy"),
        (
            json!({"strategy": "oidc"}),
            "Missing required property: name",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "enabled": true}),
            "Additional properties not allowed: enabled",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "show_as_button": "yes"}),
            "Expected type boolean but found type string",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "options": []}),
            "Expected type object but found type array",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "realms": (0..11).map(|i| format!("r{i}.com")).collect::<Vec<_>>()}),
            "Array is too long (11), maximum 10",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "metadata": (0..11).map(|i| (format!("k{i}"), json!("v"))).collect::<serde_json::Map<_, _>>()}),
            "Too many properties defined (11), maximum 10",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "metadata": {"k": "v".repeat(256)}}),
            "String is too long (256 chars), maximum 255",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "metadata": {"k": 1}}),
            "Expected type string but found type integer",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "authentication": {}}),
            "Missing required property: active",
        ),
        (
            json!({"name": "ok", "strategy": "oidc", "authentication": {"active": true, "x": 1}}),
            "Additional properties not allowed: x",
        ),
        (json!([1, 2]), "Expected type object but found type array"),
    ];
    for (body, needle) in cases {
        let (status, answer) = t.post(body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} -> {answer}");
        assert_error(&answer, 400, "invalid_body");
        let message = answer["message"].as_str().unwrap();
        assert!(
            message.starts_with("Payload validation error: '"),
            "{message}"
        );
        assert!(message.contains(needle), "{body}: {message} lacks {needle}");
    }
    let ok_128 = "a".repeat(128);
    t.create(&ok_128, "oidc").await;

    let malformed = t
        .http
        .post(t.url("/api/v2/connections"))
        .bearer_auth(&t.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body: Value = malformed.json().await.unwrap();
    assert_error(&body, 400, "invalid_body");
    assert_eq!(t.handle.connections().len(), 1);
}

#[tokio::test]
async fn form_bodies_are_accepted_on_create() {
    let t = Tenant::start().await;
    let response = t
        .http
        .post(t.url("/api/v2/connections"))
        .bearer_auth(&t.token)
        .form(&[("name", "from-form"), ("strategy", "github")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["strategy"], "github");
}

#[tokio::test]
async fn get_one_not_found_and_bad_ids() {
    let t = Tenant::start().await;
    let created = t.create("one", "oidc").await;
    let id = created["id"].as_str().unwrap();
    let (status, got) = t.get(&format!("/api/v2/connections/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, created);

    let (status, body) = t.get("/api/v2/connections/con_0000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({
            "statusCode": 404,
            "error": "Not Found",
            "message": "The connection does not exist",
            "errorCode": "inexistent_connection",
        })
    );
    let (status, body) = t.get("/api/v2/connections/not-an-id").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&body, 400, "invalid_uri");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Path validation error")
    );

    let (status, body) = t
        .get(&format!(
            "/api/v2/connections/{id}?fields=id,name&include_fields=true"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"id": id, "name": "one"}));
    let (_, body) = t
        .get(&format!(
            "/api/v2/connections/{id}?fields=options&include_fields=false"
        ))
        .await;
    assert!(body.get("options").is_none() && body["name"] == "one");

    let (status, body) = t.get("/api/v2/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["statusCode"], 404);
}

#[tokio::test]
async fn patch_replaces_options_whole_and_resets_display_name() {
    let t = Tenant::start().await;
    let (_, created) = t
        .post(json!({
            "name": "patchme",
            "strategy": "oidc",
            "display_name": "Patch Me",
            "options": {"client_id": "a", "client_secret": "s", "unmodelled": true},
            "show_as_button": true,
        }))
        .await;
    let id = created["id"].as_str().unwrap();

    let (status, updated) = t.patch(id, json!({"options": {"client_id": "b"}})).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        updated["options"],
        json!({"client_id": "b", "attribute_map": {"mapping_mode": "bind_all"}}),
        "options replaced whole (and the default map filled in again)"
    );
    assert_eq!(
        updated["display_name"], "patchme",
        "omitted display_name resets to name"
    );
    assert_eq!(updated["show_as_button"], true, "other fields untouched");
    assert_eq!(updated["id"], id);

    let (status, updated) = t
        .patch(
            id,
            json!({"display_name": "Again", "realms": [], "metadata": {"a": "b"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["display_name"], "Again");
    assert_eq!(
        updated["options"],
        json!({"client_id": "b", "attribute_map": {"mapping_mode": "bind_all"}}),
        "no options, no change"
    );
    assert_eq!(updated["realms"], json!(["patchme"]));
    assert_eq!(updated["metadata"], json!({"a": "b"}));
    let (_, stored) = t.get(&format!("/api/v2/connections/{id}")).await;
    assert_eq!(stored, updated);

    for (body, needle) in [
        (
            json!({"name": "renamed"}),
            "Additional properties not allowed: name",
        ),
        (
            json!({"strategy": "samlp"}),
            "Additional properties not allowed: strategy",
        ),
        (
            json!({"display_name": "x", "bogus": 1}),
            "Additional properties not allowed: bogus",
        ),
        (json!({}), "Too few properties defined (0), minimum 1"),
        (
            json!({"display_name": 5}),
            "Expected type string but found type integer",
        ),
    ] {
        let (status, answer) = t.patch(id, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_error(&answer, 400, "invalid_body");
        assert!(
            answer["message"].as_str().unwrap().contains(needle),
            "{answer}"
        );
    }

    let (status, body) = t
        .patch("con_0000000000000000", json!({"display_name": "x"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, 404, "inexistent_connection");
}

#[tokio::test]
async fn delete_answers_202_then_204() {
    let t = Tenant::start().await;
    let created = t.create("gone", "oidc").await;
    let id = created["id"].as_str().unwrap();
    let (status, body) = t.delete(id).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let deleted_at = body["deleted_at"].as_str().unwrap();
    assert!(
        deleted_at.len() == 24 && deleted_at.ends_with('Z') && deleted_at.as_bytes()[10] == b'T',
        "{deleted_at}"
    );
    let (status, _) = t.get(&format!("/api/v2/connections/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = t.delete(id).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    assert!(t.handle.connections().is_empty());
    t.create("gone", "oidc").await;
}

#[tokio::test]
async fn scopes_are_enforced_per_operation() {
    let sim = Auth0Sim::new().with_client(
        "no-options-client",
        "no-options-secret",
        &[
            "read:connections",
            "create:connections",
            "update:connections",
            "delete:connections",
        ],
    );
    let t = Tenant::start_with(sim).await;
    let (_, created) = t
        .post(json!({"name": "scoped", "strategy": "oidc", "options": {"client_id": "x"}}))
        .await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v2/connections/{id}");

    // A second client through /oauth/token, without the options scopes.
    let token: Value = t
        .http
        .post(t.url("/oauth/token"))
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": "no-options-client",
            "client_secret": "no-options-secret",
            "audience": audience(),
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let no_options = token["access_token"].as_str().unwrap();
    assert!(
        !token["scope"]
            .as_str()
            .unwrap()
            .contains("connections_options")
    );
    let (status, body) = t.send(reqwest::Method::GET, &path, no_options, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.get("options").is_none(), "options hidden: {body}");
    let (_, list) = t
        .send(
            reqwest::Method::GET,
            "/api/v2/connections",
            no_options,
            None,
        )
        .await;
    assert!(list[0].get("options").is_none());
    let (status, body) = t
        .send(
            reqwest::Method::PATCH,
            &path,
            no_options,
            Some(json!({"options": {"client_id": "y"}})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({
            "statusCode": 403,
            "error": "Forbidden",
            "message": "Insufficient scope, expected any of: update:connections_options",
            "errorCode": "insufficient_scope",
        })
    );
    let (status, _) = t
        .send(
            reqwest::Method::PATCH,
            &path,
            no_options,
            Some(json!({"display_name": "fine"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let read_only = t.sim.mint_token(&["read:connections"]);
    for (method, path, body, scope) in [
        (
            reqwest::Method::POST,
            "/api/v2/connections".to_string(),
            Some(json!({"name": "n", "strategy": "oidc"})),
            "create:connections",
        ),
        (
            reqwest::Method::PATCH,
            path.clone(),
            Some(json!({"display_name": "n"})),
            "update:connections",
        ),
        (
            reqwest::Method::DELETE,
            path.clone(),
            None,
            "delete:connections",
        ),
    ] {
        let (status, answer) = t.send(method, &path, &read_only, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_error(&answer, 403, "insufficient_scope");
        assert_eq!(
            answer["message"],
            format!("Insufficient scope, expected any of: {scope}")
        );
    }
    let write_only = t.sim.mint_token(&["create:connections"]);
    let (status, answer) = t
        .send(
            reqwest::Method::GET,
            "/api/v2/connections",
            &write_only,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        answer["message"],
        "Insufficient scope, expected any of: read:connections"
    );
}

async fn create_many(t: &Tenant, prefix: &str, count: usize, strategy: &str) {
    for i in 0..count {
        t.create(&format!("{prefix}{i:04}"), strategy).await;
    }
}

#[tokio::test]
async fn list_shapes_bare_offset_and_checkpoint() {
    let t = Tenant::start().await;
    create_many(&t, "oidc-", 70, "oidc").await;
    create_many(&t, "saml-", 50, "samlp").await;

    // No paging params: a bare array of at most 50 (public cloud since 2021).
    let (status, bare) = t.get("/api/v2/connections").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bare.as_array().unwrap().len(), 50);

    // Offset without totals: a bare array of the page.
    let (_, page) = t.get("/api/v2/connections?page=1&per_page=30").await;
    assert_eq!(page.as_array().unwrap().len(), 30);
    assert_eq!(page[0]["name"], "oidc-0030");

    // Offset with totals.
    let (_, offset) = t
        .get("/api/v2/connections?page=2&per_page=50&include_totals=true")
        .await;
    assert_eq!(offset["start"], 100);
    assert_eq!(offset["limit"], 50);
    assert_eq!(offset["total"], 120);
    assert_eq!(offset["connections"].as_array().unwrap().len(), 20);
    let (_, totals_only) = t.get("/api/v2/connections?include_totals=true").await;
    assert_eq!(totals_only["start"], 0);
    assert_eq!(totals_only["total"], 120);

    // Checkpoint, as node auth0@7.1.0 sends it: include_totals=true&take=50.
    let mut names = Vec::new();
    let mut path = "/api/v2/connections?include_totals=true&take=50".to_string();
    let mut pages = 0;
    loop {
        let (status, body) = t.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.get("total").is_none(), "no totals with checkpoint");
        pages += 1;
        for c in body["connections"].as_array().unwrap() {
            names.push(c["name"].as_str().unwrap().to_string());
        }
        match body.get("next").and_then(Value::as_str) {
            Some(next) => {
                path = format!("/api/v2/connections?include_totals=true&take=50&from={next}")
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names.len(), 120);
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 120);

    // An exactly full last page has no next.
    let (_, exact) = t.get("/api/v2/connections?take=100").await;
    let next = exact["next"].as_str().unwrap();
    let (_, rest) = t
        .get(&format!("/api/v2/connections?take=20&from={next}"))
        .await;
    assert_eq!(rest["connections"].as_array().unwrap().len(), 20);
    assert!(rest.get("next").is_none());

    // Terraform's go-auth0 v1 mixed query: checkpoint wins.
    let (_, tf) = t
        .get("/api/v2/connections?include_totals=true&per_page=50&take=100")
        .await;
    assert_eq!(tf["connections"].as_array().unwrap().len(), 100);
    assert!(tf.get("start").is_none());
}

#[tokio::test]
async fn list_filters_by_strategy_and_name() {
    let t = Tenant::start().await;
    create_many(&t, "o", 12, "oidc").await;
    create_many(&t, "s", 7, "samlp").await;
    create_many(&t, "g", 5, "github").await;

    let (_, saml) = t
        .get("/api/v2/connections?strategy=samlp&include_totals=true&per_page=5")
        .await;
    assert_eq!(saml["total"], 7);
    assert_eq!(saml["connections"].as_array().unwrap().len(), 5);

    let (_, two) = t
        .get("/api/v2/connections?strategy=samlp&strategy=github&take=5")
        .await;
    let first: Vec<Value> = two["connections"].as_array().unwrap().clone();
    assert_eq!(first.len(), 5);
    let next = two["next"].as_str().unwrap();
    let (_, rest) = t
        .get(&format!(
            "/api/v2/connections?strategy=samlp&strategy=github&take=50&from={next}"
        ))
        .await;
    let all: Vec<&Value> = first
        .iter()
        .chain(rest["connections"].as_array().unwrap())
        .collect();
    assert_eq!(all.len(), 12);
    assert!(
        all.iter()
            .all(|c| c["strategy"] == "samlp" || c["strategy"] == "github")
    );

    let (_, named) = t.get("/api/v2/connections?name=s0003").await;
    assert_eq!(named.as_array().unwrap().len(), 1);
    assert_eq!(named[0]["name"], "s0003");
    let (_, named) = t.get("/api/v2/connections?name=s0003&take=50").await;
    assert_eq!(named["connections"][0]["name"], "s0003");
    let (_, wrong_strategy) = t.get("/api/v2/connections?name=s0003&strategy=oidc").await;
    assert_eq!(wrong_strategy, json!([]));
    let (_, none) = t.get("/api/v2/connections?name=absent").await;
    assert_eq!(none, json!([]));

    let (_, projected) = t
        .get("/api/v2/connections?name=o0001&fields=name,strategy")
        .await;
    assert_eq!(projected, json!([{"name": "o0001", "strategy": "oidc"}]));
}

#[tokio::test]
async fn list_query_errors() {
    let t = Tenant::start().await;
    for (query, needle) in [
        ("per_page=101", "greater than maximum 100"),
        ("per_page=0", "less than minimum 1"),
        ("take=abc", "Expected type integer"),
        ("include_totals=yes", "Expected type boolean"),
        ("strategy=nope", "No enum match"),
        ("foo=bar", "Additional properties not allowed: foo"),
        ("from=!!!", "from"),
        (
            "page=20&per_page=50",
            "exceeds the allowed maximum of 1000 records",
        ),
        (
            "page=10&per_page=100",
            "exceeds the allowed maximum of 1000 records",
        ),
    ] {
        let (status, body) = t.get(&format!("/api/v2/connections?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_error(&body, 400, "invalid_query_string");
        assert!(
            body["message"].as_str().unwrap().contains(needle),
            "{query}: {body}"
        );
    }
    let (status, _) = t.get("/api/v2/connections?page=19&per_page=50").await;
    assert_eq!(status, StatusCode::OK, "the last offset page under the cap");
}

#[tokio::test]
async fn saml_thumbprints_are_derived_from_the_signing_cert() {
    let t = Tenant::start().await;
    // A tiny DER SEQUENCE is enough for the digest.
    let (status, body) = t
        .post(json!({
            "name": "saml",
            "strategy": "samlp",
            "options": {"signingCert": "MAMCAQE=", "signInEndpoint": "https://idp.example/sso"},
        }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let thumbprints = body["options"]["thumbprints"].as_array().unwrap();
    assert_eq!(thumbprints.len(), 1);
    assert_eq!(thumbprints[0].as_str().unwrap().len(), 40);
}

#[tokio::test]
async fn vendor_answers_for_knobs_and_env_vars() {
    let t = Tenant::start().await;
    let vars = t.handle.env_vars();
    let get = |k: &str| {
        vars.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("AUTH0_DOMAIN"), DEFAULT_DOMAIN);
    assert_eq!(get("AUTH0_CLIENT_ID"), DEFAULT_CLIENT_ID);
    assert_eq!(get("AUTH0_CLIENT_SECRET"), DEFAULT_CLIENT_SECRET);
    assert_eq!(get("AUTH0_BASE_URL"), t.handle.base_url());
    assert!(t.sim.sends_rate_limit_headers());
    assert!(t.sim.is_token_path("/oauth/token"));
    assert!(!t.sim.is_token_path("/api/v2/connections"));

    let limited = t.sim.rate_limited(Duration::from_secs(1));
    assert_eq!(limited.status().as_u16(), 429);
    let body = axum::body::to_bytes(limited.into_body(), 4096)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body,
        json!({
            "statusCode": 429,
            "error": "Too Many Requests",
            "message": "Global limit has been reached",
            "errorCode": "too_many_requests",
        })
    );
    let failed = t.sim.server_error();
    assert_eq!(failed.status().as_u16(), 500);

    // x-ratelimit-* on every response (reference §3.2), reset in epoch seconds.
    let response = t
        .http
        .get(t.url("/api/v2/connections"))
        .bearer_auth(&t.token)
        .send()
        .await
        .unwrap();
    for header in [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ] {
        assert!(response.headers().contains_key(header), "{header} missing");
    }
    let reset: u64 = response.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > 1_600_000_000, "an epoch, not a duration: {reset}");
}

#[tokio::test]
async fn concurrent_creates_then_a_checkpoint_walk() {
    let t = Tenant::start().await;
    let url = t.url("/api/v2/connections");
    let tasks: Vec<_> = (0..32)
        .map(|worker| {
            let http = t.http.clone();
            let url = url.clone();
            let token = t.token.clone();
            tokio::spawn(async move {
                for i in 0..20 {
                    let response = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"name": format!("w{worker}-c{i}"), "strategy": "oidc"}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), StatusCode::CREATED);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let mut seen = 0;
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(from) => format!("/api/v2/connections?take=100&from={from}"),
            None => "/api/v2/connections?take=100".into(),
        };
        let (_, body) = t.get(&path).await;
        seen += body["connections"].as_array().unwrap().len();
        next = body.get("next").and_then(Value::as_str).map(String::from);
        if next.is_none() {
            break;
        }
    }
    assert_eq!(seen, 640);
}

#[tokio::test]
async fn attribute_maps_default_per_strategy_and_are_validated() {
    let t = Tenant::start().await;
    let okta = t.create("okta-corp", "okta").await;
    assert_eq!(
        okta["options"]["attribute_map"],
        json!({"mapping_mode": "basic_profile"})
    );
    let saml = t.create("corp-saml", "samlp").await;
    assert!(saml["options"].get("attribute_map").is_none());

    let mapped = json!({"mapping_mode": "use_map", "userinfo_scope": "openid email",
        "attributes": {"email": "${context.tokenset.email}", "tier": "gold"}});
    let (status, body) = t
        .post(json!({"name": "mapped", "strategy": "oidc", "options": {"attribute_map": mapped}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["options"]["attribute_map"], mapped);

    for (strategy, options, needle) in [
        (
            "oidc",
            json!({"attribute_map": {"mapping_mode": "basic_profile"}}),
            "No enum match",
        ),
        (
            "okta",
            json!({"attribute_map": {"mapping_mode": "bind_all"}}),
            "No enum match",
        ),
        (
            "oidc",
            json!({"attribute_map": {"userinfo_scope": "x".repeat(256)}}),
            "too long",
        ),
        (
            "oidc",
            json!({"attribute_map": {"attributes": []}}),
            "Expected type object",
        ),
        (
            "samlp",
            json!({"fieldsMap": {"email": ["a", "b", "c", "d", "e"]}}),
            "maximum 4",
        ),
        (
            "samlp",
            json!({"fieldsMap": {"email": "x".repeat(2049)}}),
            "too long",
        ),
        ("samlp", json!({"fieldsMap": {"email": 7}}), "Expected type"),
    ] {
        let (status, body) = t
            .post(json!({"name": format!("bad-{strategy}"), "strategy": strategy, "options": options}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{options}: {body}");
        assert!(body["message"].as_str().unwrap().contains(needle), "{body}");
    }
    let many: serde_json::Map<String, Value> =
        (0..45).map(|i| (format!("f{i}"), json!("a"))).collect();
    let id = saml["id"].as_str().unwrap();
    let (status, body) = t.patch(id, json!({"options": {"fieldsMap": many}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("maximum 44"),
        "{body}"
    );
}
