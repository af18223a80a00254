//! SAML settings <-> `config` keys (SAMLIdentityProviderConfig).

use std::collections::{BTreeMap, BTreeSet};

use idconn_core::{Certificate, Result, SamlSettings, validate};

use super::values::{bad_value, flag, flag_text};
use crate::wire::Config;

/// The keys the model reads.
pub(crate) const MODELLED_KEYS: [&str; 7] = [
    "singleSignOnServiceUrl",
    "singleLogoutServiceUrl",
    "idpEntityId",
    "entityId",
    "signingCertificate",
    "nameIDPolicyFormat",
    "wantAuthnRequestsSigned",
];

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
    let settings = SamlSettings {
        sign_in_url: text("singleSignOnServiceUrl"),
        sign_out_url: text("singleLogoutServiceUrl"),
        idp_entity_id: text("idpEntityId"),
        sp_entity_id: text("entityId"),
        signing_certificates: certificates,
        name_id_format: text("nameIDPolicyFormat"),
        sign_requests: flag(config, "wantAuthnRequestsSigned")?,
        ..SamlSettings::default()
    };
    let used = MODELLED_KEYS
        .into_iter()
        .filter(|key| config.get(key).is_some())
        .collect();
    Ok((settings, used))
}

/// Writes the settings; URLs are checked first.
pub(crate) fn write(settings: &SamlSettings, config: &mut BTreeMap<String, String>) -> Result<()> {
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
    Ok(())
}
