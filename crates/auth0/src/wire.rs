//! The Management API's JSON for connections (OAS `GetConnectionResponseContent`,
//! `CreateConnectionRequestContent`, `UpdateConnectionRequestContent`, the `ConnectionOptions*`
//! schemas and the error body). Serde only; no behaviour.
//!
//! The types holding `options` do not derive `Debug`: options carry the upstream client secret
//! in clear, so their hand-written `Debug` shows the option keys, never values.

use std::fmt;

use idconn_core::Lenient;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `{active}` of `authentication` (OAS `ConnectionAuthenticationPurpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticationPurpose {
    /// May the connection be used to sign in.
    pub active: bool,
}

/// `connected_accounts` (OAS `ConnectionConnectedAccountsPurpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedAccountsPurpose {
    /// Are upstream tokens stored in Token Vault.
    pub active: bool,
    /// Cross App Access flag (kept, not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_app_access: Option<bool>,
}

/// A connection as GET, POST, PATCH and the list return it.
///
/// Fields the server adds that no request may carry (`provisioning_ticket_url`, ...) are not
/// read: they are not the connection's to copy elsewhere. (Nor is there a `#[serde(flatten)]`
/// catch-all for them: it makes serde buffer the whole object before decoding it.)
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    /// `con_…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The immutable name.
    pub name: String,
    /// The name on the login page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The identity provider kind (`oidc`, `samlp`, ...).
    pub strategy: String,
    /// Strategy-dependent options; absent when the token lacks `read:connections_options`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Map<String, Value>>,
    /// Realms (email domains); the server uses `[name]` when none are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realms: Option<Vec<String>>,
    /// Promoted to a domain-level connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_domain_connection: Option<bool>,
    /// A button on the login page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_as_button: Option<bool>,
    /// Up to 10 string (or null) values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Usable for sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<AuthenticationPurpose>,
    /// Usable for Connected Accounts (Token Vault).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_accounts: Option<ConnectedAccountsPurpose>,
    /// Cross App Access requesting-app settings (EA; kept verbatim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_app_access_requesting_app: Option<Value>,
    /// Deprecated list of enabled client ids (read only here; never sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_clients: Option<Vec<String>>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let option_keys: Option<Vec<&String>> = self.options.as_ref().map(|o| o.keys().collect());
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("strategy", &self.strategy)
            .field("option_keys", &option_keys)
            .finish_non_exhaustive()
    }
}

/// `POST /connections` (OAS `CreateConnectionRequestContent`, `additionalProperties: false`).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateConnection {
    /// 1-128, `^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$`.
    pub name: String,
    /// The identity provider kind.
    pub strategy: String,
    /// At most 128 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Strategy-dependent options.
    pub options: Map<String, Value>,
    /// At most 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realms: Option<Vec<String>>,
    /// Domain-level connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_domain_connection: Option<bool>,
    /// Login-page button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_as_button: Option<bool>,
    /// At most 10 keys of at most 255 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Sign-in purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<AuthenticationPurpose>,
    /// Token Vault purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_accounts: Option<ConnectedAccountsPurpose>,
    /// Cross App Access requesting-app settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_app_access_requesting_app: Option<Value>,
}

/// `PATCH /connections/{id}` (OAS `UpdateConnectionRequestContent`): no `name`, no
/// `strategy`; `options` replaces the stored object whole; `display_name` is always sent
/// because an omitted one is reset to the name.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateConnection {
    /// The name on the login page.
    pub display_name: String,
    /// The whole options object.
    pub options: Map<String, Value>,
    /// Realms; empty lets the server use the name.
    pub realms: Vec<String>,
    /// Domain-level connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_domain_connection: Option<bool>,
    /// Login-page button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_as_button: Option<bool>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Sign-in purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<AuthenticationPurpose>,
    /// Token Vault purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_accounts: Option<ConnectedAccountsPurpose>,
    /// Cross App Access requesting-app settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_app_access_requesting_app: Option<Value>,
}

/// A checkpoint page (OAS `ListConnectionsCheckpointPaginatedResponseContent`).
#[derive(Clone, Default, Deserialize)]
pub struct CheckpointPage {
    /// The page's connections; one that does not decode is kept raw, so that it never fails
    /// the page.
    #[serde(default)]
    pub connections: Lenient<Connection>,
    /// The `from` of the next page; absent on the last page.
    #[serde(default)]
    pub next: Option<String>,
}

/// An application as `GET /api/v2/clients?fields=client_id,name` returns it (OAS `Client`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    /// The client id, the key `/connections/{id}/clients` uses.
    pub client_id: String,
    /// The name people gave it (not unique).
    #[serde(default)]
    pub name: String,
}

/// A checkpoint page of applications (OAS `ListClientsPaginatedResponseContent`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClientsPage {
    /// The page's clients.
    #[serde(default)]
    pub clients: Vec<Client>,
    /// The `from` of the next page; absent on the last page.
    #[serde(default)]
    pub next: Option<String>,
}

/// One client a connection is enabled for (OAS `ConnectionEnabledClient`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EnabledClient {
    /// The client id.
    pub client_id: String,
}

/// A checkpoint page of `GET /api/v2/connections/{id}/clients` (OAS
/// `GetConnectionEnabledClientsResponseContent`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnabledClientsPage {
    /// The clients the connection is enabled for, on this page.
    #[serde(default)]
    pub clients: Vec<EnabledClient>,
    /// The `from` of the next page; absent on the last page.
    #[serde(default)]
    pub next: Option<String>,
}

/// One item of `PATCH /api/v2/connections/{id}/clients` (OAS
/// `UpdateEnabledClientConnectionsRequestContent`: both required, nothing else allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSwitch {
    /// The client id.
    pub client_id: String,
    /// Enable (`true`) or disable (`false`) the connection for it.
    pub status: bool,
}

/// The Management API error body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The HTTP status repeated.
    #[serde(default)]
    pub status_code: Option<u16>,
    /// The HTTP reason phrase.
    #[serde(default)]
    pub error: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub message: Option<String>,
    /// A stable code (`inexistent_connection`, `insufficient_scope`, ...).
    #[serde(default)]
    pub error_code: Option<String>,
}

/// A scope in the two shapes the OAS allows (`ConnectionScopeOAuth2`: a delimited string or
/// an array).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum ScopeValue {
    /// `"openid profile"`.
    Text(String),
    /// `["openid", "profile"]`.
    List(Vec<String>),
}

/// Options of `oidc` and `okta` (OAS `ConnectionOptionsOIDC`, `ConnectionOptionsOkta`).
/// `connection_settings.pkce` stays in `rest`: the mapping models two of its four values.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct OidcOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Space-separated (OAS `ConnectionScopeOIDC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// `client_secret_post` or `private_key_jwt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// Options of `samlp` (OAS `ConnectionOptionsSAML`).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SamlOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_out_endpoint: Option<String>,
    /// Our (service provider) entity id; default `urn:auth0:{tenant}:{connection}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// Base64 X.509 (OAS `ConnectionSigningCertSAML`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_cert: Option<String>,
    #[serde(
        default,
        rename = "signSAMLRequest",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_saml_request: Option<bool>,
    #[serde(default, rename = "icon_url", skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// Options of `waad` (OAS `ConnectionOptionsAzureAD`).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct AzureAdOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Host name or tenant UUID (OAS `ConnectionTenantDomainAzureAD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_domain: Option<String>,
    /// An array (OAS `ConnectionScopeAzureAD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// Options of `oauth2` (OAS `ConnectionOptionsOAuth2`).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct OAuth2Options {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(
        default,
        rename = "authorizationURL",
        skip_serializing_if = "Option::is_none"
    )]
    pub authorization_url: Option<String>,
    #[serde(default, rename = "tokenURL", skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// A space-delimited string or an array (OAS `ConnectionScopeOAuth2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkce_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// Options of the social strategies (OAS `ConnectionOptionsGoogleOAuth2`, `…GitHub`,
/// `…WindowsLive`, `…Apple`, `…Facebook`, `…Linkedin`). Apple calls its secret `app_secret`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct SocialOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// Options of `ad` and `adfs` (OAS `ConnectionOptionsAD`, `ConnectionOptionsADFS`).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct DirectoryOptions {
    /// The ADFS federation metadata host (`adfs` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adfs_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// Options of any other strategy: the usual client pair, and the rest opaque.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct OpaqueOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl fmt::Debug for CreateConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateConnection")
            .field("name", &self.name)
            .field("strategy", &self.strategy)
            .field("option_keys", &self.options.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for UpdateConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateConnection")
            .field("display_name", &self.display_name)
            .field("option_keys", &self.options.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}
