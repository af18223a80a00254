//! What a vendor can hold and do, declared once per backend as plain data (as OpenDAL does).
//!
//! Translation and the conformance suite read it, so an unsupported field or operation is an
//! error or a reported loss, never a silent drop.

use serde::Serialize;

use crate::model::MappingMode;
use crate::vendor::Vendor;

/// How a vendor holds one purpose switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Switch {
    /// The vendor has no such switch.
    Unsupported,
    /// The vendor always behaves as if the switch had this value.
    Fixed(bool),
    /// The vendor holds either value.
    Settable,
}

/// How a vendor holds a connection's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PurposeSupport {
    /// May users sign in with it.
    pub sign_in: Switch,
    /// May users link it to an existing account.
    pub link: Switch,
    /// Are upstream tokens stored.
    pub store_tokens: Switch,
}

/// Which applications a vendor lets use a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationSupport {
    /// Enabled per application: the vendor holds any set of applications.
    PerApplication,
    /// Every application may use every connection (realm-wide identity providers): only
    /// "all applications" is held exactly, and a set is a loss.
    AllOnly,
}

/// The rule a vendor applies to connection names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NameRule {
    /// The longest name accepted, in characters.
    pub max_len: usize,
    /// A sentence describing the accepted characters, for errors.
    pub description: &'static str,
}

/// Which targets a template rule may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateTargets {
    /// No template rules.
    None,
    /// Only the `username` attribute (Keycloak's username template mappers).
    UsernameOnly,
    /// Any attribute.
    Any,
}

/// How a vendor holds a connection's attribute mapping, across its connection kinds (the
/// README's table gives the detail per kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MappingSupport {
    /// Mapping rules at all; without them any mapping is a reported loss.
    pub rules: bool,
    /// The modes held besides the provider's default profile.
    pub modes: &'static [MappingMode],
    /// The most names one SAML attribute rule may carry (the attribute and its fallbacks).
    pub saml_names: usize,
    /// Claims pinned to the ID token or userinfo.
    pub claim_origins: bool,
    /// Constant values.
    pub constants: bool,
    /// Template rules.
    pub templates: TemplateTargets,
    /// A sync mode (import or force) per rule.
    pub per_rule_sync: bool,
}

/// What one vendor can hold and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// The vendor.
    pub vendor: Vendor,
    /// The name rule.
    pub name: NameRule,
    /// Purpose switches.
    pub purpose: PurposeSupport,
    /// An `enabled` flag on the connection itself.
    pub enabled_flag: bool,
    /// A logo URL.
    pub logo: bool,
    /// A show-on-login-page switch.
    pub show_on_login: bool,
    /// The most home-realm domains a connection may carry (0 = none).
    pub max_domains: usize,
    /// SAML connections.
    pub saml: bool,
    /// OIDC connections described only by a discovery URL (no explicit endpoints).
    pub oidc_discovery_only: bool,
    /// A read returns the client secret's value (otherwise it is masked or omitted).
    pub reads_secrets: bool,
    /// A connection can be renamed in place.
    pub rename: bool,
    /// The largest page a list request may ask for.
    pub max_page_size: u32,
    /// Attribute mapping.
    pub attribute_mapping: MappingSupport,
    /// Which applications may use a connection.
    pub applications: ApplicationSupport,
}
