//! SAML 2.0 metadata (OASIS SAML V2.0 Metadata, `saml-metadata-2.0-os`) into a SAML connection.
//!
//! [`SamlIdp::parse`] reads the facts of one identity provider; [`SamlIdp::connection`] turns
//! them into a [`Connection`](idconn_core::Connection) and says what the neutral model cannot
//! hold. [`onboard_saml`] does both from text, a file or a URL.

mod certificates;
mod connection;
mod metadata;

use std::path::PathBuf;

use idconn_core::{Error, Result};

pub use metadata::{SamlEndpoint, SamlIdp};

use crate::fetch::fetch;
use crate::limits::FetchLimits;
use crate::report::Onboarded;

/// The SAML 2.0 HTTP-Redirect binding.
pub const HTTP_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
/// The SAML 2.0 HTTP-POST binding.
pub const HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/// Where the metadata comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataSource {
    /// The XML itself.
    Xml(String),
    /// A file holding it.
    File(PathBuf),
    /// An https URL serving it (http only for loopback).
    Url(String),
}

impl MetadataSource {
    /// A command-line argument: a URL when it starts with `https://` or `http://`, else a file.
    pub fn from_arg(arg: &str) -> Self {
        let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            MetadataSource::Url(arg.to_owned())
        } else {
            MetadataSource::File(PathBuf::from(arg))
        }
    }

    /// Reads the XML text within `limits` (a URL is fetched; a file is read).
    pub async fn read(&self, limits: &FetchLimits) -> Result<String> {
        let (field, bytes) = match self {
            MetadataSource::Xml(text) => return Ok(text.clone()),
            MetadataSource::File(path) => {
                let field = format!("SAML metadata file {}", path.display());
                (field, read_file(path, limits)?)
            }
            MetadataSource::Url(url) => {
                let accept = "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8";
                let bytes = fetch("SAML metadata", url, accept, limits).await?;
                (format!("SAML metadata from {url}"), bytes)
            }
        };
        String::from_utf8(bytes).map_err(|_| Error::invalid(field, "is not UTF-8 text"))
    }
}

fn read_file(path: &std::path::Path, limits: &FetchLimits) -> Result<Vec<u8>> {
    let field = format!("SAML metadata file {}", path.display());
    let size = std::fs::metadata(path)
        .map_err(|e| Error::invalid(&field, e.to_string()))?
        .len();
    if size > limits.max_bytes as u64 {
        return Err(too_large(&field, limits));
    }
    std::fs::read(path).map_err(|e| Error::invalid(&field, e.to_string()))
}

fn too_large(field: &str, limits: &FetchLimits) -> Error {
    Error::invalid(
        field,
        format!(
            "is larger than the limit of {} bytes for SAML metadata",
            limits.max_bytes
        ),
    )
}

/// How to read metadata: which IdP to take from a federation file, and the size and time limits.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SamlOptions {
    /// The IdP's entity id; required when the metadata describes several IdPs.
    pub entity_id: Option<String>,
    /// Size and time limits (default [`FetchLimits::saml_metadata`]).
    pub limits: FetchLimits,
}

impl Default for SamlOptions {
    fn default() -> Self {
        SamlOptions {
            entity_id: None,
            limits: FetchLimits::saml_metadata(),
        }
    }
}

impl SamlOptions {
    /// The defaults: no entity id, [`FetchLimits::saml_metadata`].
    pub fn new() -> Self {
        SamlOptions::default()
    }

    /// Takes the IdP with this entity id (from a federation's `EntitiesDescriptor`).
    pub fn entity_id(mut self, entity_id: impl Into<String>) -> Self {
        self.entity_id = Some(entity_id.into());
        self
    }

    /// Other size and time limits.
    pub fn limits(mut self, limits: FetchLimits) -> Self {
        self.limits = limits;
        self
    }
}

/// Reads the metadata from `source` and builds the SAML connection `name` for its IdP.
pub async fn onboard_saml(
    name: &str,
    source: &MetadataSource,
    options: &SamlOptions,
) -> Result<Onboarded> {
    let xml = source.read(&options.limits).await?;
    SamlIdp::parse(&xml, options)?.connection(name)
}
