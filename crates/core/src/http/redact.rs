//! Keeping secrets out of what idconn prints: short, secret-free excerpts of response bodies,
//! and the process's register of known secrets that every vendor message passes through.
//!
//! Two defences, one after the other. Auth0 returns `options.client_secret` in clear text and
//! token endpoints return the token itself, so an excerpt is never the raw first bytes: values
//! under secret-looking keys are replaced by `***` first. And a vendor may quote the request
//! back in its error text under any key or none, so every value this process knows to be secret
//! (the provider's client secret, the bearer tokens it sent, each connection secret it put on
//! the wire or in a file) is [`remember`]ed and [`scrub`]bed from every error before it is
//! returned, logged or printed.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::{LazyLock, Mutex};

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::error::Error;

/// The longest excerpt, in characters.
const EXCERPT_CHARS: usize = 200;
/// Bodies up to this size are parsed as JSON to redact them exactly.
const PARSE_LIMIT: usize = 256 * 1024;
/// How much of an unparseable body is scanned for secrets before cutting it.
const SCAN_LIMIT: usize = 4096;

pub(crate) use crate::validate::is_secret_key;

/// Secrets shorter than this are not scrubbed from text: replacing every `a` or `42` in a
/// message would garble it, and no vendor issues secrets or tokens that short.
const MIN_SCRUBBED_CHARS: usize = 6;

/// The secrets this process knows of, and fingerprints of them so remembering one twice is cheap.
struct Known {
    secrets: Vec<SecretString>,
    fingerprints: HashSet<u64>,
    hasher: RandomState,
}

static KNOWN: LazyLock<Mutex<Known>> = LazyLock::new(|| {
    Mutex::new(Known {
        secrets: Vec::new(),
        fingerprints: HashSet::new(),
        hasher: RandomState::new(),
    })
});

/// Remembers `secret` as a value that must never be printed: from now on `scrub` replaces it
/// by `***` in every error this process returns. Called wherever a secret leaves its wrapper
/// (a client secret put on the wire or in a file, a bearer token sent, a grant's secret).
pub fn remember(secret: &str) {
    if secret.chars().count() < MIN_SCRUBBED_CHARS {
        return;
    }
    let mut known = KNOWN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let fingerprint = known.hasher.hash_one(secret);
    if known.fingerprints.insert(fingerprint) {
        known.secrets.push(SecretString::from(secret.to_owned()));
    }
}

/// `text` with every known secret replaced by `***`, as it is and in the JSON-escaped and
/// percent-encoded forms a vendor quoting a request body would show.
pub(crate) fn scrub(text: &str) -> String {
    let known = KNOWN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut out = text.to_owned();
    for secret in &known.secrets {
        let secret = secret.expose_secret();
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json.trim_matches('"');
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        for form in [secret, json, encoded.as_str()] {
            if out.contains(form) {
                out = out.replace(form, "***");
            }
        }
    }
    out
}

/// `error` with every known secret scrubbed from the text a vendor or the transport supplied.
pub(crate) fn scrub_error(error: Error) -> Error {
    match error {
        Error::NotFound { vendor, what } => Error::NotFound {
            vendor,
            what: scrub(&what),
        },
        Error::Conflict {
            vendor,
            message,
            request_id,
        } => Error::Conflict {
            vendor,
            message: scrub(&message),
            request_id,
        },
        Error::Rejected {
            vendor,
            status,
            code,
            message,
            request_id,
        } => Error::Rejected {
            vendor,
            status,
            code: code.map(|c| scrub(&c)),
            message: scrub(&message),
            request_id,
        },
        Error::Unauthorized { vendor, message } => Error::Unauthorized {
            vendor,
            message: scrub(&message),
        },
        Error::Forbidden {
            vendor,
            message,
            missing_scope,
        } => Error::Forbidden {
            vendor,
            message: scrub(&message),
            missing_scope,
        },
        Error::Transport {
            vendor,
            operation,
            message,
            maybe_sent,
        } => Error::Transport {
            vendor,
            operation,
            message: scrub(&message),
            maybe_sent,
        },
        Error::Decode {
            vendor,
            path,
            message,
            excerpt,
        } => Error::Decode {
            vendor,
            path,
            message: scrub(&message),
            excerpt: scrub(&excerpt),
        },
        Error::Server {
            vendor,
            status,
            message,
            request_id,
        } => Error::Server {
            vendor,
            status,
            message: scrub(&message),
            request_id,
        },
        other => other,
    }
}

/// The first [`EXCERPT_CHARS`] characters of `body`, with secret values replaced by `***`.
pub(crate) fn excerpt(body: &[u8]) -> String {
    if body.len() <= PARSE_LIMIT
        && let Ok(mut value) = serde_json::from_slice::<Value>(body)
    {
        redact_value(&mut value);
        return truncate(&scrub(&value.to_string()));
    }
    let scanned = &body[..body.len().min(SCAN_LIMIT)];
    truncate(&scrub(&redact_text(&String::from_utf8_lossy(scanned))))
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if is_secret_key(key) && !inner.is_null() {
                    *inner = Value::String("***".into());
                } else {
                    redact_value(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

/// Redacts `"secret_key": "value"` pairs in text that is not valid JSON (e.g. truncated).
/// A value that never closes is redacted to the end.
fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after_quote = &rest[start + 1..];
        let Some(len) = string_len(after_quote) else {
            // An unterminated string that follows no secret key: nothing secret to cut.
            out.push_str(&rest[start..]);
            return out;
        };
        let key = &after_quote[..len];
        out.push('"');
        out.push_str(key);
        out.push('"');
        rest = &after_quote[(len + 1).min(after_quote.len())..];
        let trimmed = rest.trim_start();
        if !is_secret_key(key) || !trimmed.starts_with(':') {
            continue;
        }
        let value = trimmed[1..].trim_start();
        out.push_str(": ");
        if let Some(inner) = value.strip_prefix('"') {
            out.push_str("\"***\"");
            match string_len(inner) {
                Some(len) => rest = &inner[(len + 1).min(inner.len())..],
                None => return out,
            }
        } else {
            rest = value;
        }
    }
    out.push_str(rest);
    out
}

/// The byte length of a JSON string's contents up to its closing quote, honouring escapes.
fn string_len(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_secrets_are_redacted_at_any_depth() {
        let body = br#"{"name":"a","options":{"client_secret":"hunter2","scope":"openid"},"access_token":"eyJ"}"#;
        let text = excerpt(body);
        assert!(!text.contains("hunter2") && !text.contains("eyJ"), "{text}");
        assert!(text.contains("openid"), "{text}");
    }

    #[test]
    fn broken_json_secrets_are_redacted() {
        let body = br#"{"name":"a","options":{"client_secret" : "hun\"ter2","scope":"openid""#;
        let text = excerpt(body);
        assert!(!text.contains("hun") && text.contains("openid"), "{text}");
        let cut = br#"{"access_token":"eyJhbGciOi"#;
        assert!(!excerpt(cut).contains("eyJ"), "{}", excerpt(cut));
    }

    #[test]
    fn known_secrets_are_scrubbed_under_any_key_and_in_any_encoding() {
        remember("s3cr3t+value/\"x");
        remember("abc"); // too short to scrub
        let text =
            r#"{"note":"you sent s3cr3t+value/\"x","form":"client_secret=s3cr3t%2Bvalue%2F%22x"}"#;
        let shown = excerpt(text.as_bytes());
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert_eq!(scrub("abc s3cr3t+value/\"x"), "abc ***");
    }

    #[test]
    fn excerpts_are_short() {
        let body = "x".repeat(10_000);
        assert!(excerpt(body.as_bytes()).chars().count() <= EXCERPT_CHARS + 1);
    }
}
