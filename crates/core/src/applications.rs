//! Applications on a tenant: resolving the names documents use to the vendor's ids, the
//! switches that turn one set into another, and what an `enabled` flag means on a vendor that
//! enables connections per application.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::model::{Application, Applications, Connection};
use crate::policy::Loss;
use crate::vendor::Vendor;

/// A tenant's applications, read once, for turning names into ids and back.
#[derive(Debug, Clone)]
pub struct ApplicationDirectory {
    vendor: Vendor,
    by_name: BTreeMap<String, Vec<String>>,
    by_id: BTreeMap<String, String>,
}

impl ApplicationDirectory {
    /// The directory of `applications`, the whole list a `vendor` tenant holds.
    pub fn new(vendor: Vendor, applications: impl IntoIterator<Item = Application>) -> Self {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut by_id = BTreeMap::new();
        for application in applications {
            by_name
                .entry(application.name.clone())
                .or_default()
                .push(application.id.clone());
            by_id.insert(application.id, application.name);
        }
        ApplicationDirectory {
            vendor,
            by_name,
            by_id,
        }
    }

    /// Every application's id.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// Every distinct application name.
    pub fn names(&self) -> BTreeSet<String> {
        self.by_name.keys().cloned().collect()
    }

    /// True when an application has this name.
    pub fn has(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The names of `names` that no application has, in order.
    pub fn missing<'a>(&self, names: &'a BTreeSet<String>) -> Vec<&'a str> {
        names
            .iter()
            .filter(|n| !self.has(n))
            .map(String::as_str)
            .collect()
    }

    /// The ids of the applications `wanted` means: every application, or one per name.
    ///
    /// Fails before any write with one [`Error::InvalidInput`] on `applications` naming every
    /// name no application has and every name two or more applications share.
    pub fn resolve(&self, wanted: &Applications) -> Result<BTreeSet<String>> {
        let names = match wanted {
            Applications::All => return Ok(self.by_id.keys().cloned().collect()),
            Applications::Only(names) => names,
        };
        let mut ids = BTreeSet::new();
        let mut faults = Vec::new();
        for name in names {
            match self.by_name.get(name).map(Vec::as_slice) {
                Some([id]) => {
                    ids.insert(id.clone());
                }
                Some(many) if !many.is_empty() => faults.push(format!(
                    "{} {} applications are named \"{name}\" (ids {}); rename all but one",
                    many.len(),
                    self.vendor,
                    many.join(", ")
                )),
                _ => faults.push(format!(
                    "no {} application is named \"{name}\"",
                    self.vendor
                )),
            }
        }
        if faults.is_empty() {
            Ok(ids)
        } else {
            Err(Error::invalid("applications", faults.join("; ")))
        }
    }

    /// The names of the applications with these ids. An id no application has (one deleted
    /// since the list was read) is named by the id itself, so it is shown rather than dropped.
    pub fn names_of<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Applications {
        Applications::Only(
            ids.into_iter()
                .map(|id| {
                    self.by_id
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string())
                })
                .collect(),
        )
    }
}

/// The `(id, enabled)` switches that turn the enabled set `current` into `desired`: every id
/// whose state changes, enables first, each in id order.
pub fn application_switches(
    current: &BTreeSet<String>,
    desired: &BTreeSet<String>,
) -> Vec<(String, bool)> {
    let enable = desired.difference(current).map(|id| (id.clone(), true));
    let disable = current.difference(desired).map(|id| (id.clone(), false));
    enable.chain(disable).collect()
}

/// What a vendor that keeps no on/off flag on a connection, and enables it per application
/// instead (Auth0, GenAuth), holds of the connection's `enabled` and `applications`: the
/// applications to write (`None`: leave the vendor's) and what that loses.
///
/// A connection that is off is enabled for no application. One that is on is on for the
/// applications it names; naming none loses the flag.
pub fn enabled_as_applications(
    connection: &Connection,
    vendor: Vendor,
) -> (Option<Applications>, Vec<Loss>) {
    let none = Applications::none();
    let applications = connection.applications.clone();
    match (connection.enabled, applications) {
        (None, applications) => (applications, Vec::new()),
        (Some(true), Some(applications)) if applications != none => {
            (Some(applications), Vec::new())
        }
        (Some(true), applications) => {
            let loss = Loss::dropped(
                "enabled",
                "true",
                format!(
                    "{vendor} has no on/off switch on a connection: it is on for the applications \
                     it is enabled for, and `applications` names none"
                ),
            );
            (applications, vec![loss])
        }
        (Some(false), Some(applications)) if applications != none => {
            let loss = Loss::changed(
                "applications",
                applications.to_string(),
                none.to_string(),
                format!(
                    "{vendor} has no on/off switch on a connection: one that is off is enabled \
                     for no application"
                ),
            );
            (Some(none), vec![loss])
        }
        (Some(false), _) => (Some(none), Vec::new()),
    }
}

/// Whether `held` says what `source` said about being on, in the form of a vendor that
/// enables connections per application: a source that is off (`enabled: false`, naming no
/// application) is held as enabled for no application, with no flag. A round-trip check uses
/// this to tell that reshaping from a loss.
pub fn off_held_as_no_applications(source: &Connection, held: &Connection) -> bool {
    let none = Applications::none();
    source.enabled == Some(false)
        && source.applications.as_ref().is_none_or(|a| *a == none)
        && held.enabled.is_none()
        && held.applications == Some(none)
}
