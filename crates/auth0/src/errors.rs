//! The one place Auth0's error bodies become idconn errors (core's vendor-error hook).
//!
//! Management API errors are `{statusCode, error, message, errorCode}`;
//! `/oauth/token` answers in the OAuth shape `{error, error_description}`. The
//! status picks the category through core ([`ApiResponse::error_from`]): 404 NotFound,
//! 409 Conflict, 403 Forbidden, 429 RateLimited with the server's wait, 5xx Server. Auth0
//! additions: the missing scope of a 403 `insufficient_scope` ("Insufficient scope, expected
//! any of: read:connections"), and a 400 `invalid_uri` on the `id` path parameter, which means
//! no connection can have that id, so it is NotFound. The `x-ratelimit-*` headers are read by
//! core's gate on every answer.

use idconn_core::Error;
use idconn_core::http::{ApiResponse, ErrorDetails, VendorErrors};
use serde_json::Value;

/// Auth0's error mapper: core's HTTP client hands it every answer, and it turns the vendor's
/// error bodies into an [`Error`] (`None` for a success). Not an error itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Auth0ErrorMapper;

/// The header carrying Auth0's request id.
const REQUEST_ID_HEADER: &str = "x-auth0-requestid";

impl VendorErrors for Auth0ErrorMapper {
    fn error_for(&self, response: &ApiResponse) -> Option<Error> {
        let status = response.status();
        if status.is_success() || status.is_informational() {
            return None;
        }
        let body: Value = match serde_json::from_slice(response.body()) {
            Ok(body @ Value::Object(_)) => body,
            // Not Auth0's JSON (a proxy's HTML page, an empty 5xx): status only.
            _ => return response.status_error(),
        };
        let text = |key: &str| body.get(key).and_then(Value::as_str).map(String::from);
        let (message, code) = match (text("message"), text("error_description")) {
            (Some(message), _) => (message, text("errorCode")),
            // OAuth shape: `error` is the code.
            (None, Some(description)) => (description, text("error")),
            (None, None) => match text("error") {
                Some(error) => (error, None),
                None => return response.status_error(),
            },
        };
        let missing_scope = (code.as_deref() == Some("insufficient_scope"))
            .then(|| missing_scope(&message))
            .flatten();
        let details = ErrorDetails::new(status.as_u16(), message.clone())
            .with_code(code.clone())
            .with_request_id(response.header(REQUEST_ID_HEADER))
            .with_missing_scope(missing_scope);
        if code.as_deref() == Some("invalid_uri") && message.contains("on property id") {
            return Some(Error::NotFound {
                vendor: response.vendor(),
                what: format!("connection ({message})"),
            });
        }
        Some(response.error_from(details))
    }
}

/// The scope list of "Insufficient scope, expected any of: a, b".
fn missing_scope(message: &str) -> Option<String> {
    let (_, scopes) = message.split_once("expected any of:")?;
    let scopes = scopes.trim().trim_end_matches('.');
    (!scopes.is_empty()).then(|| scopes.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use idconn_core::Vendor;
    use idconn_core::http::{HeaderMap, HeaderValue, StatusCode};

    fn answer(status: u16, body: &str) -> ApiResponse {
        answer_with(status, body, HeaderMap::new())
    }

    fn answer_with(status: u16, body: &str, headers: HeaderMap) -> ApiResponse {
        ApiResponse::new(
            Vendor::Auth0,
            StatusCode::from_u16(status).unwrap(),
            headers,
            body.as_bytes().to_vec(),
        )
    }

    /// The verbatim error bodies Auth0 documents.
    #[test]
    fn reference_error_bodies() {
        let not_found = Auth0ErrorMapper.error_for(&answer(404, r#"{"statusCode":404,"error":"Not Found","message":"The connection does not exist","errorCode":"inexistent_connection"}"#));
        assert!(
            matches!(not_found, Some(Error::NotFound { .. })),
            "{not_found:?}"
        );

        let conflict = Auth0ErrorMapper.error_for(&answer(409, r#"{"statusCode":409,"error":"Conflict","message":"A connection with the same name already exists","errorCode":"connection_conflict"}"#));
        match conflict {
            Some(Error::Conflict { message, .. }) => {
                assert_eq!(message, "A connection with the same name already exists")
            }
            other => panic!("{other:?}"),
        }

        let forbidden = Auth0ErrorMapper.error_for(&answer(403, r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:grants","errorCode":"insufficient_scope"}"#));
        match forbidden {
            Some(Error::Forbidden { missing_scope, .. }) => {
                assert_eq!(missing_scope.as_deref(), Some("read:grants"))
            }
            other => panic!("{other:?}"),
        }

        let mut headers = HeaderMap::new();
        let reset = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 5;
        headers.insert(
            "x-ratelimit-reset",
            HeaderValue::from_str(&reset.to_string()).unwrap(),
        );
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        let limited = Auth0ErrorMapper.error_for(&answer_with(429, r#"{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}"#, headers));
        match limited {
            Some(Error::RateLimited { retry_after, .. }) => {
                let wait = retry_after.expect("the reset header gives the wait");
                assert!(wait.as_secs() <= 5 && wait.as_secs() >= 3, "{wait:?}");
            }
            other => panic!("{other:?}"),
        }

        let invalid = Auth0ErrorMapper.error_for(&answer(400, r#"{"statusCode":400,"error":"Bad Request","message":"cannot add non-unique email attribute","errorCode":"invalid_body"}"#));
        match invalid {
            Some(Error::Rejected {
                status,
                code,
                message,
                ..
            }) => {
                assert_eq!(status, 400);
                assert_eq!(code.as_deref(), Some("invalid_body"));
                assert_eq!(message, "cannot add non-unique email attribute");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn token_errors_path_ids_and_bodies_without_json() {
        let denied = Auth0ErrorMapper.error_for(&answer(
            401,
            r#"{"error":"access_denied","error_description":"Unauthorized"}"#,
        ));
        assert!(
            matches!(denied, Some(Error::Unauthorized { .. })),
            "{denied:?}"
        );
        let audience = Auth0ErrorMapper.error_for(&answer(403, r#"{"error":"access_denied","error_description":"Service not found: https://x/api/v2/"}"#));
        assert!(matches!(
            audience,
            Some(Error::Forbidden {
                missing_scope: None,
                ..
            })
        ));
        let bad_id = Auth0ErrorMapper.error_for(&answer(400, r#"{"statusCode":400,"error":"Bad Request","message":"Path validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$: x' on property id (The id of the connection).","errorCode":"invalid_uri"}"#));
        assert!(matches!(bad_id, Some(Error::NotFound { .. })), "{bad_id:?}");
        let html = Auth0ErrorMapper.error_for(&answer(502, "<html>bad gateway</html>"));
        assert!(
            matches!(html, Some(Error::Server { status: 502, .. })),
            "{html:?}"
        );
        let no_code = Auth0ErrorMapper.error_for(&answer(
            401,
            r#"{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}"#,
        ));
        assert!(matches!(no_code, Some(Error::Unauthorized { .. })));
        assert!(Auth0ErrorMapper.error_for(&answer(200, "{}")).is_none());
        assert!(
            Auth0ErrorMapper
                .error_for(&answer(202, r#"{"deleted_at":"x"}"#))
                .is_none()
        );
    }
}
