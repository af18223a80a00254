//! The admin routes: `{prefix}/admin/realms/{workspace}/identity-provider/instances[/{alias}]`.
//!
//! Statuses and bodies: POST 201 + `Location` and an
//! empty body, 409 `{errorMessage}` on a taken alias; GET list (`first`, `max` defaulting to 100,
//! `search`, `briefRepresentation`); GET one by alias or internal id; PUT 204; DELETE 204
//! (the spec says 200; the server answers 204); unknown alias 404 `{"error":"HTTP 404 Not Found"}`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::EztoSim;
use super::auth::Role;
use super::errors::{self, Refusal};
use super::rep;
use super::store::{Duplicate, Search};
use super::write;

/// `max` when the request names none ("always set a maximum of 100 by default").
const DEFAULT_MAX: usize = 100;

/// What a handler answers: a success, or Keycloak's refusal.
type Answer = Result<Response, Refusal>;

pub(crate) async fn token(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path(realm) = path.map_err(|_| errors::not_found())?;
    if realm != sim.token_realm() {
        return Err(errors::error(StatusCode::NOT_FOUND, "Realm does not exist"));
    }
    let body = body.map_err(|_| errors::cannot_parse_json())?;
    let issuer = format!(
        "http://{}{}/realms/{realm}",
        host(&headers),
        sim.settings.prefix
    );
    super::auth::token_response(
        &sim.shared.tokens,
        &sim.settings.clients,
        &issuer,
        &headers,
        &body,
    )
}

pub(crate) async fn list(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let Path(workspace) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::View)?;
    // Measured: a `first` or `max` that is not an int32 fails parameter conversion: 404.
    let query = ListQuery::parse(query.as_deref().unwrap_or("")).ok_or_else(errors::not_found)?;
    let items: Vec<Value> = sim
        .shared
        .read()
        .page(query.search.as_ref(), query.first, query.max)
        .into_iter()
        .map(|idp| {
            if query.brief {
                idp.to_brief_json()
            } else {
                idp.to_json(true)
            }
        })
        .collect();
    Ok(Json(Value::Array(items)).into_response())
}

pub(crate) async fn create(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path(workspace) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::Manage)?;
    let incoming = rep::decode(&json_body(&headers, body)?)?;
    let idp = write::for_create(incoming, &sim.settings.provider_ids)?;
    let alias = idp.alias.clone();
    if sim.shared.write().insert(idp) == Err(Duplicate) {
        return Err(errors::error_message(
            StatusCode::CONFLICT,
            format!("Identity Provider {alias} already exists"),
        ));
    }
    let location = format!(
        "http://{}{}/admin/realms/{workspace}/identity-provider/instances/{}",
        host(&headers),
        sim.settings.prefix,
        encode_segment(&alias)
    );
    Ok((StatusCode::CREATED, [(header::LOCATION, location)]).into_response())
}

pub(crate) async fn get_one(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let Path((workspace, key)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::View)?;
    // briefRepresentation is ignored on the single read (measured).
    let found = sim.shared.read().resolve(&key).map(|idp| idp.to_json(true));
    found
        .map(|rep| Json(rep).into_response())
        .ok_or_else(errors::not_found)
}

pub(crate) async fn update(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path((workspace, key)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::Manage)?;
    // Measured: the body is decoded before the alias is resolved (a bad body to an unknown
    // alias is the 400, not the 404).
    let incoming = rep::decode(&json_body(&headers, body)?)?;
    let mut store = sim.shared.write();
    let stored = store.resolve(&key).ok_or_else(errors::not_found)?;
    let updated = write::for_update(incoming, stored, &sim.settings.provider_ids)?;
    store.replace(updated);
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn delete(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let Path((workspace, key)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::Manage)?;
    sim.shared
        .write()
        .remove(&key)
        .map(|_| StatusCode::NO_CONTENT.into_response())
        .ok_or_else(errors::not_found)
}

pub(crate) async fn fallback() -> Refusal {
    errors::not_found()
}

/// The body of a JSON write: a body that could not be read, or one declared as another
/// media type, is refused the way RESTEasy does.
fn json_body(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Bytes, Refusal> {
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        let mime = content_type
            .to_str()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if mime != "application/json" && !mime.ends_with("+json") {
            return Err(errors::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "HTTP 415 Unsupported Media Type",
            ));
        }
    }
    body.map_err(|rejection| {
        errors::error(rejection.status(), format!("HTTP {}", rejection.status()))
    })
}

/// The list query: `first`, `max`, `search`, `briefRepresentation` (`realmOnly`, `type` and
/// `capability` change nothing on a workspace without organizations and are ignored).
struct ListQuery {
    first: usize,
    max: Option<usize>,
    search: Option<Search>,
    brief: bool,
}

impl ListQuery {
    /// `None` when `first` or `max` is not an int32. A negative `first` is no offset and a
    /// negative `max` no bound (measured: `first=-1&max=-1` returns everything).
    fn parse(query: &str) -> Option<ListQuery> {
        let mut parsed = ListQuery {
            first: 0,
            max: Some(DEFAULT_MAX),
            search: None,
            brief: false,
        };
        let mut seen = std::collections::HashSet::new();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            if !seen.insert(key.clone().into_owned()) {
                continue; // JAX-RS @QueryParam takes the first value.
            }
            match key.as_ref() {
                "first" => parsed.first = usize::try_from(value.parse::<i32>().ok()?).unwrap_or(0),
                "max" => parsed.max = usize::try_from(value.parse::<i32>().ok()?).ok(),
                "search" => parsed.search = Search::parse(&value),
                "briefRepresentation" => parsed.brief = value.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        Some(parsed)
    }
}

/// The request's `Host`, for absolute URLs (Keycloak builds `Location` from the request URI).
pub(crate) fn host(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string()
}

/// Percent-encodes one path segment (`UriBuilder.path`).
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
