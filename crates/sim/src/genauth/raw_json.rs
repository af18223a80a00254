//! The raw text of a JSON object's top-level members, as the client wrote them.
//!
//! The Node SDK signs `JSON.stringify(value)` for object and array body members
//! (`src/utils/buildSignature.ts`): key order as the client inserted it. Re-serializing a parsed value would sort the keys,
//! so the verifier reads each member's text from the body instead.

/// The `(key, raw value text)` pairs of the top-level object in `body`, or `None` when the body
/// is not a single well-formed JSON object.
pub fn top_level_members(body: &[u8]) -> Option<Vec<(String, &str)>> {
    let text = std::str::from_utf8(body).ok()?;
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).ok()?;
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    if bytes.get(pos) != Some(&b'{') {
        return None;
    }
    pos = skip_ws(bytes, pos + 1);
    let mut members = Vec::new();
    if bytes.get(pos) == Some(&b'}') {
        return Some(members);
    }
    loop {
        let key_end = skip_value(bytes, pos)?;
        let key: String = serde_json::from_str(&text[pos..key_end]).ok()?;
        pos = skip_ws(bytes, key_end);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        let start = skip_ws(bytes, pos + 1);
        let end = skip_value(bytes, start)?;
        members.push((key, &text[start..end]));
        pos = skip_ws(bytes, end);
        match bytes.get(pos) {
            Some(b',') => pos = skip_ws(bytes, pos + 1),
            Some(b'}') => return Some(members),
            _ => return None,
        }
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

/// The end of the (already validated) JSON value starting at `pos`.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let mut i = pos;
            while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']') {
                i += 1;
            }
            while i > pos && bytes[i - 1].is_ascii_whitespace() {
                i -= 1;
            }
            Some(i)
        }
    }
}

/// The position just past the string starting at `pos` (a `"`).
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_raw_text() {
        let body = br#" { "id" : "a\"b", "fields": {"z":1,"a":[1,{"b":"}"}]}, "n": 1.5e3 , "t":true,"x":null } "#;
        let members = top_level_members(body).unwrap();
        assert_eq!(
            members,
            vec![
                ("id".to_string(), r#""a\"b""#),
                ("fields".to_string(), r#"{"z":1,"a":[1,{"b":"}"}]}"#),
                ("n".to_string(), "1.5e3"),
                ("t".to_string(), "true"),
                ("x".to_string(), "null"),
            ]
        );
        assert_eq!(top_level_members(b"{}").unwrap(), vec![]);
        assert!(top_level_members(b"[1]").is_none());
        assert!(top_level_members(b"{\"a\":").is_none());
    }
}
