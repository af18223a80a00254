//! Migrations carry attribute mappings between Auth0 and ezto, exactly where both hold the
//! rules; what one side keeps verbatim (an ezto role mapper) survives idconn's updates there
//! and is a reported loss elsewhere.

mod support;

use futures::TryStreamExt;
use idconn::{
    AnyProvider, AttributeMap, Connection, IdentityConnectionProvider, MappingRule, MappingSource,
    MigrateOptions, Policy, Secrets, SyncError, Vendor, list_all_complete, migrate,
};
use idconn_sim::{Knobs, SimHandle};
use serde_json::json;
use support::sims::{oidc, provider, saml, secret, start};

async fn tenant(vendor: Vendor) -> (SimHandle, AnyProvider) {
    let sim = start(vendor, Knobs::default()).await;
    let p = provider(vendor, &sim);
    (sim, p)
}

fn claim(name: &str) -> MappingSource {
    MappingSource::Claim {
        claim: name.into(),
        from: None,
    }
}

fn saml_attribute(name: &str) -> MappingSource {
    MappingSource::SamlAttribute {
        names: vec![name.into()],
        friendly: false,
    }
}

fn rules(rules: Vec<MappingRule>) -> Option<AttributeMap> {
    Some(AttributeMap {
        rules,
        ..AttributeMap::default()
    })
}

/// An email rule, and an ezto role mapper (a kind the model does not cover) kept verbatim as
/// `admins`.
fn email_and_role_mapper() -> AttributeMap {
    let role = json!({
        "identityProviderMapper": "oidc-role-idp-mapper",
        "config": {"claim": "groups", "claim.value": "admins", "role": "admin", "syncMode": "INHERIT"}
    });
    let mut map = AttributeMap {
        rules: vec![MappingRule::new("email", claim("email"))],
        ..AttributeMap::default()
    };
    map.kept.insert(
        Vendor::Ezto,
        json!({"admins": role}).as_object().cloned().unwrap(),
    );
    map
}

/// The mapping every connection of `p` holds, by name.
async fn mappings(p: &AnyProvider) -> Vec<(String, Option<AttributeMap>)> {
    let all: Vec<Connection> = list_all_complete(p, None, 4).try_collect().await.unwrap();
    let mut out: Vec<_> = all.into_iter().map(|c| (c.name, c.attribute_map)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Lenient, with the secrets of the `oidc(i)` connections ezto shows masked.
fn lenient() -> MigrateOptions {
    let mut secrets = Secrets::new();
    for i in 1..=3 {
        secrets.insert(format!("conn-{i:04}"), secret(i));
    }
    // Auth0 connections enabled for no application become realm-wide on ezto: a widening,
    // allowed here, where mappings are the point.
    MigrateOptions {
        policy: Policy::LENIENT.with_widening(true),
        secrets,
        ..MigrateOptions::default()
    }
}

fn mapping_losses(report: &idconn::MigrationReport) -> Vec<String> {
    report
        .connections
        .iter()
        .flat_map(|c| c.losses.iter().map(|l| l.field.clone()))
        .filter(|f| f.starts_with("attribute_map"))
        .collect()
}

#[tokio::test]
async fn auth0_mappings_arrive_on_ezto_exactly() {
    let (_a, auth0) = tenant(Vendor::Auth0).await;
    let mut sso = oidc(1);
    sso.attribute_map = rules(vec![
        MappingRule::new("email", claim("email")),
        MappingRule::new("tier", MappingSource::Constant("gold".into())),
    ]);
    let mut corp = saml("corp");
    corp.attribute_map = rules(vec![
        MappingRule::new(
            "email",
            saml_attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
        ),
        MappingRule::new(
            "given_name",
            saml_attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"),
        ),
    ]);
    for c in [&sso, &corp] {
        auth0.create(c, &Policy::STRICT).await.unwrap();
    }
    let source = mappings(&auth0).await;
    assert_eq!(
        source,
        vec![
            ("conn-0001".to_string(), sso.attribute_map.clone()),
            ("corp".to_string(), corp.attribute_map.clone()),
        ]
    );

    let (_e, ezto) = tenant(Vendor::Ezto).await;
    let report = migrate(&auth0, &ezto, &lenient()).await.unwrap();
    assert_eq!(report.counts().created, 2, "{report:?}");
    assert!(mapping_losses(&report).is_empty(), "{report:?}");
    assert_eq!(mappings(&ezto).await, source);
    // A re-run finds the mappings in place and writes nothing.
    let again = migrate(&auth0, &ezto, &lenient()).await.unwrap();
    assert_eq!(again.counts().unchanged, 2, "{again:?}");
}

#[tokio::test]
async fn ezto_mappings_arrive_on_auth0_exactly() {
    let (_e, ezto) = tenant(Vendor::Ezto).await;
    let mut sso = oidc(2);
    sso.attribute_map = rules(vec![
        MappingRule::new("email", claim("mail")),
        MappingRule::new("family_name", claim("sn")),
        MappingRule::new("tier", MappingSource::Constant("gold".into())),
    ]);
    ezto.create(&sso, &Policy::STRICT).await.unwrap();
    let (_a, auth0) = tenant(Vendor::Auth0).await;
    let report = migrate(&ezto, &auth0, &lenient()).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    assert!(mapping_losses(&report).is_empty(), "{report:?}");
    assert_eq!(
        mappings(&auth0).await,
        vec![("conn-0002".to_string(), sso.attribute_map.clone())]
    );
}

#[tokio::test]
async fn an_ezto_role_mapper_survives_updates_and_is_a_loss_on_auth0() {
    let (_e, ezto) = tenant(Vendor::Ezto).await;
    let mut sso = oidc(3);
    let with_role = email_and_role_mapper();
    sso.attribute_map = Some(with_role.clone());
    let created = ezto.create(&sso, &Policy::STRICT).await.unwrap();
    assert_eq!(created.connection.attribute_map, Some(with_role.clone()));

    // An update that states only the rules changes them and leaves the role mapper alone.
    let mut desired = sso.clone();
    desired.attribute_map = rules(vec![MappingRule::new("email", claim("mail"))]);
    let id = created.connection.id.clone().unwrap();
    let updated = ezto.update(&id, &desired, &Policy::STRICT).await.unwrap();
    let held = updated.connection.attribute_map.unwrap();
    assert_eq!(held.rules, desired.attribute_map.unwrap().rules);
    assert_eq!(held.kept, with_role.kept, "the role mapper is still there");

    let (_a, auth0) = tenant(Vendor::Auth0).await;
    let strict = MigrateOptions {
        policy: Policy::STRICT,
        ..lenient()
    };
    match migrate(&ezto, &auth0, &strict).await {
        Err(SyncError::Refused { reports, .. }) => {
            let fields: Vec<&str> = reports[0].losses.iter().map(|l| l.field.as_str()).collect();
            assert!(
                fields.contains(&"attribute_map.kept.eztoauth.admins"),
                "{fields:?}"
            );
        }
        other => panic!("strict must refuse the role mapper: {other:?}"),
    }
    let report = migrate(&ezto, &auth0, &lenient()).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    assert_eq!(
        mapping_losses(&report),
        vec!["attribute_map.kept.eztoauth.admins"]
    );
    let on_auth0 = mappings(&auth0).await;
    assert_eq!(
        on_auth0[0].1,
        rules(vec![MappingRule::new("email", claim("mail"))])
    );
}

#[tokio::test]
async fn ezto_to_keycloak_carries_kept_mappers_and_config_whole() {
    let (_e, ezto) = tenant(Vendor::Ezto).await;
    let mut sso = oidc(1);
    let with_role = email_and_role_mapper();
    sso.attribute_map = Some(with_role);
    // A config key the model does not cover, kept in ezto's extras.
    sso.extras.insert(
        Vendor::Ezto,
        json!({"config": {"guiOrder": "7"}})
            .as_object()
            .cloned()
            .unwrap(),
    );
    ezto.create(&sso, &Policy::STRICT).await.unwrap();

    // ezto auth is Keycloak: what ezto keeps verbatim is Keycloak's own, so a strict move
    // carries it and loses nothing.
    let (keycloak_sim, keycloak) = tenant(Vendor::Keycloak).await;
    let strict = MigrateOptions {
        policy: Policy::STRICT,
        ..lenient()
    };
    let report = migrate(&ezto, &keycloak, &strict).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    assert!(
        report.connections.iter().all(|c| c.losses.is_empty()),
        "{report:?}"
    );
    let moved = keycloak.find("conn-0001").await.unwrap().unwrap();
    let map = moved.attribute_map.unwrap();
    assert_eq!(map.rules, vec![MappingRule::new("email", claim("email"))]);
    assert_eq!(
        map.kept_for(Vendor::Keycloak)
            .get("admins")
            .map(|m| &m["config"]["role"]),
        Some(&json!("admin")),
        "{:?}",
        map.kept
    );
    let stored = keycloak_sim.connections();
    assert_eq!(stored[0]["config"]["guiOrder"], "7", "{}", stored[0]);

    // A re-run finds everything in place.
    let again = migrate(&ezto, &keycloak, &strict).await.unwrap();
    assert_eq!(again.counts().unchanged, 1, "{again:?}");
}
