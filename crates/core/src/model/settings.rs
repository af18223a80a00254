use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::certificate::Certificate;
use super::secret::ClientSecret;

/// How a relying party authenticates to the upstream token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// `client_secret_post`.
    ClientSecretPost,
    /// `client_secret_basic`.
    ClientSecretBasic,
    /// `client_secret_jwt`.
    ClientSecretJwt,
    /// `private_key_jwt`.
    PrivateKeyJwt,
}

impl ClientAuthMethod {
    /// The OAuth registry name (`client_secret_post`, ...), which every vendor uses on the wire.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClientAuthMethod::ClientSecretPost => "client_secret_post",
            ClientAuthMethod::ClientSecretBasic => "client_secret_basic",
            ClientAuthMethod::ClientSecretJwt => "client_secret_jwt",
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }

    /// Parses the OAuth registry name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "client_secret_post" => Some(ClientAuthMethod::ClientSecretPost),
            "client_secret_basic" => Some(ClientAuthMethod::ClientSecretBasic),
            "client_secret_jwt" => Some(ClientAuthMethod::ClientSecretJwt),
            "private_key_jwt" => Some(ClientAuthMethod::PrivateKeyJwt),
            _ => None,
        }
    }
}

/// A closed set of neutral names: the enum (its serde names are the document format's), `ALL`,
/// `as_str`, `parse` and `Display`, so the four protocol-option enums below cannot drift apart.
macro_rules! neutral_names {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's name in idconn's document format.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The value a document-format name stands for.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

neutral_names! {
    /// The channel an OIDC connection receives the identity provider's answer on (OpenID
    /// Connect Core 1.0, sections 3.1 and 3.2; the OAuth 2.0 Form Post Response Mode).
    ///
    /// No default: the vendors disagree (Auth0's is the front channel, Keycloak brokers with
    /// the back channel only), so an unstated channel is `None` in [`OAuthSettings::channel`].
    pub enum OidcChannel {
        /// `front_channel`: the browser posts an ID token back (`response_type=id_token`,
        /// `response_mode=form_post`, the implicit flow); no client secret is used.
        FrontChannel = "front_channel",
        /// `back_channel`: the authorization code flow (`response_type=code`); the code is
        /// exchanged for tokens server to server with the client's credentials.
        BackChannel = "back_channel",
    }
}

neutral_names! {
    /// The algorithm our SAML authentication requests are signed with, by its XML Signature
    /// name (`rsa-sha256` for `http://www.w3.org/2001/04/xmldsig-more#rsa-sha256`).
    ///
    /// The default, `rsa-sha256`, is the default of every vendor idconn serves.
    #[derive(Default)]
    pub enum SamlSignatureAlgorithm {
        /// `rsa-sha256`: RSA PKCS#1 v1.5 with SHA-256.
        #[default]
        RsaSha256 = "rsa-sha256",
        /// `rsa-sha1`: RSA PKCS#1 v1.5 with SHA-1 (legacy; weak).
        RsaSha1 = "rsa-sha1",
        /// `rsa-sha512`: RSA PKCS#1 v1.5 with SHA-512.
        RsaSha512 = "rsa-sha512",
        /// `rsa-sha256-mgf1`: RSA-PSS with SHA-256 and MGF1
        /// (`http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1`).
        RsaSha256Mgf1 = "rsa-sha256-mgf1",
        /// `rsa-sha512-mgf1`: RSA-PSS with SHA-512 and MGF1
        /// (`http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1`).
        RsaSha512Mgf1 = "rsa-sha512-mgf1",
        /// `dsa-sha1`: DSA with SHA-1 (legacy; weak).
        DsaSha1 = "dsa-sha1",
    }
}

impl SamlSignatureAlgorithm {
    /// The hash the algorithm signs with, which is the digest of a vendor that has no separate
    /// digest setting (Keycloak signs and digests with the same hash).
    pub const fn hash(self) -> SamlDigestAlgorithm {
        match self {
            SamlSignatureAlgorithm::RsaSha1 | SamlSignatureAlgorithm::DsaSha1 => {
                SamlDigestAlgorithm::Sha1
            }
            SamlSignatureAlgorithm::RsaSha256 | SamlSignatureAlgorithm::RsaSha256Mgf1 => {
                SamlDigestAlgorithm::Sha256
            }
            SamlSignatureAlgorithm::RsaSha512 | SamlSignatureAlgorithm::RsaSha512Mgf1 => {
                SamlDigestAlgorithm::Sha512
            }
        }
    }
}

neutral_names! {
    /// The digest algorithm of the references in our signed SAML requests, by its XML
    /// Signature name (`sha256` for `http://www.w3.org/2001/04/xmlenc#sha256`).
    ///
    /// The default, `sha256`, is the default of every vendor idconn serves.
    #[derive(Default)]
    pub enum SamlDigestAlgorithm {
        /// `sha256`: SHA-256.
        #[default]
        Sha256 = "sha256",
        /// `sha1`: SHA-1 (legacy; weak).
        Sha1 = "sha1",
        /// `sha512`: SHA-512.
        Sha512 = "sha512",
    }
}

neutral_names! {
    /// How our SAML authentication requests reach the identity provider (SAML 2.0 Bindings
    /// sections 3.4 and 3.5).
    ///
    /// The default, `http-redirect`, is the default of every vendor idconn serves.
    #[derive(Default)]
    pub enum SamlBinding {
        /// `http-redirect`: the request rides in the query string of a redirect
        /// (`urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`).
        #[default]
        HttpRedirect = "http-redirect",
        /// `http-post`: the browser posts the request in a form
        /// (`urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST`).
        HttpPost = "http-post",
    }
}

impl SamlBinding {
    /// The binding's URN (SAML 2.0 Bindings, sections 3.4.1 and 3.5.1), as metadata and Auth0 name it.
    pub const fn urn(self) -> &'static str {
        match self {
            SamlBinding::HttpRedirect => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
            SamlBinding::HttpPost => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        }
    }

    /// The binding a URN names.
    pub fn from_urn(urn: &str) -> Option<Self> {
        SamlBinding::ALL.iter().copied().find(|b| b.urn() == urn)
    }
}

/// Settings of an OAuth-family connection: OIDC, plain OAuth 2.0, Azure AD and social.
///
/// Social and Azure AD connections use the client fields and scopes; OIDC adds the issuer,
/// discovery and endpoints; plain OAuth 2.0 needs the endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthSettings {
    /// The client id registered at the upstream provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The client secret registered at the upstream provider.
    #[serde(default, skip_serializing_if = "ClientSecret::is_absent")]
    pub client_secret: ClientSecret,
    /// Requested scopes, as a list whatever the vendor's string format.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// The issuer identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The OpenID discovery document URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_url: Option<String>,
    /// The authorization endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    /// The token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// The userinfo endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_url: Option<String>,
    /// The JWKS endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_url: Option<String>,
    /// How the client authenticates at the token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_auth_method: Option<ClientAuthMethod>,
    /// Whether PKCE is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkce: Option<bool>,
    /// The directory tenant (Azure AD / Microsoft: a domain or tenant UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The OIDC channel: the front channel (an ID token posted back) or the back channel (the
    /// authorization code flow). `None` states nothing: the vendor's default applies. OIDC
    /// connections only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<OidcChannel>,
}

/// Settings of a SAML 2.0 connection (we are the service provider).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlSettings {
    /// The identity provider's single sign-on URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_url: Option<String>,
    /// The identity provider's single logout URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_out_url: Option<String>,
    /// The identity provider's entity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_entity_id: Option<String>,
    /// Our (service provider) entity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sp_entity_id: Option<String>,
    /// Certificates that may sign the identity provider's responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_certificates: Vec<Certificate>,
    /// The NameID format requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_id_format: Option<String>,
    /// Whether our authentication requests are signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_requests: Option<bool>,
    /// The private key our authentication requests are signed with (PEM). A secret like a
    /// client secret: known, masked or absent; never in `Debug`, logs or default exports.
    #[serde(default, skip_serializing_if = "ClientSecret::is_absent")]
    pub request_signing_key: ClientSecret,
    /// The certificate of [`request_signing_key`](Self::request_signing_key), which the
    /// identity provider checks our signatures with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_signing_certificate: Option<Certificate>,
    /// The algorithm our authentication requests are signed with. `None` states nothing: the
    /// vendor's default applies (`rsa-sha256` on every vendor idconn serves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_signature_algorithm: Option<SamlSignatureAlgorithm>,
    /// The digest algorithm of our signed requests. `None` states nothing: the vendor's
    /// default applies (`sha256`; Keycloak digests with the signature algorithm's hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_digest_algorithm: Option<SamlDigestAlgorithm>,
    /// How our authentication requests reach the identity provider. `None` states nothing: the
    /// vendor's default applies (`http-redirect` on every vendor idconn serves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_binding: Option<SamlBinding>,
}

/// Settings of a directory connection (Active Directory, LDAP). The vendors' connector
/// settings differ too much to share more than this; the rest stays in extras.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorySettings {
    /// The directory's LDAP URL or connector host, where the vendor exposes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The base distinguished name searched for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_dn: Option<String>,
}

/// The typed settings of a connection, one variant per protocol family.
///
/// In a document: a map whose `protocol` key (`oauth`, `saml`, `directory`, `none`) picks the
/// variant. Reading it names the path of a bad field inside (`scopes`), which serde's derived
/// tagged enums cannot.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(tag = "protocol", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Settings {
    /// OIDC, OAuth 2.0, Azure AD and social connections.
    #[serde(rename = "oauth")]
    OAuth(OAuthSettings),
    /// SAML connections.
    Saml(SamlSettings),
    /// Directory connections.
    Directory(DirectorySettings),
    /// No modelled settings (custom kinds: everything is in extras).
    #[default]
    None,
}

impl Settings {
    /// The OAuth settings, when this is an OAuth-family connection.
    pub fn oauth(&self) -> Option<&OAuthSettings> {
        match self {
            Settings::OAuth(s) => Some(s),
            _ => None,
        }
    }

    /// The SAML settings, when this is a SAML connection.
    pub fn saml(&self) -> Option<&SamlSettings> {
        match self {
            Settings::Saml(s) => Some(s),
            _ => None,
        }
    }

    /// The SAML request-signing key, for the settings that have one.
    pub fn request_signing_key(&self) -> &ClientSecret {
        static ABSENT: ClientSecret = ClientSecret::Absent;
        match self {
            Settings::Saml(s) => &s.request_signing_key,
            _ => &ABSENT,
        }
    }

    /// The client secret, for the settings that have one.
    pub fn client_secret(&self) -> &ClientSecret {
        static ABSENT: ClientSecret = ClientSecret::Absent;
        match self {
            Settings::OAuth(s) => &s.client_secret,
            _ => &ABSENT,
        }
    }
}

const PROTOCOLS: &[&str] = &["oauth", "saml", "directory", "none"];

impl<'de> Deserialize<'de> for Settings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = Map::<String, Value>::deserialize(deserializer)?;
        let protocol = match fields.remove("protocol") {
            Some(Value::String(protocol)) => protocol,
            Some(_) => {
                return Err(de::Error::custom(crate::json::nested_error(
                    "protocol",
                    "expected one of `oauth`, `saml`, `directory`, `none`",
                )));
            }
            None => return Err(de::Error::missing_field("protocol")),
        };
        match protocol.as_str() {
            "oauth" => typed(fields).map(Settings::OAuth),
            "saml" => typed(fields).map(Settings::Saml),
            "directory" => typed(fields).map(Settings::Directory),
            "none" => match fields.keys().next() {
                None => Ok(Settings::None),
                Some(key) => Err(de::Error::custom(crate::json::nested_error(
                    key,
                    "unknown field: settings with protocol `none` hold no fields",
                ))),
            },
            other => Err(de::Error::unknown_variant(other, PROTOCOLS)),
        }
    }
}

/// One variant's settings, with the path of a bad field in the error. The client secret's own
/// messages never quote its value, so they are shown; under other secret-looking keys serde's
/// message (which may quote the value) is not.
fn typed<T: serde::de::DeserializeOwned, E: de::Error>(fields: Map<String, Value>) -> Result<T, E> {
    serde_path_to_error::deserialize(Value::Object(fields)).map_err(|e| {
        let path = e.path().to_string();
        let message = if path != "client_secret" && crate::json::touches_secret(e.path()) {
            "invalid value (not shown: secret field)".to_owned()
        } else {
            e.inner().to_string()
        };
        E::custom(crate::json::nested_error(&path, &message))
    })
}
