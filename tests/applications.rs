//! Which applications may use a connection, carried by the sync engine: Auth0 to Auth0 by
//! name, Auth0 to GenAuth, Auth0 to ezto (a reported loss), applications missing on the
//! target, renamed applications, and the 50-per-request batching on Auth0.

mod support;

use std::collections::BTreeMap;

use idconn::{
    Applications, IdentityConnectionProvider, MigrateOptions, PlanOptions, Policy, SyncError,
    Vendor, apply, migrate, plan,
};
use idconn_core::Error;
use idconn_sim::auth0::Auth0Sim;
use idconn_sim::genauth::GenAuthSim;
use idconn_sim::{Knobs, Sim, SimHandle};
use support::sims::{oidc, provider, start};

/// An Auth0 tenant with these applications; returns the simulator, its handle and each
/// application's client id.
async fn auth0_with(names: &[&str]) -> (Auth0Sim, SimHandle, Vec<String>) {
    let sim = Auth0Sim::new();
    let ids = names
        .iter()
        .map(|name| sim.add_application(name, Some("regular_web")))
        .collect();
    let handle = Sim::start(sim.clone(), Knobs::default(), 0).await.unwrap();
    (sim, handle, ids)
}

/// The client ids the connection named `name` is enabled for, as the simulator stores them.
fn enabled_on(handle: &SimHandle, name: &str) -> Vec<String> {
    let connection = handle
        .connections()
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap();
    let mut ids: Vec<String> = connection["enabled_clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// Seeds `conn-0001` on an Auth0 tenant, enabled for `applications`.
async fn seed(auth0: &idconn::AnyProvider, applications: Applications) {
    let mut connection = oidc(1);
    connection.applications = Some(applications);
    let planned = plan(auth0, &[connection], PlanOptions::default())
        .await
        .unwrap();
    let applied = apply(auth0, &planned, 1).await.unwrap();
    assert_eq!(applied.counts().created, 1, "{applied:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_to_auth0_enables_the_targets_applications_of_the_same_names() {
    let (_, source_handle, _) = auth0_with(&["Web shop", "Back office", "Kiosk"]).await;
    let source = provider(Vendor::Auth0, &source_handle);
    seed(&source, Applications::only(["Web shop", "Back office"])).await;

    // The target's applications have the same names and other ids.
    let (_, target_handle, target_ids) = auth0_with(&["Back office", "Web shop", "Kiosk"]).await;
    let target = provider(Vendor::Auth0, &target_handle);
    let report = migrate(&source, &target, &MigrateOptions::default())
        .await
        .unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    let outcome = &report.connections[0];
    assert_eq!(
        outcome.applications.as_ref().unwrap().added,
        vec!["Back office", "Web shop"]
    );
    assert_eq!(
        enabled_on(&target_handle, "conn-0001"),
        sorted(target_ids[..2].to_vec())
    );
    let id = target_handle.connections()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        target.applications(&id).await.unwrap(),
        Applications::only(["Back office", "Web shop"])
    );

    // A finished migration changes nothing; a changed source converges the target.
    let again = migrate(&source, &target, &MigrateOptions::default())
        .await
        .unwrap();
    assert_eq!(again.counts().unchanged, 1, "{again:?}");
    seed_update(&source, Applications::only(["Kiosk", "Web shop"])).await;
    let third = migrate(&source, &target, &MigrateOptions::default())
        .await
        .unwrap();
    let changes = third.connections[0].applications.clone().unwrap();
    assert_eq!(
        (changes.added, changes.removed),
        (vec!["Kiosk".to_string()], vec!["Back office".to_string()])
    );
    assert_eq!(
        enabled_on(&target_handle, "conn-0001"),
        sorted(vec![target_ids[1].clone(), target_ids[2].clone()])
    );
}

/// Makes `conn-0001` on `auth0` enabled for exactly `applications`.
async fn seed_update(auth0: &idconn::AnyProvider, applications: Applications) {
    let mut connection = oidc(1);
    connection.applications = Some(applications);
    let planned = plan(auth0, &[connection], PlanOptions::default())
        .await
        .unwrap();
    assert_eq!(planned.counts().update, 1, "{planned:?}");
    apply(auth0, &planned, 1).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn applications_missing_on_the_target_are_reported_and_the_rest_converge() {
    let (_, source_handle, _) = auth0_with(&["Web shop", "Back office", "Legacy"]).await;
    let source = provider(Vendor::Auth0, &source_handle);
    seed(&source, Applications::All).await;

    let (_, target_handle, target_ids) = auth0_with(&["Web shop", "Office"]).await;
    let target = provider(Vendor::Auth0, &target_handle);
    let options = MigrateOptions {
        application_names: BTreeMap::from([("Back office".to_string(), "Office".to_string())]),
        ..MigrateOptions::default()
    };
    let report = migrate(&source, &target, &options).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    assert_eq!(report.connections[0].missing_applications, vec!["Legacy"]);
    assert_eq!(enabled_on(&target_handle, "conn-0001"), sorted(target_ids));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_or_ambiguous_name_in_a_document_is_refused_before_any_write() {
    let (sim, handle, _) = auth0_with(&["Web shop", "Twin", "Twin"]).await;
    let auth0 = provider(Vendor::Auth0, &handle);
    let mut connection = oidc(1);
    connection.applications = Some(Applications::only(["Web shop", "Twin", "Ghost"]));
    let error = plan(&auth0, &[connection], PlanOptions::default())
        .await
        .unwrap_err();
    let SyncError::Invalid { errors, .. } = &error else {
        panic!("{error:?}")
    };
    let message = errors[0].to_string();
    assert!(
        message.contains("no auth0 application is named \"Ghost\""),
        "{message}"
    );
    assert!(
        message.contains("2 auth0 applications are named \"Twin\""),
        "{message}"
    );
    assert!(handle.connections().is_empty());
    assert_eq!(sim.client_patches(), 0);

    // The backend refuses them too, before creating the connection.
    let mut direct = oidc(2);
    direct.applications = Some(Applications::only(["Ghost"]));
    let error = auth0.create(&direct, &Policy::STRICT).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, .. } if field == "applications"),
        "{error:?}"
    );
    assert!(handle.connections().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_enables_120_applications_in_three_requests() {
    let names: Vec<String> = (0..120).map(|i| format!("app-{i:03}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let (sim, handle, ids) = auth0_with(&refs).await;
    let auth0 = provider(Vendor::Auth0, &handle);
    let mut connection = oidc(1);
    connection.applications = Some(Applications::All);
    let applied = auth0.create(&connection, &Policy::STRICT).await.unwrap();
    assert_eq!(sim.client_patches(), 3);
    assert_eq!(enabled_on(&handle, "conn-0001"), sorted(ids));
    let id = applied.connection.id.unwrap();
    assert_eq!(
        auth0.applications(&id).await.unwrap(),
        Applications::Only(names.into_iter().collect())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_to_genauth_carries_the_set() {
    let (_, source_handle, _) = auth0_with(&["Web shop", "Back office", "Kiosk"]).await;
    let source = provider(Vendor::Auth0, &source_handle);
    seed(&source, Applications::only(["Web shop", "Kiosk"])).await;

    let genauth_sim = GenAuthSim::new();
    for name in ["Kiosk", "Web shop", "Back office"] {
        genauth_sim.add_application(name);
    }
    let genauth_handle = Sim::start(genauth_sim, Knobs::default(), 0).await.unwrap();
    let genauth = provider(Vendor::GenAuth, &genauth_handle);
    // GenAuth has no fields for OIDC issuer and endpoints: lenient, those losses reported.
    let options = MigrateOptions {
        policy: Policy::LENIENT,
        ..MigrateOptions::default()
    };
    let report = migrate(&source, &genauth, &options).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    let created = genauth.find("conn-0001").await.unwrap().unwrap();
    assert_eq!(
        genauth
            .applications(created.id.as_ref().unwrap())
            .await
            .unwrap(),
        Applications::only(["Kiosk", "Web shop"])
    );
    let again = migrate(&source, &genauth, &options).await.unwrap();
    assert_eq!(again.counts().unchanged, 1, "{again:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_to_ezto_reports_the_set_under_strict_and_lenient() {
    let (_, source_handle, _) = auth0_with(&["Web shop"]).await;
    let source = provider(Vendor::Auth0, &source_handle);
    seed(&source, Applications::only(["Web shop"])).await;
    let ezto_handle = start(Vendor::Ezto, Knobs::default()).await;
    let ezto = provider(Vendor::Ezto, &ezto_handle);

    let error = migrate(&source, &ezto, &MigrateOptions::default())
        .await
        .unwrap_err();
    let SyncError::Refused { reports, .. } = &error else {
        panic!("{error:?}")
    };
    let loss = reports[0]
        .losses
        .iter()
        .find(|l| l.field == "applications")
        .unwrap();
    assert_eq!(
        (loss.source.as_str(), loss.target.as_str()),
        ("\"Web shop\"", "all")
    );
    assert!(ezto_handle.connections().is_empty());

    let lenient = MigrateOptions {
        policy: Policy::LENIENT,
        ..MigrateOptions::default()
    };
    let report = migrate(&source, &ezto, &lenient).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    assert!(
        report.connections[0]
            .losses
            .iter()
            .any(|l| l.field == "applications"),
        "{report:?}"
    );
    let again = migrate(&source, &ezto, &lenient).await.unwrap();
    assert_eq!(again.counts().unchanged, 1, "{again:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_no_application_may_use_is_widened_on_ezto_and_refused_unless_allowed() {
    let (_, source_handle, _) = auth0_with(&["Web shop"]).await;
    let source = provider(Vendor::Auth0, &source_handle);
    seed(&source, Applications::none()).await;
    let ezto_handle = start(Vendor::Ezto, Knobs::default()).await;
    let ezto = provider(Vendor::Ezto, &ezto_handle);

    let lenient = MigrateOptions {
        policy: Policy::LENIENT,
        ..MigrateOptions::default()
    };
    // Lenient writes what loses, never what widens: the connection is skipped, with the reason.
    let report = migrate(&source, &ezto, &lenient).await.unwrap();
    assert_eq!(report.counts().skipped, 1, "{report:?}");
    let loss = report.connections[0]
        .losses
        .iter()
        .find(|l| l.field == "applications")
        .unwrap();
    assert!(loss.widening, "{loss:?}");
    assert!(ezto_handle.connections().is_empty());

    let widening = MigrateOptions {
        policy: Policy::LENIENT.with_widening(true),
        ..MigrateOptions::default()
    };
    let report = migrate(&source, &ezto, &widening).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
}
