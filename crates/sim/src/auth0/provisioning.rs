//! Reads of provisioning settings the simulator never holds, answered as an Auth0 tenant with
//! none configured answers them (OAS `get_connections-directory-provisionings`,
//! `get_scim-configuration`), so tools that read every connection's settings (Auth0's Deploy
//! CLI export) run against the simulator.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Shared;
use super::errors::ApiError;
use super::routes::check_id;

/// `GET /api/v2/connections-directory-provisionings?from=&take=` (take 1 to 100): no
/// connection has directory provisioning, so the list is empty and has no `next`.
pub(crate) async fn list_directory_provisionings(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    shared
        .auth
        .authorize(&headers, "read:directory_provisionings")?;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "from" => {}
            "take" if value.parse::<u32>().is_ok_and(|n| (1..=100).contains(&n)) => {}
            "take" => {
                return Err(ApiError::query(
                    "take must be an integer from 1 to 100",
                    Some("take"),
                ));
            }
            other => {
                return Err(ApiError::query(
                    &format!("Additional properties not allowed: {other}"),
                    None,
                ));
            }
        }
    }
    Ok(axum::Json(json!({ "directory_provisionings": [] })).into_response())
}

/// `GET /api/v2/connections/{id}/scim-configuration`: 404 "The connection does not exist" for
/// an unknown connection, and 404 "Not Found" for one without SCIM (the OAS's two 404s).
pub(crate) async fn get_scim_configuration(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    shared.auth.authorize(&headers, "read:scim_config")?;
    check_id(&id)?;
    if shared.read_store()?.get(&id).is_none() {
        return Err(ApiError::not_found());
    }
    let body = json!({ "statusCode": 404, "error": "Not Found", "message": "Not Found" });
    Ok((StatusCode::NOT_FOUND, axum::Json(body)).into_response())
}
