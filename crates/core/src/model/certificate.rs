use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// An X.509 certificate, held once as DER bytes whatever format a vendor uses.
///
/// Auth0 `signingCert` and Keycloak `signingCertificate` carry base64 DER; other sources carry
/// PEM. [`Certificate::parse`] accepts both; each backend writes its own format with
/// [`Certificate::to_base64_der`] or [`Certificate::to_pem`]. Serialized as PEM.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Certificate {
    der: Vec<u8>,
}

impl Certificate {
    /// Parses PEM (`-----BEGIN CERTIFICATE-----`) or bare base64 DER. `field` names the
    /// input in the error (for example `settings.signing_certificates[0]`).
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let body: String = if text.contains("-----BEGIN") {
            let start = text
                .find("-----BEGIN CERTIFICATE-----")
                .ok_or_else(|| Error::invalid(field, "PEM block is not a CERTIFICATE"))?;
            let rest = &text[start + "-----BEGIN CERTIFICATE-----".len()..];
            let end = rest
                .find("-----END CERTIFICATE-----")
                .ok_or_else(|| Error::invalid(field, "PEM block has no END CERTIFICATE line"))?;
            rest[..end].split_whitespace().collect()
        } else {
            text.split_whitespace().collect()
        };
        let der = STANDARD
            .decode(body.as_bytes())
            .map_err(|e| Error::invalid(field, format!("certificate is not valid base64: {e}")))?;
        Self::from_der(der, field)
    }

    /// Wraps DER bytes after checking they form one complete ASN.1 SEQUENCE (the outer
    /// structure of every X.509 certificate).
    pub fn from_der(der: Vec<u8>, field: &str) -> Result<Self> {
        if !is_single_der_sequence(&der) {
            return Err(Error::invalid(
                field,
                "certificate is not a DER-encoded X.509 structure",
            ));
        }
        Ok(Certificate { der })
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Base64 of the DER bytes, on one line (Auth0 `signingCert`, Keycloak `signingCertificate`).
    pub fn to_base64_der(&self) -> String {
        STANDARD.encode(&self.der)
    }

    /// PEM with 64-character lines.
    pub fn to_pem(&self) -> String {
        let b64 = self.to_base64_der();
        let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
        for chunk in b64.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        pem
    }
}

/// True when `der` is exactly one ASN.1 SEQUENCE whose length octets cover the rest.
fn is_single_der_sequence(der: &[u8]) -> bool {
    let [0x30, first_len, rest @ ..] = der else {
        return false;
    };
    let (len, body) = if first_len & 0x80 == 0 {
        (usize::from(*first_len), rest)
    } else {
        let octets = usize::from(first_len & 0x7f);
        if octets == 0 || octets > 4 || rest.len() < octets {
            return false;
        }
        let len = rest[..octets]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[octets..])
    };
    len > 0 && body.len() == len
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Certificate({} DER bytes)", self.der.len())
    }
}

impl Serialize for Certificate {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_pem())
    }
}

impl<'de> Deserialize<'de> for Certificate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Certificate::parse(&text, "certificate").map_err(serde::de::Error::custom)
    }
}
