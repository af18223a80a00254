//! The sync engine's rules (matching, refusals, skips, prune, concurrency, secrets) against the
//! vendor simulators.

mod support;

use std::time::{Duration, Instant};

use idconn::{
    Action, AnyProvider, MigrateOptions, Outcome, PlanOptions, Secrets, SyncError, apply, migrate,
    plan,
};
use idconn_core::{
    ClientSecret, Connection, IdentityConnectionProvider, Policy, Purpose, Settings, Vendor,
};
use idconn_sim::{FaultCounts, Faults, Knobs, SimHandle};
use serde_json::Value;
use support::sims::{oidc, provider, secret, start};

async fn tenant(vendor: Vendor) -> (SimHandle, AnyProvider) {
    let sim = start(vendor, Knobs::default()).await;
    let provider = provider(vendor, &sim);
    (sim, provider)
}

fn link_only(i: usize) -> Connection {
    let mut c = oidc(i);
    c.purpose = Purpose {
        sign_in: Some(false),
        link: Some(true),
        store_tokens: None,
    };
    c
}

fn lenient() -> PlanOptions {
    PlanOptions {
        policy: Policy::LENIENT,
        prune: false,
    }
}

fn names(sim: &SimHandle, key: &str) -> Vec<String> {
    let mut names: Vec<String> = sim
        .connections()
        .iter()
        .map(|c| c[key].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

fn requests(sim: &SimHandle) -> u64 {
    FaultCounts::get(&sim.counts().requests)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rewritten_name_is_found_again_so_a_rerun_writes_nothing() {
    let (sim, auth0) = tenant(Vendor::Auth0).await;
    let mut renamed = oidc(3);
    renamed.name = "acme_corp.sso".into();
    let desired = vec![oidc(1), renamed];

    let first = plan(&auth0, &desired, lenient()).await.unwrap();
    let change = first
        .changes
        .iter()
        .find(|c| c.name == "acme_corp.sso")
        .unwrap();
    assert_eq!(change.action, Action::Create);
    assert_eq!(change.target_name, "acme-corp-sso");
    assert!(
        change.report.losses.iter().any(|l| l.field == "name"),
        "{change:?}"
    );
    assert_eq!(apply(&auth0, &first, 2).await.unwrap().counts().created, 2);
    assert_eq!(names(&sim, "name"), vec!["acme-corp-sso", "conn-0001"]);

    let second = plan(&auth0, &desired, lenient()).await.unwrap();
    assert!(!second.has_writes(), "{:?}", second.changes);
    let found = second
        .changes
        .iter()
        .find(|c| c.name == "acme_corp.sso")
        .unwrap();
    assert_eq!(found.target_name, "acme-corp-sso");
    assert!(found.id.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_names_exactly_the_changed_fields_and_writes_them() {
    let (sim, auth0) = tenant(Vendor::Auth0).await;
    let mut desired = vec![oidc(1)];
    let created = plan(&auth0, &desired, PlanOptions::default())
        .await
        .unwrap();
    apply(&auth0, &created, 1).await.unwrap();

    desired[0].display_name = Some("Renamed".into());
    if let Settings::OAuth(s) = &mut desired[0].settings {
        s.scopes.push("profile".into());
    }
    let update = plan(&auth0, &desired, PlanOptions::default())
        .await
        .unwrap();
    assert_eq!(
        update.changes[0].action,
        Action::Update {
            changed: vec!["display_name".into(), "settings.scopes".into()]
        }
    );
    let report = apply(&auth0, &update, 1).await.unwrap();
    assert!(
        matches!(report.connections[0].outcome, Outcome::Updated { .. }),
        "{report:?}"
    );
    let stored = &sim.connections()[0];
    assert_eq!(stored["display_name"], "Renamed");
    assert_eq!(stored["options"]["scope"], "openid email profile");
    // The secret survived the update (Auth0 replaces `options` whole).
    assert_eq!(stored["options"]["client_secret"], secret(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn strict_refusal_lists_every_loss_of_every_connection_and_writes_nothing() {
    let (sim, genauth) = tenant(Vendor::GenAuth).await;
    let mut shown = oidc(2);
    shown.show_on_login = Some(true);
    let desired = vec![link_only(1), shown, oidc(3)];
    let before = requests(&sim);
    let err = plan(&genauth, &desired, PlanOptions::default())
        .await
        .unwrap_err();
    let SyncError::Refused {
        reports,
        lenient: false,
        vendor: Vendor::GenAuth,
    } = &err
    else {
        panic!("{err}")
    };
    // Every connection is listed, each with every loss, in one error.
    let refused: Vec<&str> = reports.iter().map(|r| r.connection.as_str()).collect();
    assert_eq!(refused, vec!["conn-0001", "conn-0002", "conn-0003"]);
    let fields = |name: &str| -> Vec<String> {
        reports
            .iter()
            .find(|r| r.connection == name)
            .unwrap()
            .losses
            .iter()
            .map(|l| l.field.clone())
            .collect()
    };
    assert!(fields("conn-0001").contains(&"purpose.sign_in".to_string()));
    assert!(fields("conn-0002").contains(&"show_on_login".to_string()));
    assert!(fields("conn-0003").contains(&"settings.token_url".to_string()));
    assert_eq!(requests(&sim), before, "refused before any request");
    assert!(sim.connections().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lenient_skips_a_widening_unless_allowed_and_writes_the_rest() {
    let (sim, genauth) = tenant(Vendor::GenAuth).await;
    let desired = vec![oidc(1), link_only(2)];
    let p = plan(&genauth, &desired, lenient()).await.unwrap();
    let Action::Skip { reason } = &p.changes[1].action else {
        panic!("{:?}", p.changes[1])
    };
    assert!(reason.contains("widen"), "{reason}");
    let report = apply(&genauth, &p, 2).await.unwrap();
    assert_eq!(report.counts().created, 1);
    assert_eq!(report.counts().skipped, 1);
    assert_eq!(names(&sim, "identifier"), vec!["conn-0001"]);

    let widening = PlanOptions {
        policy: Policy::LENIENT.with_widening(true),
        prune: false,
    };
    let p = plan(&genauth, &desired, widening).await.unwrap();
    assert_eq!(p.counts().create, 1);
    apply(&genauth, &p, 2).await.unwrap();
    assert_eq!(names(&sim, "identifier"), vec!["conn-0001", "conn-0002"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hand_built_plan_that_the_policy_refuses_writes_nothing() {
    let (sim, genauth) = tenant(Vendor::GenAuth).await;
    let widening = PlanOptions {
        policy: Policy::LENIENT.with_widening(true),
        prune: false,
    };
    let mut p = plan(&genauth, &[link_only(1)], widening).await.unwrap();
    p.policy = Policy::STRICT;
    let before = requests(&sim);
    let err = apply(&genauth, &p, 2).await.unwrap_err();
    assert!(matches!(err, SyncError::Refused { .. }), "{err}");
    assert_eq!(requests(&sim), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_deletes_only_what_the_file_does_not_name() {
    let (sim, ezto) = tenant(Vendor::Ezto).await;
    let all = vec![oidc(1), oidc(2), oidc(3)];
    let created = plan(&ezto, &all, PlanOptions::default()).await.unwrap();
    apply(&ezto, &created, 3).await.unwrap();
    let keep = vec![oidc(2)];
    let without = plan(&ezto, &keep, PlanOptions::default()).await.unwrap();
    assert_eq!(without.counts().delete, 0);
    let pruning = PlanOptions {
        prune: true,
        ..PlanOptions::default()
    };
    let pruned = plan(&ezto, &keep, pruning).await.unwrap();
    assert_eq!(pruned.counts().delete, 2);
    let report = apply(&ezto, &pruned, 3).await.unwrap();
    assert_eq!(report.counts().deleted, 2);
    assert_eq!(names(&sim, "alias"), vec!["conn-0002"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_never_exceed_the_concurrency_and_keep_the_plan_order() {
    // Every answer takes 40 ms: 24 creates at most 4 at a time take at least 6 rounds.
    const LATENCY: Duration = Duration::from_millis(40);
    let knobs = Knobs {
        faults: Faults {
            latency: LATENCY,
            ..Faults::default()
        },
        ..Knobs::default()
    };
    let sim = start(Vendor::Auth0, knobs).await;
    let auth0 = provider(Vendor::Auth0, &sim);
    let desired: Vec<Connection> = (0..24).map(oidc).collect();
    let p = plan(&auth0, &desired, PlanOptions::default())
        .await
        .unwrap();
    let started = Instant::now();
    let report = apply(&auth0, &p, 4).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(report.counts().created, 24);
    assert!(
        elapsed >= LATENCY * 6,
        "took {elapsed:?}: more than 4 at once"
    );
    assert!(
        elapsed < LATENCY * 20,
        "took {elapsed:?}: not concurrent at all"
    );
    let order: Vec<&str> = report.connections.iter().map(|c| c.name.as_str()).collect();
    let expected: Vec<String> = (0..24).map(|i| format!("conn-{i:04}")).collect();
    assert_eq!(order, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_masked_secret_in_a_file_is_never_created() {
    let (sim, auth0) = tenant(Vendor::Auth0).await;
    let mut masked = oidc(1);
    if let Settings::OAuth(s) = &mut masked.settings {
        s.client_secret = ClientSecret::Masked;
    }
    let p = plan(&auth0, &[masked], PlanOptions::default())
        .await
        .unwrap();
    let Action::Skip { reason } = &p.changes[0].action else {
        panic!("{:?}", p.changes[0])
    };
    assert!(
        reason.contains("never created without its secret"),
        "{reason}"
    );
    apply(&auth0, &p, 1).await.unwrap();
    assert!(sim.connections().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn migration_from_ezto_fills_masked_secrets_skips_unknown_ones_and_converges() {
    let (_ezto_sim, ezto) = tenant(Vendor::Ezto).await;
    let seeded = plan(&ezto, &[oidc(1), oidc(2), oidc(3)], PlanOptions::default())
        .await
        .unwrap();
    apply(&ezto, &seeded, 3).await.unwrap();
    let (auth0_sim, auth0) = tenant(Vendor::Auth0).await;
    let mut secrets = Secrets::new();
    secrets.insert("conn-0001", secret(1));
    secrets.insert("conn-0002", secret(2));
    // ezto has an enabled flag and always allows linking; Auth0 holds neither.
    let options = MigrateOptions {
        secrets,
        policy: Policy::LENIENT,
        ..MigrateOptions::default()
    };

    let dry = migrate(
        &ezto,
        &auth0,
        &MigrateOptions {
            dry_run: true,
            ..options.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(dry.counts().planned, 2, "{dry:?}");
    assert!(auth0_sim.connections().is_empty());

    let report = migrate(&ezto, &auth0, &options).await.unwrap();
    assert_eq!(report.counts().created, 2, "{report:?}");
    let skipped = &report
        .connections
        .iter()
        .find(|c| c.name == "conn-0003")
        .unwrap()
        .outcome;
    let Outcome::Skipped { reason } = skipped else {
        panic!("{skipped:?}")
    };
    assert!(reason.contains("\"conn-0003\""), "{reason}");
    assert_eq!(names(&auth0_sim, "name"), vec!["conn-0001", "conn-0002"]);
    let stored_secret = |name: &str| -> Value {
        auth0_sim
            .connections()
            .into_iter()
            .find(|c| c["name"] == name)
            .unwrap()["options"]["client_secret"]
            .clone()
    };
    assert_eq!(stored_secret("conn-0001"), secret(1));

    let before = requests(&auth0_sim);
    let again = migrate(&ezto, &auth0, &options).await.unwrap();
    assert_eq!(again.counts().unchanged, 2, "{again:?}");
    assert_eq!(again.counts().skipped, 1);
    // A re-run only reads: the connections, the applications (ezto's connections serve every
    // application, so Auth0's are named), and each held connection's clients with the
    // applications list that names them.
    let reads = requests(&auth0_sim) - before;
    assert!(
        reads <= 3 + 1 + 2 * 2,
        "a re-run only reads, {reads} requests"
    );
    assert_eq!(auth0_sim.connections().len(), 2);

    // Once the target holds it, an unknown secret means "keep the stored one", not "skip".
    let mut held = oidc(3);
    if let Settings::OAuth(s) = &mut held.settings {
        s.client_secret = ClientSecret::known("auth0-kept-secret");
    }
    let created = plan(&auth0, &[held], PlanOptions::default()).await.unwrap();
    apply(&auth0, &created, 1).await.unwrap();
    let third = migrate(&ezto, &auth0, &options).await.unwrap();
    assert_eq!(third.counts().skipped, 0, "{third:?}");
    assert_eq!(stored_secret("conn-0003"), "auth0-kept-secret");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_engine_futures_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let (_sim, auth0) = tenant(Vendor::Auth0).await;
    let provider: &dyn IdentityConnectionProvider = &auth0;
    let desired = vec![oidc(1)];
    let planning = plan(provider, &desired, PlanOptions::default());
    assert_send(&planning);
    let planned = planning.await.unwrap();
    let applying = apply(provider, &planned, 2);
    assert_send(&applying);
    applying.await.unwrap();
    let options = MigrateOptions::default();
    let migrating = migrate(provider, provider, &options);
    assert_send(&migrating);
    drop(migrating);
    // And through tokio::spawn, with owned values.
    let handle = tokio::spawn(async move {
        let desired = vec![oidc(2)];
        let p = plan(&auth0, &desired, PlanOptions::default()).await?;
        apply(&auth0, &p, 1).await
    });
    assert_eq!(handle.await.unwrap().unwrap().counts().created, 1);
}
