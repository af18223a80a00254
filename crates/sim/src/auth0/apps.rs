//! `GET` and `POST /api/v2/clients`: the tenant's applications, minimal (`client_id`, `name`,
//! `app_type`), after the OAS (`get_clients`, `post_clients`, `Client`,
//! `CreateClientRequestContent`). The machine-to-machine clients that get tokens from
//! `/oauth/token` are kept apart and not listed.
//!
//! Listing answers in the three shapes the OAS declares: checkpoint pages `{clients, next?}`
//! when `from` or `take` is given, `{start, limit, total, clients}` with `include_totals=true`,
//! and a bare array otherwise (`page`, `per_page`).

use std::sync::Arc;

use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Map, Value, json};

use super::Shared;
use super::errors::ApiError;
use super::routes::read_body;
use super::validate::type_name;

/// OAS `per_page`: default 50, at most 100; `take`: default 50, 1 to 100.
const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 100;

/// OAS `ClientAppTypeEnum`.
const APP_TYPES: &[&str] = &[
    "native",
    "spa",
    "regular_web",
    "non_interactive",
    "resource_server",
    "express_configuration",
    "rms",
    "box",
    "cloudbees",
    "concur",
    "dropbox",
    "mscrm",
    "echosign",
    "egnyte",
    "newrelic",
    "office365",
    "salesforce",
    "sentry",
    "sharepoint",
    "slack",
    "springcm",
    "zendesk",
    "zoom",
    "sso_integration",
    "oag",
];

/// The tenant's applications in creation order.
#[derive(Debug, Default)]
pub(crate) struct Apps {
    clients: Vec<Map<String, Value>>,
}

impl Apps {
    /// Adds an application and returns its stored form.
    pub(crate) fn add(&mut self, name: &str, app_type: Option<&str>) -> Map<String, Value> {
        let client_id: String = rand::rng()
            .sample_iter(Alphanumeric)
            .take(32)
            .map(char::from)
            .collect();
        let mut client = Map::new();
        client.insert("client_id".into(), json!(client_id));
        client.insert("name".into(), json!(name));
        if let Some(app_type) = app_type {
            client.insert("app_type".into(), json!(app_type));
        }
        self.clients.push(client.clone());
        client
    }

    /// True when a client has this id.
    pub(crate) fn has(&self, client_id: &str) -> bool {
        self.clients
            .iter()
            .any(|c| c.get("client_id").and_then(Value::as_str) == Some(client_id))
    }
}

/// How a list request pages.
enum Paging {
    Checkpoint {
        take: usize,
        start: usize,
    },
    Offset {
        page: usize,
        per_page: usize,
        totals: bool,
    },
}

/// `GET /api/v2/clients`.
pub(crate) async fn list_clients(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    // The OAS's security for `get_clients`: any one of the four read scopes.
    shared.auth.authorize_any(
        &headers,
        &[
            "read:clients",
            "read:client_keys",
            "read:client_credentials",
            "read:client_summary",
        ],
    )?;
    let query = ListQuery::parse(query.as_deref())?;
    let apps = shared.apps.read().map_err(|_| ApiError::internal())?;
    let matching: Vec<Value> = apps
        .clients
        .iter()
        .filter(|c| {
            query.app_types.is_empty()
                || c.get("app_type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| query.app_types.iter().any(|want| want == t))
        })
        .map(|c| Value::Object(query.project(c)))
        .collect();
    let body = match query.paging {
        Paging::Checkpoint { take, start } => {
            let page: Vec<Value> = matching.iter().skip(start).take(take).cloned().collect();
            let mut body = json!({ "clients": page });
            let end = start.saturating_add(take);
            if end < matching.len() {
                body["next"] = json!(URL_SAFE_NO_PAD.encode(end.to_string()));
            }
            body
        }
        Paging::Offset {
            page,
            per_page,
            totals,
        } => {
            let start = page.saturating_mul(per_page);
            let items: Vec<Value> = matching
                .iter()
                .skip(start)
                .take(per_page)
                .cloned()
                .collect();
            if totals {
                json!({ "start": start, "limit": per_page, "total": matching.len(), "clients": items })
            } else {
                Value::Array(items)
            }
        }
    };
    Ok(axum::Json(body).into_response())
}

/// `POST /api/v2/clients`: `name` is required (1 character or more, no `<` or `>`); `app_type`
/// must be one of the OAS's; the other properties are accepted and not kept.
pub(crate) async fn create_client(
    State(shared): State<Arc<Shared>>,
    request: Request,
) -> Result<Response, ApiError> {
    let headers = request.headers().clone();
    shared.auth.authorize(&headers, "create:clients")?;
    let body = read_body(request).await?;
    let object = body.as_object().ok_or_else(|| {
        ApiError::payload(
            &format!("Expected type object but found type {}", type_name(&body)),
            None,
        )
    })?;
    let name = match object.get("name") {
        None => return Err(ApiError::payload("Missing required property: name", None)),
        Some(Value::String(name)) if name.is_empty() => {
            return Err(ApiError::payload(
                "String is too short (0 chars), minimum 1",
                Some("name"),
            ));
        }
        Some(Value::String(name)) if name.contains(['<', '>']) => {
            return Err(ApiError::payload(
                "String does not match pattern ^[^<>]+$",
                Some("name"),
            ));
        }
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(ApiError::payload(
                &format!("Expected type string but found type {}", type_name(other)),
                Some("name"),
            ));
        }
    };
    let app_type = match object.get("app_type") {
        None => None,
        Some(Value::String(t)) if APP_TYPES.contains(&t.as_str()) => Some(t.clone()),
        Some(other) => {
            return Err(ApiError::payload(
                &format!("No enum match for: {other}"),
                Some("app_type"),
            ));
        }
    };
    let client = shared
        .apps
        .write()
        .map_err(|_| ApiError::internal())?
        .add(&name, app_type.as_deref());
    Ok((StatusCode::CREATED, axum::Json(Value::Object(client))).into_response())
}

struct ListQuery {
    paging: Paging,
    fields: Option<Vec<String>>,
    include_fields: bool,
    app_types: Vec<String>,
}

impl ListQuery {
    fn parse(raw: Option<&str>) -> Result<ListQuery, ApiError> {
        let (mut take, mut from, mut page, mut per_page, mut totals) =
            (None, None, None, None, false);
        let (mut fields, mut include_fields, mut app_types) = (None, true, Vec::new());
        for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let number = |max: usize, min: usize| {
                value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| {
                        ApiError::query(
                            &format!("{key} must be an integer from {min} to {max}"),
                            Some(&key),
                        )
                    })
            };
            let boolean = || match value.as_ref() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(ApiError::query(
                    "Expected type boolean but found type string",
                    Some(&key),
                )),
            };
            match key.as_ref() {
                "take" => take = Some(number(MAX_PAGE, 1)?),
                "from" => {
                    from = Some(
                        URL_SAFE_NO_PAD
                            .decode(value.as_bytes())
                            .ok()
                            .and_then(|bytes| String::from_utf8(bytes).ok())
                            .and_then(|text| text.parse::<usize>().ok())
                            .ok_or_else(|| {
                                ApiError::query("Invalid checkpoint value", Some("from"))
                            })?,
                    )
                }
                "page" => page = Some(number(usize::MAX, 0)?),
                "per_page" => per_page = Some(number(MAX_PAGE, 0)?),
                "include_totals" => totals = boolean()?,
                "include_fields" => include_fields = boolean()?,
                "fields" => fields = Some(value.split(',').map(|f| f.trim().to_string()).collect()),
                "app_type" => app_types = value.split(',').map(str::to_string).collect(),
                "is_global" | "is_first_party" => {
                    boolean()?;
                }
                other => {
                    return Err(ApiError::query(
                        &format!("Additional properties not allowed: {other}"),
                        None,
                    ));
                }
            }
        }
        let paging = if take.is_some() || from.is_some() {
            Paging::Checkpoint {
                take: take.unwrap_or(DEFAULT_PAGE),
                start: from.unwrap_or(0),
            }
        } else {
            Paging::Offset {
                page: page.unwrap_or(0),
                per_page: per_page.unwrap_or(DEFAULT_PAGE),
                totals,
            }
        };
        Ok(ListQuery {
            paging,
            fields,
            include_fields,
            app_types,
        })
    }

    /// The client with only the fields asked for (or without the ones excluded).
    fn project(&self, client: &Map<String, Value>) -> Map<String, Value> {
        match &self.fields {
            None => client.clone(),
            Some(fields) => client
                .iter()
                .filter(|(k, _)| fields.contains(k) == self.include_fields)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}
