//! The HTTP routes: `/oauth/token`, `/api/v2/connections[/{id}[/clients|/scim-configuration]]`,
//! `/api/v2/clients` and `/api/v2/connections-directory-provisionings`.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::Shared;
use super::apps::{create_client, list_clients};
use super::clients::{get_clients, patch_clients};
use super::connection::{Projection, apply_patch, new_record, present};
use super::errors::ApiError;
use super::list;
use super::provisioning::{get_scim_configuration, list_directory_provisionings};
use super::store::is_valid_id;
use super::validate::{BodyKind, as_object, validate_body, validate_mapping};

/// "Max payload 1 MB" (Auth0's Management API v2 docs).
const BODY_LIMIT: usize = 1024 * 1024;

type Answer = Result<Response, ApiError>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/oauth/token", post(token))
        .route("/api/v2/connections", get(list_connections).post(create))
        .route(
            "/api/v2/connections/{id}",
            get(get_one).patch(update).delete(delete),
        )
        .route(
            "/api/v2/connections/{id}/clients",
            get(get_clients).patch(patch_clients),
        )
        .route("/api/v2/clients", get(list_clients).post(create_client))
        .route(
            "/api/v2/connections-directory-provisionings",
            get(list_directory_provisionings),
        )
        .route(
            "/api/v2/connections/{id}/scim-configuration",
            get(get_scim_configuration),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(no_route)
        .with_state(shared)
}

async fn no_route() -> Response {
    ApiError::no_route().into_response()
}

async fn token(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let headers = request.headers().clone();
    match axum::body::to_bytes(request.into_body(), BODY_LIMIT).await {
        Ok(body) => shared.auth.token_endpoint(&headers, &body),
        Err(_) => ApiError::too_large(BODY_LIMIT).into_response(),
    }
}

async fn list_connections(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let grant = shared.auth.authorize(&headers, "read:connections")?;
    let query = list::parse(query.as_deref())?;
    let body = {
        let store = shared.read_store()?;
        list::answer(&store, &query, &grant)?
    };
    Ok(axum::Json(body).into_response())
}

async fn create(State(shared): State<Arc<Shared>>, request: Request) -> Answer {
    let headers = request.headers().clone();
    let grant = shared.auth.authorize(&headers, "create:connections")?;
    let body = read_body(request).await?;
    validate_body(&body, BodyKind::Create)?;
    if let (Some(strategy), Some(options)) = (
        body.get("strategy").and_then(Value::as_str),
        body.get("options"),
    ) {
        validate_mapping(strategy, options)?;
    }
    let body = as_object(body);
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let record = {
        let mut store = shared.write_store()?;
        if store.name_taken(&name) {
            return Err(ApiError::conflict());
        }
        store.insert(new_record(body))
    };
    let shown = present(record, &grant, &Projection::default());
    Ok((StatusCode::CREATED, axum::Json(shown)).into_response())
}

async fn get_one(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    let grant = shared.auth.authorize(&headers, "read:connections")?;
    check_id(&id)?;
    let projection = projection(query.as_deref())?;
    let record = shared
        .read_store()?
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    Ok(axum::Json(present(record, &grant, &projection)).into_response())
}

async fn update(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    request: Request,
) -> Answer {
    let headers = request.headers().clone();
    let grant = shared.auth.authorize(&headers, "update:connections")?;
    check_id(&id)?;
    let body = read_body(request).await?;
    validate_body(&body, BodyKind::Update)?;
    let body = as_object(body);
    // OAS UpdateConnectionOptions: "To update these options, the update:connections_options
    // scope must be present."
    if body.contains_key("options") {
        grant.require("update:connections_options")?;
    }
    let record = {
        let mut store = shared.write_store()?;
        let record = store.get_mut(&id).ok_or_else(ApiError::not_found)?;
        if let (Some(strategy), Some(options)) = (
            record.get("strategy").and_then(Value::as_str),
            body.get("options"),
        ) {
            validate_mapping(strategy, options)?;
        }
        apply_patch(record, body);
        record.clone()
    };
    Ok(axum::Json(present(record, &grant, &Projection::default())).into_response())
}

async fn delete(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    shared.auth.authorize(&headers, "delete:connections")?;
    check_id(&id)?;
    let removed = shared.write_store()?.remove(&id);
    if removed {
        // Live answer (TF-REC, 64 recordings): 202 with `{"deleted_at": "<ISO-8601>"}`.
        Ok((
            StatusCode::ACCEPTED,
            axum::Json(json!({ "deleted_at": now_iso8601() })),
        )
            .into_response())
    } else {
        // OAS: 204 "The connection no longer exists." (no 404 is documented for DELETE).
        Ok(StatusCode::NO_CONTENT.into_response())
    }
}

pub(super) fn check_id(id: &str) -> Result<(), ApiError> {
    if is_valid_id(id) {
        Ok(())
    } else {
        Err(ApiError::path_id(id))
    }
}

fn projection(query: Option<&str>) -> Result<Projection, ApiError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let include = match value("include_fields") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            return Err(ApiError::query(
                "Expected type boolean but found type string",
                Some("include_fields"),
            ));
        }
    };
    Ok(Projection::new(value("fields"), include))
}

/// The request body as JSON: a JSON document, or a form (OAS also declares
/// `application/x-www-form-urlencoded`) read as an object of strings.
pub(super) async fn read_body(request: Request) -> Result<Value, ApiError> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| ApiError::too_large(BODY_LIMIT))?;
    if is_form {
        let object: Map<String, Value> = url::form_urlencoded::parse(&bytes)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        return Ok(Value::Object(object));
    }
    serde_json::from_slice(&bytes).map_err(|_| ApiError::malformed_body())
}

fn now_iso8601() -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_default()
}
