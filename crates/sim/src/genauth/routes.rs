//! One handler for every path: read the body, check credentials, dispatch by method and path,
//! wrap the answer in the envelope. Every failure is the vendor's envelope, never a framework
//! default.

use std::sync::Arc;

use axum::body::Body as HttpBody;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::GenAuthSim;
use super::errors::{ApiError, success};
use super::input::{Body, Query};
use super::signature::SignedRequest;
use super::store::{ConnChanges, ListFilter, NewConn};
use super::types::{CONNECTION_TYPES, EXT_IDP_TYPES};

/// The token endpoint (SPEC `V3ManagementController_getManagementToken`).
pub const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// The largest body accepted (answered 413 PayloadTooLarge beyond).
const BODY_LIMIT: usize = 1 << 20;

/// Every request lands here.
pub async fn handle(State(sim): State<Arc<GenAuthSim>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(HttpBody::new(body), BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => return ApiError::too_large("the request body is too large").into_response(),
    };
    let request = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
        body: &bytes,
    };
    match answer(&sim, &parts.method, &request) {
        Ok(data) => success(data),
        Err(error) => error.into_response(),
    }
}

fn answer(
    sim: &GenAuthSim,
    method: &Method,
    request: &SignedRequest<'_>,
) -> Result<Value, ApiError> {
    let path = request.path;
    let route = ROUTES.iter().find(|(_, p)| *p == path);
    let Some((expected, _)) = route.filter(|(m, _)| m == method) else {
        return Err(ApiError::no_route(method.as_str(), path));
    };
    if path == TOKEN_PATH {
        return token(sim, &Body::parse(request.body)?);
    }
    sim.gate.check(request)?;
    if *expected == Method::GET {
        read(sim, path, &Query::parse(request.query))
    } else {
        write(sim, path, &Body::parse(request.body)?)
    }
}

const ROUTES: &[(Method, &str)] = &[
    (Method::POST, TOKEN_PATH),
    (Method::GET, "/api/v3/list-ext-idp"),
    (Method::GET, "/api/v3/get-ext-idp"),
    (Method::POST, "/api/v3/create-ext-idp"),
    (Method::POST, "/api/v3/update-ext-idp"),
    (Method::POST, "/api/v3/delete-ext-idp"),
    (Method::POST, "/api/v3/create-ext-idp-conn"),
    (Method::POST, "/api/v3/update-ext-idp-conn"),
    (Method::POST, "/api/v3/delete-ext-idp-conn"),
    (Method::POST, "/api/v3/change-ext-idp-conn-state"),
    (
        Method::POST,
        "/api/v3/change-ext-idp-conn-association-state",
    ),
    (Method::GET, "/api/v3/list-tenant-ext-idp"),
    (Method::GET, "/api/v3/ext-idp-conn-apps"),
    (Method::GET, "/api/v3/list-applications"),
    (Method::POST, "/api/v3/create-application"),
    (
        Method::POST,
        "/api/v3/change-userpool-tenant-ext-idp-conn-state",
    ),
];

/// `get-management-token`: `{accessKeyId, accessKeySecret}` to `{access_token, expires_in}`.
fn token(sim: &GenAuthSim, body: &Body) -> Result<Value, ApiError> {
    let key_id = body.string("accessKeyId")?;
    let secret = body.string("accessKeySecret")?;
    if key_id != sim.gate.access_key_id || secret != sim.gate.access_key_secret {
        return Err(ApiError::unauthorized(
            None,
            "accessKeyId or accessKeySecret is incorrect",
        ));
    }
    let token = sim
        .gate
        .tokens
        .mint(&sim.gate.userpool_id, &key_id, sim.token_lifetime);
    Ok(json!({"access_token": token, "expires_in": sim.token_lifetime.as_secs()}))
}

fn read(sim: &GenAuthSim, path: &str, query: &Query) -> Result<Value, ApiError> {
    let tenant = query.opt_string("tenantId");
    let filter = ListFilter {
        tenant_id: tenant.clone(),
        app_id: query.opt_string("appId"),
        category: query.category()?,
    };
    let store = sim.store();
    match path {
        "/api/v3/list-ext-idp" => Ok(store.list_ext_idps(&ListFilter {
            category: None,
            ..filter
        })),
        "/api/v3/get-ext-idp" => {
            store.get_ext_idp(&query.string("id")?, &tenant, filter.category.as_deref())
        }
        "/api/v3/list-tenant-ext-idp" => {
            let page = query.number("page", 1, usize::MAX)?;
            let limit = query.number("limit", 10, 50)?;
            Ok(store.list_tenant_ext_idps(&filter, page, limit))
        }
        "/api/v3/ext-idp-conn-apps" => {
            store.conn_apps(&query.string("id")?, &tenant, filter.app_id.as_deref())
        }
        "/api/v3/list-applications" => {
            let page = query.number("page", 1, usize::MAX)?;
            let limit = query.number("limit", 10, 50)?;
            Ok(store.list_apps(page, limit))
        }
        _ => Err(ApiError::no_route("GET", path)),
    }
}

fn write(sim: &GenAuthSim, path: &str, body: &Body) -> Result<Value, ApiError> {
    let tenant = body.opt_string("tenantId")?;
    match path {
        "/api/v3/create-ext-idp" => {
            let name = body.string("name")?;
            let kind = one_of(body.string("type")?, "type", EXT_IDP_TYPES)?;
            Ok(sim.store().create_ext_idp(name, kind, tenant))
        }
        "/api/v3/update-ext-idp" => {
            let (id, name) = (body.string("id")?, body.string("name")?);
            sim.store().update_ext_idp(&id, name, &tenant)
        }
        "/api/v3/delete-ext-idp" => sim.store().delete_ext_idp(&body.string("id")?, &tenant),
        "/api/v3/create-ext-idp-conn" => {
            let new = NewConn {
                ext_idp_id: body.string("extIdpId")?,
                kind: one_of(body.string("type")?, "type", CONNECTION_TYPES)?,
                identifier: body.string("identifier")?,
                display_name: body.string("displayName")?,
                fields: body.object("fields")?,
                login_only: body.opt_bool("loginOnly")?,
                logo: body.opt_string("logo")?,
                tenant_id: tenant,
            };
            sim.store().create_conn(new)
        }
        "/api/v3/update-ext-idp-conn" => {
            let changes = ConnChanges {
                id: body.string("id")?,
                display_name: body.string("displayName")?,
                fields: body.object("fields")?,
                logo: body.opt_string("logo")?,
                login_only: body.opt_bool("loginOnly")?,
                tenant_id: tenant,
            };
            sim.store().update_conn(changes)
        }
        "/api/v3/delete-ext-idp-conn" => sim.store().delete_conn(&body.string("id")?, &tenant),
        "/api/v3/change-ext-idp-conn-state" => {
            let id = body.string("id")?;
            let enabled = body.bool("enabled")?;
            let mut apps = vec![body.string("appId")?];
            apps.extend(body.opt_strings("appIds")?.unwrap_or_default());
            sim.store().change_conn_state(&id, enabled, apps, &tenant)
        }
        "/api/v3/create-application" => {
            let name = body.string("appName")?;
            let identifier = body.opt_string("appIdentifier")?;
            sim.store().create_app(name, identifier)
        }
        "/api/v3/change-ext-idp-conn-association-state" => {
            let id = body.string("id")?;
            let association = body.bool("association")?;
            sim.store().change_association(&id, association, tenant)
        }
        "/api/v3/change-userpool-tenant-ext-idp-conn-state" => {
            let enabled = body.bool("enabled")?;
            let ids = body.strings("connIds")?;
            sim.store().change_tenant_state(&ids, enabled)
        }
        _ => Err(ApiError::no_route("POST", path)),
    }
}

fn one_of(value: String, name: &str, allowed: &[&str]) -> Result<String, ApiError> {
    if allowed.contains(&value.as_str()) {
        Ok(value)
    } else {
        Err(ApiError::invalid(format!(
            "{name} must be one of the following values: {}",
            allowed.join(", ")
        )))
    }
}
