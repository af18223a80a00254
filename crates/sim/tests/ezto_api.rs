//! The ezto simulator driven over raw HTTP (no backend crate): every behaviour of
//! reference/ezto-keycloak.md §2 and issue 3's ezto list, with status codes and bodies.

use std::collections::HashSet;
use std::time::Duration;

use idconn_sim::ezto::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, EztoSim};
use idconn_sim::{Knobs, Sim, SimHandle, VendorApi};
use reqwest::StatusCode;
use serde_json::{Value, json};

mod support;

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
    _handle: SimHandle,
}

const INSTANCES: &str = "/auth/admin/realms/idconn/identity-provider/instances";

async fn token_for(
    http: &reqwest::Client,
    base: &str,
    prefix: &str,
    id: &str,
    secret: &str,
) -> String {
    let response = http
        .post(format!(
            "{base}{prefix}/realms/idconn/protocol/openid-connect/token"
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

async fn start(sim: EztoSim) -> Api {
    let handle = Sim::start(sim, Knobs::default(), 0).await.unwrap();
    let http = reqwest::Client::new();
    let base = handle.base_url();
    let token = token_for(
        &http,
        &base,
        "/auth",
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
    )
    .await;
    Api {
        http,
        base,
        token,
        _handle: handle,
    }
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        (status, headers, response.text().await.unwrap())
    }

    async fn post(&self, body: Value) -> (StatusCode, reqwest::header::HeaderMap, String) {
        self.send(reqwest::Method::POST, INSTANCES, Some(&body))
            .await
    }

    async fn post_raw(&self, body: &str) -> (StatusCode, String) {
        let response = self
            .http
            .post(self.url(INSTANCES))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let (status, _, body) = self.send(reqwest::Method::GET, path, None).await;
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    async fn one(&self, key: &str) -> Value {
        let (status, body) = self.get_json(&format!("{INSTANCES}/{key}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn put(&self, key: &str, body: Value) -> (StatusCode, String) {
        let (status, _, text) = self
            .send(
                reqwest::Method::PUT,
                &format!("{INSTANCES}/{key}"),
                Some(&body),
            )
            .await;
        (status, text)
    }

    async fn created(&self, body: Value) {
        let (status, _, text) = self.post(body).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// ezto's own sample body from "Create New Identity Provider" (reference §1.1).
fn ezto_sample() -> Value {
    json!({
        "alias": "keycloak-oidc-2",
        "providerId": "keycloak-oidc",
        "enabled": true,
        "updateProfileFirstLoginMode": "on",
        "trustEmail": false,
        "storeToken": false,
        "addReadTokenRoleOnCreate": false,
        "authenticateByDefault": false,
        "linkOnly": false,
        "firstBrokerLoginFlowAlias": "first broker login",
        "config": {}
    })
}

fn oidc(alias: &str) -> Value {
    json!({
        "alias": alias,
        "providerId": "oidc",
        "displayName": "Acme",
        "config": {
            "clientId": "cid",
            "clientSecret": "s3cret",
            "authorizationUrl": "https://idp.example.com/auth",
            "tokenUrl": "https://idp.example.com/token",
            "defaultScope": "openid email",
            "syncMode": "IMPORT"
        }
    })
}

#[tokio::test]
async fn token_endpoint_issues_client_credentials_tokens_and_refuses_the_rest() {
    let handle = Sim::start(EztoSim::new(), Knobs::default(), 0)
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!(
        "{}/auth/realms/idconn/protocol/openid-connect/token",
        handle.base_url()
    );

    let ok: Value = http
        .post(&url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["token_type"], "Bearer");
    assert_eq!(ok["expires_in"], 300);
    assert_eq!(
        ok["access_token"].as_str().unwrap().split('.').count(),
        3,
        "a JWT-shaped token"
    );

    let basic = http
        .post(&url)
        .basic_auth(DEFAULT_CLIENT_ID, Some(DEFAULT_CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);

    type Form<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Form, StatusCode, Value); 3] = [
        (
            &[
                ("grant_type", "client_credentials"),
                ("client_id", DEFAULT_CLIENT_ID),
                ("client_secret", "wrong"),
            ],
            StatusCode::UNAUTHORIZED,
            json!({"error": "unauthorized_client", "error_description": "Invalid client or Invalid client credentials"}),
        ),
        (
            &[("client_id", DEFAULT_CLIENT_ID)],
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "Missing form parameter: grant_type"}),
        ),
        (
            &[("grant_type", "password"), ("client_id", DEFAULT_CLIENT_ID)],
            StatusCode::BAD_REQUEST,
            json!({"error": "unsupported_grant_type", "error_description": "Unsupported grant_type"}),
        ),
    ];
    for (form, status, body) in cases {
        let response = http.post(&url).form(form).send().await.unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(response.json::<Value>().await.unwrap(), body);
    }

    let other_realm = http
        .post(format!(
            "{}/auth/realms/master/protocol/openid-connect/token",
            handle.base_url()
        ))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(other_realm.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        other_realm.json::<Value>().await.unwrap(),
        json!({"error": "Realm does not exist"})
    );
}

#[tokio::test]
async fn admin_routes_need_an_authorization_bearer_token() {
    let api = start(EztoSim::new()).await;
    let unauthorized = json!({"error": "HTTP 401 Unauthorized"});

    let none = api.http.get(api.url(INSTANCES)).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.json::<Value>().await.unwrap(), unauthorized);

    // ezto's docs print the header as `Authentication`; Keycloak reads only `Authorization`.
    let misnamed = api
        .http
        .get(api.url(INSTANCES))
        .header("Authentication", format!("Bearer {}", api.token))
        .send()
        .await
        .unwrap();
    assert_eq!(misnamed.status(), StatusCode::UNAUTHORIZED);

    let forged = api
        .http
        .get(api.url(INSTANCES))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

    let (status, body) = api
        .get_json("/auth/admin/realms/other/identity-provider/instances")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"error": "Realm not found."}));

    let (status, body) = api.get_json(INSTANCES).await;
    assert_eq!((status, body), (StatusCode::OK, json!([])));
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let sim = EztoSim::new();
    let api = start(sim.clone()).await;
    assert_eq!(api.get_json(INSTANCES).await.0, StatusCode::OK);
    sim.expire_tokens();
    assert_eq!(api.get_json(INSTANCES).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_viewer_reads_but_may_not_write() {
    let api = start(EztoSim::new().with_viewer_client("viewer", "viewer-secret")).await;
    api.created(oidc("acme")).await;
    let viewer = token_for(&api.http, &api.base, "/auth", "viewer", "viewer-secret").await;
    let read = api
        .http
        .get(api.url(INSTANCES))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    for request in [
        api.http.post(api.url(INSTANCES)).json(&oidc("other")),
        api.http
            .put(api.url(&format!("{INSTANCES}/acme")))
            .json(&oidc("acme")),
        api.http.delete(api.url(&format!("{INSTANCES}/acme"))),
        // Role first, resolution second: an unknown alias is a 403 to a viewer too.
        api.http.delete(api.url(&format!("{INSTANCES}/nosuch"))),
    ] {
        let response = request.bearer_auth(&viewer).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({"error": "HTTP 403 Forbidden"})
        );
    }
}

#[tokio::test]
async fn create_answers_201_with_location_and_no_body_and_fills_keycloak_defaults() {
    let api = start(EztoSim::new()).await;
    let (status, headers, body) = api.post(ezto_sample()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body, "");
    assert_eq!(
        headers["location"].to_str().unwrap(),
        format!("{}{INSTANCES}/keycloak-oidc-2", api.base)
    );

    let stored = api.one("keycloak-oidc-2").await;
    let internal_id = stored["internalId"].as_str().unwrap();
    assert!(uuid_like(internal_id), "{internal_id}");
    let mut expected = ezto_sample();
    expected["internalId"] = json!(internal_id);
    expected["hideOnLogin"] = json!(false);
    assert_eq!(stored, expected);

    // A minimal body gets the same defaults.
    api.created(json!({"alias": "bare", "providerId": "github"}))
        .await;
    let bare = api.one("bare").await;
    assert_eq!(bare["enabled"], true);
    assert_eq!(bare["updateProfileFirstLoginMode"], "on");
    assert_eq!(bare["firstBrokerLoginFlowAlias"], "first broker login");
    assert_eq!(bare["config"], json!({}));
    for flag in [
        "trustEmail",
        "storeToken",
        "addReadTokenRoleOnCreate",
        "authenticateByDefault",
        "linkOnly",
        "hideOnLogin",
    ] {
        assert_eq!(bare[flag], false, "{flag}");
    }
    assert!(bare.get("displayName").is_none());

    // A body internalId is honoured (measured on Keycloak 26.7.1).
    api.created(json!({"alias": "fixed", "providerId": "oidc", "internalId": "11111111-1111-1111-1111-111111111111"})).await;
    assert_eq!(
        api.one("fixed").await["internalId"],
        "11111111-1111-1111-1111-111111111111"
    );
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn create_drops_empty_config_values_and_migrates_the_legacy_hide_flag() {
    let api = start(EztoSim::new()).await;
    api.created(json!({
        "alias": "legacy",
        "providerId": "google",
        "config": {"clientId": "cid", "hostedDomain": "", "hideOnLoginPage": "true", "guiOrder": null}
    }))
    .await;
    let stored = api.one("legacy").await;
    assert_eq!(stored["config"], json!({"clientId": "cid"}));
    assert_eq!(stored["hideOnLogin"], true);
}

#[tokio::test]
async fn duplicate_alias_is_a_409_error_message() {
    let api = start(EztoSim::new()).await;
    api.created(ezto_sample()).await;
    let (status, _, body) = api.post(ezto_sample()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        parse(&body),
        json!({"errorMessage": "Identity Provider keycloak-oidc-2 already exists"})
    );
    assert_eq!(api._handle.connections().len(), 1);
}

#[tokio::test]
async fn bad_creates_get_keycloaks_answers() {
    let api = start(EztoSim::new()).await;
    let cases = [
        (
            json!({"alias": "a b", "providerId": "oidc"}),
            StatusCode::BAD_REQUEST,
            json!({"error": "Empty Space not allowed."}),
        ),
        (
            json!({"alias": "a/b", "providerId": "oidc"}),
            StatusCode::BAD_REQUEST,
            json!({"error": "Character '/' not allowed."}),
        ),
        (
            json!({"alias": "a"}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "Invalid identity provider id [null]"}),
        ),
        (
            json!({"alias": "a", "providerId": "nope"}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "Invalid identity provider id [nope]"}),
        ),
        (
            json!({"alias": "a", "providerId": "apple"}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "Invalid identity provider id [apple]"}),
        ),
        (
            json!({"providerId": "oidc"}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "path is null"}),
        ),
        (
            json!({"alias": "a", "providerId": "oidc", "config": {"pkceEnabled": true}}),
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "Cannot parse the JSON"}),
        ),
        (
            json!({"alias": "a", "providerId": "oidc", "enabled": "yes"}),
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "Cannot parse the JSON"}),
        ),
        (
            json!({"alias": "a", "providerId": "oidc", "config": {"tokenUrl": "http://idp.example.com/token"}}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "The url [token_url] requires secure connections"}),
        ),
        (
            json!({"alias": "a", "providerId": "oidc", "config": {"authorizationUrl": "idp/auth"}}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "The url [authorization_url] is malformed"}),
        ),
        (
            json!({"alias": "a", "providerId": "oidc", "firstBrokerLoginFlowAlias": "no such flow"}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "No available authentication flow with alias: no such flow"}),
        ),
        (
            json!({"alias": "a", "providerId": "oidc", "organizationId": ""}),
            StatusCode::BAD_REQUEST,
            json!({"errorMessage": "Organization associated with broker does not exist"}),
        ),
    ];
    for (body, status, answer) in cases {
        let (got, _, text) = api.post(body.clone()).await;
        assert_eq!(got, status, "{body} -> {text}");
        assert_eq!(parse(&text), answer, "{body}");
    }

    let (status, text) = api
        .post_raw(r#"{"alias":"a","providerId":"oidc","zzz":1}"#)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        parse(&text),
        json!({"error": "Invalid json representation for IdentityProviderRepresentation. Unrecognized field \"zzz\" at line 1 column 38."})
    );
    let (status, text) = api.post_raw(r#"{"alias":"a","#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        parse(&text),
        json!({"error": "invalid_request", "error_description": "Cannot parse the JSON"})
    );
    let (status, text) = api.post_raw("[1]").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    let (status, text) = api.post_raw("").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(parse(&text)["error"], "unknown_error");

    let form = api
        .http
        .post(api.url(INSTANCES))
        .bearer_auth(&api.token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("alias=a")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(form.json::<Value>().await.is_ok());

    assert!(
        api._handle.connections().is_empty(),
        "no refused create stored anything"
    );
}

#[tokio::test]
async fn extension_providers_are_opt_in_and_local_http_is_allowed() {
    let api = start(EztoSim::new().with_provider_id("apple")).await;
    api.created(json!({"alias": "apple", "providerId": "apple"}))
        .await;
    api.created(json!({"alias": "local", "providerId": "oidc", "config": {"tokenUrl": "http://127.0.0.1:9/token"}})).await;
}

#[tokio::test]
async fn client_secret_is_masked_on_every_read_but_stored() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    api.created(
        json!({"alias": "vault", "providerId": "oidc", "config": {"clientSecret": "${vault.idp}"}}),
    )
    .await;

    assert_eq!(
        api.one("acme").await["config"]["clientSecret"],
        "**********"
    );
    let (_, list) = api.get_json(INSTANCES).await;
    assert_eq!(list[0]["config"]["clientSecret"], "**********");
    assert_eq!(list[1]["config"]["clientSecret"], "${vault.idp}");
    let stored = api._handle.connections();
    assert_eq!(stored[0]["config"]["clientSecret"], "s3cret");
}

#[tokio::test]
async fn put_replaces_the_whole_representation() {
    let api = start(EztoSim::new()).await;
    let mut full = oidc("acme");
    full["trustEmail"] = json!(true);
    full["storeToken"] = json!(true);
    full["enabled"] = json!(false);
    api.created(full).await;
    let internal_id = api.one("acme").await["internalId"].clone();

    // Only alias, providerId and displayName: everything else back to defaults, config gone.
    let (status, body) = api
        .put(
            "acme",
            json!({"alias": "acme", "providerId": "oidc", "displayName": "Renamed"}),
        )
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    let after = api.one("acme").await;
    assert_eq!(after["displayName"], "Renamed");
    assert_eq!(after["internalId"], internal_id);
    assert_eq!(after["trustEmail"], false);
    assert_eq!(after["storeToken"], false);
    assert_eq!(after["enabled"], true);
    assert_eq!(after["config"], json!({}));
    assert_eq!(
        api._handle.connections()[0]["config"],
        json!({}),
        "the secret is wiped too"
    );
}

#[tokio::test]
async fn put_with_the_mask_keeps_the_secret_and_without_it_wipes_it() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;

    // The read-modify-write Terraform does (terraform-provider-keycloak#1576): echo the mask.
    let mut current = api.one("acme").await;
    current["config"]["defaultScope"] = json!("openid");
    assert_eq!(
        api.put("acme", current.clone()).await.0,
        StatusCode::NO_CONTENT
    );
    let stored = &api._handle.connections()[0];
    assert_eq!(stored["config"]["clientSecret"], "s3cret");
    assert_eq!(stored["config"]["defaultScope"], "openid");

    // A new real secret replaces it.
    current["config"]["clientSecret"] = json!("rotated");
    assert_eq!(
        api.put("acme", current.clone()).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api._handle.connections()[0]["config"]["clientSecret"],
        "rotated"
    );

    // Omitting the key wipes it: config is replaced whole.
    current["config"]
        .as_object_mut()
        .unwrap()
        .remove("clientSecret");
    assert_eq!(api.put("acme", current).await.0, StatusCode::NO_CONTENT);
    assert!(
        api._handle.connections()[0]["config"]
            .get("clientSecret")
            .is_none()
    );
    assert!(
        api.one("acme").await["config"]
            .get("clientSecret")
            .is_none()
    );
}

#[tokio::test]
async fn put_refuses_alias_changes_and_ignores_provider_id_and_internal_id() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    let before = api.one("acme").await;

    let mut renamed = before.clone();
    renamed["alias"] = json!("other");
    let (status, body) = api.put("acme", renamed).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        parse(&body),
        json!({"errorMessage": "Identity Provider alias cannot be changed"})
    );

    let mut no_alias = before.clone();
    no_alias.as_object_mut().unwrap().remove("alias");
    assert_eq!(api.put("acme", no_alias).await.0, StatusCode::BAD_REQUEST);

    let mut no_provider = before.clone();
    no_provider.as_object_mut().unwrap().remove("providerId");
    let (status, body) = api.put("acme", no_provider).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        parse(&body),
        json!({"errorMessage": "Invalid identity provider id [null]"})
    );

    // keycloak#28592: another valid providerId is accepted and not applied; internalId likewise.
    let mut other = before.clone();
    other["providerId"] = json!("saml");
    other["internalId"] = json!("22222222-2222-2222-2222-222222222222");
    assert_eq!(api.put("acme", other).await.0, StatusCode::NO_CONTENT);
    let after = api.one("acme").await;
    assert_eq!(after["providerId"], "oidc");
    assert_eq!(after["internalId"], before["internalId"]);
}

#[tokio::test]
async fn unknown_alias_is_404_and_a_bad_body_is_decoded_first() {
    let api = start(EztoSim::new()).await;
    let not_found = json!({"error": "HTTP 404 Not Found"});
    let (status, body) = api.get_json(&format!("{INSTANCES}/nosuch")).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, not_found.clone()));
    let (status, body) = api.put("nosuch", oidc("nosuch")).await;
    assert_eq!(
        (status, parse(&body)),
        (StatusCode::NOT_FOUND, not_found.clone())
    );
    let (status, _, body) = api
        .send(
            reqwest::Method::DELETE,
            &format!("{INSTANCES}/nosuch"),
            None,
        )
        .await;
    assert_eq!(
        (status, parse(&body)),
        (StatusCode::NOT_FOUND, not_found.clone())
    );
    let (status, body) = api
        .put("nosuch", json!({"alias": "nosuch", "zzz": true}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = api.get_json("/auth/admin/realms/idconn/nothing-here").await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, not_found));
}

#[tokio::test]
async fn internal_id_addresses_a_provider_like_its_alias() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    let internal_id = api.one("acme").await["internalId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(api.one(&internal_id).await["alias"], "acme");
    let mut body = api.one("acme").await;
    body["displayName"] = json!("By id");
    assert_eq!(api.put(&internal_id, body).await.0, StatusCode::NO_CONTENT);
    assert_eq!(api.one("acme").await["displayName"], "By id");
    let (status, _, text) = api
        .send(
            reqwest::Method::DELETE,
            &format!("{INSTANCES}/{internal_id}"),
            None,
        )
        .await;
    assert_eq!((status, text.as_str()), (StatusCode::NO_CONTENT, ""));
    assert_eq!(
        api.get_json(&format!("{INSTANCES}/acme")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn delete_answers_204_and_frees_the_alias() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    let (status, _, body) = api
        .send(reqwest::Method::DELETE, &format!("{INSTANCES}/acme"), None)
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    assert!(api._handle.connections().is_empty());
    api.created(oidc("acme")).await;
}

#[tokio::test]
async fn list_pages_by_first_and_max_in_alias_order_with_a_default_of_100() {
    let api = start(EztoSim::new()).await;
    // Created out of order; listed by alias.
    for i in (0..250).rev() {
        api.created(json!({"alias": format!("idp-{i:03}"), "providerId": "github"}))
            .await;
    }
    let (_, default_page) = api.get_json(INSTANCES).await;
    let aliases = |page: &Value| -> Vec<String> {
        page.as_array()
            .unwrap()
            .iter()
            .map(|p| p["alias"].as_str().unwrap().to_string())
            .collect()
    };
    let first = aliases(&default_page);
    assert_eq!(first.len(), 100);
    assert_eq!(first[0], "idp-000");
    assert_eq!(first[99], "idp-099");

    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let (status, page) = api
            .get_json(&format!("{INSTANCES}?first={offset}&max=40"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let page = aliases(&page);
        if page.is_empty() {
            break;
        }
        offset += page.len();
        seen.extend(page);
    }
    assert_eq!(seen.len(), 250);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 250);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));

    assert_eq!(
        aliases(
            &api.get_json(&format!("{INSTANCES}?first=-1&max=-1"))
                .await
                .1
        )
        .len(),
        250
    );
    assert_eq!(
        aliases(&api.get_json(&format!("{INSTANCES}?max=0")).await.1).len(),
        0
    );
    assert_eq!(
        aliases(&api.get_json(&format!("{INSTANCES}?first=240")).await.1).len(),
        10
    );
    let (status, body) = api.get_json(&format!("{INSTANCES}?first=abc")).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::NOT_FOUND,
            json!({"error": "HTTP 404 Not Found"})
        )
    );
    assert_eq!(
        api.get_json(&format!("{INSTANCES}?max=1.5")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn list_search_is_prefix_contains_or_exact_and_brief_is_brief() {
    let api = start(EztoSim::new()).await;
    for alias in ["xabbcx", "xab", "abb", "other"] {
        api.created(
            json!({"alias": alias, "providerId": "oidc", "displayName": alias.to_uppercase(),
                           "config": {"clientSecret": "s"}}),
        )
        .await;
    }
    let search = |q: &'static str| {
        let api = &api;
        async move {
            let (_, page) = api.get_json(&format!("{INSTANCES}?search={q}")).await;
            page.as_array()
                .unwrap()
                .iter()
                .map(|p| p["alias"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("xab").await, ["xab", "xabbcx"]);
    assert_eq!(search("XAB").await, ["xab", "xabbcx"]);
    assert_eq!(search("abb").await, ["abb"]);
    assert_eq!(search("*abb*").await, ["abb", "xabbcx"]);
    assert_eq!(search("%22xab%22").await, ["xab"]);
    assert_eq!(search("").await.len(), 4);
    assert_eq!(
        api.get_json(&format!("{INSTANCES}?search=x&first=1&max=1"))
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let (_, brief) = api
        .get_json(&format!(
            "{INSTANCES}?briefRepresentation=true&search=other"
        ))
        .await;
    let internal_id = brief[0]["internalId"].clone();
    assert_eq!(
        brief,
        json!([{"alias": "other", "displayName": "OTHER", "enabled": true, "internalId": internal_id, "providerId": "oidc"}])
    );
}

#[tokio::test]
async fn plain_keycloak_has_no_prefix() {
    let sim = EztoSim::new().with_prefix("");
    let handle = Sim::start(sim, Knobs::default(), 0).await.unwrap();
    let http = reqwest::Client::new();
    let base = handle.base_url();
    let token = token_for(&http, &base, "", DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET).await;
    let created = http
        .post(format!(
            "{base}/admin/realms/idconn/identity-provider/instances"
        ))
        .bearer_auth(&token)
        .json(&oidc("acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        created.headers()["location"].to_str().unwrap(),
        format!("{base}/admin/realms/idconn/identity-provider/instances/acme")
    );
    let old_path = http
        .get(format!(
            "{base}/auth/admin/realms/idconn/identity-provider/instances"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(old_path.status(), StatusCode::NOT_FOUND);
    let vars = handle.env_vars();
    assert!(
        vars.contains(&("EZTO_API_PREFIX".to_string(), String::new())),
        "{vars:?}"
    );
}

#[tokio::test]
async fn env_vars_reach_the_simulator() {
    let handle = Sim::start(EztoSim::new(), Knobs::default(), 0)
        .await
        .unwrap();
    let vars: std::collections::HashMap<String, String> = handle.env_vars().into_iter().collect();
    assert_eq!(vars["EZTO_HOST"], handle.base_url());
    assert_eq!(vars["EZTO_WORKSPACE"], "idconn");
    assert!(
        !vars.contains_key("EZTO_API_PREFIX"),
        "the default prefix is implied"
    );
    let http = reqwest::Client::new();
    let token = token_for(
        &http,
        &vars["EZTO_HOST"],
        "/auth",
        &vars["EZTO_CLIENT_ID"],
        &vars["EZTO_CLIENT_SECRET"],
    )
    .await;
    let listed = http
        .get(format!(
            "{}/auth/admin/realms/{}/identity-provider/instances",
            vars["EZTO_HOST"], vars["EZTO_WORKSPACE"]
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::OK);

    let master = EztoSim::new()
        .with_token_realm("master")
        .with_workspace("acme");
    let vars: std::collections::HashMap<String, String> =
        master.env_vars("http://x").into_iter().collect();
    assert_eq!(vars["EZTO_TOKEN_REALM"], "master");
    assert_eq!(vars["EZTO_WORKSPACE"], "acme");
}

#[tokio::test]
async fn knob_answers_are_keycloaks() {
    let sim = EztoSim::new();
    let limited = sim.rate_limited(Duration::from_millis(1500));
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["retry-after"], "2");
    assert_eq!(
        sim.server_error().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(sim.is_token_path("/auth/realms/idconn/protocol/openid-connect/token"));
    assert!(!sim.is_token_path("/auth/admin/realms/idconn/identity-provider/instances"));
    assert!(
        EztoSim::new()
            .with_prefix("")
            .is_token_path("/realms/master/protocol/openid-connect/token")
    );
}

#[tokio::test]
async fn concurrent_creates_each_land_once() {
    let api = std::sync::Arc::new(start(EztoSim::new()).await);
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let api = api.clone();
            tokio::spawn(async move {
                api.post(json!({"alias": format!("c-{}", i % 32), "providerId": "oidc"}))
                    .await
                    .0
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(created, 32);
    assert_eq!(api._handle.connections().len(), 32);
}

/// The responses validate against Keycloak's own schema (specs/keycloak, through the shared
/// test support), and carry no field the schema does not name.
#[tokio::test]
async fn responses_validate_against_the_keycloak_openapi_schema() {
    let api = start(EztoSim::new()).await;
    api.created(ezto_sample()).await;
    api.created(oidc("acme")).await;
    api.created(
        json!({"alias": "s", "providerId": "saml", "postBrokerLoginFlowAlias": "browser",
                       "config": {"singleSignOnServiceUrl": "https://idp.example.com/sso"}}),
    )
    .await;
    let (_, full) = api.get_json(INSTANCES).await;
    let (_, brief) = api
        .get_json(&format!("{INSTANCES}?briefRepresentation=true"))
        .await;
    let one = api.one("acme").await;

    for version in ["26.6.0", "26.8.1"] {
        let Some(spec) = support::spec(&format!("keycloak/openapi-{version}.json")) else {
            return;
        };
        let path = "/admin/realms/{realm}/identity-provider/instances";
        let list = spec.response_schema("get", path, "200");
        spec.assert_valid("list", &list, &full);
        spec.assert_valid("brief list", &list, &brief);
        let single = spec.response_schema("get", &format!("{path}/{{alias}}"), "200");
        spec.assert_valid("one", &single, &one);
        // Not vacuous: a non-string config value fails.
        assert!(
            !spec
                .errors(
                    &single,
                    &json!({"alias": "a", "config": {"pkceEnabled": true}})
                )
                .is_empty()
        );
        let named = &spec.document()["components"]["schemas"]["IdentityProviderRepresentation"]["properties"];
        for rep in full.as_array().unwrap().iter().chain([&one]) {
            for key in rep.as_object().unwrap().keys() {
                assert!(
                    named.get(key).is_some(),
                    "{version}: `{key}` is not in the schema"
                );
            }
        }
    }
}

/// 20,000 providers created at concurrency 32, then listed page by page: every page is a
/// slice of the sorted index, so the last page costs what the first does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scales_to_twenty_thousand_providers() {
    use futures_util_lite::run_bounded;
    let api = std::sync::Arc::new(start(EztoSim::new()).await);
    let started = std::time::Instant::now();
    run_bounded(20_000, 32, |i| {
        let api = api.clone();
        async move {
            let (status, _, body) = api
                .post(json!({"alias": format!("idp-{i:05}"), "providerId": "oidc"}))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    })
    .await;
    let created_in = started.elapsed();

    let started = std::time::Instant::now();
    let mut total = 0;
    let mut slowest = Duration::ZERO;
    loop {
        let page_started = std::time::Instant::now();
        let (_, page) = api
            .get_json(&format!("{INSTANCES}?first={total}&max=100"))
            .await;
        slowest = slowest.max(page_started.elapsed());
        let n = page.as_array().unwrap().len();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert_eq!(total, 20_000);
    eprintln!(
        "created 20000 in {created_in:?}; listed 200 pages in {:?}, slowest page {slowest:?}",
        started.elapsed()
    );
}

/// A tiny bounded-concurrency driver (the sim's dev-dependencies have no futures crate).
mod futures_util_lite {
    use std::future::Future;
    use std::sync::Arc;

    pub async fn run_bounded<F, Fut>(count: usize, concurrency: usize, make: F)
    where
        F: Fn(usize) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
        let mut tasks = Vec::with_capacity(count);
        for i in 0..count {
            let permit = permits.clone().acquire_owned().await.unwrap();
            let fut = make(i);
            tasks.push(tokio::spawn(async move {
                fut.await;
                drop(permit);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    }
}

// Identity-provider mappers (Keycloak IdentityProviderResource), and SAML config validation.

fn mappers_of(alias: &str) -> String {
    format!("{INSTANCES}/{alias}/mappers")
}

fn claim_mapper(alias: &str, name: &str) -> Value {
    json!({
        "name": name,
        "identityProviderAlias": alias,
        "identityProviderMapper": "oidc-user-attribute-idp-mapper",
        "config": {"claim": "email", "user.attribute": "email", "syncMode": "INHERIT"}
    })
}

fn saml(alias: &str, config: Value) -> Value {
    json!({"alias": alias, "providerId": "saml", "config": config})
}

#[tokio::test]
async fn mappers_are_created_with_201_and_location_read_listed_updated_and_deleted() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    let (status, headers, body) = api
        .send(
            reqwest::Method::POST,
            &mappers_of("acme"),
            Some(&claim_mapper("acme", "email")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body.is_empty());
    let location = headers["location"].to_str().unwrap().to_string();
    let id = location.rsplit('/').next().unwrap().to_string();
    assert!(location.ends_with(&format!("{}/{id}", mappers_of("acme"))));
    assert!(uuid_like(&id));

    let (status, one) = api.get_json(&format!("{}/{id}", mappers_of("acme"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["name"], "email");
    assert_eq!(one["identityProviderAlias"], "acme");
    assert_eq!(one["config"]["claim"], "email");

    let mut changed = one.clone();
    changed["config"] = json!({"claim": "mail", "user.attribute": "email", "syncMode": "FORCE"});
    let (status, _, text) = api
        .send(
            reqwest::Method::PUT,
            &format!("{}/{id}", mappers_of("acme")),
            Some(&changed),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    let (_, list) = api.get_json(&mappers_of("acme")).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    // PUT replaces the config whole.
    assert_eq!(list[0]["config"], changed["config"]);

    let (status, _, _) = api
        .send(
            reqwest::Method::DELETE,
            &format!("{}/{id}", mappers_of("acme")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = api.get_json(&format!("{}/{id}", mappers_of("acme"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"error": "Model not found"}));
    let (status, _, _) = api
        .send(
            reqwest::Method::DELETE,
            &format!("{}/{id}", mappers_of("acme")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn mapper_routes_of_an_unknown_provider_are_404() {
    let api = start(EztoSim::new()).await;
    let (status, _) = api.get_json(&mappers_of("nope")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = api
        .send(
            reqwest::Method::POST,
            &mappers_of("nope"),
            Some(&claim_mapper("nope", "email")),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api
        .get_json(&format!("{INSTANCES}/nope/mapper-types"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn duplicate_names_unknown_types_and_foreign_aliases_are_refused() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    api.created(oidc("other")).await;
    let post = |body: Value| {
        let api = &api;
        async move {
            let (status, _, text) = api
                .send(reqwest::Method::POST, &mappers_of("acme"), Some(&body))
                .await;
            (status, text)
        }
    };
    let (status, _) = post(claim_mapper("acme", "email")).await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, text) = post(claim_mapper("acme", "email")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        parse(&text),
        json!({"errorMessage": "Failed to add mapper 'email' to identity provider [oidc]."})
    );

    let mut unknown = claim_mapper("acme", "x");
    unknown["identityProviderMapper"] = json!("keycloak-oidc-username-idp-mapper");
    let (status, _) = post(unknown).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A SAML mapper does not fit an OIDC provider.
    let mut incompatible = claim_mapper("acme", "y");
    incompatible["identityProviderMapper"] = json!("saml-user-attribute-idp-mapper");
    let (status, _) = post(incompatible).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, text) = post(claim_mapper("other", "z")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("does not match"), "{text}");
    let mut no_alias = claim_mapper("acme", "w");
    no_alias
        .as_object_mut()
        .unwrap()
        .remove("identityProviderAlias");
    let (status, _) = post(no_alias).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, list) = api.get_json(&mappers_of("acme")).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn a_put_renaming_onto_another_mappers_name_or_without_an_id_fails() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    for name in ["a", "b"] {
        let (status, _, _) = api
            .send(
                reqwest::Method::POST,
                &mappers_of("acme"),
                Some(&claim_mapper("acme", name)),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (_, list) = api.get_json(&mappers_of("acme")).await;
    let b = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "b")
        .unwrap()
        .clone();
    let path = format!("{}/{}", mappers_of("acme"), b["id"].as_str().unwrap());
    let mut renamed = b.clone();
    renamed["name"] = json!("a");
    let (status, _, _) = api.send(reqwest::Method::PUT, &path, Some(&renamed)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let mut without_id = b.clone();
    without_id.as_object_mut().unwrap().remove("id");
    let (status, _, _) = api
        .send(reqwest::Method::PUT, &path, Some(&without_id))
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let mut foreign = b.clone();
    foreign["identityProviderAlias"] = json!("elsewhere");
    let (status, _, _) = api.send(reqwest::Method::PUT, &path, Some(&foreign)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn mappers_are_deleted_with_their_provider() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    let (status, _, _) = api
        .send(
            reqwest::Method::POST,
            &mappers_of("acme"),
            Some(&claim_mapper("acme", "email")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, _) = api
        .send(reqwest::Method::DELETE, &format!("{INSTANCES}/acme"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    api.created(oidc("acme")).await;
    let (status, list) = api.get_json(&mappers_of("acme")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn mapper_types_are_the_ones_the_provider_type_supports() {
    let api = start(EztoSim::new()).await;
    api.created(oidc("acme")).await;
    api.created(saml(
        "corp",
        json!({"singleSignOnServiceUrl": "https://idp.example.com/sso"}),
    ))
    .await;
    api.created(json!({"alias": "g", "providerId": "google", "config": {"clientId": "c"}}))
        .await;
    let types = |alias: &'static str| {
        let api = &api;
        async move {
            let (status, body) = api
                .get_json(&format!("{INSTANCES}/{alias}/mapper-types"))
                .await;
            assert_eq!(status, StatusCode::OK);
            let mut ids: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
            ids.sort();
            (ids, body)
        }
    };
    let (oidc_types, body) = types("acme").await;
    assert!(oidc_types.contains(&"oidc-user-attribute-idp-mapper".to_string()));
    assert!(oidc_types.contains(&"hardcoded-attribute-idp-mapper".to_string()));
    assert!(!oidc_types.iter().any(|t| t.starts_with("saml-")));
    assert_eq!(
        body["oidc-user-attribute-idp-mapper"]["category"],
        "Attribute Importer"
    );
    let (saml_types, _) = types("corp").await;
    assert!(saml_types.contains(&"saml-user-attribute-idp-mapper".to_string()));
    assert!(!saml_types.iter().any(|t| t.starts_with("oidc-user")));
    let (google_types, _) = types("g").await;
    assert!(google_types.contains(&"google-user-attribute-mapper".to_string()));
    assert!(google_types.contains(&"oidc-username-idp-mapper".to_string()));
    assert!(!google_types.contains(&"oidc-user-attribute-idp-mapper".to_string()));
}

#[tokio::test]
async fn provider_factories_are_served_by_id() {
    let api = start(EztoSim::new()).await;
    let (status, body) = api
        .get_json("/auth/admin/realms/idconn/identity-provider/providers/saml")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["id"], "saml");
    let (status, _) = api
        .get_json("/auth/admin/realms/idconn/identity-provider/providers/nope")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn saml_config_is_validated_as_keycloak_does() {
    let api = start(EztoSim::new()).await;
    let transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
    // The principal type defaults to SUBJECT.
    let (status, _, text) = api
        .post(saml("t1", json!({"nameIDPolicyFormat": transient})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        parse(&text),
        json!({"errorMessage": "Can not have Transient NameID Policy Format together with SUBJECT Principal Type"})
    );
    let (status, _, _) = api
        .post(saml(
            "t2",
            json!({"nameIDPolicyFormat": transient, "principalType": "SUBJECT"}),
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    api.created(saml(
        "t3",
        json!({"nameIDPolicyFormat": transient, "principalType": "ATTRIBUTE", "principalAttribute": "uid"}),
    ))
    .await;

    let (status, _, text) = api
        .post(saml("m1", json!({"useMetadataDescriptorUrl": "true"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        parse(&text),
        json!({"errorMessage": "useMetadataDescriptorUrl needs a non-empty URL for metadataDescriptorUrl"})
    );
    api.created(saml(
        "m2",
        json!({"useMetadataDescriptorUrl": "true", "metadataDescriptorUrl": "https://idp.example.com/metadata"}),
    ))
    .await;
    // An update is validated the same way.
    let (status, _) = api
        .put(
            "m2",
            saml("m2", json!({"useMetadataDescriptorUrl": "true"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
