//! Raw HTTP for the simulator tests: send a request and read its answer as JSON.

use reqwest::{RequestBuilder, StatusCode};
use serde_json::Value;

/// Sends `request` (with `body` as JSON, when given) and returns the status and the answer's
/// JSON, or `Value::Null` for an empty body. A body that is not JSON fails the test, showing it.
pub async fn exchange(request: RequestBuilder, body: Option<Value>) -> (StatusCode, Value) {
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, body)
}
