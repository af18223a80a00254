//! Building the provider a command talks to: a vendor from its environment variables, or a
//! named tenant of the config file.

use std::fmt;

use idconn::AnyProvider;
use idconn::Vendor;

use crate::cli::TargetArgs;
use crate::error::CliError;
use crate::tenants::TenantsFile;

/// A provider and the name it goes by in messages.
pub struct Connected {
    /// The provider.
    pub provider: AnyProvider,
    /// Its vendor.
    pub vendor: Vendor,
    /// The tenant's name, when it came from the config file.
    pub tenant: Option<String>,
}

impl fmt::Display for Connected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.tenant {
            Some(tenant) => write!(f, "{tenant} ({})", self.vendor),
            None => write!(f, "{}", self.vendor),
        }
    }
}

/// The provider `--tenant` (or else `--vendor`) names. Neither given is a usage error.
pub fn connect(target: &TargetArgs) -> Result<Connected, CliError> {
    match (&target.tenant, target.vendor) {
        (Some(tenant), _) => tenant_provider(target, tenant),
        (None, Some(vendor)) => vendor_provider(vendor),
        (None, None) => Err(CliError::usage(
            "name a vendor with --vendor (or IDCONN_VENDOR), or a tenant of the config file \
             with --tenant",
        )),
    }
}

/// The providers `migrate --from/--to` name: a vendor name reads that vendor's environment
/// variables, any other name is a tenant of the config file. Both names are checked before
/// either provider is built, so a name that stands for nothing is the error reported.
pub fn connect_pair(
    target: &TargetArgs,
    from: &str,
    to: &str,
) -> Result<(Connected, Connected), CliError> {
    let is_vendor = |name: &str| name.parse::<Vendor>().is_ok();
    let file = if is_vendor(from) && is_vendor(to) {
        None
    } else {
        let file = TenantsFile::load(target.config.as_deref())?;
        for name in [from, to].into_iter().filter(|name| !is_vendor(name)) {
            file.vendor_of(name)?;
        }
        Some(file)
    };
    let connect = |name: &str| match (name.parse::<Vendor>(), &file) {
        (Ok(vendor), _) => vendor_provider(vendor),
        (Err(_), Some(file)) => from_file(file, name),
        (Err(e), None) => Err(e.into()),
    };
    Ok((connect(from)?, connect(to)?))
}

/// A vendor configured from its environment variables (AUTH0_*, GENAUTH_*, EZTO_*, KEYCLOAK_*). A
/// missing or malformed variable is named in the error.
fn vendor_provider(vendor: Vendor) -> Result<Connected, CliError> {
    Ok(Connected {
        provider: AnyProvider::from_env(vendor)?,
        vendor,
        tenant: None,
    })
}

fn tenant_provider(target: &TargetArgs, tenant: &str) -> Result<Connected, CliError> {
    from_file(&TenantsFile::load(target.config.as_deref())?, tenant)
}

fn from_file(file: &TenantsFile, tenant: &str) -> Result<Connected, CliError> {
    let (vendor, provider) = file.connect(tenant)?;
    Ok(Connected {
        provider,
        vendor,
        tenant: Some(tenant.to_string()),
    })
}

/// A provider for `vendor` from an explicit set of variables (the simulators' in the demo).
pub fn from_vars(vendor: Vendor, vars: &[(String, String)]) -> Result<AnyProvider, CliError> {
    Ok(AnyProvider::from_vars(vendor, vars)?)
}
