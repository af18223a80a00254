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
