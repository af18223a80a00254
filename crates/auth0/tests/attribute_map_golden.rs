//! `options.attribute_map` and `options.fieldsMap` <-> the neutral attribute mapping, both
//! directions, from Auth0's documented examples ("Configure PKCE and Claim Mapping for OIDC
//! Connections"; the OAS `ConnectionFieldsMapSAML` description and "Configure Auth0 as SAML SP").

use idconn_auth0::mapping::{from_wire, to_wire, translate, update_payload};
use idconn_auth0::wire;
use idconn_core::{
    AttributeMap, ClaimOrigin, Connection, Error, MappingMode, MappingRule, MappingSource, Policy,
    SyncMode, Vendor,
};
use serde_json::{Value, json};

fn wire_of(value: Value) -> wire::Connection {
    serde_json::from_value(value).unwrap()
}

fn options_written(c: &Connection) -> Value {
    let (payload, losses) = to_wire(c).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    Value::Object(payload.options)
}

/// The documented OIDC claim-mapping example.
fn documented_attribute_map() -> Value {
    json!({
        "mapping_mode": "use_map",
        "userinfo_scope": "openid email profile groups",
        "attributes": {
            "name": "${context.tokenset.name}",
            "email": "${context.tokenset.email}",
            "federated_groups": "${context.userinfo.groups}",
            "sf_community_id": "3423409219032-32",
            "alt_id": "user_email|${context.tokenset.email}",
            "origin": "${context.connection.strategy}|${context.userinfo.sub}"
        }
    })
}

#[test]
fn oidc_attribute_map_both_directions() {
    let c = from_wire(&wire_of(json!({
        "name": "acme", "strategy": "oidc",
        "options": {"client_id": "c", "attribute_map": documented_attribute_map()}
    })))
    .unwrap();
    let map = c.attribute_map.clone().unwrap();
    assert_eq!(map.mode, MappingMode::Explicit);
    let claim = |c: &str, from| MappingSource::Claim {
        claim: c.into(),
        from,
    };
    let rule = |target: &str| map.rule_for(target).unwrap().source.clone();
    assert_eq!(rule("name"), claim("name", None));
    assert_eq!(rule("email"), claim("email", None));
    assert_eq!(
        rule("federated_groups"),
        claim("groups", Some(ClaimOrigin::Userinfo))
    );
    assert_eq!(
        rule("sf_community_id"),
        MappingSource::Constant("3423409219032-32".into())
    );
    assert_eq!(
        rule("alt_id"),
        MappingSource::Template("user_email|${claim.email}".into())
    );
    // A template over other contexts, and userinfo_scope, are kept verbatim.
    assert_eq!(
        Value::Object(map.kept[&Vendor::Auth0].clone()),
        json!({
            "userinfo_scope": "openid email profile groups",
            "attributes": {"origin": "${context.connection.strategy}|${context.userinfo.sub}"}
        })
    );
    let extras = Value::Object(c.extras_for(Vendor::Auth0));
    assert!(extras.pointer("/options/attribute_map").is_none());

    let options = options_written(&c);
    assert_eq!(options["attribute_map"], documented_attribute_map());
}

#[test]
fn strategy_defaults_read_as_no_mapping_and_attributes_under_them_as_rules() {
    for (strategy, mode) in [("oidc", "bind_all"), ("okta", "basic_profile")] {
        let c = from_wire(&wire_of(json!({
            "name": "a", "strategy": strategy,
            "options": {"attribute_map": {"mapping_mode": mode}}
        })))
        .unwrap();
        assert_eq!(c.attribute_map, None, "{strategy}");
        let c = from_wire(&wire_of(json!({
            "name": "a", "strategy": strategy,
            "options": {"attribute_map": {"mapping_mode": mode,
                "attributes": {"email": "${context.tokenset.mail}"}}}
        })))
        .unwrap();
        let map = c.attribute_map.clone().unwrap();
        assert_eq!(map.mode, MappingMode::ProviderDefault);
        assert_eq!(map.rules.len(), 1);
        assert_eq!(
            options_written(&c)["attribute_map"],
            json!({"mapping_mode": mode, "attributes": {"email": "${context.tokenset.mail}"}})
        );
    }
}

/// The OAS example: `{ "auth0_field": "saml_attribute" }` or a list of fallbacks.
fn documented_fields_map() -> Value {
    json!({
        "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
        "given_name": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                       "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"],
        "user_id": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"]
    })
}

#[test]
fn saml_fields_map_both_directions() {
    let c = from_wire(&wire_of(json!({
        "name": "corp", "strategy": "samlp",
        "options": {"signInEndpoint": "https://idp.example.com/sso", "fieldsMap": documented_fields_map()}
    })))
    .unwrap();
    let map = c.attribute_map.clone().unwrap();
    assert_eq!(map.mode, MappingMode::ProviderDefault);
    assert_eq!(
        map.rule_for("given_name").unwrap().source,
        MappingSource::SamlAttribute {
            names: vec![
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname".into(),
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name".into()
            ],
            friendly: false
        }
    );
    assert_eq!(map.rules.len(), 3);
    assert_eq!(options_written(&c)["fieldsMap"], documented_fields_map());
}

#[test]
fn what_auth0_cannot_hold_is_reported_per_rule() {
    let mut c = Connection::new("corp", idconn_core::ConnectionKind::Saml);
    let mut map = AttributeMap {
        mode: MappingMode::Explicit,
        rules: vec![
            MappingRule {
                sync: Some(SyncMode::Force),
                ..MappingRule::new(
                    "email",
                    MappingSource::SamlAttribute {
                        names: vec!["mail".into()],
                        friendly: false,
                    },
                )
            },
            MappingRule::new("tier", MappingSource::Constant("gold".into())),
        ],
        ..AttributeMap::default()
    };
    map.kept.insert(
        Vendor::Ezto,
        json!({"admins": {"identityProviderMapper": "oidc-role-idp-mapper", "config": {}}})
            .as_object()
            .cloned()
            .unwrap(),
    );
    c.attribute_map = Some(map);
    let t = translate(&c, &Policy::LENIENT).unwrap();
    let fields: Vec<&str> = t.report.losses.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "attribute_map.kept.eztoauth.admins",
            "attribute_map.mode",
            "attribute_map.rules.email.sync",
            "attribute_map.rules.tier"
        ]
    );
    assert_eq!(t.payload["options"]["fieldsMap"], json!({"email": "mail"}));
    assert!(matches!(
        translate(&c, &Policy::STRICT),
        Err(Error::Unrepresentable { .. })
    ));
}

#[test]
fn documented_limits_are_checked_before_any_request() {
    let saml = |names: Vec<String>| {
        let mut c = Connection::new("corp", idconn_core::ConnectionKind::Saml);
        c.attribute_map = Some(AttributeMap {
            rules: vec![MappingRule::new(
                "email",
                MappingSource::SamlAttribute {
                    names,
                    friendly: false,
                },
            )],
            ..AttributeMap::default()
        });
        c
    };
    let five: Vec<String> = (0..5).map(|i| format!("a{i}")).collect();
    let error = to_wire(&saml(five)).unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, .. } if field == "attribute_map.rules.email.source.saml_attribute.names"),
        "{error}"
    );
    let error = to_wire(&saml(vec!["x".repeat(2049)])).unwrap_err();
    assert!(error.to_string().contains("2048"), "{error}");

    let mut many = Connection::new("corp", idconn_core::ConnectionKind::Saml);
    many.attribute_map = Some(AttributeMap {
        rules: (0..45)
            .map(|i| {
                MappingRule::new(
                    format!("f{i}"),
                    MappingSource::SamlAttribute {
                        names: vec!["a".into()],
                        friendly: false,
                    },
                )
            })
            .collect(),
        ..AttributeMap::default()
    });
    assert!(to_wire(&many).unwrap_err().to_string().contains("44"));

    let mut scope = Connection::new("acme", idconn_core::ConnectionKind::Oidc);
    let mut map = AttributeMap::default();
    map.kept.insert(
        Vendor::Auth0,
        json!({"userinfo_scope": "s".repeat(256)})
            .as_object()
            .cloned()
            .unwrap(),
    );
    scope.attribute_map = Some(map);
    let error = to_wire(&scope).unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, .. } if field == "attribute_map.kept.auth0.userinfo_scope"),
        "{error}"
    );
}

#[test]
fn an_update_without_a_stated_mapping_keeps_the_servers() {
    let current = wire_of(json!({
        "id": "con_1", "name": "acme", "strategy": "oidc",
        "options": {"client_id": "c", "attribute_map": documented_attribute_map()}
    }));
    let mut desired = from_wire(&current).unwrap();
    desired.attribute_map = None;
    let (update, _) = update_payload(&desired, &current).unwrap();
    assert_eq!(update.options["attribute_map"], documented_attribute_map());
    // A stated empty mapping goes back to the strategy's default.
    desired.attribute_map = Some(AttributeMap::default());
    let (update, _) = update_payload(&desired, &current).unwrap();
    assert!(update.options.get("attribute_map").is_none());
}

/// An oidc `attribute_map` under the strategy's default `bind_all`, as the server answers it
/// (keys in the order serde writes them): attributes of every kind the model reads (a claim,
/// a claim pinned to userinfo, a constant, a template) and what it keeps verbatim (a template
/// over another context, `userinfo_scope`).
const BIND_ALL_GOLDEN: &str = concat!(
    r#"{"attributes":{"#,
    r#""alt_id":"user_email|${context.tokenset.email}","#,
    r#""email":"${context.tokenset.email}","#,
    r#""federated_groups":"${context.userinfo.groups}","#,
    r#""origin":"${context.connection.strategy}|${context.userinfo.sub}","#,
    r#""sf_community_id":"3423409219032-32""#,
    r#"},"mapping_mode":"bind_all","userinfo_scope":"openid email profile groups"}"#
);

fn oidc_with_attribute_map(attribute_map: &str) -> wire::Connection {
    let text = format!(
        r#"{{"id":"con_1","name":"acme","strategy":"oidc","options":{{"client_id":"c","attribute_map":{attribute_map}}}}}"#
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_bind_all_attribute_map_round_trips_byte_for_byte() {
    let current = oidc_with_attribute_map(BIND_ALL_GOLDEN);
    let c = from_wire(&current).unwrap();
    let map = c.attribute_map.clone().unwrap();
    assert_eq!(map.mode, MappingMode::ProviderDefault);
    assert_eq!(map.rules.len(), 4, "{:?}", map.rules);
    // Written by a create, and by an update that states the mapping, the bytes are the same.
    let written = options_written(&c);
    assert_eq!(
        serde_json::to_string(&written["attribute_map"]).unwrap(),
        BIND_ALL_GOLDEN
    );
    let (update, losses) = update_payload(&c, &current).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(
        serde_json::to_string(&update.options["attribute_map"]).unwrap(),
        BIND_ALL_GOLDEN
    );
    // Copying every claim is bind_all on oidc too: the same bytes, read back as the default.
    let mut copy_all = c.clone();
    copy_all.attribute_map.as_mut().unwrap().mode = MappingMode::CopyAll;
    assert_eq!(
        serde_json::to_string(&options_written(&copy_all)["attribute_map"]).unwrap(),
        BIND_ALL_GOLDEN
    );
}

#[test]
fn the_bare_bind_all_default_is_left_to_the_server_and_kept_on_update() {
    // What Auth0 answers for an oidc connection created without a mapping.
    let bare = r#"{"mapping_mode":"bind_all"}"#;
    let current = oidc_with_attribute_map(bare);
    let c = from_wire(&current).unwrap();
    assert_eq!(c.attribute_map, None);
    // A create leaves the key out (Auth0 stores its default); an update keeps the server's bytes.
    assert!(options_written(&c).get("attribute_map").is_none());
    let (update, _) = update_payload(&c, &current).unwrap();
    assert_eq!(
        serde_json::to_string(&update.options["attribute_map"]).unwrap(),
        bare
    );
}
