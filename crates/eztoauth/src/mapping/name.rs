//! Keycloak's alias rule, and fitting a neutral name into it.

use idconn_core::{Error, Loss, Result, validate};

/// The longest alias accepted (Keycloak's `IDENTITY_PROVIDER.PROVIDER_ALIAS` column).
pub const NAME_MAX: usize = 255;

/// The characters Keycloak refuses in an alias besides whitespace (`ReservedCharValidator`).
const RESERVED_ALIAS_CHARS: &str = ":/?#@!$&()*+,;=[]\\";

/// The rule in words, for errors and losses.
pub const NAME_RULE: &str =
    "Keycloak aliases allow no whitespace and none of : / ? # @ ! $ & ( ) * + , ; = [ ] \\";

/// Whether Keycloak accepts `c` in an alias.
pub fn name_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !RESERVED_ALIAS_CHARS.contains(c)
}

/// Whether Keycloak accepts `name` as an alias as it is.
pub fn is_valid_name(name: &str) -> bool {
    validate::name("name", name, NAME_MAX, name_char, NAME_RULE).is_ok()
}

/// The alias for `name`: as is when Keycloak accepts it, else the one deterministic rewrite,
/// reported as a loss (so strict refuses and lenient proceeds).
pub(super) fn alias(name: &str, losses: &mut Vec<Loss>) -> Result<String> {
    if name.trim().is_empty() {
        return Err(Error::invalid("name", "must not be empty"));
    }
    let (alias, rewritten) =
        validate::fit_name(name, is_valid_name(name), NAME_MAX, name_char, NAME_RULE)?;
    losses.extend(rewritten);
    Ok(alias)
}
