//! Scopes: a list in the model, a string or an array on the wire depending on the strategy.

use crate::mapping::strategy::ScopeFormat;
use crate::wire::ScopeValue;

/// The scope list a wire value holds. Strings split on whitespace (and commas for Facebook's
/// comma-separated form); empty entries are dropped.
pub(crate) fn read(value: Option<ScopeValue>, format: ScopeFormat) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(ScopeValue::List(items)) => items
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Some(ScopeValue::Text(text)) => text
            .split(|c: char| c.is_whitespace() || (format == ScopeFormat::Comma && c == ','))
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    }
}

/// The wire value for a scope list in `format`; `stored` is the value already there, whose
/// shape [`ScopeFormat::Either`] keeps. No scopes means no value.
pub(crate) fn write(
    scopes: &[String],
    format: ScopeFormat,
    stored: Option<&ScopeValue>,
) -> Option<ScopeValue> {
    if scopes.is_empty() {
        return None;
    }
    let as_list = || ScopeValue::List(scopes.to_vec());
    Some(match format {
        ScopeFormat::Space => ScopeValue::Text(scopes.join(" ")),
        ScopeFormat::Comma => ScopeValue::Text(scopes.join(",")),
        ScopeFormat::Array => as_list(),
        ScopeFormat::Either => match stored {
            Some(ScopeValue::List(_)) => as_list(),
            _ => ScopeValue::Text(scopes.join(" ")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let scopes = vec!["openid".to_string(), "email".to_string()];
        for format in [
            ScopeFormat::Space,
            ScopeFormat::Comma,
            ScopeFormat::Array,
            ScopeFormat::Either,
        ] {
            let wire = write(&scopes, format, None);
            assert_eq!(read(wire, format), scopes, "{format:?}");
        }
        assert!(write(&[], ScopeFormat::Space, None).is_none());
        let kept = write(
            &scopes,
            ScopeFormat::Either,
            Some(&ScopeValue::List(Vec::new())),
        );
        assert!(matches!(kept, Some(ScopeValue::List(_))));
        assert_eq!(
            read(Some(ScopeValue::Text("a,b c".into())), ScopeFormat::Comma),
            vec!["a", "b", "c"]
        );
    }
}
