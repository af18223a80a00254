//! Applications in the sync engine: checking the names a desired set uses against the target's
//! applications before any write, and what a plan adds and removes per connection.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use futures::{StreamExt, TryStreamExt};
use idconn_core::{
    ApplicationDirectory, ApplicationSupport, Applications, Connection, IdentityConnectionProvider,
    Result,
};
use serde::Serialize;

use crate::document::{DocumentError, Format, parse_value};

/// How many application reads are in flight at once.
const READ_CONCURRENCY: usize = 8;

/// The applications a plan enables and disables for one connection, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplicationChanges {
    /// Applications that will be able to use the connection.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    /// Applications that will no longer be able to use it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

impl ApplicationChanges {
    /// What turns `current` (`None`: a connection not created yet) into `desired`, where every
    /// name is one application; `None` when nothing changes.
    pub(crate) fn between(
        current: Option<&BTreeSet<String>>,
        desired: &BTreeSet<String>,
    ) -> Option<ApplicationChanges> {
        let empty = BTreeSet::new();
        let current = current.unwrap_or(&empty);
        let changes = ApplicationChanges {
            added: desired.difference(current).cloned().collect(),
            removed: current.difference(desired).cloned().collect(),
        };
        (!changes.added.is_empty() || !changes.removed.is_empty()).then_some(changes)
    }

    /// `+a, +b, -c`, for tables.
    pub fn summary(&self) -> String {
        let added = self.added.iter().map(|n| format!("+{n}"));
        let removed = self.removed.iter().map(|n| format!("-{n}"));
        added.chain(removed).collect::<Vec<_>>().join(", ")
    }
}

/// The target's applications, when some desired connection names applications and the target
/// enables connections per application; `None` otherwise (nothing to resolve).
pub(crate) async fn directory_for<P>(
    provider: &P,
    desired: impl IntoIterator<Item = &Connection>,
) -> Result<Option<ApplicationDirectory>>
where
    P: IdentityConnectionProvider + ?Sized,
{
    let per_application =
        provider.capabilities().applications == ApplicationSupport::PerApplication;
    if per_application && desired.into_iter().any(|c| c.applications.is_some()) {
        let applications = provider.list_applications().await?;
        Ok(Some(ApplicationDirectory::new(
            provider.vendor(),
            applications,
        )))
    } else {
        Ok(None)
    }
}

/// The names `applications` stands for on a target with this directory: every application's
/// for "all" (`None` without a directory: the target holds "all" itself).
pub(crate) fn names_on(
    applications: &Applications,
    directory: Option<&ApplicationDirectory>,
) -> Option<BTreeSet<String>> {
    match (applications, directory) {
        (Applications::Only(names), _) => Some(names.clone()),
        (Applications::All, Some(directory)) => Some(directory.names()),
        (Applications::All, None) => None,
    }
}

/// The applications of each `(index, id)` connection, read a few at a time.
pub(crate) async fn read_applications<P>(
    provider: &P,
    connections: Vec<(usize, String)>,
) -> Result<Vec<(usize, Applications)>>
where
    P: IdentityConnectionProvider + ?Sized,
{
    futures::stream::iter(connections)
        .map(|(index, id)| async move {
            let applications = provider.applications(&id).await?;
            Ok::<_, idconn_core::Error>((index, applications))
        })
        .buffer_unordered(READ_CONCURRENCY)
        .try_collect()
        .await
}

/// Reads a map of source application name to target application name (JSON, or YAML for
/// `.yaml`/`.yml`), for [`MigrateOptions::application_names`](crate::MigrateOptions).
pub fn read_application_names(path: &Path) -> Result<BTreeMap<String, String>, DocumentError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| DocumentError::Read {
        file: file.clone(),
        message: e.to_string(),
    })?;
    let names: BTreeMap<String, String> = parse_value(&text, Format::from_path(path), &file)?;
    if let Some((source, _)) = names.iter().find(|(_, target)| target.trim().is_empty()) {
        return Err(DocumentError::Invalid {
            file,
            path: source.clone(),
            message: "the target application name is empty".into(),
        });
    }
    Ok(names)
}

/// Reads which applications may use each connection (`get`, `find` and `list` leave it
/// unset), a few connections at a time. Connections without an id are left as they are.
pub async fn fill_applications<P>(provider: &P, connections: &mut [Connection]) -> Result<()>
where
    P: IdentityConnectionProvider + ?Sized,
{
    let ids: Vec<(usize, String)> = connections
        .iter()
        .enumerate()
        .filter_map(|(index, c)| Some((index, c.id.clone()?)))
        .collect();
    for (index, applications) in read_applications(provider, ids).await? {
        connections[index].applications = Some(applications);
    }
    Ok(())
}
