//! The Node SDK's AK/SK request signing (`authorization: authing <AK>:<sig>`, and GenAuth's
//! rebrand `GenAuth <AK>:<sig>`), verified as the SDK builds it (`src/utils/buildSignature.ts`),
//! with the signature apiCodes 1300-1306 of GenAuth's error-code reference.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::errors::ApiError;
use super::raw_json;

/// How far a request's `date` may be from the simulator's clock.
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// Nonces seen within the skew window, so a replayed request is refused (apiCode 1306).
#[derive(Default)]
pub struct NonceLog {
    seen: Mutex<HashMap<String, u64>>,
}

impl NonceLog {
    /// Records `nonce`; false when it was already used within the window.
    fn record(&self, nonce: &str, now: u64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 50_000 {
            seen.retain(|_, at| now.saturating_sub(*at) <= MAX_SKEW.as_secs());
        }
        seen.insert(nonce.to_string(), now).is_none()
    }
}

/// One request as the verifier needs it.
pub struct SignedRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path without the query string.
    pub path: &'a str,
    /// The raw query string, if any.
    pub query: Option<&'a str>,
    /// The request headers.
    pub headers: &'a HeaderMap,
    /// The raw body.
    pub body: &'a [u8],
}

/// The signing scheme's two brands: the Authing SDKs sign `authing <AK>:<sig>` over their
/// `x-authing-*` headers; GenAuth's rebranded Node SDK signs `GenAuth <AK>:<sig>` over
/// `x-genauth-*` headers (`GenAuth-Official/genauth-node-sdk`, `src/utils/buildSignature.ts`).
/// The scheme name is matched without regard to case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brand {
    /// `authing`, with `x-authing-*` headers.
    Authing,
    /// `GenAuth` (or `genauth`), with `x-genauth-*` headers.
    GenAuth,
}

impl Brand {
    /// The prefix of the headers this brand signs.
    fn header_prefix(self) -> &'static str {
        match self {
            Brand::Authing => "x-authing-",
            Brand::GenAuth => "x-genauth-",
        }
    }
}

/// The brand of an `authorization` value that uses the signing scheme, and its credential.
pub fn signed(authorization: &str) -> Option<(Brand, &str)> {
    let (scheme, credential) = authorization.trim().split_once(' ')?;
    let brand = if scheme.eq_ignore_ascii_case("authing") {
        Brand::Authing
    } else if scheme.eq_ignore_ascii_case("genauth") {
        Brand::GenAuth
    } else {
        return None;
    };
    Some((brand, credential.trim()))
}

/// Verifies a signed request against the one access key this user pool has.
pub fn verify(
    request: &SignedRequest<'_>,
    (brand, credential): (Brand, &str),
    access_key_id: &str,
    access_key_secret: &str,
    nonces: &NonceLog,
) -> Result<(), ApiError> {
    let (key_id, signature) = credential.rsplit_once(':').ok_or_else(|| {
        ApiError::unauthorized(Some(1300), "invalid signature: malformed authorization")
    })?;
    if key_id != access_key_id {
        return Err(ApiError::unauthorized(
            None,
            "Invalid accessKeyId: no such access key",
        ));
    }
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    let branded = |name: &str| header(&format!("{}{name}", brand.header_prefix()));
    if branded("signature-method") != Some("HMAC-SHA1") {
        return Err(ApiError::unauthorized(
            Some(1301),
            "signature method mismatch: only HMAC-SHA1 is supported",
        ));
    }
    if branded("signature-version") != Some("1.0") {
        return Err(ApiError::unauthorized(
            Some(1302),
            "signature version mismatch: only 1.0 is supported",
        ));
    }
    let date = header("date")
        .ok_or_else(|| ApiError::unauthorized(Some(1304), "the date header is required"))?;
    let sent_at = parse_date(date).ok_or_else(|| {
        ApiError::unauthorized(Some(1303), "timestamp must be a ms Unix timestamp")
    })?;
    let now = SystemTime::now();
    let skew = now
        .duration_since(sent_at)
        .or_else(|_| sent_at.duration_since(now))
        .unwrap_or_default();
    if skew > MAX_SKEW {
        return Err(ApiError::unauthorized(
            Some(1305),
            "the date header is too far from the server clock",
        ));
    }

    let params = params(request)?;
    let headers = canonical_headers(request.headers, brand);
    let expected = resources(request.path, &params)
        .into_iter()
        .any(|resource| {
            let string_to_sign = format!("{}\n{headers}{resource}", request.method);
            sign(access_key_secret, &string_to_sign) == signature
        });
    if !expected {
        return Err(ApiError::unauthorized(Some(1300), "invalid signature"));
    }
    let nonce = branded("signature-nonce").unwrap_or_default();
    let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if nonce.is_empty() || !nonces.record(nonce, now_secs) {
        return Err(ApiError::unauthorized(
            Some(1306),
            "the signature nonce was already used",
        ));
    }
    Ok(())
}

/// `base64(HMAC-SHA1(secret, string_to_sign))`.
fn sign(secret: &str, string_to_sign: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// RFC 1123 (the Node SDK's `toUTCString()`) or a ms epoch (the Java SDK).
fn parse_date(value: &str) -> Option<SystemTime> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let ms: u64 = value.parse().ok()?;
        return UNIX_EPOCH.checked_add(Duration::from_millis(ms));
    }
    httpdate::parse_http_date(value).ok()
}

/// One `name:value\n` line per header of the brand's family (`x-authing-*` or `x-genauth-*`)
/// or `date`, sorted by name; values trimmed, with tab/newline/CR/form feed replaced by spaces.
fn canonical_headers(headers: &HeaderMap, brand: Brand) -> String {
    let mut lines: BTreeMap<&str, String> = BTreeMap::new();
    for (name, value) in headers {
        let name = name.as_str();
        if !(name.starts_with(brand.header_prefix()) || name == "date") {
            continue;
        }
        let Ok(value) = value.to_str() else { continue };
        let value = value.replace(['\t', '\n', '\r', '\x0c'], " ");
        lines.insert(name, value.trim().to_string());
    }
    lines
        .into_iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect()
}

/// The signed parameters: the query of a GET, the top-level body members of anything else.
/// Body values are rendered as `JSON.stringify` left them (strings raw, the rest as sent).
fn params(request: &SignedRequest<'_>) -> Result<BTreeMap<String, String>, ApiError> {
    if request.method == "GET" {
        let query = request.query.unwrap_or_default();
        return Ok(url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect());
    }
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(BTreeMap::new());
    }
    let members = raw_json::top_level_members(request.body)
        .ok_or_else(|| ApiError::invalid("the request body is not a JSON object"))?;
    Ok(members
        .into_iter()
        .map(|(key, raw)| {
            let value = serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string());
            (key, value)
        })
        .collect())
}

/// The canonical resources a client may have signed. With no parameters on the wire, the
/// client signed either the bare path or, when its parameter object had only `undefined`
/// values, the path with a trailing `?` (a Node SDK quirk): both are accepted.
fn resources(path: &str, params: &BTreeMap<String, String>) -> Vec<String> {
    if params.is_empty() {
        return vec![path.to_string(), format!("{path}?")];
    }
    let joined: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    vec![format!("{path}?{}", joined.join("&"))]
}
