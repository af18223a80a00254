//! Reading one IdP's facts out of SAML 2.0 metadata.
//!
//! Only the `IDPSSODescriptor` of the chosen `EntityDescriptor` counts; everything else real
//! metadata carries (Entra ID's and ADFS's `RoleDescriptor`s, ADFS's `SPSSODescriptor`,
//! `Extensions`, `Organization`, signatures) is skipped, and what of it matters is noted.

use idconn_core::{Certificate, Error, Result};
use roxmltree::{Document, Node};
use serde::Serialize;

use super::SamlOptions;

/// The SAML 2.0 metadata namespace.
const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML Signature, where `KeyInfo` lives.
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The protocol an IdP must support to be usable here.
const SAML2_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const FIELD: &str = "SAML metadata";

/// One service endpoint: a binding and the URL that takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SamlEndpoint {
    /// The binding URI, e.g. `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`.
    pub binding: String,
    /// The endpoint URL.
    pub location: String,
}

/// The facts of one identity provider, as its metadata states them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SamlIdp {
    /// The IdP's `entityID`.
    pub entity_id: String,
    /// Every `SingleSignOnService`, in document order.
    pub single_sign_on: Vec<SamlEndpoint>,
    /// Every `SingleLogoutService`, in document order.
    pub single_logout: Vec<SamlEndpoint>,
    /// Every distinct signing certificate (`KeyDescriptor` with `use="signing"` or no `use`).
    pub signing_certificates: Vec<Certificate>,
    /// How many `KeyDescriptor use="encryption"` certificates were present (not carried).
    pub encryption_certificates: usize,
    /// Every `NameIDFormat`, in document order.
    pub name_id_formats: Vec<String>,
    /// `WantAuthnRequestsSigned`, when the metadata states it.
    pub want_authn_requests_signed: Option<bool>,
    /// The `validUntil` of the entity (or of the enclosing `EntitiesDescriptor`), as written.
    pub valid_until: Option<String>,
}

impl SamlIdp {
    /// Parses `xml` and picks the IdP: the one with `options.entity_id`, or the only one.
    ///
    /// Refused, each with one error naming the reason: text over `options.limits.max_bytes`;
    /// any `<!DOCTYPE>` (metadata never needs a DTD, and entities could expand without bound
    /// or read local files); XML that does not parse; no IdP supporting SAML 2.0; several IdPs
    /// and no entity id (the error lists the ids found); an entity id not present; a
    /// certificate that is not base64 DER.
    pub fn parse(xml: &str, options: &SamlOptions) -> Result<SamlIdp> {
        if xml.len() > options.limits.max_bytes {
            return Err(Error::invalid(
                FIELD,
                format!(
                    "the document ({} bytes) is larger than the limit of {} bytes",
                    xml.len(),
                    options.limits.max_bytes
                ),
            ));
        }
        // The default options refuse a DOCTYPE (`allow_dtd: false`).
        let document = Document::parse(xml).map_err(|e| match e {
            roxmltree::Error::DtdDetected => Error::invalid(
                FIELD,
                "the document declares a DTD (<!DOCTYPE>), which is refused: SAML metadata \
                 never needs one, and its entities could expand without bound or read local files",
            ),
            other => Error::invalid(FIELD, format!("not well-formed XML: {other}")),
        })?;
        let root = document.root_element();
        if !is_md(root, "EntityDescriptor") && !is_md(root, "EntitiesDescriptor") {
            return Err(Error::invalid(
                FIELD,
                format!(
                    "the root element is <{}>, not an EntityDescriptor or EntitiesDescriptor \
                     of the SAML 2.0 metadata namespace",
                    root.tag_name().name()
                ),
            ));
        }
        let idps: Vec<(Node, Node)> = root
            .descendants()
            .filter(|n| is_md(*n, "EntityDescriptor"))
            .filter_map(|entity| saml2_idp_role(entity).map(|role| (entity, role)))
            .collect();
        let ids = || {
            idps.iter()
                .map(|(e, _)| e.attribute("entityID").unwrap_or("(no entityID)"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (entity, role) = match (&options.entity_id, idps.as_slice()) {
            (_, []) => {
                return Err(Error::invalid(
                    FIELD,
                    "no identity provider in the document: no EntityDescriptor has an \
                     IDPSSODescriptor supporting SAML 2.0 (is this a service provider's metadata?)",
                ));
            }
            (Some(wanted), found) => *found
                .iter()
                .find(|(e, _)| e.attribute("entityID") == Some(wanted.as_str()))
                .ok_or_else(|| {
                    Error::invalid(
                        "entity id",
                        format!(
                            "no identity provider \"{wanted}\" in the SAML metadata; \
                             it describes: {}",
                            ids()
                        ),
                    )
                })?,
            (None, [one]) => *one,
            (None, several) => {
                return Err(Error::invalid(
                    "entity id",
                    format!(
                        "the SAML metadata describes {} identity providers; choose one by \
                         entity id: {}",
                        several.len(),
                        ids()
                    ),
                ));
            }
        };
        read_idp(entity, role)
    }
}

fn read_idp(entity: Node, role: Node) -> Result<SamlIdp> {
    let entity_id = entity
        .attribute("entityID")
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Error::invalid(FIELD, "the EntityDescriptor has no entityID"))?
        .to_owned();
    let mut signing_certificates: Vec<Certificate> = Vec::new();
    let mut encryption_certificates = 0;
    for (index, key) in children(role, "KeyDescriptor").enumerate() {
        let signing = match key.attribute("use") {
            None | Some("signing") => true,
            Some("encryption") => false,
            Some(other) => {
                return Err(Error::invalid(
                    format!("{FIELD} KeyDescriptor[{index}]"),
                    format!("use=\"{other}\" is neither signing nor encryption"),
                ));
            }
        };
        let certificates: Vec<Node> = key
            .descendants()
            .filter(|n| n.tag_name().namespace() == Some(DS))
            .filter(|n| n.tag_name().name() == "X509Certificate")
            .collect();
        if !signing {
            encryption_certificates += certificates.len();
            continue;
        }
        for node in certificates {
            let field = format!("{FIELD} KeyDescriptor[{index}] X509Certificate");
            let certificate = Certificate::parse(node.text().unwrap_or_default(), &field)?;
            if !signing_certificates.contains(&certificate) {
                signing_certificates.push(certificate);
            }
        }
    }
    let want_authn_requests_signed = match role.attribute("WantAuthnRequestsSigned") {
        None => None,
        Some(value) => Some(parse_xs_boolean(value).ok_or_else(|| {
            Error::invalid(
                format!("{FIELD} WantAuthnRequestsSigned"),
                format!("\"{value}\" is not a boolean"),
            )
        })?),
    };
    let valid_until = entity
        .ancestors()
        .filter(|n| is_md(*n, "EntityDescriptor") || is_md(*n, "EntitiesDescriptor"))
        .find_map(|n| n.attribute("validUntil"))
        .map(str::to_owned);
    Ok(SamlIdp {
        entity_id,
        single_sign_on: endpoints(role, "SingleSignOnService")?,
        single_logout: endpoints(role, "SingleLogoutService")?,
        signing_certificates,
        encryption_certificates,
        name_id_formats: children(role, "NameIDFormat")
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        want_authn_requests_signed,
        valid_until,
    })
}

/// The entity's first `IDPSSODescriptor` that lists the SAML 2.0 protocol.
fn saml2_idp_role<'a, 'input>(entity: Node<'a, 'input>) -> Option<Node<'a, 'input>> {
    children(entity, "IDPSSODescriptor").find(|role| {
        role.attribute("protocolSupportEnumeration")
            .is_some_and(|list| list.split_whitespace().any(|p| p == SAML2_PROTOCOL))
    })
}

fn endpoints(role: Node, element: &'static str) -> Result<Vec<SamlEndpoint>> {
    children(role, element)
        .enumerate()
        .map(|(index, node)| {
            let attribute = |name: &str| {
                node.attribute(name)
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        Error::invalid(
                            format!("{FIELD} {element}[{index}]"),
                            format!("has no {name}"),
                        )
                    })
            };
            Ok(SamlEndpoint {
                binding: attribute("Binding")?,
                location: attribute("Location")?,
            })
        })
        .collect()
}

fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(move |n| is_md(*n, name))
}

fn is_md(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(MD) && node.tag_name().name() == name
}

/// XML Schema `boolean`: `true`, `false`, `1`, `0`.
fn parse_xs_boolean(value: &str) -> Option<bool> {
    match value.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}
