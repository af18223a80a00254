use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::applications::Applications;
use super::attribute_map::AttributeMap;
use super::kind::{ConnectionKind, SocialProvider};
use super::purpose::Purpose;
use super::settings::{OAuthSettings, SamlSettings, Settings};
use crate::error::{Error, Result};
use crate::read::ReadNote;
use crate::vendor::Vendor;

/// Per vendor, the wire fields the neutral model does not cover, kept verbatim so that a
/// read-modify-write or a same-vendor round trip loses nothing. Keyed by [`Vendor`]; a backend
/// reads only its own entry. Secrets never go here: they live in the typed settings.
pub type Extras = BTreeMap<Vendor, Map<String, Value>>;

/// One identity-provider connection, vendor-neutral. Also the element of idconn's file format
/// (`{"connections": [...]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// Vendor-assigned id (Auth0 `con_…`, GenAuth connection id, ezto `internalId`); `None`
    /// before creation and in files meant for another vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The stable machine key: Auth0 `name`, GenAuth `identifier`, ezto `alias`. Immutable.
    pub name: String,
    /// The name people see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// What kind of login source this is.
    pub kind: ConnectionKind,
    /// Typed settings for the kind.
    #[serde(default)]
    pub settings: Settings,
    /// What the connection may be used for.
    #[serde(default, skip_serializing_if = "Purpose::is_unset")]
    pub purpose: Purpose,
    /// Whether the connection is on (`None` where the vendor keeps no such flag on the connection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The logo shown on the login button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// Whether the login page shows a button for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_on_login: Option<bool>,
    /// Email domains routed to this connection (home-realm discovery).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    /// Per-vendor fields the model does not cover.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extras: Extras,
    /// What the read that produced this connection could not decode: vendor values kept
    /// verbatim in extras, each with why. Empty for connections not read from a vendor; not
    /// part of the file format.
    #[serde(skip)]
    pub read_notes: Vec<ReadNote>,
    /// Which upstream claims or SAML attributes become which user attributes. `None` states
    /// nothing: an update keeps what the vendor holds, and a read of a connection with the
    /// vendor's default mapping gives `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_map: Option<AttributeMap>,
    /// Which applications may use it. `None` (absent from a document) leaves whatever the
    /// vendor holds; reads (`get`, `find`, `list`) leave it `None` too, and
    /// [`applications`](crate::IdentityConnectionProvider::applications) reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applications: Option<Applications>,
}

impl Connection {
    /// A connection with a name and kind and nothing else set.
    pub fn new(name: impl Into<String>, kind: ConnectionKind) -> Self {
        Connection {
            id: None,
            name: name.into(),
            display_name: None,
            kind,
            settings: Settings::None,
            purpose: Purpose::default(),
            enabled: None,
            logo_url: None,
            show_on_login: None,
            domains: Vec::new(),
            extras: Extras::new(),
            read_notes: Vec::new(),
            attribute_map: None,
            applications: None,
        }
    }

    /// An OpenID Connect connection: kind [`ConnectionKind::Oidc`] with these settings, so kind
    /// and settings cannot disagree.
    ///
    /// ```
    /// use idconn_core::{Connection, OAuthSettings};
    ///
    /// let sso = Connection::oidc(
    ///     "acme-sso",
    ///     OAuthSettings {
    ///         client_id: Some("client-id".into()),
    ///         discovery_url: Some("https://idp.example.com/.well-known/openid-configuration".into()),
    ///         ..OAuthSettings::default()
    ///     },
    /// )
    /// .with_display_name("Acme SSO")
    /// .with_domains(["acme.example"]);
    /// assert!(sso.check_settings_fit_kind().is_ok());
    /// ```
    pub fn oidc(name: impl Into<String>, settings: OAuthSettings) -> Self {
        Self::with_settings(name, ConnectionKind::Oidc, Settings::OAuth(settings))
    }

    /// A plain OAuth 2.0 connection ([`ConnectionKind::OAuth2`]; give the endpoints).
    pub fn oauth2(name: impl Into<String>, settings: OAuthSettings) -> Self {
        Self::with_settings(name, ConnectionKind::OAuth2, Settings::OAuth(settings))
    }

    /// A SAML 2.0 connection ([`ConnectionKind::Saml`]).
    pub fn saml(name: impl Into<String>, settings: SamlSettings) -> Self {
        Self::with_settings(name, ConnectionKind::Saml, Settings::Saml(settings))
    }

    /// A social connection to `provider` ([`ConnectionKind::Social`]).
    pub fn social(
        name: impl Into<String>,
        provider: SocialProvider,
        settings: OAuthSettings,
    ) -> Self {
        Self::with_settings(
            name,
            ConnectionKind::Social(provider),
            Settings::OAuth(settings),
        )
    }

    fn with_settings(name: impl Into<String>, kind: ConnectionKind, settings: Settings) -> Self {
        let mut connection = Connection::new(name, kind);
        connection.settings = settings;
        connection
    }

    /// This connection with the name people see.
    pub fn with_display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// This connection with what it may be used for.
    pub fn with_purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// This connection with the email domains routed to it (home-realm discovery).
    pub fn with_domains<D: Into<String>>(mut self, domains: impl IntoIterator<Item = D>) -> Self {
        self.domains = domains.into_iter().map(Into::into).collect();
        self
    }

    /// This connection with the logo shown on its login button.
    pub fn with_logo_url(mut self, logo_url: impl Into<String>) -> Self {
        self.logo_url = Some(logo_url.into());
        self
    }

    /// This connection switched on or off (where the vendor keeps the flag on the connection).
    pub fn with_enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    /// This connection shown on, or hidden from, the login page.
    pub fn with_show_on_login(mut self, show: bool) -> Self {
        self.show_on_login = Some(show);
        self
    }

    /// This vendor's extras, empty if none.
    pub fn extras_for(&self, vendor: Vendor) -> Map<String, Value> {
        self.extras.get(&vendor).cloned().unwrap_or_default()
    }

    /// Checks that the settings variant fits the kind (OAuth settings on an OIDC connection,
    /// SAML settings on a SAML one), naming the field when not.
    pub fn check_settings_fit_kind(&self) -> Result<()> {
        let fits = matches!(
            (&self.kind, &self.settings),
            (_, Settings::None)
                | (
                    ConnectionKind::Oidc
                        | ConnectionKind::OAuth2
                        | ConnectionKind::AzureAd
                        | ConnectionKind::Social(_),
                    Settings::OAuth(_),
                )
                | (ConnectionKind::Saml, Settings::Saml(_))
                | (
                    ConnectionKind::ActiveDirectory | ConnectionKind::Ldap,
                    Settings::Directory(_)
                )
                | (ConnectionKind::Custom(_), _)
        );
        if fits {
            Ok(())
        } else {
            Err(Error::invalid(
                "settings.protocol",
                format!(
                    "{} settings do not fit a connection of kind {}",
                    protocol_name(&self.settings),
                    self.kind
                ),
            ))
        }
    }
}

fn protocol_name(settings: &Settings) -> &'static str {
    match settings {
        Settings::OAuth(_) => "oauth",
        Settings::Saml(_) => "saml",
        Settings::Directory(_) => "directory",
        Settings::None => "no",
    }
}
