//! Finding or creating a new connection's parent identity source (ext-idp); which one it is
//! is decided in [`crate::mapping::placement`].

use idconn_core::Result;
use idconn_core::http::write_reconciled;

use super::api::Api;
use crate::config::Placement;
use crate::mapping::placement::{Parent, is_parent_for, parent};

/// The parent for a new connection of `connection_type` named `name`, and whether it was
/// created for it.
///
/// [`Placement::FindOrCreate`] reuses the source of the matching type named after the
/// connection, or creates one; creating it is reconciled after ambiguous failures, so a
/// retried run makes one source.
pub async fn parent_for(
    api: &Api,
    placement: &Placement,
    connection_type: &str,
    name: &str,
) -> Result<(String, bool)> {
    let kind = match parent(placement, connection_type)? {
        Parent::Fixed(id) => return Ok((id.to_string(), false)),
        Parent::FindOrCreate { source_type } => source_type,
    };
    let lookup = || async {
        Ok(api
            .list_ext_idps()
            .await?
            .into_iter()
            .find(|idp| is_parent_for(idp, kind, name))
            .map(|idp| idp.id))
    };
    if let Some(id) = lookup().await? {
        return Ok((id, false));
    }
    let created = write_reconciled(
        api.http().retry_config(),
        || async { Ok(api.create_ext_idp(name, kind).await?.id) },
        lookup,
    )
    .await?;
    Ok((created, true))
}
