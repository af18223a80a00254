//! One IdP's facts into a SAML connection, with everything the model cannot hold reported.

use idconn_core::validate::https_url;
use idconn_core::{Connection, ConnectionKind, Error, Result, SamlSettings, Settings};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::certificates::{check_validity, rfc3339};
use super::metadata::{SamlEndpoint, SamlIdp};
use super::{HTTP_POST, HTTP_REDIRECT};
use crate::report::{OnboardReport, Onboarded};

/// The NameID format preferred when the IdP offers several: SaaS products key users by email.
const EMAIL_NAME_ID: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

impl SamlIdp {
    /// The SAML connection `name` for this IdP, checked at the current time.
    ///
    /// Single sign-on takes the HTTP-Redirect endpoint, else the HTTP-POST one (the report
    /// says which); single logout likewise. Every signing certificate is kept; an expired one
    /// is a warning. With several NameID formats, emailAddress is requested when offered, else
    /// the first. What the model cannot hold (other bindings, encryption certificates, other
    /// NameID formats) is noted.
    pub fn connection(&self, name: &str) -> Result<Onboarded> {
        self.connection_at(name, OffsetDateTime::now_utc())
    }

    /// [`connection`](Self::connection), with certificate and metadata validity judged at `now`.
    // Settings are filled field by field, not by a struct literal: the settings types may grow
    // fields and become non-exhaustive.
    #[allow(clippy::field_reassign_with_default)]
    pub fn connection_at(&self, name: &str, now: OffsetDateTime) -> Result<Onboarded> {
        let mut report = OnboardReport::default();
        let sign_in = preferred(&self.single_sign_on).ok_or_else(|| {
            Error::invalid(
                "SAML metadata SingleSignOnService",
                format!(
                    "the IdP \"{}\" offers no HTTP-Redirect or HTTP-POST single sign-on \
                     endpoint (bindings found: {})",
                    self.entity_id,
                    bindings(&self.single_sign_on)
                ),
            )
        })?;
        https_url(
            "SAML metadata SingleSignOnService Location",
            &sign_in.location,
        )?;
        report.note(format!(
            "single sign-on: the {} binding was chosen ({})",
            short_binding(&sign_in.binding),
            sign_in.location
        ));
        if sign_in.binding == HTTP_POST {
            report.note(
                "the IdP takes authentication requests by HTTP-POST only: set the vendor's \
                 request binding to HTTP-POST (Auth0 protocolBinding, Keycloak \
                 postBindingAuthnRequest) if it defaults to HTTP-Redirect",
            );
        }
        note_others("single sign-on", &self.single_sign_on, sign_in, &mut report);
        let sign_out = preferred(&self.single_logout);
        if let Some(sign_out) = sign_out {
            https_url(
                "SAML metadata SingleLogoutService Location",
                &sign_out.location,
            )?;
            report.note(format!(
                "single logout: the {} binding was chosen ({})",
                short_binding(&sign_out.binding),
                sign_out.location
            ));
            note_others("single logout", &self.single_logout, sign_out, &mut report);
        } else if !self.single_logout.is_empty() {
            report.note(format!(
                "single logout is not carried: the IdP offers only the bindings {}",
                bindings(&self.single_logout)
            ));
        }
        if self.signing_certificates.is_empty() {
            report.warn(format!(
                "the IdP \"{}\" publishes no signing certificate; its responses cannot be \
                 verified until one is added",
                self.entity_id
            ));
        }
        for (index, certificate) in self.signing_certificates.iter().enumerate() {
            check_validity(certificate, index, now, &mut report);
        }
        if self.encryption_certificates > 0 {
            report.note(format!(
                "{} encryption certificate(s) of the IdP are not carried (the model holds \
                 signing certificates only)",
                self.encryption_certificates
            ));
        }
        let name_id_format = self.name_id_format(&mut report);
        if let Some(valid_until) = &self.valid_until {
            match OffsetDateTime::parse(valid_until, &Rfc3339) {
                Ok(at) if at < now => report.warn(format!(
                    "the metadata was valid until {}; ask the customer for current metadata",
                    rfc3339(at)
                )),
                Ok(_) => {}
                Err(_) => report.note(format!(
                    "the metadata's validUntil \"{valid_until}\" is not a date-time; ignored"
                )),
            }
        }
        let mut connection = Connection::new(name, ConnectionKind::Saml);
        let mut settings = SamlSettings::default();
        settings.sign_in_url = Some(sign_in.location.clone());
        settings.sign_out_url = sign_out.map(|e| e.location.clone());
        settings.idp_entity_id = Some(self.entity_id.clone());
        settings.signing_certificates = self.signing_certificates.clone();
        settings.name_id_format = name_id_format;
        settings.sign_requests = self.want_authn_requests_signed;
        connection.settings = Settings::Saml(settings);
        Ok(Onboarded { connection, report })
    }

    fn name_id_format(&self, report: &mut OnboardReport) -> Option<String> {
        let chosen = match self.name_id_formats.as_slice() {
            [] => return None,
            [only] => return Some(only.clone()),
            several => several
                .iter()
                .find(|f| f.as_str() == EMAIL_NAME_ID)
                .unwrap_or(&several[0]),
        };
        let others: Vec<&str> = self
            .name_id_formats
            .iter()
            .filter(|f| *f != chosen)
            .map(String::as_str)
            .collect();
        report.note(format!(
            "NameID format {chosen} is requested; the IdP also offers {}",
            others.join(", ")
        ));
        Some(chosen.clone())
    }
}

/// HTTP-Redirect if offered, else HTTP-POST.
fn preferred(endpoints: &[SamlEndpoint]) -> Option<&SamlEndpoint> {
    [HTTP_REDIRECT, HTTP_POST]
        .iter()
        .find_map(|binding| endpoints.iter().find(|e| e.binding == *binding))
}

fn note_others(
    service: &str,
    endpoints: &[SamlEndpoint],
    chosen: &SamlEndpoint,
    report: &mut OnboardReport,
) {
    for other in endpoints.iter().filter(|e| *e != chosen) {
        report.note(format!(
            "{service}: the {} endpoint {} is not carried",
            short_binding(&other.binding),
            other.location
        ));
    }
}

fn bindings(endpoints: &[SamlEndpoint]) -> String {
    if endpoints.is_empty() {
        return "none".to_owned();
    }
    endpoints
        .iter()
        .map(|e| short_binding(&e.binding))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `HTTP-Redirect` for `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`.
fn short_binding(binding: &str) -> &str {
    binding
        .strip_prefix("urn:oasis:names:tc:SAML:2.0:bindings:")
        .unwrap_or(binding)
}
