//! One call to a vendor API, described independently of the client that sends it.

use std::fmt;

use reqwest::Method;
use serde::Serialize;

use crate::error::{Error, Result};

/// A request to send with [`HttpClient::send`](super::HttpClient::send).
///
/// The body is serialized once, so every retry sends the same bytes. `Debug` shows the
/// method, path and body size, never header values, query values or the body.
#[derive(Clone)]
pub struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) operation: &'static str,
    pub(crate) idempotent: bool,
    pub(crate) authenticated: bool,
}

#[derive(Clone)]
pub(crate) struct Body {
    pub(crate) content_type: &'static str,
    /// Shared, so a retry or a cloned request does not copy the body.
    pub(crate) bytes: bytes::Bytes,
}

impl ApiRequest {
    /// A request with `method` to `path`, which is appended to the base URL's path and must
    /// start with `/` (e.g. `/api/v2/connections` or `/admin/realms/acme/identity-provider/instances`).
    /// Percent-encode ids placed in it with [`segment`](super::segment).
    ///
    /// It is idempotent when the method is (GET, HEAD, PUT, DELETE, OPTIONS) and authenticated;
    /// the operation name defaults to the lowercase method.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        let operation = match method {
            Method::GET => "get",
            Method::POST => "post",
            Method::PUT => "put",
            Method::PATCH => "patch",
            Method::DELETE => "delete",
            _ => "request",
        };
        ApiRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            operation,
            idempotent,
            authenticated: true,
        }
    }

    /// A GET request (idempotent).
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A POST request (not idempotent unless marked with [`idempotent`](Self::idempotent)).
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A PUT request (idempotent).
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A PATCH request (not idempotent unless marked).
    pub fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    /// A DELETE request (idempotent).
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Adds a query parameter (percent-encoded when sent; values never appear in logs).
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Adds a header to this request only.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a JSON body. Fails only if `body` cannot be serialized (e.g. a map with non-string keys).
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid("request body", format!("cannot serialize: {e}")))?;
        self.body = Some(Body {
            content_type: "application/json",
            bytes: bytes.into(),
        });
        Ok(self)
    }

    /// Sets an `application/x-www-form-urlencoded` body (token endpoints).
    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        let bytes = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
            .into_bytes();
        self.body = Some(Body {
            content_type: "application/x-www-form-urlencoded",
            bytes: bytes.into(),
        });
        self
    }

    /// Names the operation for tracing (`"create"`, `"list"`, `"token"`).
    pub fn operation(mut self, name: &'static str) -> Self {
        self.operation = name;
        self
    }

    /// Marks whether sending this request twice has the same effect as sending it once.
    /// Only idempotent requests are retried after failures that may have reached the server
    /// (timeouts, 5xx, a connection dropped after sending).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Sends no bearer token, does not refresh on 401, and bypasses the rate-limit gate:
    /// for token endpoints, which have their own limits.
    pub fn unauthenticated(mut self) -> Self {
        self.authenticated = false;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, relative to the base URL, without the query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The operation name given for tracing.
    pub fn operation_name(&self) -> &'static str {
        self.operation
    }

    /// Whether the request is treated as idempotent.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "query_names",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body_bytes", &self.body.as_ref().map(|b| b.bytes.len()))
            .field("operation", &self.operation)
            .field("idempotent", &self.idempotent)
            .field("authenticated", &self.authenticated)
            .finish()
    }
}

/// Percent-encodes one path segment (an id or name placed in a path): everything but
/// `A-Z a-z 0-9 - . _ ~` is escaped, so `/`, `?`, `#` and spaces cannot change the path.
pub fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
