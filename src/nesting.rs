//! A linear scan bounding how deeply a document nests, run before it is parsed.
//!
//! serde_json stops at 128 levels on its own, but the YAML parser builds its whole event stream
//! first and its cost grows with the square of the depth (100,000 levels of `[` took a minute),
//! so the depth must be known before parsing starts. The scan over-estimates rather than
//! under-estimates: block nesting counts each deeper indentation and each `- ` or `? ` starting
//! a line, flow nesting counts brackets outside quoted scalars.

use crate::document::Format;

/// `Err(line)`, 1-based, where `text` nests more than `max_depth` lists and maps.
pub(crate) fn check(text: &str, format: Format, max_depth: usize) -> Result<(), usize> {
    match format {
        Format::Json => json(text, max_depth),
        Format::Yaml => yaml(text, max_depth),
    }
}

fn json(text: &str, max_depth: usize) -> Result<(), usize> {
    let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1usize, false, false);
    for byte in text.bytes() {
        match byte {
            b'\n' => line += 1,
            _ if in_string => match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            },
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Err(line);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Where the YAML scan is inside a quoted scalar, which may span lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Double,
    Single,
}

fn yaml(text: &str, max_depth: usize) -> Result<(), usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote = Quote::None;
    for (index, line) in text.lines().enumerate() {
        let content = line.trim_start_matches([' ', '\t']);
        let mut block = indents.len();
        if flow == 0 && quote == Quote::None {
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = line.len() - content.len();
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last().is_none_or(|&top| top < indent) {
                indents.push(indent);
            }
            block = indents.len() + compact_levels(content);
        }
        let deepest_flow = scan_flow(content, &mut flow, &mut quote);
        if block + deepest_flow > max_depth {
            return Err(index + 1);
        }
    }
    Ok(())
}

/// Nested collections opened on one line by leading `- ` (sequence entries) or `? ` (complex
/// keys): `- - - x` is three lists deep.
fn compact_levels(content: &str) -> usize {
    let mut rest = content;
    let mut levels = 0;
    loop {
        let stripped = rest
            .strip_prefix("- ")
            .or_else(|| rest.strip_prefix("? "))
            .or_else(|| rest.strip_prefix(": "));
        match stripped {
            Some(after) => {
                levels += 1;
                rest = after.trim_start_matches([' ', '\t']);
            }
            None => return levels + usize::from(rest == "-"),
        }
    }
}

/// Follows flow brackets (`[`, `{`) on one line, updating the open `flow` depth and `quote`
/// state; returns the deepest flow depth reached on the line. Outside flow context a bracket
/// counts only where it starts a value (a plain scalar such as `a[b` may hold one).
fn scan_flow(content: &str, flow: &mut usize, quote: &mut Quote) -> usize {
    let mut deepest = *flow;
    let mut previous = None::<char>; // the last non-space character outside quotes
    let mut after_space = true; // a `#` starts a comment only at the start or after a space
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        match *quote {
            Quote::Double => {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => *quote = Quote::None,
                    _ => {}
                }
                continue;
            }
            Quote::Single => {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        *quote = Quote::None;
                    }
                }
                continue;
            }
            Quote::None => {}
        }
        let starts_value = matches!(previous, None | Some('[' | '{' | ',' | ':' | '-' | '?'));
        let comment = after_space;
        after_space = matches!(c, ' ' | '\t');
        match c {
            ' ' | '\t' => continue,
            '#' if comment => break,
            '"' if starts_value => *quote = Quote::Double,
            '\'' if starts_value => *quote = Quote::Single,
            '[' | '{' if *flow > 0 || starts_value => {
                *flow += 1;
                deepest = deepest.max(*flow);
            }
            ']' | '}' if *flow > 0 => *flow -= 1,
            _ => {}
        }
        previous = Some(c);
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_documents_pass() {
        let yaml = "connections:\n  - name: a[b\n    kind: oidc\n    settings:\n      protocol: oauth\n      scopes: [openid, \"em]ail\"]\n      client_secret: 'it''s [x'\n";
        assert_eq!(check(yaml, Format::Yaml, 8), Ok(()));
        let json = r#"{"connections": [{"name": "a[[[[", "settings": {"scopes": ["x"]}}]}"#;
        assert_eq!(check(json, Format::Json, 5), Ok(()));
        assert_eq!(check(json, Format::Json, 4), Err(1));
    }

    #[test]
    fn deep_flow_block_and_compact_nesting_are_caught() {
        let flow = format!("connections: {}", "[".repeat(100));
        assert_eq!(check(&flow, Format::Yaml, 64), Err(1));
        let compact = format!("connections:\n  {}x\n", "- ".repeat(100));
        assert_eq!(check(&compact, Format::Yaml, 64), Err(2));
        let block: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(check(&block, Format::Yaml, 64), Err(65));
        assert_eq!(check(&"[".repeat(100), Format::Json, 64), Err(1));
    }
}
