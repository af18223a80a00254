//! The one trait every backend implements.

use async_trait::async_trait;
use enum_dispatch::enum_dispatch;

use crate::capabilities::Capabilities;
use crate::error::Result;
use crate::model::{Application, Applications, Connection};
use crate::page::{Page, PageRequest};
use crate::policy::{Applied, Policy, Translation};
use crate::vendor::Vendor;

/// Manage one vendor tenant's identity-provider connections through the neutral model.
///
/// Translation is pure (no I/O), so `plan`, `translate` and dry runs need no network. Every
/// write translates first under the caller's [`Policy`] and returns the report with the
/// server's state. `#[async_trait]` stands above `#[enum_dispatch]` on purpose: the other
/// order does not compile (E0195).
#[async_trait]
#[enum_dispatch]
pub trait IdentityConnectionProvider: Send + Sync {
    /// The vendor behind this provider.
    fn vendor(&self) -> Vendor;

    /// What this vendor can hold and do.
    fn capabilities(&self) -> Capabilities;

    /// Translates a neutral connection into this vendor's create payload, without I/O.
    ///
    /// Fails with [`Error::InvalidInput`](crate::Error::InvalidInput) when the connection breaks
    /// a local rule (name pattern, lengths, URLs), and with
    /// [`Error::Unrepresentable`](crate::Error::Unrepresentable) when the policy refuses its losses.
    fn translate(&self, connection: &Connection, policy: &Policy) -> Result<Translation>;

    /// Creates the connection. Not idempotent on the vendor's side: after an ambiguous failure
    /// the backend looks the name up before trying again, so a retried create never duplicates.
    ///
    /// When the connection names its [`applications`](Connection::applications), they are
    /// resolved on the tenant before anything is written (an unknown or ambiguous name is an
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming it) and enabled once the
    /// connection exists.
    async fn create(&self, connection: &Connection, policy: &Policy) -> Result<Applied>;

    /// Reads one connection by its vendor id.
    async fn get(&self, id: &str) -> Result<Connection>;

    /// Finds a connection by its name (Auth0 `name`, GenAuth `identifier`, ezto `alias`).
    async fn find(&self, name: &str) -> Result<Option<Connection>>;

    /// Reads one page of connections. Use [`list_all`](crate::list_all) to read them all.
    /// A backend may leave out what costs a request per connection (ezto: attribute mappers);
    /// [`complete`](Self::complete) adds it.
    async fn list(&self, page: PageRequest) -> Result<Page<Connection>>;

    /// Adds to a connection [`list`](Self::list) returned what list leaves out, so that it is
    /// whole, as [`get`](Self::get) returns it. The default returns it as it is, for backends
    /// whose list is whole. [`list_all_complete`](crate::list_all_complete) calls it for every
    /// listed connection, a bounded number at a time.
    async fn complete(&self, connection: Connection) -> Result<Connection> {
        Ok(connection)
    }

    /// Makes the connection with vendor id `id` match `connection`, the desired whole
    /// connection. The backend reads the current state and merges over it, so vendor fields the
    /// model does not cover are kept; immutable fields (name, kind) that differ are refused.
    /// Applications are resolved before any write and converged after it, as in
    /// [`create`](Self::create); `None` leaves the vendor's.
    async fn update(&self, id: &str, connection: &Connection, policy: &Policy) -> Result<Applied>;

    /// Deletes the connection with vendor id `id`.
    async fn delete(&self, id: &str) -> Result<()>;

    /// Every application of the tenant (Auth0 clients, GenAuth applications), for resolving the
    /// names documents use. A vendor whose connections serve every application
    /// ([`ApplicationSupport::AllOnly`](crate::ApplicationSupport::AllOnly)) answers
    /// [`Error::Unsupported`](crate::Error::Unsupported): it has no names to resolve.
    async fn list_applications(&self) -> Result<Vec<Application>>;

    /// The applications that may use the connection with vendor id `id`, by name.
    async fn applications(&self, id: &str) -> Result<Applications>;
}
