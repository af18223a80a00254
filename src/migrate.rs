//! `migrate`: every connection of one vendor, created or updated on another.
//!
//! A migration is a plan of the source's connections against the target, then an apply, so a
//! re-run of a finished migration finds everything unchanged and writes nothing.

use futures::TryStreamExt;
use idconn_core::{ClientSecret, Connection, IdentityConnectionProvider, Policy, Vendor, list_all};
use serde::Serialize;

use crate::apply::{ConnectionOutcome, Outcome, Progress, apply_with_progress, preview};
use crate::plan::{PlanOptions, plan};
use crate::secrets::Secrets;
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
}

impl Default for MigrateOptions {
    fn default() -> Self {
        MigrateOptions {
            secrets: Secrets::new(),
            policy: Policy::STRICT,
            concurrency: 8,
            dry_run: false,
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
}

impl MigrationReport {
    /// How many connections have the outcome labelled `label` (see [`Outcome::label`]).
    pub fn count(&self, label: &str) -> usize {
        self.connections
            .iter()
            .filter(|c| c.outcome.label() == label)
            .count()
    }

    /// True when no connection failed.
    pub fn succeeded(&self) -> bool {
        self.count("failed") == 0
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

/// Reads every connection of `from` (through [`list_all`]), and creates or updates each on
/// `to`, reporting each finished connection to `progress`.
///
/// A secret the source masks is taken from `options.secrets`; a connection whose secret is
/// still unknown is skipped with the reason, never created without it. Under a strict policy,
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
    let source: Vec<Connection> = list_all(from, None).try_collect().await?;
    tracing::info!(from = %from.vendor(), to = %to.vendor(), connections = source.len(), "migration source read");

    let mut ready = Vec::with_capacity(source.len());
    let mut unknown_secret = Vec::new();
    for (index, mut connection) in source.into_iter().enumerate() {
        connection.id = None;
        if let Err(reason) = fill_secret(&mut connection, &options.secrets, from.vendor()) {
            unknown_secret.push((index, skipped(&connection, reason)));
        } else {
            ready.push((index, connection));
        }
    }

    let desired: Vec<Connection> = ready.iter().map(|(_, c)| c.clone()).collect();
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
        apply_with_progress(to, &plan, options.concurrency, progress).await?
    };

    // Put the skipped ones back in the source's order.
    let mut connections: Vec<(usize, ConnectionOutcome)> = ready
        .iter()
        .map(|(index, _)| *index)
        .zip(applied.connections)
        .chain(unknown_secret)
        .collect();
    connections.sort_by_key(|(index, _)| *index);
    Ok(MigrationReport {
        from: from.vendor(),
        to: to.vendor(),
        dry_run: options.dry_run,
        connections: connections.into_iter().map(|(_, c)| c).collect(),
    })
}

/// Replaces a masked secret by the caller's value, or says why the connection cannot move.
fn fill_secret(connection: &mut Connection, secrets: &Secrets, from: Vendor) -> Result<(), String> {
    let idconn_core::Settings::OAuth(settings) = &mut connection.settings else {
        return Ok(());
    };
    if settings.client_secret != ClientSecret::Masked {
        return Ok(());
    }
    match secrets.get(&connection.name) {
        Some(secret) => {
            settings.client_secret = secret;
            Ok(())
        }
        None => Err(format!(
            "{from} does not show its client secret and the secrets given have no entry \"{}\"; a connection is never created without its secret",
            connection.name
        )),
    }
}

fn skipped(connection: &Connection, reason: String) -> ConnectionOutcome {
    ConnectionOutcome {
        name: connection.name.clone(),
        target_name: connection.name.clone(),
        outcome: Outcome::Skipped { reason },
        losses: Vec::new(),
    }
}
