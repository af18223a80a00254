//! Choosing a new connection's parent identity source (ext-idp).

use idconn_core::http::write_reconciled;
use idconn_core::{Error, Result, Vendor};

use super::api::Api;
use crate::config::Placement;
use crate::mapping::ext_idp_type;

/// The parent for a new connection of `connection_type` named `name`, and whether it was
/// created for it.
///
/// [`Placement::FindOrCreate`] reuses the source of the matching type named after the
/// connection, or creates one (type `oauth2` for connection type `oauth`);
/// creating it is reconciled after ambiguous failures, so a retried run makes one source.
pub async fn parent_for(
    api: &Api,
    placement: &Placement,
    connection_type: &str,
    name: &str,
) -> Result<(String, bool)> {
    let kind = match placement {
        Placement::Fixed(id) => return Ok((id.clone(), false)),
        Placement::FindOrCreate => {
            ext_idp_type(connection_type).ok_or_else(|| Error::Unsupported {
                vendor: Vendor::GenAuth,
                what: format!("an identity source for connection type \"{connection_type}\""),
            })?
        }
    };
    let lookup = || async {
        Ok(api
            .list_ext_idps()
            .await?
            .into_iter()
            .find(|idp| idp.kind == kind && idp.name == name)
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
