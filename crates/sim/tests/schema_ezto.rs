//! The ezto auth simulator's identity providers against Keycloak's official Admin REST OpenAPI
//! 3.0.3 documents (`keycloak/openapi-26.6.0.json` and `keycloak/openapi-26.8.1.json`):
//! `IdentityProviderRepresentation` for GET one and every list form.
//!
//! The spec's paths start at `/admin/realms/...`; ezto serves them under the legacy `/auth`
//! prefix (reference/ezto-keycloak.md §1.2). Error bodies are not modelled in the spec at all.

mod support;

use std::collections::HashMap;

use idconn_sim::ezto::EztoSim;
use idconn_sim::{Knobs, Sim, SimHandle};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const SPECS: [&str; 2] = [
    "keycloak/openapi-26.6.0.json",
    "keycloak/openapi-26.8.1.json",
];
const ONE: &str = "/admin/realms/{realm}/identity-provider/instances/{alias}";
const LIST: &str = "/admin/realms/{realm}/identity-provider/instances";

struct Workspace {
    handle: SimHandle,
    http: Client,
    token: String,
    instances: String,
}

impl Workspace {
    /// A simulator and a client-credentials token from its token endpoint.
    async fn start() -> Workspace {
        let handle = Sim::start(EztoSim::new(), Knobs::default(), 0)
            .await
            .unwrap();
        let env: HashMap<_, _> = handle.env_vars().into_iter().collect();
        let (host, workspace) = (&env["EZTO_HOST"], &env["EZTO_WORKSPACE"]);
        let http = Client::new();
        let body: Value = http
            .post(format!(
                "{host}/auth/realms/{workspace}/protocol/openid-connect/token"
            ))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", env["EZTO_CLIENT_ID"].as_str()),
                ("client_secret", env["EZTO_CLIENT_SECRET"].as_str()),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Workspace {
            token: body["access_token"].as_str().unwrap().to_string(),
            instances: format!("{host}/auth/admin/realms/{workspace}/identity-provider/instances"),
            handle,
            http,
        }
    }

    async fn call(&self, method: Method, suffix: &str, body: Option<Value>) -> (StatusCode, Value) {
        let request = self
            .http
            .request(method, format!("{}{suffix}", self.instances))
            .bearer_auth(&self.token);
        support::http::exchange(request, body).await
    }
}

fn oidc(alias: &str) -> Value {
    json!({
        "alias": alias,
        "displayName": format!("{alias} display"),
        "providerId": "oidc",
        "enabled": true,
        "trustEmail": false,
        "storeToken": true,
        "linkOnly": false,
        "hideOnLogin": false,
        "firstBrokerLoginFlowAlias": "first broker login",
        "config": {
            "clientId": "cid",
            "clientSecret": "secret",
            "authorizationUrl": "https://idp.example.com/authorize",
            "tokenUrl": "https://idp.example.com/token",
            "defaultScope": "openid profile",
            "syncMode": "IMPORT"
        }
    })
}

#[tokio::test]
async fn identity_providers_match_the_representation() {
    let specs: Vec<_> = SPECS
        .iter()
        .filter_map(|file| support::spec(file))
        .collect();
    if specs.is_empty() {
        return;
    }
    let workspace = Workspace::start().await;
    for alias in ["schema-a", "schema-b", "schema-c"] {
        let (status, body) = workspace.call(Method::POST, "", Some(oidc(alias))).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, one) = workspace.call(Method::GET, "/schema-a", None).await;
    assert_eq!(status, 200);
    assert_eq!(one["config"]["clientSecret"], "**********");
    let internal_id = one["internalId"].as_str().unwrap().to_string();
    let (status, by_id) = workspace
        .call(Method::GET, &format!("/{internal_id}"), None)
        .await;
    assert_eq!(status, 200);

    let mut updated = oidc("schema-a");
    updated["displayName"] = json!("Renamed");
    updated["config"]["clientSecret"] = json!("**********");
    let (status, _) = workspace
        .call(Method::PUT, "/schema-a", Some(updated))
        .await;
    assert_eq!(status, 204);
    let (_, after_put) = workspace.call(Method::GET, "/schema-a", None).await;

    let mut lists = Vec::new();
    for query in [
        "",
        "?first=0&max=2",
        "?first=2&max=2",
        "?search=schema-b",
        "?search=*chem*",
        "?briefRepresentation=true",
    ] {
        let (status, list) = workspace.call(Method::GET, query, None).await;
        assert_eq!(status, 200, "{query}: {list}");
        lists.push((query, list));
    }
    assert_eq!(lists[1].1.as_array().unwrap().len(), 2);

    for spec in &specs {
        let one_schema = spec.response_schema("GET", ONE, "200");
        spec.assert_valid("GET by alias", &one_schema, &one);
        spec.assert_valid("GET by internal id", &one_schema, &by_id);
        spec.assert_valid("GET after PUT", &one_schema, &after_put);
        let list_schema = spec.response_schema("GET", LIST, "200");
        for (query, list) in &lists {
            spec.assert_valid(&format!("GET instances{query}"), &list_schema, list);
        }
        // A config value that is not a string breaks the representation: the check has teeth.
        let mut typed = one.clone();
        typed["config"]["guiOrder"] = json!(1);
        assert!(!spec.errors(&one_schema, &typed).is_empty());
    }

    // DELETE: the spec documents 200; Keycloak's code answers 204 No Content
    // (reference/ezto-keycloak.md §2.1, §3), which the simulator follows.
    let (status, body) = workspace.call(Method::DELETE, "/schema-c", None).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(body, Value::Null);
    assert_eq!(workspace.handle.connections().len(), 2);
}
