//! The one place GenAuth's answers become errors (core's vendor-error hook).
//!
//! Success is `statusCode == 200` in the envelope and nothing else (SPEC tag
//! `开发准备/错误处理`): business errors arrive as HTTP 200 with another
//! `statusCode`, throttling as a real HTTP 429, and failures below the application as real 5xx.

use idconn_core::Error;
use idconn_core::http::{ApiResponse, ErrorDetails, VendorErrors};

use crate::wire::EnvelopeHead;

/// GenAuth's error mapper: core's HTTP client hands it every answer, and it turns the vendor's
/// error bodies into an [`Error`] (`None` for a success). Not an error itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenAuthErrorMapper;

impl VendorErrors for GenAuthErrorMapper {
    fn error_for(&self, response: &ApiResponse) -> Option<Error> {
        let head = serde_json::from_slice::<EnvelopeHead>(response.body()).ok();
        let http = response.status().as_u16();
        let Some(head) = head.filter(|h| h.status_code.is_some()) else {
            // Not an envelope: a gateway's answer, or a success body of the wrong shape.
            return response.status_error().or_else(|| {
                Some(Error::Decode {
                    vendor: idconn_core::Vendor::GenAuth,
                    path: "statusCode".into(),
                    message: "the answer is not GenAuth's {statusCode, message, data} envelope"
                        .into(),
                    excerpt: response.excerpt(),
                })
            });
        };
        let status = head.status_code.unwrap_or_default();
        if status == 200 && response.status().is_success() {
            return None;
        }
        // The envelope's class wins over HTTP 200; a non-2xx HTTP status with a 200 envelope
        // (never documented) is still a failure of that HTTP status.
        let status = if status == 200 {
            i64::from(http)
        } else {
            status
        };
        let status = u16::try_from(status).unwrap_or(500);
        let api_code = head.api_code.as_ref().map(|code| match code {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let mut message = head
            .message
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| format!("statusCode {status}"));
        // Unauthorized, Forbidden, NotFound and RateLimited carry no code or request id field:
        // keep both in the message so nothing GenAuth said is lost.
        if matches!(status, 401 | 403 | 404 | 429) {
            if let Some(code) = &api_code {
                message.push_str(&format!(" (apiCode {code})"));
            }
            if let Some(id) = &head.request_id {
                message.push_str(&format!(" [request id {id}]"));
            }
        }
        let details = ErrorDetails::new(status, message)
            .with_code(api_code)
            .with_request_id(head.request_id);
        Some(response.error_from(details))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idconn_core::Vendor;
    use idconn_core::http::{HeaderMap, StatusCode};

    fn answer(http: u16, body: &str) -> Option<Error> {
        let response = ApiResponse::new(
            Vendor::GenAuth,
            StatusCode::from_u16(http).unwrap(),
            HeaderMap::new(),
            body.as_bytes().to_vec(),
        );
        GenAuthErrorMapper.error_for(&response)
    }

    #[test]
    fn success_is_status_code_200_and_nothing_else() {
        assert!(answer(200, r#"{"statusCode":200,"message":"","data":{}}"#).is_none());
        let err = answer(200, r#"{"message":"ok","data":{}}"#).unwrap();
        assert!(matches!(err, Error::Decode { .. }), "{err}");
        let err = answer(200, "<html>").unwrap();
        assert!(matches!(err, Error::Decode { .. }), "{err}");
    }

    #[test]
    fn envelope_errors_at_http_200_map_by_status_code() {
        let err = answer(
            200,
            r#"{"statusCode":400,"apiCode":2011,"message":"fields must be an object","requestId":"r-1"}"#,
        )
        .unwrap();
        match &err {
            Error::Rejected {
                status,
                code,
                message,
                request_id,
                ..
            } => {
                assert_eq!(*status, 400);
                assert_eq!(code.as_deref(), Some("2011"));
                assert_eq!(message, "fields must be an object");
                assert_eq!(request_id.as_deref(), Some("r-1"));
            }
            other => panic!("{other}"),
        }
        let err = answer(
            200,
            r#"{"statusCode":404,"message":"gone","requestId":"r-2"}"#,
        )
        .unwrap();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");
        assert!(err.to_string().contains("r-2"), "{err}");
        let err = answer(
            200,
            r#"{"statusCode":409,"message":"taken","requestId":"r-3"}"#,
        )
        .unwrap();
        assert!(matches!(err, Error::Conflict { .. }));
        assert_eq!(err.request_id(), Some("r-3"));
        let err = answer(200, r#"{"statusCode":401,"apiCode":1300,"message":"bad"}"#).unwrap();
        assert!(matches!(err, Error::Unauthorized { .. }));
        assert!(err.to_string().contains("1300"), "{err}");
        let err = answer(200, r#"{"statusCode":403,"apiCode":2333,"message":"no"}"#).unwrap();
        assert!(matches!(err, Error::Forbidden { .. }));
        let err = answer(
            200,
            r#"{"statusCode":500,"message":"boom","requestId":"r-4"}"#,
        )
        .unwrap();
        assert!(matches!(err, Error::Server { status: 500, .. }) && err.is_retryable());
        let err = answer(200, r#"{"statusCode":429,"message":"slow down"}"#).unwrap();
        assert!(matches!(err, Error::RateLimited { .. }));
    }

    #[test]
    fn real_http_failures() {
        let err = answer(
            429,
            r#"{"statusCode":429,"message":"您的请求已超过最大数量限制，请稍后重试"}"#,
        )
        .unwrap();
        assert!(matches!(err, Error::RateLimited { .. }), "{err}");
        let err = answer(
            500,
            r#"{"statusCode":500,"message":"Internal server error"}"#,
        )
        .unwrap();
        assert!(matches!(err, Error::Server { status: 500, .. }), "{err}");
        let err = answer(502, "Bad Gateway").unwrap();
        assert!(matches!(err, Error::Server { status: 502, .. }), "{err}");
        let err = answer(
            404,
            r#"{"statusCode":404,"message":"Cannot GET /api/v3/x"}"#,
        )
        .unwrap();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");
    }
}
