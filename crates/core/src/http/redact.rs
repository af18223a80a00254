//! Short, secret-free excerpts of response bodies for error messages.
//!
//! Auth0 returns `options.client_secret` in clear text and token endpoints return the token
//! itself, so an excerpt is never the raw first bytes: values under secret-looking keys are
//! replaced by `***` first.

use serde_json::Value;

/// The longest excerpt, in characters.
const EXCERPT_CHARS: usize = 200;
/// Bodies up to this size are parsed as JSON to redact them exactly.
const PARSE_LIMIT: usize = 256 * 1024;
/// How much of an unparseable body is scanned for secrets before cutting it.
const SCAN_LIMIT: usize = 4096;

pub(crate) use crate::validate::is_secret_key;

/// The first [`EXCERPT_CHARS`] characters of `body`, with secret values replaced by `***`.
pub(crate) fn excerpt(body: &[u8]) -> String {
    if body.len() <= PARSE_LIMIT
        && let Ok(mut value) = serde_json::from_slice::<Value>(body)
    {
        redact_value(&mut value);
        return truncate(&value.to_string());
    }
    let scanned = &body[..body.len().min(SCAN_LIMIT)];
    truncate(&redact_text(&String::from_utf8_lossy(scanned)))
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
    fn excerpts_are_short() {
        let body = "x".repeat(10_000);
        assert!(excerpt(body.as_bytes()).chars().count() <= EXCERPT_CHARS + 1);
    }
}
