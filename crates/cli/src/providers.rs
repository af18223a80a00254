//! Building a vendor's provider from its environment variables.

use idconn_core::{IdentityConnectionProvider, Vendor};

use crate::error::CliError;

/// A provider for `vendor`, configured from its environment variables (AUTH0_*, GENAUTH_*,
/// EZTO_*). A missing or malformed variable is named in the error.
pub fn connect(vendor: Vendor) -> Result<Box<dyn IdentityConnectionProvider>, CliError> {
    let vars: Vec<(String, String)> = std::env::vars().collect();
    from_vars(vendor, &vars)
}

/// A provider for `vendor` from an explicit set of variables (the simulators' in the demo).
pub fn from_vars(
    vendor: Vendor,
    _vars: &[(String, String)],
) -> Result<Box<dyn IdentityConnectionProvider>, CliError> {
    Err(CliError::failure(format!(
        "the {vendor} backend is not in this build yet"
    )))
}

/// A provider for `vendor` that only translates (no credentials, no network).
pub fn offline(vendor: Vendor) -> Result<Box<dyn IdentityConnectionProvider>, CliError> {
    connect(vendor)
}
