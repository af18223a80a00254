//! Keycloak identity-provider mappers <-> the neutral attribute mapping, both directions, on
//! mapper representations as Keycloak serves them (config keys from Keycloak's
//! `broker/{oidc,saml,provider}/mappers` sources).

use idconn_core::{AttributeMap, Loss, MappingMode, MappingRule, MappingSource, SyncMode, Vendor};
use idconn_eztoauth::mapping::mappers::{MapperWrite, read, reconcile, write};
use idconn_eztoauth::wire::IdentityProviderMapper;
use serde_json::{Value, json};

fn mappers(values: Value) -> Vec<IdentityProviderMapper> {
    serde_json::from_value(values).unwrap()
}

/// What a write sends, without ids and aliases, for comparison with what was read.
fn as_sent(list: &[IdentityProviderMapper]) -> Vec<IdentityProviderMapper> {
    list.iter()
        .map(|m| IdentityProviderMapper {
            id: None,
            identity_provider_alias: None,
            ..m.clone()
        })
        .collect()
}

fn written(provider_id: &str, map: &AttributeMap) -> (Vec<IdentityProviderMapper>, Vec<Loss>) {
    let mut losses = Vec::new();
    let out = write(Vendor::Ezto, provider_id, map, &mut losses).unwrap();
    (out, losses)
}

fn oidc_mappers() -> Vec<IdentityProviderMapper> {
    mappers(json!([
        {"id": "1", "name": "email", "identityProviderAlias": "acme",
         "identityProviderMapper": "oidc-user-attribute-idp-mapper",
         "config": {"claim": "email", "user.attribute": "email", "syncMode": "INHERIT"}},
        {"id": "2", "name": "first name", "identityProviderAlias": "acme",
         "identityProviderMapper": "oidc-user-attribute-idp-mapper",
         "config": {"claim": "given_name", "user.attribute": "firstName", "syncMode": "FORCE"}},
        {"id": "3", "name": "department", "identityProviderAlias": "acme",
         "identityProviderMapper": "hardcoded-attribute-idp-mapper",
         "config": {"attribute": "department", "attribute.value": "sales", "syncMode": "IMPORT"}},
        {"id": "4", "name": "username", "identityProviderAlias": "acme",
         "identityProviderMapper": "oidc-username-idp-mapper",
         "config": {"template": "${CLAIM.preferred_username}", "syncMode": "INHERIT"}},
        {"id": "5", "name": "admins", "identityProviderAlias": "acme",
         "identityProviderMapper": "oidc-role-idp-mapper",
         "config": {"claim": "groups", "claim.value": "admins", "role": "admin", "syncMode": "INHERIT"}},
        {"id": "6", "name": "legacy groups", "identityProviderAlias": "acme",
         "identityProviderMapper": "oidc-user-attribute-idp-mapper",
         "config": {"claim": "groups", "user.attribute": "groups"}}
    ]))
}

#[test]
fn oidc_mappers_read_as_rules_and_keep_the_rest() {
    let map = read(Vendor::Ezto, "oidc", &oidc_mappers()).unwrap();
    assert_eq!(map.mode, MappingMode::ProviderDefault);
    let claim = |c: &str| MappingSource::Claim {
        claim: c.into(),
        from: None,
    };
    assert_eq!(
        map.rules,
        vec![
            MappingRule {
                sync: Some(SyncMode::Import),
                ..MappingRule::new("department", MappingSource::Constant("sales".into()))
            },
            MappingRule::new("email", claim("email")),
            MappingRule {
                name: Some("first name".into()),
                sync: Some(SyncMode::Force),
                ..MappingRule::new("given_name", claim("given_name"))
            },
            MappingRule::new("username", claim("preferred_username")),
        ]
    );
    // A role mapper, and a mapper without syncMode (LEGACY to the server), are kept verbatim.
    let kept = &map.kept[&Vendor::Ezto];
    assert_eq!(
        kept["admins"],
        json!({"identityProviderMapper": "oidc-role-idp-mapper",
               "config": {"claim": "groups", "claim.value": "admins", "role": "admin", "syncMode": "INHERIT"}})
    );
    assert!(kept.contains_key("legacy groups"));

    // Written back: the same mappers.
    let (out, losses) = written("oidc", &map);
    assert!(losses.is_empty(), "{losses:?}");
    let mut expected = as_sent(&oidc_mappers());
    let mut got = out;
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    got.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(got, expected);
}

#[test]
fn saml_mappers_both_directions() {
    let list = mappers(json!([
        {"id": "1", "name": "email", "identityProviderMapper": "saml-user-attribute-idp-mapper",
         "config": {"attribute.name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    "user.attribute": "email", "syncMode": "INHERIT"}},
        {"id": "2", "name": "family_name", "identityProviderMapper": "saml-user-attribute-idp-mapper",
         "config": {"attribute.friendly.name": "sn", "user.attribute": "lastName", "syncMode": "INHERIT"}},
        {"id": "3", "name": "username", "identityProviderMapper": "saml-username-idp-mapper",
         "config": {"template": "${ATTRIBUTE.uid}@corp", "syncMode": "INHERIT"}},
        {"id": "4", "name": "formatted", "identityProviderMapper": "saml-user-attribute-idp-mapper",
         "config": {"attribute.name": "mail", "attribute.name.format": "ATTRIBUTE_FORMAT_URI",
                    "user.attribute": "mail", "syncMode": "INHERIT"}}
    ]));
    let map = read(Vendor::Ezto, "saml", &list).unwrap();
    assert_eq!(
        map.rules,
        vec![
            MappingRule::new(
                "email",
                MappingSource::SamlAttribute {
                    names: vec![
                        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress".into()
                    ],
                    friendly: false
                }
            ),
            MappingRule::new(
                "family_name",
                MappingSource::SamlAttribute {
                    names: vec!["sn".into()],
                    friendly: true
                }
            ),
            MappingRule::new(
                "username",
                MappingSource::Template("${attribute.uid}@corp".into())
            ),
        ]
    );
    assert!(map.kept[&Vendor::Ezto].contains_key("formatted"));
    let (out, losses) = written("saml", &map);
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(out.len(), 4);
    let mut expected = as_sent(&list);
    let mut got = out;
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    got.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(got, expected);
}

#[test]
fn social_providers_use_their_json_field_mapper() {
    let list = mappers(json!([
        {"id": "1", "name": "avatar", "identityProviderMapper": "github-user-attribute-mapper",
         "config": {"jsonField": "avatar_url", "userAttribute": "picture", "syncMode": "IMPORT"}}
    ]));
    let map = read(Vendor::Ezto, "github", &list).unwrap();
    assert_eq!(map.rules[0].target, "picture");
    let (out, _) = written("github", &map);
    assert_eq!(out, as_sent(&list));
    // The same mapper on another provider type is not one the model reads there.
    assert!(
        read(Vendor::Ezto, "google", &list)
            .unwrap()
            .rules
            .is_empty()
    );
}

#[test]
fn what_keycloak_cannot_hold_is_reported() {
    let mut map = AttributeMap {
        mode: MappingMode::CopyAll,
        rules: vec![
            MappingRule::new(
                "email",
                MappingSource::SamlAttribute {
                    names: vec!["mail".into(), "email".into()],
                    friendly: false,
                },
            ),
            MappingRule::new("nickname", MappingSource::Template("${claim.nick}!".into())),
        ],
        ..AttributeMap::default()
    };
    map.kept.insert(
        Vendor::Auth0,
        json!({"userinfo_scope": "openid groups"})
            .as_object()
            .cloned()
            .unwrap(),
    );
    let (out, losses) = written("saml", &map);
    let fields: Vec<&str> = losses.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "attribute_map.mode",
            "attribute_map.rules.email.source",
            "attribute_map.rules.nickname",
            "attribute_map.kept.auth0.userinfo_scope"
        ]
    );
    // The first name of the fallbacks is written.
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].config["attribute.name"], "mail");
}

#[test]
fn reconcile_creates_updates_and_deletes_by_name_but_never_unmodelled_mappers() {
    let current = oidc_mappers();
    let mut map = read(Vendor::Ezto, "oidc", &current).unwrap();
    // Change email's claim, drop the department constant, add a nickname rule, and forget
    // the kept mappers altogether.
    for rule in map.rules.iter_mut().filter(|r| r.target == "email") {
        *rule = MappingRule::new(
            "email",
            MappingSource::Claim {
                claim: "mail".into(),
                from: None,
            },
        );
    }
    map.rules.retain(|r| r.target != "department");
    map.rules.push(MappingRule::new(
        "nickname",
        MappingSource::Claim {
            claim: "nick".into(),
            from: None,
        },
    ));
    map.kept.clear();
    let (desired, _) = written("oidc", &map);
    let writes = reconcile("oidc", &current, &desired);
    let summary: Vec<(String, &str)> = writes
        .iter()
        .map(|w| {
            let kind = match w {
                MapperWrite::Create(_) => "create",
                MapperWrite::Update(_) => "update",
                MapperWrite::Delete(_) => "delete",
            };
            (w.name().to_string(), kind)
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("department".to_string(), "delete"),
            ("email".to_string(), "update"),
            ("nickname".to_string(), "create"),
        ]
    );
    let MapperWrite::Update(update) = &writes[1] else {
        panic!()
    };
    assert_eq!(
        update.id.as_deref(),
        Some("1"),
        "an update names the mapper's id"
    );
    // Nothing to do when the desired mappers are the current ones.
    let (same, _) = written("oidc", &read(Vendor::Ezto, "oidc", &current).unwrap());
    assert!(reconcile("oidc", &current, &same).is_empty());
}

#[test]
fn duplicate_targets_and_bad_kept_mappers_are_invalid_input() {
    let claim = MappingSource::Claim {
        claim: "x".into(),
        from: None,
    };
    let twice = AttributeMap {
        rules: vec![
            MappingRule::new("email", claim.clone()),
            MappingRule::new("email", claim),
        ],
        ..AttributeMap::default()
    };
    let error = write(Vendor::Ezto, "oidc", &twice, &mut Vec::new()).unwrap_err();
    assert!(
        error.to_string().contains("attribute_map.rules.email"),
        "{error}"
    );
    let mut bad = AttributeMap::default();
    bad.kept.insert(
        Vendor::Ezto,
        json!({"r": {"config": {"role": "x"}}})
            .as_object()
            .cloned()
            .unwrap(),
    );
    let error = write(Vendor::Ezto, "oidc", &bad, &mut Vec::new()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("attribute_map.kept.eztoauth.r.identityProviderMapper"),
        "{error}"
    );
}
