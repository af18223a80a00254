//! GenAuth's identifier rule, and fitting a neutral name into it.

use idconn_core::{Loss, Result, validate};

/// Longest identifier accepted. GenAuth publishes no limit; 128 matches the other vendors'.
pub const NAME_MAX: usize = 128;

/// The characters accepted in an identifier.
///
/// GenAuth publishes no rule; the identifier names the connection in its callback paths, so
/// only path-safe characters are accepted: ASCII letters and digits, `-`, `_` and `.`.
pub fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// The rule in words, for errors and capabilities.
pub const NAME_RULE: &str = "ASCII letters, digits, '-', '_' and '.'";

/// Whether GenAuth accepts `name` as an identifier as it is.
pub fn is_valid_name(name: &str) -> bool {
    validate::name("name", name, NAME_MAX, name_char, NAME_RULE).is_ok()
}

/// The identifier, rewritten into GenAuth's characters with a loss when needed.
pub(super) fn identifier(name: &str, losses: &mut Vec<Loss>) -> Result<String> {
    let (identifier, rewritten) = validate::fit_name(
        name,
        is_valid_name(name),
        NAME_MAX,
        name_char,
        &format!("GenAuth identifiers take {NAME_RULE}, at most {NAME_MAX}"),
    )?;
    losses.extend(rewritten);
    Ok(identifier)
}
