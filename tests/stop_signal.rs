//! A `StopSignal` stops `apply` and `migrate` between writes: writes in flight finish, the rest
//! are `NotStarted`, the report says it was interrupted, and a re-run finishes the job.

mod support;

use std::collections::BTreeSet;

use idconn::{
    ApplyOptions, ConnectionOutcome, MigrateOptions, Outcome, PlanOptions, Progress, StopSignal,
    apply_with_options, migrate_with_progress, plan,
};
use idconn_core::{Policy, Vendor};
use idconn_sim::{FaultCounts, Knobs, SimHandle};
use support::sims::{oidc, provider, start};

/// Triggers the stop when the first write finishes, as a Ctrl-C midway would.
struct StopAfterFirst(StopSignal);

impl Progress for StopAfterFirst {
    fn done(&mut self, _outcome: &ConnectionOutcome) {
        self.0.trigger();
    }
}

fn not_started(outcomes: &[ConnectionOutcome]) -> usize {
    outcomes
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::NotStarted { .. }))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_stopped_after_the_first_write_finishes_the_ones_in_flight_then_a_rerun_completes() {
    const CONCURRENCY: usize = 3;
    let sim = start(Vendor::Auth0, Knobs::default()).await;
    let target = provider(Vendor::Auth0, &sim);
    let desired: Vec<_> = (1..=12).map(oidc).collect();
    let options = PlanOptions {
        policy: Policy::STRICT,
        prune: false,
    };
    let first = plan(&target, &desired, options).await.unwrap();
    let stop = StopSignal::new();
    let apply = ApplyOptions::default()
        .with_concurrency(CONCURRENCY)
        .with_stop(stop.clone());
    let report = apply_with_options(&target, &first, &apply, &mut StopAfterFirst(stop))
        .await
        .unwrap();
    assert!(report.interrupted, "{report:?}");
    let counts = report.counts();
    // What the semantics guarantee, however the first batch was scheduled: the write that
    // triggered the stop finished; besides it, only writes already in flight (at most the rest
    // of one batch) may have been written; every other one is not started; nothing failed.
    assert!(
        (1..=CONCURRENCY).contains(&counts.created),
        "{counts:?}: {report:?}"
    );
    assert_eq!(counts.failed, 0, "{report:?}");
    assert_eq!(counts.created + counts.not_started, 12, "{report:?}");
    assert_eq!(not_started(&report.connections), counts.not_started);
    assert_eq!(counts.written(), counts.created);
    assert_eq!(counts.writes(), 12);
    // Every write that started finished and is reported: the vendor holds exactly the
    // connections reported created, and received no write for any reported not started.
    let created: BTreeSet<String> = report
        .connections
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Created { .. }))
        .map(|c| c.target_name.clone())
        .collect();
    assert_eq!(names(&sim), created, "the vendor holds what was written");
    assert_eq!(
        FaultCounts::get(&sim.counts().writes),
        counts.created as u64,
        "no write reached the vendor for a connection reported not started"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["interrupted"], true);
    assert!(
        json["connections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["outcome"] == "not_started" && c["action"] == "create"),
        "{json}"
    );

    // The re-run writes exactly what the first run did not, so nothing is written twice.
    let second = plan(&target, &desired, options).await.unwrap();
    let report = apply_with_options(&target, &second, &ApplyOptions::default(), &mut ())
        .await
        .unwrap();
    assert!(!report.interrupted);
    assert_eq!(report.counts().created, 12 - counts.created, "{report:?}");
    assert_eq!(report.counts().unchanged, counts.created, "{report:?}");
    assert_eq!(report.counts().failed, 0, "{report:?}");
    let all: BTreeSet<String> = desired.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names(&sim), all);
    assert_eq!(sim.connections().len(), 12, "no connection twice");
    assert_eq!(FaultCounts::get(&sim.counts().writes), 12);
}

/// The names of the connections the simulator holds.
fn names(sim: &SimHandle) -> BTreeSet<String> {
    sim.connections()
        .iter()
        .map(|c| {
            c["name"]
                .as_str()
                .expect("a connection has a name")
                .to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_stopped_before_it_writes_reads_and_reports_but_writes_nothing() {
    let source = start(Vendor::Auth0, Knobs::default()).await;
    let target = start(Vendor::Auth0, Knobs::default()).await;
    let from = provider(Vendor::Auth0, &source);
    let to = provider(Vendor::Auth0, &target);
    let desired: Vec<_> = (1..=4).map(oidc).collect();
    let seeded = plan(
        &from,
        &desired,
        PlanOptions {
            policy: Policy::STRICT,
            prune: false,
        },
    )
    .await
    .unwrap();
    apply_with_options(&from, &seeded, &ApplyOptions::default(), &mut ())
        .await
        .unwrap();

    let stop = StopSignal::new();
    stop.trigger();
    let options = MigrateOptions {
        stop: stop.clone(),
        ..MigrateOptions::default()
    };
    let report = migrate_with_progress(&from, &to, &options, &mut ())
        .await
        .unwrap();
    assert!(report.interrupted, "{report:?}");
    assert_eq!(report.counts().not_started, 4, "{report:?}");
    assert_eq!(report.counts().written(), 0);
    assert_eq!(FaultCounts::get(&target.counts().writes), 0);
    assert!(target.connections().is_empty());

    let report = migrate_with_progress(&from, &to, &MigrateOptions::default(), &mut ())
        .await
        .unwrap();
    assert!(!report.interrupted);
    assert_eq!(report.counts().created, 4, "{report:?}");
    assert_eq!(target.connections().len(), 4);
}
