//! `GET` and `PATCH /api/v2/connections/{id}/clients`: the applications a connection is
//! enabled for (OAS `GetConnectionEnabledClientsResponseContent`,
//! `UpdateEnabledClientConnectionsRequestContent`). The official SDKs reach them as
//! `connections.clients.get/update`; the deprecated `enabled_clients` of the connection shows
//! the same list.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::Shared;
use super::errors::ApiError;
use super::routes::{check_id, read_body};
use super::validate::type_name;

/// OAS `take`: 1 to 1000, default 50.
const DEFAULT_TAKE: usize = 50;
const MAX_TAKE: usize = 1000;
/// OAS `from`: at most 1000 characters.
const MAX_FROM: usize = 1000;
/// "The limit per PATCH request is 50 clients" (OAS `UpdateEnabledClientConnectionsRequestContent`).
const MAX_PATCH: usize = 50;

/// `GET .../clients?take=&from=`: checkpoint pages of `{clients: [{client_id}], next?}`.
pub(crate) async fn get_clients(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    shared.auth.authorize(&headers, "read:connections")?;
    check_id(&id)?;
    let (take, start) = page_query(query.as_deref())?;
    let enabled = shared
        .read_store()?
        .get(&id)
        .map(enabled_clients)
        .ok_or_else(ApiError::not_found)?;
    let page: Vec<Value> = enabled
        .iter()
        .skip(start)
        .take(take)
        .map(|client_id| json!({ "client_id": client_id }))
        .collect();
    let mut body = json!({ "clients": page });
    let end = start.saturating_add(take);
    if end < enabled.len() {
        body["next"] = json!(URL_SAFE_NO_PAD.encode(end.to_string()));
    }
    Ok(axum::Json(body).into_response())
}

/// `PATCH .../clients` with `[{client_id, status}]` (1 to 50 items): enables (`true`) or
/// disables (`false`) each client; 204 No Content.
pub(crate) async fn patch_clients(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let headers = request.headers().clone();
    shared.auth.authorize(&headers, "update:connections")?;
    check_id(&id)?;
    let changes = parse_changes(&read_body(request).await?)?;
    let mut store = shared.write_store()?;
    let record = store.get_mut(&id).ok_or_else(ApiError::not_found)?;
    {
        let apps = shared.apps.read().map_err(|_| ApiError::internal())?;
        if changes.iter().any(|(client_id, _)| !apps.has(client_id)) {
            return Err(ApiError::client_not_found());
        }
    }
    let mut enabled = enabled_clients(record);
    for (client_id, status) in changes {
        enabled.retain(|existing| *existing != client_id);
        if status {
            enabled.push(client_id);
        }
    }
    record.insert("enabled_clients".into(), json!(enabled));
    shared
        .client_patches
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn enabled_clients(record: &super::store::Record) -> Vec<String> {
    record
        .get("enabled_clients")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// `take` and the position `from` points at.
fn page_query(query: Option<&str>) -> Result<(usize, usize), ApiError> {
    let mut take = DEFAULT_TAKE;
    let mut start = 0;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "take" => {
                take = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_TAKE).contains(n))
                    .ok_or_else(|| {
                        ApiError::query(
                            &format!("take must be an integer from 1 to {MAX_TAKE}"),
                            Some("take"),
                        )
                    })?;
            }
            "from" => {
                let invalid = || ApiError::query("Invalid checkpoint value", Some("from"));
                if value.len() > MAX_FROM {
                    return Err(invalid());
                }
                start = URL_SAFE_NO_PAD
                    .decode(value.as_bytes())
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .and_then(|text| text.parse().ok())
                    .ok_or_else(invalid)?;
            }
            other => {
                return Err(ApiError::query(
                    &format!("Additional properties not allowed: {other}"),
                    None,
                ));
            }
        }
    }
    Ok((take, start))
}

fn parse_changes(body: &Value) -> Result<Vec<(String, bool)>, ApiError> {
    let items = body.as_array().ok_or_else(|| {
        ApiError::payload(
            &format!("Expected type array but found type {}", type_name(body)),
            None,
        )
    })?;
    if items.is_empty() || items.len() > MAX_PATCH {
        return Err(ApiError::payload(
            &format!(
                "Array must have from 1 to {MAX_PATCH} items, found {}",
                items.len()
            ),
            None,
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let object = item.as_object().ok_or_else(|| {
                ApiError::payload(
                    &format!("Expected type object but found type {}", type_name(item)),
                    Some(&format!("[{index}]")),
                )
            })?;
            if let Some(extra) = object
                .keys()
                .find(|k| !matches!(k.as_str(), "client_id" | "status"))
            {
                return Err(ApiError::payload(
                    &format!("Additional properties not allowed: {extra}"),
                    Some(&format!("[{index}]")),
                ));
            }
            let client_id = match object.get("client_id") {
                Some(Value::String(id)) if id.is_empty() => {
                    return Err(ApiError::payload(
                        "String is too short (0 chars), minimum 1",
                        Some(&format!("[{index}].client_id")),
                    ));
                }
                Some(Value::String(id)) => id.clone(),
                Some(other) => {
                    return Err(ApiError::payload(
                        &format!("Expected type string but found type {}", type_name(other)),
                        Some(&format!("[{index}].client_id")),
                    ));
                }
                None => {
                    return Err(ApiError::payload(
                        "Missing required property: client_id",
                        Some(&format!("[{index}]")),
                    ));
                }
            };
            let status = match object.get("status") {
                Some(Value::Bool(status)) => *status,
                Some(other) => {
                    return Err(ApiError::payload(
                        &format!("Expected type boolean but found type {}", type_name(other)),
                        Some(&format!("[{index}].status")),
                    ));
                }
                None => {
                    return Err(ApiError::payload(
                        "Missing required property: status",
                        Some(&format!("[{index}]")),
                    ));
                }
            };
            Ok((client_id, status))
        })
        .collect()
}
