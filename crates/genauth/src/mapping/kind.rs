//! GenAuth's connection types and how they sit under identity-source types.

use idconn_core::{ConnectionKind, Error, Result, SocialProvider, Vendor};

/// Connection types (`CreateExtIdpConnDto.type`): the 68 SPEC (2023-11) values plus the four
/// the Node SDK models added in 2024-08.
pub const CONNECTION_TYPES: &[&str] = &[
    "oidc",
    "oauth",
    "saml",
    "ldap",
    "ad",
    "cas",
    "azure-ad",
    "alipay",
    "facebook",
    "facebook:mobile",
    "twitter",
    "google:mobile",
    "google",
    "wechat:pc",
    "wechat:mobile",
    "wechat:webpage-authorization",
    "wechatmp-qrcode",
    "wechat:miniprogram:default",
    "wechat:miniprogram:qrconnect",
    "wechat:miniprogram:app-launch",
    "github",
    "github:mobile",
    "qq",
    "qq:mobile",
    "wechatwork:corp:qrconnect",
    "wechatwork:agency:qrconnect",
    "wechatwork:service-provider:qrconnect",
    "wechatwork:mobile",
    "wechatwork:agency:mobile",
    "dingtalk",
    "dingtalk:mobile",
    "dingtalk:provider",
    "weibo",
    "weibo:mobile",
    "apple",
    "apple:web",
    "baidu",
    "baidu:mobile",
    "lark-internal",
    "lark-public",
    "lark-block",
    "gitlab",
    "gitlab:mobile",
    "linkedin",
    "linkedin:mobile",
    "slack",
    "slack:mobile",
    "yidun",
    "qingcloud",
    "gitee",
    "gitee:mobile",
    "instagram",
    "welink",
    "ad-kerberos",
    "huawei",
    "huawei:mobile",
    "honor",
    "xiaomi",
    "xiaomi:mobile",
    "aws",
    "amazon",
    "amazon:mobile",
    "douyin:mobile",
    "kuaishou:mobile",
    "line:mobile",
    "oppo:mobile",
    "wechatwork:qrconnect:of:authing:agency",
    "sdbz",
    "douyin:miniprogram:default",
    "zjzwfw-qrcode",
    "zzding",
    "seeyona8v5",
];

/// Identity-source types (`CreateExtIdpDto.type`, with the 2024-08 additions).
pub const EXT_IDP_TYPES: &[&str] = &[
    "oidc",
    "oauth2",
    "saml",
    "ldap",
    "ad",
    "cas",
    "azure-ad",
    "wechat",
    "google",
    "qq",
    "wechatwork",
    "dingtalk",
    "weibo",
    "github",
    "alipay",
    "apple",
    "baidu",
    "lark",
    "gitlab",
    "twitter",
    "facebook",
    "slack",
    "linkedin",
    "yidun",
    "qingcloud",
    "gitee",
    "instagram",
    "welink",
    "huawei",
    "honor",
    "xiaomi",
    "oppo",
    "aws",
    "amazon",
    "douyin",
    "kuaishou",
    "line",
    "sdbz",
    "zjzwfw",
    "zzding",
    "seeyona8v5",
];

/// Plain (web, no `:variant`) GenAuth types that name a social provider the model has no
/// variant for; read as `Social(Other(type))` so that they travel to vendors that know the
/// provider by the same common name (Auth0's `twitter`, `amazon`, `baidu`, ...).
const OTHER_SOCIAL: &[&str] = &[
    "alipay",
    "twitter",
    "qq",
    "weibo",
    "baidu",
    "slack",
    "gitee",
    "instagram",
    "huawei",
    "honor",
    "xiaomi",
    "amazon",
];

/// The neutral kind of a GenAuth connection type. Types with no neutral meaning (app and
/// mobile variants such as `wechat:pc` or `github:mobile`, `cas`, regional providers) are
/// [`ConnectionKind::Custom`].
pub fn kind_of(connection_type: &str) -> ConnectionKind {
    match connection_type {
        "oidc" => ConnectionKind::Oidc,
        // The *connection* type for OAuth 2.0 is `oauth` (reference §4a note, §7.8).
        "oauth" => ConnectionKind::OAuth2,
        "saml" => ConnectionKind::Saml,
        "azure-ad" => ConnectionKind::AzureAd,
        "ad" => ConnectionKind::ActiveDirectory,
        "ldap" => ConnectionKind::Ldap,
        "google" => ConnectionKind::Social(SocialProvider::Google),
        "github" => ConnectionKind::Social(SocialProvider::GitHub),
        "apple" => ConnectionKind::Social(SocialProvider::Apple),
        "facebook" => ConnectionKind::Social(SocialProvider::Facebook),
        "linkedin" => ConnectionKind::Social(SocialProvider::LinkedIn),
        "gitlab" => ConnectionKind::Social(SocialProvider::GitLab),
        other if OTHER_SOCIAL.contains(&other) => {
            ConnectionKind::Social(SocialProvider::Other(other.to_string()))
        }
        other => ConnectionKind::Custom(other.to_string()),
    }
}

/// The GenAuth connection type for a neutral kind, or [`Error::Unsupported`] when GenAuth has
/// none (e.g. a Microsoft social connection, another vendor's custom strategy).
pub fn connection_type(kind: &ConnectionKind) -> Result<String> {
    let unsupported = |what: String| Error::Unsupported {
        vendor: Vendor::GenAuth,
        what,
    };
    let name = match kind {
        ConnectionKind::Oidc => "oidc",
        ConnectionKind::OAuth2 => "oauth",
        ConnectionKind::Saml => "saml",
        ConnectionKind::AzureAd => "azure-ad",
        ConnectionKind::ActiveDirectory => "ad",
        ConnectionKind::Ldap => "ldap",
        ConnectionKind::Social(SocialProvider::Google) => "google",
        ConnectionKind::Social(SocialProvider::GitHub) => "github",
        ConnectionKind::Social(SocialProvider::Apple) => "apple",
        ConnectionKind::Social(SocialProvider::Facebook) => "facebook",
        ConnectionKind::Social(SocialProvider::LinkedIn) => "linkedin",
        ConnectionKind::Social(SocialProvider::GitLab) => "gitlab",
        ConnectionKind::Social(SocialProvider::Other(name))
            if OTHER_SOCIAL.contains(&name.as_str()) =>
        {
            name
        }
        ConnectionKind::Social(provider) => {
            return Err(unsupported(format!(
                "social connections to {} (no such connection type)",
                provider.as_str()
            )));
        }
        ConnectionKind::Custom(name) if CONNECTION_TYPES.contains(&name.as_str()) => name,
        ConnectionKind::Custom(name) => {
            return Err(unsupported(format!(
                "connection type \"{name}\" (not one of its connection types)"
            )));
        }
        // A kind newer than this backend.
        other => return Err(unsupported(format!("{other} connections"))),
    };
    Ok(name.to_string())
}

/// The identity-source type a connection type belongs under.
///
/// Inferred from the two enums: a connection type is its source's type,
/// optionally followed by `:variant`; the exceptions are the OAuth 2.0 pair (connection `oauth`
/// under source `oauth2`) and the hyphenated variants (`wechatmp-qrcode`, `lark-*`,
/// `ad-kerberos`, `zjzwfw-qrcode`).
pub fn ext_idp_type(connection_type: &str) -> Option<&'static str> {
    let family = connection_type.split(':').next().unwrap_or(connection_type);
    let family = match family {
        "oauth" => "oauth2",
        "wechatmp-qrcode" => "wechat",
        "lark-internal" | "lark-public" | "lark-block" => "lark",
        "ad-kerberos" => "ad",
        "zjzwfw-qrcode" => "zjzwfw",
        other => other,
    };
    EXT_IDP_TYPES.iter().copied().find(|t| *t == family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_kind_and_has_a_source_type() {
        for t in CONNECTION_TYPES {
            assert_eq!(connection_type(&kind_of(t)).unwrap(), *t);
            assert!(ext_idp_type(t).is_some(), "{t}");
        }
        assert_eq!(ext_idp_type("oauth"), Some("oauth2"));
        assert_eq!(kind_of("oauth"), ConnectionKind::OAuth2);
        assert_eq!(
            kind_of("wechat:pc"),
            ConnectionKind::Custom("wechat:pc".into())
        );
    }

    #[test]
    fn kinds_genauth_lacks_are_unsupported() {
        for kind in [
            ConnectionKind::Social(SocialProvider::Microsoft),
            ConnectionKind::Social(SocialProvider::Other("bitbucket".into())),
            ConnectionKind::Custom("waad".into()),
        ] {
            let err = connection_type(&kind).unwrap_err();
            assert!(matches!(err, Error::Unsupported { .. }), "{err}");
        }
    }
}
