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
}

/// The OIDC `mode` key: `BACK_CHANNEL` (authorization code) or `FRONT_CHANNEL` (implicit
/// `id_token` by form post), read by GenAuth's login UI.
pub const OIDC_MODE: &str = "mode";

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
