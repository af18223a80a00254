//! Resolving a discovery-only OIDC connection: some vendors (Keycloak, and so ezto auth) need
//! the endpoints spelled out and never read a discovery document themselves.

use idconn_core::{Connection, ConnectionKind, Result, Settings};

use super::Discovery;
use crate::limits::FetchLimits;
use crate::report::OnboardReport;

/// Fills the endpoints an OIDC connection lacks from its discovery document.
///
/// Acts only on a connection of kind OIDC that has a discovery URL or an issuer and lacks the
/// authorization, token or JWKS endpoint; anything else is left as it is and `None` returned.
/// Values already set are kept. The document's issuer must match the connection's issuer
/// when one is set (else the one its discovery URL implies).
pub async fn resolve_discovery(
    connection: &mut Connection,
    limits: &FetchLimits,
) -> Result<Option<OnboardReport>> {
    if connection.kind != ConnectionKind::Oidc {
        return Ok(None);
    }
    let Settings::OAuth(settings) = &mut connection.settings else {
        return Ok(None);
    };
    let complete = settings.authorization_url.is_some()
        && settings.token_url.is_some()
        && settings.jwks_url.is_some();
    let source = settings
        .discovery_url
        .as_deref()
        .or(settings.issuer.as_deref());
    let Some(source) = source.filter(|_| !complete) else {
        return Ok(None);
    };
    let (implied_issuer, url) = Discovery::locate(source)?;
    let asked = settings.issuer.clone().unwrap_or(implied_issuer);
    let body = crate::fetch::fetch(
        "OpenID discovery document",
        &url,
        "application/json",
        limits,
    )
    .await?;
    let discovery = Discovery::from_json(&asked, &url, &body)?;
    let mut report = OnboardReport::default();
    discovery.fill(settings, &mut report);
    report.note(format!(
        "connection \"{}\": endpoints resolved from {url}",
        connection.name
    ));
    Ok(Some(report))
}
