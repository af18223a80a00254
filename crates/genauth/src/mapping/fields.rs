//! GenAuth's `fields` keys, per connection type, and the evidence for each.
//!
//! GenAuth publishes no schema for a connection's `fields` (its management API types them as a
//! bare object). The keys below are the ones GenAuth's own material shows:
//!
//! - **API payloads**: social connections (`github`, `wechat:pc`, `wechatmp-qrcode`) use
//!   `clientID`, `clientSecret`, `callbackURL` and, for GitHub, `scopes` as an array. Seen in
//!   Authing's v2 API documentation (a console-created GitHub connection read back with
//!   `GET /api/v2/extIdp/{id}`, <https://apifox.com/apidoc/docs-site/548164/api-9982402>; the
//!   create-connection schema, <https://apifox.com/apidoc/docs-site/548164/api-9997078>) and in
//!   the Node and C# SDK tests of `createExtIdpConnection`.
//! - **GenAuth's login UI**: the enterprise protocols use the keys the hosted login page
//!   (Guard, `Authing/Guard` `packages/guard-core-v4/src/Type/application.ts`) reads from the
//!   stored connection configuration, matched to the console labels of GenAuth's connection
//!   guides (`docs/guides/connections/enterprise/{oidc,oauth2,saml,azure-ad}`). They have not
//!   been seen in an API payload, so a translation that writes one says so in a note.
//!
//! Capitalisation differs between the two families (`clientID` against `clientId`) and is kept
//! exactly as GenAuth spells it, typos included (`authorizationEdpoint`).

use idconn_core::spelling::Spelling;
use idconn_core::{OidcChannel, SamlBinding, SamlDigestAlgorithm, SamlSignatureAlgorithm};

/// How a key's name is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Seen inside `fields` in GenAuth API answers and SDK tests.
    Payload,
    /// Read by GenAuth's login UI from the stored configuration; not seen in an API payload.
    LoginUi,
}

impl Evidence {
    /// The note a translation carries for a key written on this evidence, if any.
    pub fn note(self, key: &str) -> Option<String> {
        match self {
            Evidence::Payload => None,
            Evidence::LoginUi => Some(format!(
                "carried as `{key}`, a key evidenced from GenAuth's login UI code, not its API"
            )),
        }
    }
}

/// How a connection type holds its scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeFormat {
    /// One string, scopes separated by spaces.
    Spaced,
    /// A JSON array of strings.
    List,
}

/// The keys of an OAuth-family connection type: client, scopes and endpoints.
#[derive(Debug, Clone, Copy)]
pub struct OAuthKeys {
    /// The client id.
    pub client_id: &'static str,
    /// The client secret, where its key is known.
    pub client_secret: Option<&'static str>,
    /// The scopes and their format, where known.
    pub scopes: Option<(&'static str, ScopeFormat)>,
    /// The issuer (OIDC).
    pub issuer: Option<&'static str>,
    /// The authorization endpoint.
    pub authorization: Option<&'static str>,
    /// The token endpoint.
    pub token: Option<&'static str>,
    /// How these names are known.
    pub evidence: Evidence,
}

/// The keys of a SAML connection (all read by GenAuth's login UI).
pub mod saml {
    /// The identity provider's sign-in URL (console: 登录 URL).
    pub const SIGN_IN: &str = "signInEndPoint";
    /// The identity provider's sign-out URL.
    pub const SIGN_OUT: &str = "signOutEndPoint";
    /// The certificate that checks the identity provider's assertions (console: 验签证书).
    pub const IDP_CERT: &str = "samlIdpCert";
    /// Whether authentication requests are signed (console: SAML 请求签名).
    pub const SIGN_REQUEST: &str = "signSamlRequest";
    /// The certificate of the request-signing key.
    pub const SP_CERT: &str = "samlSpCert";
    /// The request-signing private key.
    pub const SP_KEY: &str = "samlSpKey";
    /// The algorithm requests are signed with (console: SAML 请求签名算法, default rsa-sha256).
    pub const SIGNATURE_ALGORITHM: &str = "signatureAlgorithm";
    /// The digest algorithm of signed requests (console: SAML 请求摘要算法, default sha256).
    pub const DIGEST_ALGORITHM: &str = "digestAlgorithm";
    /// How requests are sent (console: SAML 请求协议绑定, default HTTP-Redirect).
    pub const PROTOCOL_BINDING: &str = "protocolBinding";
}

/// The values written under [`saml::SIGNATURE_ALGORITHM`]. GenAuth's login UI types the key as
/// a plain string and its SAML guide (`Authing/docs` `docs/guides/connections/enterprise/saml`,
/// field 2.3.7) names only the default, `rsa-sha256`; the other value is spelled alike.
pub const SIGNATURE_ALGORITHMS: Spelling<SamlSignatureAlgorithm> = &[
    (SamlSignatureAlgorithm::RsaSha256, "rsa-sha256"),
    (SamlSignatureAlgorithm::RsaSha1, "rsa-sha1"),
];

/// The values written under [`saml::DIGEST_ALGORITHM`]: the guide's default `sha256` (field
/// 2.3.8) and `sha1`, spelled alike.
pub const DIGEST_ALGORITHMS: Spelling<SamlDigestAlgorithm> = &[
    (SamlDigestAlgorithm::Sha256, "sha256"),
    (SamlDigestAlgorithm::Sha1, "sha1"),
];

/// The values written under [`saml::PROTOCOL_BINDING`]: the guide's default `HTTP-Redirect`
/// (field 2.3.9) and `HTTP-POST`, the binding names of SAML 2.0 Bindings without their URN
/// prefix.
pub const BINDINGS: Spelling<SamlBinding> = &[
    (SamlBinding::HttpRedirect, "HTTP-Redirect"),
    (SamlBinding::HttpPost, "HTTP-POST"),
];

/// The note for a SAML request setting written under `key` as `wire`: the key is known from
/// GenAuth's login UI only, and the value's format from the guide's default only.
pub fn value_note(key: &str, wire: &str) -> String {
    format!(
        "carried as `{key}`: `{wire}`, a key evidenced from GenAuth's login UI code, not its API; \
         GenAuth does not publish the value's format, so it is spelled like the console's \
         documented default"
    )
}

/// The OIDC `mode` key: `BACK_CHANNEL` (authorization code) or `FRONT_CHANNEL` (implicit
/// `id_token` by form post), read by GenAuth's login UI.
pub const OIDC_MODE: &str = "mode";

/// The OIDC `responseType` key the login UI reads beside [`OIDC_MODE`] (older Guard versions
/// built the authorization URL from it): `id_token` on the front channel, `code` on the back.
/// Whether GenAuth stores it or derives it from the mode is not known, so idconn never adds it;
/// one GenAuth holds is kept in step with the mode.
pub const OIDC_RESPONSE_TYPE: &str = "responseType";

/// The `responseType` of each channel.
pub const OIDC_RESPONSE_TYPES: Spelling<OidcChannel> = &[
    (OidcChannel::FrontChannel, "id_token"),
    (OidcChannel::BackChannel, "code"),
];

/// The values of [`OIDC_MODE`]: the login UI's `OIDCConnectionMode` enum (`Authing/Guard`
/// `packages/guard-core-v4/src/Type/application.ts`), the console's 模式 (GenAuth's OIDC guide).
pub const OIDC_MODES: Spelling<OidcChannel> = &[
    (OidcChannel::FrontChannel, "FRONT_CHANNEL"),
    (OidcChannel::BackChannel, "BACK_CHANNEL"),
];

/// The key families idconn maps, by GenAuth connection type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `oidc`.
    Oidc,
    /// `oauth` (generic OAuth 2.0).
    OAuth2,
    /// `saml`.
    Saml,
    /// `azure-ad`.
    AzureAd,
    /// A social type whose keys GenAuth's API shows (`github`, `wechat:pc`, `wechatmp-qrcode`).
    Social,
    /// A type whose keys are unknown: every setting of it is a reported loss.
    Unknown,
}

/// The family of a connection type.
pub fn family(connection_type: &str) -> Family {
    match connection_type {
        "oidc" => Family::Oidc,
        "oauth" => Family::OAuth2,
        "saml" => Family::Saml,
        "azure-ad" => Family::AzureAd,
        "github" | "wechat:pc" | "wechatmp-qrcode" => Family::Social,
        _ => Family::Unknown,
    }
}

/// The OAuth keys of a connection type, when it has known ones.
pub fn oauth_keys(connection_type: &str) -> Option<OAuthKeys> {
    let enterprise = OAuthKeys {
        client_id: "clientId",
        client_secret: Some("clientSecret"),
        scopes: None,
        issuer: None,
        authorization: None,
        token: None,
        evidence: Evidence::LoginUi,
    };
    let social = OAuthKeys {
        client_id: "clientID",
        client_secret: Some("clientSecret"),
        evidence: Evidence::Payload,
        ..enterprise
    };
    Some(match connection_type {
        "oidc" => OAuthKeys {
            scopes: Some(("scopes", ScopeFormat::Spaced)),
            issuer: Some("issuerUrl"),
            // GenAuth's spelling.
            authorization: Some("authorizationEdpoint"),
            ..enterprise
        },
        // The key names are corroborated by the macros of GenAuth's auth-URL template
        // (`${authEndPoint}`, `${tokenEndPoint}`, `${scope}`), documented for custom OAuth
        // connections: https://docs.authing.cn/v2/connections/custom-social-provider/
        "oauth" => OAuthKeys {
            scopes: Some(("scope", ScopeFormat::Spaced)),
            authorization: Some("authEndPoint"),
            token: Some("tokenEndPoint"),
            ..enterprise
        },
        // The Azure AD secret's key is not in the login UI's projection (it is a secret), so
        // its name is a guess and is not written.
        "azure-ad" => OAuthKeys {
            client_secret: None,
            ..enterprise
        },
        "github" => OAuthKeys {
            scopes: Some(("scopes", ScopeFormat::List)),
            ..social
        },
        "wechat:pc" | "wechatmp-qrcode" => social,
        _ => return None,
    })
}

/// What a connection type is called in a loss reason: "an OIDC connection".
pub fn described(connection_type: &str) -> String {
    match connection_type {
        "oidc" => "an OIDC connection".into(),
        "oauth" => "an OAuth 2.0 connection".into(),
        "saml" => "a SAML connection".into(),
        "azure-ad" => "an Azure AD connection".into(),
        other => format!("a {other} connection"),
    }
}
