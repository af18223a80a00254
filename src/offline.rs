//! Translation without a provider: no credentials, no network.

use idconn_core::{Connection, Policy, Result, Translation, Vendor};

/// What `vendor` would hold of `connection` under `policy`, and every loss, without building a
/// provider (so without credentials or network): the same pure mapping a provider's
/// [`translate`](idconn_core::IdentityConnectionProvider::translate) runs.
///
/// Settings a translation can depend on take their defaults: for GenAuth, new connections go
/// under an identity source found or created for them
/// (`Placement::FindOrCreate`), so the payload names
/// no `extIdpId` unless the connection's GenAuth extras do.
///
/// A vendor whose backend feature is off is an [`Error::Unsupported`](idconn_core::Error).
///
/// ```
/// use idconn::{Connection, OAuthSettings, Policy, Vendor, translate};
///
/// let sso = Connection::oidc(
///     "acme-sso",
///     OAuthSettings {
///         client_id: Some("client-id".into()),
///         discovery_url: Some("https://idp.example.com/.well-known/openid-configuration".into()),
///         ..OAuthSettings::default()
///     },
/// );
/// # #[cfg(feature = "auth0")] {
/// let translation = translate(Vendor::Auth0, &sso, &Policy::LENIENT)?;
/// println!("{} loss(es)", translation.report.losses.len());
/// # }
/// # Ok::<(), idconn::Error>(())
/// ```
#[cfg_attr(
    not(any(
        feature = "auth0",
        feature = "genauth",
        feature = "eztoauth",
        feature = "keycloak"
    )),
    allow(unused_variables)
)]
pub fn translate(vendor: Vendor, connection: &Connection, policy: &Policy) -> Result<Translation> {
    match vendor {
        #[cfg(feature = "auth0")]
        Vendor::Auth0 => idconn_auth0::translate(connection, policy),
        #[cfg(feature = "genauth")]
        Vendor::GenAuth => {
            idconn_genauth::translate(connection, policy, &idconn_genauth::Placement::FindOrCreate)
        }
        #[cfg(feature = "eztoauth")]
        Vendor::Ezto => idconn_eztoauth::translate(Vendor::Ezto, connection, policy),
        #[cfg(feature = "keycloak")]
        Vendor::Keycloak => idconn_eztoauth::translate(Vendor::Keycloak, connection, policy),
        #[allow(unreachable_patterns)]
        other => Err(crate::any::not_built(other)),
    }
}
