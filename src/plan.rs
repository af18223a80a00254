//! `plan`: what it takes to make a vendor hold a set of neutral connections, computed from one
//! read of the current state and pure translations. Nothing is written.

use std::collections::HashMap;

use idconn_core::{
    Connection, DEFAULT_READ_CONCURRENCY, Error, IdentityConnectionProvider, Listing, Mode, Policy,
    Skipped, TranslationReport, Vendor, read_all_complete,
};
use serde::Serialize;

use crate::applications::{ApplicationChanges, directory_for, names_on, read_applications};
use crate::converge::{pending_changes, same_login_source};
use crate::sync_error::{ConnectionError, SyncError};

/// Translating with this policy yields every loss; the caller's policy then decides.
const SEE_EVERYTHING: Policy = Policy {
    mode: Mode::Lenient,
    allow_widening: true,
    allow_insecure_endpoints: false,
};

/// What `plan` does beyond comparing.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// The translation policy the writes will use.
    pub policy: Policy,
    /// Delete the target's connections that the desired set does not name.
    pub prune: bool,
}

/// What happens to one connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// The target has no such connection: create it.
    Create,
    /// The target holds it differently: update these neutral fields.
    Update {
        /// The changed fields, as dotted paths (`settings.scopes`).
        changed: Vec<String>,
    },
    /// The target holds it and the desired set does not name it (only with `prune`).
    Delete,
    /// The target already holds it as desired.
    Unchanged,
    /// It is left alone, for the reason given.
    Skip {
        /// Why, in one sentence.
        reason: String,
    },
}

impl Action {
    /// True for the actions that write.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Action::Create | Action::Update { .. } | Action::Delete
        )
    }

    /// A one-word label: `create`, `update`, `delete`, `unchanged`, `skip`.
    pub fn label(&self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update { .. } => "update",
            Action::Delete => "delete",
            Action::Unchanged => "unchanged",
            Action::Skip { .. } => "skip",
        }
    }
}

/// One connection's planned change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The connection's name in the desired set (for a delete: in the target).
    pub name: String,
    /// The name the target holds it under: the vendor's deterministic rewrite when the
    /// translation changed the name.
    pub target_name: String,
    /// The target's id of the matched connection (updates, deletes, unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What happens.
    #[serde(flatten)]
    pub action: Action,
    /// Everything the translation to the target loses (empty for deletes).
    pub report: TranslationReport,
    /// The desired connection as given (no vendor id), for creates and updates.
    #[serde(skip)]
    pub desired: Option<Connection>,
    /// The applications the write enables and disables, when the desired connection names
    /// its applications and they differ from the target's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applications: Option<ApplicationChanges>,
}

/// What `apply` would do, per connection, in the desired set's order (deletes last).
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The target vendor.
    pub vendor: Vendor,
    /// The policy the translations were checked against and the writes will use.
    pub policy: Policy,
    /// One entry per connection.
    pub changes: Vec<Change>,
    /// Records the target holds that no connection could be made of: the plan could not
    /// compare them, so a desired connection of the same name may collide with one.
    pub skipped: Vec<Skipped>,
}

impl Plan {
    /// True when applying would write something.
    pub fn has_writes(&self) -> bool {
        self.changes.iter().any(|c| c.action.writes())
    }

    /// How many changes of each action the plan holds.
    pub fn counts(&self) -> ActionCounts {
        let mut counts = ActionCounts::default();
        for change in &self.changes {
            let slot = match change.action {
                Action::Create => &mut counts.create,
                Action::Update { .. } => &mut counts.update,
                Action::Delete => &mut counts.delete,
                Action::Unchanged => &mut counts.unchanged,
                Action::Skip { .. } => &mut counts.skip,
            };
            *slot += 1;
            if !change.report.losses.is_empty() {
                counts.with_losses += 1;
            }
        }
        counts
    }
}

/// How many changes of each [`Action`] a [`Plan`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActionCounts {
    /// [`Action::Create`].
    pub create: usize,
    /// [`Action::Update`].
    pub update: usize,
    /// [`Action::Delete`].
    pub delete: usize,
    /// [`Action::Unchanged`].
    pub unchanged: usize,
    /// [`Action::Skip`].
    pub skip: usize,
    /// Changes whose translation lost something, whatever their action.
    pub with_losses: usize,
}

/// Plans making `provider` hold `desired`.
///
/// Matching is by name, and by the vendor's rewritten name when the translation rewrote it, so
/// a re-run finds what the first run created. Each connection is compared as the target would
/// hold it (its translation) with the state read back, on the fields the desired connection
/// sets. Under a strict policy, if any connection cannot be represented the plan fails with
/// [`SyncError::Refused`] listing every refused loss of every connection; under a lenient one,
/// a connection whose translation would widen access (and widening is not allowed) is skipped
/// with the losses as its reason.
pub async fn plan<P>(
    provider: &P,
    desired: &[Connection],
    options: PlanOptions,
) -> Result<Plan, SyncError>
where
    P: IdentityConnectionProvider + ?Sized,
{
    let vendor = provider.vendor();
    let capabilities = provider.capabilities();
    let translated = translate_all(provider, desired, &options.policy)?;

    // Application names are checked on the target before anything is written.
    let directory = directory_for(provider, translated.iter().map(|t| &t.as_target)).await?;
    if let Some(directory) = &directory {
        let invalid: Vec<ConnectionError> = translated
            .iter()
            .filter_map(|t| {
                let wanted = t.as_target.applications.as_ref()?;
                let error = directory.resolve(wanted).err()?;
                Some(ConnectionError {
                    connection: t.name.clone(),
                    error,
                })
            })
            .collect();
        if !invalid.is_empty() {
            return Err(SyncError::Invalid {
                vendor,
                errors: invalid,
            });
        }
    }

    let Listing {
        connections: mut current,
        skipped,
    } = read_all_complete(provider, None, DEFAULT_READ_CONCURRENCY).await?;
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (index, connection) in current.iter().enumerate() {
        by_name.entry(connection.name.clone()).or_insert(index);
    }
    let mut collisions: Vec<Option<String>> = Vec::with_capacity(translated.len());
    let found: Vec<Option<usize>> = translated
        .iter()
        .map(|item| {
            let found = by_name
                .get(item.source.name.as_str())
                .or_else(|| by_name.get(item.target_name.as_str()))
                .copied();
            // A name the vendor made us rewrite can land on a connection that was never this
            // one (` victim` and `victim`): taking it over would replace another login source.
            let collision = found
                .filter(|&i| current[i].name != item.source.name)
                .filter(|&i| !same_login_source(&current[i], &item.as_target))
                .map(|i| {
                    format!(
                        "{vendor} would hold it as \"{}\", the name of another connection there (a different login source); rename it so the names differ",
                        current[i].name
                    )
                });
            let found = if collision.is_some() { None } else { found };
            collisions.push(collision);
            found
        })
        .collect();
    // Reads leave applications unset: read them where the desired connection names some.
    let to_read: Vec<(usize, String)> = translated
        .iter()
        .zip(&found)
        .filter_map(|(item, found)| {
            let index = (*found)?;
            item.as_target.applications.as_ref()?;
            Some((index, current[index].id.clone()?))
        })
        .collect();
    for (index, applications) in read_applications(provider, to_read).await? {
        current[index].applications = Some(applications);
    }

    let mut matched = vec![false; current.len()];
    let mut changes = Vec::with_capacity(desired.len() + 1);
    for ((item, found), collision) in translated.into_iter().zip(found).zip(collisions) {
        if let Some(index) = found {
            matched[index] = true;
        }
        let existing = found.map(|i| &current[i]);
        // "All" on a target that enables per application means each of its applications.
        let wanted_names = item
            .as_target
            .applications
            .as_ref()
            .and_then(|a| names_on(a, directory.as_ref()));
        let mut as_target = item.as_target.clone();
        if let Some(names) = &wanted_names {
            as_target.applications = Some(idconn_core::Applications::Only(names.clone()));
        }
        let action = match (item.refusal.as_ref().or(collision.as_ref()), existing) {
            (Some(reason), _) => Action::Skip {
                reason: reason.clone(),
            },
            (None, None)
                if item.source.settings.client_secret() == &idconn_core::ClientSecret::Masked =>
            {
                Action::Skip {
                    reason: format!(
                        "its client secret is masked and no value was given for \"{}\" (in the file, or in a migration's secrets); a connection is never created without its secret",
                        item.name
                    ),
                }
            }
            (None, None) => Action::Create,
            (None, Some(current)) => {
                let changed = pending_changes(current, &as_target, &capabilities);
                if changed.is_empty() {
                    Action::Unchanged
                } else {
                    Action::Update { changed }
                }
            }
        };
        let mut source = item.source;
        source.id = None;
        if let Some(current) = existing {
            // Updates address the connection by the name the target holds: the rewrite, when
            // there was one (names are immutable, and the rewrite is what the target has).
            source.name = current.name.clone();
        }
        let applications = match (&wanted_names, action.writes()) {
            (Some(wanted), true) => {
                let held = existing
                    .and_then(|c| c.applications.as_ref())
                    .and_then(|a| names_on(a, directory.as_ref()));
                ApplicationChanges::between(held.as_ref(), wanted)
            }
            _ => None,
        };
        changes.push(Change {
            name: item.name,
            target_name: existing.map_or(item.target_name, |c| c.name.clone()),
            id: existing.and_then(|c| c.id.clone()),
            desired: action.writes().then_some(source),
            action,
            report: item.report,
            applications,
        });
    }

    if options.prune {
        for (connection, _) in current.iter().zip(&matched).filter(|(_, m)| !**m) {
            changes.push(Change {
                name: connection.name.clone(),
                target_name: connection.name.clone(),
                id: connection.id.clone(),
                action: Action::Delete,
                report: TranslationReport::new(vendor, connection.name.clone()),
                desired: None,
                applications: None,
            });
        }
    }
    tracing::debug!(%vendor, changes = changes.len(), "planned");
    Ok(Plan {
        vendor,
        policy: options.policy,
        changes,
        skipped,
    })
}

/// One desired connection with its translation.
struct Translated {
    name: String,
    target_name: String,
    source: Connection,
    as_target: Connection,
    report: TranslationReport,
    /// Set under a lenient policy when the policy refuses a widening.
    refusal: Option<String>,
}

/// Translates every connection, gathering every refusal and every invalid connection so the
/// caller fixes them all in one pass. Strict refusals and invalid inputs fail the whole plan.
fn translate_all<P>(
    provider: &P,
    desired: &[Connection],
    policy: &Policy,
) -> Result<Vec<Translated>, SyncError>
where
    P: IdentityConnectionProvider + ?Sized,
{
    let vendor = provider.vendor();
    let mut out = Vec::with_capacity(desired.len());
    let mut refused = Vec::new();
    let mut invalid = Vec::new();
    let mut translations = Vec::with_capacity(desired.len());
    for connection in desired {
        let mut source = connection.clone();
        source.id = None;
        let see_everything =
            SEE_EVERYTHING.with_insecure_endpoints(policy.allow_insecure_endpoints);
        match provider.translate(&without_masked_secret(&source), &see_everything) {
            Ok(translation) => translations.push((source, translation)),
            Err(error) => invalid.push(ConnectionError {
                connection: connection.name.clone(),
                error,
            }),
        }
    }
    // Who claims each target name: a connection the vendor holds as named claims it before
    // any whose name had to be rewritten onto it.
    let mut claimed: HashMap<&str, &str> = HashMap::new();
    for (source, translation) in &translations {
        if translation.connection.name == source.name {
            claimed.insert(&source.name, &source.name);
        }
    }
    for (source, translation) in &translations {
        claimed
            .entry(&translation.connection.name)
            .or_insert(&source.name);
    }
    let claimed: HashMap<String, String> = claimed
        .into_iter()
        .map(|(target, source)| (target.to_owned(), source.to_owned()))
        .collect();
    for (source, translation) in translations {
        let target_name = translation.connection.name.clone();
        let mut refusal = None;
        if let Some(other) = claimed.get(&target_name).filter(|o| **o != source.name) {
            let reason = format!(
                "{vendor} would hold it as \"{target_name}\", the name connection \"{other}\" of the same document gets; rename one of them"
            );
            match policy.mode {
                Mode::Strict => {
                    invalid.push(ConnectionError {
                        connection: source.name.clone(),
                        error: Error::invalid("name", reason),
                    });
                    continue;
                }
                Mode::Lenient => refusal = Some(reason),
            }
        }
        if let Err(Error::Unrepresentable { losses, .. }) = policy.enforce(&translation.report) {
            let report = TranslationReport {
                vendor,
                connection: source.name.clone(),
                losses,
                notes: Vec::new(),
            };
            match policy.mode {
                Mode::Strict => refused.push(report),
                Mode::Lenient => refusal = refusal.or(Some(refusal_reason(&report))),
            }
        }
        out.push(Translated {
            name: source.name.clone(),
            target_name,
            source,
            as_target: translation.connection,
            report: translation.report,
            refusal,
        });
    }
    if !invalid.is_empty() {
        return Err(SyncError::Invalid {
            vendor,
            errors: invalid,
        });
    }
    if !refused.is_empty() {
        return Err(SyncError::Refused {
            vendor,
            lenient: false,
            reports: refused,
        });
    }
    Ok(out)
}

/// A masked secret (an export without secrets) means "keep the stored one": every backend's
/// update does so, and a create with it is skipped by `plan`. A pure translation cannot know
/// that and reports the secret as lost, so the loss check translates the connection as if no
/// secret were given, which every backend treats the same way on update.
fn without_masked_secret(connection: &Connection) -> std::borrow::Cow<'_, Connection> {
    match &connection.settings {
        idconn_core::Settings::OAuth(s) if s.client_secret == idconn_core::ClientSecret::Masked => {
            let mut plain = connection.clone();
            if let idconn_core::Settings::OAuth(s) = &mut plain.settings {
                s.client_secret = idconn_core::ClientSecret::Absent;
            }
            std::borrow::Cow::Owned(plain)
        }
        _ => std::borrow::Cow::Borrowed(connection),
    }
}

fn refusal_reason(report: &TranslationReport) -> String {
    let losses: Vec<String> = report.losses.iter().map(ToString::to_string).collect();
    format!(
        "refused: it would widen access in {} ({}); allow widening to write it",
        report.vendor,
        losses.join("; ")
    )
}
