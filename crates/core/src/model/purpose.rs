use serde::{Deserialize, Serialize};

/// What a connection may be used for.
///
/// Each switch is `None` when the vendor has no such switch, so the source said nothing.
/// The vendors' switches are not negations of one another (GenAuth `loginOnly` is not the
/// opposite of ezto `linkOnly`); each backend's mapping documents its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Purpose {
    /// May users sign in with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<bool>,
    /// May users link it to an existing account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<bool>,
    /// Are the upstream tokens kept for later API calls (Auth0 Token Vault, Keycloak storeToken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_tokens: Option<bool>,
}

impl Purpose {
    /// True when no switch is set.
    pub fn is_unset(&self) -> bool {
        *self == Purpose::default()
    }
}
