//! GenAuth's JSON, as the V3 management API sends and takes it (SPEC schemas named on each
//! type). Serde only.

use idconn_core::Lenient;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The head of every answer: `{statusCode, message, apiCode?, requestId?}` (SPEC `*RespDto`).
/// Success is `statusCode == 200` and nothing else (SPEC tag `开发准备/错误处理`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeHead {
    /// 200 on success; otherwise the error class (400, 401, 403, 404, 409, 429, 5xx, 6xx).
    pub status_code: Option<i64>,
    /// A message for a person.
    #[serde(default)]
    pub message: Option<String>,
    /// The business error code, on failures that have one (a number in SPEC).
    #[serde(default)]
    pub api_code: Option<Value>,
    /// The request id, on failures.
    #[serde(default)]
    pub request_id: Option<String>,
}

/// A successful answer's `data` (the envelope's other keys are checked by the error hook).
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    /// The payload.
    pub data: T,
}

/// `POST /api/v3/get-management-token` body (SPEC `GetManagementAccessTokenDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The access key secret.
    pub access_key_secret: &'a str,
}

/// Its `data` (SPEC `AccessTokenResDto`), with the token kept secret from the moment it is
/// parsed.
#[derive(Deserialize)]
pub struct TokenData {
    /// The management token (a JWT).
    pub access_token: SecretString,
    /// Seconds until it expires (default 7200).
    pub expires_in: f64,
}

/// An identity source (SPEC `ExtIdpDto`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtIdp {
    /// Its id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// The identity-source type (`oidc`, `oauth2`, `wechat`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its logo.
    #[serde(default)]
    pub logo: Option<String>,
    /// Its tenant, if any.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

/// `list-ext-idp` data (SPEC `ExtIdpListPagingDto`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtIdpList {
    /// How many sources match.
    #[serde(default)]
    pub total_count: Option<f64>,
    /// The sources (all of them: the endpoint takes no paging parameters).
    pub list: Vec<ExtIdp>,
}

/// `get-ext-idp` data (SPEC `ExtIdpDetail`), with its connections.
#[derive(Debug, Clone, Deserialize)]
pub struct ExtIdpDetail {
    /// The source itself.
    #[serde(flatten)]
    pub ext_idp: ExtIdp,
    /// Its connections. SPEC types this only as `object`; GenAuth (and the simulator) send an
    /// array of connection objects, and an object keyed by id is read as its values. Each is
    /// read on its own: one that does not decode is kept raw and never fails the source.
    #[serde(default, deserialize_with = "connections")]
    pub connections: Lenient<Conn>,
}

fn connections<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Lenient<Conn>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        List(Vec<Value>),
        ById(std::collections::BTreeMap<String, Value>),
        Null(()),
    }
    Ok(Lenient::from_values(match Shape::deserialize(d)? {
        Shape::List(list) => list,
        Shape::ById(map) => map.into_values().collect(),
        Shape::Null(()) => Vec::new(),
    }))
}

/// A connection (SPEC `ExtIdpConnDetail`), plus `fields` where the answer has them: create and
/// update answers do not, `get-ext-idp` does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conn {
    /// Its id.
    pub id: String,
    /// The connection type (`oidc`, `oauth`, `github`, `wechat:pc`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The parent identity source (filled from the parent when a listing leaves it out).
    #[serde(default)]
    pub ext_idp_id: String,
    /// Unique key.
    #[serde(default)]
    pub identifier: String,
    /// Login-page name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Icon URL (`""` for none).
    #[serde(default)]
    pub logo: Option<String>,
    /// Sign-in only: no linking to existing accounts.
    #[serde(default)]
    pub login_only: bool,
    /// `none`, `field` or `challenge`; read-only through the V3 API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_mode: Option<String>,
    /// How users bind an existing account; read-only through the V3 API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_binding_methods: Option<Vec<String>>,
    /// Opaque settings; absent from create/update answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Map<String, Value>>,
    /// Any other key the server sends, kept for extras.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `POST /api/v3/create-ext-idp-conn` body (SPEC `CreateExtIdpConnDto`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateConn {
    /// The parent identity source (empty until placement decides it).
    pub ext_idp_id: String,
    /// The connection type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique key.
    pub identifier: String,
    /// Login-page name (required).
    pub display_name: String,
    /// Settings (required, may be empty).
    pub fields: Map<String, Value>,
    /// Sign-in only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_only: Option<bool>,
    /// Icon URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Tenant scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

/// `POST /api/v3/update-ext-idp-conn` body (SPEC `UpdateExtIdpConnDto`): only these can change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateConn {
    /// The connection.
    pub id: String,
    /// Login-page name (required on every update).
    pub display_name: String,
    /// Settings, merged one level deep into the stored ones ("增量修改").
    pub fields: Map<String, Value>,
    /// Icon URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Sign-in only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_only: Option<bool>,
    /// Tenant scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

/// `POST /api/v3/create-ext-idp` body (SPEC `CreateExtIdpDto`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateExtIdp {
    /// Name.
    pub name: String,
    /// Identity-source type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Tenant scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

/// `{id, tenantId?}`: the body of `delete-ext-idp-conn` and `delete-ext-idp` (SPEC
/// `DeleteExtIdpConnDto`, `DeleteExtIdpDto`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ById<'a> {
    /// The id.
    pub id: &'a str,
    /// Tenant scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<&'a str>,
}

/// `IsSuccessDto`.
#[derive(Debug, Clone, Deserialize)]
pub struct IsSuccess {
    /// Whether it worked.
    #[serde(default)]
    pub success: bool,
}

/// `list-applications` data (SPEC `ApplicationPaginatedRespDto`: `{totalCount, list}`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationList {
    /// How many applications the user pool has.
    #[serde(default)]
    pub total_count: u64,
    /// This page's applications.
    #[serde(default)]
    pub list: Vec<Application>,
}

/// The parts of an application (SPEC `ApplicationDto`) this backend reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// `appId`.
    pub app_id: String,
    /// `appName` (not unique).
    #[serde(default)]
    pub app_name: String,
    /// `loginConfig` (required in SPEC; read leniently).
    #[serde(default)]
    pub login_config: Option<LoginConfig>,
}

/// SPEC `ApplicationLoginConfigDto`: the connections switched on for the application.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginConfig {
    /// `enabledExtIdpConns`.
    #[serde(default)]
    pub enabled_ext_idp_conns: Vec<EnabledConn>,
}

/// SPEC `ApplicationEnabledExtIdpConnDto`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnabledConn {
    /// The connection's id.
    #[serde(default)]
    pub ext_idp_conn_id: String,
    /// "是否允许身份源连接" (optional; absent reads as allowed).
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// `POST change-ext-idp-conn-state` body (SPEC `ChangeExtIdpConnStateDto`; `appIds` is not
/// sent: whether it replaces or adds to `appId` is not documented).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeConnState<'a> {
    /// The connection's id.
    pub id: &'a str,
    /// On or off for the application.
    pub enabled: bool,
    /// The application's id.
    pub app_id: &'a str,
    /// Tenant scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<&'a str>,
}
