//! Management tokens: JWTs minted by `get-management-token` and checked on every call.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use serde_json::{Value, json};

/// `{"alg":"HS256","typ":"JWT"}`, whose base64url holds no `-` or `_`.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// Mints and verifies HS256 management tokens with a key private to one simulator.
pub struct TokenIssuer {
    key: hmac::Key,
}

impl TokenIssuer {
    /// An issuer with a fresh random key.
    pub fn new() -> Self {
        let secret: [u8; 32] = rand::random();
        TokenIssuer {
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
        }
    }

    /// A token for `userpool_id`, valid for `lifetime`.
    ///
    /// The payload carries `scoped_userpool_id`, which the Python, Go and Java SDKs read to
    /// fill `x-authing-userpool-id`. The Python SDK decodes the
    /// payload with *standard* base64, so the payload segment must contain no `-` or `_`;
    /// [`python_safe_json`] guarantees that for any claim values.
    pub fn mint(&self, userpool_id: &str, access_key_id: &str, lifetime: Duration) -> String {
        let now = unix_now();
        let claims = json!({
            "sub": access_key_id,
            "scoped_userpool_id": userpool_id,
            "iat": now,
            "exp": now + lifetime.as_secs(),
            "jti": uuid::Uuid::new_v4().simple().to_string(),
        });
        let payload = URL_SAFE_NO_PAD.encode(python_safe_json(&claims));
        let signing_input = format!("{HEADER}.{payload}");
        let tag = hmac::sign(&self.key, signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    /// The userpool id a valid, unexpired token of this issuer is scoped to.
    pub fn verify(&self, token: &str) -> Result<String, &'static str> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("the token is not a JWT");
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| "the token signature is not base64url")?;
        hmac::verify(
            &self.key,
            format!("{header}.{payload}").as_bytes(),
            &signature,
        )
        .map_err(|_| "the token signature is invalid")?;
        let claims: Value = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or("the token payload is not JSON")?;
        let exp = claims["exp"].as_u64().ok_or("the token has no exp")?;
        if exp <= unix_now() {
            return Err("the token has expired");
        }
        claims["scoped_userpool_id"]
            .as_str()
            .map(str::to_owned)
            .ok_or("the token has no scoped_userpool_id")
    }
}

impl Default for TokenIssuer {
    fn default() -> Self {
        Self::new()
    }
}

/// Serializes `value` as JSON whose base64url encoding never contains `-` or `_`.
///
/// base64 emits `-`/`_` (values 62 and 63) only for a 6-bit group of all ones in bits
/// 111110/111111. For 7-bit ASCII input, the first three groups of every 3-byte chunk cannot
/// reach 62 (each byte's top bit is 0); the fourth is the low six bits of the chunk's third
/// byte, which are 62 or 63 only for `>`, `?`, `~` and DEL. Those (which JSON uses only inside
/// strings) and every non-ASCII character are written as `\uXXXX` escapes, so no byte of the
/// text can produce a `-` or `_`.
fn python_safe_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() && !matches!(c, '>' | '?' | '~' | '\u{7f}') {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    /// Decodes a payload segment the way the Python SDK does (standard alphabet, padded), for tests.
    fn decode_like_python(segment: &str) -> Option<Value> {
        let mut padded = segment.to_string();
        while !padded.len().is_multiple_of(4) {
            padded.push('=');
        }
        let bytes = STANDARD.decode(padded).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    #[test]
    fn payload_survives_standard_base64_for_many_pool_ids() {
        let issuer = TokenIssuer::new();
        for pool in [
            "6568f0a1c2b3d4e5f6a7b8c9",
            "pool>?~>?~",
            "a",
            "~~~~~~~~~",
            "池ü\u{7f}😀",
        ] {
            for _ in 0..20 {
                let token = issuer.mint(pool, "ak", Duration::from_secs(60));
                let payload = token.split('.').nth(1).unwrap();
                assert!(!payload.contains(['-', '_']), "{payload}");
                let claims = decode_like_python(payload).unwrap();
                assert_eq!(claims["scoped_userpool_id"], pool);
                assert_eq!(issuer.verify(&token).unwrap(), pool);
            }
        }
    }

    #[test]
    fn tampered_and_expired_tokens_are_refused() {
        let issuer = TokenIssuer::new();
        let token = issuer.mint("p", "ak", Duration::from_secs(60));
        let other = TokenIssuer::new();
        assert!(other.verify(&token).is_err());
        assert!(issuer.verify("a.b").is_err());
        let expired = issuer.mint("p", "ak", Duration::ZERO);
        assert_eq!(issuer.verify(&expired), Err("the token has expired"));
    }
}
