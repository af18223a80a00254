use std::fmt;

use serde::{Deserialize, Serialize};

/// A social identity provider with a neutral meaning across vendors.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SocialProvider {
    /// Google accounts.
    Google,
    /// GitHub.
    #[serde(rename = "github")]
    GitHub,
    /// Microsoft accounts (personal or multi-tenant Entra ID sign-in as a social button).
    Microsoft,
    /// Sign in with Apple.
    Apple,
    /// Facebook.
    Facebook,
    /// LinkedIn.
    #[serde(rename = "linkedin")]
    LinkedIn,
    /// GitLab.
    #[serde(rename = "gitlab")]
    GitLab,
    /// Another social provider, by its common lowercase name (`twitter`, `slack`, ...).
    #[serde(untagged)]
    Other(String),
}

impl SocialProvider {
    /// The provider's lowercase name.
    pub fn as_str(&self) -> &str {
        match self {
            SocialProvider::Google => "google",
            SocialProvider::GitHub => "github",
            SocialProvider::Microsoft => "microsoft",
            SocialProvider::Apple => "apple",
            SocialProvider::Facebook => "facebook",
            SocialProvider::LinkedIn => "linkedin",
            SocialProvider::GitLab => "gitlab",
            SocialProvider::Other(name) => name,
        }
    }
}

/// The kind of login source a connection is.
///
/// Serialized as a lowercase tag: `"oidc"`, `"saml"`, `{"social": "google"}`,
/// `{"custom": "wechat:pc"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConnectionKind {
    /// OpenID Connect.
    Oidc,
    /// Plain OAuth 2.0 with explicit endpoints.
    #[serde(rename = "oauth2")]
    OAuth2,
    /// SAML 2.0.
    Saml,
    /// Microsoft Entra ID (Azure AD) as an enterprise connection.
    AzureAd,
    /// On-premises Active Directory (through a vendor connector).
    ActiveDirectory,
    /// LDAP.
    Ldap,
    /// A social provider.
    Social(SocialProvider),
    /// A vendor kind with no neutral meaning, by the vendor's own string (Auth0 strategy,
    /// GenAuth type, Keycloak providerId). Only the vendor that named it can hold it.
    Custom(String),
}

impl fmt::Display for ConnectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionKind::Oidc => f.write_str("oidc"),
            ConnectionKind::OAuth2 => f.write_str("oauth2"),
            ConnectionKind::Saml => f.write_str("saml"),
            ConnectionKind::AzureAd => f.write_str("azure_ad"),
            ConnectionKind::ActiveDirectory => f.write_str("active_directory"),
            ConnectionKind::Ldap => f.write_str("ldap"),
            ConnectionKind::Social(p) => write!(f, "social:{}", p.as_str()),
            ConnectionKind::Custom(s) => write!(f, "custom:{s}"),
        }
    }
}
