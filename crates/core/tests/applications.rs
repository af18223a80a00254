//! Applications in the model: the document form, resolving names to ids on a tenant, the
//! switches between two sets, and what `enabled` means where connections are enabled per
//! application.

use std::collections::BTreeSet;

use idconn_core::{
    Application, ApplicationDirectory, Applications, Connection, ConnectionKind, Error, Vendor,
    application_switches, enabled_as_applications,
};
use serde_json::json;

fn app(id: &str, name: &str) -> Application {
    Application {
        id: id.into(),
        name: name.into(),
    }
}

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn tenant() -> ApplicationDirectory {
    ApplicationDirectory::new(
        Vendor::Auth0,
        [
            app("c1", "Web shop"),
            app("c2", "Back office"),
            app("c3", "Twin"),
            app("c4", "Twin"),
        ],
    )
}

#[test]
fn a_document_says_all_or_lists_names_and_absent_stays_absent() {
    let mut connection: Connection = serde_json::from_value(json!({
        "name": "acme", "kind": "oidc", "applications": ["Web shop", "Back office"]
    }))
    .unwrap();
    assert_eq!(
        connection.applications,
        Some(Applications::only(["Back office", "Web shop"]))
    );
    assert_eq!(
        serde_json::to_value(&connection).unwrap()["applications"],
        json!(["Back office", "Web shop"])
    );

    connection.applications = Some(Applications::All);
    let value = serde_json::to_value(&connection).unwrap();
    assert_eq!(value["applications"], json!("all"));
    assert_eq!(
        serde_json::from_value::<Connection>(value).unwrap(),
        connection
    );

    let plain = Connection::new("acme", ConnectionKind::Oidc);
    let value = serde_json::to_value(&plain).unwrap();
    assert!(value.get("applications").is_none(), "{value}");
    assert_eq!(serde_json::from_value::<Connection>(value).unwrap(), plain);
}

#[test]
fn bad_application_lists_are_refused_with_the_reason() {
    for (bad, says) in [
        (json!("every"), "\"all\" or a list of application names"),
        (json!(["a", "a"]), "application \"a\" is listed twice"),
        (json!([""]), "an application name is empty"),
        (json!([1]), "expected a string"),
        (json!(true), "\"all\" or a list of application names"),
    ] {
        let error = serde_json::from_value::<Connection>(json!({
            "name": "acme", "kind": "oidc", "applications": bad
        }))
        .unwrap_err()
        .to_string();
        assert!(error.contains(says), "{bad}: {error}");
    }
}

#[test]
fn names_resolve_to_ids_and_every_unknown_or_shared_name_is_named() {
    let tenant = tenant();
    assert_eq!(
        tenant
            .resolve(&Applications::only(["Web shop", "Back office"]))
            .unwrap(),
        ids(&["c1", "c2"])
    );
    assert_eq!(
        tenant.resolve(&Applications::All).unwrap(),
        ids(&["c1", "c2", "c3", "c4"])
    );
    assert!(tenant.resolve(&Applications::none()).unwrap().is_empty());

    let error = tenant
        .resolve(&Applications::only(["Web shop", "Twin", "Ghost"]))
        .unwrap_err();
    let Error::InvalidInput { field, reason } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(field, "applications");
    assert!(
        reason.contains("no auth0 application is named \"Ghost\""),
        "{reason}"
    );
    assert!(
        reason.contains("2 auth0 applications are named \"Twin\" (ids c3, c4)"),
        "{reason}"
    );

    let wanted = ids(&["Ghost", "Web shop", "Zed"]);
    assert_eq!(tenant.missing(&wanted), vec!["Ghost", "Zed"]);
}

#[test]
fn ids_read_back_as_names_and_unknown_ids_are_kept() {
    assert_eq!(
        tenant().names_of(["c2", "c1", "c9"]),
        Applications::only(["Back office", "Web shop", "c9"])
    );
}

#[test]
fn switches_enable_what_is_missing_and_disable_what_is_extra() {
    assert_eq!(
        application_switches(&ids(&["a", "b"]), &ids(&["b", "c", "d"])),
        vec![
            ("c".to_string(), true),
            ("d".to_string(), true),
            ("a".to_string(), false)
        ]
    );
    assert!(application_switches(&ids(&["a"]), &ids(&["a"])).is_empty());
}

#[test]
fn enabled_becomes_applications_where_connections_are_enabled_per_application() {
    let with = |enabled: Option<bool>, applications: Option<Applications>| {
        let mut c = Connection::new("acme", ConnectionKind::Oidc);
        c.enabled = enabled;
        c.applications = applications;
        enabled_as_applications(&c, Vendor::Auth0)
    };
    let shop = Some(Applications::only(["Web shop"]));

    assert_eq!(with(None, shop.clone()), (shop.clone(), vec![]));
    assert_eq!(with(None, None), (None, vec![]));
    assert_eq!(with(Some(true), shop.clone()), (shop.clone(), vec![]));
    assert_eq!(
        with(Some(true), Some(Applications::All)),
        (Some(Applications::All), vec![])
    );
    // Off: enabled for no application, exactly.
    assert_eq!(
        with(Some(false), None),
        (Some(Applications::none()), vec![])
    );

    // On, but for no named application: the flag is lost.
    let (applications, losses) = with(Some(true), None);
    assert_eq!(applications, None);
    assert_eq!(losses.len(), 1);
    assert_eq!(losses[0].field, "enabled");
    // Off, yet naming applications: none of them keeps it.
    let (applications, losses) = with(Some(false), Some(Applications::All));
    assert_eq!(applications, Some(Applications::none()));
    assert_eq!(
        (
            losses[0].field.as_str(),
            losses[0].source.as_str(),
            losses[0].target.as_str()
        ),
        ("applications", "all", "none")
    );
}
