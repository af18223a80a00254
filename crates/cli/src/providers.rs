//! Building a vendor's provider from its environment variables.

use idconn::AnyProvider;
use idconn::Vendor;

use crate::error::CliError;

/// A provider for `vendor`, configured from its environment variables (AUTH0_*, GENAUTH_*,
/// EZTO_*). A missing or malformed variable is named in the error.
pub fn connect(vendor: Vendor) -> Result<AnyProvider, CliError> {
    Ok(AnyProvider::from_env(vendor)?)
}

/// A provider for `vendor` from an explicit set of variables (the simulators' in the demo).
pub fn from_vars(vendor: Vendor, vars: &[(String, String)]) -> Result<AnyProvider, CliError> {
    Ok(AnyProvider::from_vars(vendor, vars)?)
}

/// Placeholder settings under which a backend can be built without credentials: `translate`
/// is pure, so nothing is ever sent to these hosts (`.invalid` cannot resolve, RFC 2606).
const OFFLINE: &[(&str, &str)] = &[
    ("AUTH0_DOMAIN", "offline.invalid"),
    ("AUTH0_CLIENT_ID", "offline"),
    ("AUTH0_CLIENT_SECRET", "offline"),
    ("GENAUTH_HOST", "https://offline.invalid"),
    ("GENAUTH_USERPOOL_ID", "offline"),
    ("GENAUTH_ACCESS_KEY_ID", "offline"),
    ("GENAUTH_ACCESS_KEY_SECRET", "offline"),
    ("EZTO_HOST", "https://offline.invalid"),
    ("EZTO_WORKSPACE", "offline"),
    ("EZTO_TOKEN", "offline"),
];

/// A provider for `vendor` that only translates (no credentials, no network).
pub fn offline(vendor: Vendor) -> Result<AnyProvider, CliError> {
    let vars: Vec<(String, String)> = OFFLINE
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    from_vars(vendor, &vars)
}
