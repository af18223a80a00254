//! The vendor's type enums and the rule tying a connection type to its source's type.

/// Connection types (`CreateExtIdpConnDto.type`): the 68 values of the SPEC (2023-11) plus
/// the four the Node SDK models added in 2024-08.
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

/// Identity-source types (`CreateExtIdpDto.type`): the 38 SPEC values plus the three the
/// Node SDK added in 2024-08.
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

/// Identity-source types the console files under "enterprise"; every other type is "social"
/// (the `type` filter of get-ext-idp and list-tenant-ext-idp, SPEC `ExtIdpInfoDto.extIdpType`).
const ENTERPRISE_TYPES: &[&str] = &[
    "oidc",
    "oauth2",
    "saml",
    "ldap",
    "ad",
    "cas",
    "azure-ad",
    "wechatwork",
    "dingtalk",
    "lark",
    "welink",
];

/// The identity-source type a connection type belongs under.
///
/// Inferred from the two enums: a connection type is its source's type, optionally
/// followed by `:variant`; the exceptions are the OAuth2 pair (`oauth` under
/// `oauth2`) and the hyphenated variants (`wechatmp-qrcode`, `lark-*`, `ad-kerberos`,
/// `zjzwfw-qrcode`). The simulator refuses a connection under a source of another type.
pub fn ext_idp_type_for(connection_type: &str) -> Option<&'static str> {
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

/// `enterprise` or `social`, for the `type` query filter.
pub fn category(ext_idp_type: &str) -> &'static str {
    if ENTERPRISE_TYPES.contains(&ext_idp_type) {
        "enterprise"
    } else {
        "social"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_type_has_a_source_type() {
        for t in CONNECTION_TYPES {
            assert!(ext_idp_type_for(t).is_some(), "{t}");
        }
        assert_eq!(ext_idp_type_for("oauth"), Some("oauth2"));
        assert_eq!(ext_idp_type_for("wechat:pc"), Some("wechat"));
        assert_eq!(ext_idp_type_for("oauth2"), Some("oauth2"));
        assert_eq!(ext_idp_type_for("nope"), None);
    }
}
