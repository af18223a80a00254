//! The sync engine's rules (matching, refusals, skips, prune, concurrency, secrets) on an
//! in-memory provider. The same engine runs against the vendor simulators in the other files.

mod support;

use std::sync::atomic::Ordering;

use idconn::{
    Action, MigrateOptions, Outcome, PlanOptions, Secrets, SyncError, apply, migrate, plan,
};
use idconn_core::{
    ClientSecret, Connection, ConnectionKind, OAuthSettings, Policy, Purpose, Settings,
};
use support::fake::Fake;

fn oidc(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some(format!("{name} SSO"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("{name}-client")),
        client_secret: ClientSecret::known(format!("{name}-secret")),
        scopes: vec!["openid".into()],
        ..OAuthSettings::default()
    });
    c
}

fn link_only(name: &str) -> Connection {
    let mut c = oidc(name);
    c.purpose = Purpose {
        sign_in: Some(false),
        link: Some(true),
        store_tokens: None,
    };
    c
}

#[tokio::test]
async fn apply_then_replan_finds_nothing_to_do_even_with_a_rewritten_name() {
    let fake = Fake::default();
    let desired = vec![oidc("alpha"), oidc("beta"), oidc("acme_corp.sso")];
    let options = PlanOptions {
        policy: Policy::LENIENT,
        prune: false,
    };
    let first = plan(&fake, &desired, options).await.unwrap();
    assert_eq!(first.count("create"), 3);
    let renamed = first
        .changes
        .iter()
        .find(|c| c.name == "acme_corp.sso")
        .unwrap();
    assert_eq!(renamed.target_name, "acme-corp-sso");
    assert_eq!(renamed.report.losses[0].field, "name");

    let report = apply(&fake, &first, 4).await.unwrap();
    assert_eq!(report.count("created"), 3, "{report:?}");
    assert_eq!(fake.names(), vec!["acme-corp-sso", "alpha", "beta"]);

    let writes = fake.writes.load(Ordering::SeqCst);
    let second = plan(&fake, &desired, options).await.unwrap();
    assert!(!second.has_writes(), "{:?}", second.changes);
    assert_eq!(second.count("unchanged"), 3);
    let again = apply(&fake, &second, 4).await.unwrap();
    assert_eq!(again.count("unchanged"), 3);
    assert_eq!(
        fake.writes.load(Ordering::SeqCst),
        writes,
        "a converged plan writes nothing"
    );
}

#[tokio::test]
async fn an_update_names_exactly_the_changed_fields() {
    let fake = Fake::default();
    let mut desired = vec![oidc("alpha")];
    let p = plan(&fake, &desired, PlanOptions::default()).await.unwrap();
    apply(&fake, &p, 1).await.unwrap();
    desired[0].display_name = Some("Renamed".into());
    if let Settings::OAuth(s) = &mut desired[0].settings {
        s.scopes.push("email".into());
    }
    let p = plan(&fake, &desired, PlanOptions::default()).await.unwrap();
    assert_eq!(
        p.changes[0].action,
        Action::Update {
            changed: vec!["display_name".into(), "settings.scopes".into()]
        }
    );
    let report = apply(&fake, &p, 1).await.unwrap();
    assert!(matches!(
        report.connections[0].outcome,
        Outcome::Updated { .. }
    ));
    assert_eq!(
        fake.stored("alpha").unwrap().display_name.as_deref(),
        Some("Renamed")
    );
}

#[tokio::test]
async fn strict_refusal_lists_every_loss_of_every_connection_and_writes_nothing() {
    let fake = Fake::default();
    let mut shown = oidc("shown");
    shown.show_on_login = Some(true);
    let desired = vec![oidc("fine"), link_only("linker"), shown, oidc("bad_name")];
    let err = plan(&fake, &desired, PlanOptions::default())
        .await
        .unwrap_err();
    let SyncError::Refused {
        reports,
        lenient: false,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    let listed: Vec<(String, String)> = reports
        .iter()
        .flat_map(|r| {
            r.losses
                .iter()
                .map(|l| (r.connection.clone(), l.field.clone()))
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("linker".into(), "purpose.sign_in".into()),
            ("shown".into(), "show_on_login".into()),
            ("bad_name".into(), "name".into()),
        ]
    );
    assert!(err.to_string().contains("3 connection(s)"), "{err}");
    assert_eq!(fake.writes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn lenient_skips_a_widening_and_writes_the_rest() {
    let fake = Fake::default();
    let desired = vec![oidc("fine"), link_only("linker")];
    let p = plan(
        &fake,
        &desired,
        PlanOptions {
            policy: Policy::LENIENT,
            prune: false,
        },
    )
    .await
    .unwrap();
    let Action::Skip { reason } = &p.changes[1].action else {
        panic!("{:?}", p.changes[1])
    };
    assert!(reason.contains("widen"), "{reason}");
    let report = apply(&fake, &p, 2).await.unwrap();
    assert_eq!(report.count("created"), 1);
    assert_eq!(report.count("skipped"), 1);
    assert_eq!(fake.names(), vec!["fine"]);

    let widening = Policy::LENIENT.with_widening(true);
    let p = plan(
        &fake,
        &desired,
        PlanOptions {
            policy: widening,
            prune: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(p.count("create"), 1);
    apply(&fake, &p, 2).await.unwrap();
    assert_eq!(fake.names(), vec!["fine", "linker"]);
}

#[tokio::test]
async fn a_hand_built_plan_that_the_policy_refuses_writes_nothing() {
    let fake = Fake::default();
    let desired = vec![link_only("linker")];
    let widening = Policy::LENIENT.with_widening(true);
    let mut p = plan(
        &fake,
        &desired,
        PlanOptions {
            policy: widening,
            prune: false,
        },
    )
    .await
    .unwrap();
    p.policy = Policy::STRICT;
    let err = apply(&fake, &p, 2).await.unwrap_err();
    assert!(matches!(err, SyncError::Refused { .. }), "{err}");
    assert_eq!(fake.writes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn prune_deletes_only_what_the_file_does_not_name() {
    let fake = Fake::default();
    let all = vec![oidc("a"), oidc("b"), oidc("c")];
    apply(
        &fake,
        &plan(&fake, &all, PlanOptions::default()).await.unwrap(),
        3,
    )
    .await
    .unwrap();
    let keep = vec![oidc("b")];
    let without = plan(&fake, &keep, PlanOptions::default()).await.unwrap();
    assert_eq!(without.count("delete"), 0);
    let pruning = plan(
        &fake,
        &keep,
        PlanOptions {
            prune: true,
            ..PlanOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(pruning.count("delete"), 2);
    let report = apply(&fake, &pruning, 3).await.unwrap();
    assert_eq!(report.count("deleted"), 2);
    assert_eq!(fake.names(), vec!["b"]);
}

#[tokio::test]
async fn writes_never_exceed_the_concurrency() {
    let fake = Fake::default();
    let desired: Vec<Connection> = (0..40).map(|i| oidc(&format!("c{i}"))).collect();
    let p = plan(&fake, &desired, PlanOptions::default()).await.unwrap();
    let report = apply(&fake, &p, 5).await.unwrap();
    assert_eq!(report.count("created"), 40);
    let max = fake.max_in_flight.load(Ordering::SeqCst);
    assert!((2..=5).contains(&max), "max in flight {max}");
    // The report keeps the plan's order whatever order the writes finished in.
    let names: Vec<&str> = report.connections.iter().map(|c| c.name.as_str()).collect();
    let expected: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
    assert_eq!(
        names,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_masked_secret_in_a_file_is_never_created() {
    let fake = Fake::default();
    let mut masked = oidc("masked");
    if let Settings::OAuth(s) = &mut masked.settings {
        s.client_secret = ClientSecret::Masked;
    }
    let p = plan(&fake, &[masked], PlanOptions::default())
        .await
        .unwrap();
    assert!(
        matches!(p.changes[0].action, Action::Skip { .. }),
        "{:?}",
        p.changes[0]
    );
}

#[tokio::test]
async fn migration_fills_masked_secrets_skips_unknown_ones_and_converges() {
    let source = Fake::masking();
    let seed = vec![oidc("known"), oidc("unknown"), oidc("plain")];
    apply(
        &source,
        &plan(&source, &seed, PlanOptions::default()).await.unwrap(),
        2,
    )
    .await
    .unwrap();
    let target = Fake::default();
    let mut secrets = Secrets::new();
    secrets.insert("known", "known-secret");
    secrets.insert("plain", "plain-secret");
    let options = MigrateOptions {
        secrets,
        ..MigrateOptions::default()
    };

    let dry = migrate(
        &source,
        &target,
        &MigrateOptions {
            dry_run: true,
            ..options.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(dry.count("planned"), 2);
    assert_eq!(target.writes.load(Ordering::SeqCst), 0);

    let report = migrate(&source, &target, &options).await.unwrap();
    assert_eq!(report.count("created"), 2, "{report:?}");
    let skipped = &report
        .connections
        .iter()
        .find(|c| c.name == "unknown")
        .unwrap()
        .outcome;
    let Outcome::Skipped { reason } = skipped else {
        panic!("{skipped:?}")
    };
    assert!(reason.contains("\"unknown\""), "{reason}");
    assert_eq!(target.names(), vec!["known", "plain"]);
    assert_eq!(
        target
            .stored("known")
            .unwrap()
            .settings
            .client_secret()
            .expose(),
        Some("known-secret")
    );

    let writes = target.writes.load(Ordering::SeqCst);
    let again = migrate(&source, &target, &options).await.unwrap();
    assert_eq!(again.count("unchanged"), 2, "{again:?}");
    assert_eq!(target.writes.load(Ordering::SeqCst), writes);

    // Once the target holds it, an unknown secret means "keep the stored one", not "skip".
    let mut held = oidc("unknown");
    if let Settings::OAuth(s) = &mut held.settings {
        s.client_secret = ClientSecret::known("target-kept-secret");
    }
    let seeded = plan(&target, &[held], PlanOptions::default())
        .await
        .unwrap();
    apply(&target, &seeded, 1).await.unwrap();
    let third = migrate(&source, &target, &options).await.unwrap();
    assert_eq!(third.count("unchanged"), 3, "{third:?}");
    assert_eq!(
        target
            .stored("unknown")
            .unwrap()
            .settings
            .client_secret()
            .expose(),
        Some("target-kept-secret")
    );
}

#[tokio::test]
async fn the_engine_futures_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let fake = Fake::default();
    let provider: &dyn idconn_core::IdentityConnectionProvider = &fake;
    let desired = vec![oidc("a")];
    let planning = plan(provider, &desired, PlanOptions::default());
    assert_send(&planning);
    let planned = planning.await.unwrap();
    let applying = apply(provider, &planned, 2);
    assert_send(&applying);
    applying.await.unwrap();
    let options = MigrateOptions::default();
    let migrating = migrate(provider, provider, &options);
    assert_send(&migrating);
}
