//! What a vendor can hold and do, declared once per backend as plain data (as OpenDAL does).
//!
//! Translation and the conformance suite read it, so an unsupported field or operation is an
//! error or a reported loss, never a silent drop. [`Vendor::capabilities`] answers for every
//! vendor idconn knows, with no backend compiled in.

use serde::Serialize;

use crate::model::{
    MappingMode, OidcChannel, SamlBinding, SamlDigestAlgorithm, SamlSignatureAlgorithm,
};
use crate::vendor::Vendor;

impl Capabilities {
    /// `vendor` holding nothing and doing nothing optional: every flag off, every maximum 0,
    /// every switch unsupported. A starting point for a new backend's declaration.
    pub const fn new(vendor: Vendor) -> Self {
        Capabilities {
            vendor,
            name: NameRule {
                max_len: 0,
                description: "",
            },
            purpose: PurposeSupport {
                sign_in: Switch::Unsupported,
                link: Switch::Unsupported,
                store_tokens: Switch::Unsupported,
            },
            enabled_flag: false,
            logo: false,
            show_on_login: false,
            max_domains: 0,
            saml: false,
            saml_requests: SamlRequestSupport::NONE,
            oidc_discovery_only: false,
            oidc_channels: &[],
            reads_secrets: false,
            rename: false,
            max_page_size: 0,
            attribute_mapping: MappingSupport::NONE,
            applications: ApplicationSupport::AllOnly,
        }
    }
}

impl MappingSupport {
    /// No attribute mapping: any mapping is a reported loss.
    pub const NONE: MappingSupport = MappingSupport {
        rules: false,
        modes: &[],
        saml_names: 0,
        claim_origins: false,
        constants: false,
        templates: TemplateTargets::None,
        per_rule_sync: false,
    };
}

impl SamlRequestSupport {
    /// No request setting held: any is a reported loss.
    pub const NONE: SamlRequestSupport = SamlRequestSupport {
        signature_algorithms: &[],
        digest_algorithms: &[],
        digest_from_signature: false,
        bindings: &[],
    };
}

impl NameRule {
    /// Names of at most `max_len` characters, described for errors by `description`.
    pub const fn new(max_len: usize, description: &'static str) -> Self {
        NameRule {
            max_len,
            description,
        }
    }
}

impl PurposeSupport {
    /// How each purpose switch is held.
    pub const fn new(sign_in: Switch, link: Switch, store_tokens: Switch) -> Self {
        PurposeSupport {
            sign_in,
            link,
            store_tokens,
        }
    }
}

/// How a vendor holds one purpose switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Switch {
    /// The vendor has no such switch (the default).
    #[default]
    Unsupported,
    /// The vendor always behaves as if the switch had this value.
    Fixed(bool),
    /// The vendor holds either value.
    Settable,
}

/// How a vendor holds a connection's purpose. The default has no switch at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct PurposeSupport {
    /// May users sign in with it.
    pub sign_in: Switch,
    /// May users link it to an existing account.
    pub link: Switch,
    /// Are upstream tokens stored.
    pub store_tokens: Switch,
}

/// Which applications a vendor lets use a connection. The default, [`AllOnly`](Self::AllOnly),
/// is what a vendor without per-application switches does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApplicationSupport {
    /// Enabled per application: the vendor holds any set of applications.
    PerApplication,
    /// Every application may use every connection (realm-wide identity providers): only
    /// "all applications" is held exactly, and a set is a loss.
    #[default]
    AllOnly,
}

/// The rule a vendor applies to connection names. The default accepts no name (length 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct NameRule {
    /// The longest name accepted, in characters.
    pub max_len: usize,
    /// A sentence describing the accepted characters, for errors.
    pub description: &'static str,
}

/// Which targets a template rule may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TemplateTargets {
    /// No template rules (the default).
    #[default]
    None,
    /// Only the `username` attribute (Keycloak's username template mappers).
    UsernameOnly,
    /// Any attribute.
    Any,
}

/// How a vendor holds a connection's attribute mapping, across its connection kinds (the
/// README's table gives the detail per kind). The default holds no mapping at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
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

/// Which settings of our SAML authentication requests a vendor holds. The default holds none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct SamlRequestSupport {
    /// The signature algorithms held.
    pub signature_algorithms: &'static [SamlSignatureAlgorithm],
    /// The digest algorithms held as a setting of their own.
    pub digest_algorithms: &'static [SamlDigestAlgorithm],
    /// The digest follows the signature algorithm (no setting of its own): a digest is held
    /// when it is the hash of the signature algorithm ([`SamlSignatureAlgorithm::hash`]).
    pub digest_from_signature: bool,
    /// The request bindings held.
    pub bindings: &'static [SamlBinding],
}

/// What one vendor can hold and do.
///
/// Naming, as in OpenDAL's `Capability`: a `bool` says whether the vendor has the thing at all;
/// a `max_*` is the largest amount it takes (0: none); a [`Switch`] says how a setting is held.
/// Fields are added as vendors grow, so the struct is `#[non_exhaustive]`: build one with
/// [`Capabilities::new`] (everything unsupported) and set the fields that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
    /// The settings of SAML authentication requests held.
    pub saml_requests: SamlRequestSupport,
    /// OIDC connections described only by a discovery URL (no explicit endpoints).
    pub oidc_discovery_only: bool,
    /// The OIDC channels held (empty: none can be stated).
    pub oidc_channels: &'static [OidcChannel],
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

impl Vendor {
    /// What this vendor can hold and do, as idconn maps it. Plain data: no backend, credentials
    /// or network needed (each backend's `CAPABILITIES` is this value).
    pub const fn capabilities(self) -> Capabilities {
        match self {
            Vendor::Auth0 => AUTH0,
            Vendor::GenAuth => GENAUTH,
            Vendor::Ezto => EZTO,
            Vendor::Keycloak => KEYCLOAK,
        }
    }
}

/// SAML requests signed with rsa-sha256 or rsa-sha1, digested with sha256 or sha1, by either
/// binding: what Auth0 and GenAuth hold.
const RSA_SHA256_AND_SHA1: SamlRequestSupport = SamlRequestSupport {
    signature_algorithms: &[
        SamlSignatureAlgorithm::RsaSha256,
        SamlSignatureAlgorithm::RsaSha1,
    ],
    digest_algorithms: &[SamlDigestAlgorithm::Sha256, SamlDigestAlgorithm::Sha1],
    digest_from_signature: false,
    bindings: &[SamlBinding::HttpRedirect, SamlBinding::HttpPost],
};

/// Auth0 (Auth0 Management API v2 docs, `/api/v2/connections`).
const AUTH0: Capabilities = Capabilities {
    vendor: Vendor::Auth0,
    name: NameRule {
        max_len: 128,
        description: "letters, digits and single inner hyphens, starting and ending with a letter or digit",
    },
    purpose: PurposeSupport {
        // authentication.active
        sign_in: Switch::Settable,
        // No account-linking switch on a connection.
        link: Switch::Unsupported,
        // connected_accounts.active (Token Vault)
        store_tokens: Switch::Settable,
    },
    // Enabling is per application (PATCH /connections/{id}/clients), not on the connection.
    enabled_flag: false,
    // options.icon_url, where the strategy's schema has it.
    logo: true,
    show_on_login: true,
    // options.domain_aliases / realms: at most 10.
    max_domains: 10,
    saml: true,
    // samlp options.signatureAlgorithm, options.digestAlgorithm, options.protocolBinding (OAS
    // ConnectionSignatureAlgorithmEnumSAML, ConnectionDigestAlgorithmEnumSAML,
    // ConnectionProtocolBindingEnumSAML).
    saml_requests: RSA_SHA256_AND_SHA1,
    // An oidc connection may hold only discovery_url; the server fills oidc_metadata.
    oidc_discovery_only: true,
    // oidc options.type (OAS ConnectionTypeEnumOIDC: back_channel, front_channel).
    oidc_channels: &[OidcChannel::FrontChannel, OidcChannel::BackChannel],
    // client_secret comes back in clear with the read:connections_options scope.
    reads_secrets: true,
    rename: false,
    // The Management API's documented maximum `take` for connections (OpenAPI: 1 to 100).
    max_page_size: 100,
    // options.attribute_map (oidc, okta) and options.fieldsMap (samlp): OAS
    // ConnectionAttributeMapOIDC, ConnectionFieldsMapSAML.
    attribute_mapping: MappingSupport {
        rules: true,
        modes: &[MappingMode::Explicit, MappingMode::CopyAll],
        saml_names: 4,
        claim_origins: true,
        constants: true,
        templates: TemplateTargets::Any,
        per_rule_sync: false,
    },
    // Enabled per client: GET/PATCH /api/v2/connections/{id}/clients (Management API v2).
    applications: ApplicationSupport::PerApplication,
};

/// GenAuth (Authing V3 management API, ext-idp connections).
const GENAUTH: Capabilities = Capabilities {
    vendor: Vendor::GenAuth,
    name: NameRule {
        max_len: 128,
        description: "ASCII letters, digits, '-', '_' and '.'",
    },
    // loginOnly: sign-in always allowed, linking switchable; no token storage.
    purpose: PurposeSupport {
        sign_in: Switch::Fixed(true),
        link: Switch::Settable,
        store_tokens: Switch::Unsupported,
    },
    // On/off is per application (change-ext-idp-conn-state), not on the connection.
    enabled_flag: false,
    logo: true,
    show_on_login: false,
    max_domains: 0,
    // SAML connections carry their sign-in and sign-out URLs, certificate and request signing
    // under the keys GenAuth's login UI reads.
    saml: true,
    // signatureAlgorithm, digestAlgorithm, protocolBinding (GenAuth's login UI; the console's
    // defaults rsa-sha256, sha256 and HTTP-Redirect, in that spelling).
    saml_requests: RSA_SHA256_AND_SHA1,
    oidc_discovery_only: false,
    // OIDC `mode`: FRONT_CHANNEL or BACK_CHANNEL (GenAuth's login UI).
    oidc_channels: &[OidcChannel::FrontChannel, OidcChannel::BackChannel],
    // get-ext-idp returns `fields`, clientSecret included.
    reads_secrets: true,
    rename: false,
    // The library pages (the API does not); larger pages read more sources per request.
    max_page_size: 100,
    // No attribute mapping for ext-idp connections in the V3 management API.
    attribute_mapping: MappingSupport::NONE,
    // Switched on per application: POST /api/v3/change-ext-idp-conn-state.
    applications: ApplicationSupport::PerApplication,
};

/// ezto auth (Keycloak's identity-provider admin API).
const EZTO: Capabilities = Capabilities {
    vendor: Vendor::Ezto,
    name: NameRule {
        max_len: 255,
        description: "no whitespace and none of : / ? # @ ! $ & ( ) * + , ; = [ ] \\",
    },
    // linkOnly forbids signing in; nothing forbids linking; storeToken keeps upstream tokens.
    purpose: PurposeSupport {
        sign_in: Switch::Settable,
        link: Switch::Fixed(true),
        store_tokens: Switch::Settable,
    },
    enabled_flag: true,
    logo: false,
    show_on_login: true,
    max_domains: 0,
    saml: true,
    // SAMLIdentityProviderConfig signatureAlgorithm (Keycloak's SignatureAlgorithm names, each
    // tied to its digest) and postBindingAuthnRequest.
    saml_requests: SamlRequestSupport {
        signature_algorithms: &[
            SamlSignatureAlgorithm::RsaSha256,
            SamlSignatureAlgorithm::RsaSha1,
            SamlSignatureAlgorithm::RsaSha512,
            SamlSignatureAlgorithm::RsaSha256Mgf1,
            SamlSignatureAlgorithm::RsaSha512Mgf1,
            SamlSignatureAlgorithm::DsaSha1,
        ],
        digest_algorithms: &[],
        digest_from_signature: true,
        bindings: &[SamlBinding::HttpRedirect, SamlBinding::HttpPost],
    },
    // Keycloak needs explicit authorizationUrl/tokenUrl.
    oidc_discovery_only: false,
    // Keycloak brokers OIDC with the authorization code flow only.
    oidc_channels: &[OidcChannel::BackChannel],
    // GET answers `**********` for the client secret.
    reads_secrets: false,
    // Aliases are immutable (keycloak PR #47805).
    rename: false,
    // Keycloak takes any `max`; this bounds one answer's size.
    max_page_size: 1000,
    // Identity-provider mappers: one source to one target, a syncMode each, no fallback names
    // and no "copy everything" (Keycloak broker mappers).
    attribute_mapping: MappingSupport {
        rules: true,
        modes: &[],
        saml_names: 1,
        claim_origins: false,
        constants: true,
        templates: TemplateTargets::UsernameOnly,
        per_rule_sync: true,
    },
    // Keycloak identity providers are realm-wide: no client representation names them.
    applications: ApplicationSupport::AllOnly,
};

/// Plain Keycloak: the same admin API as ezto auth, so the same table under its own name.
const KEYCLOAK: Capabilities = Capabilities {
    vendor: Vendor::Keycloak,
    ..EZTO
};
