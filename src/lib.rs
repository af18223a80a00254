//! idconn facade

pub mod apply;
mod converge;
pub mod document;
pub mod migrate;
pub mod plan;
pub mod secrets;
mod sync_error;

pub use apply::{ApplyReport, ConnectionOutcome, Outcome, Progress, apply, apply_with_progress};
pub use converge::pending_changes;
pub use document::{Document, DocumentError, Format};
pub use migrate::{MigrateOptions, MigrationReport, migrate, migrate_with_progress};
pub use plan::{Action, Change, Plan, PlanOptions, plan};
pub use secrets::Secrets;
pub use sync_error::{ConnectionError, SyncError};
