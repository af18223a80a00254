//! SAML settings <-> `fields` (keys in [`super::fields::saml`], all read by GenAuth's login UI).

use idconn_core::spelling::{self, Spelling};
use idconn_core::{
    Certificate, ClientSecret, Loss, Note, ReadNote, Result, SamlSettings, TranslationReport,
    validate,
};
use serde_json::{Map, Value, json};

use super::Intent;
use super::fields::{self, Evidence, saml};
use super::oauth::take_string;

/// Writes `settings` into `fields`; what GenAuth has no key for is a loss, each key written a
/// note. Fails on a sign-in or sign-out URL that is not an http(s) URL; whether plain http may
/// go is the policy's call (`Policy::admit`), as on every backend.
pub(super) fn write(
    settings: &SamlSettings,
    intent: Intent,
    fields: &mut Map<String, Value>,
    report: &mut TranslationReport,
) -> Result<()> {
    for (field, value) in [
        ("settings.sign_in_url", &settings.sign_in_url),
        ("settings.sign_out_url", &settings.sign_out_url),
    ] {
        if let Some(url) = value {
            validate::check_http_url(field, url)?;
        }
    }
    let mut put = |field: &str, key: &str, value: Value| {
        fields.insert(key.to_string(), value);
        if let Some(note) = Evidence::LoginUi.note(key) {
            report.notes.push(Note::new(field, note));
        }
    };
    if let Some(url) = &settings.sign_in_url {
        put("settings.sign_in_url", saml::SIGN_IN, json!(url));
    }
    if let Some(url) = &settings.sign_out_url {
        put("settings.sign_out_url", saml::SIGN_OUT, json!(url));
    }
    if let Some(first) = settings.signing_certificates.first() {
        put(
            "settings.signing_certificates",
            saml::IDP_CERT,
            json!(first.to_pem()),
        );
    }
    if let Some(sign) = settings.sign_requests {
        put("settings.sign_requests", saml::SIGN_REQUEST, json!(sign));
    }
    // The request-signing key pair: a known key goes with its certificate; a masked or absent
    // one is left out, which keeps the stored pair on update (fields merge).
    match (
        &settings.request_signing_key,
        &settings.request_signing_certificate,
    ) {
        (ClientSecret::Known(_), Some(cert)) => {
            let key = settings.request_signing_key.expose().unwrap_or_default();
            put("settings.request_signing_key", saml::SP_KEY, json!(key));
            put(
                "settings.request_signing_certificate",
                saml::SP_CERT,
                json!(cert.to_pem()),
            );
        }
        (ClientSecret::Known(_), None) => report.push(Loss::dropped(
            "settings.request_signing_key",
            "(set)",
            "GenAuth takes a SAML signing key only with its certificate (samlSpCert)",
        )),
        (ClientSecret::Masked, _) if intent == Intent::Create => report.push(Loss::dropped(
            "settings.request_signing_key",
            "(masked)",
            "the source did not reveal the signing key, so GenAuth cannot be given it",
        )),
        _ => {}
    }
    request_setting(
        fields,
        saml::SIGNATURE_ALGORITHM,
        settings.request_signature_algorithm,
        fields::SIGNATURE_ALGORITHMS,
        (
            "settings.request_signature_algorithm",
            "request signature algorithm",
        ),
        report,
    );
    request_setting(
        fields,
        saml::DIGEST_ALGORITHM,
        settings.request_digest_algorithm,
        fields::DIGEST_ALGORITHMS,
        (
            "settings.request_digest_algorithm",
            "request digest algorithm",
        ),
        report,
    );
    request_setting(
        fields,
        saml::PROTOCOL_BINDING,
        settings.request_binding,
        fields::BINDINGS,
        ("settings.request_binding", "request binding"),
        report,
    );
    let lost =
        |setting: &str| format!("GenAuth has no setting for the {setting} of a SAML connection");
    if settings.signing_certificates.len() > 1 {
        report.push(Loss::dropped(
            "settings.signing_certificates",
            format!("{} certificates", settings.signing_certificates.len()),
            "GenAuth holds one identity-provider certificate per SAML connection; the first is kept",
        ));
    }
    for (field, value, setting) in [
        (
            "settings.idp_entity_id",
            &settings.idp_entity_id,
            "identity provider's entity id",
        ),
        (
            "settings.sp_entity_id",
            &settings.sp_entity_id,
            "service provider's entity id",
        ),
        (
            "settings.name_id_format",
            &settings.name_id_format,
            "NameID format",
        ),
    ] {
        if let Some(value) = value {
            report.push(Loss::dropped(field, value.clone(), lost(setting)));
        }
    }
    Ok(())
}

/// Writes one request setting under `key` in GenAuth's spelling, with the note that says how
/// little is known of it; a value without a spelling is a loss. `field` is the model's field and
/// the setting's name in words.
fn request_setting<T: Copy + PartialEq + std::fmt::Display>(
    fields: &mut Map<String, Value>,
    key: &str,
    value: Option<T>,
    held: Spelling<T>,
    (field, setting): (&str, &str),
    report: &mut TranslationReport,
) {
    let why = || {
        format!(
            "GenAuth has no known value for this {setting} of a SAML connection; idconn writes {} only, spelled like the console's documented default",
            spelling::offered(held)
        )
    };
    if let Some(wire) = spelling::put(fields, key, value, held, field, why, &mut report.losses) {
        report
            .notes
            .push(Note::new(field, fields::value_note(key, wire)));
    }
}

/// Reads the SAML settings out of `fields`, taking the keys it reads; `None` when it holds
/// none. A certificate that does not parse, or a request setting whose value is not one idconn
/// writes, stays in `fields`, verbatim, with a read note.
pub(super) fn read(fields: &mut Map<String, Value>) -> (Option<SamlSettings>, Vec<ReadNote>) {
    let mut undecoded = Vec::new();
    let mut certificates = Vec::new();
    if let Some(Value::String(text)) = fields.get(saml::IDP_CERT) {
        match Certificate::parse(text, saml::IDP_CERT) {
            Ok(certificate) => {
                certificates.push(certificate);
                fields.remove(saml::IDP_CERT);
            }
            Err(error) => undecoded.push((saml::IDP_CERT.to_string(), error.to_string())),
        }
    }
    let sign_requests = match fields.get(saml::SIGN_REQUEST) {
        Some(Value::Bool(sign)) => {
            let sign = *sign;
            fields.remove(saml::SIGN_REQUEST);
            Some(sign)
        }
        _ => None,
    };
    let request_signing_certificate = match fields.get(saml::SP_CERT) {
        Some(Value::String(text)) => match Certificate::parse(text, saml::SP_CERT) {
            Ok(certificate) => {
                fields.remove(saml::SP_CERT);
                Some(certificate)
            }
            Err(error) => {
                undecoded.push((saml::SP_CERT.to_string(), error.to_string()));
                None
            }
        },
        _ => None,
    };
    let request_signing_key = take_string(fields, saml::SP_KEY)
        .filter(|key| !key.is_empty())
        .map_or(ClientSecret::Absent, ClientSecret::known);
    let mut notes: Vec<ReadNote> = undecoded
        .into_iter()
        .map(|(key, why)| ReadNote::new(format!("fields.{key}"), why))
        .collect();
    let request_signature_algorithm = spelling::take(
        fields,
        saml::SIGNATURE_ALGORITHM,
        fields::SIGNATURE_ALGORITHMS,
        "fields",
        &mut notes,
    );
    let request_digest_algorithm = spelling::take(
        fields,
        saml::DIGEST_ALGORITHM,
        fields::DIGEST_ALGORITHMS,
        "fields",
        &mut notes,
    );
    let request_binding = spelling::take(
        fields,
        saml::PROTOCOL_BINDING,
        fields::BINDINGS,
        "fields",
        &mut notes,
    );
    let settings = SamlSettings {
        sign_in_url: take_string(fields, saml::SIGN_IN),
        sign_out_url: take_string(fields, saml::SIGN_OUT),
        signing_certificates: certificates,
        sign_requests,
        request_signing_key,
        request_signing_certificate,
        request_signature_algorithm,
        request_digest_algorithm,
        request_binding,
        ..SamlSettings::default()
    };
    (
        (settings != SamlSettings::default()).then_some(settings),
        notes,
    )
}
