//! SAML settings <-> `config` keys (SAMLIdentityProviderConfig).
//!
//! The request settings: `signatureAlgorithm` names one of Keycloak's SAML signature algorithms
//! (`org.keycloak.saml.SignatureAlgorithm`: `RSA_SHA1`, `RSA_SHA256`, `RSA_SHA256_MGF1`,
//! `RSA_SHA512`, `RSA_SHA512_MGF1`, `DSA_SHA1`; `RSA_SHA256` when unset), each of which also
//! fixes the digest (its XML Signature digest method): Keycloak has no digest setting of its
//! own. `postBindingAuthnRequest` is `"true"` for HTTP-POST, `"false"` (the default) for
//! HTTP-Redirect (Keycloak server admin guide, SAML v2.0 identity providers).

use std::collections::{BTreeMap, BTreeSet};

use idconn_core::spelling::{self, Spelling};
use idconn_core::{
    Certificate, Loss, Result, SamlBinding, SamlDigestAlgorithm, SamlSettings,
    SamlSignatureAlgorithm, validate,
};

use super::values::{bad_value, flag, flag_text};
use crate::wire::Config;

/// The keys the model reads.
pub(crate) const MODELLED_KEYS: [&str; 9] = [
    "singleSignOnServiceUrl",
    "singleLogoutServiceUrl",
    "idpEntityId",
    "entityId",
    "signingCertificate",
    "nameIDPolicyFormat",
    "wantAuthnRequestsSigned",
    SIGNATURE_ALGORITHM,
    POST_BINDING,
];

const SIGNATURE_ALGORITHM: &str = "signatureAlgorithm";
const POST_BINDING: &str = "postBindingAuthnRequest";

/// `signatureAlgorithm`: the names of `org.keycloak.saml.SignatureAlgorithm`.
pub(crate) const SIGNATURE_ALGORITHMS: Spelling<SamlSignatureAlgorithm> = &[
    (SamlSignatureAlgorithm::RsaSha256, "RSA_SHA256"),
    (SamlSignatureAlgorithm::RsaSha1, "RSA_SHA1"),
    (SamlSignatureAlgorithm::RsaSha512, "RSA_SHA512"),
    (SamlSignatureAlgorithm::RsaSha256Mgf1, "RSA_SHA256_MGF1"),
    (SamlSignatureAlgorithm::RsaSha512Mgf1, "RSA_SHA512_MGF1"),
    (SamlSignatureAlgorithm::DsaSha1, "DSA_SHA1"),
];

/// What Keycloak signs with when `signatureAlgorithm` is unset.
const DEFAULT_SIGNATURE_ALGORITHM: SamlSignatureAlgorithm = SamlSignatureAlgorithm::RsaSha256;

/// Reads the settings; returns them with the keys consumed. `signingCertificate` is a
/// comma-separated list of base64 DER certificates; one that does not parse is a decode error.
pub(crate) fn read(config: &Config) -> Result<(SamlSettings, BTreeSet<&'static str>)> {
    let text = |key: &str| config.get(key).map(str::to_string);
    let mut certificates = Vec::new();
    if let Some(list) = config.get("signingCertificate") {
        for (i, part) in list
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let path = format!("config.signingCertificate[{i}]");
            let certificate = Certificate::parse(part, &path).map_err(|e| {
                bad_value(&path, &format!("not a base64 DER certificate ({e})"), part)
            })?;
            certificates.push(certificate);
        }
    }
    let signature_algorithm = match config.get(SIGNATURE_ALGORITHM) {
        None => None,
        Some(name) => Some(
            spelling::value_of(SIGNATURE_ALGORITHMS, name).ok_or_else(|| {
                bad_value(
                    &format!("config.{SIGNATURE_ALGORITHM}"),
                    &spelling::unknown(SIGNATURE_ALGORITHMS, name),
                    name,
                )
            })?,
        ),
    };
    let binding = flag(config, POST_BINDING)?.map(|post| {
        if post {
            SamlBinding::HttpPost
        } else {
            SamlBinding::HttpRedirect
        }
    });
    let settings = SamlSettings {
        sign_in_url: text("singleSignOnServiceUrl"),
        sign_out_url: text("singleLogoutServiceUrl"),
        idp_entity_id: text("idpEntityId"),
        sp_entity_id: text("entityId"),
        signing_certificates: certificates,
        name_id_format: text("nameIDPolicyFormat"),
        sign_requests: flag(config, "wantAuthnRequestsSigned")?,
        request_signature_algorithm: signature_algorithm,
        // The digest is the signature algorithm's own.
        request_digest_algorithm: signature_algorithm.map(SamlSignatureAlgorithm::hash),
        request_binding: binding,
        ..SamlSettings::default()
    };
    let used = MODELLED_KEYS
        .into_iter()
        .filter(|key| config.get(key).is_some())
        .collect();
    Ok((settings, used))
}

/// Writes the settings, pushing a loss for what Keycloak cannot hold; URLs are checked first.
pub(crate) fn write(
    settings: &SamlSettings,
    config: &mut BTreeMap<String, String>,
    losses: &mut Vec<Loss>,
) -> Result<()> {
    for (field, value) in [
        ("settings.sign_in_url", &settings.sign_in_url),
        ("settings.sign_out_url", &settings.sign_out_url),
    ] {
        if let Some(url) = value {
            validate::check_https_url(field, url)?;
        }
    }
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            config.insert(key.to_string(), value);
        }
    };
    put("singleSignOnServiceUrl", settings.sign_in_url.clone());
    put("singleLogoutServiceUrl", settings.sign_out_url.clone());
    put("idpEntityId", settings.idp_entity_id.clone());
    put("entityId", settings.sp_entity_id.clone());
    if !settings.signing_certificates.is_empty() {
        let list: Vec<String> = settings
            .signing_certificates
            .iter()
            .map(Certificate::to_base64_der)
            .collect();
        put("signingCertificate", Some(list.join(",")));
    }
    put("nameIDPolicyFormat", settings.name_id_format.clone());
    put(
        "wantAuthnRequestsSigned",
        settings.sign_requests.map(flag_text),
    );
    let algorithm = signature_algorithm(settings, losses);
    put(
        SIGNATURE_ALGORITHM,
        algorithm
            .and_then(|a| spelling::wire_of(SIGNATURE_ALGORITHMS, a))
            .map(str::to_string),
    );
    put(
        POST_BINDING,
        settings
            .request_binding
            .map(|binding| flag_text(binding == SamlBinding::HttpPost)),
    );
    Ok(())
}

/// The signature algorithm to write, and a loss for a digest it does not digest with. A digest
/// stated without an algorithm pins Keycloak's default algorithm when that digests with it.
fn signature_algorithm(
    settings: &SamlSettings,
    losses: &mut Vec<Loss>,
) -> Option<SamlSignatureAlgorithm> {
    let stated = settings.request_signature_algorithm;
    let Some(digest) = settings.request_digest_algorithm else {
        return stated;
    };
    let algorithm = stated.unwrap_or(DEFAULT_SIGNATURE_ALGORITHM);
    let held: SamlDigestAlgorithm = algorithm.hash();
    if held == digest {
        return Some(algorithm);
    }
    let name = spelling::wire_of(SIGNATURE_ALGORITHMS, algorithm).unwrap_or_default();
    losses.push(Loss::changed(
        "settings.request_digest_algorithm",
        digest.to_string(),
        held.to_string(),
        format!(
            "Keycloak has no digest setting of its own: it digests with the hash of the signature algorithm, {held} for {name}"
        ),
    ));
    stated
}
