//! The spec loader of `support/` checked on the vendors' documents themselves: samples from the
//! reference notes validate, wrong shapes do not, `nullable` is understood, and a missing specs
//! folder skips instead of failing.

mod support;

use serde_json::json;
use support::openapi30::translate_schema;

#[test]
fn nullable_types_enums_and_refs_become_unions() {
    let mut schema = json!({
        "type": "object",
        "properties": {
            "a": { "type": "string", "nullable": true },
            "b": { "type": "string", "enum": ["x"], "nullable": true },
            "c": { "$ref": "#/components/schemas/C", "nullable": true },
            "nullable": { "type": "boolean", "nullable": false, "example": { "nullable": true } }
        }
    });
    translate_schema(&mut schema);
    assert_eq!(
        schema,
        json!({
            "type": "object",
            "properties": {
                "a": { "type": ["string", "null"] },
                "b": { "type": ["string", "null"], "enum": ["x", null] },
                "c": { "anyOf": [{ "$ref": "#/components/schemas/C" }, { "type": "null" }] },
                "nullable": { "type": "boolean", "example": { "nullable": true } }
            }
        })
    );
}

#[test]
fn nested_schema_places_are_translated() {
    let mut schema = json!({
        "items": { "allOf": [{ "type": "integer", "nullable": true }] },
        "additionalProperties": { "type": "number", "nullable": true }
    });
    translate_schema(&mut schema);
    assert_eq!(
        schema["items"]["allOf"][0]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(
        schema["additionalProperties"]["type"],
        json!(["number", "null"])
    );
}

#[test]
fn auth0_schemas_accept_live_samples_and_refuse_wrong_shapes() {
    let Some(spec) = support::spec("auth0/management-api-oas.json") else {
        return;
    };
    let get = spec.response_schema("GET", "/connections/{id}", "200");
    // TF-REC sample (reference/auth0.md §1.4), trimmed.
    let connection = json!({
        "id": "con_0000000000000001",
        "name": "Acceptance-Test-Connection",
        "display_name": "Acceptance-Test-Connection",
        "strategy": "auth0",
        "options": { "passwordPolicy": "good", "strategy_version": 2, "brute_force_protection": true },
        "is_domain_connection": false,
        "authentication": { "active": true },
        "connected_accounts": { "active": false },
        "enabled_clients": [],
        "realms": ["Acceptance-Test-Connection"]
    });
    spec.assert_valid("a live connection", &get, &connection);
    assert!(!spec.errors(&get, &json!({ "name": 5 })).is_empty());
    assert!(
        !spec
            .errors(&get, &json!({ "name": "x", "surprise": true }))
            .is_empty()
    );

    let list = spec.response_schema("GET", "/connections", "200");
    let mut entry = connection.clone();
    entry.as_object_mut().unwrap().remove("enabled_clients");
    spec.assert_valid("a bare list", &list, &json!([entry]));
    spec.assert_valid(
        "an offset page",
        &list,
        &json!({ "start": 0, "limit": 50, "total": 1, "connections": [entry] }),
    );
    spec.assert_valid(
        "a checkpoint page",
        &list,
        &json!({ "connections": [entry], "next": "abc" }),
    );
    assert!(
        !spec
            .errors(&list, &json!({ "connections": "no" }))
            .is_empty()
    );

    // Reference/auth0.md §3.1 live error bodies against the spec's error components.
    spec.assert_valid(
        "a 400",
        &spec.component("BadRequestSchema"),
        &json!({"statusCode":400,"error":"Bad Request","message":"cannot add non-unique email attribute","errorCode":"invalid_body"}),
    );
    spec.assert_valid(
        "a 429",
        &spec.component("TooManyRequestsSchema"),
        &json!({"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}),
    );
    assert!(
        !spec
            .errors(
                &spec.component("TooManyRequestsSchema"),
                &json!({"statusCode":400,"error":"Too Many Requests","message":"x"})
            )
            .is_empty()
    );
}

#[test]
fn genauth_schemas_accept_envelopes_and_understand_nullable() {
    let Some(spec) = support::spec("genauth/management-openapi.json") else {
        return;
    };
    let create = spec.response_schema("POST", "/api/v3/create-ext-idp", "200");
    let envelope = json!({
        "statusCode": 200,
        "message": "",
        "data": { "id": "60b49eb83fd80adb96f26e68", "name": "default", "logo": "", "type": "oidc" }
    });
    spec.assert_valid("create-ext-idp", &create, &envelope);
    let mut missing = envelope.clone();
    missing["data"].as_object_mut().unwrap().remove("type");
    assert!(!spec.errors(&create, &missing).is_empty());

    // CreateFunctionModelDto.description is `nullable: true` in the 3.0 document.
    let function = spec.component("CreateFunctionModelDto");
    let null_description = spec.errors(&function, &json!({ "description": null }));
    assert!(
        null_description.iter().all(|e| !e.contains("/description")),
        "{null_description:?}"
    );
    let number_description = spec.errors(&function, &json!({ "description": 5 }));
    assert!(
        number_description
            .iter()
            .any(|e| e.contains("/description"))
    );
}

#[test]
fn keycloak_identity_provider_representation() {
    let Some(spec) = support::spec("keycloak/openapi-26.6.0.json") else {
        return;
    };
    let one = spec.response_schema(
        "GET",
        "/admin/realms/{realm}/identity-provider/instances/{alias}",
        "200",
    );
    let idp = json!({
        "alias": "acme", "displayName": "Acme", "internalId": "0b5f", "providerId": "oidc",
        "enabled": true, "linkOnly": false, "storeToken": false, "hideOnLogin": false,
        "config": { "clientId": "c", "clientSecret": "**********", "syncMode": "LEGACY" }
    });
    spec.assert_valid("an identity provider", &one, &idp);
    let mut typed = idp.clone();
    typed["config"]["guiOrder"] = json!(1);
    assert!(
        !spec.errors(&one, &typed).is_empty(),
        "config values are strings"
    );
    let list = spec.response_schema(
        "GET",
        "/admin/realms/{realm}/identity-provider/instances",
        "200",
    );
    spec.assert_valid("a list", &list, &json!([idp]));
}

/// Runs one test of this binary again with `IDCONN_SPECS_DIR` pointing nowhere: it must pass
/// and say why it skipped.
#[test]
fn a_missing_specs_folder_skips_with_a_reason() {
    if std::env::var_os("IDCONN_SPECS_DIR").is_some() {
        return; // we are the re-run below (or the caller chose a folder): nothing to prove
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "keycloak_identity_provider_representation",
            "--nocapture",
        ])
        .env("IDCONN_SPECS_DIR", "/nonexistent/idconn-specs")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("skipped: IDCONN_SPECS_DIR=/nonexistent/idconn-specs is not a folder"),
        "{stdout}"
    );
}
