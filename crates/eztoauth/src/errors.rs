//! The one place Keycloak's error bodies become idconn errors (core's vendor-error hook).
//!
//! Keycloak answers `{"errorMessage": "..."}` from explicit `ErrorResponse`s (409 duplicate
//! alias, 400 validation) and `{"error": "...", "error_description"?: "..."}` from everything
//! its `KeycloakErrorHandler` catches and from the token endpoint. The status
//! picks the category through core's shared mapping: 409 Conflict, 404 NotFound, 401
//! Unauthorized, 403 Forbidden, 429 RateLimited, 5xx Server, any other 4xx Rejected.

use idconn_core::Error;
use idconn_core::http::{ApiResponse, ErrorDetails, VendorErrors};
use serde::Deserialize;

/// Both Keycloak error shapes in one (as the kilork `keycloak` crate reads them).
#[derive(Debug, Default, Deserialize)]
struct KeycloakError {
    #[serde(default, rename = "errorMessage")]
    error_message: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// Keycloak's error mapper: core's HTTP client hands it every answer, and it turns the vendor's
/// error bodies into an [`Error`] (`None` for a success). Not an error itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeycloakErrorMapper;

impl VendorErrors for KeycloakErrorMapper {
    fn error_for(&self, response: &ApiResponse) -> Option<Error> {
        let status = response.status();
        if status.is_success() || status.is_informational() {
            return None;
        }
        let body: KeycloakError = serde_json::from_slice(response.body()).unwrap_or_default();
        // An OAuth `error` is a machine code (`invalid_grant`); a JAX-RS one is a sentence
        // (`HTTP 404 Not Found`) and is the message itself.
        let code = body
            .error
            .clone()
            .filter(|e| !e.contains(' ') && body.error_message.is_none());
        let message = body
            .error_message
            .or(body.error_description)
            .or(body.error)
            .filter(|m| !m.trim().is_empty());
        let Some(message) = message else {
            return response.status_error();
        };
        let message = match instance_in_path(response.path()) {
            Some(key) if status.as_u16() == 404 => {
                format!("identity provider \"{key}\" ({message})")
            }
            _ => message,
        };
        Some(response.error_from(ErrorDetails::new(status.as_u16(), message).with_code(code)))
    }
}

/// `error` with the mapper it happened to named in its message, so a failed mapper write says
/// which mapper (a provider's mappers are written one request each).
pub(crate) fn in_mapper(name: &str, error: Error) -> Error {
    let named = |message: String| format!("mapper \"{name}\": {message}");
    match error {
        Error::Rejected {
            vendor,
            status,
            code,
            message,
            request_id,
        } => Error::Rejected {
            vendor,
            status,
            code,
            message: named(message),
            request_id,
        },
        Error::Conflict {
            vendor,
            message,
            request_id,
        } => Error::Conflict {
            vendor,
            message: named(message),
            request_id,
        },
        Error::Server {
            vendor,
            status,
            message,
            request_id,
        } => Error::Server {
            vendor,
            status,
            message: named(message),
            request_id,
        },
        Error::Forbidden {
            vendor,
            message,
            missing_scope,
        } => Error::Forbidden {
            vendor,
            message: named(message),
            missing_scope,
        },
        Error::NotFound { vendor, what } => Error::NotFound {
            vendor,
            what: named(what),
        },
        Error::Transport {
            vendor,
            operation,
            message,
            maybe_sent,
        } => Error::Transport {
            vendor,
            operation: named(operation),
            message,
            maybe_sent,
        },
        Error::Timeout {
            vendor,
            operation,
            elapsed,
        } => Error::Timeout {
            vendor,
            operation: named(operation),
            elapsed,
        },
        other => other,
    }
}

/// The alias or internal id in `.../identity-provider/instances/{key}`, decoded.
fn instance_in_path(path: &str) -> Option<String> {
    let (_, key) = path.split_once("/identity-provider/instances/")?;
    let key = key.split('/').next().filter(|k| !k.is_empty())?;
    Some(decode_segment(key))
}

/// Decodes `%XX` escapes in one path segment (a `Location` tail or a request path key).
pub(crate) fn decode_segment(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use idconn_core::Vendor;
    use idconn_core::http::{HeaderMap, StatusCode};

    use super::*;

    fn error(status: u16, body: &str) -> Error {
        let response = ApiResponse::new(
            Vendor::Ezto,
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            body.as_bytes().to_vec(),
        );
        KeycloakErrorMapper.error_for(&response).unwrap()
    }

    #[test]
    fn both_shapes_map_by_status() {
        match error(
            409,
            r#"{"errorMessage":"Identity Provider acme already exists"}"#,
        ) {
            Error::Conflict { message, .. } => {
                assert_eq!(message, "Identity Provider acme already exists")
            }
            other => panic!("{other}"),
        }
        assert!(matches!(
            error(404, r#"{"error":"HTTP 404 Not Found"}"#),
            Error::NotFound { .. }
        ));
        match error(
            400,
            r#"{"error":"invalid_request","error_description":"Cannot parse the JSON"}"#,
        ) {
            Error::Rejected {
                code,
                message,
                status,
                ..
            } => {
                assert_eq!(
                    (status, code.as_deref(), message.as_str()),
                    (400, Some("invalid_request"), "Cannot parse the JSON")
                );
            }
            other => panic!("{other}"),
        }
        match error(
            401,
            r#"{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}"#,
        ) {
            Error::Unauthorized { message, .. } => assert!(message.contains("Invalid client")),
            other => panic!("{other}"),
        }
        assert!(matches!(
            error(403, r#"{"error":"HTTP 403 Forbidden"}"#),
            Error::Forbidden { .. }
        ));
        assert!(matches!(
            error(500, r#"{"error":"unknown_error"}"#),
            Error::Server { .. }
        ));
        assert!(matches!(
            error(502, "<html>bad gateway</html>"),
            Error::Server { .. }
        ));
        assert!(matches!(error(400, ""), Error::Rejected { .. }));
    }

    #[test]
    fn success_is_no_error() {
        let ok = ApiResponse::new(
            Vendor::Ezto,
            StatusCode::NO_CONTENT,
            HeaderMap::new(),
            Vec::new(),
        );
        assert!(KeycloakErrorMapper.error_for(&ok).is_none());
    }

    #[test]
    fn the_instance_is_named_from_the_path() {
        assert_eq!(
            instance_in_path("/auth/admin/realms/a/identity-provider/instances/acme%20x")
                .as_deref(),
            Some("acme x")
        );
        assert_eq!(
            instance_in_path("/auth/admin/realms/a/identity-provider/instances"),
            None
        );
    }
}
