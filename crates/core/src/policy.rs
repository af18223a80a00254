//! Translation policy and the report every write returns.
//!
//! A backend's mapping says what it could not carry ([`Loss`]); [`Policy::enforce`] is the one
//! place that decides, for every vendor alike, whether that is acceptable.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Connection;
use crate::validate;
use crate::vendor::Vendor;

/// How strictly a translation must keep the source connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Refuse before any request if the target cannot hold something the source has.
    #[default]
    Strict,
    /// Go on and report each loss.
    Lenient,
}

/// What a caller accepts when a connection moves to a vendor that cannot hold all of it.
///
/// `Policy::default()` is strict and refuses widening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Policy {
    /// Strict (the default) or lenient.
    pub mode: Mode,
    /// Accept translations that grant more access than the source (for example a connection
    /// that may not sign users in becoming one that can). Never implied by [`Mode::Lenient`].
    pub allow_widening: bool,
    /// Accept upstream endpoints (authorization, token, userinfo, JWKS, discovery, SAML
    /// sign-in and sign-out) over plain `http://` to hosts other than loopback. Off by default:
    /// the vendor would send the upstream client secret and users' tokens in clear text.
    #[serde(default)]
    pub allow_insecure_endpoints: bool,
}

impl Policy {
    /// Strict, no widening: the default for writes.
    pub const STRICT: Policy = Policy {
        mode: Mode::Strict,
        allow_widening: false,
        allow_insecure_endpoints: false,
    };

    /// Lenient, no widening.
    pub const LENIENT: Policy = Policy {
        mode: Mode::Lenient,
        allow_widening: false,
        allow_insecure_endpoints: false,
    };

    /// This policy with widening allowed (or not).
    pub fn with_widening(self, allow: bool) -> Policy {
        Policy {
            allow_widening: allow,
            ..self
        }
    }

    /// This policy with plain-http upstream endpoints allowed (or not).
    pub fn with_insecure_endpoints(self, allow: bool) -> Policy {
        Policy {
            allow_insecure_endpoints: allow,
            ..self
        }
    }

    /// Decides whether `connection`, translated with this `report`, may be written: its
    /// upstream endpoints must be https ([`validate::upstream_endpoints`]) unless this policy
    /// allows plain http, then [`enforce`](Self::enforce) judges the losses. Every backend calls
    /// it before any request.
    pub fn admit(&self, connection: &Connection, report: &TranslationReport) -> Result<()> {
        validate::upstream_endpoints(connection, self.allow_insecure_endpoints)?;
        self.enforce(report)
    }

    /// Decides whether a translation with these losses may go ahead.
    ///
    /// Strict refuses any loss; every policy refuses a widening unless it is allowed by name.
    /// The error lists every refused loss at once.
    pub fn enforce(&self, report: &TranslationReport) -> Result<()> {
        let refused: Vec<Loss> = report
            .losses
            .iter()
            .filter(|loss| match self.mode {
                Mode::Strict => !(loss.widening && self.allow_widening),
                Mode::Lenient => loss.widening && !self.allow_widening,
            })
            .cloned()
            .collect();
        if refused.is_empty() {
            Ok(())
        } else {
            Err(Error::Unrepresentable {
                vendor: report.vendor,
                connection: report.connection.clone(),
                losses: refused,
            })
        }
    }
}

/// One thing the target could not hold as the source had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loss {
    /// The neutral field, as a path (`purpose.sign_in`, `settings.scopes`, `name`).
    pub field: String,
    /// The source's value, rendered for a person (never a secret).
    pub source: String,
    /// What the target got instead (`(dropped)` when nothing).
    pub target: String,
    /// Why the target cannot hold it.
    pub reason: String,
    /// True when the target value grants more access than the source's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub widening: bool,
}

impl Loss {
    /// A loss where the target keeps nothing of the field.
    pub fn dropped(
        field: impl Into<String>,
        source: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Loss {
            field: field.into(),
            source: source.into(),
            target: "(dropped)".into(),
            reason: reason.into(),
            widening: false,
        }
    }

    /// A loss where the target holds a different value.
    pub fn changed(
        field: impl Into<String>,
        source: impl Into<String>,
        target: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Loss {
            field: field.into(),
            source: source.into(),
            target: target.into(),
            reason: reason.into(),
            widening: false,
        }
    }

    /// Marks this loss as a widening of access.
    pub fn widening(mut self) -> Self {
        self.widening = true;
        self
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} -> {} ({}){}",
            self.field,
            self.source,
            self.target,
            self.reason,
            if self.widening {
                " [widens access]"
            } else {
                ""
            }
        )
    }
}

/// Something a translation did that a person should know of but that loses nothing: a setting
/// carried under a key the vendor's own client code shows but its API documentation does not,
/// or a value the target derives from another. The policy never refuses a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The neutral field, as a path (`settings.issuer`).
    pub field: String,
    /// What the translation did, for a person.
    pub reason: String,
}

impl Note {
    /// A note on `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Note {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Everything one translation could not carry, for one connection and one target vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationReport {
    /// The target vendor.
    pub vendor: Vendor,
    /// The connection's name in the source.
    pub connection: String,
    /// One entry per loss; empty when the translation is exact.
    pub losses: Vec<Loss>,
    /// What was carried in a way worth knowing (never refused; see [`Note`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

impl TranslationReport {
    /// An empty report.
    pub fn new(vendor: Vendor, connection: impl Into<String>) -> Self {
        TranslationReport {
            vendor,
            connection: connection.into(),
            losses: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// True when nothing was lost.
    pub fn is_exact(&self) -> bool {
        self.losses.is_empty()
    }

    /// Records a loss.
    pub fn push(&mut self, loss: Loss) {
        self.losses.push(loss);
    }

    /// Records a note.
    pub fn note(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.notes.push(Note::new(field, reason));
    }
}

/// The outcome of a pure translation: what would be sent, and what it loses.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The connection as the target will hold it (read back through the target's mapping).
    pub connection: Connection,
    /// The vendor request body that a create would send (secrets shown as the vendor's mask
    /// or left out: this value is safe to print). A backend that writes part of a connection
    /// at routes of its own shows those bodies too, under a key it documents (ezto auth and
    /// Keycloak: the attribute mapping's mappers, under `mappers`).
    pub payload: serde_json::Value,
    /// The losses.
    pub report: TranslationReport,
}

/// The outcome of a write: the state the server now holds, and what the translation lost.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The connection as read back from the server.
    pub connection: Connection,
    /// The losses of the translation that was written.
    pub report: TranslationReport,
}
