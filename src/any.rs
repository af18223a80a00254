//! `AnyProvider`: one value that is whichever backend was chosen at run time.
//!
//! enum_dispatch only sees one crate, so it cannot read the signatures of the trait defined in
//! idconn-core. The private `mirror` module restates them for the macro; the generated impl names
//! `IdentityConnectionProvider`, which in this module is core's real trait, so the compiler
//! checks every generated method against it and the mirror cannot drift silently.

// The trait's signatures restated for enum_dispatch; never implemented or called. It must come
// before the enum: enum_dispatch emits the impl where it meets the second of the pair, and only
// at the enum does `IdentityConnectionProvider` name core's real trait.
mod mirror {
    #![allow(dead_code)]
    use enum_dispatch::enum_dispatch;
    use idconn_core::async_trait;

    // Paths are spelled in full: the generated impl copies them into the enum's module.
    #[async_trait]
    #[enum_dispatch]
    pub trait IdentityConnectionProvider: Send + Sync {
        fn vendor(&self) -> idconn_core::Vendor;
        fn capabilities(&self) -> idconn_core::Capabilities;
        fn translate(
            &self,
            connection: &idconn_core::Connection,
            policy: &idconn_core::Policy,
        ) -> idconn_core::Result<idconn_core::Translation>;
        async fn create(
            &self,
            connection: &idconn_core::Connection,
            policy: &idconn_core::Policy,
        ) -> idconn_core::Result<idconn_core::Applied>;
        async fn get(&self, id: &str) -> idconn_core::Result<idconn_core::Connection>;
        async fn find(&self, name: &str) -> idconn_core::Result<Option<idconn_core::Connection>>;
        async fn list(
            &self,
            page: idconn_core::PageRequest,
        ) -> idconn_core::Result<idconn_core::Page<idconn_core::Connection>>;
        async fn complete(
            &self,
            connection: idconn_core::Connection,
        ) -> idconn_core::Result<idconn_core::Connection>;
        async fn update(
            &self,
            id: &str,
            connection: &idconn_core::Connection,
            policy: &idconn_core::Policy,
        ) -> idconn_core::Result<idconn_core::Applied>;
        async fn delete(&self, id: &str) -> idconn_core::Result<()>;
        async fn list_applications(&self) -> idconn_core::Result<Vec<idconn_core::Application>>;
        async fn applications(&self, id: &str) -> idconn_core::Result<idconn_core::Applications>;
    }
}

use enum_dispatch::enum_dispatch;
use idconn_core::builder::ConfigKey;
use idconn_core::{Error, IdentityConnectionProvider, Result, Vendor};

#[cfg(feature = "auth0")]
use idconn_auth0::Auth0Provider;
#[cfg(feature = "eztoauth")]
use idconn_eztoauth::EztoProvider;
#[cfg(feature = "keycloak")]
use idconn_eztoauth::KeycloakProvider;
#[cfg(feature = "genauth")]
use idconn_genauth::GenAuthProvider;

/// A provider for whichever vendor was chosen at run time; calls dispatch by `match`, not
/// through a vtable. Each variant exists only with its cargo feature, so the enum is
/// `#[non_exhaustive]`: a `match` on it keeps compiling when another crate in the build turns
/// on more backends. Cloning is cheap (the providers share their HTTP client and token).
#[enum_dispatch(IdentityConnectionProvider)]
#[derive(Debug, Clone)]
#[non_exhaustive]
// One value per process, built once: boxing a variant would cost more than it saves.
#[allow(clippy::large_enum_variant)]
pub enum AnyProvider {
    /// Auth0 (feature `auth0`).
    #[cfg(feature = "auth0")]
    #[cfg_attr(docsrs, doc(cfg(feature = "auth0")))]
    Auth0(Auth0Provider),
    /// GenAuth (feature `genauth`).
    #[cfg(feature = "genauth")]
    #[cfg_attr(docsrs, doc(cfg(feature = "genauth")))]
    GenAuth(GenAuthProvider),
    /// ezto auth (feature `eztoauth`).
    #[cfg(feature = "eztoauth")]
    #[cfg_attr(docsrs, doc(cfg(feature = "eztoauth")))]
    Ezto(EztoProvider),
    /// Keycloak (feature `keycloak`).
    #[cfg(feature = "keycloak")]
    #[cfg_attr(docsrs, doc(cfg(feature = "keycloak")))]
    Keycloak(KeycloakProvider),
    /// Only in a build with no backend feature, so that the enum (and the sync engine over it)
    /// still compiles; it has no value.
    #[cfg(not(any(
        feature = "auth0",
        feature = "genauth",
        feature = "eztoauth",
        feature = "keycloak"
    )))]
    #[doc(hidden)]
    NoBackend(NoBackend),
}

/// The provider of a build with no backend: it has no value, so none of its methods can run.
#[cfg(not(any(
    feature = "auth0",
    feature = "genauth",
    feature = "eztoauth",
    feature = "keycloak"
)))]
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum NoBackend {}

#[cfg(not(any(
    feature = "auth0",
    feature = "genauth",
    feature = "eztoauth",
    feature = "keycloak"
)))]
#[idconn_core::async_trait]
impl IdentityConnectionProvider for NoBackend {
    fn vendor(&self) -> Vendor {
        match *self {}
    }
    fn capabilities(&self) -> idconn_core::Capabilities {
        match *self {}
    }
    fn translate(
        &self,
        _: &idconn_core::Connection,
        _: &idconn_core::Policy,
    ) -> Result<idconn_core::Translation> {
        match *self {}
    }
    async fn create(
        &self,
        _: &idconn_core::Connection,
        _: &idconn_core::Policy,
    ) -> Result<idconn_core::Applied> {
        match *self {}
    }
    async fn get(&self, _: &str) -> Result<idconn_core::Connection> {
        match *self {}
    }
    async fn find(&self, _: &str) -> Result<Option<idconn_core::Connection>> {
        match *self {}
    }
    async fn list(
        &self,
        _: idconn_core::PageRequest,
    ) -> Result<idconn_core::Page<idconn_core::Connection>> {
        match *self {}
    }
    async fn update(
        &self,
        _: &str,
        _: &idconn_core::Connection,
        _: &idconn_core::Policy,
    ) -> Result<idconn_core::Applied> {
        match *self {}
    }
    async fn delete(&self, _: &str) -> Result<()> {
        match *self {}
    }
    async fn list_applications(&self) -> Result<Vec<idconn_core::Application>> {
        match *self {}
    }
    async fn applications(&self, _: &str) -> Result<idconn_core::Applications> {
        match *self {}
    }
}

impl AnyProvider {
    /// Builds the provider for `vendor` from the process environment (the backend's variables:
    /// `AUTH0_*`, `GENAUTH_*`, `EZTO_*`, `KEYCLOAK_*`). A missing or malformed variable is an
    /// [`Error::InvalidInput`] naming it.
    pub fn from_env(vendor: Vendor) -> Result<AnyProvider> {
        match vendor {
            #[cfg(feature = "auth0")]
            Vendor::Auth0 => Ok(Auth0Provider::from_env()?.into()),
            #[cfg(feature = "genauth")]
            Vendor::GenAuth => Ok(GenAuthProvider::from_env()?.into()),
            #[cfg(feature = "eztoauth")]
            Vendor::Ezto => Ok(EztoProvider::from_env()?.into()),
            #[cfg(feature = "keycloak")]
            Vendor::Keycloak => Ok(KeycloakProvider::from_env()?.into()),
            #[allow(unreachable_patterns)]
            other => Err(not_built(other)),
        }
    }

    /// Builds the provider for `vendor` from variables given as pairs of any strings (for
    /// example a simulator's `env_vars()`), without touching the process environment.
    #[cfg_attr(
        not(any(
            feature = "auth0",
            feature = "genauth",
            feature = "eztoauth",
            feature = "keycloak"
        )),
        allow(unused_variables)
    )]
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(
        vendor: Vendor,
        vars: &[(K, V)],
    ) -> Result<AnyProvider> {
        match vendor {
            #[cfg(feature = "auth0")]
            Vendor::Auth0 => Ok(Auth0Provider::from_vars(vars)?.into()),
            #[cfg(feature = "genauth")]
            Vendor::GenAuth => Ok(GenAuthProvider::from_vars(vars)?.into()),
            #[cfg(feature = "eztoauth")]
            Vendor::Ezto => Ok(EztoProvider::from_vars(vars)?.into()),
            #[cfg(feature = "keycloak")]
            Vendor::Keycloak => Ok(KeycloakProvider::from_vars(vars)?.into()),
            #[allow(unreachable_patterns)]
            other => Err(not_built(other)),
        }
    }

    /// The settings of `vendor`'s backend: each environment variable it reads, and whether
    /// the value is a secret (as the backend's configuration keys declare them).
    pub fn settings(vendor: Vendor) -> Result<Vec<Setting>> {
        match vendor {
            #[cfg(feature = "auth0")]
            Vendor::Auth0 => Ok(settings_of::<idconn_auth0::config::Auth0ConfigKey>()),
            #[cfg(feature = "genauth")]
            Vendor::GenAuth => Ok(settings_of::<idconn_genauth::config::GenAuthConfigKey>()),
            #[cfg(feature = "eztoauth")]
            Vendor::Ezto => Ok(settings_of::<idconn_eztoauth::config::EztoConfigKey>()),
            #[cfg(feature = "keycloak")]
            Vendor::Keycloak => Ok(settings_of::<idconn_eztoauth::config::KeycloakConfigKey>()),
            #[allow(unreachable_patterns)]
            other => Err(not_built(other)),
        }
    }
}

/// One setting of a backend, for tools that offer other ways to give it (such as the CLI's
/// named tenants, whose keys are these names without the vendor's prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// Its environment variable, e.g. `AUTH0_DOMAIN`; backends name the setting so in errors.
    pub env_name: &'static str,
    /// Whether the value is a credential (a client secret or a token).
    pub secret: bool,
}

#[allow(dead_code)] // unused when no backend feature is on
fn settings_of<K: ConfigKey>() -> Vec<Setting> {
    K::ALL
        .iter()
        .map(|key| Setting {
            env_name: key.env_name(),
            secret: key.is_secret(),
        })
        .collect()
}

#[allow(dead_code)] // unused when every backend feature is on
pub(crate) fn not_built(vendor: Vendor) -> Error {
    Error::Unsupported {
        vendor,
        what: format!("this build of idconn (enable the cargo feature \"{vendor}\")"),
    }
}
