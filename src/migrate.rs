//! `migrate`: every connection of one vendor, created or updated on another.
//!
//! A migration is a plan of the source's connections against the target, then an apply, so a
//! re-run of a finished migration finds everything unchanged and writes nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use idconn_core::{
    Applications, ClientSecret, Connection, DEFAULT_READ_CONCURRENCY, IdentityConnectionProvider,
    Listing, Policy, ReadNote, Skipped, Vendor, read_all_complete,
};
use serde::Serialize;

use crate::applications::{directory_for, fill_applications};

use crate::apply::{ApplyOptions, ConnectionOutcome, Progress, apply_with_options, preview};
use crate::plan::{PlanOptions, plan};
use crate::secrets::Secrets;
use crate::stop::StopSignal;
use crate::sync_error::SyncError;

/// How a migration runs.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// Client secrets the source will not show, by connection name.
    pub secrets: Secrets,
    /// The translation policy (strict by default).
    pub policy: Policy,
    /// The most writes in flight at once.
    pub concurrency: usize,
    /// Plan only: report what would happen and write nothing.
    pub dry_run: bool,
    /// Source application name to target application name, for tenants whose applications
    /// are named differently; a name not listed is looked up as it is.
    pub application_names: BTreeMap<String, String>,
    /// Resolve each discovery-only OIDC connection of the source (fetch its discovery
    /// document, fill the endpoints) before translating, so that vendors needing explicit
    /// endpoints hold it exactly ([`resolve_discovery`](crate::resolve_discovery)). Off by
    /// default: translation stays offline and the endpoints are reported as losses.
    #[cfg(feature = "onboard")]
    #[cfg_attr(docsrs, doc(cfg(feature = "onboard")))]
    pub resolve_discovery: bool,
    /// Once triggered, no new write starts; those in flight finish and are reported, and the
    /// report says it was [`interrupted`](MigrationReport::interrupted). The source is still
    /// read and the plan made (reads only), so the report names every connection. Never
    /// triggered by default.
    pub stop: StopSignal,
}

impl Default for MigrateOptions {
    fn default() -> Self {
        MigrateOptions {
            secrets: Secrets::new(),
            policy: Policy::STRICT,
            concurrency: 8,
            dry_run: false,
            application_names: BTreeMap::new(),
            #[cfg(feature = "onboard")]
            resolve_discovery: false,
            stop: StopSignal::new(),
        }
    }
}

/// A migration's outcome, per source connection.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationReport {
    /// The source vendor.
    pub from: Vendor,
    /// The target vendor.
    pub to: Vendor,
    /// True when nothing was written.
    pub dry_run: bool,
    /// One entry per source connection, in the source's order.
    pub connections: Vec<ConnectionOutcome>,
    /// Records of the source, then of the target, that no connection could be made of: not
    /// migrated, and not compared.
    pub skipped: Vec<Skipped>,
    /// Per source connection, the values its read kept verbatim in the source vendor's extras
    /// because the model could not decode them: they reach a target of the same vendor
    /// unchanged, and no other.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub read_notes: BTreeMap<String, Vec<ReadNote>>,
    /// True when [`MigrateOptions::stop`] left some writes not started
    /// ([`Outcome::NotStarted`](crate::Outcome::NotStarted)): a re-run of the migration
    /// finds the connections written as unchanged and writes the rest.
    pub interrupted: bool,
}

impl MigrationReport {
    /// How many connections ended each way.
    pub fn counts(&self) -> crate::apply::OutcomeCounts {
        crate::apply::OutcomeCounts::of(&self.connections)
    }

    /// True when no connection failed (records skipped on read are reported apart, in
    /// [`skipped`](Self::skipped)).
    pub fn succeeded(&self) -> bool {
        self.counts().failed == 0
    }
}

/// Migrates every connection of `from` to `to`. See [`migrate_with_progress`].
pub async fn migrate<F, T>(
    from: &F,
    to: &T,
    options: &MigrateOptions,
) -> Result<MigrationReport, SyncError>
where
    F: IdentityConnectionProvider + ?Sized,
    T: IdentityConnectionProvider + ?Sized,
{
    migrate_with_progress(from, to, options, &mut ()).await
}

/// Reads every connection of `from` whole (through [`read_all_complete`]), and creates or
/// updates each on `to`, reporting each finished connection to `progress`.
///
/// A secret the source masks is taken from `options.secrets`. A connection whose secret is
/// still unknown is skipped with the reason when it would be created (never created without
/// it); one the target already holds keeps the target's stored secret. Under a strict policy,
/// if any connection cannot be represented nothing is written ([`SyncError::Refused`]).
pub async fn migrate_with_progress<F, T>(
    from: &F,
    to: &T,
    options: &MigrateOptions,
    progress: &mut dyn Progress,
) -> Result<MigrationReport, SyncError>
where
    F: IdentityConnectionProvider + ?Sized,
    T: IdentityConnectionProvider + ?Sized,
{
    let Listing {
        connections: mut source,
        skipped,
    } = read_all_complete(from, None, DEFAULT_READ_CONCURRENCY).await?;
    // Which applications may use each connection, by the target's names.
    fill_applications(from, &mut source).await?;
    for connection in &mut source {
        if let Some(applications) = connection.applications.take() {
            connection.applications = Some(rename(applications, &options.application_names));
        }
    }
    let missing = drop_missing(to, &mut source).await?;
    tracing::info!(from = %from.vendor(), to = %to.vendor(), connections = source.len(), "migration source read");
    let read_notes: BTreeMap<String, Vec<ReadNote>> = source
        .iter()
        .filter(|c| !c.read_notes.is_empty())
        .map(|c| (c.name.clone(), c.read_notes.clone()))
        .collect();

    // A secret the source masks comes from the caller's map when it has one. Otherwise it stays
    // masked: `plan` then keeps the target's stored secret on an update, and skips a create
    // with the reason (a connection is never created without its secret).
    let desired: Vec<Connection> = source
        .into_iter()
        .map(|mut connection| {
            connection.id = None;
            fill_secret(&mut connection, &options.secrets);
            connection
        })
        .collect();
    #[cfg(feature = "onboard")]
    let desired = {
        let mut desired = desired;
        if options.resolve_discovery {
            for note in crate::resolve_discovery(&mut desired).await? {
                tracing::info!("{note}");
            }
        }
        desired
    };
    let plan = plan(
        to,
        &desired,
        PlanOptions {
            policy: options.policy,
            prune: false,
        },
    )
    .await?;
    let applied = if options.dry_run {
        preview(&plan)
    } else {
        let apply = ApplyOptions::default()
            .with_concurrency(options.concurrency)
            .with_stop(options.stop.clone());
        apply_with_options(to, &plan, &apply, progress).await?
    };
    let interrupted = applied.interrupted;
    let mut skipped = skipped;
    skipped.extend(plan.skipped);
    let mut connections = applied.connections;
    for outcome in &mut connections {
        if let Some(names) = missing.get(&outcome.name) {
            outcome.missing_applications = names.clone();
        }
    }
    Ok(MigrationReport {
        from: from.vendor(),
        to: to.vendor(),
        dry_run: options.dry_run,
        connections,
        skipped,
        read_notes,
        interrupted,
    })
}

/// The applications by the target's names.
fn rename(applications: Applications, names: &BTreeMap<String, String>) -> Applications {
    match applications {
        Applications::All => Applications::All,
        Applications::Only(set) => Applications::Only(
            set.into_iter()
                .map(|name| names.get(&name).cloned().unwrap_or(name))
                .collect(),
        ),
    }
}

/// Leaves out of each connection the applications the target has none of, and returns them
/// by connection name, so the others converge and the report names the rest.
async fn drop_missing<T>(
    to: &T,
    connections: &mut [Connection],
) -> Result<HashMap<String, Vec<String>>, SyncError>
where
    T: IdentityConnectionProvider + ?Sized,
{
    let mut missing = HashMap::new();
    let Some(directory) = directory_for(to, connections.iter()).await? else {
        return Ok(missing);
    };
    for connection in connections {
        if let Some(Applications::Only(names)) = &mut connection.applications {
            let absent: BTreeSet<String> = directory
                .missing(names)
                .into_iter()
                .map(String::from)
                .collect();
            if !absent.is_empty() {
                names.retain(|n| !absent.contains(n));
                tracing::warn!(connection = %connection.name, missing = ?absent, "applications not on the target");
                missing.insert(connection.name.clone(), absent.into_iter().collect());
            }
        }
    }
    Ok(missing)
}

/// Replaces a masked secret by the caller's value, when the caller has one.
fn fill_secret(connection: &mut Connection, secrets: &Secrets) {
    if let idconn_core::Settings::OAuth(settings) = &mut connection.settings
        && settings.client_secret == ClientSecret::Masked
        && let Some(secret) = secrets.get(&connection.name)
    {
        settings.client_secret = secret;
    }
}
