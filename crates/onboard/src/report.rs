//! What onboarding returns: the connection, and what it could not carry.

use idconn_core::Connection;
use serde::Serialize;

/// A connection built from a customer's IdP, and the report of what went into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Onboarded {
    /// The neutral connection, ready for `plan`/`apply` on any vendor.
    pub connection: Connection,
    /// Warnings and notes about the input.
    pub report: OnboardReport,
}

/// What the input said that the connection does not carry, and the choices made for it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct OnboardReport {
    /// Things to act on before going live (an expired certificate, expired metadata, a
    /// requested scope the IdP does not list). They never stop onboarding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Choices made (which binding was chosen) and facts the neutral model cannot hold (other
    /// bindings, encryption certificates, the IdP's supported scopes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl OnboardReport {
    pub(crate) fn warn(&mut self, text: impl Into<String>) {
        self.warnings.push(text.into());
    }

    pub(crate) fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.warnings.is_empty() && self.notes.is_empty()
    }
}
