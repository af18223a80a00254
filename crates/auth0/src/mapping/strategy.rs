//! Neutral kinds <-> Auth0 strategies.

use idconn_core::spelling::Spelling;
use idconn_core::{ConnectionKind, Error, OidcChannel, Result, SocialProvider, Vendor};

use super::protocol;

/// How a strategy's scopes travel (OAS `ConnectionScope*` per strategy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopeFormat {
    /// One space-separated string (`oidc`, `okta`: `ConnectionScopeOIDC`; `apple`).
    Space,
    /// One comma-separated string (`facebook`: `ConnectionScopeFacebook`).
    Comma,
    /// An array (`google-oauth2`, `github`, `linkedin`, `windowslive`: `ConnectionScopeArray`).
    Array,
    /// A string or an array; the form already stored is kept (`oauth2`: `ConnectionScopeOAuth2`).
    Either,
}

/// The option layout a strategy uses, which decides how its settings are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// `oidc`, `okta`: `ConnectionOptionsOIDC` / `ConnectionOptionsOkta`, with the channels
    /// the strategy's `type` takes.
    Oidc { channels: Spelling<OidcChannel> },
    /// `samlp`: `ConnectionOptionsSAML`.
    Saml,
    /// `waad`: `ConnectionOptionsAzureAD`.
    AzureAd,
    /// `oauth2`: `ConnectionOptionsOAuth2`.
    OAuth2,
    /// The social strategies: their scope format, whether the schema has `icon_url`, and
    /// whether the secret is called `app_secret` (Apple).
    Social {
        scopes: ScopeFormat,
        icon: bool,
        app_secret: bool,
    },
    /// `ad`, `adfs`: `ConnectionOptionsAD` / `ConnectionOptionsADFS`.
    Directory { adfs: bool },
    /// Everything else: the client pair and opaque options.
    Opaque,
}

/// The family of a strategy.
pub(crate) fn family(strategy: &str) -> Family {
    let social = |scopes, icon, app_secret| Family::Social {
        scopes,
        icon,
        app_secret,
    };
    match strategy {
        "oidc" | "okta" => Family::Oidc {
            channels: protocol::channels(strategy),
        },
        "samlp" => Family::Saml,
        "waad" => Family::AzureAd,
        "oauth2" => Family::OAuth2,
        // Only the Google schema has icon_url among the social ones.
        "google-oauth2" => social(ScopeFormat::Array, true, false),
        "github" | "linkedin" | "windowslive" => social(ScopeFormat::Array, false, false),
        "facebook" => social(ScopeFormat::Comma, false, false),
        "apple" => social(ScopeFormat::Space, false, true),
        "ad" => Family::Directory { adfs: false },
        "adfs" => Family::Directory { adfs: true },
        _ => Family::Opaque,
    }
}

/// The neutral kind of a strategy. `okta` reads as OIDC and `adfs` as Active Directory; the
/// mapping keeps the exact strategy in extras so a same-vendor round trip writes it back.
pub(crate) fn kind_of(strategy: &str) -> ConnectionKind {
    match strategy {
        "oidc" | "okta" => ConnectionKind::Oidc,
        "samlp" => ConnectionKind::Saml,
        "waad" => ConnectionKind::AzureAd,
        "oauth2" => ConnectionKind::OAuth2,
        "ad" | "adfs" => ConnectionKind::ActiveDirectory,
        "google-oauth2" => ConnectionKind::Social(SocialProvider::Google),
        "github" => ConnectionKind::Social(SocialProvider::GitHub),
        "windowslive" => ConnectionKind::Social(SocialProvider::Microsoft),
        "apple" => ConnectionKind::Social(SocialProvider::Apple),
        "facebook" => ConnectionKind::Social(SocialProvider::Facebook),
        "linkedin" => ConnectionKind::Social(SocialProvider::LinkedIn),
        other => ConnectionKind::Custom(other.to_string()),
    }
}

/// Strategies whose exact name the neutral kind does not say (it goes in extras as `strategy`).
pub(crate) fn needs_hint(strategy: &str) -> bool {
    matches!(strategy, "okta" | "adfs")
}

/// The strategy to create for a kind; `hint` is extras' `strategy`, which picks `okta` over
/// `oidc` and `adfs` over `ad`.
pub(crate) fn strategy_of(kind: &ConnectionKind, hint: Option<&str>) -> Result<String> {
    let pick = |default: &str, alternative: &str| -> Result<String> {
        match hint {
            None => Ok(default.to_string()),
            Some(h) if h == default || h == alternative => Ok(h.to_string()),
            Some(h) => Err(Error::invalid(
                "extras.auth0.strategy",
                format!(
                    "\"{h}\" does not fit a connection of kind {kind}; use {default} or {alternative}"
                ),
            )),
        }
    };
    let unsupported = |what: String| Error::Unsupported {
        vendor: Vendor::Auth0,
        what,
    };
    match kind {
        ConnectionKind::Oidc => pick("oidc", "okta"),
        ConnectionKind::ActiveDirectory => pick("ad", "adfs"),
        ConnectionKind::Saml => Ok("samlp".into()),
        ConnectionKind::AzureAd => Ok("waad".into()),
        ConnectionKind::OAuth2 => Ok("oauth2".into()),
        // Auth0's AD/LDAP connector strategy serves LDAP directories too (reference §5 `ad`).
        ConnectionKind::Ldap => Ok("ad".into()),
        ConnectionKind::Social(provider) => match provider {
            SocialProvider::Google => Ok("google-oauth2".into()),
            SocialProvider::GitHub => Ok("github".into()),
            SocialProvider::Microsoft => Ok("windowslive".into()),
            SocialProvider::Apple => Ok("apple".into()),
            SocialProvider::Facebook => Ok("facebook".into()),
            SocialProvider::LinkedIn => Ok("linkedin".into()),
            SocialProvider::Other(name) if is_strategy(name) => Ok(name.clone()),
            other => Err(unsupported(format!(
                "the social provider {} (no Auth0 strategy)",
                other.as_str()
            ))),
        },
        ConnectionKind::Custom(strategy) if is_strategy(strategy) => Ok(strategy.clone()),
        ConnectionKind::Custom(other) => Err(unsupported(format!(
            "connections of kind custom:{other} (not an Auth0 strategy)"
        ))),
        // A kind newer than this backend.
        other => Err(unsupported(format!("{other} connections"))),
    }
}

/// Strategies a connection may be created with (OAS `ConnectionIdentityProviderEnum`).
const STRATEGIES: &[&str] = &[
    "ad",
    "adfs",
    "amazon",
    "apple",
    "dropbox",
    "bitbucket",
    "auth0-oidc",
    "auth0",
    "baidu",
    "bitly",
    "box",
    "custom",
    "daccount",
    "dwolla",
    "email",
    "evernote-sandbox",
    "evernote",
    "exact",
    "facebook",
    "fitbit",
    "github",
    "google-apps",
    "google-oauth2",
    "instagram",
    "ip",
    "line",
    "linkedin",
    "oauth1",
    "oauth2",
    "office365",
    "oidc",
    "okta",
    "paypal",
    "paypal-sandbox",
    "pingfederate",
    "planningcenter",
    "salesforce-community",
    "salesforce-sandbox",
    "salesforce",
    "samlp",
    "sharepoint",
    "shopify",
    "shop",
    "sms",
    "soundcloud",
    "thirtysevensignals",
    "twitter",
    "untappd",
    "vkontakte",
    "waad",
    "weibo",
    "windowslive",
    "wordpress",
    "yahoo",
    "yandex",
];

/// Whether Auth0 has a strategy of this name.
pub(crate) fn is_strategy(name: &str) -> bool {
    STRATEGIES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_modelled_strategy_round_trips_through_its_kind() {
        for strategy in [
            "oidc",
            "samlp",
            "waad",
            "oauth2",
            "ad",
            "google-oauth2",
            "github",
            "windowslive",
            "apple",
            "facebook",
            "linkedin",
            "twitter",
            "auth0",
        ] {
            assert_eq!(strategy_of(&kind_of(strategy), None).unwrap(), strategy);
        }
        for hinted in ["okta", "adfs"] {
            assert!(needs_hint(hinted));
            assert_eq!(strategy_of(&kind_of(hinted), Some(hinted)).unwrap(), hinted);
        }
    }

    #[test]
    fn kinds_without_a_strategy_are_unsupported() {
        let err = strategy_of(&ConnectionKind::Custom("wechat:pc".into()), None).unwrap_err();
        assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
        let err = strategy_of(&ConnectionKind::Social(SocialProvider::GitLab), None).unwrap_err();
        assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
        let err = strategy_of(&ConnectionKind::Saml, Some("okta"));
        assert!(err.is_ok(), "the hint only matters for oidc and ad");
        let err = strategy_of(&ConnectionKind::Oidc, Some("adfs")).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
}
