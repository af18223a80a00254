//! `GET /connections`: its query and its three answer shapes (bare
//! array, offset `{start,limit,total,connections}`, checkpoint `{connections,next?}`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::auth::Grant;
use super::connection::{Projection, present};
use super::errors::ApiError;
use super::store::{Filter, Store, is_valid_id};
use super::validate::is_list_strategy;

/// Public-cloud page size: list calls without paging params return at most 50 items since
/// 2021-01-26, and 50 is the default `take` (Auth0's docs, "Migrate to paginated queries"; the
/// OAS's "defaults to 100" is the private-cloud value).
const DEFAULT_PAGE: usize = 50;
/// The OAS maximum of `per_page` and `take` (the docs say 50 on public cloud; accept 100).
const MAX_PAGE: u64 = 100;
/// Offset pagination reaches only the first 1000 records (OAS `get_connections`).
const OFFSET_CAP: usize = 1000;

const KNOWN_PARAMS: &[&str] = &[
    "per_page",
    "page",
    "include_totals",
    "from",
    "take",
    "strategy",
    "name",
    "fields",
    "include_fields",
];

/// A parsed list query.
#[derive(Debug, Default)]
pub(crate) struct ListQuery {
    per_page: Option<usize>,
    page: Option<usize>,
    include_totals: Option<bool>,
    from: Option<String>,
    take: Option<usize>,
    filter: Filter,
    projection: Projection,
}

/// Parses and validates the raw query string.
pub(crate) fn parse(raw: Option<&str>) -> Result<ListQuery, ApiError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let unknown: Vec<&str> = pairs
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !KNOWN_PARAMS.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::query(
            &format!("Additional properties not allowed: {}", unknown.join(",")),
            None,
        ));
    }
    let single = |name: &str| -> Result<Option<&str>, ApiError> {
        let mut values = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (None, _) => Ok(None),
            (Some(v), None) => Ok(Some(v.as_str())),
            (Some(_), Some(_)) => Err(ApiError::query(
                "Expected type string but found type array",
                Some(name),
            )),
        }
    };
    let integer = |name: &str, min: u64, max: Option<u64>| -> Result<Option<usize>, ApiError> {
        let Some(text) = single(name)? else {
            return Ok(None);
        };
        let value: u64 = text.parse().map_err(|_| {
            ApiError::query("Expected type integer but found type string", Some(name))
        })?;
        if value < min {
            return Err(ApiError::query(
                &format!("Value {value} is less than minimum {min}"),
                Some(name),
            ));
        }
        if let Some(max) = max.filter(|max| value > *max) {
            return Err(ApiError::query(
                &format!("Value {value} is greater than maximum {max}"),
                Some(name),
            ));
        }
        Ok(Some(usize::try_from(value).unwrap_or(usize::MAX)))
    };
    let boolean = |name: &str| -> Result<Option<bool>, ApiError> {
        match single(name)? {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::query(
                "Expected type boolean but found type string",
                Some(name),
            )),
        }
    };
    let strategies: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "strategy")
        .map(|(_, v)| v.clone())
        .collect();
    if let Some(bad) = strategies.iter().find(|s| !is_list_strategy(s)) {
        return Err(ApiError::query(
            &format!("No enum match for: \"{bad}\""),
            Some("strategy"),
        ));
    }
    Ok(ListQuery {
        per_page: integer("per_page", 1, Some(MAX_PAGE))?,
        page: integer("page", 0, None)?,
        include_totals: boolean("include_totals")?,
        from: single("from")?.map(String::from),
        take: integer("take", 1, Some(MAX_PAGE))?,
        filter: Filter {
            strategies,
            name: single("name")?.map(String::from),
        },
        projection: Projection::new(single("fields")?, boolean("include_fields")?),
    })
}

/// The opaque checkpoint handed out as `next`: the last id of the page, base64url-encoded.
fn encode_checkpoint(id: &str) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

fn decode_checkpoint(from: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD
        .decode(from)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .filter(|id| is_valid_id(id))
        .ok_or_else(|| ApiError::query("Invalid checkpoint value", Some("from")))
}

/// Answers a parsed list query from the store.
///
/// The shape follows what the live API does with the mixed queries the SDKs send:
/// `from` or `take` selects checkpoint pagination, which wins over
/// `page`/`per_page`/`include_totals` (TF-REC: `include_totals=true&per_page=50&take=100`
/// answered `{"connections":[...]}`; node 7.1.0 sends `include_totals=true&take=50`);
/// otherwise `include_totals=true` gives the offset object; otherwise a bare array.
pub(crate) fn answer(store: &Store, query: &ListQuery, grant: &Grant) -> Result<Value, ApiError> {
    let show = |records: Vec<_>| -> Vec<Value> {
        records
            .into_iter()
            .map(|r| present(r, grant, &query.projection))
            .collect()
    };
    if query.from.is_some() || query.take.is_some() {
        let after = query.from.as_deref().map(decode_checkpoint).transpose()?;
        let take = query.take.unwrap_or(DEFAULT_PAGE);
        let (records, more) = store.page(&query.filter, after.as_deref(), 0, take);
        let next = if more {
            records
                .last()
                .and_then(|r| r.get("id"))
                .and_then(Value::as_str)
                .map(encode_checkpoint)
        } else {
            None
        };
        let mut body = json!({ "connections": show(records) });
        if let Some(next) = next {
            body["next"] = json!(next);
        }
        return Ok(body);
    }
    let page = query.page.unwrap_or(0);
    let per_page = query.per_page.unwrap_or(DEFAULT_PAGE);
    let start = page.saturating_mul(per_page);
    if start.saturating_add(per_page) > OFFSET_CAP {
        return Err(ApiError::query_message(format!(
            "Requesting page {page} exceeds the allowed maximum of {OFFSET_CAP} records. \
             To fetch results beyond {OFFSET_CAP}, use the checkpoint pagination method"
        )));
    }
    let (records, _) = store.page(&query.filter, None, start, per_page);
    if query.include_totals == Some(true) {
        return Ok(json!({
            "start": start,
            "limit": per_page,
            "total": store.count(&query.filter),
            "connections": show(records),
        }));
    }
    Ok(Value::Array(show(records)))
}
