//! What a signing certificate's validity says: an expired one is a warning, not an error
//! (IdPs keep serving a lapsed certificate, and SAML signature checks use the key, not the dates).

use idconn_core::Certificate;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::report::OnboardReport;

/// Warns when `certificate` has expired or is not yet valid at `now`; notes it when its dates
/// cannot be read.
pub(super) fn check_validity(
    certificate: &Certificate,
    index: usize,
    now: OffsetDateTime,
    report: &mut OnboardReport,
) {
    let parsed = x509_parser::parse_x509_certificate(certificate.der());
    let Ok((_, parsed)) = parsed else {
        report.note(format!(
            "signing certificate {index}: its validity dates could not be read; it is kept as given"
        ));
        return;
    };
    let subject = parsed.subject().to_string();
    let validity = parsed.validity();
    let not_after = validity.not_after.to_datetime();
    let not_before = validity.not_before.to_datetime();
    if not_after < now {
        report.warn(format!(
            "signing certificate {index} ({subject}) expired on {}; ask the customer for \
             current metadata before going live",
            rfc3339(not_after)
        ));
    } else if not_before > now {
        report.warn(format!(
            "signing certificate {index} ({subject}) is not valid before {}",
            rfc3339(not_before)
        ));
    }
}

pub(super) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}
