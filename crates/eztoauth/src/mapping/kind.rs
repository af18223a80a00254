//! `providerId` <-> [`ConnectionKind`] (Keycloak's provider ids).

use idconn_core::{ConnectionKind, Error, Result, SocialProvider, Vendor};

/// The neutral kind of a Keycloak provider id. Ids with no neutral meaning are `Custom`.
pub(crate) fn kind_of(provider_id: &str) -> ConnectionKind {
    match provider_id {
        "oidc" | "keycloak-oidc" => ConnectionKind::Oidc,
        // Keycloak 26's generic OAuth 2.0 provider.
        "oauth2" => ConnectionKind::OAuth2,
        "saml" => ConnectionKind::Saml,
        "google" => ConnectionKind::Social(SocialProvider::Google),
        "github" => ConnectionKind::Social(SocialProvider::GitHub),
        "microsoft" => ConnectionKind::Social(SocialProvider::Microsoft),
        "facebook" => ConnectionKind::Social(SocialProvider::Facebook),
        "linkedin-openid-connect" => ConnectionKind::Social(SocialProvider::LinkedIn),
        "gitlab" => ConnectionKind::Social(SocialProvider::GitLab),
        // Not built in: the community Apple provider registers this id where it is installed.
        "apple" => ConnectionKind::Social(SocialProvider::Apple),
        // Keycloak's other built-in social providers, by their common names.
        "bitbucket" | "instagram" | "paypal" | "stackoverflow" | "twitter" => {
            ConnectionKind::Social(SocialProvider::Other(provider_id.to_string()))
        }
        // openshift-v3/v4, extensions and anything newer: only Keycloak knows what they mean.
        other => ConnectionKind::Custom(other.to_string()),
    }
}

/// The provider id a kind is written as. `preferred` is the id the connection was read with
/// (kept in extras), used when it means the same kind (`keycloak-oidc` stays `keycloak-oidc`).
/// The second value says why the kind cannot be held exactly, when it cannot.
pub(crate) fn provider_id_for(
    vendor: Vendor,
    kind: &ConnectionKind,
    preferred: Option<&str>,
) -> Result<(String, Option<&'static str>)> {
    if let Some(preferred) = preferred
        && kind_of(preferred) == *kind
    {
        return Ok((preferred.to_string(), None));
    }
    let exact = |id: &str| Ok((id.to_string(), None));
    match kind {
        ConnectionKind::Oidc => exact("oidc"),
        ConnectionKind::Saml => exact("saml"),
        // ezto runs a pre-17 Keycloak without the generic `oauth2` provider: an OIDC provider
        // with explicit endpoints is the closest it holds.
        ConnectionKind::OAuth2 => Ok((
            "oidc".to_string(),
            Some(
                "Keycloak has no plain OAuth 2.0 provider here; an OIDC provider with the same endpoints is the closest",
            ),
        )),
        ConnectionKind::AzureAd => Ok((
            "microsoft".to_string(),
            Some(
                "Keycloak has no Azure AD enterprise connection; the Microsoft provider (with tenantId) is the closest",
            ),
        )),
        ConnectionKind::Social(provider) => match provider {
            SocialProvider::Google => exact("google"),
            SocialProvider::GitHub => exact("github"),
            SocialProvider::Microsoft => exact("microsoft"),
            SocialProvider::Facebook => exact("facebook"),
            SocialProvider::LinkedIn => exact("linkedin-openid-connect"),
            SocialProvider::GitLab => exact("gitlab"),
            SocialProvider::Apple => exact("apple"),
            // Keycloak's other social ids are their lowercase names (twitter, bitbucket, ...);
            // one the server does not know is refused by it with "Invalid identity provider id".
            SocialProvider::Other(name) => exact(name),
        },
        ConnectionKind::ActiveDirectory | ConnectionKind::Ldap => Err(Error::Unsupported {
            vendor,
            what: format!(
                "{kind} connections as identity providers (Keycloak holds LDAP and Active Directory as user federation)"
            ),
        }),
        // A vendor string: passed through; the server refuses an id it does not know.
        ConnectionKind::Custom(id) => exact(id),
        // A kind newer than this backend.
        other => Err(Error::Unsupported {
            vendor,
            what: format!("{other} connections"),
        }),
    }
}

/// Whether the provider takes the OIDC endpoint settings (issuer, endpoints, discovery).
pub(crate) fn has_oidc_endpoints(provider_id: &str) -> bool {
    matches!(provider_id, "oidc" | "keycloak-oidc" | "oauth2")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_oidc_ids_are_oidc_and_the_read_one_is_kept() {
        assert_eq!(kind_of("keycloak-oidc"), ConnectionKind::Oidc);
        let (id, why) =
            provider_id_for(Vendor::Ezto, &ConnectionKind::Oidc, Some("keycloak-oidc")).unwrap();
        assert_eq!((id.as_str(), why), ("keycloak-oidc", None));
        let (id, _) = provider_id_for(Vendor::Ezto, &ConnectionKind::Oidc, Some("saml")).unwrap();
        assert_eq!(id, "oidc");
    }

    #[test]
    fn every_named_kind_round_trips() {
        for id in [
            "oidc",
            "saml",
            "google",
            "github",
            "microsoft",
            "facebook",
            "linkedin-openid-connect",
            "gitlab",
            "apple",
            "twitter",
            "openshift-v4",
            "my-extension",
        ] {
            let kind = kind_of(id);
            assert_eq!(
                provider_id_for(Vendor::Ezto, &kind, None).unwrap().0,
                id,
                "{kind}"
            );
        }
        assert_eq!(
            kind_of("openshift-v4"),
            ConnectionKind::Custom("openshift-v4".into())
        );
        assert!(provider_id_for(Vendor::Ezto, &ConnectionKind::Ldap, None).is_err());
        assert!(
            provider_id_for(Vendor::Ezto, &ConnectionKind::OAuth2, None)
                .unwrap()
                .1
                .is_some()
        );
    }
}
