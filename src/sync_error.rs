//! The one error type of the sync engine (plan, apply, migrate).

use std::fmt;

use idconn_core::{TranslationReport, Vendor};

use crate::document::DocumentError;

/// Why a plan, apply or migration did not run.
///
/// Per-connection write failures are not errors of the run: they are outcomes in the report.
/// `Display` is one sentence; [`SyncError::Refused`] and [`SyncError::Invalid`] carry every
/// connection at fault for the caller to list.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The policy refuses what some connections would lose in the target. Nothing was written.
    #[error(
        "{vendor} cannot represent {} connection(s) without loss under the {}; nothing was written",
        reports.len(),
        policy_name(*lenient)
    )]
    Refused {
        /// The target vendor.
        vendor: Vendor,
        /// Whether the refusing policy was lenient (then only widenings are refused).
        lenient: bool,
        /// Per refused connection, every loss the policy refuses.
        reports: Vec<TranslationReport>,
    },

    /// Some connections break the target's local rules (a bad URL, a name that collides after
    /// the vendor's rewrite). Nothing was written.
    #[error("{} connection(s) cannot be written to {vendor}: {}", errors.len(), first(errors))]
    Invalid {
        /// The target vendor.
        vendor: Vendor,
        /// Every connection at fault.
        errors: Vec<ConnectionError>,
    },

    /// Reading the current state (or the source) failed.
    #[error("{0}")]
    Provider(#[from] idconn_core::Error),

    /// A file could not be read.
    #[error("{0}")]
    Document(#[from] DocumentError),
}

/// One connection's error, by name; its [`source`](std::error::Error::source) is the error.
#[derive(Debug, Clone)]
pub struct ConnectionError {
    /// The connection's name in the source document.
    pub connection: String,
    /// What is wrong with it.
    pub error: idconn_core::Error,
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "connection {}: {}",
            idconn_core::validate::quoted(&self.connection),
            self.error
        )
    }
}

impl std::error::Error for ConnectionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

fn policy_name(lenient: bool) -> &'static str {
    if lenient {
        "lenient policy (widening access is never implied)"
    } else {
        "strict policy"
    }
}

fn first(errors: &[ConnectionError]) -> String {
    match errors {
        [] => String::new(),
        [one] => one.to_string(),
        [one, rest @ ..] => format!("{one} (and {} more)", rest.len()),
    }
}
