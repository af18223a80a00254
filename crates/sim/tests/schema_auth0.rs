//! The Auth0 simulator's connection responses against Auth0's own OpenAPI 3.1 document
//! (`auth0/management-api-oas.json`): create, get, update, every list form, the error
//! bodies the spec has schemas for (400, 401, 403, 429), and the application and provisioning
//! reads Auth0's Deploy CLI makes.

mod support;

use idconn_sim::auth0::Auth0Sim;
use idconn_sim::{Knobs, RateLimit, Sim, SimHandle};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use support::Spec;

const SPEC: &str = "auth0/management-api-oas.json";

struct Tenant {
    handle: SimHandle,
    http: Client,
    token: String,
}

impl Tenant {
    /// A simulator and a token from its `/oauth/token`, as a client would get one.
    async fn start(sim: Auth0Sim, knobs: Knobs) -> Tenant {
        let handle = Sim::start(sim, knobs, 0).await.unwrap();
        let http = Client::new();
        let env: std::collections::HashMap<_, _> = handle.env_vars().into_iter().collect();
        let token: Value = http
            .post(format!("{}/oauth/token", handle.base_url()))
            .json(&json!({
                "grant_type": "client_credentials",
                "client_id": env["AUTH0_CLIENT_ID"],
                "client_secret": env["AUTH0_CLIENT_SECRET"],
                "audience": format!("https://{}/api/v2/", env["AUTH0_DOMAIN"]),
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["access_token"].as_str().unwrap().to_string();
        Tenant {
            handle,
            http,
            token,
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("{}/api/v2{path}", self.handle.base_url());
        let request = self.http.request(method, url).bearer_auth(&self.token);
        support::http::exchange(request, body).await
    }
}

fn oidc(name: &str) -> Value {
    json!({
        "name": name,
        "strategy": "oidc",
        "display_name": format!("{name} display"),
        "options": {
            "client_id": "cid",
            "client_secret": "secret",
            "issuer": "https://idp.example.com",
            "discovery_url": "https://idp.example.com/.well-known/openid-configuration",
            "scope": "openid profile",
            "type": "back_channel"
        },
        "show_as_button": true,
        "metadata": { "team": "identity" },
        "authentication": { "active": true },
        "connected_accounts": { "active": false }
    })
}

/// The spec's list response is a `oneOf` whose offset and checkpoint forms both allow a bare
/// `{"connections": [...]}` (every property optional, no other property allowed), so the live
/// last checkpoint page matches two branches and fails `oneOf`. Each body is therefore checked
/// against the one branch its shape belongs to, and against the `oneOf` whenever it is
/// unambiguous.
///
/// List entries (`ConnectionForList`, `additionalProperties: false`) have no `enabled_clients`
/// in the spec, but live list responses carry it (reference/auth0.md §1.4, from Terraform's
/// recordings); the simulator follows the live service, so it is set aside before validating.
fn assert_list(spec: &Spec, what: &str, body: &Value) {
    let mut body = body.clone();
    let entries = match &mut body {
        Value::Array(entries) => Some(entries),
        Value::Object(page) => page.get_mut("connections").and_then(Value::as_array_mut),
        _ => None,
    };
    for entry in entries.into_iter().flatten() {
        if let Some(entry) = entry.as_object_mut() {
            entry.remove("enabled_clients");
        }
    }
    let body = &body;
    let list = spec.response_schema("GET", "/connections", "200");
    let branch = if body.is_array() {
        None
    } else if body.get("start").is_some() || body.get("total").is_some() {
        Some("ListConnectionsOffsetPaginatedResponseContent")
    } else {
        Some("ListConnectionsCheckpointPaginatedResponseContent")
    };
    if let Some(branch) = branch {
        spec.assert_valid(what, &spec.component(branch), body);
    }
    let ambiguous = body.is_object() && body.as_object().unwrap().keys().eq(["connections"]);
    if !ambiguous {
        spec.assert_valid(what, &list, body);
    }
}

#[tokio::test]
async fn connection_responses_match_the_spec() {
    let Some(spec) = support::spec(SPEC) else {
        return;
    };
    let tenant = Tenant::start(Auth0Sim::new(), Knobs::default()).await;

    let (status, created) = tenant
        .call(Method::POST, "/connections", Some(oidc("schema-one")))
        .await;
    assert_eq!(status, 201, "{created}");
    spec.assert_valid(
        "POST /connections 201",
        &spec.response_schema("POST", "/connections", "201"),
        &created,
    );
    let id = created["id"].as_str().unwrap().to_string();

    let (status, got) = tenant
        .call(Method::GET, &format!("/connections/{id}"), None)
        .await;
    assert_eq!(status, 200);
    spec.assert_valid(
        "GET /connections/{id} 200",
        &spec.response_schema("GET", "/connections/{id}", "200"),
        &got,
    );

    let (status, updated) = tenant
        .call(
            Method::PATCH,
            &format!("/connections/{id}"),
            Some(json!({ "display_name": "Renamed", "options": { "client_id": "other" } })),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    spec.assert_valid(
        "PATCH /connections/{id} 200",
        &spec.response_schema("PATCH", "/connections/{id}", "200"),
        &updated,
    );

    // The clients must exist: PATCH refuses unknown client ids with 404.
    let mut client_ids = Vec::new();
    for name in ["app1", "app2"] {
        let (status, client) = tenant
            .call(
                Method::POST,
                "/clients",
                Some(json!({ "name": name, "app_type": "spa" })),
            )
            .await;
        assert_eq!(status, 201, "{client}");
        client_ids.push(client["client_id"].clone());
    }
    let (status, answer) = tenant
        .call(
            Method::PATCH,
            &format!("/connections/{id}/clients"),
            Some(json!([
                { "client_id": client_ids[0], "status": true },
                { "client_id": client_ids[1], "status": true }
            ])),
        )
        .await;
    assert_eq!(status, 204, "{answer}");
    for query in ["", "?take=1"] {
        let (status, clients) = tenant
            .call(
                Method::GET,
                &format!("/connections/{id}/clients{query}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{clients}");
        spec.assert_valid(
            "GET /connections/{id}/clients 200",
            &spec.response_schema("GET", "/connections/{id}/clients", "200"),
            &clients,
        );
    }

    // DELETE: the spec lists 202 and 204 without a body schema; the live service answers 202
    // with {"deleted_at": ...} (reference/auth0.md §1.5), which the simulator follows.
    let (status, deleted) = tenant
        .call(Method::DELETE, &format!("/connections/{id}"), None)
        .await;
    assert!(status == 202 || status == 204, "{status}");
    if status == 202 {
        assert!(deleted["deleted_at"].is_string(), "{deleted}");
    }
}

#[tokio::test]
async fn every_list_form_matches_the_spec() {
    let Some(spec) = support::spec(SPEC) else {
        return;
    };
    let tenant = Tenant::start(Auth0Sim::new(), Knobs::default()).await;
    for i in 0..5 {
        let (status, body) = tenant
            .call(
                Method::POST,
                "/connections",
                Some(oidc(&format!("list-{i}"))),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let forms = [
        "",
        "?page=0&per_page=2",
        "?page=1&per_page=2&include_totals=true",
        "?take=2",
        "?include_totals=true&take=2",
        "?include_totals=true&per_page=50&take=100",
        "?strategy=oidc&strategy=samlp&include_totals=true&page=0&per_page=10",
        "?name=list-3",
        "?fields=id,name&include_fields=true",
        "?fields=options&include_fields=false&take=3",
    ];
    for query in forms {
        let (status, body) = tenant
            .call(Method::GET, &format!("/connections{query}"), None)
            .await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_list(&spec, &format!("GET /connections{query}"), &body);
    }

    // Checkpoint pages followed to the end.
    let mut query = "?take=2".to_string();
    let mut pages = 0;
    loop {
        let (status, body) = tenant
            .call(Method::GET, &format!("/connections{query}"), None)
            .await;
        assert_eq!(status, 200, "{body}");
        assert_list(&spec, &format!("checkpoint page {pages}"), &body);
        pages += 1;
        match body["next"].as_str() {
            Some(next) => query = format!("?take=2&from={next}"),
            None => break,
        }
    }
    assert!(pages >= 3, "{pages} pages");
}

#[tokio::test]
async fn error_bodies_match_the_spec_where_it_has_schemas() {
    let Some(spec) = support::spec(SPEC) else {
        return;
    };
    let tenant = Tenant::start(Auth0Sim::new(), Knobs::default()).await;
    let (status, bad) = tenant
        .call(
            Method::POST,
            "/connections",
            Some(json!({ "name": "bad name!", "strategy": "oidc" })),
        )
        .await;
    assert_eq!(status, 400);
    spec.assert_valid("400", &spec.component("BadRequestSchema"), &bad);

    let unauthorized: Value = tenant
        .http
        .get(format!("{}/api/v2/connections", tenant.handle.base_url()))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    spec.assert_valid("401", &spec.component("UnauthorizedSchema"), &unauthorized);

    // A client granted read:connections only.
    let sim = Auth0Sim::new().with_client("reader", "reader-secret", &["read:connections"]);
    let reader = Tenant::start(sim, Knobs::default()).await;
    let forbidden: Value = reader
        .http
        .post(format!("{}/api/v2/connections", reader.handle.base_url()))
        .bearer_auth(reader_token(&reader).await)
        .json(&oidc("nope"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    spec.assert_valid("403", &spec.component("ForbiddenSchema"), &forbidden);

    // 404 and 409 have no schema in the spec (their responses carry no content).
    let limited = Knobs {
        rate_limit: Some(RateLimit {
            burst: 1,
            per_second: 0.001,
        }),
        ..Knobs::default()
    };
    // The token request spends the only token: the next call is refused.
    let throttled = Tenant::start(Auth0Sim::new(), limited).await;
    let (status, body) = throttled.call(Method::GET, "/connections", None).await;
    assert_eq!(status, 429);
    spec.assert_valid("429", &spec.component("TooManyRequestsSchema"), &body);
}

/// A clients list body against the one `oneOf` branch of `get_clients` its shape belongs to
/// (a bare `{"clients": [...]}` fits both object branches, as in [`assert_list`]), and against
/// the `oneOf` whenever it is unambiguous.
fn assert_clients(spec: &Spec, what: &str, body: &Value) {
    let branch = if body.is_array() {
        None
    } else if body.get("start").is_some() || body.get("total").is_some() {
        Some("ListClientsOffsetPaginatedResponseContent")
    } else {
        Some("ListClientsPaginatedResponseContent")
    };
    if let Some(branch) = branch {
        spec.assert_valid(what, &spec.component(branch), body);
    }
    let ambiguous = body.is_object() && body.as_object().unwrap().keys().eq(["clients"]);
    if !ambiguous {
        spec.assert_valid(what, &spec.response_schema("GET", "/clients", "200"), body);
    }
}

/// The reads auth0-deploy-cli 8.44.0 makes for its `clients` and `connections` resource types
/// (export and import), with the queries it sends, against the spec's response schemas.
#[tokio::test]
async fn deploy_cli_reads_match_the_spec() {
    let Some(spec) = support::spec(SPEC) else {
        return;
    };
    let tenant = Tenant::start(Auth0Sim::new(), Knobs::default()).await;
    for name in ["Web shop", "Back office", "Kiosk"] {
        let (status, created) = tenant
            .call(
                Method::POST,
                "/clients",
                Some(json!({ "name": name, "app_type": "regular_web" })),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        spec.assert_valid(
            "POST /clients 201",
            &spec.response_schema("POST", "/clients", "201"),
            &created,
        );
    }
    let (status, connection) = tenant
        .call(Method::POST, "/connections", Some(oidc("deploy-cli")))
        .await;
    assert_eq!(status, 201, "{connection}");
    let id = connection["id"].as_str().unwrap();

    for query in [
        // Export (`is_global=false`) and import, as deploy-cli pages them.
        "?page=0&per_page=100&include_totals=true&is_global=false",
        "?page=0&per_page=100&include_totals=true",
        // With AUTH0_EXCLUDE_THIRD_PARTY_CLIENTS.
        "?page=0&per_page=100&include_totals=true&is_global=false&is_first_party=true",
        "",
        "?take=2",
        "?fields=client_id,name&include_fields=true",
    ] {
        let (status, body) = tenant
            .call(Method::GET, &format!("/clients{query}"), None)
            .await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_clients(&spec, &format!("GET /clients{query}"), &body);
    }

    let provisionings = spec.response_schema("GET", "/connections-directory-provisionings", "200");
    for query in ["", "?take=50"] {
        let (status, body) = tenant
            .call(
                Method::GET,
                &format!("/connections-directory-provisionings{query}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{query}: {body}");
        spec.assert_valid(
            &format!("GET /connections-directory-provisionings{query}"),
            &provisionings,
            &body,
        );
        // The schema alone would also accept a page of configurations: none is configured.
        assert_eq!(body, json!({ "directory_provisionings": [] }));
    }
    let (status, enabled) = tenant
        .call(
            Method::GET,
            &format!("/connections/{id}/clients?take=100"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{enabled}");
    spec.assert_valid(
        "GET /connections/{id}/clients?take=100",
        &spec.response_schema("GET", "/connections/{id}/clients", "200"),
        &enabled,
    );

    // A connection without SCIM: the spec's 404 "Not Found", which has no body schema; the
    // body follows the service's error shape. A malformed id is the spec's 400.
    let (status, body) = tenant
        .call(
            Method::GET,
            &format!("/connections/{id}/scim-configuration"),
            None,
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(
        body,
        json!({ "statusCode": 404, "error": "Not Found", "message": "Not Found" })
    );
    let (status, body) = tenant
        .call(Method::GET, "/connections/bad id/scim-configuration", None)
        .await;
    assert_eq!(status, 400, "{body}");
    spec.assert_valid("400", &spec.component("BadRequestSchema"), &body);
    let (status, body) = tenant
        .call(
            Method::GET,
            "/connections-directory-provisionings?take=0",
            None,
        )
        .await;
    assert_eq!(status, 400, "{body}");
    spec.assert_valid("400", &spec.component("BadRequestSchema"), &body);
}

async fn reader_token(tenant: &Tenant) -> String {
    let env: std::collections::HashMap<_, _> = tenant.handle.env_vars().into_iter().collect();
    let body: Value = tenant
        .http
        .post(format!("{}/oauth/token", tenant.handle.base_url()))
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": "reader",
            "client_secret": "reader-secret",
            "audience": format!("https://{}/api/v2/", env["AUTH0_DOMAIN"]),
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().unwrap().to_string()
}
