//! `apply`: carries out a [`Plan`] with bounded concurrency, one outcome per connection.

use futures::StreamExt;
use idconn_core::{Error, IdentityConnectionProvider, Loss, Mode, Note, Vendor};
use serde::Serialize;

use crate::applications::ApplicationChanges;
use crate::plan::{Action, Change, Plan};
use crate::stop::StopSignal;
use crate::sync_error::SyncError;

/// What happened to one connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Created, with the target's id.
    Created {
        /// The target's id.
        id: Option<String>,
    },
    /// Updated.
    Updated {
        /// The target's id.
        id: Option<String>,
        /// The fields that changed.
        changed: Vec<String>,
    },
    /// Deleted.
    Deleted {
        /// The target's id.
        id: Option<String>,
    },
    /// Already as desired; nothing written.
    Unchanged,
    /// Left alone, for the reason given.
    Skipped {
        /// Why.
        reason: String,
    },
    /// A dry run: this is what would happen.
    Planned {
        /// The planned action (`create`, `update`, `delete`).
        action: String,
        /// For updates, the fields that would change.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        changed: Vec<String>,
    },
    /// Not written: the run was stopped ([`StopSignal`]) before this write started. The
    /// target is as it was for this connection; a re-run writes it.
    NotStarted {
        /// The action the plan had for it (`create`, `update`, `delete`).
        action: String,
    },
    /// The write failed.
    Failed {
        /// Why, to match on; serialized as its one sentence (the vendor's code and request id
        /// where known; never a secret).
        #[serde(serialize_with = "as_sentence")]
        error: Error,
    },
}

fn as_sentence<S: serde::Serializer>(error: &Error, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(error)
}

impl Outcome {
    /// A one-word label: `created`, `updated`, `deleted`, `unchanged`, `skipped`, `planned`,
    /// `not_started`, `failed`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Created { .. } => "created",
            Outcome::Updated { .. } => "updated",
            Outcome::Deleted { .. } => "deleted",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Planned { .. } => "planned",
            Outcome::NotStarted { .. } => "not_started",
            Outcome::Failed { .. } => "failed",
        }
    }

    /// True when this outcome is a write that reached the target: created, updated or deleted.
    pub fn is_written(&self) -> bool {
        matches!(
            self,
            Outcome::Created { .. } | Outcome::Updated { .. } | Outcome::Deleted { .. }
        )
    }
}

/// One connection's outcome, with what its translation lost.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionOutcome {
    /// The connection's name in the source (the document, or the migration's source vendor).
    pub name: String,
    /// The name the target holds it under.
    pub target_name: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// What the translation lost (empty when exact).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub losses: Vec<Loss>,
    /// What the translation carried in a way worth knowing (never a refusal).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The applications enabled and disabled for it (planned, or written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applications: Option<ApplicationChanges>,
    /// Applications the source named that the target has none of (a migration), left out
    /// while the others converge.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_applications: Vec<String>,
}

/// Every connection's outcome, in the plan's order.
#[derive(Debug, Clone, Serialize)]
pub struct ApplyReport {
    /// The target vendor.
    pub vendor: Vendor,
    /// One entry per planned connection.
    pub connections: Vec<ConnectionOutcome>,
    /// True when a [`StopSignal`] left some of the plan's writes not started
    /// ([`Outcome::NotStarted`]): the target holds only part of the plan, and a re-run does
    /// the rest.
    pub interrupted: bool,
}

/// How many connections ended each way, for an [`ApplyReport`] or a
/// [`MigrationReport`](crate::MigrationReport).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OutcomeCounts {
    /// [`Outcome::Created`].
    pub created: usize,
    /// [`Outcome::Updated`].
    pub updated: usize,
    /// [`Outcome::Deleted`].
    pub deleted: usize,
    /// [`Outcome::Unchanged`].
    pub unchanged: usize,
    /// [`Outcome::Skipped`].
    pub skipped: usize,
    /// [`Outcome::Planned`] (a dry run).
    pub planned: usize,
    /// [`Outcome::NotStarted`] (a run stopped by a [`StopSignal`]).
    pub not_started: usize,
    /// [`Outcome::Failed`].
    pub failed: usize,
    /// Connections whose translation lost something, whatever their outcome.
    pub with_losses: usize,
}

impl OutcomeCounts {
    /// The counts of `outcomes`.
    pub fn of(outcomes: &[ConnectionOutcome]) -> Self {
        let mut counts = OutcomeCounts::default();
        for connection in outcomes {
            let slot = match connection.outcome {
                Outcome::Created { .. } => &mut counts.created,
                Outcome::Updated { .. } => &mut counts.updated,
                Outcome::Deleted { .. } => &mut counts.deleted,
                Outcome::Unchanged => &mut counts.unchanged,
                Outcome::Skipped { .. } => &mut counts.skipped,
                Outcome::Planned { .. } => &mut counts.planned,
                Outcome::NotStarted { .. } => &mut counts.not_started,
                Outcome::Failed { .. } => &mut counts.failed,
            };
            *slot += 1;
            if !connection.losses.is_empty() {
                counts.with_losses += 1;
            }
        }
        counts
    }

    /// The writes that reached the target: created, updated and deleted.
    pub fn written(&self) -> usize {
        self.created + self.updated + self.deleted
    }

    /// The writes the plan had: those written, those that failed, those not started (and, in
    /// a dry run, those planned). An interrupted run wrote [`written`](Self::written) of these.
    pub fn writes(&self) -> usize {
        self.written() + self.failed + self.not_started + self.planned
    }
}

impl ApplyReport {
    /// How many connections ended each way.
    pub fn counts(&self) -> OutcomeCounts {
        OutcomeCounts::of(&self.connections)
    }

    /// True when no write failed.
    pub fn succeeded(&self) -> bool {
        self.counts().failed == 0
    }
}

/// Follows a long run, one call per finished connection. Implemented by the CLI's progress bar.
pub trait Progress: Send {
    /// A phase begins (`applying`), with the number of connections it will report.
    fn begin(&mut self, _phase: &str, _total: u64) {}
    /// One connection is done.
    fn done(&mut self, _outcome: &ConnectionOutcome) {}
    /// The phase ended.
    fn finish(&mut self) {}
}

/// Reports nothing.
impl Progress for () {}

/// How [`apply_with_options`] runs.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// The most writes in flight at once (at least one is always allowed).
    pub concurrency: usize,
    /// Once triggered, no new write starts; those in flight finish and are reported. Never
    /// triggered by default.
    pub stop: StopSignal,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            concurrency: 8,
            stop: StopSignal::new(),
        }
    }
}

impl ApplyOptions {
    /// These options with at most `concurrency` writes in flight.
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// These options stopped by `stop` (a clone of the signal the caller triggers).
    pub fn with_stop(mut self, stop: StopSignal) -> Self {
        self.stop = stop;
        self
    }
}

/// Carries out `plan` on `provider`, at most `concurrency` writes at a time.
///
/// Before any request the plan's translations are checked again against its policy: if any
/// would be refused (a plan built by hand), nothing is written and [`SyncError::Refused`] lists
/// them all. A failed write is that connection's outcome; the others go on.
pub async fn apply<P>(
    provider: &P,
    plan: &Plan,
    concurrency: usize,
) -> Result<ApplyReport, SyncError>
where
    P: IdentityConnectionProvider + ?Sized,
{
    apply_with_progress(provider, plan, concurrency, &mut ()).await
}

/// [`apply`], reporting each finished connection to `progress`.
pub async fn apply_with_progress<P>(
    provider: &P,
    plan: &Plan,
    concurrency: usize,
    progress: &mut dyn Progress,
) -> Result<ApplyReport, SyncError>
where
    P: IdentityConnectionProvider + ?Sized,
{
    let options = ApplyOptions::default().with_concurrency(concurrency);
    apply_with_options(provider, plan, &options, progress).await
}

/// [`apply_with_progress`] with every option: at most `options.concurrency` writes in flight,
/// and none started once `options.stop` is triggered.
///
/// A stopped run still returns its report: the writes that were in flight when the signal came
/// finished and carry their outcomes, the ones never started are [`Outcome::NotStarted`], and
/// [`ApplyReport::interrupted`] is set. Applying the same plan's document again plans only what
/// is left, so nothing is written twice.
pub async fn apply_with_options<P>(
    provider: &P,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &mut dyn Progress,
) -> Result<ApplyReport, SyncError>
where
    P: IdentityConnectionProvider + ?Sized,
{
    let concurrency = options.concurrency;
    let stop = &options.stop;
    check_policy(plan)?;
    let writes = plan.changes.iter().filter(|c| c.action.writes()).count();
    progress.begin("applying", writes as u64);
    let mut outcomes: Vec<Option<ConnectionOutcome>> = plan
        .changes
        .iter()
        .map(|change| (!change.action.writes()).then(|| unwritten(change)))
        .collect();
    // The write futures are built up front (they do nothing until polled) so that no closure
    // over borrowed items is part of the stream's type: with one, the compiler cannot prove the
    // whole future `Send` ("FnOnce is not general enough"), and library users could not spawn it.
    let pending: Vec<_> = plan
        .changes
        .iter()
        .enumerate()
        .filter(|(_, change)| change.action.writes())
        .map(|(index, change)| write_at(provider, plan, index, change, stop))
        .collect();
    let mut finished = futures::stream::iter(pending).buffer_unordered(concurrency.max(1));
    while let Some((index, outcome)) = finished.next().await {
        // A write never started is not progress: the bar stops where the writing stopped.
        if !matches!(outcome.outcome, Outcome::NotStarted { .. }) {
            progress.done(&outcome);
        }
        outcomes[index] = Some(outcome);
    }
    progress.finish();
    let connections: Vec<ConnectionOutcome> = outcomes.into_iter().flatten().collect();
    let interrupted = connections
        .iter()
        .any(|c| matches!(c.outcome, Outcome::NotStarted { .. }));
    if interrupted {
        tracing::warn!(vendor = %plan.vendor, "stopped before every write started");
    }
    Ok(ApplyReport {
        vendor: plan.vendor,
        connections,
        interrupted,
    })
}

/// The outcomes `apply` would have, without writing: a dry run's report.
pub fn preview(plan: &Plan) -> ApplyReport {
    ApplyReport {
        vendor: plan.vendor,
        interrupted: false,
        connections: plan
            .changes
            .iter()
            .map(|change| {
                if change.action.writes() {
                    let changed = match &change.action {
                        Action::Update { changed } => changed.clone(),
                        _ => Vec::new(),
                    };
                    outcome(
                        change,
                        Outcome::Planned {
                            action: change.action.label().to_string(),
                            changed,
                        },
                    )
                } else {
                    unwritten(change)
                }
            })
            .collect(),
    }
}

fn check_policy(plan: &Plan) -> Result<(), SyncError> {
    let refused: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action.writes())
        .filter_map(|c| match plan.policy.enforce(&c.report) {
            Err(Error::Unrepresentable { losses, .. }) => Some(idconn_core::TranslationReport {
                vendor: plan.vendor,
                connection: c.name.clone(),
                losses,
                notes: Vec::new(),
            }),
            _ => None,
        })
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(SyncError::Refused {
            vendor: plan.vendor,
            lenient: plan.policy.mode == Mode::Lenient,
            reports: refused,
        })
    }
}

async fn write_at<P>(
    provider: &P,
    plan: &Plan,
    index: usize,
    change: &Change,
    stop: &StopSignal,
) -> (usize, ConnectionOutcome)
where
    P: IdentityConnectionProvider + ?Sized,
{
    // `buffer_unordered` first polls this future when a slot frees up, which is when the
    // write would start: the signal is looked at then, so a stopped run starts nothing new
    // while the writes already sent finish.
    if stop.is_triggered() {
        let not_started = Outcome::NotStarted {
            action: change.action.label().to_string(),
        };
        return (index, outcome(change, not_started));
    }
    (index, write(provider, plan, change).await)
}

async fn write<P>(provider: &P, plan: &Plan, change: &Change) -> ConnectionOutcome
where
    P: IdentityConnectionProvider + ?Sized,
{
    let result = match (&change.action, &change.desired, &change.id) {
        (Action::Create, Some(desired), _) => {
            provider
                .create(desired, &plan.policy)
                .await
                .map(|applied| Outcome::Created {
                    id: applied.connection.id,
                })
        }
        (Action::Update { changed }, Some(desired), Some(id)) => provider
            .update(id, desired, &plan.policy)
            .await
            .map(|applied| Outcome::Updated {
                id: applied.connection.id.or_else(|| Some(id.clone())),
                changed: changed.clone(),
            }),
        (Action::Delete, _, Some(id)) => provider.delete(id).await.map(|()| Outcome::Deleted {
            id: Some(id.clone()),
        }),
        _ => Err(Error::invalid(
            "plan",
            format!(
                "the {} of \"{}\" lacks its connection or id",
                change.action.label(),
                change.name
            ),
        )),
    };
    let outcome = result.unwrap_or_else(|error| Outcome::Failed { error });
    match &outcome {
        Outcome::Failed { error } => {
            tracing::warn!(vendor = %plan.vendor, connection = %change.name, %error, "write failed");
        }
        done => {
            tracing::info!(vendor = %plan.vendor, connection = %change.name, outcome = done.label(), "written");
        }
    }
    self::outcome(change, outcome)
}

fn unwritten(change: &Change) -> ConnectionOutcome {
    let outcome = match &change.action {
        Action::Skip { reason } => Outcome::Skipped {
            reason: reason.clone(),
        },
        _ => Outcome::Unchanged,
    };
    self::outcome(change, outcome)
}

fn outcome(change: &Change, outcome: Outcome) -> ConnectionOutcome {
    ConnectionOutcome {
        name: change.name.clone(),
        target_name: change.target_name.clone(),
        applications: match &outcome {
            Outcome::Failed { .. }
            | Outcome::Skipped { .. }
            | Outcome::Unchanged
            | Outcome::NotStarted { .. } => None,
            _ => change.applications.clone(),
        },
        outcome,
        losses: change.report.losses.clone(),
        notes: change.report.notes.clone(),
        missing_applications: Vec::new(),
    }
}
