//! Resolving discovery-only OIDC connections before they are translated, for vendors that need
//! the endpoints spelled out (ezto auth and Keycloak never read a discovery document, so
//! without this their translation loses the authorization and token endpoints).

use idconn_core::{Connection, Result};
use idconn_onboard::FetchLimits;

/// Fills the endpoints each discovery-only OIDC connection lacks from its discovery document
/// ([`idconn_onboard::resolve_discovery`]); other connections are left as they are. Returns
/// one note per connection resolved. The first document that cannot be read or trusted (an
/// issuer mismatch, an http endpoint, over the size limit) stops it with an error naming it.
pub async fn resolve_discovery(connections: &mut [Connection]) -> Result<Vec<String>> {
    let limits = FetchLimits::discovery();
    let mut notes = Vec::new();
    for connection in connections.iter_mut() {
        if let Some(report) = idconn_onboard::resolve_discovery(connection, &limits).await? {
            for warning in &report.warnings {
                tracing::warn!(connection = %connection.name, "{warning}");
            }
            notes.extend(report.notes);
        }
    }
    Ok(notes)
}
